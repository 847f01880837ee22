//! Operation pages: the ```` ```yaml openapi.json METHOD PATH ```` blocks they embed.

use serde_json::{Map, Value};

use super::nesting::{self, MAX_FLOW_DEPTH};

/// A fenced code block of a Markdown page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The words of the info string (`yaml`, `openapi.json`, `POST`, `/v1/...`).
    pub info: Vec<String>,
    /// The block's text, without the fences.
    pub text: String,
    /// 1-based line of the opening fence.
    pub line: usize,
}

impl Block {
    /// The file name the info string gives (`openapi.json`, `openapi.pt.json`, ...).
    pub fn file(&self) -> Option<&str> {
        self.info.get(1).map(String::as_str)
    }

    /// True for a YAML block of the English spec (`yaml openapi.json ...`).
    pub fn is_spec(&self) -> bool {
        matches!(
            self.info.first().map(|s| s.to_ascii_lowercase()).as_deref(),
            Some("yaml" | "yml")
        ) && self.file() == Some("openapi.json")
    }
}

/// One page's contribution to the spec: a whole OpenAPI document holding one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// The page URL it came from.
    pub source: String,
    /// `METHOD /path` as the fence names it.
    pub operation: String,
    /// The YAML block parsed as JSON.
    pub document: Value,
    /// The block's text, for provenance hashes.
    pub text: String,
}

/// Why a page cannot give its fragment.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocsError {
    /// A fence opens and never closes (a truncated page).
    #[error("{page}: the ```{file} block opened on line {line} is never closed (truncated page?)")]
    Unclosed {
        /// The page URL.
        page: String,
        /// The block's file name.
        file: String,
        /// Line of the opening fence.
        line: usize,
    },
    /// A spec block whose fence does not name `METHOD PATH`.
    #[error("{page}: the openapi.json block on line {line} names no `METHOD /path` in its fence")]
    FenceWithoutOperation {
        /// The page URL.
        page: String,
        /// Line of the opening fence.
        line: usize,
    },
    /// The block is not valid YAML.
    #[error("{page}: the openapi.json block on line {line} is not valid YAML: {message}")]
    Yaml {
        /// The page URL.
        page: String,
        /// Line of the opening fence.
        line: usize,
        /// The parser's message (with its own line within the block).
        message: String,
    },
    /// A `json` block of the webhook events page is not JSON.
    #[error("{page}: the json block on line {line} is not JSON: {message}")]
    Json {
        /// The page URL.
        page: String,
        /// Line of the opening fence.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// The block nests flow collections (`[`, `{`) deeper than
    /// [`MAX_FLOW_DEPTH`]; refused before parsing, which
    /// would take time quadratic in the depth.
    #[error(
        "{page}: the openapi.json block on line {line} nests flow collections ([ or {{) more than {limit} levels deep (on its line {at}); refused before parsing"
    )]
    TooDeep {
        /// The page URL.
        page: String,
        /// Line of the opening fence.
        line: usize,
        /// The line within the block where the limit was passed (1-based).
        at: usize,
        /// The limit.
        limit: usize,
    },
    /// The block's operation is not the one its fence names.
    #[error("{page}: the fence on line {line} names `{fence}` but the block holds {found}")]
    FenceMismatch {
        /// The page URL.
        page: String,
        /// Line of the opening fence.
        line: usize,
        /// `METHOD /path` of the fence.
        fence: String,
        /// What the block holds.
        found: String,
    },
}

/// Every fenced code block of `markdown` (backticks or tildes, three or more, closed by
/// a fence of the same character at least as long).
pub fn blocks(markdown: &str) -> Result<Vec<Block>, (usize, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some((fence_char, fence_len, info)) = opening_fence(line) else {
            continue;
        };
        let info: Vec<String> = info.split_whitespace().map(str::to_owned).collect();
        let mut text = String::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            if is_closing_fence(inner, fence_char, fence_len) {
                closed = true;
                break;
            }
            text.push_str(inner);
            text.push('\n');
        }
        if !closed {
            return Err((index + 1, info));
        }
        blocks.push(Block {
            info,
            text,
            line: index + 1,
        });
    }
    Ok(blocks)
}

fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
    if fence_len < 3 {
        return None;
    }
    let info = &trimmed[fence_len..];
    if fence_char == '`' && info.contains('`') {
        return None;
    }
    Some((fence_char, fence_len, info.trim()))
}

fn is_closing_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return false;
    }
    let run = trimmed.chars().take_while(|c| *c == fence_char).count();
    run >= fence_len && trimmed[run..].trim().is_empty()
}

/// The spec fragments of one page (none for prose and translated pages).
pub fn fragments_of_page(page: &str, markdown: &str) -> Result<Vec<Fragment>, DocsError> {
    let blocks = blocks(markdown).map_err(|(line, info)| DocsError::Unclosed {
        page: page.to_owned(),
        file: info.get(1).cloned().unwrap_or_default(),
        line,
    })?;
    blocks
        .into_iter()
        .filter(Block::is_spec)
        .map(|block| fragment(page, block))
        .collect()
}

fn fragment(page: &str, block: Block) -> Result<Fragment, DocsError> {
    let (Some(method), Some(path)) = (block.info.get(2), block.info.get(3)) else {
        return Err(DocsError::FenceWithoutOperation {
            page: page.to_owned(),
            line: block.line,
        });
    };
    let fence = format!("{} {path}", method.to_ascii_uppercase());
    if let Some(at) = nesting::too_deep(&block.text, MAX_FLOW_DEPTH) {
        return Err(DocsError::TooDeep {
            page: page.to_owned(),
            line: block.line,
            at,
            limit: MAX_FLOW_DEPTH,
        });
    }
    let document = parse_yaml(&block.text).map_err(|message| DocsError::Yaml {
        page: page.to_owned(),
        line: block.line,
        message,
    })?;
    let found = operations_in(&document);
    if found != [fence.clone()] {
        return Err(DocsError::FenceMismatch {
            page: page.to_owned(),
            line: block.line,
            fence,
            found: if found.is_empty() {
                "no operation".to_owned()
            } else {
                found.join(", ")
            },
        });
    }
    Ok(Fragment {
        source: page.to_owned(),
        operation: fence,
        document,
        text: block.text,
    })
}

/// `METHOD /path` of every operation in a document.
pub fn operations_in(document: &Value) -> Vec<String> {
    crate::walk::operations(document)
        .map(|at| format!("{} {}", at.method.to_ascii_uppercase(), at.path))
        .collect()
}

/// Parses YAML into JSON. Mapping keys that YAML reads as numbers or booleans (an
/// unquoted `201:`) become strings, as OpenAPI means them. Flow collections nested more
/// than [`MAX_FLOW_DEPTH`] deep are refused before parsing (see [`nesting`]).
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    if let Some(line) = nesting::too_deep(text, MAX_FLOW_DEPTH) {
        return Err(format!(
            "flow collections nested more than {MAX_FLOW_DEPTH} levels deep on line {line}; refused before parsing"
        ));
    }
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| e.to_string())?;
    to_json(yaml)
}

fn to_json(yaml: yaml_serde::Value) -> Result<Value, String> {
    use yaml_serde::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("the number {n} has no JSON form"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err(format!("a mapping key must be a scalar, found {other:?}"));
                    }
                };
                map.insert(key, to_json(value)?);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PAGE: &str = "https://docs.pilotstatus.com.br/playground/x/y.md";

    fn page(fence: &str, body: &str) -> String {
        format!(
            "# Title\n\n> Description.\n\n## OpenAPI\n\n{fence}\n{body}{}\n",
            &fence[..fence
                .find(|c: char| c != '`' && c != '~')
                .unwrap_or(fence.len())]
        )
    }

    const DOC: &str = "openapi: 3.1.0\ninfo:\n  title: T\n  version: 1.0.0\npaths:\n  /v1/x:\n    post:\n      operationId: post_x\n      responses:\n        201:\n          description: ok\n";

    #[test]
    fn extracts_the_spec_block_and_checks_its_fence() {
        let fragments =
            fragments_of_page(PAGE, &page("````yaml openapi.json POST /v1/x", DOC)).unwrap();
        assert_eq!(fragments.len(), 1);
        assert_eq!(fragments[0].operation, "POST /v1/x");
        assert_eq!(
            fragments[0].document["paths"]["/v1/x"]["post"]["responses"]["201"],
            json!({"description": "ok"})
        );
        assert_eq!(fragments[0].document["info"]["version"], "1.0.0");
    }

    #[test]
    fn a_longer_fence_holds_shorter_ones() {
        let body = format!("{DOC}      description: |\n        ```js\n        x\n        ```\n");
        let fragments =
            fragments_of_page(PAGE, &page("`````yaml openapi.json POST /v1/x", &body)).unwrap();
        assert_eq!(fragments.len(), 1);
    }

    #[test]
    fn translated_and_other_blocks_are_not_spec() {
        let markdown = format!(
            "{}\n```bash\ncurl x\n```\n",
            page("````yaml openapi.pt.json POST /v1/x", DOC)
        );
        assert_eq!(fragments_of_page(PAGE, &markdown).unwrap(), []);
        assert_eq!(
            fragments_of_page(PAGE, "# Prose\n\nNo blocks.\n").unwrap(),
            []
        );
    }

    #[test]
    fn a_fence_that_disagrees_with_its_block_is_refused() {
        let error =
            fragments_of_page(PAGE, &page("````yaml openapi.json GET /v1/x", DOC)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{PAGE}: the fence on line 7 names `GET /v1/x` but the block holds POST /v1/x")
        );
    }

    #[test]
    fn malformed_yaml_is_refused_with_its_line() {
        let error = fragments_of_page(
            PAGE,
            &page("````yaml openapi.json POST /v1/x", "paths: [unclosed\n"),
        )
        .unwrap_err();
        assert!(matches!(error, DocsError::Yaml { line: 7, .. }), "{error}");
    }

    #[test]
    fn deeply_nested_flow_collections_are_refused_before_parsing() {
        let deep = DOC.replace(
            "      operationId: post_x\n",
            &format!(
                "      operationId: post_x\n      x-deep: {}\n",
                "[".repeat(40_000)
            ),
        );
        let started = std::time::Instant::now();
        let error =
            fragments_of_page(PAGE, &page("````yaml openapi.json POST /v1/x", &deep)).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            error,
            DocsError::TooDeep {
                page: PAGE.to_owned(),
                line: 7,
                at: 9,
                limit: MAX_FLOW_DEPTH
            }
        );
        assert!(parse_yaml(&"[".repeat(1000)).is_err());
    }

    #[test]
    fn a_truncated_page_is_refused() {
        let markdown = format!("# T\n\n````yaml openapi.json POST /v1/x\n{DOC}");
        let error = fragments_of_page(PAGE, &markdown).unwrap_err();
        assert_eq!(
            error,
            DocsError::Unclosed {
                page: PAGE.to_owned(),
                file: "openapi.json".to_owned(),
                line: 3
            }
        );
    }

    #[test]
    fn a_spec_fence_must_name_its_operation() {
        let error = fragments_of_page(PAGE, &page("````yaml openapi.json", DOC)).unwrap_err();
        assert!(
            matches!(error, DocsError::FenceWithoutOperation { .. }),
            "{error}"
        );
    }

    #[test]
    fn yaml_scalars_keep_their_meaning() {
        let value = parse_yaml(
            "a: 'false'\nb: false\nc: '5511988887777'\nd: 1.5\ne: null\nf: >-\n  folded\n  text\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"a": "false", "b": false, "c": "5511988887777", "d": 1.5, "e": null, "f": "folded text"})
        );
    }
}
