//! The designed surface: reviewed data (`design/`) that says what a person calls each
//! operation, which resource it belongs to and which key may call it.
//!
//! Where `overlays/` corrects what the wire is, `design/` decides what the SDK looks like.
//! It is applied after the normaliser, to the corrected document, and records its decisions
//! as `x-pilot-*` extensions that the code generator, the surface and the change report read:
//!
//! | extension | on | meaning |
//! |---|---|---|
//! | `x-pilot-resources` | the document | resource path (`phone_lines.verification`) → rustdoc sentence |
//! | `x-pilot-resource`, `x-pilot-method` | an operation | `client.<resource>().<method>(..)` |
//! | `x-pilot-arguments` | an operation | request-body members that are arguments of the method |
//! | `x-pilot-scope`, `x-pilot-permission` | an operation | which key may call it |
//! | `x-pilot-hand-written` | an operation | the method is written by hand (the file) |
//! | `x-pilot-also` | an operation | more methods on the same route |
//! | `x-pilot-update` | an operation | an update: body members are setters, never arguments |
//! | `x-pilot-rust-names` | the document | wire name of a parameter or member → its Rust name |
//!
//! An operation the table does not name still generates under a derived name and is
//! reported ([`DesignReport::unnamed`]); an entry that names nothing is reported as stale.
//! Neither fails the build: an upstream change never breaks it by surprise.

pub mod models;
pub mod operations;
pub mod rustdoc;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::error::Result;
pub use models::{ModelTable, UpstreamModel};
pub use operations::{OperationTable, Scope};

/// Extension names the design step writes.
pub mod ext {
    /// Document level: resource path → rustdoc sentence.
    pub const RESOURCES: &str = "x-pilot-resources";
    /// The operation's resource path (`numbers`, `phone_lines.verification`).
    pub const RESOURCE: &str = "x-pilot-resource";
    /// The operation's method name on its resource.
    pub const METHOD: &str = "x-pilot-method";
    /// Request-body members that are arguments of the method.
    pub const ARGUMENTS: &str = "x-pilot-arguments";
    /// Which key may call the operation (see [`super::Scope`]).
    pub const SCOPE: &str = "x-pilot-scope";
    /// A permission the key needs besides its scope.
    pub const PERMISSION: &str = "x-pilot-permission";
    /// The file that implements the method by hand.
    pub const HAND_WRITTEN: &str = "x-pilot-hand-written";
    /// More methods on the same route: `[{method, arguments}]`.
    pub const ALSO: &str = "x-pilot-also";
    /// Document level: wire name of a parameter or member → its Rust name, where the table
    /// gives one (`rust-names`).
    pub const RUST_NAMES: &str = "x-pilot-rust-names";
    /// An update (`PUT`, `PATCH`): every body member is a setter, the body never an argument.
    pub const UPDATE: &str = "x-pilot-update";
}

/// The whole designed surface, as `design/` holds it.
#[derive(Debug, Clone, Default)]
pub struct Design {
    /// `design/operations.yaml`: names, resources, scopes.
    pub operations: OperationTable,
    /// `design/models.yaml`: shared, named types.
    pub models: ModelTable,
    /// `design/events.yaml`: the webhook events and their payload types.
    pub events: crate::events::EventTable,
}

impl Design {
    /// Reads `<dir>/operations.yaml`, `<dir>/models.yaml` and `<dir>/events.yaml`; a missing
    /// file is an empty table (every operation then gets a derived name; types keep their
    /// inline shapes; no webhook payload type is generated).
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let read = |name: &str| -> Result<Option<String>> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(crate::SpecError::Read { path, source }),
            }
        };
        Ok(Self {
            operations: match read("operations.yaml")? {
                Some(text) => OperationTable::parse("design/operations.yaml", &text)?,
                None => OperationTable::default(),
            },
            models: match read("models.yaml")? {
                Some(text) => ModelTable::parse("design/models.yaml", &text)?,
                None => ModelTable::default(),
            },
            events: match read("events.yaml")? {
                Some(text) => crate::events::EventTable::parse(&text)?,
                None => crate::events::EventTable::default(),
            },
        })
    }
}

/// What applying the design found that a reviewer should act on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesignReport {
    /// Operations the table does not name (generated under derived names).
    pub unnamed: Vec<Unnamed>,
    /// Table entries (or parts of them) that no longer match the spec.
    pub stale: Vec<StaleEntry>,
    /// Each model of `design/models.yaml` with places, as upstream documents it (before the
    /// table's differences): what a sync compares to see upstream's changes.
    pub upstream: BTreeMap<String, UpstreamModel>,
}

/// An operation without a table entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unnamed {
    /// upstream's operation id.
    pub upstream_id: String,
    /// `GET /v1/x`.
    pub route: String,
    /// The name it generates under, `resource.method`.
    pub derived: String,
}

impl fmt::Display for Unnamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "operation `{}` ({}) has no entry in design/operations.yaml: generated as `{}`",
            self.upstream_id, self.route, self.derived
        )
    }
}

/// A table entry that does not match the spec any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    /// The table file.
    pub file: String,
    /// The entry's key (an upstream operation id, or a resource).
    pub key: String,
    /// What no longer matches.
    pub message: String,
}

impl fmt::Display for StaleEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, entry `{}`: {}", self.file, self.key, self.message)
    }
}

/// Applies the design to a normalised document.
pub fn apply(document: &mut Value, design: &Design) -> Result<DesignReport> {
    let mut report = DesignReport::default();
    operations::apply(document, &design.operations, &mut report)?;
    models::apply(document, &design.models, &mut report)?;
    rustdoc::describe_parameter_schemas(document);
    rustdoc::make_safe(document);
    Ok(report)
}
