//! JSON instances of the normalised spec's schemas, and what the SDK's types make of them.

use serde_json::{Map, Value, json};

/// The member every object of a "future" instance gains: upstream added it after this SDK.
pub const FUTURE_MEMBER: &str = "futureField";
/// The value every enum of a "future" instance takes: a value this SDK does not know.
pub const FUTURE_VALUE: &str = "FUTURE_VALUE";

/// Builds instances of the schemas of one document.
pub struct Instances<'a> {
    document: &'a Value,
    /// Adds [`FUTURE_MEMBER`] to every object with members and gives every enum
    /// [`FUTURE_VALUE`].
    pub future: bool,
}

impl<'a> Instances<'a> {
    pub fn new(document: &'a Value) -> Self {
        Self {
            document,
            future: false,
        }
    }

    /// Follows `$ref`s and the single-`allOf` wrapper of a nullable or described reference to
    /// the schema itself.
    pub fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..16 {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                let pointer = reference.trim_start_matches('#');
                schema = self
                    .document
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("`{reference}` resolves"));
            } else if let Some([only]) = schema
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                schema = only;
            } else {
                return schema;
            }
        }
        panic!("a `$ref` chain longer than 16")
    }

    /// A maximal instance of `schema`: every member present, nullable members with a value,
    /// enums at their first value, one item per array and one entry per map; where `example`
    /// (the docs' example at the same place) has a non-null value, that value, and its members
    /// the schema does not document, as they are.
    pub fn maximal(&self, schema: &Value, example: Option<&Value>, member: &str) -> Value {
        let example = example.filter(|value| !value.is_null());
        let schema = self.resolve(schema);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            // Every enum is open: a value it does not know is `Unknown(String)`.
            if self.future {
                return json!(FUTURE_VALUE);
            }
            return example.cloned().unwrap_or_else(|| values[0].clone());
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let Some(given) = example.map(|e| e.as_object()) else {
                return self.object(schema, properties, &Map::new());
            };
            // An example of another kind than the schema is served as it is: decoding it is
            // the check.
            return match given {
                Some(given) => self.object(schema, properties, given),
                None => example.cloned().unwrap_or(Value::Null),
            };
        }
        match (schema_type(schema), example) {
            (Some("array"), Some(Value::Array(items))) if !items.is_empty() => Value::Array(
                items
                    .iter()
                    .map(|item| self.maximal(&schema["items"], Some(item), member))
                    .collect(),
            ),
            (Some("array"), None | Some(Value::Array(_))) => {
                json!([self.maximal(&schema["items"], None, member)])
            }
            (Some("object") | None, Some(Value::Object(given)))
                if schema.get("additionalProperties").is_some_and(is_typed_map) =>
            {
                let values = &schema["additionalProperties"];
                let map: Map<String, Value> = if given.is_empty() {
                    [("key".to_owned(), self.maximal(values, None, member))]
                        .into_iter()
                        .collect()
                } else {
                    given
                        .iter()
                        .map(|(k, v)| (k.clone(), self.maximal(values, Some(v), member)))
                        .collect()
                };
                Value::Object(map)
            }
            (Some("object") | None, None)
                if schema.get("additionalProperties").is_some_and(is_typed_map) =>
            {
                json!({"key": self.maximal(&schema["additionalProperties"], None, member)})
            }
            (Some("object"), Some(Value::Object(given))) if given.is_empty() => {
                json!({"anyKey": ["any", 1, true, null]})
            }
            (Some("object"), None) => json!({"anyKey": ["any", 1, true, null]}),
            (_, Some(given)) => given.clone(),
            // An instant (`Timestamp`) in the text the API writes, so it reads back the same.
            (Some("string"), None) if schema.get("format") == Some(&json!("date-time")) => {
                json!("2026-06-01T12:00:00.000Z")
            }
            (Some("string"), None) => json!(realistic_string(member)),
            (Some("integer"), None) => json!(7),
            (Some("number"), None) => json!(12.5),
            (Some("boolean"), None) => json!(true),
            (other, None) => panic!("no instance for a schema of type {other:?} at `{member}`"),
        }
    }

    fn object(
        &self,
        schema: &Value,
        properties: &Map<String, Value>,
        given: &Map<String, Value>,
    ) -> Value {
        let mut out = Map::new();
        for (name, member) in properties {
            out.insert(name.clone(), self.maximal(member, given.get(name), name));
        }
        for (name, value) in given {
            if !properties.contains_key(name) {
                out.insert(name.clone(), value.clone());
            }
        }
        if self.future && schema.get("additionalProperties") == Some(&json!({})) {
            out.insert(
                FUTURE_MEMBER.to_owned(),
                json!({"added": "later", "values": [1, 2.5, "three", null, {"deep": true}]}),
            );
        }
        Value::Object(out)
    }

    /// The required members of the object `schema` describes.
    pub fn required(&self, schema: &Value) -> Vec<String> {
        self.resolve(schema)
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What the SDK's types re-serialise `value` (a valid instance of `schema`) as: the same
    /// JSON, except that an optional member that is `null` (unless three-state), or an empty
    /// array or map where the member cannot be null, is left out (the generated types hold
    /// those as `None`, or as an empty `Vec` or map, and skip them).
    pub fn reserialised(&self, schema: &Value, value: &Value) -> Value {
        let resolved = self.resolve(schema);
        match value {
            Value::Object(given) => {
                let Some(properties) = resolved.get("properties").and_then(Value::as_object) else {
                    if let Some(values) = resolved
                        .get("additionalProperties")
                        .filter(|values| is_typed_map(values))
                    {
                        return Value::Object(
                            given
                                .iter()
                                .map(|(k, v)| (k.clone(), self.reserialised(values, v)))
                                .collect(),
                        );
                    }
                    return value.clone();
                };
                let required = self.required(resolved);
                let mut out = Map::new();
                for (name, member_value) in given {
                    let Some(member) = properties.get(name) else {
                        out.insert(name.clone(), member_value.clone());
                        continue;
                    };
                    let optional = !required.contains(name);
                    let three_state = member.get("x-pilot-three-state") == Some(&json!(true));
                    let nullable = member.get("nullable") == Some(&json!(true))
                        || self.resolve(member).get("nullable") == Some(&json!(true));
                    let empty = member_value.as_array().is_some_and(Vec::is_empty)
                        || (member_value.as_object().is_some_and(Map::is_empty)
                            && self.resolve(member).get("properties").is_none());
                    let skipped = optional
                        && !three_state
                        && (member_value.is_null() || (empty && !nullable));
                    if !skipped {
                        out.insert(name.clone(), self.reserialised(member, member_value));
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => match resolved.get("items") {
                Some(item) => Value::Array(
                    items
                        .iter()
                        .map(|value| self.reserialised(item, value))
                        .collect(),
                ),
                None => value.clone(),
            },
            _ => value.clone(),
        }
    }
}

fn schema_type(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

/// `additionalProperties` that types a map's values (not the lossless `{}`).
fn is_typed_map(values: &Value) -> bool {
    values.as_object().is_some_and(|values| !values.is_empty())
}

/// A plausible string for a member, by its name.
fn realistic_string(member: &str) -> String {
    let lower = member.to_ascii_lowercase();
    if ["At", "_at", "Until", "Since"]
        .iter()
        .any(|end| member.ends_with(end))
    {
        "2026-06-01T12:00:00.000Z".to_owned()
    } else if lower.ends_with("url") {
        format!("https://example.com/{member}")
    } else if lower.contains("email") {
        "ana@example.com".to_owned()
    } else if lower.ends_with("id") {
        format!("{member}_01HZX")
    } else {
        format!("{member} value")
    }
}

/// The places where `actual` differs from `expected`; numbers compare by value (`50` and
/// `50.0` are the same number).
pub fn differences(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(found) => differences(value, found, &format!("{at}/{key}"), out),
                    None => out.push(format!("{at}/{key} lost (was {value})")),
                }
            }
            for (key, value) in a {
                if !e.contains_key(key) {
                    out.push(format!("{at}/{key} added ({value})"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                differences(e, a, &format!("{at}/{index}"), out);
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{at}: served {e}, re-serialised {a}")),
    }
}
