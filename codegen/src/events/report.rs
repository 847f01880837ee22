//! The events' surface and how it changed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{EventType, Kind, PreparedEvents, TABLE};
use crate::diff::{Entry, type_subject};
use crate::surface::{Field, TypeDef, Variant};

/// A generated type as the surface shows it (the client's types print the same way).
fn type_def(event_type: &EventType) -> TypeDef {
    match &event_type.kind {
        Kind::Struct {
            parts,
            fields,
            extra,
        } => {
            let mut out: Vec<Field> = parts
                .iter()
                .map(|(field, part, _)| Field {
                    name: field.clone(),
                    rust_name: field.clone(),
                    rust_type: format!("{part} (flattened)"),
                })
                .collect();
            out.extend(fields.iter().map(|field| Field {
                name: field.wire.clone(),
                rust_name: field.rust_name.clone(),
                rust_type: if field.is_required_instant() {
                    field.declared_type() + crate::codegen::instants::REQUIRED_INSTANT_NOTE
                } else {
                    field.declared_type()
                },
            }));
            out.extend(extra.iter().map(|extra| Field {
                name: extra.field.clone(),
                rust_name: extra.field.clone(),
                rust_type: "Map<String, Value>".to_owned(),
            }));
            TypeDef::Struct(out)
        }
        Kind::Enum { variants, .. } => {
            let mut out: Vec<Variant> = variants
                .iter()
                .map(|(wire, name, _)| Variant {
                    rust_name: name.clone(),
                    wire: Some(wire.clone()),
                    payload: None,
                    members: Vec::new(),
                })
                .collect();
            out.push(Variant {
                rust_name: "Unknown".to_owned(),
                wire: None,
                payload: Some("String".to_owned()),
                members: Vec::new(),
            });
            TypeDef::Enum(out)
        }
    }
}

/// The surface of the events, for review (`tests/snapshots/surface__events.snap`): each
/// event, where its payload is and its type, and what the docs give of it; then each type.
pub fn surface(events: &PreparedEvents) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "webhook events ({})", events.events.len());
    for event in &events.events {
        let payload = match (event.payload, &event.type_name) {
            (Some(payload), Some(type_name)) => format!("{} -> {type_name}", payload.text()),
            (Some(payload), None) => payload.text().to_owned(),
            (None, _) => "no entry in design/events.yaml: Event::Unknown".to_owned(),
        };
        let docs = match &event.documented {
            Some(documented) => format!(
                "docs: {}{}",
                documented.group.as_deref().unwrap_or("no group"),
                if documented.example {
                    ", with a body"
                } else {
                    ""
                }
            ),
            None => "not in the docs".to_owned(),
        };
        let _ = writeln!(out, "  {}  {payload}  ({docs})", event.name);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "types ({})", events.types.len());
    let mut types: Vec<&EventType> = events.types.iter().collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    for event_type in types {
        let _ = writeln!(out);
        out.push_str(&crate::surface::type_text(
            &event_type.name,
            &type_def(event_type),
        ));
    }
    out
}

/// The generated types that change, as the report's type section lists them.
pub fn type_changes(old: &PreparedEvents, new: &PreparedEvents) -> Vec<Entry> {
    let defs = |events: &PreparedEvents| -> BTreeMap<String, TypeDef> {
        events
            .types
            .iter()
            .map(|t| (t.name.clone(), type_def(t)))
            .collect()
    };
    let (old, new) = (defs(old), defs(new));
    let mut entries = Vec::new();
    for name in old
        .keys()
        .chain(new.keys().filter(|k| !old.contains_key(*k)))
    {
        match (old.get(name), new.get(name)) {
            (Some(before), Some(after)) if before != after => entries.push(Entry {
                sign: '~',
                subject: type_subject(name, after),
                breaking: false,
                changes: crate::diff::type_changes(before, after),
            }),
            (Some(before), None) => entries.push(Entry {
                sign: '-',
                subject: type_subject(name, before),
                breaking: true,
                changes: Vec::new(),
            }),
            (None, Some(after)) => entries.push(Entry {
                sign: '+',
                subject: type_subject(name, after),
                breaking: false,
                changes: Vec::new(),
            }),
            _ => {}
        }
    }
    entries
}

/// Upstream's changes to the webhook events, classified like a response member's: the
/// events the docs add (minor: one without an entry arrives as `Event::Unknown`) or drop
/// (breaking: a handler for it is never called again), then, per payload type, what
/// upstream changed at its places.
pub fn changes(old: &PreparedEvents, new: &PreparedEvents) -> Vec<Entry> {
    let mut entries = Vec::new();
    let group = |documented: &super::Documented| {
        documented
            .group
            .as_deref()
            .map(|group| format!(" ({group})"))
            .unwrap_or_default()
    };
    for (name, before) in &old.documented {
        match new.documented.get(name) {
            None => entries.push(Entry {
                sign: '-',
                subject: format!(
                    "event `{name}`{}: the docs no longer name it; a handler for it may never \
                     run again",
                    group(before)
                ),
                breaking: true,
                changes: Vec::new(),
            }),
            Some(after) if after.group != before.group => entries.push(Entry {
                sign: '~',
                subject: format!(
                    "event `{name}`: group {} -> {}",
                    before.group.as_deref().unwrap_or("none"),
                    after.group.as_deref().unwrap_or("none")
                ),
                breaking: false,
                changes: Vec::new(),
            }),
            Some(_) => {}
        }
    }
    for (name, after) in &new.documented {
        if old.documented.contains_key(name) {
            continue;
        }
        let listed = new.events.iter().find(|event| event.name == *name);
        let how = match listed.map(|event| (event.payload, &event.type_name)) {
            Some((_, Some(type_name))) => format!("read as {type_name}"),
            Some((Some(_), None)) => "delivered raw".to_owned(),
            _ => "no entry in design/events.yaml: it arrives as `Event::Unknown`".to_owned(),
        };
        entries.push(Entry {
            sign: '+',
            subject: format!("event `{name}`{}: {how}", group(after)),
            breaking: false,
            changes: Vec::new(),
        });
    }
    let designed = |events: &PreparedEvents, name: &str| {
        events.designed.get(name).cloned().unwrap_or(Value::Null)
    };
    entries.extend(crate::drift::upstream_changes(
        (&old.upstream, &new.upstream),
        (&|name| designed(old, name), &|name| designed(new, name)),
        &|name| new.declared.get(name).cloned().unwrap_or_default(),
        TABLE,
    ));
    entries
}
