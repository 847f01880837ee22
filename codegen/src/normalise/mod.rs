//! The normaliser: named rules that turn upstream's document into one progenitor accepts.
//!
//! Upstream serves OpenAPI 3.1 that is loose about types; progenitor 0.15.1 reads OpenAPI
//! 3.0 through `openapiv3` and panics or mis-types on several constructs upstream uses.
//! Each rule below fixes one such thing, is documented where it is defined, and has its own
//! tests. Rules run in the order of [`RULES`]; a rule never changes what the API accepts or
//! returns: it translates, infers what is missing, or fails with a [`SpecError`] naming the
//! place, so that a person writes an overlay instead of the generator guessing.
//!
//! What a rule did is recorded as [`Note`]s (for `cargo xtask` reports), never printed by
//! the build.

pub(crate) mod examples;
mod json_schema;
pub(crate) mod operations;
mod parameters;
pub(crate) mod responses;
mod version;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::walk::{self, Visitor};

/// One normalisation rule.
pub struct Rule {
    /// Stable name, used in notes and documentation.
    pub name: &'static str,
    /// One line on what the rule does.
    pub summary: &'static str,
    /// Applies the rule in place.
    pub apply: fn(&mut Value, &mut Notes) -> Result<()>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("name", &self.name).finish()
    }
}

/// Every rule, in the order they run.
pub const RULES: &[Rule] = &[
    version::OPENAPI_VERSION,
    json_schema::TYPE_ARRAYS,
    json_schema::SCHEMA_EXAMPLES,
    json_schema::CONST_TO_ENUM,
    json_schema::EXCLUSIVE_BOUNDS,
    json_schema::CONTENT_ENCODING,
    json_schema::JSON_SCHEMA_KEYWORDS,
    json_schema::STRING_LENGTH_BOUNDS,
    parameters::DESCRIPTION_TYPED_PARAMETERS,
    examples::EXAMPLE_TYPES,
    operations::OPERATION_IDS,
    operations::PATH_PARAMETERS_REQUIRED,
    operations::REQUEST_MEDIA_TYPES,
    operations::MULTIPART_BODIES,
    examples::INFER_SCHEMAS,
    responses::SHARED_API_ERROR,
    responses::SINGLE_SUCCESS_RESPONSE,
];

/// Something a rule changed that a reviewer may want to know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The rule that made the change.
    pub rule: &'static str,
    /// Where.
    pub pointer: String,
    /// What it did.
    pub message: String,
}

/// The notes of one normalisation run.
#[derive(Debug, Default)]
pub struct Notes {
    rule: &'static str,
    notes: Vec<Note>,
}

impl Notes {
    /// Records a change made by the running rule.
    pub fn add(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            rule: self.rule,
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    /// All notes, in the order they were made.
    pub fn into_vec(self) -> Vec<Note> {
        self.notes
    }
}

/// `doc` with the schemas the `infer_schemas` rule infers from examples, and the pointers of
/// the schemas that come from an example alone (each ending in `/schema/`): upstream's own
/// shape there, for comparing two upstream documents. Nothing else is normalised.
pub(crate) fn with_example_schemas(doc: &Value) -> (Value, Vec<String>) {
    let mut doc = doc.clone();
    // The rule fails on nothing it infers; a document it cannot walk is compared as it is.
    let example_only = examples::infer_schemas(&mut doc, &mut Notes::default())
        .unwrap_or_default()
        .into_iter()
        .map(|schema| format!("{schema}/"))
        .collect();
    (doc, example_only)
}

/// Runs every rule of [`RULES`] over `doc`.
pub fn normalise(doc: &mut Value) -> Result<Vec<Note>> {
    let mut notes = Notes::default();
    for rule in RULES {
        notes.rule = rule.name;
        (rule.apply)(doc, &mut notes)?;
    }
    Ok(notes.into_vec())
}

/// Runs one rule by name (for tests and `cargo xtask` diagnostics).
pub fn apply_rule(name: &str, doc: &mut Value) -> Option<Result<Vec<Note>>> {
    let rule = RULES.iter().find(|rule| rule.name == name)?;
    let mut notes = Notes {
        rule: rule.name,
        notes: Vec::new(),
    };
    Some((rule.apply)(doc, &mut notes).map(|()| notes.into_vec()))
}

/// Calls `f` on every Schema Object of `doc`, parents before children.
pub(crate) fn for_each_schema(
    doc: &mut Value,
    f: impl FnMut(&mut Map<String, Value>, &str) -> Result<()>,
) -> Result<()> {
    struct Schemas<F>(F);
    impl<F: FnMut(&mut Map<String, Value>, &str) -> Result<()>> Visitor for Schemas<F> {
        fn schema(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
            (self.0)(schema, at)
        }
    }
    walk::walk(doc, &mut Schemas(f))
}

/// Calls `f` on every Media Type Object of `doc`.
pub(crate) fn for_each_media_type(
    doc: &mut Value,
    f: impl FnMut(&str, &mut Map<String, Value>, &str) -> Result<()>,
) -> Result<()> {
    struct MediaTypes<F>(F);
    impl<F: FnMut(&str, &mut Map<String, Value>, &str) -> Result<()>> Visitor for MediaTypes<F> {
        fn media_type(
            &mut self,
            media_type: &str,
            object: &mut Map<String, Value>,
            at: &str,
        ) -> Result<()> {
            (self.0)(media_type, object, at)
        }
    }
    walk::walk(doc, &mut MediaTypes(f))
}

/// True for `application/json` and every `+json` media type (parameters ignored).
pub(crate) fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Keywords that only annotate a schema; two schemas that differ only in these are the
/// same type.
const ANNOTATIONS: [&str; 6] = [
    "description",
    "example",
    "examples",
    "title",
    "deprecated",
    "externalDocs",
];

/// `schema` without annotation keywords, at every level: the shape that decides the type.
pub(crate) fn shape(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"))
                .map(|(key, value)| {
                    // Under `properties` the keys are names, not keywords.
                    let value = if key == "properties" {
                        match value {
                            Value::Object(props) => Value::Object(
                                props.iter().map(|(k, v)| (k.clone(), shape(v))).collect(),
                            ),
                            other => other.clone(),
                        }
                    } else {
                        shape(value)
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Applies one rule to `doc`, panicking on error, and returns the notes.
    pub fn run(rule: &Rule, doc: &mut Value) -> Vec<Note> {
        let mut notes = Notes {
            rule: rule.name,
            notes: Vec::new(),
        };
        if let Err(error) = (rule.apply)(doc, &mut notes) {
            panic!("rule {} failed: {error}", rule.name);
        }
        notes.into_vec()
    }

    /// Applies one rule to `doc` and returns its error message.
    pub fn fail(rule: &Rule, doc: &mut Value) -> String {
        let mut notes = Notes::default();
        match (rule.apply)(doc, &mut notes) {
            Ok(()) => panic!("rule {} accepted a document it should refuse", rule.name),
            Err(error) => error.to_string(),
        }
    }

    /// A document with one operation whose responses are `responses`.
    pub fn one_operation(operation: Value) -> Value {
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/v1/x": {"post": operation}}
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<_> = RULES.iter().map(|rule| rule.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn shape_ignores_annotations_but_not_property_names() {
        let a = json!({"type": "object", "description": "a", "properties": {"description": {"type": "string", "example": "x"}}});
        let b = json!({"type": "object", "properties": {"description": {"type": "string"}}});
        assert_eq!(shape(&a), shape(&b));
        let c = json!({"type": "object", "properties": {"title": {"type": "string"}}});
        assert_ne!(shape(&a), shape(&c));
    }

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(is_json_media_type("application/problem+json"));
        assert!(!is_json_media_type("audio/*"));
        assert!(!is_json_media_type("text/plain"));
    }
}
