//! Examples: make them agree with declared types, and infer schemas from them where
//! upstream gives nothing else.

use serde_json::{Map, Number, Value};

use super::{Notes, Rule, for_each_media_type, for_each_schema, is_json_media_type};
use crate::error::{Result, SpecError};

/// Upstream quotes scalar examples (`example: 'false'` on a `type: boolean`). A string
/// `example` or `default` on a `boolean`, `integer` or `number` schema is converted when it
/// parses as that type and dropped otherwise; the declared type always wins. `enum` values
/// are converted the same way, and one that does not parse is an error (dropping an allowed
/// value would change the type).
pub const EXAMPLE_TYPES: Rule = Rule {
    name: "example_types",
    summary: "make string examples/defaults/enum values agree with a declared scalar type",
    apply: |doc, notes| for_each_schema(doc, |schema, at| example_types(schema, at, notes)),
};

fn example_types(schema: &mut Map<String, Value>, at: &str, notes: &mut Notes) -> Result<()> {
    let Some(declared) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Ok(());
    };
    if !matches!(declared.as_str(), "boolean" | "integer" | "number") {
        return Ok(());
    }
    for keyword in ["example", "default"] {
        let Some(Value::String(text)) = schema.get(keyword).cloned() else {
            continue;
        };
        match parse_scalar(&text, &declared) {
            Some(value) => {
                notes.add(
                    at,
                    format!("{keyword} \"{text}\" -> {value} (declared {declared})"),
                );
                schema.insert(keyword.to_owned(), value);
            }
            None => {
                notes.add(
                    at,
                    format!("dropped {keyword} \"{text}\": not a {declared}"),
                );
                schema.remove(keyword);
            }
        }
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        for (index, value) in values.iter_mut().enumerate() {
            if let Value::String(text) = value {
                *value = parse_scalar(text, &declared).ok_or_else(|| {
                    SpecError::invalid(
                        format!("{at}/enum/{index}"),
                        format!("enum value \"{text}\" is not a {declared}"),
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// Parses `text` as a JSON scalar of the declared type.
fn parse_scalar(text: &str, declared: &str) -> Option<Value> {
    let text = text.trim();
    match declared {
        "boolean" => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => {
            if let Ok(integer) = text.parse::<i64>() {
                return Some(Value::from(integer));
            }
            text.parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
        }
        _ => None,
    }
}

/// Most upstream success responses carry only an `example`. Each JSON media type with an
/// example (or the first of its `examples`) gets a schema inferred from it: scalars by their
/// JSON type, arrays from the union of their items, objects from their members, every
/// member optional (one sample says nothing about optionality). When a schema is declared
/// it wins: inference only adds what is missing (a `type`, members the example shows). A
/// JSON media type with neither schema nor example is arbitrary JSON (`{}`). A declared map
/// (`additionalProperties`) gets no members from the example's keys.
pub const INFER_SCHEMAS: Rule = Rule {
    name: "infer_schemas",
    summary: "infer a schema from the example of JSON media types that lack one",
    apply: |doc, notes| infer_schemas(doc, notes).map(drop),
};

/// What [`INFER_SCHEMAS`] does; returns the pointers of the schemas it inferred from an
/// example alone (where upstream declared none).
pub(super) fn infer_schemas(doc: &mut Value, notes: &mut Notes) -> Result<Vec<String>> {
    let mut example_only = Vec::new();
    for_each_media_type(doc, |media_type, object, at| {
        if !is_json_media_type(media_type) {
            return Ok(());
        }
        let example = object
            .get("example")
            .cloned()
            .or_else(|| first_example(object));
        match (object.get_mut("schema"), example) {
            (None, Some(example)) => {
                object.insert("schema".to_owned(), infer(&example));
                notes.add(at, "schema inferred from the example");
                example_only.push(crate::pointer::join(at, "schema"));
            }
            (None, None) => {
                object.insert("schema".to_owned(), Value::Object(Map::new()));
                notes.add(at, "no schema and no example: typed as arbitrary JSON");
            }
            (Some(schema), Some(example)) => {
                if fill_from(schema, &infer(&example)) {
                    notes.add(at, "declared schema completed from the example");
                }
            }
            (Some(_), None) => {}
        }
        Ok(())
    })?;
    Ok(example_only)
}

/// The schema `infer_schemas` gives one JSON media type object: the declared schema
/// completed from the example, or the schema inferred from the example alone; `None` with
/// neither.
pub(crate) fn media_schema(object: &Map<String, Value>) -> Option<Value> {
    let example = object
        .get("example")
        .cloned()
        .or_else(|| first_example(object));
    match (object.get("schema").cloned(), example) {
        (Some(mut schema), Some(example)) => {
            fill_from(&mut schema, &infer(&example));
            Some(schema)
        }
        (Some(schema), None) => Some(schema),
        (None, Some(example)) => Some(infer(&example)),
        (None, None) => None,
    }
}

/// The `value` of the first entry of a media type's `examples` map.
fn first_example(object: &Map<String, Value>) -> Option<Value> {
    object
        .get("examples")?
        .as_object()?
        .values()
        .next()?
        .get("value")
        .cloned()
}

/// The schema one example value implies.
pub fn infer(example: &Value) -> Value {
    let mut schema = Map::new();
    match example {
        Value::Null => {
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
        Value::Bool(_) => {
            schema.insert("type".to_owned(), "boolean".into());
        }
        Value::Number(number) => {
            let name = if number.is_f64() { "number" } else { "integer" };
            schema.insert("type".to_owned(), name.into());
        }
        Value::String(_) => {
            schema.insert("type".to_owned(), "string".into());
        }
        Value::Array(items) => {
            schema.insert("type".to_owned(), "array".into());
            let items = items
                .iter()
                .map(infer)
                .reduce(|a, b| union(&a, &b))
                .unwrap_or_else(|| Value::Object(Map::new()));
            schema.insert("items".to_owned(), items);
        }
        Value::Object(members) => {
            schema.insert("type".to_owned(), "object".into());
            if !members.is_empty() {
                let properties = members
                    .iter()
                    .map(|(name, value)| (name.clone(), infer(value)))
                    .collect::<Map<_, _>>();
                schema.insert("properties".to_owned(), Value::Object(properties));
            }
        }
    }
    Value::Object(schema)
}

/// The least schema that accepts what either inferred schema accepts.
fn union(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let type_of = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
    let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
    let mut out = match (type_of(a), type_of(b)) {
        (None, _) if nullable(a) => b.clone(),
        (_, None) if nullable(b) => a.clone(),
        (Some(x), Some(y)) if x == y && x == "object" => {
            let mut merged = a.clone();
            let empty = Map::new();
            let b_props = b
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            if !b_props.is_empty() {
                let props = merged.as_object_mut().map(|m| {
                    m.entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()))
                });
                if let Some(Value::Object(props)) = props {
                    for (name, schema) in b_props {
                        let combined = match props.get(name) {
                            Some(existing) => union(existing, schema),
                            None => schema.clone(),
                        };
                        props.insert(name.clone(), combined);
                    }
                }
            }
            merged
        }
        (Some(x), Some(y)) if x == y && x == "array" => {
            let items = union(&a["items"], &b["items"]);
            serde_json::json!({"type": "array", "items": items})
        }
        (Some(x), Some(y)) if x == y => a.clone(),
        (Some(x), Some(y)) if is_numeric(&x) && is_numeric(&y) => {
            serde_json::json!({"type": "number"})
        }
        // Different kinds of value: nothing narrower than any JSON value is true.
        _ => Value::Object(Map::new()),
    };
    if (nullable(a) || nullable(b))
        && let Some(map) = out.as_object_mut()
        && !map.is_empty()
    {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    out
}

fn is_numeric(name: &str) -> bool {
    name == "integer" || name == "number"
}

/// Adds to `declared` what `inferred` knows and `declared` does not say. Declared keywords
/// are never replaced. Returns whether anything was added.
fn fill_from(declared: &mut Value, inferred: &Value) -> bool {
    let Some(declared) = declared.as_object_mut() else {
        return false;
    };
    if declared.contains_key("$ref")
        || ["anyOf", "oneOf", "allOf"]
            .iter()
            .any(|k| declared.contains_key(*k))
    {
        return false;
    }
    let mut changed = false;
    let inferred_type = inferred.get("type").and_then(Value::as_str);
    match declared.get("type").and_then(Value::as_str) {
        None => {
            if let Some(name) = inferred_type {
                declared.insert("type".to_owned(), name.into());
                changed = true;
            }
        }
        Some(name) if Some(name) != inferred_type => return changed,
        Some(_) => {}
    }
    match declared.get("type").and_then(Value::as_str) {
        // A map (`additionalProperties` given): the example's keys are entries, not members.
        Some("object")
            if declared
                .get("additionalProperties")
                .is_some_and(|a| a != &Value::Bool(false)) => {}
        Some("object") => {
            let Some(Value::Object(inferred_props)) = inferred.get("properties") else {
                return changed;
            };
            let props = declared
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(props) = props {
                for (name, schema) in inferred_props {
                    match props.get_mut(name) {
                        Some(existing) => changed |= fill_from(existing, schema),
                        None => {
                            props.insert(name.clone(), schema.clone());
                            changed = true;
                        }
                    }
                }
            }
        }
        Some("array") => {
            if let Some(inferred_items) = inferred.get("items") {
                match declared.get_mut("items") {
                    Some(items) => changed |= fill_from(items, inferred_items),
                    None => {
                        declared.insert("items".to_owned(), inferred_items.clone());
                        changed = true;
                    }
                }
            }
        }
        _ => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::{fail, one_operation, run};
    use serde_json::json;

    #[test]
    fn string_example_never_overrides_a_declared_boolean() {
        let mut doc = json!({"components": {"schemas": {"S": {"type": "object", "properties": {
            "sendViaWhatsApp": {"type": "boolean", "example": "false"},
            "linkToApiKey": {"type": "boolean", "example": "tr"},
            "quantity": {"type": "number", "example": "1", "default": "2.5"},
            "name": {"type": "string", "example": "false"}
        }}}}});
        let notes = run(&EXAMPLE_TYPES, &mut doc);
        let props = &doc["components"]["schemas"]["S"]["properties"];
        assert_eq!(
            props["sendViaWhatsApp"],
            json!({"type": "boolean", "example": false})
        );
        assert_eq!(props["linkToApiKey"], json!({"type": "boolean"}));
        assert_eq!(
            props["quantity"],
            json!({"type": "number", "example": 1, "default": 2.5})
        );
        assert_eq!(props["name"], json!({"type": "string", "example": "false"}));
        assert_eq!(notes.len(), 4);
    }

    #[test]
    fn enum_values_that_do_not_parse_are_refused() {
        let mut doc =
            json!({"components": {"schemas": {"S": {"type": "integer", "enum": ["1", "x"]}}}});
        let message = fail(&EXAMPLE_TYPES, &mut doc);
        assert!(
            message.starts_with("/components/schemas/S/enum/1"),
            "{message}"
        );
    }

    #[test]
    fn infers_a_typed_object_from_an_example_only_response() {
        let mut doc = one_operation(
            json!({"responses": {"201": {"description": "ok", "content": {
                "application/json": {"example": {
                    "provider": "PILOT_STATUS", "remotePairingToken": "rp_1", "count": 3,
                    "ratio": 0.5, "ok": true, "logoUrl": null,
                    "items": [{"a": 1}, {"b": "x", "a": 2.5}], "meta": {}
                }}
            }}}}),
        );
        run(&INFER_SCHEMAS, &mut doc);
        assert_eq!(
            doc["paths"]["/v1/x"]["post"]["responses"]["201"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {
                "provider": {"type": "string"},
                "remotePairingToken": {"type": "string"},
                "count": {"type": "integer"},
                "ratio": {"type": "number"},
                "ok": {"type": "boolean"},
                "logoUrl": {"nullable": true},
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "a": {"type": "number"}, "b": {"type": "string"}
                }}},
                "meta": {"type": "object"}
            }})
        );
    }

    #[test]
    fn declared_types_win_and_missing_members_are_added() {
        let mut doc = one_operation(
            json!({"responses": {"200": {"description": "ok", "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["QUEUED"]},
                               "count": {"type": "string"}}},
                    "example": {"status": "QUEUED", "count": 3, "id": "msg_1"}
                }
            }}}}),
        );
        run(&INFER_SCHEMAS, &mut doc);
        assert_eq!(
            doc["paths"]["/v1/x"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {
                "status": {"type": "string", "enum": ["QUEUED"]},
                "count": {"type": "string"},
                "id": {"type": "string"}
            }})
        );
    }

    #[test]
    fn example_keys_of_a_declared_map_stay_entries() {
        let mut doc = one_operation(json!({"requestBody": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"examples": {
                "type": "object", "additionalProperties": {"type": "string"}
            }}},
            "example": {"examples": {"nome": "Ana", "desconto": "10%"}, "name": "promo"}
        }}}, "responses": {}}));
        run(&INFER_SCHEMAS, &mut doc);
        assert_eq!(
            doc["paths"]["/v1/x"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {
                "examples": {"type": "object", "additionalProperties": {"type": "string"}},
                "name": {"type": "string"}
            }})
        );
    }

    #[test]
    fn uses_the_first_named_example_and_leaves_binary_media_alone() {
        let mut doc = one_operation(
            json!({"responses": {"200": {"description": "ok", "content": {
                "application/json": {"examples": {"first": {"value": [1, 2]}, "second": {"value": "x"}}},
                "audio/*": {}
            }}}}),
        );
        run(&INFER_SCHEMAS, &mut doc);
        let content = &doc["paths"]["/v1/x"]["post"]["responses"]["200"]["content"];
        assert_eq!(
            content["application/json"]["schema"],
            json!({"type": "array", "items": {"type": "integer"}})
        );
        assert_eq!(content["audio/*"], json!({}));
    }

    #[test]
    fn json_without_schema_or_example_is_arbitrary_json() {
        let mut doc = one_operation(
            json!({"responses": {"200": {"description": "ok", "content": {
                "application/json": {}
            }}}}),
        );
        run(&INFER_SCHEMAS, &mut doc);
        assert_eq!(
            doc["paths"]["/v1/x"]["post"]["responses"]["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
    }
}
