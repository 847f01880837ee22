//! `description_typed_parameters`: parameter types upstream writes only in a description.

use serde_json::{Value, json};

use super::{Notes, Rule};
use crate::walk::{self, Visitor};

/// Upstream's parameters are often `schema: {type: string, description: "(integer (1–50))"}`:
/// the real type is in the nested description. This rule reads exactly these forms, and
/// nothing looser:
///
/// | description | becomes |
/// |---|---|
/// | `(integer (1–50))`, `(integer (≥1))`, `(integer)` | `type: integer, format: int64` |
/// | `(number (1–100))`, `(number)` | `type: number` |
/// | `("7d" \| "30d" \| "90d")` (two or more) | `type: string, enum: [7d, 30d, 90d]` |
/// | `(string (ISO 8601))` | `type: string, format: date-time` (an instant: `pilot_status::Timestamp`) |
///
/// The bounds stay in the description and do not become `minimum`/`maximum`: typify turns
/// `minimum: 1` into `NonZeroU64`, and `.limit(20)` would no longer compile; the server
/// checks the bounds anyway. Upstream writes `(string (ISO 8601))` only on instants (the
/// `startDate`/`endDate` filters, "Start of the date range", and the calls cursor `before`,
/// "only calls created strictly before this instant"; its examples are
/// `2026-06-01T00:00:00.000Z`). Other descriptions (`(string (E.164))`, `("1")`) are left as
/// they are.
pub const DESCRIPTION_TYPED_PARAMETERS: Rule = Rule {
    name: "description_typed_parameters",
    summary: "read parameter types written only in a description, e.g. `(integer (1–50))`",
    apply: |doc, notes| {
        struct Parameters<'n>(&'n mut Notes);
        impl Visitor for Parameters<'_> {
            fn schema(
                &mut self,
                schema: &mut serde_json::Map<String, Value>,
                at: &str,
            ) -> crate::Result<()> {
                // Only a parameter's own schema: `/parameters/<i>/schema`.
                let is_parameter_schema = at.ends_with("/schema")
                    && at.rsplit('/').nth(2) == Some("parameters")
                    || at.starts_with("/components/parameters/") && at.matches('/').count() == 4;
                if !is_parameter_schema
                    || !matches!(
                        schema.get("type").and_then(Value::as_str),
                        None | Some("string")
                    )
                    || schema.contains_key("enum")
                    || schema.contains_key("format")
                {
                    return Ok(());
                }
                let Some(description) = schema.get("description").and_then(Value::as_str) else {
                    return Ok(());
                };
                let Some(typed) = read_type(description) else {
                    return Ok(());
                };
                let text = description.to_owned();
                for (key, value) in typed.as_object().into_iter().flatten() {
                    schema.insert(key.clone(), value.clone());
                }
                self.0.add(at, format!("description {text} -> {typed}"));
                Ok(())
            }
        }
        walk::walk(doc, &mut Parameters(notes))
    },
};

/// The schema members a description of one of the exact forms stands for.
fn read_type(description: &str) -> Option<Value> {
    let inner = description
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    if let Some(options) = quoted_alternatives(inner) {
        return (options.len() >= 2).then(|| json!({"type": "string", "enum": options}));
    }
    let (name, rest) = match inner.split_once(' ') {
        Some((name, rest)) => (name, rest.trim()),
        None => (inner, ""),
    };
    let bounds_ok = rest.is_empty() || is_bounds(rest);
    match name {
        "string" if rest == "(ISO 8601)" => Some(json!({"type": "string", "format": "date-time"})),
        "integer" if bounds_ok => Some(json!({"type": "integer", "format": "int64"})),
        "number" if bounds_ok => Some(json!({"type": "number"})),
        _ => None,
    }
}

/// `"a" | "b" | "c"` → `[a, b, c]`.
fn quoted_alternatives(text: &str) -> Option<Vec<String>> {
    text.split('|')
        .map(|part| {
            let part = part.trim();
            part.strip_prefix('"')?
                .strip_suffix('"')
                .filter(|v| !v.contains('"'))
                .map(str::to_owned)
        })
        .collect()
}

/// `(1–50)`, `(1-50)`, `(≥1)`, `(>=1)`.
fn is_bounds(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return false;
    };
    let number = |t: &str| !t.is_empty() && t.trim().parse::<f64>().is_ok();
    if let Some(lower) = inner.strip_prefix('≥').or_else(|| inner.strip_prefix(">=")) {
        return number(lower);
    }
    inner
        .split_once(['–', '-'])
        .is_some_and(|(low, high)| number(low) && number(high))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::run;

    #[test]
    fn reads_the_exact_forms() {
        assert_eq!(
            read_type("(integer (1–50))"),
            Some(json!({"type": "integer", "format": "int64"}))
        );
        assert_eq!(
            read_type("(integer (≥1))"),
            Some(json!({"type": "integer", "format": "int64"}))
        );
        assert_eq!(
            read_type("(integer (1-100))"),
            Some(json!({"type": "integer", "format": "int64"}))
        );
        assert_eq!(
            read_type("(number (1–100))"),
            Some(json!({"type": "number"}))
        );
        assert_eq!(
            read_type("(\"7d\" | \"30d\" | \"90d\")"),
            Some(json!({"type": "string", "enum": ["7d", "30d", "90d"]}))
        );
        assert_eq!(
            read_type("(string (ISO 8601))"),
            Some(json!({"type": "string", "format": "date-time"}))
        );
        for left_alone in [
            "(string (ISO 8601 date))",
            "(string)",
            "(string (E.164))",
            "(\"1\")",
            "integer",
            "(integer (many))",
            "Page size",
        ] {
            assert_eq!(read_type(left_alone), None, "{left_alone}");
        }
    }

    #[test]
    fn types_parameters_only() {
        let mut doc = json!({"paths": {"/v1/x/{id}/logs": {"get": {
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "string", "description": "(integer (1–50))"}},
                {"name": "period", "in": "query", "schema": {"type": "string", "description": "(\"7d\" | \"30d\")"}},
                {"name": "since", "in": "query", "schema": {"type": "string", "description": "(string (ISO 8601))"}}
            ],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "n": {"type": "string", "description": "(integer (1–5))"}
            }}}}}
        }}}});
        let notes = run(&DESCRIPTION_TYPED_PARAMETERS, &mut doc);
        let parameters = &doc["paths"]["/v1/x/{id}/logs"]["get"]["parameters"];
        assert_eq!(
            parameters[0]["schema"],
            json!({"type": "integer", "format": "int64", "description": "(integer (1–50))"})
        );
        assert_eq!(parameters[1]["schema"]["enum"], json!(["7d", "30d"]));
        assert_eq!(
            parameters[2]["schema"],
            json!({"type": "string", "format": "date-time", "description": "(string (ISO 8601))"})
        );
        assert_eq!(
            doc["paths"]["/v1/x/{id}/logs"]["get"]["requestBody"]["content"]["application/json"]["schema"]
                ["properties"]["n"]["type"],
            "string"
        );
        assert_eq!(notes.len(), 3);

        // Upstream's own format wins: the rule leaves a typed parameter alone.
        let mut doc = json!({"paths": {"/v1/x": {"get": {"parameters": [
            {"name": "since", "in": "query", "schema": {"type": "string", "format": "date", "description": "(string (ISO 8601))"}}
        ]}}}});
        assert!(run(&DESCRIPTION_TYPED_PARAMETERS, &mut doc).is_empty());
        assert_eq!(
            doc["paths"]["/v1/x"]["get"]["parameters"][0]["schema"]["format"],
            "date"
        );
    }
}
