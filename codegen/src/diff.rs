//! What changed between two surfaces, and which changes break code that uses the SDK.

use std::collections::BTreeSet;
use std::fmt;

use crate::surface::{Field, Operation, Parameter, Surface, TypeDef, field_line, optionality};

/// One line of a change report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `+` added, `-` removed, `~` changed.
    pub sign: char,
    /// What changed, in one line.
    pub text: String,
    /// Whether code written against the old SDK may stop compiling or behave differently.
    pub breaking: bool,
}

/// Changes to one operation or type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `+`, `-` or `~`.
    pub sign: char,
    /// The operation (`POST /v1/x (post_x)`) or type (`struct Foo`).
    pub subject: String,
    /// Whether the entry itself (an added/removed operation or type) breaks users.
    pub breaking: bool,
    /// Member-level changes of a changed entry.
    pub changes: Vec<Change>,
}

impl Entry {
    /// Whether anything in the entry breaks users.
    pub fn is_breaking(&self) -> bool {
        self.breaking || self.changes.iter().any(|c| c.breaking)
    }
}

/// The difference between two generations of the SDK.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Operation entries, by method name (a renamed operation is one entry).
    pub operations: Vec<Entry>,
    /// How requests authenticate: the spec's security schemes and the requirement every
    /// operation has unless it says otherwise.
    pub security: Vec<Entry>,
    /// What the types do not show, per operation: tightened or loosened request constraints,
    /// changed defaults, response members an overlay types otherwise than upstream now does
    /// ([`crate::contract`]).
    pub contract: Vec<Entry>,
    /// Upstream's changes at the places of the shared models, by model name
    /// ([`crate::drift`]).
    pub models: Vec<Entry>,
    /// Upstream's changes to the webhook events: events the docs add or drop, and the members
    /// of each payload type ([`crate::events`]).
    pub events: Vec<Entry>,
    /// Type entries, by type name.
    pub types: Vec<Entry>,
    /// The generated webhook payload types that change, by type name.
    pub event_types: Vec<Entry>,
}

impl Report {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
            && self.security.is_empty()
            && self.contract.is_empty()
            && self.models.is_empty()
            && self.events.is_empty()
            && self.types.is_empty()
            && self.event_types.is_empty()
    }

    /// Number of breaking changes for SDK users (an entry counts each breaking member). The
    /// model section restates upstream's side of the type changes and is not counted again;
    /// of the events section, only the events themselves count (their members restate the
    /// changes of the event types).
    pub fn breaking_count(&self) -> usize {
        count_breaking(
            self.operations
                .iter()
                .chain(&self.security)
                .chain(&self.contract)
                .chain(&self.types)
                .chain(&self.event_types),
        ) + self.events.iter().filter(|entry| entry.breaking).count()
    }

    /// Adds `change` under the entry of `subject` in `section`, making the entry if needed.
    pub fn add_change(section: &mut Vec<Entry>, subject: String, change: Change) {
        match section.iter_mut().find(|entry| entry.subject == subject) {
            Some(entry) => entry.changes.push(change),
            None => section.push(Entry {
                sign: '~',
                subject,
                breaking: false,
                changes: vec![change],
            }),
        }
    }
}

fn count_breaking<'a>(entries: impl Iterator<Item = &'a Entry>) -> usize {
    entries
        .map(|entry| {
            usize::from(entry.breaking) + entry.changes.iter().filter(|c| c.breaking).count()
        })
        .sum()
}

/// Compares two whole generations: the surface (with renamed operations paired),
/// upstream's changes at the models' places (read with the model table of `new`), and the
/// webhook events and their payload types.
pub fn report(
    old: &crate::Generated,
    new: &crate::Generated,
    models: &crate::design::ModelTable,
) -> Report {
    let mut report = diff(&old.surface, &new.surface);
    report.models = crate::drift::model_changes(&old.prepared, &new.prepared, models);
    report.events = crate::events::changes(&old.prepared.events, &new.prepared.events);
    report.event_types = crate::events::type_changes(&old.prepared.events, &new.prepared.events);
    report
}

/// Compares `old` with `new`.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut report = Report {
        security: security_changes(&old.security, &new.security),
        ..Report::default()
    };
    let names: BTreeSet<&String> = old.operations.keys().chain(new.operations.keys()).collect();
    let removed: Vec<&Operation> = names
        .iter()
        .filter(|name| !new.operations.contains_key(**name))
        .filter_map(|name| old.operations.get(*name))
        .collect();
    let added: Vec<&Operation> = names
        .iter()
        .filter(|name| !old.operations.contains_key(**name))
        .filter_map(|name| new.operations.get(*name))
        .collect();
    let renames = pair_renames(&removed, &added, (&old.types, &new.types));
    for name in names {
        if let Some((before, after)) = renames
            .iter()
            .find(|(before, after)| before.name == *name || after.name == *name)
        {
            if before.name == *name {
                report.operations.push(rename_entry(before, after));
            }
            continue;
        }
        match (old.operations.get(name), new.operations.get(name)) {
            (None, Some(added)) => report.operations.push(Entry {
                sign: '+',
                subject: operation_subject(added),
                breaking: false,
                changes: Vec::new(),
            }),
            (Some(removed), None) => report.operations.push(Entry {
                sign: '-',
                subject: operation_subject(removed),
                breaking: true,
                changes: Vec::new(),
            }),
            (Some(before), Some(after)) => {
                let changes = operation_changes(before, after);
                if !changes.is_empty() {
                    report.operations.push(Entry {
                        sign: '~',
                        subject: operation_subject(after),
                        breaking: false,
                        changes,
                    });
                }
            }
            (None, None) => {}
        }
    }
    let names: BTreeSet<&String> = old.types.keys().chain(new.types.keys()).collect();
    for name in names {
        match (old.types.get(name), new.types.get(name)) {
            (None, Some(added)) => report.types.push(Entry {
                sign: '+',
                subject: type_subject(name, added),
                breaking: false,
                changes: Vec::new(),
            }),
            (Some(removed), None) => report.types.push(Entry {
                sign: '-',
                subject: type_subject(name, removed),
                breaking: true,
                changes: Vec::new(),
            }),
            (Some(before), Some(after)) if before != after => report.types.push(Entry {
                sign: '~',
                subject: type_subject(name, after),
                breaking: false,
                changes: type_changes(before, after),
            }),
            _ => {}
        }
    }
    report
}

/// Changes of how requests authenticate. Every one breaks: the SDK sends what the spec
/// says (`client::Credential`, generated), so a proxy, a gateway or a test double that
/// expects the old credential stops accepting the calls, and a scheme the SDK cannot send
/// (OAuth flows) stops them altogether.
fn security_changes(old: &crate::surface::Security, new: &crate::surface::Security) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (name, scheme) in &old.schemes {
        match new.schemes.get(name) {
            None => entries.push(Entry {
                sign: '-',
                subject: format!("scheme `{name}`: {scheme}"),
                breaking: true,
                changes: Vec::new(),
            }),
            Some(now) if now != scheme => entries.push(Entry {
                sign: '~',
                subject: format!("scheme `{name}`: {scheme} -> {now}"),
                breaking: true,
                changes: Vec::new(),
            }),
            Some(_) => {}
        }
    }
    for (name, scheme) in &new.schemes {
        if !old.schemes.contains_key(name) {
            entries.push(Entry {
                sign: '+',
                subject: format!("scheme `{name}`: {scheme}"),
                // A scheme nothing requires changes nothing; the requirement line says when.
                breaking: false,
                changes: Vec::new(),
            });
        }
    }
    if old.default != new.default {
        let show = |alternatives: &[String]| {
            if alternatives.is_empty() {
                "none".to_owned()
            } else {
                alternatives
                    .iter()
                    .map(|alternative| {
                        let how = alternative
                            .split(" + ")
                            .map(|scheme| {
                                new.schemes
                                    .get(scheme)
                                    .or_else(|| old.schemes.get(scheme))
                                    .map(|text| format!("{scheme} ({text})"))
                                    .unwrap_or_else(|| scheme.to_owned())
                            })
                            .collect::<Vec<_>>();
                        how.join(" + ")
                    })
                    .collect::<Vec<_>>()
                    .join(" or ")
            }
        };
        entries.push(Entry {
            sign: '~',
            subject: format!(
                "every operation without its own: {} -> {}",
                show(&old.default),
                show(&new.default)
            ),
            breaking: true,
            changes: Vec::new(),
        });
    }
    entries
}

/// Pairs each removed operation with the added one it most likely became: the same route
/// under a new upstream id, the same upstream id on a new route, the same parameters, body
/// and success type, or (route and id both changed, so every type named after the operation
/// changed its name too) the same method with parameters, body and success type of the same
/// shape ([`Shape`]), when exactly one added operation has that shape.
fn pair_renames<'a>(
    removed: &[&'a Operation],
    added: &[&'a Operation],
    types: (&Types, &Types),
) -> Vec<(&'a Operation, &'a Operation)> {
    let route = |op: &Operation| (op.http_method.clone(), op.path.clone());
    let signature = |op: &Operation| {
        let parameters: Vec<(String, String, String, bool)> = op
            .parameters
            .iter()
            .map(|p| {
                (
                    p.location.clone(),
                    p.name.clone(),
                    p.rust_type.clone(),
                    p.required,
                )
            })
            .collect();
        (
            parameters,
            op.body.as_ref().map(|b| (b.rust_type.clone(), b.required)),
            op.success.1.clone(),
        )
    };
    let same_route = |a: &Operation, b: &Operation| route(a) == route(b);
    let same_id =
        |a: &Operation, b: &Operation| a.upstream_id.is_some() && a.upstream_id == b.upstream_id;
    let same_rest = |a: &Operation, b: &Operation| signature(a) == signature(b);
    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    for matches in [
        &same_route as &dyn Fn(&Operation, &Operation) -> bool,
        &same_id,
        &same_rest,
    ] {
        for before in removed {
            if pairs.iter().any(|(b, _)| std::ptr::eq(*b, *before)) {
                continue;
            }
            let candidate = added.iter().find(|after| {
                !pairs.iter().any(|(_, a)| std::ptr::eq(*a, **after)) && matches(before, after)
            });
            if let Some(after) = candidate {
                pairs.push((before, after));
            }
        }
    }
    // By shape: only a pairing both sides agree on (one candidate each way).
    let unpaired_removed: Vec<&Operation> = removed
        .iter()
        .copied()
        .filter(|before| !pairs.iter().any(|(b, _)| std::ptr::eq(*b, *before)))
        .collect();
    let unpaired_added: Vec<&Operation> = added
        .iter()
        .copied()
        .filter(|after| !pairs.iter().any(|(_, a)| std::ptr::eq(*a, *after)))
        .collect();
    let alike = |before: &Operation, after: &Operation| same_shape(before, after, types);
    for before in &unpaired_removed {
        let candidates: Vec<&&Operation> = unpaired_added
            .iter()
            .filter(|after| alike(before, after))
            .collect();
        if let [after] = candidates.as_slice()
            && unpaired_removed
                .iter()
                .filter(|other| alike(other, after))
                .count()
                == 1
        {
            pairs.push((before, after));
        }
    }
    pairs
}

/// The generated types of one generation, by name.
type Types = std::collections::BTreeMap<String, TypeDef>;

/// Whether two operations take and return the same shapes: the same HTTP method, the same
/// parameters (location, name, required-ness, shape of the type), a body of the same shape
/// (or none on both) and a success type of the same shape, at least one of them a structure
/// (two calls that take and return nothing are not the same call).
fn same_shape(before: &Operation, after: &Operation, (old, new): (&Types, &Types)) -> bool {
    if before.http_method != after.http_method || before.parameters.len() != after.parameters.len()
    {
        return false;
    }
    let parameters_alike = before.parameters.iter().all(|p| {
        after.parameters.iter().any(|q| {
            (p.location.as_str(), p.name.as_str(), p.required)
                == (q.location.as_str(), q.name.as_str(), q.required)
                && Shape::of(&p.rust_type, old).alike(&Shape::of(&q.rust_type, new))
        })
    });
    let body_alike = match (&before.body, &after.body) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.required == b.required
                && Shape::of(&a.rust_type, old).alike(&Shape::of(&b.rust_type, new))
        }
        _ => false,
    };
    let (success_before, success_after) = (
        Shape::of(&before.success.1, old),
        Shape::of(&after.success.1, new),
    );
    let structured = success_before.is_structure()
        || before
            .body
            .as_ref()
            .is_some_and(|body| Shape::of(&body.rust_type, old).is_structure());
    parameters_alike && body_alike && structured && success_before.alike(&success_after)
}

/// A type with every name left out: what two generations of one operation still share when
/// upstream renamed it, and with it every type named after it. `Option` and `Nullable`
/// wrappers are left out too (a reviewed model may require what an inline type leaves
/// optional), and so is the `extra` map of unknown members.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// A type the generation does not define (`String`, `i64`, `Value`).
    Scalar(String),
    /// `Vec<T>`.
    List(Box<Shape>),
    /// A map from strings.
    Map(Box<Shape>),
    /// A struct: wire name → shape.
    Object(std::collections::BTreeMap<String, Shape>),
    /// An enum: its variants (wire values, or names), the open catch-all left out.
    Values(BTreeSet<String>),
    /// Deeper than the comparison looks.
    Deep,
}

impl Shape {
    /// How deep named types are expanded (models refer to models).
    const DEPTH: usize = 4;

    fn of(rust_type: &str, types: &Types) -> Self {
        Self::at(rust_type.trim(), types, Self::DEPTH)
    }

    fn at(rust_type: &str, types: &Types, depth: usize) -> Self {
        if depth == 0 {
            return Self::Deep;
        }
        // The surface's note on a required instant says nothing about its shape.
        let rust_type = rust_type
            .strip_suffix(crate::codegen::instants::REQUIRED_INSTANT_NOTE)
            .unwrap_or(rust_type);
        let (name, arguments) = match rust_type.split_once('<') {
            Some((name, rest)) => (name.trim(), rest.strip_suffix('>').unwrap_or(rest)),
            None => (rust_type, ""),
        };
        let last_argument = || {
            arguments
                .rsplit_once(", ")
                .map_or(arguments, |(_, last)| last)
                .trim()
        };
        match name {
            "Option" | "Nullable" | "Box" => Self::at(arguments, types, depth),
            "Vec" => Self::List(Box::new(Self::at(arguments, types, depth - 1))),
            "BTreeMap" | "HashMap" | "Map" => {
                Self::Map(Box::new(Self::at(last_argument(), types, depth - 1)))
            }
            _ => match types.get(name) {
                Some(TypeDef::Struct(fields)) => Self::Object(
                    fields
                        .iter()
                        .filter(|field| field.rust_name != "extra")
                        .map(|field| {
                            (
                                field.name.clone(),
                                Self::at(&field.rust_type, types, depth - 1),
                            )
                        })
                        .collect(),
                ),
                Some(TypeDef::Enum(variants)) => Self::Values(
                    variants
                        .iter()
                        .filter(|variant| variant.payload.is_none())
                        .map(|variant| {
                            variant
                                .wire
                                .clone()
                                .unwrap_or_else(|| variant.rust_name.clone())
                        })
                        .collect(),
                ),
                Some(TypeDef::Newtype(inner) | TypeDef::Alias(inner)) => {
                    Self::at(inner, types, depth - 1)
                }
                // An instant is a string on the wire: reviewed data (`instants`) makes it a
                // `Timestamp` on one side only.
                None if rust_type == "Timestamp" => Self::Scalar("String".to_owned()),
                None => Self::Scalar(rust_type.to_owned()),
            },
        }
    }

    /// A struct, or a list or map of structs.
    fn is_structure(&self) -> bool {
        match self {
            Self::Object(members) => !members.is_empty(),
            Self::List(inner) | Self::Map(inner) => inner.is_structure(),
            _ => false,
        }
    }

    /// The same shape, allowing what reviewed data adds to one side: structs that share at
    /// least three quarters of the members of the larger, each of the same shape; value sets
    /// of which one holds the other.
    fn alike(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Deep, _) | (_, Self::Deep) => true,
            (Self::List(a), Self::List(b)) | (Self::Map(a), Self::Map(b)) => a.alike(b),
            (Self::Object(a), Self::Object(b)) => {
                let common: Vec<&String> = a.keys().filter(|key| b.contains_key(*key)).collect();
                let larger = a.len().max(b.len());
                !common.is_empty()
                    && common.len() * 4 >= larger * 3
                    && common.iter().all(|key| a[*key].alike(&b[*key]))
            }
            (Self::Values(a), Self::Values(b)) => a.is_subset(b) || b.is_subset(a),
            (a, b) => a == b,
        }
    }
}

/// A removed and an added operation that are one operation renamed upstream.
fn rename_entry(before: &Operation, after: &Operation) -> Entry {
    let id = |op: &Operation| op.upstream_id.clone().unwrap_or_else(|| op.name.clone());
    let mut changes = Vec::new();
    if before.upstream_id != after.upstream_id {
        changes.push(changed(
            format!(
                "upstream id {} -> {} (design/operations.yaml names the old id: rename its \
                 entry to keep the method name)",
                id(before),
                id(after)
            ),
            false,
        ));
    }
    if before.name != after.name {
        changes.push(changed(
            format!("method {} -> {}", before.name, after.name),
            true,
        ));
    }
    changes.extend(operation_changes(before, after));
    Entry {
        sign: '~',
        subject: format!(
            "{} {} (renamed upstream: {} -> {})",
            after.http_method,
            after.path,
            id(before),
            id(after)
        ),
        breaking: false,
        changes,
    }
}

/// `POST /v1/x (resource.method, upstream x_id)`.
pub(crate) fn operation_subject(operation: &Operation) -> String {
    let upstream = operation
        .upstream_id
        .as_deref()
        .map(|id| format!(", upstream {id}"))
        .unwrap_or_default();
    format!(
        "{} {} ({}{upstream})",
        operation.http_method, operation.path, operation.name
    )
}

/// `struct Name`, `enum Name`.
pub(crate) fn type_subject(name: &str, def: &TypeDef) -> String {
    let kind = match def {
        TypeDef::Struct(_) => "struct",
        TypeDef::Enum(_) => "enum",
        TypeDef::Newtype(_) => "newtype",
        TypeDef::Alias(_) => "type",
    };
    format!("{kind} {name}")
}

fn changed(text: String, breaking: bool) -> Change {
    Change {
        sign: '~',
        text,
        breaking,
    }
}

fn operation_changes(before: &Operation, after: &Operation) -> Vec<Change> {
    let mut changes = Vec::new();
    if (before.http_method.as_str(), before.path.as_str())
        != (after.http_method.as_str(), after.path.as_str())
    {
        changes.push(changed(
            format!(
                "route {} {} -> {} {}",
                before.http_method, before.path, after.http_method, after.path
            ),
            true,
        ));
    }
    if before.call != after.call {
        changes.push(changed(
            format!("call {} -> {}", before.call, after.call),
            true,
        ));
    }
    for also in &before.also {
        if !after.also.contains(also) {
            changes.push(Change {
                sign: '-',
                text: format!("method {also}"),
                breaking: true,
            });
        }
    }
    for also in &after.also {
        if !before.also.contains(also) {
            changes.push(Change {
                sign: '+',
                text: format!("method {also}"),
                breaking: false,
            });
        }
    }
    if before.scope != after.scope {
        changes.push(changed(
            format!("key scope {} -> {}", before.scope, after.scope),
            false,
        ));
    }
    let key = |p: &Parameter| (p.location.clone(), p.name.clone());
    for parameter in &before.parameters {
        match after.parameters.iter().find(|p| key(p) == key(parameter)) {
            None => changes.push(Change {
                sign: '-',
                text: format!("{} parameter `{}`", parameter.location, parameter.name),
                breaking: true,
            }),
            Some(now) => {
                if now.rust_type != parameter.rust_type {
                    changes.push(changed(
                        format!(
                            "{} parameter `{}`: {} -> {}",
                            now.location, now.name, parameter.rust_type, now.rust_type
                        ),
                        true,
                    ));
                }
                if now.required != parameter.required {
                    changes.push(changed(
                        format!(
                            "{} parameter `{}` is now {}",
                            now.location,
                            now.name,
                            optionality(now.required)
                        ),
                        now.required,
                    ));
                }
            }
        }
    }
    for parameter in &after.parameters {
        if !before.parameters.iter().any(|p| key(p) == key(parameter)) {
            changes.push(Change {
                sign: '+',
                text: format!(
                    "{} parameter `{}`: {} ({})",
                    parameter.location,
                    parameter.name,
                    parameter.rust_type,
                    optionality(parameter.required)
                ),
                breaking: parameter.required,
            });
        }
    }
    match (&before.body, &after.body) {
        (None, Some(body)) => changes.push(Change {
            sign: '+',
            text: format!("body {}", body.rust_type),
            breaking: body.required,
        }),
        (Some(body), None) => changes.push(Change {
            sign: '-',
            text: format!("body {}", body.rust_type),
            breaking: true,
        }),
        (Some(old), Some(new)) => {
            if old.rust_type != new.rust_type || old.media_type != new.media_type {
                changes.push(changed(
                    format!(
                        "body {} ({}) -> {} ({})",
                        old.rust_type, old.media_type, new.rust_type, new.media_type
                    ),
                    true,
                ));
            }
            if old.required != new.required {
                changes.push(changed(
                    format!("body is now {}", optionality(new.required)),
                    new.required,
                ));
            }
        }
        (None, None) => {}
    }
    if before.auth != after.auth {
        // A change in how a request authenticates: the SDK follows the spec, so calls made
        // through a proxy or a mock that expects the old credential fail.
        let show = |auth: &Option<String>| {
            auth.clone()
                .unwrap_or_else(|| "the default security".to_owned())
        };
        changes.push(changed(
            format!(
                "authentication {} -> {}",
                show(&before.auth),
                show(&after.auth)
            ),
            true,
        ));
    }
    if before.success.1 != after.success.1 {
        changes.push(changed(
            format!("success type {} -> {}", before.success.1, after.success.1),
            true,
        ));
    }
    if before.success.0 != after.success.0 {
        changes.push(changed(
            format!(
                "documented success statuses {:?} -> {:?}",
                before.success.0, after.success.0
            ),
            false,
        ));
    }
    if before.errors != after.errors {
        changes.push(changed(
            format!(
                "documented error statuses {:?} -> {:?}",
                before.errors, after.errors
            ),
            false,
        ));
    }
    changes
}

/// The changes of one type between two generations.
pub(crate) fn type_changes(before: &TypeDef, after: &TypeDef) -> Vec<Change> {
    match (before, after) {
        (TypeDef::Struct(old), TypeDef::Struct(new)) => field_changes(old, new),
        (TypeDef::Enum(old), TypeDef::Enum(new)) => {
            let mut changes = Vec::new();
            for variant in old {
                if !new.contains(variant) {
                    changes.push(Change {
                        sign: '-',
                        text: format!("variant {}", variant_text(variant)),
                        breaking: true,
                    });
                }
            }
            // An open enum (a catch-all `Unknown(String)`/`Other(String)`, and
            // `#[non_exhaustive]`) takes a new variant without breaking a `match`; a closed one
            // does not.
            let open = is_open(new);
            for variant in new {
                if !old.contains(variant) {
                    changes.push(Change {
                        sign: '+',
                        text: format!("variant {}", variant_text(variant)),
                        breaking: !open,
                    });
                }
            }
            changes
        }
        (TypeDef::Newtype(old), TypeDef::Newtype(new))
        | (TypeDef::Alias(old), TypeDef::Alias(new)) => {
            vec![changed(format!("{old} -> {new}"), true)]
        }
        (old, new) => vec![changed(
            format!(
                "{} -> {}",
                type_subject("", old).trim(),
                type_subject("", new).trim()
            ),
            true,
        )],
    }
}

/// Whether an enum has the catch-all of `open_string_enums` (and so is `#[non_exhaustive]`).
fn is_open(variants: &[crate::surface::Variant]) -> bool {
    variants.iter().any(|variant| {
        matches!(variant.rust_name.as_str(), "Unknown" | "Other")
            && variant.payload.as_deref() == Some("String")
    })
}

fn variant_text(variant: &crate::surface::Variant) -> String {
    match (&variant.payload, &variant.wire) {
        (Some(payload), _) => format!("{}({payload})", variant.rust_name),
        (None, Some(wire)) => format!("{} = {wire:?}", variant.rust_name),
        (None, None) => variant.rust_name.clone(),
    }
}

fn field_changes(old: &[Field], new: &[Field]) -> Vec<Change> {
    let mut changes = Vec::new();
    for field in old {
        match new.iter().find(|f| f.name == field.name) {
            None => changes.push(Change {
                sign: '-',
                text: format!("field {}", field_line(field)),
                breaking: true,
            }),
            Some(now) if now != field => changes.push(changed(
                format!(
                    "field `{}`: {} -> {}",
                    field.name, field.rust_type, now.rust_type
                ),
                true,
            )),
            Some(_) => {}
        }
    }
    for field in new {
        if !old.iter().any(|f| f.name == field.name) {
            // A struct literal must name every field; `..Default::default()` covers an
            // optional one, nothing covers a required one.
            changes.push(Change {
                sign: '+',
                text: format!("field {}", field_line(field)),
                breaking: !field.is_optional(),
            });
        }
    }
    changes
}

/// What upstream changed in its operations, read from the two upstream documents alone:
/// for a sync whose spec does not generate, so that what it could not generate is still
/// named and classified. Operations are matched by route; a request body whose media type
/// changes (to `multipart/form-data`, say) breaks what callers and their test doubles send.
pub fn outline(old: &serde_json::Value, new: &serde_json::Value) -> Vec<Change> {
    use serde_json::Value;
    let routes = |document: &Value| -> std::collections::BTreeMap<(String, String), Value> {
        crate::walk::operations(document)
            .map(|at| {
                (
                    (at.method.to_ascii_uppercase(), at.path.to_owned()),
                    at.operation.clone(),
                )
            })
            .collect()
    };
    let media = |operation: &Value| -> Option<Vec<String>> {
        operation
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
            .map(|content| content.keys().cloned().collect())
    };
    let id = |operation: &Value| {
        operation
            .get("operationId")
            .and_then(Value::as_str)
            .map(|id| format!(" ({id})"))
            .unwrap_or_default()
    };
    let (old, new) = (routes(old), routes(new));
    let mut changes = Vec::new();
    for ((method, path), before) in &old {
        match new.get(&(method.clone(), path.clone())) {
            None => changes.push(Change {
                sign: '-',
                text: format!("{method} {path}{}", id(before)),
                breaking: true,
            }),
            Some(after) if media(before) != media(after) => {
                let show = |types: Option<Vec<String>>| {
                    types.map_or_else(|| "no body".to_owned(), |types| types.join(", "))
                };
                changes.push(Change {
                    sign: '~',
                    text: format!(
                        "{method} {path}{}: body {} -> {}",
                        id(after),
                        show(media(before)),
                        show(media(after))
                    ),
                    breaking: true,
                });
            }
            Some(_) => {}
        }
    }
    for ((method, path), after) in &new {
        if !old.contains_key(&(method.clone(), path.clone())) {
            changes.push(Change {
                sign: '+',
                text: format!("{method} {path}{}", id(after)),
                breaking: false,
            });
        }
    }
    changes
}

/// The lines that differ between two texts, as a reviewer reads a snapshot diff: `-` for a
/// line of `old`, `+` for one of `new`, one line of context (` `) around each run, `...`
/// between runs.
pub fn text_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    for (index, group) in diff.grouped_ops(1).iter().enumerate() {
        if index > 0 {
            out.push_str("...\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(sign);
                out.push_str(change.value().trim_end_matches('\n'));
                out.push('\n');
            }
        }
    }
    out
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no change to the generated surface");
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        for (title, entries, unit) in [
            ("operations", &self.operations, None),
            ("security", &self.security, Some("change")),
            (
                "what the types do not show",
                &self.contract,
                Some("operation"),
            ),
            (
                "upstream changes at modelled places",
                &self.models,
                Some("model"),
            ),
            ("webhook events", &self.events, Some("entry")),
            ("types", &self.types, None),
            ("webhook event types", &self.event_types, None),
        ] {
            if entries.is_empty() {
                continue;
            }
            let count = |sign| entries.iter().filter(|e| e.sign == sign).count();
            if let Some(unit) = unit {
                let unit = match (unit, entries.len()) {
                    ("entry", 1) => "entry".to_owned(),
                    ("entry", _) => "entries".to_owned(),
                    (unit, n) => format!("{unit}{}", plural(n)),
                };
                let breaking = count_breaking(entries.iter());
                writeln!(
                    f,
                    "{title}: {} {unit} ({breaking} breaking change{} for SDK users)",
                    entries.len(),
                    plural(breaking),
                )?;
            } else {
                writeln!(
                    f,
                    "{title}: {} added, {} removed, {} changed",
                    count('+'),
                    count('-'),
                    count('~')
                )?;
            }
            for entry in entries {
                let mark = if entry.breaking { "  [BREAKING]" } else { "" };
                writeln!(f, "  {} {}{mark}", entry.sign, entry.subject)?;
                for change in &entry.changes {
                    let mark = if change.breaking { "  [BREAKING]" } else { "" };
                    writeln!(f, "      {} {}{mark}", change.sign, change.text)?;
                }
            }
        }
        writeln!(
            f,
            "breaking changes for SDK users: {}",
            self.breaking_count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::Variant;

    fn field(name: &str, ty: &str) -> Field {
        Field {
            name: name.to_owned(),
            rust_name: name.to_owned(),
            rust_type: ty.to_owned(),
        }
    }

    fn surface_with(fields: Vec<Field>) -> Surface {
        let mut surface = Surface::default();
        surface
            .types
            .insert("Body".to_owned(), TypeDef::Struct(fields));
        surface
    }

    #[test]
    fn classifies_field_changes() {
        let old = surface_with(vec![
            field("a", "Option<String>"),
            field("b", "Option<String>"),
            field("c", "i64"),
        ]);
        let new = surface_with(vec![
            field("a", "Option<i64>"),
            field("c", "i64"),
            field("d", "Option<String>"),
            field("e", "String"),
        ]);
        let report = diff(&old, &new);
        assert_eq!(report.types.len(), 1);
        let changes: Vec<(char, &str, bool)> = report.types[0]
            .changes
            .iter()
            .map(|c| (c.sign, c.text.as_str(), c.breaking))
            .collect();
        assert_eq!(
            changes,
            [
                ('~', "field `a`: Option<String> -> Option<i64>", true),
                ('-', "field b: Option<String>", true),
                ('+', "field d: Option<String>", false),
                ('+', "field e: String", true),
            ]
        );
        assert_eq!(report.breaking_count(), 3);
    }

    #[test]
    fn new_enum_variants_break_exhaustive_matches() {
        let variant = |name: &str| Variant {
            rust_name: name.to_owned(),
            wire: None,
            payload: None,
            members: Vec::new(),
        };
        let mut old = Surface::default();
        old.types
            .insert("Status".to_owned(), TypeDef::Enum(vec![variant("Sent")]));
        let mut new = Surface::default();
        new.types.insert(
            "Status".to_owned(),
            TypeDef::Enum(vec![variant("Sent"), variant("Read")]),
        );
        assert_eq!(diff(&old, &new).breaking_count(), 1);
    }

    #[test]
    fn identical_surfaces_have_no_changes() {
        let surface = surface_with(vec![field("a", "Option<String>")]);
        let report = diff(&surface, &surface);
        assert!(report.is_empty());
        assert_eq!(report.to_string(), "no change to the generated surface\n");
    }
}
