//! `design/models.yaml`: one named, shared type per domain concept.
//!
//! Each model becomes `components/schemas/<Name>` and every place its `at` list names is
//! replaced by a `$ref` to it, so the generator emits `Message` once instead of an inline
//! type per operation. Then, for the whole document:
//!
//! - **complete**: every member upstream documents at a model's place must be in the model
//!   (else the entry is reported, like a stale one: the member still reaches the user, in
//!   `extra`);
//! - **lossless**: every object schema with properties and no `additionalProperties` gets
//!   `additionalProperties: {}`, which the generator turns into a flattened `extra` map, so
//!   a member upstream adds later is kept and re-serialised;
//! - **explicit nulls**: in every model, a member that is optional and nullable is marked
//!   `x-pilot-three-state` (absent, `null` or a value, distinct on the wire both ways; see
//!   `codegen::three_state`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{DesignReport, StaleEntry};
use crate::error::{Result, SpecError};
use crate::normalise::operations::UPSTREAM_OPERATION_ID;
use crate::pointer;

/// The extension marking a member whose absence, `null` and value differ on the wire.
pub const THREE_STATE: &str = "x-pilot-three-state";
/// The extension (written in the table) marking an optional member that is serialised
/// even when empty (`variables: {}`, as the official SDK always sends it).
pub const ALWAYS_SENT: &str = "x-pilot-always-sent";
/// Where `$ref`s to models point.
const REF_PREFIX: &str = "#/components/schemas/";
/// The longest model name (rustdoc and error messages stay readable).
pub const MAX_NAME: usize = 40;

/// The parsed `design/models.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelTable {
    /// The file, for messages.
    pub file: String,
    /// Models by name.
    pub models: BTreeMap<String, Model>,
}

/// One model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The type's rustdoc.
    pub description: String,
    /// Where the shape comes from.
    pub evidence: String,
    /// Its OpenAPI 3.0 schema.
    pub schema: Value,
    /// The places the wire has it.
    pub at: Vec<Place>,
}

/// A place of the spec: `get_messages_history response.messages[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// As written in the table.
    pub text: String,
    /// upstream's operation id.
    pub operation: String,
    /// Which schema of the operation.
    pub root: Root,
    /// The way down from it.
    pub steps: Vec<Step>,
}

/// The schema of an operation a place starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// The JSON success response.
    Response,
    /// The JSON request body.
    Body,
    /// A parameter: `(in, name)`.
    Parameter(String, String),
}

/// One step down a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.name`: an object member.
    Member(String),
    /// `[]`: the items of an array.
    Items,
    /// `{}`: the values of a map.
    Values,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    models: BTreeMap<String, RawModel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    description: String,
    evidence: String,
    schema: Value,
    #[serde(default)]
    at: Vec<String>,
}

fn table_error(file: &str, key: &str, message: impl Into<String>) -> SpecError {
    SpecError::Design {
        file: file.to_owned(),
        key: key.to_owned(),
        message: message.into(),
    }
}

impl Place {
    /// Parses `<operationId> <response|body|query.<name>|path.<name>>[.m|[]|{}]*`.
    pub fn parse(text: &str) -> Option<Self> {
        let (operation, rest) = text.split_once(' ')?;
        let root_end = rest.find(['.', '[', '{']).unwrap_or(rest.len());
        let (root, mut rest) = match &rest[..root_end] {
            "response" => (Root::Response, &rest[root_end..]),
            "body" => (Root::Body, &rest[root_end..]),
            kind @ ("query" | "path" | "header") => {
                let name = rest[root_end..].strip_prefix('.')?;
                (Root::Parameter(kind.to_owned(), name.to_owned()), "")
            }
            _ => return None,
        };
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("[]") {
                steps.push(Step::Items);
                rest = after;
            } else if let Some(after) = rest.strip_prefix("{}") {
                steps.push(Step::Values);
                rest = after;
            } else if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[', '{']).unwrap_or(after.len());
                if end == 0 {
                    return None;
                }
                steps.push(Step::Member(after[..end].to_owned()));
                rest = &after[end..];
            } else {
                return None;
            }
        }
        Some(Self {
            text: text.to_owned(),
            operation: operation.to_owned(),
            root,
            steps,
        })
    }
}

impl ModelTable {
    /// Parses the table and checks it in itself: names, descriptions, evidence, places and
    /// that every `$ref` names a model of the table.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let raw: RawTable = yaml_serde::from_str(text)
            .map_err(|error| table_error(file, "", format!("not a valid table: {error}")))?;
        let mut models = BTreeMap::new();
        for (name, raw_model) in &raw.models {
            let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !camel || name.len() > MAX_NAME {
                return Err(table_error(
                    file,
                    name,
                    format!("a model name is UpperCamelCase, at most {MAX_NAME} characters"),
                ));
            }
            if raw_model.description.trim().is_empty() || raw_model.evidence.trim().is_empty() {
                return Err(table_error(
                    file,
                    name,
                    "every model needs a description and its evidence",
                ));
            }
            if !raw_model.schema.is_object() {
                return Err(table_error(file, name, "`schema` must be a schema object"));
            }
            for reference in references(&raw_model.schema) {
                if !raw.models.contains_key(&reference) {
                    return Err(table_error(
                        file,
                        name,
                        format!("`$ref` to `{reference}`, which is not a model of the table"),
                    ));
                }
            }
            let mut at = Vec::new();
            for text in &raw_model.at {
                at.push(
                    Place::parse(text).ok_or_else(|| {
                        table_error(file, name, format!("`{text}` is not a place"))
                    })?,
                );
            }
            models.insert(
                name.clone(),
                Model {
                    description: raw_model.description.trim().to_owned(),
                    evidence: raw_model.evidence.trim().to_owned(),
                    schema: raw_model.schema.clone(),
                    at,
                },
            );
        }
        Ok(Self {
            file: file.to_owned(),
            models,
        })
    }
}

/// The model names a schema `$ref`s, at any depth.
fn references(schema: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && let Some(name) = reference.strip_prefix(REF_PREFIX)
                {
                    out.insert(name.to_owned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// The JSON pointer of a place in `document`, if it is there.
fn locate(
    document: &Value,
    operations: &BTreeMap<String, String>,
    place: &Place,
) -> Option<String> {
    let operation_pointer = operations.get(&place.operation)?;
    let operation = document.pointer(operation_pointer)?;
    let mut at = match &place.root {
        Root::Response | Root::Body => {
            let content = if place.root == Root::Response {
                "/responses/2XX/content"
            } else {
                "/requestBody/content"
            };
            let media = operation
                .pointer(content)?
                .as_object()?
                .keys()
                .find(|media| crate::normalise::is_json_media_type(media))?;
            format!(
                "{operation_pointer}{}",
                pointer::join(content, media) + "/schema"
            )
        }
        Root::Parameter(location, name) => {
            let index = operation
                .get("parameters")?
                .as_array()?
                .iter()
                .position(|p| {
                    p.get("in").and_then(Value::as_str) == Some(location)
                        && p.get("name").and_then(Value::as_str) == Some(name)
                })?;
            format!("{operation_pointer}/parameters/{index}/schema")
        }
    };
    document.pointer(&at)?;
    for step in &place.steps {
        at = match step {
            Step::Member(name) => pointer::join(&format!("{at}/properties"), name),
            Step::Items => format!("{at}/items"),
            Step::Values => format!("{at}/additionalProperties"),
        };
        document.pointer(&at)?.as_object()?;
    }
    Some(at)
}

/// Follows `$ref` and a single-`allOf` wrapper to a model's schema.
fn resolve<'a>(
    schema: &'a Value,
    models: &'a BTreeMap<String, Model>,
) -> (&'a Value, Option<&'a str>) {
    let reference = schema.get("$ref").or_else(|| {
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .filter(|all| all.len() == 1)
            .and_then(|all| all[0].get("$ref"))
    });
    match reference
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(REF_PREFIX))
        .and_then(|name| models.get_key_value(name))
    {
        Some((name, model)) => (&model.schema, Some(name.as_str())),
        None => (schema, None),
    }
}

/// The members `found` documents that `model` lacks, as paths below the place. A member
/// that is another model is that model's place (listed in its own `at`), checked there.
fn missing(
    found: &Value,
    model: &Value,
    models: &BTreeMap<String, Model>,
    path: &str,
    out: &mut Vec<String>,
) {
    let (model, name) = resolve(model, models);
    if name.is_some() && !path.is_empty() {
        return;
    }
    if let Some(properties) = found.get("properties").and_then(Value::as_object) {
        let known = model.get("properties").and_then(Value::as_object);
        for (member, schema) in properties {
            let here = format!("{path}.{member}");
            match known.and_then(|known| known.get(member)) {
                Some(model_member) => missing(schema, model_member, models, &here, out),
                None => out.push(here),
            }
        }
    }
    if let (Some(items), Some(model_items)) = (found.get("items"), model.get("items")) {
        missing(items, model_items, models, &format!("{path}[]"), out);
    }
    if let (Some(values), Some(model_values)) = (
        found.get("additionalProperties").filter(|v| v.is_object()),
        model.get("additionalProperties").filter(|v| v.is_object()),
    ) {
        missing(values, model_values, models, &format!("{path}{{}}"), out);
    }
}

/// Applies the models, then makes every object lossless and marks explicit nulls.
pub(super) fn apply(
    document: &mut Value,
    table: &ModelTable,
    report: &mut DesignReport,
) -> Result<()> {
    let mut operations = BTreeMap::new();
    for at in crate::walk::operations(document) {
        let id = at
            .operation
            .get(UPSTREAM_OPERATION_ID)
            .or_else(|| at.operation.get("operationId"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        operations.insert(id.to_owned(), pointer::operation(at.path, at.method));
    }
    // Where each model goes, checked against the document as upstream shaped it.
    let mut replacements: Vec<(String, String, bool)> = Vec::new();
    let mut completions: Vec<(String, Value)> = Vec::new();
    for (name, model) in &table.models {
        for place in &model.at {
            let Some(at) = locate(document, &operations, place) else {
                report.stale.push(StaleEntry {
                    file: table.file.clone(),
                    key: name.clone(),
                    message: format!("`{}` is not in the spec any more", place.text),
                });
                continue;
            };
            let found = document.pointer(&at).cloned().unwrap_or(Value::Null);
            let mut lacking = Vec::new();
            missing(&found, &model.schema, &table.models, "", &mut lacking);
            if !lacking.is_empty() {
                completions.push((name.clone(), found.clone()));
                report.stale.push(StaleEntry {
                    file: table.file.clone(),
                    key: name.clone(),
                    message: format!(
                        "upstream documents {} at `{}` that the model lacks (generated as \
                         optional members until the table has them)",
                        lacking
                            .iter()
                            .map(|member| format!("`{}`", member.trim_start_matches('.')))
                            .collect::<Vec<_>>()
                            .join(", "),
                        place.text
                    ),
                });
            }
            let nullable = found.get("nullable") == Some(&Value::Bool(true));
            replacements.push((at, name.clone(), nullable));
        }
    }
    // Deepest first, so replacing an outer place never hides an inner one.
    replacements.sort_by(|a, b| {
        let depth = |pointer: &str| pointer.matches('/').count();
        depth(&b.0).cmp(&depth(&a.0)).then_with(|| a.0.cmp(&b.0))
    });
    for (at, name, nullable) in replacements {
        let reference = json!({"$ref": format!("{REF_PREFIX}{name}")});
        let replacement = if nullable {
            json!({"allOf": [reference], "nullable": true})
        } else {
            reference
        };
        if let Some(slot) = document.pointer_mut(&at) {
            *slot = replacement;
        }
    }
    let schemas = document
        .as_object_mut()
        .ok_or_else(|| SpecError::invalid("", "the document is not an object"))?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| SpecError::invalid("/components", "`components` is not an object"))?
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| {
            SpecError::invalid(
                "/components/schemas",
                "`components.schemas` is not an object",
            )
        })?;
    for (name, model) in &table.models {
        let mut schema = model.schema.clone();
        if let Some(object) = schema.as_object_mut() {
            object.insert("description".to_owned(), json!(model.description));
        }
        schemas.insert(name.clone(), schema);
    }
    // What upstream documents and a model lacks still generates, optional.
    for (name, found) in &completions {
        if let Some(schema) = schemas.get_mut(name) {
            complete(found, schema);
        }
    }
    // In every model, a member that is optional and nullable is three-state: absent,
    // `null` and a value mean different things in a request ("null resets") and are kept
    // apart in a response (re-serialised as received).
    for name in table.models.keys() {
        if let Some(Value::Object(schema)) = schemas.get_mut(name) {
            mark_three_state(schema);
        }
    }
    lossless(document);
    Ok(())
}

/// Adds to `model` (optional) every member `found` has and it lacks; stops at members that
/// are other models (their own places complete them).
fn complete(found: &Value, model: &mut Value) {
    if model.get("$ref").is_some() || model.get("allOf").is_some() {
        return;
    }
    if let Some(properties) = found.get("properties").and_then(Value::as_object)
        && let Some(object) = model.as_object_mut()
        && let Some(known) = object
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut()
    {
        for (member, schema) in properties {
            match known.get_mut(member) {
                Some(existing) => complete(schema, existing),
                None => {
                    known.insert(member.clone(), schema.clone());
                }
            }
        }
    }
    if let (Some(items), Some(model_items)) = (found.get("items"), model.get_mut("items")) {
        complete(items, model_items);
    }
    if let (Some(values), Some(model_values)) = (
        found.get("additionalProperties").filter(|v| v.is_object()),
        model
            .get_mut("additionalProperties")
            .filter(|v| v.is_object()),
    ) {
        complete(values, model_values);
    }
}

/// Marks the optional, nullable members of an object schema.
fn mark_three_state(schema: &mut Map<String, Value>) {
    let required: BTreeSet<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (name, member) in properties.iter_mut() {
        if !required.contains(name)
            && member.get("nullable") == Some(&Value::Bool(true))
            && let Some(member) = member.as_object_mut()
        {
            member.insert(THREE_STATE.to_owned(), Value::Bool(true));
        }
    }
}

/// `additionalProperties: {}` on every object schema with properties that says nothing
/// about other members.
fn lossless(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let is_schema_with_members = map.get("properties").is_some_and(Value::is_object)
                && !map.contains_key("additionalProperties");
            if is_schema_with_members {
                map.insert("additionalProperties".to_owned(), json!({}));
            }
            for (key, child) in map.iter_mut() {
                // Examples and defaults are data, not schemas.
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    lossless(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(lossless),
        _ => {}
    }
}

/// `(component schema name, member)` of every three-state member of `document`.
pub fn three_state_members(document: &Value) -> Vec<(String, String)> {
    members_marked(document, THREE_STATE)
}

/// `(component schema name, member)` of every always-sent member of `document`.
pub fn always_sent_members(document: &Value) -> Vec<(String, String)> {
    members_marked(document, ALWAYS_SENT)
}

fn members_marked(document: &Value, extension: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (member, property) in properties {
                if property.get(extension) == Some(&Value::Bool(true)) {
                    out.push((name.clone(), member.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
models:
  Setting:
    description: A setting.
    evidence: test
    schema:
      type: object
      required: [id]
      properties:
        id: {type: string}
        alwaysOnline: {type: boolean, nullable: true}
        label: {type: string}
    at:
      - patch_x body.settings
      - get_x response.settings
  Page:
    description: A page.
    evidence: test
    schema:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Setting'}}
        settings: {allOf: [{$ref: '#/components/schemas/Setting'}], nullable: true}
    at:
      - get_x response
"#;

    fn document() -> Value {
        json!({
            "paths": {"/v1/x": {
                "get": {"operationId": "get_x", "responses": {"2XX": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
                        "settings": {"type": "object", "nullable": true, "properties": {"id": {"type": "string"}, "extra": {"type": "string"}}}
                    }
                }}}}}},
                "patch": {"operationId": "patch_x", "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"settings": {"type": "object", "properties": {"alwaysOnline": {"type": "boolean"}}}}
                }}}}}
            }}
        })
    }

    #[test]
    fn places_parse() {
        let place = Place::parse("get_x response.messages[].media{}").unwrap();
        assert_eq!(place.root, Root::Response);
        assert_eq!(
            place.steps,
            [
                Step::Member("messages".into()),
                Step::Items,
                Step::Member("media".into()),
                Step::Values
            ]
        );
        assert_eq!(
            Place::parse("get_x query.sourceType").unwrap().root,
            Root::Parameter("query".into(), "sourceType".into())
        );
        assert!(Place::parse("get_x reply").is_none());
        assert!(Place::parse("get_x response..x").is_none());
    }

    #[test]
    fn models_replace_their_places_and_report_what_they_lack() {
        let table = ModelTable::parse("m.yaml", TABLE).unwrap();
        let mut doc = document();
        let mut report = DesignReport::default();
        apply(&mut doc, &table, &mut report).unwrap();
        let response = &doc["paths"]["/v1/x"]["get"]["responses"]["2XX"]["content"]["application/json"]
            ["schema"];
        assert_eq!(response, &json!({"$ref": "#/components/schemas/Page"}));
        let body =
            &doc["paths"]["/v1/x"]["patch"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(
            body["properties"]["settings"],
            json!({"$ref": "#/components/schemas/Setting"})
        );
        assert_eq!(
            body["additionalProperties"],
            json!({}),
            "inline objects are lossless too"
        );
        let setting = &doc["components"]["schemas"]["Setting"];
        assert_eq!(setting["description"], "A setting.");
        assert_eq!(setting["additionalProperties"], json!({}));
        assert_eq!(setting["properties"]["alwaysOnline"][THREE_STATE], true);
        assert!(setting["properties"]["label"].get(THREE_STATE).is_none());
        assert_eq!(
            three_state_members(&doc),
            [
                ("Page".to_owned(), "settings".to_owned()),
                ("Setting".to_owned(), "alwaysOnline".to_owned())
            ],
            "optional and nullable members of every model, responses included"
        );
        assert_eq!(report.stale.len(), 1);
        assert_eq!(
            report.stale[0].to_string(),
            "m.yaml, entry `Setting`: upstream documents `extra` at `get_x response.settings` \
             that the model lacks (generated as optional members until the table has them)"
        );
        assert_eq!(
            doc["components"]["schemas"]["Setting"]["properties"]["extra"],
            json!({"type": "string"}),
            "what the model lacks still generates"
        );
    }

    #[test]
    fn a_nullable_place_keeps_its_null() {
        let table = ModelTable::parse("m.yaml", TABLE).unwrap();
        let mut doc = document();
        apply(&mut doc, &table, &mut DesignReport::default()).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["Page"]["properties"]["items"]["items"],
            json!({"$ref": "#/components/schemas/Setting"})
        );
    }

    #[test]
    fn a_place_that_is_gone_is_stale_not_an_error() {
        let table = ModelTable::parse(
            "m.yaml",
            "models:\n  A:\n    description: a.\n    evidence: e\n    schema: {type: string}\n    at: [gone_x response]\n",
        )
        .unwrap();
        let mut report = DesignReport::default();
        apply(&mut document(), &table, &mut report).unwrap();
        assert_eq!(
            report.stale[0].to_string(),
            "m.yaml, entry `A`: `gone_x response` is not in the spec any more"
        );
    }

    #[test]
    fn inconsistent_tables_are_refused() {
        for (text, expected) in [
            (
                "models:\n  bad_name:\n    description: d.\n    evidence: e\n    schema: {}\n",
                "m.yaml, entry `bad_name`: a model name is UpperCamelCase, at most 40 characters",
            ),
            (
                "models:\n  A:\n    description: d.\n    evidence: e\n    schema: {$ref: '#/components/schemas/B'}\n",
                "m.yaml, entry `A`: `$ref` to `B`, which is not a model of the table",
            ),
            (
                "models:\n  A:\n    description: d.\n    evidence: e\n    schema: {}\n    at: [x elsewhere]\n",
                "m.yaml, entry `A`: `x elsewhere` is not a place",
            ),
        ] {
            assert_eq!(
                ModelTable::parse("m.yaml", text).unwrap_err().to_string(),
                expected
            );
        }
    }
}
