//! The public surface of the generated client, in a compact text form made for review:
//! per operation its method, HTTP route, parameters, body and result types; per type its
//! fields or variants. It is read from the generated code itself (with syn) joined with
//! the normalised spec (HTTP locations and statuses), so it shows exactly what compiles.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde_json::Value;
use syn::{Fields, Item, Type};

use crate::Prepared;
use crate::design::operations::Designed;
use crate::error::{Result, SpecError};
use crate::normalise::operations::UPSTREAM_OPERATION_ID;
use crate::normalise::responses::DOCUMENTED_STATUSES;
use crate::preflight::resolve;
use crate::syntax::{generic_arguments, last_ident, module_items, option_inner, serde_rename};
use crate::walk::OperationAt;

/// Everything the generated client exposes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// How requests authenticate.
    pub security: Security,
    /// Operations, by method name.
    pub operations: BTreeMap<String, Operation>,
    /// Generated types, by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// How requests authenticate: the spec's security schemes and the requirement of every
/// operation that states none of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Security {
    /// Scheme name → what a request carries (`header x-api-key`, `header Authorization:
    /// Bearer <credential>`).
    pub schemes: BTreeMap<String, String>,
    /// The alternatives every operation accepts unless it says otherwise: each is the
    /// scheme names it sends together (`apiKey`).
    pub default: Vec<String>,
}

/// A security requirement (a list of alternatives, each a map of scheme names) as text:
/// `apiKey or apiKeyId`, `none` for `[]`.
pub fn requirement_text(requirement: &Value) -> Vec<String> {
    requirement
        .as_array()
        .into_iter()
        .flatten()
        .map(|alternative| {
            let names: Vec<&str> = alternative
                .as_object()
                .into_iter()
                .flat_map(|names| names.keys().map(String::as_str))
                .collect();
            if names.is_empty() {
                "anonymous".to_owned()
            } else {
                names.join(" + ")
            }
        })
        .collect()
}

/// The security of a prepared document.
fn security_of(document: &Value) -> Security {
    Security {
        schemes: document
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|schemes| {
                schemes
                    .iter()
                    .map(|(name, scheme)| (name.clone(), crate::codegen::scheme_text(scheme)))
                    .collect()
            })
            .unwrap_or_default(),
        default: document
            .get("security")
            .map(requirement_text)
            .unwrap_or_default(),
    }
}

/// One operation: a method of a resource (`client.numbers().get(id)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `resource.method`, as `design/operations.yaml` names it.
    pub name: String,
    /// How it is called: `client.numbers().get(id)`.
    pub call: String,
    /// More methods on the same route, as calls.
    pub also: Vec<String>,
    /// Which key may call it (`tenant`, `number`, `any`, `none`, `unreviewed`), and a
    /// permission it needs.
    pub scope: String,
    /// The hand-written implementation, when the method is not generated.
    pub hand_written: Option<String>,
    /// The operation id the generated builder is named after (`numbers_get` →
    /// `builder::NumbersGet`).
    pub method_name: String,
    /// upstream's operationId, when the normaliser changed it.
    pub upstream_id: Option<String>,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template.
    pub path: String,
    /// Parameters, in the order of the spec.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The statuses upstream documents as success, and the Rust type they decode into.
    pub success: (Vec<String>, String),
    /// The documented error statuses (every error decodes into `ApiError`).
    pub errors: Vec<String>,
    /// How the operation authenticates, when it says so itself: `none (security: [])` for
    /// one that needs no credentials, else its alternatives (`bearerAuth`).
    pub auth: Option<String>,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// `path`, `query` or `header`.
    pub location: String,
    /// The name on the wire.
    pub name: String,
    /// The builder method that sets it.
    pub rust_name: String,
    /// Its Rust type.
    pub rust_type: String,
    /// Whether the spec requires it.
    pub required: bool,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Its media type.
    pub media_type: String,
    /// Its Rust type.
    pub rust_type: String,
    /// Whether the spec requires it.
    pub required: bool,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// An enum.
    Enum(Vec<Variant>),
    /// A tuple struct around one type.
    Newtype(String),
    /// A type alias.
    Alias(String),
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    /// The Rust field name.
    pub rust_name: String,
    /// Its Rust type.
    pub rust_type: String,
}

impl Field {
    /// Whether the field may be absent from the JSON (an `Option`, or a collection that
    /// defaults to empty).
    pub fn is_optional(&self) -> bool {
        self.rust_type.starts_with("Option<")
    }
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The value on the wire (`#[serde(rename)]`), when it differs.
    pub wire: Option<String>,
    /// The type it holds, for untagged enums.
    pub payload: Option<String>,
    /// The members of a struct variant (a one-of alternative): `name: Type`.
    pub members: Vec<String>,
}

/// Extracts the surface of a prepared spec and the code generated from it.
pub fn extract(prepared: &Prepared, code: &str) -> Result<Surface> {
    let file = syn::parse_file(code).map_err(|error| SpecError::Rewrite {
        rule: "surface",
        message: format!("the generated code does not parse: {error}"),
    })?;
    let builders = builder_structs(&file);
    let successes = send_results(&file);
    let document = &prepared.document;
    let mut surface = Surface {
        security: security_of(document),
        types: types_of(&file),
        ..Surface::default()
    };
    for OperationAt {
        path,
        item,
        method: http_method,
        operation,
    } in crate::walk::operations(document)
    {
        let method_name = operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let builder_name = heck::ToPascalCase::to_pascal_case(method_name.as_str());
        let fields = builders
            .get(&builder_name)
            .ok_or_else(|| SpecError::Rewrite {
                rule: "surface",
                message: format!("no builder `{builder_name}` for operation `{method_name}`"),
            })?;
        let mut parameters = Vec::new();
        let declared = crate::walk::declared_parameters(item, operation);
        for parameter in declared {
            let parameter = resolve(document, parameter, path)?;
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            let location = parameter["in"].as_str().unwrap_or_default().to_owned();
            let rust_name = crate::design::operations::rust_name(document, &name);
            let (rust_type, _) =
                fields
                    .get(&rust_name)
                    .cloned()
                    .ok_or_else(|| SpecError::Rewrite {
                        rule: "surface",
                        message: format!(
                            "operation `{method_name}` has no builder field for parameter `{name}`"
                        ),
                    })?;
            let parameter = Parameter {
                required: parameter.get("required") == Some(&Value::Bool(true)),
                location,
                name,
                rust_name,
                rust_type,
            };
            // An operation's parameter replaces the path item's one of the same name.
            match parameters.iter_mut().find(|p: &&mut Parameter| {
                p.location == parameter.location && p.name == parameter.name
            }) {
                Some(existing) => *existing = parameter,
                None => parameters.push(parameter),
            }
        }
        let body = operation.get("requestBody").map(|body| {
            let body = resolve(document, body, path).unwrap_or(body);
            Body {
                // A multipart body is generated as its JSON twin; the wire is the form.
                media_type: body
                    .get(crate::normalise::operations::MULTIPART)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| {
                        body.get("content")
                            .and_then(Value::as_object)
                            .and_then(|content| content.keys().next().cloned())
                    })
                    .unwrap_or_default(),
                rust_type: fields
                    .get("body")
                    .map(|(ty, _)| ty.clone())
                    .unwrap_or_default(),
                required: body.get("required") == Some(&Value::Bool(true)),
            }
        });
        let responses = operation.get("responses").and_then(Value::as_object);
        let documented = responses
            .and_then(|r| r.get("2XX"))
            .and_then(|r| r.get(DOCUMENTED_STATUSES))
            .and_then(Value::as_array)
            .map(|statuses| {
                statuses
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let errors = responses
            .map(|r| r.keys().filter(|k| !k.starts_with('2')).cloned().collect())
            .unwrap_or_default();
        let success_type = successes.get(&builder_name).cloned().unwrap_or_default();
        let designed = Designed::of(operation).ok_or_else(|| SpecError::Rewrite {
            rule: "surface",
            message: format!("operation `{method_name}` was not seen by the design step"),
        })?;
        let required: Vec<String> = parameters
            .iter()
            .filter(|p| p.required)
            .map(|p| p.rust_name.clone())
            .collect();
        let call = |method: &str, arguments: &[String]| {
            let mut names = required.clone();
            if !arguments.is_empty() {
                names.extend(
                    arguments
                        .iter()
                        .map(|a| crate::design::operations::rust_name(document, a)),
                );
            } else if body.as_ref().is_some_and(|b| b.required) && !designed.update {
                names.push("body".to_owned());
            }
            let resource: String = designed
                .resource
                .split('.')
                .map(|part| format!(".{part}()"))
                .collect();
            format!("client{resource}.{method}({})", names.join(", "))
        };
        let name = format!("{}.{}", designed.resource, designed.method);
        let mut scope = designed.scope.to_string();
        if let Some(permission) = &designed.permission {
            scope.push_str(&format!(", permission {permission}"));
        }
        surface.operations.insert(
            name.clone(),
            Operation {
                call: call(&designed.method, &designed.arguments),
                also: designed
                    .also
                    .iter()
                    .map(|(method, arguments)| call(method, arguments))
                    .collect(),
                scope,
                hand_written: designed.hand_written.clone(),
                name,
                upstream_id: operation
                    .get(UPSTREAM_OPERATION_ID)
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                method_name,
                http_method: http_method.to_ascii_uppercase(),
                path: path.to_owned(),
                parameters,
                body,
                success: (documented, success_type),
                errors,
                auth: operation.get("security").map(|security| {
                    let alternatives = requirement_text(security);
                    if alternatives.is_empty() {
                        "none (security: [])".to_owned()
                    } else {
                        alternatives.join(" or ")
                    }
                }),
            },
        );
    }
    Ok(surface)
}

/// Builder structs of `mod builder`: field name → (type, required).
fn builder_structs(file: &syn::File) -> BTreeMap<String, BTreeMap<String, (String, bool)>> {
    crate::syntax::builder_fields(file)
        .into_iter()
        .map(|(builder, fields)| {
            let fields = fields
                .iter()
                .map(|(name, ty)| {
                    // `Result<T, String>` (required) or `Result<Option<T>, String>` (optional).
                    let (rust_type, required) = match option_inner(ty) {
                        Some(inner) => (render(inner), false),
                        None => (render(ty), true),
                    };
                    let rust_type = rust_type.trim_start_matches("builder::").to_owned();
                    (name.clone(), (rust_type, required))
                })
                .collect();
            (builder, fields)
        })
        .collect()
}

/// The success type of each builder's `send()`: `T` of `Result<ResponseValue<T>, _>`.
fn send_results(file: &syn::File) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in module_items(&file.items, "builder") {
        let Item::Impl(block) = item else { continue };
        let Some(name) = last_ident(&block.self_ty) else {
            continue;
        };
        for impl_item in &block.items {
            let syn::ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            if let syn::ReturnType::Type(_, ty) = &function.sig.output
                && let Some(response) = generic_arguments(ty).into_iter().next()
                && let Some(success) = generic_arguments(response).into_iter().next()
            {
                out.insert(name.clone(), render(success));
            }
        }
    }
    out
}

/// Types of `mod types` (not its `builder` and `defaults` submodules).
fn types_of(file: &syn::File) -> BTreeMap<String, TypeDef> {
    let mut out = BTreeMap::new();
    let mut builders: Vec<(String, Vec<(String, bool)>)> = Vec::new();
    for item in module_items(&file.items, "types") {
        match item {
            // A typestate builder: its members (private) as the built type has them, each
            // required one marked so (its type parameter).
            Item::Struct(item) if !item.generics.params.is_empty() => {
                let Fields::Named(fields) = &item.fields else {
                    continue;
                };
                let parameters: Vec<String> = item
                    .generics
                    .type_params()
                    .map(|param| param.ident.to_string())
                    .collect();
                builders.push((
                    item.ident.to_string(),
                    fields
                        .named
                        .iter()
                        .filter_map(|field| {
                            let name = field.ident.as_ref()?.to_string();
                            Some((name, parameters.contains(&render(&field.ty))))
                        })
                        .collect(),
                ));
            }
            Item::Struct(item) => {
                let def = match &item.fields {
                    Fields::Named(fields) => TypeDef::Struct(
                        fields
                            .named
                            .iter()
                            .filter(|field| matches!(field.vis, syn::Visibility::Public(_)))
                            .map(|field| {
                                let rust_name = field
                                    .ident
                                    .as_ref()
                                    .map(ToString::to_string)
                                    .unwrap_or_default();
                                let mut rust_type = render(&field.ty);
                                if reads_required_instant(&field.attrs) {
                                    rust_type
                                        .push_str(crate::codegen::instants::REQUIRED_INSTANT_NOTE);
                                }
                                Field {
                                    name: serde_rename(&field.attrs)
                                        .unwrap_or_else(|| rust_name.clone()),
                                    rust_name,
                                    rust_type,
                                }
                            })
                            .collect(),
                    ),
                    Fields::Unnamed(fields) => TypeDef::Newtype(
                        fields
                            .unnamed
                            .first()
                            .map(|f| render(&f.ty))
                            .unwrap_or_default(),
                    ),
                    Fields::Unit => TypeDef::Struct(Vec::new()),
                };
                out.insert(item.ident.to_string(), def);
            }
            Item::Enum(item) => {
                let variants = item
                    .variants
                    .iter()
                    .map(|variant| Variant {
                        rust_name: variant.ident.to_string(),
                        wire: serde_rename(&variant.attrs),
                        payload: match &variant.fields {
                            Fields::Unnamed(fields) => {
                                fields.unnamed.first().map(|f| render(&f.ty))
                            }
                            _ => None,
                        },
                        members: match &variant.fields {
                            Fields::Named(fields) => fields
                                .named
                                .iter()
                                .map(|field| {
                                    let name = field
                                        .ident
                                        .as_ref()
                                        .map(ToString::to_string)
                                        .unwrap_or_default();
                                    format!("{name}: {}", render(&field.ty))
                                })
                                .collect(),
                            _ => Vec::new(),
                        },
                    })
                    .collect();
                out.insert(item.ident.to_string(), TypeDef::Enum(variants));
            }
            Item::Type(item) => {
                out.insert(item.ident.to_string(), TypeDef::Alias(render(&item.ty)));
            }
            _ => {}
        }
    }
    for (name, members) in builders {
        let built = name
            .strip_suffix(crate::codegen::builders::BUILDER_SUFFIX)
            .and_then(|built| out.get(built));
        let Some(TypeDef::Struct(fields)) = built else {
            continue;
        };
        let fields = members
            .iter()
            .filter_map(|(member, required)| {
                let mut field = fields.iter().find(|f| f.rust_name == *member)?.clone();
                if *required {
                    field
                        .rust_type
                        .push_str(crate::codegen::builders::REQUIRED_MEMBER_NOTE);
                }
                Some(field)
            })
            .collect();
        out.insert(name, TypeDef::Struct(fields));
    }
    out
}

/// Whether a member's attributes read it as a required instant: `deserialize_with` the SDK's
/// reader of one.
fn reads_required_instant(attrs: &[syn::Attribute]) -> bool {
    crate::codegen::resources::serde_flags(attrs)
        .deserialize_with
        .as_deref()
        == Some(crate::codegen::instants::REQUIRED_INSTANT_READER)
}

/// A type as a reader writes it: module paths dropped (`::std::option::Option<..>` →
/// `Option<..>`), except the generated `builder::` prefix, removed by callers.
fn render(ty: &Type) -> String {
    match ty {
        Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return String::new();
            };
            let arguments = generic_arguments(ty);
            let prefix = if path.path.segments.len() >= 2
                && path.path.segments[path.path.segments.len() - 2].ident == "builder"
            {
                "builder::"
            } else {
                ""
            };
            if arguments.is_empty() {
                format!("{prefix}{}", last.ident)
            } else {
                let inner: Vec<String> = arguments.into_iter().map(render).collect();
                format!("{prefix}{}<{}>", last.ident, inner.join(", "))
            }
        }
        Type::Reference(reference) => format!("&{}", render(&reference.elem)),
        Type::Tuple(tuple) if tuple.elems.is_empty() => "()".to_owned(),
        other => quote::ToTokens::to_token_stream(other).to_string(),
    }
}

impl Surface {
    /// The public names of `types` that neither reviewed data nor a faithful spelling of
    /// upstream gives: a type that is not a model of `design/models.yaml` (nor the
    /// normaliser's `ApiError`, nor a model's `<Model>Builder`), named by the generator after
    /// its place; a variant that is neither the UpperCamelCase of its wire value (a value
    /// starting with a letter) nor named in the table's `variants`, nor the catch-all
    /// `Unknown(String)`. Each reads
    /// `type X` or `variant X::Y = "value"`; the sync prints them for review.
    pub fn derived_names(&self, models: &crate::design::models::ModelTable) -> Vec<String> {
        use heck::ToUpperCamelCase as _;
        let mut derived = Vec::new();
        // The enums of one-of groups and the wire forms they go out as, named by the table.
        let designed: std::collections::BTreeSet<String> = models
            .models
            .iter()
            .filter_map(|(name, model)| Some((name, model.alternatives.as_ref()?)))
            .flat_map(|(name, alternatives)| {
                alternatives
                    .groups
                    .iter()
                    .map(|group| group.type_name.clone())
                    .chain([crate::design::models::alternatives::wire_name(name)])
            })
            .collect();
        // A typestate builder is named by rule after its model (`<Model>Builder`).
        let builder_of_model = |name: &str| {
            name.strip_suffix(crate::codegen::builders::BUILDER_SUFFIX)
                .is_some_and(|model| models.models.contains_key(model))
        };
        for (name, definition) in &self.types {
            let model = models.models.get(name);
            if model.is_none()
                && !designed.contains(name)
                && !builder_of_model(name)
                && name != crate::normalise::responses::API_ERROR
            {
                derived.push(format!("type {name}"));
            }
            let TypeDef::Enum(variants) = definition else {
                continue;
            };
            for variant in variants {
                let catch_all = variant.rust_name == crate::design::models::CATCH_ALL
                    && variant.payload.is_some();
                if catch_all {
                    continue;
                }
                let wire = variant
                    .wire
                    .clone()
                    .unwrap_or_else(|| variant.rust_name.clone());
                let reviewed = model
                    .and_then(|model| model.variants.get(&wire))
                    .is_some_and(|named| *named == variant.rust_name);
                let faithful = wire.starts_with(|c: char| c.is_ascii_alphabetic())
                    && wire.to_upper_camel_case() == variant.rust_name;
                if !reviewed && !faithful {
                    derived.push(format!("variant {name}::{} = {wire:?}", variant.rust_name));
                }
            }
        }
        derived
    }

    /// The operations as a Markdown table for the README: resource, method (with its
    /// arguments), route and key scope, one row per method (aliases included).
    pub fn operations_table(&self) -> String {
        let mut out = String::from("| resource | method | route | key |\n|---|---|---|---|\n");
        for operation in self.operations.values() {
            for call in std::iter::once(&operation.call).chain(&operation.also) {
                // `client.a().b().method(x)` → resource `a.b`, method `method(x)`.
                let path = call.trim_start_matches("client.");
                let (resources, method) = match path.rfind(").") {
                    Some(at) => (&path[..at + 1], &path[at + 2..]),
                    None => ("", path),
                };
                let resource = resources.replace("()", "");
                let _ = writeln!(
                    out,
                    "| `{resource}` | `{method}` | `{} {}` | {} |",
                    operation.http_method, operation.path, operation.scope
                );
            }
        }
        out
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "security ({})", self.security.schemes.len())?;
        for (name, scheme) in &self.security.schemes {
            writeln!(f, "  {name}: {scheme}")?;
        }
        writeln!(
            f,
            "  every operation without its own: {}",
            if self.security.default.is_empty() {
                "none".to_owned()
            } else {
                self.security.default.join(" or ")
            }
        )?;
        writeln!(f)?;
        writeln!(f, "operations ({})", self.operations.len())?;
        for operation in self.operations.values() {
            writeln!(f)?;
            write!(f, "{}", operation)?;
        }
        writeln!(f)?;
        writeln!(f, "types ({})", self.types.len())?;
        for (name, def) in &self.types {
            writeln!(f)?;
            write!(f, "{}", TypeLine(name, def))?;
        }
        Ok(())
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  {} {}", self.name, self.http_method, self.path)?;
        match &self.upstream_id {
            Some(upstream) => writeln!(f, "  (upstream id: {upstream})")?,
            None => writeln!(f)?,
        }
        match &self.hand_written {
            Some(file) => writeln!(f, "  call    hand-written: {file}")?,
            None => writeln!(f, "  call    {}", self.call)?,
        }
        for also in &self.also {
            writeln!(f, "  also    {also}")?;
        }
        writeln!(f, "  key     {}", self.scope)?;
        writeln!(
            f,
            "  builder {}",
            heck::ToPascalCase::to_pascal_case(self.method_name.as_str())
        )?;
        if let Some(auth) = &self.auth {
            writeln!(f, "  auth    {auth}")?;
        }
        for parameter in &self.parameters {
            writeln!(f, "  {}", parameter)?;
        }
        if let Some(body) = &self.body {
            writeln!(
                f,
                "  body    {} ({}, {})",
                body.rust_type,
                body.media_type,
                optionality(body.required)
            )?;
        }
        let (statuses, ty) = &self.success;
        let statuses = if statuses.is_empty() {
            "2xx".to_owned()
        } else {
            statuses.join(", ")
        };
        writeln!(f, "  success {statuses} -> {ty}")?;
        if !self.errors.is_empty() {
            writeln!(f, "  errors  {} -> ApiError", self.errors.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let setter = if self.rust_name == self.name {
            String::new()
        } else {
            format!(" .{}()", self.rust_name)
        };
        write!(
            f,
            "{:<7} {}{}: {} ({})",
            self.location,
            self.name,
            setter,
            self.rust_type,
            optionality(self.required)
        )
    }
}

/// A type as the surface prints it: `struct Name` then a line per field, or `enum Name` then
/// a line per variant.
pub(crate) fn type_text(name: &str, def: &TypeDef) -> String {
    TypeLine(name, def).to_string()
}

struct TypeLine<'a>(&'a str, &'a TypeDef);

impl fmt::Display for TypeLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TypeLine(name, def) = self;
        match def {
            TypeDef::Struct(fields) => {
                writeln!(f, "struct {name}")?;
                for field in fields {
                    writeln!(f, "  {}", field_line(field))?;
                }
            }
            TypeDef::Enum(variants) => {
                writeln!(f, "enum {name}")?;
                for variant in variants {
                    let mut line = variant.rust_name.clone();
                    if let Some(payload) = &variant.payload {
                        let _ = write!(line, "({payload})");
                    }
                    if let Some(wire) = &variant.wire {
                        let _ = write!(line, " = {wire:?}");
                    }
                    writeln!(f, "  {line}")?;
                    for member in &variant.members {
                        writeln!(f, "    {member}")?;
                    }
                }
            }
            TypeDef::Newtype(inner) => writeln!(f, "newtype {name}({inner})")?,
            TypeDef::Alias(target) => writeln!(f, "type {name} = {target}")?,
        }
        Ok(())
    }
}

/// `"required"` or `"optional"`, as the surface and its diffs print a parameter or body.
pub(crate) fn optionality(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// `wireName -> rust_name: Type`, or `name: Type` when the two names agree.
pub fn field_line(field: &Field) -> String {
    if field.name == field.rust_name {
        format!("{}: {}", field.name, field.rust_type)
    } else {
        format!("{} -> {}: {}", field.name, field.rust_name, field.rust_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_types_as_readers_write_them() {
        let ty: Type = syn::parse_quote!(
            ::std::option::Option<::std::collections::BTreeMap<::std::string::String, super::Foo>>
        );
        assert_eq!(render(&ty), "Option<BTreeMap<String, Foo>>");
        let ty: Type = syn::parse_quote!(types::builder::PostXBody);
        assert_eq!(render(&ty), "builder::PostXBody");
    }
}
