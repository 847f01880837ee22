//! Webhook events: the payload types of `pilot_status::webhooks`, generated from the docs'
//! events page and the reviewed table `design/events.yaml`.
//!
//! The sync writes what the events page gives into the spec's OpenAPI 3.1 `webhooks` (one
//! entry per event the page names, tagged with its group; the body the page shows as the
//! example of its request body). From there, as for the models of `design/models.yaml`:
//!
//! - **upstream's shape**: each documented body gets a schema by the same inference as an
//!   example-only response (`infer_schemas`), and its payload is taken out of it (the `data`
//!   member, or the flat body without its `event`);
//! - **the table's delta**: `design/events.yaml` names the payload type of each event and
//!   states, with its evidence, what it adds to upstream's shape: names, descriptions,
//!   required-ness, nullability, value sets, members only the official SDK documents (most
//!   events have no body in the docs at all: their types are then all reviewed data), the
//!   parts several payloads share (`MessageCommon`, `LineRef`, flattened into them), and
//!   the named types of members (`MessageType`, `LeadField`);
//! - **the generated Rust**: one type per table entry, every struct keeping unknown members
//!   in a flattened `extra` map (on the shared part where there is one), every enum open
//!   (`Unknown(String)`, `#[non_exhaustive]`); `build.rs` writes it to `OUT_DIR/events.rs`,
//!   which `src/webhooks/payloads.rs` includes. The envelope (which event carries which
//!   type, `data` or flat) and the parsing stay hand-written in `src/webhooks/`.
//!
//! A member upstream adds joins the type (optional), one it removes leaves it, one it retypes
//! takes the new type; a difference of the table that no longer holds is reported as stale,
//! naming the type and the member, as for the models. The sync report names the events the
//! docs add or drop and each payload type's changes in upstream's terms ([`changes`]), and
//! the surface snapshot of the events (`tests/snapshots/surface__events.snap`) shows the
//! generated types.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::design::StaleEntry;
use crate::design::models::upstream::{self, UpstreamModel, model_ref};
use crate::design::models::{Delta, MemberDelta, Place, REF_PREFIX, RawRetype, Root};
use crate::design::operations::KEYWORDS;
use crate::error::{Result, SpecError};

/// The table's file, in messages.
const FILE: &str = "design/events.yaml";
/// The table's name in the messages of its differences.
const TABLE: &str = "events.yaml";

/// The parsed `design/events.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventTable {
    /// The events, in the table's order.
    pub events: Vec<EventEntry>,
    /// The types, in the table's order.
    pub types: Vec<TypeEntry>,
}

/// One event of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct EventEntry {
    /// Its name on the wire (`message.received`).
    pub name: String,
    /// Where its payload is in the body.
    pub payload: Payload,
    /// The payload's type (none for a raw event).
    pub type_name: Option<String>,
    /// Why the SDK has an event the docs do not name (its evidence), if it is one.
    pub undocumented: Option<String>,
}

/// Where an event's payload is in its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// `{event, data}` (and `{id, event, createdAt, data}`): the `data` object.
    Data,
    /// The members next to `event`.
    Flat,
    /// The body as delivered, untyped.
    Raw,
}

impl Payload {
    /// `data`, `flat` or `raw`, as the table writes it.
    pub fn text(self) -> &'static str {
        match self {
            Self::Data => "data",
            Self::Flat => "flat",
            Self::Raw => "raw",
        }
    }
}

/// One type of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeEntry {
    /// The Rust name.
    pub name: String,
    /// Its rustdoc.
    pub description: String,
    /// Where it and its differences from upstream come from.
    pub evidence: String,
    /// Flattened into the payloads that name it in `parts`, as this field.
    pub part: Option<Field>,
    /// The parts it flattens.
    pub parts: Vec<String>,
    /// The map of members this version does not model; `None`: the default.
    pub extra: Option<Field>,
    /// Its members, in order (a struct).
    pub members: Vec<MemberEntry>,
    /// Members it requires although upstream does not.
    pub required: Vec<String>,
    /// Members that may be `null` although upstream does not say so.
    pub nullable: Vec<String>,
    /// Members that are instants although upstream types them as plain strings, each with
    /// its evidence.
    pub instants: BTreeMap<String, String>,
    /// Its values and their rustdoc (an enum).
    pub values: Vec<(Value, String)>,
    /// The rustdoc of an enum's catch-all `Unknown(String)`.
    pub unknown: Option<String>,
}

impl TypeEntry {
    fn is_enum(&self) -> bool {
        !self.values.is_empty()
    }
}

/// A field the table names: the flattened part of a payload, or its `extra` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The Rust field name.
    pub field: String,
    /// Its rustdoc.
    pub description: String,
}

/// One member of a type.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberEntry {
    /// The name on the wire.
    pub name: String,
    /// The Rust field name, when not the snake case of the wire name.
    pub rust_name: Option<String>,
    /// The member is this type of the table.
    pub model: Option<String>,
    /// The member is a list of this type of the table.
    pub items: Option<String>,
    /// What the table says about it on top of upstream (description, `add`, `retype`).
    pub delta: MemberDelta,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    events: yaml_serde::Mapping,
    types: yaml_serde::Mapping,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEvent {
    #[serde(rename = "type")]
    type_name: Option<String>,
    payload: String,
    undocumented: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawType {
    description: String,
    evidence: String,
    part: Option<RawField>,
    #[serde(default)]
    parts: Vec<String>,
    extra: Option<RawField>,
    members: Option<yaml_serde::Mapping>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    nullable: Vec<String>,
    #[serde(default)]
    instants: BTreeMap<String, String>,
    values: Option<yaml_serde::Mapping>,
    unknown: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    field: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMember {
    description: Option<String>,
    rust_name: Option<String>,
    model: Option<String>,
    items: Option<String>,
    add: Option<yaml_serde::Value>,
    retype: Option<RawRetype>,
    evidence: Option<String>,
}

fn table_error(key: &str, message: impl Into<String>) -> SpecError {
    SpecError::Design {
        file: FILE.to_owned(),
        key: key.to_owned(),
        message: message.into(),
    }
}

/// A YAML value as JSON (keys as strings).
fn to_json(value: &yaml_serde::Value) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn key_text(key: &yaml_serde::Value) -> String {
    match key {
        yaml_serde::Value::String(text) => text.clone(),
        other => to_json(other).to_string(),
    }
}

fn is_snake_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// The Rust field name of a wire name: its snake case, `_` appended to a keyword.
fn field_name(wire: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(wire);
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) || snake.is_empty() {
        format!("member_{snake}")
    } else {
        snake
    }
}

impl EventTable {
    /// Parses the table and checks it in itself: names, descriptions, evidence, the events'
    /// types and payloads, parts, members and value sets.
    pub fn parse(text: &str) -> Result<Self> {
        let raw: RawTable = yaml_serde::from_str(text)
            .map_err(|error| table_error("", format!("not a valid table: {error}")))?;
        let mut types = Vec::new();
        for (key, value) in &raw.types {
            let name = key_text(key);
            let error = |message: String| table_error(&name, message);
            let raw: RawType =
                yaml_serde::from_value(value.clone()).map_err(|e| error(e.to_string()))?;
            let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !camel {
                return Err(error("a type name is UpperCamelCase".to_owned()));
            }
            if raw.description.trim().is_empty() || raw.evidence.trim().is_empty() {
                return Err(error(
                    "every type needs a description and its evidence".to_owned(),
                ));
            }
            let mut members = Vec::new();
            for (key, value) in raw.members.iter().flatten() {
                let member = key_text(key);
                members.push(member_entry(&member, value).map_err(&error)?);
            }
            let mut values = Vec::new();
            for (key, value) in raw.values.iter().flatten() {
                let doc = match value {
                    yaml_serde::Value::String(doc) if !doc.trim().is_empty() => {
                        doc.trim().to_owned()
                    }
                    _ => {
                        return Err(error(format!(
                            "value `{}`: its rustdoc sentence",
                            key_text(key)
                        )));
                    }
                };
                values.push((to_json(key), doc));
            }
            if !values.is_empty()
                && (!members.is_empty() || raw.part.is_some() || !raw.parts.is_empty())
            {
                return Err(error(
                    "an enum (`values`) has no members, parts or part".to_owned(),
                ));
            }
            if !values.is_empty() && raw.unknown.is_none() {
                return Err(error(
                    "an enum needs the rustdoc of its `unknown` catch-all".to_owned(),
                ));
            }
            let listed: BTreeSet<&str> = members.iter().map(|m| m.name.as_str()).collect();
            for (list, names) in [("required", &raw.required), ("nullable", &raw.nullable)] {
                if let Some(missing) = names.iter().find(|n| !listed.contains(n.as_str())) {
                    return Err(error(format!(
                        "`{list}` names `{missing}`, which `members` does not list"
                    )));
                }
            }
            for (member, evidence) in &raw.instants {
                if !listed.contains(member.as_str()) {
                    return Err(error(format!(
                        "`instants` names `{member}`, which `members` does not list"
                    )));
                }
                if evidence.trim().is_empty() {
                    return Err(error(format!("`instants`: `{member}` needs its evidence")));
                }
            }
            let mut rust_names = BTreeSet::new();
            for member in &members {
                let rust = member
                    .rust_name
                    .clone()
                    .unwrap_or_else(|| field_name(&member.name));
                if !rust_names.insert(rust.clone()) {
                    return Err(error(format!("two members are the field `{rust}`")));
                }
            }
            let field = |raw: Option<RawField>| -> Result<Option<Field>> {
                raw.map(|raw| {
                    if !is_snake_identifier(&raw.field) || raw.description.trim().is_empty() {
                        return Err(table_error(
                            &name,
                            format!(
                                "`{}` must be a snake_case field name with a description",
                                raw.field
                            ),
                        ));
                    }
                    Ok(Field {
                        field: raw.field,
                        description: raw.description.trim().to_owned(),
                    })
                })
                .transpose()
            };
            types.push(TypeEntry {
                description: raw.description.trim().to_owned(),
                evidence: raw.evidence.trim().to_owned(),
                part: field(raw.part)?,
                parts: raw.parts,
                extra: field(raw.extra)?,
                members,
                required: raw.required,
                nullable: raw.nullable,
                instants: raw.instants,
                values,
                unknown: raw.unknown.map(|text| text.trim().to_owned()),
                name,
            });
        }
        let names: BTreeMap<&str, &TypeEntry> = types
            .iter()
            .map(|entry| (entry.name.as_str(), entry))
            .collect();
        for entry in &types {
            for part in &entry.parts {
                if names.get(part.as_str()).is_none_or(|p| p.part.is_none()) {
                    return Err(table_error(
                        &entry.name,
                        format!("`parts` names `{part}`, which is not a part of the table"),
                    ));
                }
            }
            for member in &entry.members {
                for named in member.model.iter().chain(&member.items) {
                    if !names.contains_key(named.as_str()) {
                        return Err(table_error(
                            &entry.name,
                            format!(
                                "member `{}` is a `{named}`, which is not a type of the table",
                                member.name
                            ),
                        ));
                    }
                }
            }
        }
        let mut events = Vec::new();
        for (key, value) in &raw.events {
            let name = key_text(key);
            let error = |message: String| table_error(&name, message);
            let raw: RawEvent =
                yaml_serde::from_value(value.clone()).map_err(|e| error(e.to_string()))?;
            let payload = match raw.payload.as_str() {
                "data" => Payload::Data,
                "flat" => Payload::Flat,
                "raw" => Payload::Raw,
                other => {
                    return Err(error(format!(
                        "`payload` is data, flat or raw, not `{other}`"
                    )));
                }
            };
            match (&raw.type_name, payload) {
                (Some(_), Payload::Raw) | (None, Payload::Data | Payload::Flat) => {
                    return Err(error(
                        "a raw event has no `type`; a data or flat one has one".to_owned(),
                    ));
                }
                (Some(type_name), _)
                    if names.get(type_name.as_str()).is_none_or(|t| t.is_enum()) =>
                {
                    return Err(error(format!(
                        "`type` names `{type_name}`, which is not a payload type of the table"
                    )));
                }
                _ => {}
            }
            if raw
                .undocumented
                .as_deref()
                .is_some_and(|text| text.trim().is_empty())
            {
                return Err(error("`undocumented` states its evidence".to_owned()));
            }
            events.push(EventEntry {
                name,
                payload,
                type_name: raw.type_name,
                undocumented: raw.undocumented.map(|text| text.trim().to_owned()),
            });
        }
        let table = Self { events, types };
        table.order()?;
        Ok(table)
    }

    fn get(&self, name: &str) -> Option<&TypeEntry> {
        self.types.iter().find(|entry| entry.name == name)
    }

    /// The types in the order their upstream shapes are read: every type after the types
    /// that hand it places (the payloads that flatten a part, the types whose members are
    /// of it).
    fn order(&self) -> Result<Vec<&TypeEntry>> {
        let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
        for _ in 0..=self.types.len() {
            let mut changed = false;
            for entry in &self.types {
                let own = depth.get(entry.name.as_str()).copied().unwrap_or(0);
                let children = entry.parts.iter().chain(
                    entry
                        .members
                        .iter()
                        .flat_map(|m| m.model.iter().chain(&m.items)),
                );
                for child in children {
                    let slot = depth.entry(child.as_str()).or_insert(0);
                    if *slot <= own {
                        *slot = own + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                let mut ordered: Vec<&TypeEntry> = self.types.iter().collect();
                ordered.sort_by_key(|entry| depth.get(entry.name.as_str()).copied().unwrap_or(0));
                return Ok(ordered);
            }
        }
        Err(table_error(
            "",
            "the types refer to each other in a cycle (parts, `model`, `items`)",
        ))
    }
}

fn member_entry(name: &str, value: &yaml_serde::Value) -> std::result::Result<MemberEntry, String> {
    let raw = match value {
        yaml_serde::Value::String(description) => RawMember {
            description: Some(description.clone()),
            rust_name: None,
            model: None,
            items: None,
            add: None,
            retype: None,
            evidence: None,
        },
        value @ yaml_serde::Value::Mapping(_) => yaml_serde::from_value(value.clone())
            .map_err(|error| format!("member `{name}`: {error}"))?,
        _ => {
            return Err(format!(
                "member `{name}`: a description, or a map of its differences"
            ));
        }
    };
    if raw
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        return Err(format!("member `{name}` needs its rustdoc `description`"));
    }
    if let Some(rust) = &raw.rust_name
        && !is_snake_identifier(rust)
    {
        return Err(format!(
            "member `{name}`: `{rust}` is not a snake_case field name"
        ));
    }
    if raw.model.is_some() && raw.items.is_some() {
        return Err(format!("member `{name}`: `model` or `items`, not both"));
    }
    let add = raw.add.as_ref().map(to_json);
    if add.as_ref().is_some_and(|add| !add.is_object()) {
        return Err(format!("member `{name}`: `add` must be a schema object"));
    }
    if add.is_some() && (raw.model.is_some() || raw.items.is_some()) {
        return Err(format!(
            "member `{name}`: a `model` or `items` member is that type: no `add`"
        ));
    }
    Ok(MemberEntry {
        name: name.to_owned(),
        rust_name: raw.rust_name,
        model: raw.model,
        items: raw.items,
        delta: MemberDelta {
            description: raw.description.map(|d| d.trim().to_owned()),
            add,
            values: None,
            retype: raw.retype.map(|r| (r.from, r.to)),
            fill: None,
            always_sent: false,
            evidence: raw.evidence.map(|e| e.trim().to_owned()),
        },
    })
}

/// An event as the docs give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documented {
    /// The group the docs list it under.
    pub group: Option<String>,
    /// Whether they show a body of it.
    pub example: bool,
}

/// The events and their payload types, as generated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreparedEvents {
    /// The events the docs name, by name.
    pub documented: BTreeMap<String, Documented>,
    /// Each type as upstream documents it (before the table's differences).
    pub upstream: BTreeMap<String, UpstreamModel>,
    /// Each type as the table makes it, as a schema.
    pub designed: BTreeMap<String, Value>,
    /// The types to generate, in the table's order.
    pub types: Vec<EventType>,
    /// The table's events, and the events the docs name that the table does not.
    pub events: Vec<EventLine>,
    /// Where the table no longer matches the docs.
    pub stale: Vec<StaleEntry>,
    /// The members the table says anything about, per type.
    pub declared: BTreeMap<String, BTreeSet<String>>,
}

/// One event of the surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    /// Its name.
    pub name: String,
    /// Where its payload is (`None`: the table does not list it).
    pub payload: Option<Payload>,
    /// Its type.
    pub type_name: Option<String>,
    /// What the docs give of it (`None`: they do not name it).
    pub documented: Option<Documented>,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct EventType {
    /// Its name.
    pub name: String,
    /// Its rustdoc.
    pub description: String,
    /// What it is.
    pub kind: Kind,
}

/// A struct or an enum.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A struct.
    Struct {
        /// The flattened parts: (field, type, rustdoc).
        parts: Vec<(String, String, String)>,
        /// The members.
        fields: Vec<FieldSpec>,
        /// The map of unknown members, when the struct keeps them itself.
        extra: Option<Field>,
    },
    /// An open enum of strings.
    Enum {
        /// (wire value, variant name, rustdoc).
        variants: Vec<(String, String, String)>,
        /// The rustdoc of `Unknown(String)`.
        unknown: String,
    },
}

/// One generated struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub rust_name: String,
    /// Its type without `Option`.
    pub rust_type: String,
    /// Whether the body must have it.
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
    /// Its rustdoc.
    pub description: String,
}

impl FieldSpec {
    /// A required instant: `Option<Timestamp>`, read through
    /// `pilot_status::__required_instant` (no instant stands in for a missing or unreadable
    /// one; the reader reports it and reads `None`).
    pub fn is_required_instant(&self) -> bool {
        self.required && !self.nullable && self.rust_type == "Timestamp"
    }

    /// The type as declared: `Option<T>` unless required and not nullable (or a required
    /// instant).
    pub fn declared_type(&self) -> String {
        if self.required && !self.nullable && !self.is_required_instant() {
            self.rust_type.clone()
        } else {
            format!("Option<{}>", self.rust_type)
        }
    }
}

/// The default rustdoc of the map of unknown members.
const EXTRA: &str = "Members of the event's payload this version does not model, kept as \
                     they came (and serialized back): a member upstream adds is never lost.";

/// The body schema of each event the spec's `webhooks` show, and what the docs say of each.
fn upstream_bodies(webhooks: &Value) -> (BTreeMap<String, Documented>, BTreeMap<String, Value>) {
    let mut documented = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for (name, item) in webhooks.as_object().into_iter().flatten() {
        let operation = item.get("post").unwrap_or(&Value::Null);
        let media = operation
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
            .and_then(|content| {
                content
                    .iter()
                    .find(|(media, _)| crate::normalise::is_json_media_type(media))
                    .and_then(|(_, media)| media.as_object())
            });
        let body = media.and_then(crate::normalise::examples::media_schema);
        documented.insert(
            name.clone(),
            Documented {
                group: operation
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                example: body.is_some(),
            },
        );
        if let Some(body) = body {
            bodies.insert(name.clone(), body);
        }
    }
    (documented, bodies)
}

/// The payload in a body schema.
fn payload_of(body: &Value, payload: Payload) -> Option<Value> {
    match payload {
        Payload::Data => body
            .pointer("/properties/data")
            .filter(|data| data.is_object())
            .cloned(),
        Payload::Flat => {
            let mut flat = body.clone();
            if let Some(Value::Object(members)) = flat.get_mut("properties") {
                members.remove("event");
            }
            Some(flat)
        }
        Payload::Raw => None,
    }
}

fn members_mut(schema: &mut Value) -> Option<&mut Map<String, Value>> {
    schema.get_mut("properties").and_then(Value::as_object_mut)
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("{REF_PREFIX}{name}")})
}

/// Reads upstream's events (the spec's `webhooks`, after the overlays) with the table.
pub fn prepare(webhooks: &Value, table: &EventTable) -> Result<PreparedEvents> {
    let (documented, bodies) = upstream_bodies(webhooks);
    let mut out = PreparedEvents {
        documented: documented.clone(),
        ..PreparedEvents::default()
    };
    let stale = |key: &str, message: String| StaleEntry {
        file: FILE.to_owned(),
        key: key.to_owned(),
        message,
    };
    // The events, and what the docs say of them.
    for entry in &table.events {
        let documented = documented.get(&entry.name).cloned();
        match (&documented, &entry.undocumented) {
            (None, None) => out.stale.push(stale(
                &entry.name,
                "the docs no longer name this event: review".to_owned(),
            )),
            (Some(_), Some(_)) => out.stale.push(stale(
                &entry.name,
                "the docs now name this event: drop its `undocumented`".to_owned(),
            )),
            _ => {}
        }
        out.events.push(EventLine {
            name: entry.name.clone(),
            payload: Some(entry.payload),
            type_name: entry.type_name.clone(),
            documented,
        });
    }
    for (name, documented) in &documented {
        if table.events.iter().any(|entry| entry.name == *name) {
            continue;
        }
        out.stale.push(stale(
            name,
            "the docs name this event, which the table does not list: it arrives as \
             `Event::Unknown` until it has an entry and a variant"
                .to_owned(),
        ));
        out.events.push(EventLine {
            name: name.clone(),
            payload: None,
            type_name: None,
            documented: Some(documented.clone()),
        });
    }
    out.events.sort_by(|a, b| a.name.cmp(&b.name));

    // Each type's places: the payloads of its events, and of the events of the payloads
    // that flatten it.
    let mut instances: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for entry in &table.events {
        let (Some(type_name), Some(body)) = (&entry.type_name, bodies.get(&entry.name)) else {
            continue;
        };
        let Some(payload) = payload_of(body, entry.payload) else {
            continue;
        };
        let place = format!(
            "{} {}",
            entry.name,
            if entry.payload == Payload::Flat {
                "body"
            } else {
                "data"
            }
        );
        let parts = table
            .get(type_name)
            .map(|t| t.parts.clone())
            .unwrap_or_default();
        for owner in std::iter::once(type_name).chain(&parts) {
            instances
                .entry(owner.clone())
                .or_default()
                .push((place.clone(), payload.clone()));
        }
    }
    for entry in table.order()? {
        let mut found = instances.remove(&entry.name).unwrap_or_default();
        let part_members: BTreeSet<String> = entry
            .parts
            .iter()
            .filter_map(|part| table.get(part))
            .flat_map(|part| part.members.iter().map(|m| m.name.clone()))
            .collect();
        let own: BTreeSet<&str> = entry.members.iter().map(|m| m.name.as_str()).collect();
        for (place, schema) in &mut found {
            if let Some(members) = members_mut(schema) {
                if entry.part.is_some() {
                    members.retain(|name, _| own.contains(name.as_str()));
                } else {
                    members.retain(|name, _| !part_members.contains(name));
                }
            }
            for member in &entry.members {
                let Some(members) = members_mut(schema) else {
                    break;
                };
                let Some(found) = members.get_mut(&member.name) else {
                    continue;
                };
                if let Some(model) = &member.model {
                    let inner = std::mem::replace(found, reference(model));
                    instances
                        .entry(model.clone())
                        .or_default()
                        .push((format!("{place}.{}", member.name), inner));
                } else if let Some(model) = &member.items
                    && let Some(items) = found.get_mut("items")
                {
                    let inner = std::mem::replace(items, reference(model));
                    instances
                        .entry(model.clone())
                        .or_default()
                        .push((format!("{place}.{}[]", member.name), inner));
                }
            }
        }
        let places: Vec<Place> = found
            .iter()
            .map(|(text, _)| Place {
                text: text.clone(),
                operation: text.split(' ').next().unwrap_or_default().to_owned(),
                root: Root::Response,
                steps: Vec::new(),
            })
            .collect();
        let pairs: Vec<(&Place, Value)> = places
            .iter()
            .zip(found)
            .map(|(place, (_, schema))| (place, schema))
            .collect();
        let mut merged = upstream::merge(&entry.name, &pairs);
        merged.model.request = false;
        merged.model.response = false;
        // A type without a documented place is still a struct (or an enum of strings).
        if let Some(object) = merged.model.schema.as_object_mut() {
            object
                .entry("type")
                .or_insert_with(|| Value::from(if entry.is_enum() { "string" } else { "object" }));
        }
        let mut messages = merged.disagreements;
        let has = |member: &str| {
            merged
                .model
                .schema
                .pointer(&format!("/properties/{member}"))
                .is_some()
        };
        let members: BTreeMap<String, MemberDelta> = entry
            .members
            .iter()
            .map(|member| {
                let mut delta = member.delta.clone();
                if !has(&member.name) {
                    if let Some(model) = &member.model {
                        delta.add = Some(reference(model));
                    } else if let Some(model) = &member.items {
                        delta.add = Some(json!({"type": "array", "items": reference(model)}));
                    }
                }
                (member.name.clone(), delta)
            })
            .collect();
        let delta = Delta {
            fill: None,
            values: entry
                .is_enum()
                .then(|| entry.values.iter().map(|(v, _)| v.clone()).collect()),
            required: entry.required.clone(),
            nullable: entry.nullable.clone(),
            instants: entry.instants.clone(),
            members,
        };
        let designed = crate::design::models::delta::apply(
            merged.model.schema.clone(),
            &entry.name,
            &delta,
            TABLE,
            &mut messages,
        );
        out.stale.extend(
            messages
                .into_iter()
                .map(|message| stale(&entry.name, message)),
        );
        out.declared.insert(
            entry.name.clone(),
            entry.members.iter().map(|m| m.name.clone()).collect(),
        );
        out.upstream.insert(entry.name.clone(), merged.model);
        out.designed.insert(entry.name.clone(), designed);
    }
    for entry in &table.types {
        let designed = out
            .designed
            .get(&entry.name)
            .cloned()
            .unwrap_or(Value::Null);
        out.types.push(event_type(entry, &designed, table));
    }
    Ok(out)
}

/// What a designed schema generates.
fn event_type(entry: &TypeEntry, designed: &Value, table: &EventTable) -> EventType {
    let kind = if entry.is_enum() {
        let docs: BTreeMap<String, &str> = entry
            .values
            .iter()
            .map(|(value, doc)| (plain(value), doc.as_str()))
            .collect();
        let mut seen = BTreeSet::new();
        let variants = designed
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(plain)
            .filter(|value| seen.insert(value.clone()))
            .map(|value| {
                let doc = docs.get(&value).map_or_else(
                    || format!("`{value}`, as upstream names it."),
                    |d| (*d).to_owned(),
                );
                (value.clone(), variant_name(&value), doc)
            })
            .collect();
        Kind::Enum {
            variants,
            unknown: entry.unknown.clone().unwrap_or_default(),
        }
    } else {
        let properties = designed
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let required: BTreeSet<&str> = designed
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let listed: Vec<&str> = entry.members.iter().map(|m| m.name.as_str()).collect();
        let mut names: Vec<&String> = listed
            .iter()
            .filter_map(|name| properties.get_key_value(*name).map(|(k, _)| k))
            .collect();
        names.extend(properties.keys().filter(|k| !listed.contains(&k.as_str())));
        let fields = names
            .into_iter()
            .map(|wire| {
                let schema = &properties[wire];
                let member = entry.members.iter().find(|m| m.name == *wire);
                FieldSpec {
                    wire: wire.clone(),
                    rust_name: member
                        .and_then(|m| m.rust_name.clone())
                        .unwrap_or_else(|| field_name(wire)),
                    rust_type: rust_type(schema),
                    required: required.contains(wire.as_str()),
                    nullable: schema.get("nullable") == Some(&Value::Bool(true)),
                    description: schema
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .unwrap_or_else(|| {
                            format!("`{wire}`, as upstream documents it (not reviewed yet).")
                        }),
                }
            })
            .collect();
        let parts = entry
            .parts
            .iter()
            .filter_map(|part| table.get(part))
            .filter_map(|part| {
                part.part.as_ref().map(|field| {
                    (
                        field.field.clone(),
                        part.name.clone(),
                        field.description.clone(),
                    )
                })
            })
            .collect::<Vec<_>>();
        let extra = if parts.is_empty() {
            Some(entry.extra.clone().unwrap_or_else(|| Field {
                field: "extra".to_owned(),
                description: EXTRA.to_owned(),
            }))
        } else {
            None
        };
        Kind::Struct {
            parts,
            fields,
            extra,
        }
    };
    EventType {
        name: entry.name.clone(),
        description: entry.description.clone(),
        kind,
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `PENDING_CONTACT` → `PendingContact`, `text` → `Text`.
fn variant_name(value: &str) -> String {
    let name = heck::ToUpperCamelCase::to_upper_camel_case(value);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || name == "Unknown" {
        format!("Value{name}")
    } else {
        name
    }
}

/// The Rust type of a member's schema (without its `Option`).
fn rust_type(schema: &Value) -> String {
    if let Some(model) = model_ref(schema) {
        return model.to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string")
            if schema.get("format").and_then(Value::as_str)
                == Some(crate::design::models::delta::INSTANT_FORMAT) =>
        {
            "Timestamp".to_owned()
        }
        Some("string") => "String".to_owned(),
        Some("integer") => "i64".to_owned(),
        Some("number") => "f64".to_owned(),
        Some("boolean") => "bool".to_owned(),
        Some("array") => format!(
            "Vec<{}>",
            schema
                .get("items")
                .map_or_else(|| "Value".to_owned(), rust_type)
        ),
        Some("object") => "Map<String, Value>".to_owned(),
        _ => "Value".to_owned(),
    }
}

/// Tokens of a type the generator names in short form (`Map<String, Value>`).
fn type_tokens(text: &str) -> TokenStream {
    match text.split_once('<') {
        Some(("Vec", inner)) => {
            let inner = type_tokens(inner.strip_suffix('>').unwrap_or(inner));
            quote!(::std::vec::Vec<#inner>)
        }
        Some(("Option", inner)) => {
            let inner = type_tokens(inner.strip_suffix('>').unwrap_or(inner));
            quote!(::std::option::Option<#inner>)
        }
        Some(("Map", _)) => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        _ => match text {
            "String" => quote!(::std::string::String),
            "Timestamp" => quote!(::pilot_status::Timestamp),
            "Value" => quote!(::serde_json::Value),
            "i64" | "f64" | "bool" => {
                let ident = format_ident!("{}", text);
                quote!(#ident)
            }
            name => {
                let ident = format_ident!("{}", name);
                quote!(#ident)
            }
        },
    }
}

/// The first line of the generated file.
pub const HEADER: &str = "// @generated by pilot-status-codegen from openapi.json (webhooks) and \
design/events.yaml: do not edit.\n\n";

/// The Rust source of the payload types.
pub fn generate(events: &PreparedEvents) -> Result<String> {
    let items = events.types.iter().map(type_item);
    let tokens = quote!(#(#items)*);
    let file: syn::File = syn::parse2(tokens).map_err(|error| SpecError::Rewrite {
        rule: "events",
        message: format!("the generated event types do not parse: {error}"),
    })?;
    Ok(format!("{HEADER}{}", prettyplease::unparse(&file)))
}

fn type_item(event_type: &EventType) -> TokenStream {
    let name = format_ident!("{}", event_type.name);
    let doc = &event_type.description;
    match &event_type.kind {
        Kind::Enum { variants, unknown } => {
            let variants = variants.iter().map(|(wire, variant, doc)| {
                let variant = format_ident!("{}", variant);
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire)]
                    #variant,
                }
            });
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #[doc = #unknown]
                    #[serde(untagged)]
                    Unknown(::std::string::String),
                }
            }
        }
        Kind::Struct {
            parts,
            fields,
            extra,
        } => {
            let parts = parts.iter().map(|(field, part, doc)| {
                let field = format_ident!("{}", field);
                let part = format_ident!("{}", part);
                quote! {
                    #[doc = #doc]
                    #[serde(flatten)]
                    pub #field: #part,
                }
            });
            let fields = fields.iter().map(|field| {
                let ident = format_ident!("{}", field.rust_name);
                let ty = type_tokens(&field.declared_type());
                let doc = &field.description;
                let wire = &field.wire;
                let renamed = field.rust_name != field.wire;
                let optional = !field.required;
                let serde = match (renamed, optional) {
                    _ if field.is_required_instant() => {
                        let rename = renamed.then(|| quote!(rename = #wire,));
                        quote!(#[serde(#rename deserialize_with = "::pilot_status::__required_instant", skip_serializing_if = "Option::is_none")])
                    }
                    (true, true) => quote!(#[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]),
                    (true, false) => quote!(#[serde(rename = #wire)]),
                    (false, true) => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
                    (false, false) => quote!(),
                };
                let note = field.is_required_instant().then(|| {
                    let note = crate::codegen::instants::REQUIRED_NOTE.replace("response", "event");
                    quote!(#[doc = ""] #[doc = #note])
                });
                quote! {
                    #[doc = #doc]
                    #note
                    #serde
                    pub #ident: #ty,
                }
            });
            let extra = extra.iter().map(|extra| {
                let field = format_ident!("{}", extra.field);
                let doc = &extra.description;
                quote! {
                    #[doc = #doc]
                    #[serde(flatten)]
                    pub #field: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            });
            quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#parts)*
                    #(#fields)*
                    #(#extra)*
                }
            }
        }
    }
}

#[cfg(feature = "report")]
mod report;
#[cfg(feature = "report")]
pub use report::{changes, surface, type_changes};

#[cfg(test)]
mod tests;
