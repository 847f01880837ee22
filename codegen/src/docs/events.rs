//! The webhook events page: the events the docs name, and the bodies they show.
//!
//! The page is prose, not an operation page: a table whose rows name a group of events and,
//! in their last cell, the events in backticks (`| Inbound | \`message.reply\`, ... |`), and
//! fenced `json` blocks, each the whole body of one delivery, naming its event in its
//! `event` member. What it gives becomes the spec's OpenAPI 3.1 `webhooks` (one entry per
//! event, with the group as its tag and the body as the example of its request body), so the
//! sync writes it into `openapi.json` with the operations, and the generator infers the
//! payload types from it as it infers example-only responses.

use serde_json::{Map, Value, json};

use super::page::{DocsError, Fragment, blocks};

/// The fragment of the webhook events page: `{"webhooks": {...}}`, or `None` when the page
/// names no event.
pub fn fragment_of_page(page: &str, markdown: &str) -> Result<Option<Fragment>, DocsError> {
    let mut webhooks: Map<String, Value> = Map::new();
    let mut text = String::new();
    for line in markdown.lines() {
        let Some((group, names)) = table_row(line) else {
            continue;
        };
        text.push_str(line);
        text.push('\n');
        for name in names {
            webhooks.insert(name, json!({"post": {"tags": [group.clone()]}}));
        }
    }
    let found = blocks(markdown).map_err(|(line, info)| DocsError::Unclosed {
        page: page.to_owned(),
        file: info.get(1).cloned().unwrap_or_default(),
        line,
    })?;
    for block in found {
        let is_json = block
            .info
            .first()
            .is_some_and(|language| language.eq_ignore_ascii_case("json"));
        if !is_json {
            continue;
        }
        let body: Value = serde_json::from_str(&block.text).map_err(|error| DocsError::Json {
            page: page.to_owned(),
            line: block.line,
            message: error.to_string(),
        })?;
        let Some(name) = body.get("event").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        text.push_str(&block.text);
        let entry = webhooks.entry(name).or_insert_with(|| json!({"post": {}}));
        entry["post"]["requestBody"] = json!({"content": {"application/json": {"example": body}}});
    }
    if webhooks.is_empty() {
        return Ok(None);
    }
    Ok(Some(Fragment {
        source: page.to_owned(),
        operation: "webhooks".to_owned(),
        document: json!({ "webhooks": webhooks }),
        text,
    }))
}

/// `| Inbound | `message.reply`, `message.received` |` → the group and the event names;
/// the header and separator rows, and rows whose last cell names no event, give nothing.
fn table_row(line: &str) -> Option<(String, Vec<String>)> {
    let cells: Vec<&str> = line
        .trim()
        .strip_prefix('|')?
        .strip_suffix('|')?
        .split('|')
        .map(str::trim)
        .collect();
    let [group, .., last] = cells.as_slice() else {
        return None;
    };
    let names: Vec<String> = last
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| is_event_name(name))
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return None;
    }
    Some((group.to_string(), names))
}

/// `message.received`, `calls`, `number.health_blocked`: lower case words, dots, underscores.
fn is_event_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        && !text.starts_with('.')
        && !text.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Webhook events\n\n\
        | group | events |\n\
        | --- | --- |\n\
        | Inbound | `message.reply`, `message.received` |\n\
        | Health (`\"*\"` only) | `number.health_blocked` |\n\n\
        ```json\n{\"event\": \"message.received\", \"data\": {\"id\": \"m1\"}}\n```\n\n\
        ```json\n{\"not\": \"an event\"}\n```\n";

    #[test]
    fn reads_the_table_and_the_bodies() {
        let fragment = fragment_of_page("https://x/api/webhooks/events.md", PAGE)
            .unwrap()
            .unwrap();
        assert_eq!(
            fragment.document,
            json!({"webhooks": {
                "message.reply": {"post": {"tags": ["Inbound"]}},
                "message.received": {"post": {"tags": ["Inbound"], "requestBody": {"content": {
                    "application/json": {"example": {"event": "message.received", "data": {"id": "m1"}}}
                }}}},
                "number.health_blocked": {"post": {"tags": ["Health (`\"*\"` only)"]}}
            }})
        );
    }

    #[test]
    fn a_page_without_events_gives_nothing_and_bad_json_is_an_error() {
        assert!(fragment_of_page("p", "# Nothing\n").unwrap().is_none());
        let error = fragment_of_page("p", "```json\n{\"event\": \n```\n").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("the json block on line 1 is not JSON"),
            "{error}"
        );
    }
}
