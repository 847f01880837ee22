//! What upstream changed at the places `design/models.yaml` models, member by member.
//!
//! The surface diff ([`crate::diff`]) says how the generated Rust changed; this says what
//! upstream changed in the shapes behind the shared models, in upstream's own words (the wire
//! name, `boolean -> string`), and what it does to the SDK: a change the model follows is
//! marked breaking or not, and a change the table holds back (it still declares a member
//! upstream removed, or keeps its own type) is named so a reviewer updates the table.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::Prepared;
use crate::design::models::shape_text;
use crate::design::{ModelTable, UpstreamModel};
use crate::diff::{Change, Entry};

/// Upstream's changes at every model's places between two preparations, one entry per model
/// that changed, by model name.
pub fn model_changes(old: &Prepared, new: &Prepared, table: &ModelTable) -> Vec<Entry> {
    let designed = |prepared: &Prepared, name: &str| {
        prepared
            .document
            .pointer(&crate::pointer::join("/components/schemas", name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    upstream_changes(
        (&old.design.upstream, &new.design.upstream),
        (&|name| designed(old, name), &|name| designed(new, name)),
        &|name| declared_members(table, name),
        "models.yaml",
    )
}

/// The designed schema of a model, by name.
pub(crate) type DesignedOf<'a> = &'a dyn Fn(&str) -> Value;

/// Upstream's changes to the shapes behind reviewed types (the models, the webhook payload
/// types), one entry per type that changed: `upstream` are the types as upstream documents
/// them before and after, `designed` what the table makes of them, `declared` the members
/// the table says anything about, `table` its name in messages.
pub(crate) fn upstream_changes(
    (old, new): (
        &std::collections::BTreeMap<String, UpstreamModel>,
        &std::collections::BTreeMap<String, UpstreamModel>,
    ),
    (designed_old, designed_new): (DesignedOf<'_>, DesignedOf<'_>),
    declared_of: &dyn Fn(&str) -> BTreeSet<String>,
    table: &str,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (name, before) in old {
        let Some(after) = new.get(name) else {
            continue;
        };
        let declared = declared_of(name);
        let (designed_before, designed_after) = (designed_old(name), designed_new(name));
        let mut changes = place_changes(before, after);
        let compare = |was: &Value, is: &Value| {
            schema_changes(
                (was, is),
                (&designed_before, &designed_after),
                &declared,
                table,
            )
        };
        changes.extend(compare(&before.schema, &after.schema));
        // A change at one place that the merge absorbs (another place still documents the
        // member, or the type) leaves the model as it was; it is still named, per place.
        let merged: Vec<String> = changes.iter().map(|c| c.text.clone()).collect();
        for (place, was) in &before.instances {
            let Some((_, is)) = after.instances.iter().find(|(p, _)| p == place) else {
                continue;
            };
            for change in compare(was, is) {
                if !merged.contains(&change.text) {
                    changes.push(Change {
                        text: format!(
                            "at `{place}`: {} (the model keeps its shape from its other places)",
                            change.text
                        ),
                        breaking: false,
                        ..change
                    });
                }
            }
        }
        if changes.is_empty() {
            continue;
        }
        entries.push(Entry {
            sign: '~',
            subject: subject(name, after),
            breaking: false,
            changes,
        });
    }
    entries
}

/// `RemotePairingInput (request: post_numbers_remote-pairing body)`.
fn subject(name: &str, model: &UpstreamModel) -> String {
    let direction = match (model.request, model.response) {
        (true, true) => "request and response",
        (true, false) => "request",
        (false, true) => "response",
        (false, false) => "webhook",
    };
    let mut places: Vec<String> = model.places.iter().take(2).cloned().collect();
    if model.places.len() > 2 {
        places.push(format!("{} more", model.places.len() - 2));
    }
    format!("{name} ({direction}: {})", places.join(", "))
}

/// The members the table says anything about.
fn declared_members(table: &ModelTable, name: &str) -> BTreeSet<String> {
    match table.models.get(name).map(|model| &model.shape) {
        Some(crate::design::models::Shape::Upstream(delta)) => delta
            .members
            .keys()
            .chain(&delta.required)
            .chain(&delta.nullable)
            .cloned()
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn place_changes(before: &UpstreamModel, after: &UpstreamModel) -> Vec<Change> {
    before
        .places
        .iter()
        .filter(|place| !after.places.contains(place))
        .map(|place| Change {
            sign: '-',
            text: format!("place `{place}` is not in the spec any more"),
            breaking: true,
        })
        .collect()
}

/// A schema's kind without its value set and nullability: `string`, `array of string`,
/// `model Branding`.
fn kind(schema: &Value) -> String {
    let mut bare = schema.clone();
    if let Some(object) = bare.as_object_mut() {
        object.remove("enum");
        object.remove("nullable");
        object.remove("description");
    }
    shape_text(&bare)
}

fn values(schema: &Value) -> Vec<Value> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

/// How the generated model holds `member`: `Nullable<T>` (three states, in a model a request
/// sends), `Option<T>` (optional, or null allowed) or `T`; `None` where it has no such member.
fn member_shape(designed: &Value, member: &str) -> Option<&'static str> {
    let schema = designed.get("properties")?.get(member)?;
    Some(
        if schema.get(crate::design::models::THREE_STATE) == Some(&Value::Bool(true)) {
            "Nullable"
        } else if nullable(schema) || !required(designed, member) {
            "Option"
        } else {
            "plain"
        },
    )
}

fn members(schema: &Value) -> Map<String, Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn required(schema: &Value, member: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(member)))
}

fn optionality(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn listed(values: &[&Value]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The changes of one model: its own kind and value set, then each member. `designed_*`
/// are the generated model before and after, to tell what the SDK follows from what the
/// table holds back.
fn schema_changes(
    (before, after): (&Value, &Value),
    (designed_before, designed_after): (&Value, &Value),
    declared: &BTreeSet<String>,
    table: &str,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let held = |designed_same: bool| {
        if designed_same {
            format!(" ({table} keeps the old shape: review)")
        } else {
            String::new()
        }
    };
    if kind(before) != kind(after) {
        let same = kind(designed_before) == kind(designed_after);
        changes.push(Change {
            sign: '~',
            text: format!("type {} -> {}{}", kind(before), kind(after), held(same)),
            breaking: !same,
        });
    }
    changes.extend(value_changes(
        "values",
        (before, after),
        (designed_before, designed_after),
        table,
    ));
    let (old_members, new_members) = (members(before), members(after));
    let (old_designed, new_designed) = (members(designed_before), members(designed_after));
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for (member, schema) in &old_members {
        let Some(now) = new_members.get(member) else {
            removed.push((member, schema));
            continue;
        };
        let label = format!("member `{member}`");
        if kind(schema) != kind(now) {
            let same = old_designed.get(member).map(kind) == new_designed.get(member).map(kind);
            changes.push(Change {
                sign: '~',
                text: format!("{label}: {} -> {}{}", kind(schema), kind(now), held(same)),
                breaking: !same,
            });
        }
        let none = Value::Null;
        changes.extend(value_changes(
            &format!("{label} values"),
            (schema, now),
            (
                old_designed.get(member).unwrap_or(&none),
                new_designed.get(member).unwrap_or(&none),
            ),
            table,
        ));
        let (was, is) = (required(before, member), required(after, member));
        if was != is {
            let same = required(designed_before, member) == required(designed_after, member);
            changes.push(Change {
                sign: '~',
                text: format!("{label} is now {}{}", optionality(is), held(same)),
                breaking: !same,
            });
        }
        if nullable(schema) != nullable(now) {
            let same =
                old_designed.get(member).map(nullable) == new_designed.get(member).map(nullable);
            let what = if nullable(now) {
                "may now be null"
            } else {
                "is no longer nullable"
            };
            // What breaks is a change of the member's Rust type. An optional member of a
            // model only responses carry is an `Option` whether or not it may be null.
            let (shape_before, shape_after) = (
                member_shape(designed_before, member),
                member_shape(designed_after, member),
            );
            let unchanged = if !same && shape_before == shape_after {
                " (read as `None` either way: the SDK's type does not change)"
            } else {
                ""
            };
            changes.push(Change {
                sign: '~',
                text: format!("{label} {what}{}{unchanged}", held(same)),
                breaking: shape_before != shape_after,
            });
        }
    }
    for (member, schema) in &new_members {
        if !old_members.contains_key(member) {
            added.push((member, schema));
        }
    }
    // One member gone and one new of the same shape: most likely a rename.
    if let ([(old_name, old_schema)], [(new_name, new_schema)]) =
        (removed.as_slice(), added.as_slice())
        && kind(old_schema) == kind(new_schema)
    {
        let kept = if declared.contains(*old_name) {
            format!("; {table} still declares the old name: review")
        } else {
            String::new()
        };
        changes.push(Change {
            sign: '~',
            text: format!(
                "member `{old_name}` renamed to `{new_name}` ({}, {}){kept}",
                kind(new_schema),
                optionality(required(after, new_name))
            ),
            breaking: true,
        });
        return changes;
    }
    for (member, schema) in removed {
        let kept = if declared.contains(member) {
            format!("; {table} still declares it: review")
        } else {
            String::new()
        };
        let still_generated = new_designed.contains_key(member);
        changes.push(Change {
            sign: '-',
            text: format!(
                "member `{member}` ({}, {}){kept}",
                kind(schema),
                optionality(required(before, member))
            ),
            breaking: !still_generated,
        });
    }
    for (member, schema) in added {
        let is_required = required(designed_after, member);
        changes.push(Change {
            sign: '+',
            text: format!(
                "member `{member}` ({}, {})",
                shape_text(schema),
                optionality(required(after, member))
            ),
            breaking: is_required,
        });
    }
    changes
}

/// Changes of a value set. What callers see is the generated enum, so added and removed
/// values are counted on the designed model: a removed value breaks callers that send or
/// match it; an added one decodes into its own variant of an open enum (minor). When upstream
/// changed its values and the designed model did not follow, the table holds them back.
fn value_changes(
    label: &str,
    (before, after): (&Value, &Value),
    (designed_before, designed_after): (&Value, &Value),
    table: &str,
) -> Vec<Change> {
    let (old, new) = (values(before), values(after));
    if old == new {
        return Vec::new();
    }
    let (shown_old, shown_new) = (values(designed_before), values(designed_after));
    if shown_old == shown_new {
        let gone: Vec<&Value> = old.iter().filter(|v| !new.contains(v)).collect();
        let came: Vec<&Value> = new.iter().filter(|v| !old.contains(v)).collect();
        let mut parts = Vec::new();
        if !came.is_empty() {
            parts.push(format!("+{}", listed(&came)));
        }
        if !gone.is_empty() {
            parts.push(format!("-{}", listed(&gone)));
        }
        return vec![Change {
            sign: '~',
            text: format!(
                "{label} {} upstream ({table} keeps {}: review)",
                parts.join(" "),
                listed(&shown_old.iter().collect::<Vec<_>>())
            ),
            breaking: false,
        }];
    }
    let since = if old.is_empty() {
        " (upstream now declares the set itself)"
    } else {
        ""
    };
    let gone: Vec<&Value> = shown_old
        .iter()
        .filter(|v| !shown_new.contains(v))
        .collect();
    let came: Vec<&Value> = shown_new
        .iter()
        .filter(|v| !shown_old.contains(v))
        .collect();
    let mut changes = Vec::new();
    if !gone.is_empty() {
        changes.push(Change {
            sign: '-',
            text: format!("{label} {}{since}", listed(&gone)),
            breaking: true,
        });
    }
    if !came.is_empty() {
        changes.push(Change {
            sign: '+',
            text: format!("{label} {}{since}", listed(&came)),
            breaking: false,
        });
    }
    changes
}
