//! Reading the vendored spec and writing it back canonically.
//!
//! Canonical form: keys sorted (by code point) at every level, two-space indentation, a
//! trailing newline. It does not depend on `serde_json`'s `preserve_order` feature, so the
//! bytes are the same whatever else is in the dependency graph.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Result, SpecError};

/// Parses a JSON document, naming `origin` in the error.
pub fn parse(text: &str, origin: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|source| SpecError::Json {
        origin: origin.to_owned(),
        source,
    })
}

/// Reads and parses a JSON file.
pub fn read(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Returns `value` with the keys of every object sorted.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let mut out = Map::new();
            for (key, value) in entries {
                out.insert(key.clone(), sorted(value));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The canonical text of a document: sorted keys, two-space indent, trailing newline.
pub fn to_canonical_string(value: &Value) -> String {
    let value = sorted(value);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serializing a `Value` into memory cannot fail: every key is a string.
    if value.serialize(&mut serializer).is_err() {
        unreachable!("serializing a serde_json::Value into a Vec cannot fail");
    }
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_text_sorts_keys_at_every_level() {
        let value = json!({"b": 1, "a": {"z": [ {"y": 1, "x": 2} ], "c": null}});
        assert_eq!(
            to_canonical_string(&value),
            "{\n  \"a\": {\n    \"c\": null,\n    \"z\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }

    #[test]
    fn canonical_text_round_trips() {
        let value =
            json!({"openapi": "3.1.0", "paths": {"/v1/x": {"get": {"description": "é ✓"}}}});
        let text = to_canonical_string(&value);
        assert_eq!(parse(&text, "test").unwrap(), value);
        assert_eq!(to_canonical_string(&parse(&text, "test").unwrap()), text);
    }

    #[test]
    fn parse_errors_name_their_origin() {
        let err = parse("{\"a\": ", "openapi.json").unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("openapi.json is not valid JSON"),
            "{message}"
        );
        assert!(message.contains("line 1"), "{message}");
    }
}
