//! The designed surface in Rust: one struct per resource (`client.numbers()`), one method
//! per operation (`.get(id)`), required parameters and bodies as arguments.
//!
//! Reads what the design step wrote on the document (`x-pilot-*`, see
//! [`crate::design`]) and the code progenitor generated (builder fields and body types),
//! and adds to the file:
//!
//! - `pub mod resources`: a struct per resource holding a clone of the client, with a
//!   method per operation that returns the operation's builder with every required
//!   parameter (and a required body, or the body members named as arguments) already set;
//!   its rustdoc has the summary, the description, the route, the key scope and the
//!   arguments;
//! - `impl Client { pub fn <resource>(&self) -> resources::<Resource>Resource }` accessors;
//! - rustdoc on each builder (which call it is) and on each parameter setter.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item};

use crate::design::Scope;
use crate::design::operations::Designed;
use crate::error::{Result, SpecError};
use crate::preflight::resolve;
use crate::syntax::{first_generic, last_ident, module_items, option_inner, serde_rename};
use crate::walk::OperationAt;

/// One operation as this module needs it.
struct Operation {
    id: String,
    upstream_id: String,
    http_method: String,
    path: String,
    summary: String,
    description: String,
    designed: Designed,
    /// Required path, query and header parameters: (wire name, rust name, description).
    required: Vec<(String, String, String)>,
    /// Every parameter: rust name → (location, wire name, description).
    parameters: BTreeMap<String, (String, String, String)>,
    body_required: bool,
    /// The members the body requires: an update whose body requires some takes the body as
    /// its argument (it has no `Default` to start from).
    body_requires: std::collections::BTreeSet<String>,
    /// Request-body member → its description.
    body_members: BTreeMap<String, String>,
}

fn failure(message: String) -> SpecError {
    SpecError::Rewrite {
        rule: "resources",
        message,
    }
}

fn operations(document: &Value) -> Result<Vec<Operation>> {
    let mut out = Vec::new();
    for OperationAt {
        path,
        item,
        method: http_method,
        operation,
    } in crate::walk::operations(document)
    {
        let text = |key: &str| {
            operation
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let id = text("operationId");
        let designed = Designed::of(operation)
            .ok_or_else(|| failure(format!("operation `{id}` was not seen by the design step")))?;
        let mut required = Vec::new();
        let mut parameters = BTreeMap::new();
        let declared = crate::walk::declared_parameters(item, operation);
        for parameter in declared {
            let parameter = resolve(document, parameter, path)?;
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            let location = parameter["in"].as_str().unwrap_or_default().to_owned();
            let description = parameter
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let rust_name = crate::design::operations::rust_name(document, &name);
            if parameter.get("required") == Some(&Value::Bool(true)) {
                required.retain(|(_, rust, _): &(String, String, String)| *rust != rust_name);
                required.push((name.clone(), rust_name.clone(), description.clone()));
            }
            parameters.insert(rust_name, (location, name, description));
        }
        let request_body = operation
            .get("requestBody")
            .map(|body| resolve(document, body, path).unwrap_or(body));
        let body_required =
            request_body.is_some_and(|body| body.get("required") == Some(&Value::Bool(true)));
        let body_schema = request_body
            .and_then(|body| body.get("content"))
            .and_then(Value::as_object)
            .and_then(|content| content.values().next())
            .and_then(|media| media.get("schema"))
            .map(|schema| crate::design::operations::resolve_schema(document, schema));
        let body_requires = crate::design::models::required_names(
            body_schema.and_then(|schema| schema.get("required")),
        );
        let body_members = body_schema
            .and_then(|schema| schema.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .map(|(name, member)| {
                        let member = crate::design::operations::resolve_schema(document, member);
                        let description = member
                            .get("description")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        (name.clone(), description)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Operation {
            upstream_id: text(crate::normalise::operations::UPSTREAM_OPERATION_ID),
            id,
            http_method: http_method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary: text("summary"),
            description: text("description"),
            designed,
            required,
            parameters,
            body_required,
            body_requires,
            body_members,
        });
    }
    Ok(out)
}

/// The generated items this module (and [`super::mock`]) reads: builder fields and type
/// fields.
pub(super) struct Generated {
    /// builder name → field name → type inside `Result<_, String>`.
    pub(super) builders: BTreeMap<String, BTreeMap<String, syn::Type>>,
    /// type name → (wire name, rust field name, field type).
    pub(super) structs: BTreeMap<String, Vec<(String, syn::Ident, syn::Type)>>,
}

pub(super) fn read_generated(file: &syn::File) -> Generated {
    let builders = crate::syntax::builder_fields(file);
    let names: std::collections::BTreeSet<String> = module_items(&file.items, "types")
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            Item::Enum(item) => Some(item.ident.to_string()),
            Item::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut structs = BTreeMap::new();
    for item in module_items(&file.items, "types") {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &item.fields else {
            continue;
        };
        let fields = fields
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.clone()?;
                let wire = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
                let mut ty = field.ty.clone();
                Qualify(&names).visit_type_mut(&mut ty);
                Some((wire, ident, ty))
            })
            .collect();
        structs.insert(item.ident.to_string(), fields);
    }
    Generated { builders, structs }
}

/// Prefixes `types::` to the bare names of generated types (inside `mod types` they are
/// written unqualified).
struct Qualify<'a>(&'a std::collections::BTreeSet<String>);

impl syn::visit_mut::VisitMut for Qualify<'_> {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, node);
        if node.qself.is_none()
            && node.path.leading_colon.is_none()
            && node.path.segments.len() == 1
            && self.0.contains(&node.path.segments[0].ident.to_string())
        {
            node.path.segments.insert(0, format_ident!("types").into());
        }
    }
}

/// `types::builder::X` → `types::X`; anything else as is.
fn body_type(ty: &syn::Type) -> syn::Type {
    if let syn::Type::Path(path) = ty {
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segments.len() == 3 && segments[0] == "types" && segments[1] == "builder" {
            let name = format_ident!("{}", segments[2]);
            return syn::parse_quote!(types::#name);
        }
    }
    ty.clone()
}

/// How a method argument of type `ty` is declared and turned into what the setter takes.
fn argument(name: &syn::Ident, ty: &syn::Type) -> (TokenStream, TokenStream) {
    let is = |ty: &syn::Type, ident: &str| last_ident(ty).as_deref() == Some(ident);
    let string_map = is(ty, "BTreeMap")
        && matches!(&ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|last| {
            matches!(&last.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.len() == 2
                    && args.args.iter().all(|arg| matches!(arg, syn::GenericArgument::Type(t) if is(t, "String"))))
        }));
    if string_map {
        return (
            quote!(#name: impl ::std::iter::IntoIterator<Item = (impl ::std::convert::Into<::std::string::String>, impl ::std::convert::Into<::std::string::String>)>),
            quote!(#name.into_iter().map(|(key, value)| (::std::convert::Into::into(key), ::std::convert::Into::into(value))).collect::<::std::collections::BTreeMap<::std::string::String, ::std::string::String>>()),
        );
    }
    if is(ty, "Vec") && first_generic(ty).is_some_and(|inner| is(inner, "String")) {
        (
            quote!(#name: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>),
            quote!(#name.into_iter().map(::std::convert::Into::into).collect::<::std::vec::Vec<::std::string::String>>()),
        )
    } else {
        (
            quote!(#name: impl ::std::convert::Into<#ty>),
            quote!(::std::convert::Into::<#ty>::into(#name)),
        )
    }
}

/// A body member as a method argument or call setter: declared as what its value is made
/// from, assigned as the member's type (`Some(..)` for an optional member,
/// `Nullable::Value(..)` for a three-state one; a `Nullable` setter takes any
/// `Into<Nullable<T>>`, so `Nullable::Null` too).
fn member_argument(name: &syn::Ident, ty: &syn::Type) -> (TokenStream, TokenStream) {
    if let Some(inner) = option_inner(ty) {
        let (declaration, value) = argument(name, inner);
        return (declaration, quote!(::std::option::Option::Some(#value)));
    }
    if last_ident(ty).as_deref() == Some("Nullable") {
        return (
            quote!(#name: impl ::std::convert::Into<#ty>),
            quote!(::std::convert::Into::<#ty>::into(#name)),
        );
    }
    argument(name, ty)
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Tenant => {
            "an account-wide (tenant-scoped) key; a number-scoped key gets 403 \
             `NUMBER_SCOPE_NOT_ALLOWED`"
        }
        Scope::Number => {
            "a number-scoped key, or an account-wide key with the number selected by \
             [`Client::with_number`](crate::Client::with_number) (without it: 403 \
             `TENANT_SCOPE_NOT_ALLOWED`)"
        }
        Scope::Any => "any API key",
        Scope::None => "none: the token in the path authorises the call, and no key is sent",
        Scope::Unreviewed => {
            "not reviewed yet: the operation is new upstream and has no entry in \
             `design/operations.yaml`"
        }
    }
}

/// The type of a resource's handle (what `client.numbers()` returns): the resource's name with
/// the suffix the official SDK gives its resource classes (`NumbersResource`), so that no
/// handle shares its name with a model or the webhook receiver (`Branding`, `Webhooks`).
pub(super) fn type_name(resource: &str) -> syn::Ident {
    format_ident!("{}Resource", resource.replace('.', "_").to_pascal_case())
}

fn doc_lines(text: &str) -> Vec<TokenStream> {
    text.lines()
        .map(|line| {
            let line = format!(" {line}");
            quote!(#[doc = #line])
        })
        .collect()
}

/// A resource method: name, arguments (as declared and as passed), what it sets.
struct Method<'a> {
    operation: &'a Operation,
    name: String,
    body_arguments: Vec<String>,
    alias_of: Option<String>,
}

fn method_tokens(method: &Method<'_>, generated: &Generated) -> Result<TokenStream> {
    let operation = method.operation;
    let builder_name = operation.id.to_pascal_case();
    let builder = format_ident!("{builder_name}");
    let accessor = format_ident!("{}", operation.id);
    let fields = generated.builders.get(&builder_name).ok_or_else(|| {
        failure(format!(
            "no builder `{builder_name}` for operation `{}`",
            operation.id
        ))
    })?;
    let mut declared = Vec::new();
    let mut calls = Vec::new();
    let mut argument_docs = Vec::new();
    for (wire, rust, description) in &operation.required {
        let ty = fields.get(rust).ok_or_else(|| {
            failure(format!(
                "builder `{builder_name}` has no field for the required parameter `{wire}`"
            ))
        })?;
        let ident = format_ident!("{rust}");
        let (declaration, value) = argument(&ident, ty);
        declared.push(declaration);
        calls.push(quote!(.#ident(#value)));
        argument_docs.push(format!("- `{rust}`: {description}"));
    }
    if !method.body_arguments.is_empty() {
        let body = fields
            .get("body")
            .map(body_type)
            .and_then(|ty| last_ident(&ty))
            .ok_or_else(|| {
                failure(format!(
                    "operation `{}` names body arguments but has no body",
                    operation.id
                ))
            })?;
        let members = generated.structs.get(&body).ok_or_else(|| {
            failure(format!(
                "the body `{body}` of `{}` is not a struct with members",
                operation.id
            ))
        })?;
        let mut sets = Vec::new();
        for wire in &method.body_arguments {
            let (_, ident, ty) = members
                .iter()
                .find(|(name, _, _)| name == wire)
                .ok_or_else(|| failure(format!("the body `{body}` has no member `{wire}`")))?;
            let (declaration, value) = member_argument(ident, ty);
            declared.push(declaration);
            sets.push(quote!(#ident: #value));
            let description = operation
                .body_members
                .get(wire)
                .map(|text| text.trim())
                .filter(|text| !text.is_empty())
                .unwrap_or("see the request body");
            argument_docs.push(format!("- `{ident}` (body `{wire}`): {description}"));
        }
        // The whole body, built here: the arguments are every member it requires (the
        // design's rule), the other members start absent. A type whose required members
        // have no `Default` is built whole, never from an empty value.
        let rest = members
            .iter()
            .filter(|(wire, _, _)| !method.body_arguments.contains(wire))
            .map(|(_, ident, _)| quote!(#ident: ::std::default::Default::default()));
        let body_ident = format_ident!("{body}");
        calls.push(quote!(.body(types::#body_ident { #(#sets,)* #(#rest),* })));
    } else if operation.body_required
        && !(operation.designed.update && operation.body_requires.is_empty())
    {
        let ty = fields.get("body").map(body_type).ok_or_else(|| {
            failure(format!(
                "operation `{}` requires a body its builder does not have",
                operation.id
            ))
        })?;
        declared.push(quote!(body: #ty));
        calls.push(quote!(.body(body)));
        argument_docs.push("- `body`: the request body".to_owned());
    }
    let mut doc = String::new();
    let summary = operation.summary.trim();
    if !summary.is_empty() {
        doc.push_str(summary.trim_end_matches('.'));
        doc.push_str(".\n\n");
    }
    if let Some(of) = &method.alias_of {
        doc.push_str(&format!(
            "The same call as [`{of}`](Self::{of}), with the arguments below as the whole \
             body.\n\n"
        ));
    }
    let description = operation.description.trim();
    if !description.is_empty() {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "- Route: `{} {}` (upstream operation `{}`)\n- Key: {}\n",
        operation.http_method,
        operation.path,
        operation.upstream_id,
        scope_text(operation.designed.scope)
    ));
    if let Some(permission) = &operation.designed.permission {
        doc.push_str(&format!("- Permission: `{permission}`\n"));
    }
    if !argument_docs.is_empty() {
        doc.push_str("\n# Arguments\n\n");
        for line in &argument_docs {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    if operation.designed.update && method.alias_of.is_none() && operation.body_requires.is_empty()
    {
        doc.push_str(
            "\nAn update: set the members to change with the call's setters, or a whole body \
             with `.body(..)`.\n",
        );
    }
    doc.push_str(&format!(
        "\nSet optional parameters on the returned [`{builder_name}`](crate::builder::{builder_name}), \
         then `.send().await`."
    ));
    let docs = doc_lines(&doc);
    let name = format_ident!("{}", method.name);
    Ok(quote! {
        #(#docs)*
        pub fn #name(&self, #(#declared),*) -> builder::#builder {
            self.client.#accessor() #(#calls)*
        }
    })
}

/// Adds `mod resources`, the `Client` accessors and the builder docs to `file`.
pub fn generate(document: &Value, file: &mut syn::File) -> Result<()> {
    let operations = operations(document)?;
    let generated = read_generated(file);
    let resources = Designed::resources(document);
    let mut methods: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for operation in &operations {
        let designed = &operation.designed;
        let entry = methods.entry(designed.resource.clone()).or_default();
        if designed.hand_written.is_some() {
            continue;
        }
        entry.push(method_tokens(
            &Method {
                operation,
                name: designed.method.clone(),
                body_arguments: designed.arguments.clone(),
                alias_of: None,
            },
            &generated,
        )?);
        for (alias, arguments) in &designed.also {
            entry.push(method_tokens(
                &Method {
                    operation,
                    name: alias.clone(),
                    body_arguments: arguments.clone(),
                    alias_of: Some(designed.method.clone()),
                },
                &generated,
            )?);
        }
    }
    let mut structs = Vec::new();
    let mut accessors = Vec::new();
    for (resource, doc) in &resources {
        let ty = type_name(resource);
        let doc = doc.as_str().unwrap_or_default();
        let (parent, accessor) = match resource.rsplit_once('.') {
            Some((parent, child)) => (Some(parent), child),
            None => (None, resource.as_str()),
        };
        let accessor = format_ident!("{accessor}");
        let reached = match parent {
            None => format!(" Reached with [`Client::{accessor}`](crate::Client::{accessor})."),
            Some(parent) => format!(
                " Reached with [`{0}::{accessor}`]({0}::{accessor}).",
                type_name(parent)
            ),
        };
        let struct_docs = doc_lines(&format!(
            "{doc}\n\n{reached} It holds a clone of the client (a few reference-counted \
             handles), so it and the calls it makes are `'static` and can be stored or \
             moved into a task."
        ));
        let methods = methods.remove(resource).unwrap_or_default();
        let children: Vec<TokenStream> = resources
            .iter()
            .filter_map(|(child, child_doc)| {
                let (child_parent, name) = child.rsplit_once('.')?;
                (child_parent == resource).then(|| {
                    let child_ty = type_name(child);
                    let name = format_ident!("{name}");
                    let docs = doc_lines(child_doc.as_str().unwrap_or_default());
                    quote! {
                        #(#docs)*
                        pub fn #name(&self) -> #child_ty {
                            #child_ty { client: self.client.clone() }
                        }
                    }
                })
            })
            .collect();
        structs.push(quote! {
            #(#struct_docs)*
            #[derive(Debug, Clone)]
            pub struct #ty {
                pub(crate) client: Client,
            }
            impl #ty {
                #(#children)*
                #(#methods)*
            }
        });
        if parent.is_none() {
            let docs = doc_lines(doc);
            accessors.push(quote! {
                #(#docs)*
                pub fn #accessor(&self) -> resources::#ty {
                    resources::#ty { client: self.clone() }
                }
            });
        }
    }
    let items: syn::File = syn::parse2(quote! {
        /// The API's resources: `client.<resource>().<method>(..)`. Each method returns the
        /// operation's builder with every required argument set; optional parameters are
        /// setters on it; `.send().await` makes the call.
        pub mod resources {
            #[allow(unused_imports)]
            use super::{builder, types, Client};
            #(#structs)*
        }
        impl Client {
            #(#accessors)*
        }
    })
    .map_err(|error| failure(format!("the resources do not parse as Rust: {error}")))?;
    file.items.extend(items.items);
    constructors(file);
    let requests = request_types(document);
    body_setters(file, &operations, &generated, &requests)?;
    document_request_members(file, &requests);
    name_operations(file, &operations)?;
    document_builders(file, &operations)
}

/// `Type::new(required members)` on a struct of `mod types` whose required members read
/// unambiguously as positional arguments: one, or two of different types. The optional ones
/// start absent. A struct with other required members and no `Default` (a request type, or a
/// model a mock answers with) gets a typestate builder ([`super::builders`]), which names
/// each member and has `build()` only once all are set; one with a `Default` is built with a
/// struct literal that names its members and ends with `..Default::default()`. So no two
/// arguments of one type can be swapped silently.
fn constructors(file: &mut syn::File) {
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return;
    };
    let mut added = Vec::new();
    for item in items.iter_mut() {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &item.fields else {
            continue;
        };
        // Optional: an `Option`/`Nullable`, or a member serde fills in when absent
        // (`#[serde(default)]`, the flattened `extra`).
        let optional = |field: &syn::Field| {
            matches!(
                last_ident(&field.ty).as_deref(),
                Some("Option" | "Nullable")
            ) || serde_defaults(&field.attrs)
        };
        let required: Vec<&syn::Field> = fields.named.iter().filter(|f| !optional(f)).collect();
        let unambiguous = match required.as_slice() {
            [_] => true,
            [a, b] => {
                let (a, b) = (&a.ty, &b.ty);
                quote!(#a).to_string() != quote!(#b).to_string()
            }
            _ => false,
        };
        if !unambiguous {
            if !super::bodies::derives_default(&item.attrs)
                && let Some(builder) = super::builders::builder(item, optional, member_argument)
            {
                added.push(builder);
            }
            continue;
        }
        let mut declared = Vec::new();
        let mut values = Vec::new();
        for field in &fields.named {
            let Some(ident) = &field.ident else { continue };
            if optional(field) {
                values.push(quote!(#ident: ::std::default::Default::default()));
            } else {
                // Inside `mod types`, type names are written as they are.
                let (declaration, value) = argument(ident, &field.ty);
                declared.push(declaration);
                values.push(quote!(#ident: #value));
            }
        }
        let name = &item.ident;
        let doc = format!(
            " A `{name}` from its required members; the optional ones start absent (empty)."
        );
        added.push(quote! {
            impl #name {
                #[doc = #doc]
                pub fn new(#(#declared),*) -> Self {
                    Self { #(#values),* }
                }
            }
        });
    }
    for tokens in added {
        if let Ok(added) = syn::parse2::<syn::File>(tokens) {
            items.extend(added.items);
        }
    }
}

/// The component schemas a request body holds, at any depth: the types the client sends.
fn request_types(document: &Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack: Vec<&Value> = crate::walk::operations(document)
        .filter_map(|at| at.operation.get("requestBody"))
        .collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    && found.insert(name.to_owned())
                    && let Some(schema) = document
                        .pointer("/components/schemas")
                        .and_then(|schemas| schemas.get(name))
                {
                    stack.push(schema);
                }
                stack.extend(
                    map.iter()
                        .filter(|(key, _)| key.as_str() != "example")
                        .map(|(_, v)| v),
                );
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

/// What a request does with a member of this type when it has no value.
fn absent_text(ty: &syn::Type, attrs: &[syn::Attribute]) -> Option<&'static str> {
    let skips = serde_flags(attrs).skips;
    match last_ident(ty).as_deref() {
        Some("Nullable") => Some(
            "In a request, `Nullable::Absent` leaves it out and `Nullable::Null` sends `null`.",
        ),
        Some("Option") if skips => Some("In a request, `None` leaves it out."),
        Some("Option") => {
            Some("In a request, `None` is sent as `null` (the member is always sent).")
        }
        _ if serde_defaults(attrs) && !skips => Some("Always sent in a request, even when empty."),
        _ => None,
    }
}

/// Every member of a type the client sends says, in its rustdoc, what `None` (or
/// `Nullable::Absent`) does on the wire.
fn document_request_members(file: &mut syn::File, requests: &std::collections::BTreeSet<String>) {
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return;
    };
    for item in items.iter_mut() {
        let Item::Struct(item) = item else { continue };
        if !requests.contains(&item.ident.to_string()) {
            continue;
        }
        let Fields::Named(fields) = &mut item.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            if field.ident.as_ref().is_some_and(|i| i == "extra") {
                continue;
            }
            let Some(text) = absent_text(&field.ty, &field.attrs) else {
                continue;
            };
            let has_doc = field.attrs.iter().any(|attr| attr.path().is_ident("doc"));
            if has_doc {
                field.attrs.push(syn::parse_quote!(#[doc = ""]));
            }
            let line = format!(" {text}");
            field.attrs.push(syn::parse_quote!(#[doc = #line]));
        }
    }
}

/// Names a call's body setter may not take: the call's own methods and [`CallOptions`]'s
/// (a setter of that name would shadow the trait's method).
const CALL_METHODS: [&str; 6] = [
    "timeout",
    "retry_policy",
    "header",
    "client_mut",
    "send",
    "new",
];

/// Every member of a call's JSON body that its resource method does not take as an argument
/// is a setter on the call: `calls().accept(id).sdp(sdp)`,
/// `projects().create(name).description("..")`. A member whose name a method of the call
/// already has stays reachable through `body_map`.
fn body_setters(
    file: &mut syn::File,
    operations: &[Operation],
    generated: &Generated,
    requests: &std::collections::BTreeSet<String>,
) -> Result<()> {
    let _ = requests;
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return Err(failure(
            "the generated code has no `builder` module".to_owned(),
        ));
    };
    for operation in operations {
        if operation.designed.hand_written.is_some() {
            continue;
        }
        let builder_name = operation.id.to_pascal_case();
        let Some(body) = generated
            .builders
            .get(&builder_name)
            .and_then(|fields| fields.get("body"))
            .map(body_type)
            .and_then(|ty| last_ident(&ty))
        else {
            continue;
        };
        let Some(members) = generated.structs.get(&body) else {
            continue;
        };
        let Some(block) = items.iter_mut().find_map(|item| match item {
            Item::Impl(block)
                if block.trait_.is_none()
                    && last_ident(&block.self_ty).as_deref() == Some(builder_name.as_str()) =>
            {
                Some(block)
            }
            _ => None,
        }) else {
            continue;
        };
        let taken: std::collections::BTreeSet<String> = block
            .items
            .iter()
            .filter_map(|item| match item {
                ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
                _ => None,
            })
            .chain(CALL_METHODS.iter().map(|name| (*name).to_owned()))
            .collect();
        let mut setters: Vec<ImplItem> = Vec::new();
        for (wire, ident, ty) in members {
            if ident == "extra"
                || operation.designed.arguments.contains(wire)
                || taken.contains(&ident.to_string())
            {
                continue;
            }
            let (declaration, value) = member_argument(ident, ty);
            let description = operation
                .body_members
                .get(wire)
                .map(|text| text.trim())
                .filter(|text| !text.is_empty())
                .map(|text| format!("{text}\n\n"))
                .unwrap_or_default();
            let docs = doc_lines(&format!(
                "{description}Sets the request body's `{wire}` (also `body_map(|body| ..)`)."
            ));
            setters.push(syn::parse_quote! {
                #(#docs)*
                pub fn #ident(mut self, #declaration) -> Self {
                    if let Ok(body) = &mut self.body {
                        body.#ident = #value;
                    }
                    self
                }
            });
        }
        block.items.extend(setters);
    }
    Ok(())
}

/// Whether `#[serde(..)]` fills the member in when it is absent (`default`, `flatten`).
pub(super) fn serde_defaults(attrs: &[syn::Attribute]) -> bool {
    let flags = serde_flags(attrs);
    flags.default || flags.flatten
}

/// What a member's `#[serde(..)]` attributes say about reading and writing it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct SerdeFlags {
    /// `default`: serde fills it in when absent.
    pub default: bool,
    /// `flatten`: the map of unknown members.
    pub flatten: bool,
    /// `skip_serializing_if`: left out of a request when empty.
    pub skips: bool,
    /// `deserialize_with = ".."`: the function that reads it.
    pub deserialize_with: Option<String>,
}

/// Reads [`SerdeFlags`] from a member's attributes.
pub(crate) fn serde_flags(attrs: &[syn::Attribute]) -> SerdeFlags {
    let mut flags = SerdeFlags::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                flags.default = true;
            } else if meta.path.is_ident("flatten") {
                flags.flatten = true;
            } else if meta.path.is_ident("skip_serializing_if") {
                flags.skips = true;
            }
            if meta.input.peek(syn::Token![=]) {
                let value: syn::Expr = meta.value()?.parse()?;
                if meta.path.is_ident("deserialize_with")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(reader),
                        ..
                    }) = value
                {
                    flags.deserialize_with = Some(reader.value());
                }
            }
            Ok(())
        });
    }
    flags
}

/// The operation name a call reports (errors, tracing): `numbers.get`, not the generated
/// id `numbers_get`. Replaces the id literals of `OperationInfo` and of the error mapping
/// in every builder's `send()`: two per operation.
fn name_operations(file: &mut syn::File, operations: &[Operation]) -> Result<()> {
    struct Names<'a>(&'a BTreeMap<String, String>, usize);
    impl VisitMut for Names<'_> {
        fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
            if let Some(name) = self.0.get(&literal.value()) {
                *literal = syn::LitStr::new(name, literal.span());
                self.1 += 1;
            }
        }
    }
    let names: BTreeMap<String, String> = operations
        .iter()
        .map(|operation| {
            (
                operation.id.clone(),
                format!(
                    "{}.{}",
                    operation.designed.resource, operation.designed.method
                ),
            )
        })
        .collect();
    let mut visitor = Names(&names, 0);
    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "builder"
        {
            visitor.visit_item_mod_mut(module);
        }
    }
    if visitor.1 != 2 * operations.len() {
        return Err(failure(format!(
            "named {} operation literals where {} were expected",
            visitor.1,
            2 * operations.len()
        )));
    }
    Ok(())
}

/// Replaces each builder's doc (progenitor links it to the hidden per-operation method)
/// with which call it is, and documents each parameter setter.
fn document_builders(file: &mut syn::File, operations: &[Operation]) -> Result<()> {
    let by_builder: BTreeMap<String, &Operation> = operations
        .iter()
        .map(|operation| (operation.id.to_pascal_case(), operation))
        .collect();
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return Err(failure(
            "the generated code has no `builder` module".to_owned(),
        ));
    };
    let mut documented = 0;
    for item in items.iter_mut() {
        match item {
            Item::Struct(item) => {
                let Some(operation) = by_builder.get(&item.ident.to_string()) else {
                    continue;
                };
                let designed = &operation.designed;
                let owner = format!(
                    "crate::resources::{}::{}",
                    type_name(&designed.resource),
                    designed.method
                );
                let text = format!(
                    "A `{} {}` call, made by [`{}.{}`]({owner}). Set optional parameters with \
                     its methods, then `.send().await`. It owns a clone of the client, so it \
                     can be stored, cloned and moved into a task.",
                    operation.http_method, operation.path, designed.resource, designed.method,
                );
                item.attrs.retain(|attr| !attr.path().is_ident("doc"));
                let docs = doc_lines(&text);
                item.attrs
                    .splice(0..0, docs.into_iter().map(|doc| syn::parse_quote!(#doc)));
                if designed.hand_written.is_some() {
                    // The hand-written method is the way in; its builder is an internal.
                    item.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                }
                documented += 1;
            }
            Item::Impl(block) if block.trait_.is_none() => {
                let Some(name) = last_ident(&block.self_ty) else {
                    continue;
                };
                let Some(operation) = by_builder.get(&name) else {
                    continue;
                };
                for impl_item in &mut block.items {
                    let ImplItem::Fn(function) = impl_item else {
                        continue;
                    };
                    let fn_name = function.sig.ident.to_string();
                    let text = match fn_name.as_str() {
                        "body" => "Sets the request body.".to_owned(),
                        "body_map" => {
                            "Changes the request body in place (its members are also setters \
                             on this call)."
                                .to_owned()
                        }
                        "new" | "send" => continue,
                        other => match operation.parameters.get(other) {
                            Some((location, wire, description)) => {
                                let description = description.trim();
                                if description.is_empty() {
                                    format!("Sets the {location} parameter `{wire}`.")
                                } else {
                                    format!("{description}\n\nThe {location} parameter `{wire}`.")
                                }
                            }
                            None => continue,
                        },
                    };
                    if function
                        .attrs
                        .iter()
                        .any(|attr| attr.path().is_ident("doc"))
                    {
                        continue;
                    }
                    let docs = doc_lines(&text);
                    function
                        .attrs
                        .splice(0..0, docs.into_iter().map(|doc| syn::parse_quote!(#doc)));
                }
            }
            _ => {}
        }
    }
    if documented != operations.len() {
        return Err(failure(format!(
            "documented {documented} builders for {} operations",
            operations.len()
        )));
    }
    Ok(())
}
