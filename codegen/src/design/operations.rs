//! `design/operations.yaml`: resources, method names, arguments and key scopes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{DesignReport, StaleEntry, Unnamed, ext};
use crate::error::{Result, SpecError};
use crate::normalise::operations::{UPSTREAM_OPERATION_ID, snake_case};
use crate::walk::for_each_operation;

/// Which API key may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// An account-wide (tenant-scoped) key.
    Tenant,
    /// A number-scoped key, or an account-wide key with the number selected.
    Number,
    /// Any key.
    Any,
    /// No key: a token in the path authorises the call.
    None,
    /// Not reviewed yet (an operation the table does not name).
    Unreviewed,
}

impl Scope {
    /// The name used in the table and the surface.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::Number => "number",
            Self::Any => "any",
            Self::None => "none",
            Self::Unreviewed => "unreviewed",
        }
    }

    /// Parses [`Scope::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Tenant,
            Self::Number,
            Self::Any,
            Self::None,
            Self::Unreviewed,
        ]
        .into_iter()
        .find(|scope| scope.as_str() == name)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `resource.method`, split.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MethodName {
    /// The resource path, dotted for sub-resources (`phone_lines.verification`).
    pub resource: String,
    /// The method.
    pub method: String,
}

impl MethodName {
    fn parse(file: &str, key: &str, text: &str) -> Result<Self> {
        let Some((resource, method)) = text.rsplit_once('.') else {
            return Err(table_error(
                file,
                key,
                format!("name `{text}` must be `<resource>.<method>`"),
            ));
        };
        for part in resource.split('.').chain([method]) {
            check_identifier(file, key, part)?;
        }
        Ok(Self {
            resource: resource.to_owned(),
            method: method.to_owned(),
        })
    }

    /// The operation id the generator names things after: `phone_lines_verification_start`.
    pub fn operation_id(&self) -> String {
        format!("{}_{}", self.resource.replace('.', "_"), self.method)
    }
}

impl fmt::Display for MethodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.resource, self.method)
    }
}

/// One operation's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the method is called.
    pub name: MethodName,
    /// Request-body members that are arguments.
    pub arguments: Vec<String>,
    /// Which key may call it.
    pub scope: Scope,
    /// A permission the key needs besides its scope.
    pub permission: Option<String>,
    /// The file that implements the method by hand, with why.
    pub hand_written: Option<String>,
    /// More methods on the same route.
    pub also: Vec<Alias>,
    /// Query parameters that are on/off flags: `bool` in Rust, `name=1` on the wire when
    /// true, left out when false.
    pub flags: Vec<String>,
    /// Where the name, scope and permission come from.
    pub evidence: String,
}

/// Another method on the same route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Its name; the resource must be the entry's.
    pub name: MethodName,
    /// Request-body members that are its arguments.
    pub arguments: Vec<String>,
    /// Why it exists.
    pub evidence: String,
}

/// The parsed `design/operations.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationTable {
    /// The file, for messages.
    pub file: String,
    /// Resource path → rustdoc sentence.
    pub resources: BTreeMap<String, String>,
    /// upstream operation id → entry.
    pub entries: BTreeMap<String, Entry>,
    /// Wire name of a parameter or member → its Rust name, where the derived snake case
    /// would give one concept several names (`rust-names`).
    pub rust_names: BTreeMap<String, RustName>,
}

/// The Rust name of a parameter or member, wherever the wire spells it so.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustName {
    /// The snake_case name setters, arguments and fields take.
    pub name: String,
    /// Why: which concept it is and where that comes from.
    pub evidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    resources: BTreeMap<String, String>,
    operations: BTreeMap<String, RawEntry>,
    #[serde(default, rename = "rust-names")]
    rust_names: BTreeMap<String, RustName>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntry {
    name: String,
    #[serde(default)]
    arguments: Vec<String>,
    scope: Scope,
    permission: Option<String>,
    hand_written: Option<String>,
    #[serde(default)]
    also: Vec<RawAlias>,
    #[serde(default)]
    flags: Vec<String>,
    evidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    name: String,
    #[serde(default)]
    arguments: Vec<String>,
    evidence: String,
}

fn table_error(file: &str, key: &str, message: impl Into<String>) -> SpecError {
    SpecError::Design {
        file: file.to_owned(),
        key: key.to_owned(),
        message: message.into(),
    }
}

/// Rust's keywords, which cannot be method, module or field names.
pub(crate) const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

fn check_identifier(file: &str, key: &str, name: &str) -> Result<()> {
    let snake = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !snake {
        return Err(table_error(
            file,
            key,
            format!("`{name}` is not a snake_case identifier"),
        ));
    }
    if KEYWORDS.contains(&name) {
        return Err(table_error(
            file,
            key,
            format!("`{name}` is a Rust keyword"),
        ));
    }
    Ok(())
}

impl OperationTable {
    /// Parses the table and checks it is consistent in itself: names are identifiers,
    /// resources are declared, no two methods share a name, every entry has evidence.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let raw: RawTable = yaml_serde::from_str(text)
            .map_err(|error| table_error(file, "", format!("not a valid table: {error}")))?;
        let mut entries = BTreeMap::new();
        let mut methods: BTreeMap<MethodName, String> = BTreeMap::new();
        for resource in raw.resources.keys() {
            for part in resource.split('.') {
                check_identifier(file, resource, part)?;
            }
            if let Some((parent, _)) = resource.rsplit_once('.')
                && !raw.resources.contains_key(parent)
            {
                return Err(table_error(
                    file,
                    resource,
                    format!("the parent resource `{parent}` is not declared"),
                ));
            }
        }
        for (key, raw_entry) in raw.operations {
            let name = MethodName::parse(file, &key, &raw_entry.name)?;
            let mut also = Vec::new();
            for alias in raw_entry.also {
                let alias_name = MethodName::parse(file, &key, &alias.name)?;
                if alias_name.resource != name.resource {
                    return Err(table_error(
                        file,
                        &key,
                        format!(
                            "`{alias_name}` must be on the resource of `{name}` (`{}`)",
                            name.resource
                        ),
                    ));
                }
                require_evidence(file, &key, &alias.evidence)?;
                also.push(Alias {
                    name: alias_name,
                    arguments: alias.arguments,
                    evidence: alias.evidence,
                });
            }
            for method in std::iter::once(&name).chain(also.iter().map(|alias| &alias.name)) {
                if !raw.resources.contains_key(&method.resource) {
                    return Err(table_error(
                        file,
                        &key,
                        format!(
                            "resource `{}` is not declared under `resources`",
                            method.resource
                        ),
                    ));
                }
                if let Some(other) = methods.insert(method.clone(), key.clone()) {
                    return Err(table_error(
                        file,
                        &key,
                        format!("`{method}` is also the name of `{other}`"),
                    ));
                }
            }
            if raw_entry.scope == Scope::Unreviewed {
                return Err(table_error(
                    file,
                    &key,
                    "`unreviewed` is for operations without an entry",
                ));
            }
            require_evidence(file, &key, &raw_entry.evidence)?;
            entries.insert(
                key,
                Entry {
                    name,
                    arguments: raw_entry.arguments,
                    scope: raw_entry.scope,
                    permission: raw_entry.permission,
                    hand_written: raw_entry.hand_written,
                    also,
                    flags: raw_entry.flags,
                    evidence: raw_entry.evidence,
                },
            );
        }
        // Sub-resource accessors share the parent's namespace with its methods.
        for resource in raw.resources.keys() {
            if let Some((parent, child)) = resource.rsplit_once('.') {
                let accessor = MethodName {
                    resource: parent.to_owned(),
                    method: child.to_owned(),
                };
                if let Some(key) = methods.get(&accessor) {
                    return Err(table_error(
                        file,
                        key,
                        format!("`{accessor}` is also the sub-resource `{resource}`"),
                    ));
                }
            }
        }
        for (wire, rust_name) in &raw.rust_names {
            check_identifier(file, wire, &rust_name.name)?;
            require_evidence(file, wire, &rust_name.evidence)?;
        }
        Ok(Self {
            file: file.to_owned(),
            resources: raw.resources,
            entries,
            rust_names: raw.rust_names,
        })
    }
}

fn require_evidence(file: &str, key: &str, evidence: &str) -> Result<()> {
    if evidence.trim().is_empty() {
        return Err(table_error(file, key, "every entry needs its evidence"));
    }
    Ok(())
}

/// The resource of an operation the table does not name: the first path segment after the
/// version (`/v1/contacts/{id}` → `contacts`).
fn derived_resource(path: &str) -> String {
    let segment = path
        .split('/')
        .filter(|segment| !segment.is_empty() && !segment.starts_with('{'))
        .find(|segment| {
            !(segment.len() > 1
                && segment.starts_with('v')
                && segment[1..].chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or("api");
    let name = snake_case(segment);
    if name.is_empty() || KEYWORDS.contains(&name.as_str()) {
        format!("{name}_api")
    } else {
        name
    }
}

/// Writes the `x-pilot-*` extensions of every operation and of the document.
pub(super) fn apply(
    document: &mut Value,
    table: &OperationTable,
    report: &mut DesignReport,
) -> Result<()> {
    let mut used = BTreeSet::new();
    let mut resources: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut methods: BTreeSet<(String, String)> = table
        .entries
        .values()
        .flat_map(|entry| {
            std::iter::once(&entry.name)
                .chain(entry.also.iter().map(|alias| &alias.name))
                .map(|name| (name.resource.clone(), name.method.clone()))
        })
        .collect();
    let bodies = request_bodies(document);
    for_each_operation(document, |path, method, operation, at| {
        let normalised = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let upstream = operation
            .get(UPSTREAM_OPERATION_ID)
            .and_then(Value::as_str)
            .map_or_else(|| normalised.clone(), str::to_owned);
        let route = format!("{} {path}", method.to_ascii_uppercase());
        let members = bodies.get(at);
        let (name, scope) = match table.entries.get(&upstream) {
            Some(entry) => {
                used.insert(upstream.clone());
                if is_update(method) && !entry.arguments.is_empty() {
                    return Err(table_error(
                        &table.file,
                        &upstream,
                        format!(
                            "`{}` is an update ({route}): its body members are setters on the \
                             call, never arguments (`also` may name a shorthand)",
                            entry.name
                        ),
                    ));
                }
                let mut arguments = Vec::new();
                for argument in &entry.arguments {
                    if members.is_some_and(|members| members.contains(argument)) {
                        arguments.push(Value::String(argument.clone()));
                    } else {
                        report.stale.push(StaleEntry {
                            file: table.file.clone(),
                            key: upstream.clone(),
                            message: format!(
                                "argument `{argument}` is not a member of the request body any \
                                 more; the method takes the whole body instead"
                            ),
                        });
                    }
                }
                if !arguments.is_empty() {
                    operation.insert(ext::ARGUMENTS.to_owned(), Value::Array(arguments));
                }
                if let Some(permission) = &entry.permission {
                    operation.insert(ext::PERMISSION.to_owned(), json!(permission));
                }
                if let Some(file) = &entry.hand_written {
                    operation.insert(ext::HAND_WRITTEN.to_owned(), json!(file));
                }
                let mut also = Vec::new();
                for alias in &entry.also {
                    let kept: Vec<&String> = alias
                        .arguments
                        .iter()
                        .filter(|argument| members.is_some_and(|m| m.contains(*argument)))
                        .collect();
                    if kept.len() == alias.arguments.len() {
                        also.push(json!({"method": alias.name.method, "arguments": kept}));
                    } else {
                        report.stale.push(StaleEntry {
                            file: table.file.clone(),
                            key: upstream.clone(),
                            message: format!(
                                "`{}` names body members the request body no longer has; \
                                 the method is not generated",
                                alias.name
                            ),
                        });
                    }
                }
                if !also.is_empty() {
                    operation.insert(ext::ALSO.to_owned(), Value::Array(also));
                }
                for flag in &entry.flags {
                    if !make_flag(operation, flag) {
                        report.stale.push(StaleEntry {
                            file: table.file.clone(),
                            key: upstream.clone(),
                            message: format!("flag `{flag}` is not a query parameter any more"),
                        });
                    }
                }
                (entry.name.clone(), entry.scope)
            }
            None => {
                let resource = derived_resource(path);
                let mut method_name = normalised.clone();
                while !methods.insert((resource.clone(), method_name.clone())) {
                    method_name.push_str("_upstream");
                }
                let name = MethodName {
                    resource,
                    method: method_name,
                };
                report.unnamed.push(Unnamed {
                    upstream_id: upstream.clone(),
                    route,
                    derived: name.to_string(),
                });
                (name, Scope::Unreviewed)
            }
        };
        let mut id = if table.entries.contains_key(&upstream) {
            name.operation_id()
        } else {
            normalised.clone()
        };
        while ids.contains_key(&id) {
            id.push_str("_upstream");
        }
        ids.insert(id.clone(), upstream.clone());
        for resource in ancestors(&name.resource) {
            let doc = table.resources.get(&resource).cloned().unwrap_or_else(|| {
                format!(
                    "Operations under `/{}` that `design/operations.yaml` does not name yet.",
                    resource.replace('.', "/")
                )
            });
            resources.insert(resource, doc);
        }
        operation.insert(UPSTREAM_OPERATION_ID.to_owned(), json!(upstream));
        operation.insert("operationId".to_owned(), json!(id));
        operation.insert(ext::RESOURCE.to_owned(), json!(name.resource));
        operation.insert(ext::METHOD.to_owned(), json!(name.method));
        operation.insert(ext::SCOPE.to_owned(), json!(scope.as_str()));
        if is_update(method) {
            operation.insert(ext::UPDATE.to_owned(), json!(true));
        }
        Ok(())
    })?;
    for (key, entry) in &table.entries {
        if !used.contains(key) {
            report.stale.push(StaleEntry {
                file: table.file.clone(),
                key: key.clone(),
                message: format!(
                    "no operation has this upstream id any more (it named `{}`)",
                    entry.name
                ),
            });
        }
    }
    for resource in table.resources.keys() {
        if !resources.contains_key(resource) {
            report.stale.push(StaleEntry {
                file: table.file.clone(),
                key: resource.clone(),
                message: "no operation belongs to this resource any more".to_owned(),
            });
        }
    }
    let mut rust_names = Map::new();
    let spelled = wire_names(document);
    for (wire, rust_name) in &table.rust_names {
        if spelled.contains(wire.as_str()) {
            rust_names.insert(wire.clone(), json!(rust_name.name));
        } else {
            report.stale.push(StaleEntry {
                file: table.file.clone(),
                key: wire.clone(),
                message: "no parameter or member has this wire name any more".to_owned(),
            });
        }
    }
    if let Some(root) = document.as_object_mut() {
        root.insert(
            ext::RESOURCES.to_owned(),
            Value::Object(resources.into_iter().map(|(k, v)| (k, json!(v))).collect()),
        );
        if !rust_names.is_empty() {
            root.insert(ext::RUST_NAMES.to_owned(), Value::Object(rust_names));
        }
    }
    Ok(())
}

/// Every wire name of a parameter (`{name, in}`) or of a schema member (a key of
/// `properties`) anywhere in the document.
fn wire_names(document: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(name)), Some(Value::String(_))) =
                    (map.get("name"), map.get("in"))
                {
                    names.insert(name.clone());
                }
                if let Some(Value::Object(properties)) = map.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}

/// The Rust name of the parameter or member spelled `wire` on the wire: the design's
/// `rust-names` entry (written on the document as `x-pilot-rust-names`), else the snake
/// case progenitor derives.
pub fn rust_name(document: &Value, wire: &str) -> String {
    document
        .get(ext::RUST_NAMES)
        .and_then(|names| names.get(wire))
        .and_then(Value::as_str)
        .map_or_else(|| crate::syntax::progenitor_snake_case(wire), str::to_owned)
}

/// Whether an operation of this HTTP method is an update (`PUT`, `PATCH`): its path
/// parameters are the method's arguments and every body member is a setter on the call.
fn is_update(method: &str) -> bool {
    method.eq_ignore_ascii_case("put") || method.eq_ignore_ascii_case("patch")
}

/// The Rust type of a flag (see [`Entry::flags`]); the SDK defines it.
pub const FLAG_TYPE: &str = "pilot_status::Flag";

/// Types the query parameter `name` as a flag; false when there is no such parameter.
fn make_flag(operation: &mut Map<String, Value>, name: &str) -> bool {
    let Some(Value::Array(parameters)) = operation.get_mut("parameters") else {
        return false;
    };
    let Some(parameter) = parameters.iter_mut().find(|p| {
        p.get("in").and_then(Value::as_str) == Some("query")
            && p.get("name").and_then(Value::as_str) == Some(name)
    }) else {
        return false;
    };
    let Some(parameter) = parameter.as_object_mut() else {
        return false;
    };
    parameter.insert(
        "schema".to_owned(),
        json!({
            "type": "boolean",
            "x-rust-type": {"crate": "pilot-status", "version": "*", "path": FLAG_TYPE}
        }),
    );
    parameter.remove("example");
    let description = parameter
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned();
    parameter.insert(
        "description".to_owned(),
        json!(
            format!("{description} `true` sends `{name}=1`; `false` leaves the parameter out.")
                .trim()
                .to_owned()
        ),
    );
    true
}

/// `a.b.c` → `a`, `a.b`, `a.b.c`.
fn ancestors(resource: &str) -> Vec<String> {
    let parts: Vec<&str> = resource.split('.').collect();
    (1..=parts.len()).map(|n| parts[..n].join(".")).collect()
}

/// The member names of each operation's JSON request body (by operation pointer).
fn request_bodies(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for crate::walk::OperationAt {
        path,
        method,
        operation,
        ..
    } in crate::walk::operations(document)
    {
        let schema = operation
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
            .and_then(|content| content.values().next())
            .and_then(|media| media.get("schema"));
        let members = schema
            .map(|schema| resolve_schema(document, schema))
            .and_then(|schema| schema.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default();
        out.insert(crate::pointer::operation(path, method), members);
    }
    out
}

/// Follows a local `$ref` to a component schema.
pub(crate) fn resolve_schema<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
            .unwrap_or(schema),
        None => schema,
    }
}

/// The `x-pilot-*` view of one operation, as codegen and the surface read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designed {
    /// The resource path.
    pub resource: String,
    /// The method.
    pub method: String,
    /// Body members that are arguments.
    pub arguments: Vec<String>,
    /// Which key may call it.
    pub scope: Scope,
    /// A permission besides the scope.
    pub permission: Option<String>,
    /// The hand-written implementation, if any.
    pub hand_written: Option<String>,
    /// More methods on the route: `(method, arguments)`.
    pub also: Vec<(String, Vec<String>)>,
    /// An update (`PUT`, `PATCH`): the body is never an argument; its members are setters.
    pub update: bool,
}

impl Designed {
    /// Reads the extensions of an operation the design step has seen.
    pub fn of(operation: &Value) -> Option<Self> {
        let text = |key: &str| {
            operation
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let list = |value: Option<&Value>| -> Vec<String> {
            value
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Self {
            resource: text(ext::RESOURCE)?,
            method: text(ext::METHOD)?,
            arguments: list(operation.get(ext::ARGUMENTS)),
            scope: Scope::from_name(&text(ext::SCOPE)?)?,
            permission: text(ext::PERMISSION),
            hand_written: text(ext::HAND_WRITTEN),
            also: operation
                .get(ext::ALSO)
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| {
                            Some((
                                item.get("method")?.as_str()?.to_owned(),
                                list(item.get("arguments")),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            update: operation.get(ext::UPDATE) == Some(&Value::Bool(true)),
        })
    }

    /// The resource path → doc map the design step wrote on the document.
    pub fn resources(document: &Value) -> Map<String, Value> {
        document
            .get(ext::RESOURCES)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
resources:
  numbers: "Numbers."
  phone_lines: "Lines."
  phone_lines.verification: "Verification."
operations:
  get_numbers_id:
    name: numbers.get
    scope: any
    evidence: official SDK numbers.get
  patch_numbers_id:
    name: numbers.update
    scope: any
    also:
      - name: numbers.update_settings
        arguments: [settings]
        evidence: official SDK numbers.update_settings
    evidence: official SDK numbers.update
  post_phone-lines_verification:
    name: phone_lines.verification.start
    scope: tenant
    evidence: official SDK
  gone:
    name: numbers.gone
    scope: any
    evidence: an operation upstream removed
"#;

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/v1/numbers/{id}": {
                    "get": {"operationId": "get_numbers_id"},
                    "patch": {
                        "operationId": "patch_numbers_id",
                        "requestBody": {"content": {"application/json": {"schema": {
                            "type": "object", "properties": {"settings": {"type": "object"}}
                        }}}}
                    }
                },
                "/v1/phone-lines/verification": {
                    "post": {
                        "operationId": "post_phone_lines_verification",
                        "x-upstream-operation-id": "post_phone-lines_verification"
                    }
                },
                "/v1/contacts": {"get": {"operationId": "get_contacts"}}
            }
        })
    }

    #[test]
    fn names_scopes_and_aliases_become_extensions() {
        let table = OperationTable::parse("t.yaml", TABLE).unwrap();
        let mut doc = document();
        let mut report = DesignReport::default();
        apply(&mut doc, &table, &mut report).unwrap();
        let get = &doc["paths"]["/v1/numbers/{id}"]["get"];
        assert_eq!(get["operationId"], "numbers_get");
        assert_eq!(get[UPSTREAM_OPERATION_ID], "get_numbers_id");
        let designed = Designed::of(get).unwrap();
        assert_eq!(
            (designed.resource.as_str(), designed.method.as_str()),
            ("numbers", "get")
        );
        let patch = Designed::of(&doc["paths"]["/v1/numbers/{id}"]["patch"]).unwrap();
        assert_eq!(
            patch.also,
            vec![("update_settings".to_owned(), vec!["settings".to_owned()])]
        );
        let start = &doc["paths"]["/v1/phone-lines/verification"]["post"];
        assert_eq!(start["operationId"], "phone_lines_verification_start");
        assert_eq!(start[ext::SCOPE], "tenant");
        assert_eq!(
            doc[ext::RESOURCES]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            [
                "contacts",
                "numbers",
                "phone_lines",
                "phone_lines.verification"
            ]
        );
    }

    #[test]
    fn unnamed_operations_generate_and_are_reported_stale_entries_too() {
        let table = OperationTable::parse("t.yaml", TABLE).unwrap();
        let mut doc = document();
        let mut report = DesignReport::default();
        apply(&mut doc, &table, &mut report).unwrap();
        let contacts = &doc["paths"]["/v1/contacts"]["get"];
        assert_eq!(contacts["operationId"], "get_contacts");
        assert_eq!(contacts[ext::RESOURCE], "contacts");
        assert_eq!(contacts[ext::SCOPE], "unreviewed");
        assert_eq!(report.unnamed.len(), 1);
        assert_eq!(
            report.unnamed[0].to_string(),
            "operation `get_contacts` (GET /v1/contacts) has no entry in design/operations.yaml: \
             generated as `contacts.get_contacts`"
        );
        assert_eq!(report.stale.len(), 1);
        assert_eq!(
            report.stale[0].to_string(),
            "t.yaml, entry `gone`: no operation has this upstream id any more (it named `numbers.gone`)"
        );
    }

    #[test]
    fn an_argument_the_body_lost_is_reported_and_dropped() {
        let table = OperationTable::parse(
            "t.yaml",
            r#"
resources: {phone_lines: "P.", phone_lines.verification: "V."}
operations:
  post_phone-lines_verification:
    name: phone_lines.verification.start
    arguments: [piiMode]
    scope: tenant
    evidence: e
"#,
        )
        .unwrap();
        let mut doc = document();
        let mut report = DesignReport::default();
        apply(&mut doc, &table, &mut report).unwrap();
        assert!(
            doc["paths"]["/v1/phone-lines/verification"]["post"]
                .get(ext::ARGUMENTS)
                .is_none()
        );
        assert!(
            report.stale[0].message.contains("`piiMode`"),
            "{:?}",
            report.stale
        );
    }

    #[test]
    fn an_update_takes_no_body_arguments() {
        let table = OperationTable::parse(
            "t.yaml",
            r#"
resources: {numbers: "N."}
operations:
  patch_numbers_id:
    name: numbers.update
    arguments: [settings]
    scope: any
    evidence: e
"#,
        )
        .unwrap();
        let error = apply(&mut document(), &table, &mut DesignReport::default()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("is an update (PATCH /v1/numbers/{id})"),
            "{error}"
        );
        let table = OperationTable::parse(
            "t.yaml",
            "resources: {numbers: \"N.\"}\noperations:\n  patch_numbers_id: {name: numbers.update, scope: any, evidence: e}\n",
        )
        .unwrap();
        let mut doc = document();
        apply(&mut doc, &table, &mut DesignReport::default()).unwrap();
        assert!(
            Designed::of(&doc["paths"]["/v1/numbers/{id}"]["patch"])
                .unwrap()
                .update
        );
        assert!(
            !Designed::of(&doc["paths"]["/v1/numbers/{id}"]["get"])
                .unwrap()
                .update
        );
    }

    #[test]
    fn rust_names_apply_where_the_wire_spells_them_and_go_stale_elsewhere() {
        let table = OperationTable::parse(
            "t.yaml",
            r#"
resources: {numbers: "N."}
operations: {}
rust-names:
  settings: {name: number_settings, evidence: e}
  whatsappNumberId: {name: number_id, evidence: e}
"#,
        )
        .unwrap();
        let mut doc = document();
        let mut report = DesignReport::default();
        apply(&mut doc, &table, &mut report).unwrap();
        assert_eq!(rust_name(&doc, "settings"), "number_settings");
        assert_eq!(rust_name(&doc, "piiMode"), "pii_mode");
        assert_eq!(rust_name(&doc, "whatsappNumberId"), "whatsapp_number_id");
        assert!(
            report
                .stale
                .iter()
                .any(|stale| stale.key == "whatsappNumberId"),
            "{:?}",
            report.stale
        );
        let refused = OperationTable::parse(
            "t.yaml",
            "resources: {}\noperations: {}\nrust-names: {a: {name: NotSnake, evidence: e}}\n",
        );
        assert!(refused.is_err());
    }

    #[test]
    fn inconsistent_tables_are_refused_naming_the_entry() {
        for (table, expected) in [
            (
                "resources: {}\noperations:\n  x:\n    name: numbers.get\n    scope: any\n    evidence: e\n",
                "t.yaml, entry `x`: resource `numbers` is not declared under `resources`",
            ),
            (
                "resources: {n: N}\noperations:\n  x:\n    name: n.Get\n    scope: any\n    evidence: e\n",
                "t.yaml, entry `x`: `Get` is not a snake_case identifier",
            ),
            (
                "resources: {n: N}\noperations:\n  x:\n    name: n.get\n    scope: any\n    evidence: e\n  y:\n    name: n.get\n    scope: any\n    evidence: e\n",
                "t.yaml, entry `y`: `n.get` is also the name of `x`",
            ),
            (
                "resources: {n: N}\noperations:\n  x:\n    name: n.type\n    scope: any\n    evidence: e\n",
                "t.yaml, entry `x`: `type` is a Rust keyword",
            ),
            (
                "resources: {n: N}\noperations:\n  x:\n    name: n.get\n    scope: any\n    evidence: ' '\n",
                "t.yaml, entry `x`: every entry needs its evidence",
            ),
        ] {
            let error = OperationTable::parse("t.yaml", table).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn derived_resources_come_from_the_first_path_segment() {
        assert_eq!(derived_resource("/v1/contacts/{id}/x"), "contacts");
        assert_eq!(derived_resource("/v1/phone-lines/x"), "phone_lines");
        assert_eq!(derived_resource("/v2"), "api");
    }
}
