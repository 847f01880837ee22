//! Schema-level translations from JSON Schema 2020-12 (OpenAPI 3.1) to OpenAPI 3.0.

use serde_json::{Map, Value, json};

use super::{Notes, Rule, for_each_schema};
use crate::error::{Result, SpecError};

/// The type names OpenAPI 3.0 knows.
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// `type: [X, "null"]` becomes `type: X, nullable: true`; several non-null types become an
/// `anyOf` with one branch per type, each keeping the keywords that apply to it. An unknown
/// type name is an error here, naming the schema, rather than an opaque deserializer error
/// later.
pub const TYPE_ARRAYS: Rule = Rule {
    name: "type_arrays",
    summary: "translate `type: [..]` lists into `nullable`/`anyOf`; reject unknown type names",
    apply: |doc, notes| for_each_schema(doc, |schema, at| type_arrays(schema, at, notes)),
};

fn type_arrays(schema: &mut Map<String, Value>, at: &str, notes: &mut Notes) -> Result<()> {
    let types = match schema.get("type") {
        None => return Ok(()),
        Some(Value::String(name)) => {
            return check_type_name(name, at);
        }
        Some(Value::Array(types)) => types.clone(),
        Some(other) => {
            return Err(SpecError::invalid(
                format!("{at}/type"),
                format!("schema `type` must be a string or a list of strings, found {other}"),
            ));
        }
    };
    let mut names = Vec::new();
    let mut nullable = false;
    for value in &types {
        match value.as_str() {
            Some("null") => nullable = true,
            Some(name) => {
                check_type_name(name, at)?;
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            None => {
                return Err(SpecError::invalid(
                    format!("{at}/type"),
                    format!("schema `type` list holds a non-string {value}"),
                ));
            }
        }
    }
    schema.remove("type");
    if nullable {
        schema.insert("nullable".to_owned(), Value::Bool(true));
    }
    match names.as_slice() {
        [] => {
            return Err(SpecError::invalid(
                format!("{at}/type"),
                "`type: [\"null\"]` (only null) cannot be expressed in OpenAPI 3.0; \
                 correct it with an overlay",
            ));
        }
        [single] => {
            schema.insert("type".to_owned(), Value::String((*single).to_owned()));
        }
        several => {
            if schema.contains_key("anyOf") {
                return Err(SpecError::invalid(
                    format!("{at}/type"),
                    "a list of types next to `anyOf` cannot be translated without \
                     changing its meaning; correct it with an overlay",
                ));
            }
            let branches = several
                .iter()
                .map(|name| branch_for(name, schema))
                .collect::<Vec<_>>();
            for keywords in [
                OBJECT_KEYWORDS,
                ARRAY_KEYWORDS,
                STRING_KEYWORDS,
                NUMBER_KEYWORDS,
            ] {
                for keyword in keywords {
                    schema.remove(*keyword);
                }
            }
            if schema
                .get("format")
                .is_some_and(|f| !format_applies_to_all(f, several))
            {
                schema.remove("format");
            }
            schema.insert("anyOf".to_owned(), Value::Array(branches));
        }
    }
    notes.add(at, format!("type {} -> 3.0 form", Value::Array(types)));
    Ok(())
}

fn check_type_name(name: &str, at: &str) -> Result<()> {
    if TYPES.contains(&name) {
        Ok(())
    } else {
        Err(SpecError::invalid(
            format!("{at}/type"),
            format!(
                "unknown schema type \"{name}\" (expected one of {})",
                TYPES.join(", ")
            ),
        ))
    }
}

const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// The type family a `format` value belongs to.
fn format_family(format: &Value) -> &'static str {
    match format.as_str() {
        Some("int32" | "int64") => "integer",
        Some("float" | "double") => "number",
        _ => "string",
    }
}

fn format_applies_to_all(format: &Value, names: &[&str]) -> bool {
    names.iter().all(|name| *name == format_family(format))
}

/// One `anyOf` branch: the type and the keywords of the parent that apply to it.
fn branch_for(name: &str, parent: &Map<String, Value>) -> Value {
    let keywords: &[&str] = match name {
        "object" => OBJECT_KEYWORDS,
        "array" => ARRAY_KEYWORDS,
        "string" => STRING_KEYWORDS,
        "number" | "integer" => NUMBER_KEYWORDS,
        _ => &[],
    };
    let mut branch = Map::new();
    branch.insert("type".to_owned(), Value::String(name.to_owned()));
    for keyword in keywords {
        if let Some(value) = parent.get(*keyword) {
            branch.insert((*keyword).to_owned(), value.clone());
        }
    }
    if let Some(format) = parent.get("format")
        && format_family(format) == name
    {
        branch.insert("format".to_owned(), format.clone());
    }
    Value::Object(branch)
}

/// JSON Schema's `examples: [a, b]` becomes OpenAPI 3.0's `example: a` (the first one),
/// unless the schema already has an `example`. Only Schema Objects are touched: the
/// `examples` map of parameters and media types is valid 3.0.
pub const SCHEMA_EXAMPLES: Rule = Rule {
    name: "schema_examples",
    summary: "turn a schema's `examples` list into a single `example`",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            if let Some(Value::Array(examples)) = schema.get("examples") {
                let first = examples.first().cloned();
                schema.remove("examples");
                if let Some(first) = first
                    && !schema.contains_key("example")
                {
                    schema.insert("example".to_owned(), first);
                }
                notes.add(at, "`examples` list -> `example`");
            }
            Ok(())
        })
    },
};

/// `const: v` becomes `enum: [v]` (with `nullable: true` when `v` is null). A `const` that
/// contradicts an `enum` beside it is an error.
pub const CONST_TO_ENUM: Rule = Rule {
    name: "const_to_enum",
    summary: "turn `const: v` into `enum: [v]`",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            let Some(value) = schema.remove("const") else {
                return Ok(());
            };
            if let Some(Value::Array(existing)) = schema.get("enum")
                && !existing.contains(&value)
            {
                return Err(SpecError::invalid(
                    format!("{at}/const"),
                    format!("`const: {value}` is not among the values of the `enum` beside it"),
                ));
            }
            if value.is_null() {
                schema.insert("nullable".to_owned(), Value::Bool(true));
            }
            schema.insert("enum".to_owned(), json!([value]));
            notes.add(at, "`const` -> single-value `enum`");
            Ok(())
        })
    },
};

/// JSON Schema's numeric `exclusiveMinimum: n` becomes 3.0's `minimum: n,
/// exclusiveMinimum: true` (same for the maximum). A bound that would clash with a
/// `minimum`/`maximum` already present keeps the stricter of the two.
pub const EXCLUSIVE_BOUNDS: Rule = Rule {
    name: "exclusive_bounds",
    summary: "turn numeric `exclusiveMinimum`/`exclusiveMaximum` into the 3.0 boolean form",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            for (exclusive, inclusive, stricter) in [
                ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
                ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
            ] {
                let Some(Value::Number(bound)) = schema.get(exclusive).cloned() else {
                    continue;
                };
                let bound_f = bound.as_f64().unwrap_or_default();
                let keep_inclusive = schema
                    .get(inclusive)
                    .and_then(Value::as_f64)
                    .is_some_and(|existing| existing.partial_cmp(&bound_f) == Some(stricter));
                if keep_inclusive {
                    schema.remove(exclusive);
                } else {
                    schema.insert(inclusive.to_owned(), Value::Number(bound));
                    schema.insert(exclusive.to_owned(), Value::Bool(true));
                }
                notes.add(at, format!("numeric `{exclusive}` -> 3.0 form"));
            }
            Ok(())
        })
    },
};

/// `contentEncoding: base64` becomes `format: byte`; a `contentMediaType` that is not text
/// (and has no encoding) becomes `format: binary`. Both keywords are then dropped.
pub const CONTENT_ENCODING: Rule = Rule {
    name: "content_encoding",
    summary: "turn `contentEncoding`/`contentMediaType` into `format: byte|binary`",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            let encoding = schema.remove("contentEncoding");
            let media_type = schema.remove("contentMediaType");
            if encoding.is_none() && media_type.is_none() {
                return Ok(());
            }
            let format = match (&encoding, &media_type) {
                (Some(Value::String(encoding)), _) if encoding.eq_ignore_ascii_case("base64") => {
                    Some("byte")
                }
                (None, Some(Value::String(media))) if !media.starts_with("text/") => Some("binary"),
                _ => None,
            };
            if let Some(format) = format
                && !schema.contains_key("format")
            {
                schema.insert("format".to_owned(), Value::String(format.to_owned()));
            }
            notes.add(at, "`contentEncoding`/`contentMediaType` -> `format`");
            Ok(())
        })
    },
};

/// Keywords that only annotate or identify a schema: dropping them changes nothing.
const DROPPABLE: [&str; 5] = ["$schema", "$id", "$comment", "$anchor", "$dynamicAnchor"];
/// JSON Schema keywords with no OpenAPI 3.0 equivalent: dropping them would loosen or
/// change the type, so they are refused.
const UNTRANSLATABLE: [&str; 14] = [
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$dynamicRef",
];

/// Drops identification and comment keywords; refuses the JSON Schema keywords that
/// OpenAPI 3.0 cannot express (a person decides, with an overlay), and `$defs`, whose local
/// references the generator cannot resolve.
pub const JSON_SCHEMA_KEYWORDS: Rule = Rule {
    name: "json_schema_keywords",
    summary: "drop `$id`/`$comment`-style annotations; refuse keywords 3.0 cannot express",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            for keyword in DROPPABLE {
                if schema.remove(keyword).is_some() {
                    notes.add(at, format!("dropped annotation `{keyword}`"));
                }
            }
            for keyword in UNTRANSLATABLE.iter().chain(&["$defs"]) {
                if schema.contains_key(*keyword) {
                    return Err(SpecError::invalid(
                        format!("{at}/{keyword}"),
                        format!(
                            "JSON Schema keyword `{keyword}` has no OpenAPI 3.0 equivalent; \
                             dropping it would change the type, so correct it with an overlay"
                        ),
                    ));
                }
            }
            Ok(())
        })
    },
};

/// A string's `minLength`/`maxLength` become a sentence of its description. typify would
/// make every bounded string its own newtype (`LeadFormConfigInputFormName`, built with
/// `try_from`), which no caller wants for a display name; the bound stays in the rustdoc.
pub const STRING_LENGTH_BOUNDS: Rule = Rule {
    name: "string_length_bounds",
    summary: "a string's `minLength`/`maxLength` become a sentence of its description",
    apply: |doc, notes| {
        for_each_schema(doc, |schema, at| {
            if schema.get("type").and_then(Value::as_str) != Some("string") {
                return Ok(());
            }
            let bound =
                |schema: &Map<String, Value>, key: &str| schema.get(key).and_then(Value::as_u64);
            let sentence = match (bound(schema, "minLength"), bound(schema, "maxLength")) {
                (Some(min), Some(max)) => format!("From {min} to {max} characters."),
                (Some(min), None) => format!("At least {min} characters."),
                (None, Some(max)) => format!("At most {max} characters."),
                (None, None) => return Ok(()),
            };
            schema.remove("minLength");
            schema.remove("maxLength");
            let description = match schema.get("description").and_then(Value::as_str) {
                Some(text) if !text.trim().is_empty() => {
                    format!("{} {sentence}", text.trim_end())
                }
                _ => sentence.clone(),
            };
            schema.insert("description".to_owned(), Value::String(description));
            notes.add(at, format!("length bounds -> description ({sentence})"));
            Ok(())
        })
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::{fail, run};

    fn doc_with(schema: Value) -> Value {
        json!({"components": {"schemas": {"S": schema}}})
    }

    fn schema_of(doc: &Value) -> &Value {
        &doc["components"]["schemas"]["S"]
    }

    #[test]
    fn string_length_bounds_become_docs() {
        let mut doc = doc_with(json!({"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 255, "description": "A name."},
            "code": {"type": "string", "minLength": 6, "maxLength": 6},
            "count": {"type": "integer", "maximum": 5}
        }}));
        let notes = run(&STRING_LENGTH_BOUNDS, &mut doc);
        let properties = &schema_of(&doc)["properties"];
        assert_eq!(
            properties["name"],
            json!({"type": "string", "description": "A name. At most 255 characters."})
        );
        assert_eq!(
            properties["code"],
            json!({"type": "string", "description": "From 6 to 6 characters."})
        );
        assert_eq!(
            properties["count"],
            json!({"type": "integer", "maximum": 5})
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn nullable_type_pair_becomes_nullable() {
        let mut doc = doc_with(
            json!({"type": "object", "properties": {"a": {"type": ["string", "null"], "minLength": 1}}}),
        );
        let notes = run(&TYPE_ARRAYS, &mut doc);
        assert_eq!(
            schema_of(&doc)["properties"]["a"],
            json!({"type": "string", "nullable": true, "minLength": 1})
        );
        assert_eq!(notes[0].pointer, "/components/schemas/S/properties/a");
    }

    #[test]
    fn several_types_become_any_of_with_their_keywords() {
        let mut doc = doc_with(json!({
            "type": ["string", "integer", "null"], "minLength": 2, "minimum": 1, "description": "d"
        }));
        run(&TYPE_ARRAYS, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({
                "description": "d",
                "nullable": true,
                "anyOf": [{"type": "string", "minLength": 2}, {"type": "integer", "minimum": 1}]
            })
        );
    }

    #[test]
    fn unknown_type_names_are_refused_with_their_pointer() {
        let message = fail(
            &TYPE_ARRAYS,
            &mut doc_with(json!({"properties": {"a": {"type": "strnig"}}})),
        );
        assert!(
            message.starts_with(
                "/components/schemas/S/properties/a/type: unknown schema type \"strnig\""
            ),
            "{message}"
        );
        let message = fail(&TYPE_ARRAYS, &mut doc_with(json!({"type": ["null"]})));
        assert!(message.contains("only null"), "{message}");
    }

    #[test]
    fn schema_examples_list_becomes_example() {
        let mut doc = doc_with(json!({"type": "string", "examples": ["a", "b"]}));
        run(&SCHEMA_EXAMPLES, &mut doc);
        assert_eq!(schema_of(&doc), &json!({"type": "string", "example": "a"}));

        let mut doc = doc_with(json!({"type": "string", "example": "keep", "examples": ["a"]}));
        run(&SCHEMA_EXAMPLES, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "string", "example": "keep"})
        );
    }

    #[test]
    fn media_type_examples_maps_are_left_alone() {
        let mut doc = json!({"paths": {"/x": {"get": {"responses": {"200": {"content": {
            "application/json": {"examples": {"one": {"value": 1}}}
        }}}}}}});
        let before = doc.clone();
        assert!(run(&SCHEMA_EXAMPLES, &mut doc).is_empty());
        assert_eq!(doc, before);
    }

    #[test]
    fn const_becomes_enum() {
        let mut doc = doc_with(json!({"type": "string", "const": "META"}));
        run(&CONST_TO_ENUM, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "string", "enum": ["META"]})
        );

        let message = fail(
            &CONST_TO_ENUM,
            &mut doc_with(json!({"const": "A", "enum": ["B"]})),
        );
        assert!(message.contains("not among the values"), "{message}");
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_form() {
        let mut doc = doc_with(
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        );
        run(&EXCLUSIVE_BOUNDS, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_are_already_3_0() {
        let mut doc = doc_with(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
        assert!(run(&EXCLUSIVE_BOUNDS, &mut doc).is_empty());
    }

    #[test]
    fn content_encoding_becomes_format() {
        let mut doc = doc_with(json!({"type": "string", "contentEncoding": "base64"}));
        run(&CONTENT_ENCODING, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "string", "format": "byte"})
        );

        let mut doc = doc_with(json!({"type": "string", "contentMediaType": "audio/mpeg"}));
        run(&CONTENT_ENCODING, &mut doc);
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn annotations_are_dropped_and_untranslatable_keywords_refused() {
        let mut doc = doc_with(json!({"$id": "x", "$comment": "c", "type": "string"}));
        assert_eq!(run(&JSON_SCHEMA_KEYWORDS, &mut doc).len(), 2);
        assert_eq!(schema_of(&doc), &json!({"type": "string"}));

        let message = fail(
            &JSON_SCHEMA_KEYWORDS,
            &mut doc_with(json!({"type": "array", "prefixItems": [{"type": "string"}]})),
        );
        assert!(
            message.starts_with(
                "/components/schemas/S/prefixItems: JSON Schema keyword `prefixItems`"
            ),
            "{message}"
        );
    }
}
