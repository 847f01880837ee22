//! The table's differences, applied to upstream's shape of a model.
//!
//! Each difference is checked as it is applied. One that upstream now states itself is
//! redundant; one that names a member upstream no longer has, or contradicts what upstream
//! now says, is not applied (upstream wins). Both are reported, naming the member, so the
//! table follows upstream instead of silently keeping an old shape.

use serde_json::{Map, Value};

use super::upstream::model_ref;
use super::{ALWAYS_SENT, Delta, MemberDelta};

/// Applies `delta` to `schema` (upstream's merged shape), pushing what no longer holds;
/// `table` names the table in messages (`models.yaml`).
pub(crate) fn apply(
    mut schema: Value,
    name: &str,
    delta: &Delta,
    table: &str,
    out: &mut Vec<String>,
) -> Value {
    if let Some(fill) = &delta.fill {
        let mut provided = Vec::new();
        fill_into(&mut schema, fill, "", &mut provided);
        report_fill(&provided, "`fill`", out);
    }
    if let Some(values) = &delta.values {
        set_values(&mut schema, values, "", out);
    }
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    let mut upstream_required: Vec<Value> = object
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let properties = object
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(properties) = properties.as_object_mut() else {
        return schema;
    };
    let mut gone: Vec<&str> = Vec::new();
    for (member, member_delta) in &delta.members {
        match (properties.get_mut(member), &member_delta.add) {
            (Some(found), Some(_)) => {
                out.push(format!(
                    "upstream now documents `{member}` ({}): the table's `add` is not used, \
                     upstream's shape is: review",
                    shape_text(found)
                ));
                apply_member(found, member, member_delta, out);
            }
            (Some(found), None) => apply_member(found, member, member_delta, out),
            (None, Some(added)) => {
                let mut added = added.clone();
                apply_member(&mut added, member, member_delta, out);
                properties.insert(member.clone(), added);
            }
            (None, None) => gone.push(member),
        }
    }
    for member in delta.instants.keys() {
        match properties.get_mut(member) {
            None => gone.push(member),
            Some(found) => make_instant(found, member, out),
        }
    }
    for member in &delta.required {
        if !properties.contains_key(member) {
            gone.push(member);
        } else if upstream_required.contains(&Value::from(member.as_str())) {
            out.push(format!(
                "upstream now requires `{member}` itself: remove it from `required`"
            ));
        } else {
            upstream_required.push(Value::from(member.as_str()));
        }
    }
    for member in &delta.nullable {
        match properties.get_mut(member) {
            None => gone.push(member),
            Some(found) if found.get("nullable") == Some(&Value::Bool(true)) => out.push(format!(
                "upstream now documents `{member}` as nullable itself: remove it from `nullable`"
            )),
            Some(found) => {
                if let Some(found) = found.as_object_mut() {
                    found.insert("nullable".to_owned(), Value::Bool(true));
                }
            }
        }
    }
    gone.sort_unstable();
    gone.dedup();
    for member in gone {
        out.push(format!(
            "upstream removed `{member}` from {name} (no place documents it); {table} still \
             declares it: review"
        ));
    }
    for member in properties.values_mut() {
        wrap_reference(member);
    }
    if properties.is_empty() {
        object.remove("properties");
    }
    if upstream_required.is_empty() {
        object.remove("required");
    } else {
        object.insert("required".to_owned(), Value::Array(upstream_required));
    }
    schema
}

fn apply_member(found: &mut Value, member: &str, delta: &MemberDelta, out: &mut Vec<String>) {
    if let Some((from, to)) = &delta.retype {
        let now = found
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("untyped");
        if now == from {
            if let Some(object) = found.as_object_mut() {
                object.insert("type".to_owned(), Value::from(to.as_str()));
                object.remove("format");
            }
        } else if now == to {
            out.push(format!(
                "upstream now types `{member}` as {to} itself: remove its `retype`"
            ));
        } else {
            out.push(format!(
                "upstream retyped `{member}` from {from} to {now}; the table's `retype` ({from} \
                 -> {to}) is not applied: review"
            ));
        }
    }
    if let Some(fill) = &delta.fill {
        let mut provided = Vec::new();
        fill_into(found, fill, "", &mut provided);
        report_fill(&provided, &format!("the `fill` of `{member}`"), out);
    }
    if let Some(values) = &delta.values {
        set_values(found, values, member, out);
    }
    if let Some(object) = found.as_object_mut() {
        if let Some(description) = &delta.description {
            object.insert("description".to_owned(), Value::from(description.as_str()));
        }
        if delta.always_sent {
            object.insert(ALWAYS_SENT.to_owned(), Value::Bool(true));
        }
    }
}

/// The format of an instant: RFC 3339 text, which the generator makes a
/// `pilot_status::Timestamp`.
pub const INSTANT_FORMAT: &str = "date-time";

/// Makes a string member an instant (`format: date-time`), unless upstream already says so
/// (redundant) or types it otherwise (not applied: upstream wins).
fn make_instant(found: &mut Value, member: &str, out: &mut Vec<String>) {
    let kind = found.get("type").and_then(Value::as_str);
    let format = found.get("format").and_then(Value::as_str);
    match (kind, format) {
        (Some("string"), Some(INSTANT_FORMAT)) => out.push(format!(
            "upstream now documents `{member}` as an instant (format: date-time) itself: \
             remove it from `instants`"
        )),
        (Some("string"), None) if found.get("enum").is_none() => {
            if let Some(object) = found.as_object_mut() {
                object.insert("format".to_owned(), Value::from(INSTANT_FORMAT));
            }
        }
        _ => out.push(format!(
            "upstream types `{member}` as {}; the table's `instants` does not apply: review",
            shape_text(found)
        )),
    }
}

/// Declares a value set where upstream has none.
fn set_values(schema: &mut Value, values: &[Value], member: &str, out: &mut Vec<String>) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let whose = if member.is_empty() {
        String::new()
    } else {
        format!(" of `{member}`")
    };
    match object.get("enum").and_then(Value::as_array) {
        Some(upstream) if upstream.as_slice() == values => out.push(format!(
            "upstream now declares the values{whose} itself: remove its `values`"
        )),
        Some(upstream) => out.push(format!(
            "upstream now declares the values{whose} as {}; the table's {} are not used: review",
            list(upstream),
            list(values)
        )),
        None => {
            object.insert("enum".to_owned(), Value::Array(values.to_vec()));
        }
    }
}

fn list(values: &[Value]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// Adds what `fill` says and `target` does not; records, per keyword upstream already
/// states, whether it says the same.
fn fill_into(target: &mut Value, fill: &Value, path: &str, provided: &mut Vec<(String, bool)>) {
    let (Some(target), Some(fill)) = (target.as_object_mut(), fill.as_object()) else {
        return;
    };
    for (key, value) in fill {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match target.get_mut(key) {
            None => {
                target.insert(key.clone(), value.clone());
            }
            Some(existing) if existing.is_object() && value.is_object() => {
                fill_into(existing, value, &here, provided)
            }
            Some(Value::Array(existing)) if key == "required" => {
                for name in value.as_array().into_iter().flatten() {
                    if existing.contains(name) {
                        provided.push((format!("{here} {name}"), true));
                    } else {
                        existing.push(name.clone());
                    }
                }
            }
            Some(existing) => provided.push((here, existing == value)),
        }
    }
}

fn report_fill(provided: &[(String, bool)], what: &str, out: &mut Vec<String>) {
    if provided.is_empty() {
        return;
    }
    let named = |same: bool| -> Vec<String> {
        provided
            .iter()
            .filter(|(_, s)| *s == same)
            .map(|(key, _)| format!("`{key}`"))
            .collect()
    };
    let (same, different) = (named(true), named(false));
    if !different.is_empty() {
        out.push(format!(
            "upstream now documents {} differently from {what}: upstream's is used: review",
            different.join(", ")
        ));
    }
    if !same.is_empty() {
        out.push(format!(
            "upstream now documents {} as {what} does: remove them from it",
            same.join(", ")
        ));
    }
}

/// A `$ref` with siblings (a description, `nullable`) becomes `allOf: [$ref]` beside them:
/// OpenAPI 3.0 ignores the siblings of a `$ref`.
fn wrap_reference(member: &mut Value) {
    let Some(object) = member.as_object_mut() else {
        return;
    };
    if object.len() > 1
        && let Some(reference) = object.remove("$ref")
    {
        let mut inner = Map::new();
        inner.insert("$ref".to_owned(), reference);
        object.insert("allOf".to_owned(), Value::Array(vec![Value::Object(inner)]));
    }
}

/// A member's shape in a few words: `string`, `array of string`, `model Branding`,
/// `string, one of [a, b]`, `nullable integer`.
pub fn shape_text(schema: &Value) -> String {
    let nullable = if schema.get("nullable") == Some(&Value::Bool(true)) {
        "nullable "
    } else {
        ""
    };
    if let Some(model) = model_ref(schema) {
        return format!("{nullable}model {model}");
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let mut text = match kind {
        Some("array") => format!(
            "array of {}",
            schema
                .get("items")
                .map(shape_text)
                .unwrap_or_else(|| "anything".to_owned())
        ),
        Some("object") => match schema.get("additionalProperties") {
            Some(values) if values.is_object() && schema.get("properties").is_none() => {
                format!("map of {}", shape_text(values))
            }
            _ => "object".to_owned(),
        },
        Some(other) => other.to_owned(),
        None if schema.get("properties").is_some() => "object".to_owned(),
        None => "untyped".to_owned(),
    };
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        text = format!("{text} ({format})");
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        text = format!("{text}, one of {}", list(values));
    }
    format!("{nullable}{text}")
}
