//! Upstream's prose becomes rustdoc: it must render as the text it is.
//!
//! Descriptions are Markdown written for a web page. In rustdoc, `/connect/<token>` would be
//! an HTML tag that hides the word, `[ok]` an intra-doc link that does not resolve, a bare
//! URL a lint warning, and a fence without a language a Rust doctest. [`make_safe`] rewrites
//! every `description`, `summary` and `title` of the document (never examples, defaults or
//! enum values, which are data) so that `cargo doc` with `-D warnings` passes and the text
//! reads as upstream wrote it.

use serde_json::Value;

/// Keys whose string values are prose.
const PROSE: [&str; 3] = ["description", "summary", "title"];
/// Keys whose values are data, never rewritten.
const DATA: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// A parameter's own schema (an enum becomes a type) says what the parameter says: its
/// description, when the schema has none or only a type hint such as `("7d" | "30d")`.
pub fn describe_parameter_schemas(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters {
                let Some(description) = parameter
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                else {
                    continue;
                };
                let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut)
                else {
                    continue;
                };
                let hint_only = schema
                    .get("description")
                    .and_then(Value::as_str)
                    .is_none_or(|text| text.trim_start().starts_with('('));
                if schema.contains_key("enum") && hint_only {
                    schema.insert("description".to_owned(), Value::String(description));
                }
            }
        }
    }
}

/// Rewrites the prose of `document` in place.
pub fn make_safe(document: &mut Value) {
    match document {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if DATA.contains(&key.as_str())
                    || key.starts_with("x-") && key != "x-pilot-resources"
                {
                    continue;
                }
                match value {
                    Value::String(text) if PROSE.contains(&key.as_str()) => {
                        *text = markdown(text);
                    }
                    Value::Object(resources) if key == "x-pilot-resources" => {
                        for doc in resources.values_mut() {
                            if let Value::String(text) = doc {
                                *text = markdown(text);
                            }
                        }
                    }
                    _ => make_safe(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_safe),
        _ => {}
    }
}

/// One Markdown text made safe for rustdoc: code spans and fences are kept (a fence
/// without a language becomes `text`), and outside them `<` is escaped, `[` and `]` are
/// escaped, and bare `http(s)://` URLs become autolinks.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !in_fence && info.trim().is_empty() {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str("```text");
            } else {
                out.push_str(line);
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&inline(line));
        }
    }
    out
}

/// One line outside fences: code spans kept, the rest escaped.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let fence = &rest[start..start + ticks];
        match rest[start + ticks..].find(fence) {
            Some(length) => {
                out.push_str(&prose(&rest[..start]));
                let end = start + ticks + length + ticks;
                out.push_str(&rest[start..end]);
                rest = &rest[end..];
            }
            None => break,
        }
    }
    out.push_str(&prose(rest));
    out
}

/// Text outside code: escapes and autolinks.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let length = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
                .unwrap_or(rest.len());
            let url = rest[..length].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            index += url.len();
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '<' => out.push_str("&lt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
        index += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tags_links_and_urls_render_as_text() {
        assert_eq!(
            markdown("Opens /connect/<token> [ok] see https://pilotstatus.com.br/x."),
            "Opens /connect/&lt;token> \\[ok\\] see <https://pilotstatus.com.br/x>."
        );
    }

    #[test]
    fn code_is_kept_and_bare_fences_are_text() {
        assert_eq!(
            markdown("Use `a<b>[c]` here.\n```\nlet x = <y>;\n```\n```json\n[1]\n```"),
            "Use `a<b>[c]` here.\n```text\nlet x = <y>;\n```\n```json\n[1]\n```"
        );
        assert_eq!(markdown("an `unclosed <span"), "an `unclosed &lt;span");
    }

    #[test]
    fn only_prose_is_rewritten() {
        let mut doc = json!({
            "description": "<b>",
            "properties": {"title": {"type": "string", "description": "[x]", "example": "<b>"}},
            "example": {"description": "<keep>"},
            "enum": ["<keep>"],
            "x-upstream-operation-id": "<keep>",
            "x-pilot-resources": {"a": "see [b]"}
        });
        make_safe(&mut doc);
        assert_eq!(
            doc,
            json!({
                "description": "&lt;b>",
                "properties": {"title": {"type": "string", "description": "\\[x\\]", "example": "<b>"}},
                "example": {"description": "<keep>"},
                "enum": ["<keep>"],
                "x-upstream-operation-id": "<keep>",
                "x-pilot-resources": {"a": "see \\[b\\]"}
            })
        );
    }
}
