//! `design/models.yaml`: one named, shared type per domain concept, as a delta over upstream.
//!
//! Each model becomes `components/schemas/<Name>` and every place its `at` list names is
//! replaced by a `$ref` to it, so the generator emits `Message` once instead of an inline
//! type per operation. What the model *is* comes from upstream: the schemas found at its
//! places, merged ([`upstream`]). The table keeps only what is reviewed on top of that
//! ([`Delta`]): the name, the places, the descriptions, and each deliberate difference from
//! upstream (a member only the official SDK has, a member it requires or types as nullable, a
//! value set, a type). So a member upstream removes disappears from the type, a member it
//! retypes takes the new type, a value it adds appears; a difference that no longer holds is
//! reported as stale ([`DesignReport::stale`]) until the table follows.
//!
//! Then, for the whole document:
//!
//! - **lossless**: every object schema with properties and no `additionalProperties` gets
//!   `additionalProperties: {}`, which the generator turns into a flattened `extra` map, so
//!   a member upstream adds later is kept and re-serialised;
//! - **explicit nulls**: in every model, a member that is optional and nullable is marked
//!   `x-pilot-three-state` (absent, `null` or a value, distinct on the wire both ways; see
//!   `codegen::three_state`).

pub mod alternatives;
pub(crate) mod delta;
pub mod upstream;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{DesignReport, StaleEntry};
use crate::error::{Result, SpecError};
use crate::normalise::operations::UPSTREAM_OPERATION_ID;
use crate::pointer;
pub use delta::shape_text;
pub use upstream::UpstreamModel;

/// The extension marking a member whose absence, `null` and value differ on the wire.
pub const THREE_STATE: &str = "x-pilot-three-state";
/// The extension marking an optional member that is serialised even when empty
/// (`variables: {}`, as the official SDK always sends it).
pub const ALWAYS_SENT: &str = "x-pilot-always-sent";
/// Marks a required instant of a model the client only reads: it is `Option<Timestamp>` in
/// Rust, read through `pilot_status::__required_instant` (there is no empty instant to read
/// in place of a missing or unreadable one, and none is invented).
pub const REQUIRED_INSTANT: &str = "x-pilot-required-instant";
/// Marks a string model's reviewed variant names: `{wire value: Rust variant}`.
pub const VARIANT_NAMES: &str = "x-pilot-variant-names";
/// Where `$ref`s to models point.
pub const REF_PREFIX: &str = "#/components/schemas/";
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
    /// Where the model and its differences from upstream come from.
    pub evidence: String,
    /// The places the wire has it.
    pub at: Vec<Place>,
    /// Where its members come from.
    pub shape: Shape,
    /// Reviewed Rust names of the values of a string model, by wire value, where the derived
    /// name does not serve (`7d` would be `X7d`; `UNKNOWN` would take the catch-all's name).
    pub variants: BTreeMap<String, String>,
    /// The groups of mutually exclusive members of a request model, each an enum.
    pub alternatives: Option<alternatives::Alternatives>,
    /// The request body at the model's `<operationId> body` places is required although
    /// upstream marks it optional (`requestBody.required`).
    pub required_body: bool,
}

/// Where a model's members, types and value sets come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// From upstream's schemas at the model's places, with the table's differences.
    Upstream(Delta),
    /// From the table alone: the model has no place in the docs (`at: []`), so there is no
    /// upstream shape to follow (a shape only the official SDK has, reached through members
    /// of other models).
    Declared(Value),
}

/// What the table says on top of upstream's shape. Every part is checked against upstream
/// on each run: one that upstream now says itself, or that names something upstream no
/// longer has, is reported as stale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Delta {
    /// Schema keywords for a place upstream leaves untyped (`{}`); upstream's own keywords win.
    pub fill: Option<Value>,
    /// The value set of a string model whose places declare none.
    pub values: Option<Vec<Value>>,
    /// Members required although upstream does not require them.
    pub required: Vec<String>,
    /// Members that may be `null` although upstream does not say so.
    pub nullable: Vec<String>,
    /// Members that are instants (`format: date-time`, `pilot_status::Timestamp`) although
    /// upstream types them as plain strings, each with its evidence.
    pub instants: BTreeMap<String, String>,
    /// Per-member differences and descriptions.
    pub members: BTreeMap<String, MemberDelta>,
}

/// What the table says about one member.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberDelta {
    /// Its rustdoc (replaces upstream's description).
    pub description: Option<String>,
    /// The member's schema, for a member upstream does not document at any place.
    pub add: Option<Value>,
    /// Its value set, where upstream declares none.
    pub values: Option<Vec<Value>>,
    /// Another type than upstream's: `(upstream's type, the type used)`.
    pub retype: Option<(String, String)>,
    /// Schema keywords for what upstream leaves untyped in the member (`items` of an
    /// array whose example was empty); upstream's own keywords win.
    pub fill: Option<Value>,
    /// Serialised even when empty.
    pub always_sent: bool,
    /// Evidence for this member's difference, when the model's does not cover it.
    pub evidence: Option<String>,
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
    #[serde(default)]
    at: Vec<String>,
    schema: Option<Value>,
    fill: Option<Value>,
    values: Option<Vec<Value>>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    nullable: Vec<String>,
    #[serde(default)]
    instants: BTreeMap<String, String>,
    #[serde(default)]
    members: BTreeMap<String, Value>,
    #[serde(default)]
    variants: BTreeMap<String, String>,
    alternatives: Option<Value>,
    #[serde(default, rename = "required-body")]
    required_body: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMember {
    description: Option<String>,
    add: Option<Value>,
    values: Option<Vec<Value>>,
    retype: Option<RawRetype>,
    fill: Option<Value>,
    #[serde(default)]
    always_sent: bool,
    evidence: Option<String>,
}

/// A `retype: {from, to}` entry, as design tables write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRetype {
    pub(crate) from: String,
    pub(crate) to: String,
}

/// The JSON Schema type names a `retype` may use.
const TYPE_NAMES: [&str; 6] = ["string", "integer", "number", "boolean", "object", "array"];

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

    /// Whether the place is an operation's whole request body (`<operationId> body`).
    pub fn is_whole_body(&self) -> bool {
        self.root == Root::Body && self.steps.is_empty()
    }

    /// Whether the place is in what the client sends (a body or a parameter).
    pub fn is_request(&self) -> bool {
        !matches!(self.root, Root::Response)
    }
}

impl ModelTable {
    /// Parses the table and checks it in itself: names, descriptions, evidence, places, the
    /// form of every difference, and that every `$ref` names a model of the table.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let raw: RawTable = yaml_serde::from_str(text)
            .map_err(|error| table_error(file, "", format!("not a valid table: {error}")))?;
        let names: BTreeSet<String> = raw.models.keys().cloned().collect();
        let mut models = BTreeMap::new();
        let mut places: BTreeMap<String, String> = BTreeMap::new();
        for (name, mut raw_model) in raw.models {
            let error = |message: String| table_error(file, &name, message);
            let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !camel || name.len() > MAX_NAME {
                return Err(error(format!(
                    "a model name is UpperCamelCase, at most {MAX_NAME} characters"
                )));
            }
            if raw_model.description.trim().is_empty() || raw_model.evidence.trim().is_empty() {
                return Err(error(
                    "every model needs a description and its evidence".to_owned(),
                ));
            }
            let mut at = Vec::new();
            for text in &raw_model.at {
                let place =
                    Place::parse(text).ok_or_else(|| error(format!("`{text}` is not a place")))?;
                if let Some(other) = places.insert(text.clone(), name.clone()) {
                    return Err(error(format!("`{text}` is also a place of `{other}`")));
                }
                at.push(place);
            }
            let description = raw_model.description.trim().to_owned();
            let evidence = raw_model.evidence.trim().to_owned();
            let variants = std::mem::take(&mut raw_model.variants);
            let required_body = raw_model.required_body;
            if required_body && !at.iter().any(Place::is_whole_body) {
                return Err(error(
                    "`required-body` needs a place that is a whole request body \
                     (`<operationId> body`)"
                        .to_owned(),
                ));
            }
            let alternatives = raw_model
                .alternatives
                .take()
                .map(alternatives::Alternatives::parse)
                .transpose()
                .map_err(&error)?;
            for variant in variants.values() {
                if !is_variant_name(variant) {
                    return Err(error(format!(
                        "variant name `{variant}` is not an UpperCamelCase Rust identifier"
                    )));
                }
                if variant == CATCH_ALL {
                    return Err(error(format!(
                        "variant name `{CATCH_ALL}` is the catch-all of every open enum"
                    )));
                }
            }
            let shape = parse_shape(raw_model, at.is_empty()).map_err(error)?;
            for reference in shape_references(&shape) {
                if !names.contains(&reference) {
                    return Err(error(format!(
                        "`$ref` to `{reference}`, which is not a model of the table"
                    )));
                }
            }
            models.insert(
                name,
                Model {
                    description,
                    evidence,
                    at,
                    shape,
                    variants,
                    alternatives,
                    required_body,
                },
            );
        }
        Ok(Self {
            file: file.to_owned(),
            models,
        })
    }
}

/// The catch-all variant of every open enum: a value this client does not know.
pub const CATCH_ALL: &str = "Unknown";

/// An UpperCamelCase identifier: an ASCII capital, then ASCII letters and digits.
fn is_variant_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Reads the shape of a model: a whole schema without places, differences with them.
fn parse_shape(raw: RawModel, placeless: bool) -> std::result::Result<Shape, String> {
    if let Some(schema) = raw.schema {
        if !placeless {
            return Err(
                "`schema` declares a model that has no place in the docs (`at: []`); a model \
                 with places follows upstream: state only its differences"
                    .to_owned(),
            );
        }
        let has_delta = raw.fill.is_some()
            || raw.values.is_some()
            || !raw.required.is_empty()
            || !raw.nullable.is_empty()
            || !raw.instants.is_empty()
            || !raw.members.is_empty();
        if has_delta {
            return Err(
                "a declared `schema` is the whole model: `fill`, `values`, `required`, \
                 `nullable`, `instants` and `members` go with places"
                    .to_owned(),
            );
        }
        if !schema.is_object() {
            return Err("`schema` must be a schema object".to_owned());
        }
        return Ok(Shape::Declared(schema));
    }
    if placeless {
        return Err(
            "a model without places (`at: []`) has no upstream shape: declare its `schema`"
                .to_owned(),
        );
    }
    if raw.fill.as_ref().is_some_and(|fill| !fill.is_object()) {
        return Err("`fill` must be a schema object".to_owned());
    }
    let mut members = BTreeMap::new();
    for (member, value) in raw.members {
        let delta = match value {
            Value::String(description) => MemberDelta {
                description: Some(description.trim().to_owned()),
                ..MemberDelta::default()
            },
            value @ Value::Object(_) => {
                let raw: RawMember = serde_json::from_value(value)
                    .map_err(|error| format!("member `{member}`: {error}"))?;
                member_delta(&member, raw)?
            }
            _ => {
                return Err(format!(
                    "member `{member}`: a description, or a map of its differences"
                ));
            }
        };
        members.insert(member, delta);
    }
    for (list, names) in [("required", &raw.required), ("nullable", &raw.nullable)] {
        let unique: BTreeSet<&String> = names.iter().collect();
        if unique.len() != names.len() {
            return Err(format!("`{list}` names a member twice"));
        }
    }
    if let Some((member, _)) = raw
        .instants
        .iter()
        .find(|(_, evidence)| evidence.trim().is_empty())
    {
        return Err(format!("`instants`: member `{member}` needs its evidence"));
    }
    Ok(Shape::Upstream(Delta {
        fill: raw.fill,
        values: raw.values,
        required: raw.required,
        nullable: raw.nullable,
        instants: raw.instants,
        members,
    }))
}

fn member_delta(member: &str, raw: RawMember) -> std::result::Result<MemberDelta, String> {
    if raw.add.as_ref().is_some_and(|add| !add.is_object()) {
        return Err(format!("member `{member}`: `add` must be a schema object"));
    }
    if raw.add.is_some() && (raw.retype.is_some() || raw.fill.is_some() || raw.values.is_some()) {
        return Err(format!(
            "member `{member}`: an added member is its whole schema; `retype`, `fill` and \
             `values` change an upstream member"
        ));
    }
    if raw.fill.as_ref().is_some_and(|fill| !fill.is_object()) {
        return Err(format!("member `{member}`: `fill` must be a schema object"));
    }
    let retype = match raw.retype {
        Some(RawRetype { from, to }) => {
            for name in [&from, &to] {
                if !TYPE_NAMES.contains(&name.as_str()) {
                    return Err(format!(
                        "member `{member}`: `{name}` is not a type ({})",
                        TYPE_NAMES.join(", ")
                    ));
                }
            }
            if from == to {
                return Err(format!("member `{member}`: `retype` from a type to itself"));
            }
            Some((from, to))
        }
        None => None,
    };
    Ok(MemberDelta {
        description: raw.description.map(|d| d.trim().to_owned()),
        add: raw.add,
        values: raw.values,
        retype,
        fill: raw.fill,
        always_sent: raw.always_sent,
        evidence: raw.evidence.map(|e| e.trim().to_owned()),
    })
}

/// The model names a shape `$ref`s, at any depth.
fn shape_references(shape: &Shape) -> BTreeSet<String> {
    match shape {
        Shape::Declared(schema) => references(schema),
        Shape::Upstream(delta) => {
            let mut out = BTreeSet::new();
            for schema in delta.fill.iter().chain(
                delta
                    .members
                    .values()
                    .flat_map(|member| member.add.iter().chain(&member.fill)),
            ) {
                out.extend(references(schema));
            }
            out
        }
    }
}

/// The model names a schema `$ref`s, at any depth.
pub(crate) fn references(schema: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix(REF_PREFIX))
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

/// A `$ref` to a model, wrapped when the place is nullable (3.0 ignores a `$ref`'s siblings).
pub(crate) fn reference_to(name: &str, nullable: bool) -> Value {
    let reference = json!({"$ref": format!("{REF_PREFIX}{name}")});
    if nullable {
        json!({"allOf": [reference], "nullable": true})
    } else {
        reference
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
    let stale = |key: &str, message: String| StaleEntry {
        file: table.file.clone(),
        key: key.to_owned(),
        message,
    };
    // A required body, whatever its media type: the flag is the operation's, not the schema's.
    for (name, model) in table.models.iter().filter(|(_, model)| model.required_body) {
        for place in model.at.iter().filter(|place| place.is_whole_body()) {
            let body = operations
                .get(&place.operation)
                .and_then(|operation| document.pointer_mut(&format!("{operation}/requestBody")))
                .and_then(Value::as_object_mut);
            // A place that is gone is reported below, with the others.
            let Some(body) = body else { continue };
            if body.get("required") == Some(&Value::Bool(true)) {
                report.stale.push(stale(
                    name,
                    format!(
                        "upstream now requires the body of `{}` itself: remove `required-body`",
                        place.operation
                    ),
                ));
            } else {
                body.insert("required".to_owned(), Value::Bool(true));
            }
        }
    }
    // Where each model goes, found in the document as upstream shaped it.
    let mut located: Vec<(String, &str, &Place)> = Vec::new();
    for (name, model) in &table.models {
        for place in &model.at {
            match locate(document, &operations, place) {
                Some(at) => located.push((at, name, place)),
                None => report.stale.push(stale(
                    name,
                    format!("`{}` is not in the spec any more", place.text),
                )),
            }
        }
    }
    // Deepest first: an inner place becomes a `$ref` before the outer place around it is
    // read, so the outer model's upstream shape refers to the inner model.
    located.sort_by(|a, b| {
        let depth = |pointer: &str| pointer.matches('/').count();
        depth(&b.0).cmp(&depth(&a.0)).then_with(|| a.0.cmp(&b.0))
    });
    let mut found: BTreeMap<&str, Vec<(&Place, Value)>> = BTreeMap::new();
    for (at, name, place) in located {
        let Some(slot) = document.pointer_mut(&at) else {
            continue;
        };
        let schema = std::mem::replace(slot, Value::Null);
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        *slot = reference_to(name, nullable);
        found.entry(name).or_default().push((place, schema));
    }
    let mut schemas = Map::new();
    for (name, model) in &table.models {
        let mut schema = match &model.shape {
            Shape::Declared(schema) => schema.clone(),
            Shape::Upstream(delta) => {
                let mut instances = found.remove(name.as_str()).unwrap_or_default();
                // The table's order, so the first place is the one it lists first.
                instances.sort_by_key(|(place, _)| {
                    model
                        .at
                        .iter()
                        .position(|p| p == *place)
                        .unwrap_or(usize::MAX)
                });
                let merged = upstream::merge(name, &instances);
                let mut messages = merged.disagreements.clone();
                let schema = delta::apply(
                    merged.model.schema.clone(),
                    name,
                    delta,
                    "models.yaml",
                    &mut messages,
                );
                report
                    .stale
                    .extend(messages.into_iter().map(|message| stale(name, message)));
                report.upstream.insert(name.clone(), merged.model);
                schema
            }
        };
        if let Some(object) = schema.as_object_mut() {
            object.insert("description".to_owned(), json!(model.description));
            if !model.variants.is_empty() {
                let values: Vec<&Value> = object
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(|values| values.iter().collect())
                    .unwrap_or_default();
                let mut named = Map::new();
                for (value, variant) in &model.variants {
                    if values.iter().any(|known| known.as_str() == Some(value)) {
                        named.insert(value.clone(), json!(variant));
                    } else {
                        report.stale.push(stale(
                            name,
                            format!(
                                "`variants` names the value `{value}`, which upstream no longer has"
                            ),
                        ));
                    }
                }
                object.insert(VARIANT_NAMES.to_owned(), Value::Object(named));
            }
            if let Some(alternatives) = &model.alternatives {
                match alternatives.check(&Value::Object(object.clone())) {
                    Ok(notes) => {
                        report
                            .stale
                            .extend(notes.into_iter().map(|note| stale(name, note)));
                        object.insert(
                            alternatives::EXTENSION.to_owned(),
                            serde_json::to_value(alternatives).unwrap_or(Value::Null),
                        );
                    }
                    Err(problems) => report
                        .stale
                        .extend(problems.into_iter().map(|problem| stale(name, problem))),
                }
            }
        }
        schemas.insert(name.clone(), schema);
    }
    let components = document
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
    for (name, schema) in schemas {
        components.insert(name, schema);
    }
    // In a model a request sends, a member that is optional and nullable is three-state:
    // absent, `null` and a value mean different things there ("null resets"). A model only
    // responses carry reads both as `None` (`Option`): the difference tells a reader
    // nothing it acts on.
    let sent = sent_models(document);
    if let Some(components) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in components.iter_mut() {
            if let Value::Object(object) = schema {
                if sent.contains(name) {
                    mark_three_state(object);
                } else {
                    mark_required_instants(object);
                }
            }
        }
    }
    lossless(document);
    Ok(())
}

/// The component schemas a request body refers to, directly or through other schemas.
fn sent_models(document: &Value) -> BTreeSet<String> {
    fn references(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
                {
                    out.push(name.to_owned());
                }
                for (key, child) in map {
                    if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                        references(child, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| references(item, out)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    for at in crate::walk::operations(document) {
        if let Some(body) = at.operation.get("requestBody") {
            references(body, &mut pending);
        }
    }
    let mut sent = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if sent.insert(name.clone())
            && let Some(schema) = document.pointer(&format!("/components/schemas/{name}"))
        {
            references(schema, &mut pending);
        }
    }
    sent
}

/// The members an object schema's `required` keyword lists (`schema.get("required")`).
pub(crate) fn required_names(required: Option<&Value>) -> BTreeSet<String> {
    required
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Marks the optional, nullable members of an object schema.
fn mark_three_state(schema: &mut Map<String, Value>) {
    let required = required_names(schema.get("required"));
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

/// Marks the required, non-nullable instants of a model the client only reads
/// ([`REQUIRED_INSTANT`]).
fn mark_required_instants(schema: &mut Map<String, Value>) {
    let required = required_names(schema.get("required"));
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (name, member) in properties.iter_mut() {
        if required.contains(name)
            && member.get("format").and_then(Value::as_str) == Some(delta::INSTANT_FORMAT)
            && member.get("nullable") != Some(&Value::Bool(true))
            && let Some(member) = member.as_object_mut()
        {
            member.insert(REQUIRED_INSTANT.to_owned(), Value::Bool(true));
        }
    }
}

/// `(component schema name, member)` of every required instant of a model the client only
/// reads.
pub fn required_instant_members(document: &Value) -> Vec<(String, String)> {
    members_marked(document, REQUIRED_INSTANT)
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

/// `(component schema name, wire value, reviewed variant name)` of every value a model names
/// (`variants` in the table).
pub fn variant_names(document: &Value) -> Vec<(String, String, String)> {
    let mut names = Vec::new();
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (model, schema) in schemas.into_iter().flatten() {
        let Some(named) = schema.get(VARIANT_NAMES).and_then(Value::as_object) else {
            continue;
        };
        for (value, variant) in named {
            if let Some(variant) = variant.as_str() {
                names.push((model.clone(), value.clone(), variant.to_owned()));
            }
        }
    }
    names
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
    at:
      - patch_x body.settings
      - get_x response.settings
    required: [id]
    nullable: [alwaysOnline]
    members:
      id: The setting's id.
      label:
        add: {type: string}
        description: Only the SDK has it.
  Page:
    description: A page.
    evidence: test
    at:
      - get_x response
    members:
      count:
        retype: {from: integer, to: number}
"#;

    fn document() -> Value {
        json!({
            "paths": {"/v1/x": {
                "get": {"operationId": "get_x", "responses": {"2XX": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer", "example": 3},
                        "settings": {"type": "object", "nullable": true, "properties": {
                            "id": {"type": "string", "description": "upstream's words"},
                            "extra": {"type": "string"}
                        }}
                    }
                }}}}}},
                "patch": {"operationId": "patch_x", "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"settings": {"type": "object", "properties": {
                        "id": {"type": "string"},
                        "alwaysOnline": {"type": "boolean"}
                    }}}
                }}}}}
            }}
        })
    }

    fn applied(table: &str, document: &mut Value) -> DesignReport {
        let table = ModelTable::parse("m.yaml", table).unwrap();
        let mut report = DesignReport::default();
        apply(document, &table, &mut report).unwrap();
        report
    }

    fn stale_messages(report: &DesignReport) -> Vec<String> {
        report.stale.iter().map(ToString::to_string).collect()
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
    fn a_model_is_upstream_merged_over_its_places_plus_the_table() {
        let mut doc = document();
        let report = applied(TABLE, &mut doc);
        assert_eq!(stale_messages(&report), Vec::<String>::new());
        let response = &doc["paths"]["/v1/x"]["get"]["responses"]["2XX"]["content"]["application/json"]
            ["schema"];
        assert_eq!(response, &json!({"$ref": "#/components/schemas/Page"}));
        let setting = &doc["components"]["schemas"]["Setting"];
        assert_eq!(
            setting,
            &json!({
                "type": "object",
                "description": "A setting.",
                "required": ["id"],
                "additionalProperties": {},
                "properties": {
                    // Every member any place documents, the table's description over upstream's.
                    "id": {"type": "string", "description": "The setting's id."},
                    "extra": {"type": "string"},
                    "alwaysOnline": {"type": "boolean", "nullable": true, THREE_STATE: true},
                    "label": {"type": "string", "description": "Only the SDK has it."}
                }
            })
        );
        let page = &doc["components"]["schemas"]["Page"];
        assert_eq!(page["properties"]["count"], json!({"type": "number"}));
        assert_eq!(
            page["properties"]["settings"],
            json!({
                "allOf": [{"$ref": "#/components/schemas/Setting"}],
                "nullable": true
            }),
            "the nullable place keeps its null; only a response carries `Page`, so the \
             optional member reads as an `Option`, not three-state"
        );
        let upstream = &report.upstream["Setting"];
        assert!(upstream.request && upstream.response);
        assert!(
            upstream.schema["properties"].get("label").is_none(),
            "upstream's shape is kept apart from the table's additions"
        );
        assert_eq!(
            three_state_members(&doc),
            [("Setting".to_owned(), "alwaysOnline".to_owned())]
        );
    }

    #[test]
    fn upstream_changes_reach_the_model_and_stale_differences_are_named() {
        let mut doc = document();
        let settings = doc
            .pointer_mut("/paths/~1v1~1x/patch/requestBody/content/application~1json/schema/properties/settings/properties")
            .unwrap();
        // Upstream removes `alwaysOnline`, documents `label` and requires `id` itself.
        settings.as_object_mut().unwrap().remove("alwaysOnline");
        settings["label"] = json!({"type": "integer"});
        for op in ["get", "patch"] {
            let at = if op == "get" {
                "/paths/~1v1~1x/get/responses/2XX/content/application~1json/schema/properties/settings"
            } else {
                "/paths/~1v1~1x/patch/requestBody/content/application~1json/schema/properties/settings"
            };
            doc.pointer_mut(at).unwrap()["required"] = json!(["id"]);
        }
        // And retypes `count`.
        doc.pointer_mut(
            "/paths/~1v1~1x/get/responses/2XX/content/application~1json/schema/properties/count",
        )
        .unwrap()["type"] = json!("string");
        let report = applied(TABLE, &mut doc);
        assert_eq!(
            stale_messages(&report),
            [
                "m.yaml, entry `Page`: upstream retyped `count` from integer to string; the \
                 table's `retype` (integer -> number) is not applied: review",
                "m.yaml, entry `Setting`: upstream now documents `label` (integer): the table's \
                 `add` is not used, upstream's shape is: review",
                "m.yaml, entry `Setting`: upstream now requires `id` itself: remove it from \
                 `required`",
                "m.yaml, entry `Setting`: upstream removed `alwaysOnline` from Setting (no \
                 place documents it); models.yaml still declares it: review",
            ]
        );
        let setting = &doc["components"]["schemas"]["Setting"]["properties"];
        assert!(setting.get("alwaysOnline").is_none(), "{setting}");
        assert_eq!(setting["label"]["type"], "integer", "upstream's type wins");
        assert_eq!(
            doc["components"]["schemas"]["Page"]["properties"]["count"]["type"],
            "string"
        );
    }

    #[test]
    fn value_sets_and_fills_apply_where_upstream_says_nothing() {
        let table = r#"
models:
  Kind:
    description: A kind.
    evidence: test
    at: [get_x response.kind]
    values: [a, b]
  Row:
    description: A row.
    evidence: test
    at:
      - get_x response.rows[]
    fill: {type: object, properties: {key: {type: string}}}
"#;
        let mut doc = json!({"paths": {"/v1/x": {"get": {"operationId": "get_x", "responses": {"2XX": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "rows": {"type": "array", "items": {}}}
        }}}}}}}}});
        let report = applied(table, &mut doc);
        assert!(report.stale.is_empty(), "{:?}", report.stale);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Kind"]["enum"], json!(["a", "b"]));
        assert_eq!(
            schemas["Row"]["properties"]["key"],
            json!({"type": "string"})
        );

        // Upstream declares its own value set and types the rows: upstream's are used.
        let schema = doc.pointer_mut("/paths/~1v1~1x/get").unwrap();
        *schema = json!({"operationId": "get_x", "responses": {"2XX": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": ["a", "c"]},
                "rows": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "integer"}}}}
            }
        }}}}}});
        let report = applied(table, &mut doc);
        assert_eq!(
            stale_messages(&report),
            [
                "m.yaml, entry `Kind`: upstream now declares the values as [a, c]; the \
                 table's [a, b] are not used: review",
                "m.yaml, entry `Row`: upstream now documents `properties.key.type` \
                 differently from `fill`: upstream's is used: review",
                "m.yaml, entry `Row`: upstream now documents `type` as `fill` does: remove \
                 them from it",
            ]
        );
        assert_eq!(
            doc["components"]["schemas"]["Kind"]["enum"],
            json!(["a", "c"])
        );
    }

    #[test]
    fn instants_apply_where_upstream_says_a_string_and_are_reported_otherwise() {
        let table = r#"
models:
  Row:
    description: A row.
    evidence: test
    at:
      - get_x response.rows[]
      - post_x body
    instants:
      createdAt: the docs example, 2026-06-20T10:00:00.000Z
      sentAt: the docs example, 2026-06-20T10:00:02.000Z
      count: test
      gone: test
    required: [sentAt]
"#;
        let read_only_table = table.replace("\n      - post_x body", "");
        let schema = |created: Value| {
            json!({"type": "object", "required": ["createdAt"], "properties": {
                "createdAt": created,
                "sentAt": {"type": "string"},
                "count": {"type": "integer"}
            }})
        };
        let doc = |created: Value, sent: bool| {
            let mut operations = json!({"/v1/x": {"get": {"operationId": "get_x", "responses": {"2XX": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"rows": {"type": "array", "items": schema(created.clone())}}
            }}}}}}}});
            if sent {
                operations["/v1/x"]["post"] = json!({"operationId": "post_x", "requestBody": {"content": {"application/json": {"schema": schema(created)}}}});
            }
            json!({"paths": operations})
        };
        // Read only: instants, and the required ones marked (`Option<Timestamp>` in Rust).
        let mut read_only = doc(json!({"type": "string"}), false);
        let report = applied(&read_only_table, &mut read_only);
        let row = &read_only["components"]["schemas"]["Row"]["properties"];
        assert_eq!(row["createdAt"]["format"], "date-time");
        assert_eq!(row["sentAt"]["format"], "date-time");
        assert_eq!(row["createdAt"][REQUIRED_INSTANT], true);
        assert_eq!(
            required_instant_members(&read_only),
            [
                ("Row".to_owned(), "createdAt".to_owned()),
                ("Row".to_owned(), "sentAt".to_owned())
            ]
        );
        assert_eq!(
            stale_messages(&report),
            [
                "m.yaml, entry `Row`: upstream types `count` as integer; the table's `instants` \
                 does not apply: review",
                "m.yaml, entry `Row`: upstream removed `gone` from Row (no place documents it); \
                 models.yaml still declares it: review",
            ]
        );
        // A model a request sends keeps its required instants required (strict in what is sent).
        let mut sent = doc(json!({"type": "string"}), true);
        applied(table, &mut sent);
        assert!(required_instant_members(&sent).is_empty());
        assert_eq!(
            sent["components"]["schemas"]["Row"]["properties"]["createdAt"]["format"],
            "date-time"
        );
        // Upstream declares the format itself: redundant.
        let mut declared = doc(json!({"type": "string", "format": "date-time"}), false);
        let report = applied(&read_only_table, &mut declared);
        assert!(
            stale_messages(&report).contains(
                &"m.yaml, entry `Row`: upstream now documents `createdAt` as an instant \
                  (format: date-time) itself: remove it from `instants`"
                    .to_owned()
            ),
            "{:?}",
            stale_messages(&report)
        );
        assert!(ModelTable::parse("m.yaml", &table.replace("count: test", "count: ''")).is_err());
    }

    #[test]
    fn places_that_disagree_are_reported() {
        let table = "models:\n  A:\n    description: a.\n    evidence: e\n    at: [get_x response, get_y response]\n";
        let op = |id: &str, kind: &str| {
            json!({"operationId": id, "responses": {"2XX": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"v": {"type": kind}, "n": {"type": "integer"}}
            }}}}}})
        };
        let mut doc = json!({"paths": {"/x": {"get": op("get_x", "string")}, "/y": {"get": op("get_y", "boolean")}}});
        let report = applied(table, &mut doc);
        assert_eq!(
            stale_messages(&report),
            [
                "m.yaml, entry `A`: the places of A disagree: `v` is string at `get_x response` \
              but boolean at `get_y response` (the first is used)"
            ]
        );
    }

    #[test]
    fn a_place_that_is_gone_is_stale_not_an_error() {
        let table =
            "models:\n  A:\n    description: a.\n    evidence: e\n    at: [gone_x response]\n";
        let report = applied(table, &mut document());
        assert_eq!(
            stale_messages(&report),
            ["m.yaml, entry `A`: `gone_x response` is not in the spec any more"]
        );
    }

    #[test]
    fn a_required_body_is_required_whatever_its_media_type_and_redundant_once_upstream_says_so() {
        let table = "models:\n  Settings:\n    description: s.\n    evidence: e\n    at: [patch_x body.settings]\n  Patch:\n    description: p.\n    evidence: e\n    at: [patch_x body]\n    required-body: true\n";
        let body = "/paths/~1v1~1x/patch/requestBody";
        let mut doc = document();
        let report = applied(table, &mut doc);
        assert!(report.stale.is_empty(), "{:?}", report.stale);
        assert_eq!(doc.pointer(body).unwrap()["required"], true);

        // Sent as a form, the body is still required (the place itself is reported gone).
        let mut form = document();
        let content = form
            .pointer_mut(&format!("{body}/content"))
            .unwrap()
            .as_object_mut()
            .unwrap();
        let media = content.remove("application/json").unwrap();
        content.insert("multipart/form-data".to_owned(), media);
        applied(table, &mut form);
        assert_eq!(form.pointer(body).unwrap()["required"], true);

        let mut upstream = document();
        upstream.pointer_mut(body).unwrap()["required"] = json!(true);
        assert_eq!(
            stale_messages(&applied(table, &mut upstream)),
            [
                "m.yaml, entry `Patch`: upstream now requires the body of `patch_x` itself: remove \
              `required-body`"
            ]
        );

        let nested = table.replace("[patch_x body]", "[patch_x body.other]");
        assert_eq!(
            ModelTable::parse("m.yaml", &nested)
                .unwrap_err()
                .to_string(),
            "m.yaml, entry `Patch`: `required-body` needs a place that is a whole request body \
             (`<operationId> body`)"
        );
    }

    #[test]
    fn inconsistent_tables_are_refused() {
        let model =
            |body: &str| format!("models:\n  A:\n    description: d.\n    evidence: e\n{body}");
        for (text, expected) in [
            (
                "models:\n  bad_name:\n    description: d.\n    evidence: e\n    schema: {}\n"
                    .to_owned(),
                "m.yaml, entry `bad_name`: a model name is UpperCamelCase, at most 40 characters",
            ),
            (
                model("    schema: {$ref: '#/components/schemas/B'}\n"),
                "m.yaml, entry `A`: `$ref` to `B`, which is not a model of the table",
            ),
            (
                model("    at: [x elsewhere]\n"),
                "m.yaml, entry `A`: `x elsewhere` is not a place",
            ),
            (
                model("    at: [x response]\n    schema: {type: string}\n"),
                "m.yaml, entry `A`: `schema` declares a model that has no place in the docs \
                 (`at: []`); a model with places follows upstream: state only its differences",
            ),
            (
                model("    at: []\n"),
                "m.yaml, entry `A`: a model without places (`at: []`) has no upstream shape: \
                 declare its `schema`",
            ),
            (
                model(
                    "    at: [x response]\n    members:\n      m: {retype: {from: integer, to: money}}\n",
                ),
                "m.yaml, entry `A`: member `m`: `money` is not a type (string, integer, number, \
                 boolean, object, array)",
            ),
            (
                model(
                    "    at: [x response]\n  B:\n    description: d.\n    evidence: e\n    at: [x response]\n",
                ),
                "m.yaml, entry `B`: `x response` is also a place of `A`",
            ),
        ] {
            assert_eq!(
                ModelTable::parse("m.yaml", &text).unwrap_err().to_string(),
                expected
            );
        }
    }
}
