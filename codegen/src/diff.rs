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

/// The difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Operation entries, by method name.
    pub operations: Vec<Entry>,
    /// Type entries, by type name.
    pub types: Vec<Entry>,
}

impl Report {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.types.is_empty()
    }

    /// Number of breaking changes (an entry counts each breaking member).
    pub fn breaking_count(&self) -> usize {
        self.operations
            .iter()
            .chain(&self.types)
            .map(|entry| {
                usize::from(entry.breaking) + entry.changes.iter().filter(|c| c.breaking).count()
            })
            .sum()
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut report = Report::default();
    let names: BTreeSet<&String> = old.operations.keys().chain(new.operations.keys()).collect();
    for name in names {
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

fn operation_subject(operation: &Operation) -> String {
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

fn type_subject(name: &str, def: &TypeDef) -> String {
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
    if before.public != after.public {
        changes.push(changed(
            format!(
                "credentials {}",
                if after.public {
                    "no longer sent"
                } else {
                    "now sent"
                }
            ),
            false,
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

fn type_changes(before: &TypeDef, after: &TypeDef) -> Vec<Change> {
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
            for variant in new {
                if !old.contains(variant) {
                    // Generated enums are exhaustive: a new variant breaks `match`es.
                    changes.push(Change {
                        sign: '+',
                        text: format!("variant {}", variant_text(variant)),
                        breaking: true,
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

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no change to the generated surface");
        }
        for (title, entries) in [("operations", &self.operations), ("types", &self.types)] {
            if entries.is_empty() {
                continue;
            }
            let count = |sign| entries.iter().filter(|e| e.sign == sign).count();
            writeln!(
                f,
                "{title}: {} added, {} removed, {} changed",
                count('+'),
                count('-'),
                count('~')
            )?;
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
