//! What upstream documents for a model: the schemas at its places, merged into one.
//!
//! Places of one model may say different things (one example shows a member another lacks,
//! one page declares a value set another leaves open). The merge keeps every member any
//! place documents, requires what every place requires, lets a member be `null` where any
//! place says so, joins value sets, and widens `integer` and `number` to `number`. Places
//! that disagree otherwise (a string here, a boolean there) are reported and the first
//! place's type is kept.

use serde_json::{Map, Value};

use super::{Place, REF_PREFIX};

/// A model's shape as upstream documents it, before the table's differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamModel {
    /// The places found, as the table writes them.
    pub places: Vec<String>,
    /// Whether the client sends it (a request body or a parameter holds it).
    pub request: bool,
    /// Whether the client receives it (a response holds it).
    pub response: bool,
    /// The merged schema (examples left out; members that are other models are `$ref`s).
    pub schema: Value,
    /// What each place documents, as found there: `(place, schema)`, in the table's order.
    pub instances: Vec<(String, Value)>,
}

/// The merge of a model's places, and where they disagree.
pub(crate) struct Merged {
    pub model: UpstreamModel,
    pub disagreements: Vec<String>,
}

/// Merges the schemas found at a model's places (in the table's order).
pub(crate) fn merge(name: &str, instances: &[(&Place, Value)]) -> Merged {
    let mut disagreements = Vec::new();
    let mut schema = Value::Object(Map::new());
    let mut first: Option<&str> = None;
    let mut cleaned = Vec::new();
    for (place, found) in instances {
        let found = clean_root(found);
        cleaned.push((place.text.clone(), found.clone()));
        match first {
            None => {
                schema = found;
                first = Some(&place.text);
            }
            Some(first) => merge_into(
                &mut schema,
                &found,
                "",
                (first, &place.text),
                &mut disagreements,
            ),
        }
    }
    let disagreements = disagreements
        .into_iter()
        .map(|message| format!("the places of {name} disagree: {message}"))
        .collect();
    Merged {
        model: UpstreamModel {
            places: instances.iter().map(|(p, _)| p.text.clone()).collect(),
            request: instances.iter().any(|(p, _)| p.is_request()),
            response: instances.iter().any(|(p, _)| !p.is_request()),
            schema,
            instances: cleaned,
        },
        disagreements,
    }
}

/// The schema at a place without what belongs to the place rather than the model: its
/// nullability (the place's `$ref` keeps it), its description (the table's replaces it) and
/// examples at any depth.
fn clean_root(found: &Value) -> Value {
    let mut schema = found.clone();
    if let Some(object) = schema.as_object_mut() {
        object.remove("nullable");
        object.remove("description");
    }
    strip_examples(&mut schema);
    schema
}

/// Removes `example`/`examples` from a schema and the schemas inside it.
pub(crate) fn strip_examples(schema: &mut Value) {
    if let Some(object) = schema.as_object_mut() {
        object.remove("example");
        object.remove("examples");
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            properties.values_mut().for_each(strip_examples);
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = object.get_mut(key) {
                strip_examples(child);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(children)) = object.get_mut(key) {
                children.iter_mut().for_each(strip_examples);
            }
        }
    }
}

/// The model a schema refers to (`$ref`, or a one-element `allOf` around one).
pub(crate) fn model_ref(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .filter(|all| all.len() == 1)
                .and_then(|all| all[0].get("$ref"))
        })
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix(REF_PREFIX))
}

fn is_untyped(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        object
            .keys()
            .all(|key| matches!(key.as_str(), "description" | "nullable"))
    })
}

fn nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

fn set_nullable(schema: &mut Value) {
    if let Some(object) = schema.as_object_mut() {
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// Merges `other` (found at the place `places.1`) into `into` (from `places.0` on).
fn merge_into(
    into: &mut Value,
    other: &Value,
    path: &str,
    places: (&str, &str),
    out: &mut Vec<String>,
) {
    let at = if path.is_empty() {
        "the model".to_owned()
    } else {
        format!("`{}`", path.trim_start_matches('.'))
    };
    if is_untyped(other) {
        if nullable(other) {
            set_nullable(into);
        }
        return;
    }
    if is_untyped(into) {
        let was_nullable = nullable(into);
        *into = other.clone();
        if was_nullable {
            set_nullable(into);
        }
        return;
    }
    match (model_ref(into), model_ref(other)) {
        (Some(a), Some(b)) if a == b => {
            if nullable(other) && !nullable(into) {
                *into = super::reference_to(a, true);
            }
            return;
        }
        (None, None) => {}
        (a, b) => {
            let describe = |name: Option<&str>| match name {
                Some(name) => format!("model {name}"),
                None => "an inline schema".to_owned(),
            };
            out.push(format!(
                "{at} is {} at `{}` but {} at `{}` (the first is used)",
                describe(a),
                places.0,
                describe(b),
                places.1
            ));
            return;
        }
    }
    let (Some(into), Some(other)) = (into.as_object_mut(), other.as_object()) else {
        return;
    };
    let into_type = into.get("type").and_then(Value::as_str).map(str::to_owned);
    let other_type = other.get("type").and_then(Value::as_str);
    match (into_type.as_deref(), other_type) {
        (Some(a), Some(b)) if a == b => {}
        (Some("integer"), Some("number")) | (Some("number"), Some("integer")) => {
            into.insert("type".to_owned(), Value::from("number"));
            into.remove("format");
        }
        (None, Some(b)) => {
            into.insert("type".to_owned(), Value::from(b));
        }
        (_, None) => {}
        (Some(a), Some(b)) => {
            out.push(format!(
                "{at} is {a} at `{}` but {b} at `{}` (the first is used)",
                places.0, places.1
            ));
            return;
        }
    }
    if other.get("nullable") == Some(&Value::Bool(true)) {
        into.insert("nullable".to_owned(), Value::Bool(true));
    }
    if let Some(values) = other.get("enum").and_then(Value::as_array) {
        let joined = into
            .entry("enum")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(joined) = joined.as_array_mut() {
            for value in values {
                if !joined.contains(value) {
                    joined.push(value.clone());
                }
            }
        }
    }
    // Members: every member of any place; required where every place requires it.
    let required = |schema: &Map<String, Value>| -> Vec<Value> {
        schema
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let both: Vec<Value> = required(into)
        .into_iter()
        .filter(|name| required(other).contains(name))
        .collect();
    if both.is_empty() {
        into.remove("required");
    } else {
        into.insert("required".to_owned(), Value::Array(both));
    }
    if let Some(Value::Object(members)) = other.get("properties") {
        let known = into
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(known) = known.as_object_mut() {
            for (member, schema) in members {
                match known.get_mut(member) {
                    Some(existing) => {
                        merge_into(existing, schema, &format!("{path}.{member}"), places, out)
                    }
                    None => {
                        known.insert(member.clone(), schema.clone());
                    }
                }
            }
        }
    }
    for (key, step) in [("items", "[]"), ("additionalProperties", "{}")] {
        match (into.get_mut(key), other.get(key)) {
            (Some(mine), Some(theirs)) if mine.is_object() && theirs.is_object() => {
                merge_into(mine, theirs, &format!("{path}{step}"), places, out)
            }
            (None, Some(theirs)) => {
                into.insert(key.to_owned(), theirs.clone());
            }
            _ => {}
        }
    }
    // Anything else (format, description, bounds): the first place that says it.
    for (key, value) in other {
        let merged_above = matches!(
            key.as_str(),
            "type" | "nullable" | "enum" | "required" | "properties" | "items"
        ) || key == "additionalProperties";
        if !merged_above && !into.contains_key(key) {
            into.insert(key.clone(), value.clone());
        }
    }
}
