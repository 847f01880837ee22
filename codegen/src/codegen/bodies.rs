//! Request bodies as plain values: every type has `Default`, and a call holds its body as
//! the type itself.
//!
//! progenitor's builder interface makes typify write a member-by-member builder for every
//! type (`types::builder::X`, checked when converted): more than half of the generated code,
//! and a second way to build each value. Here it goes. A value is built with a struct
//! literal and `..Default::default()` (every struct and enum of `types` implements
//! `Default`: optional members start absent, required ones empty), or with the constructors
//! and call setters of `super::resources`; a call's `body_map` hands the body itself, by
//! `&mut`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item, Token};

use crate::syntax::last_ident;

/// Applies both rules; returns how many call builders changed, or what it could not find.
pub(super) fn plain_bodies(file: &mut syn::File) -> Result<usize, String> {
    let strict = requests_with_required_members(file);
    let with_default = default_for_every_type(file, &strict);
    no_struct_builders(file, &with_default)
}

/// The names of the derives of an item.
fn derives(attrs: &[syn::Attribute]) -> Vec<syn::Path> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

pub(super) fn derives_default(attrs: &[syn::Attribute]) -> bool {
    derives(attrs)
        .iter()
        .any(|path| path.segments.last().is_some_and(|s| s.ident == "Default"))
}

/// The names of the structs and enums among `items` (a module's local types).
fn local_names(items: &[Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            Item::Enum(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Each call of `mod builder` that has a body → its body type
/// (`body: Result<types::X, String>` → `types::X`).
fn call_bodies(calls: &[Item]) -> BTreeMap<String, syn::Type> {
    calls
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => {
                let body = item
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))?;
                let ty = crate::syntax::first_generic(&body.ty)?;
                Some((item.ident.to_string(), ty.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Whether a member of a generated struct must be given: neither an `Option` nor a
/// `Nullable`, and not filled in by serde when absent (`default`, the flattened `extra`).
fn is_required(field: &syn::Field) -> bool {
    let optional_type = matches!(
        last_ident(&field.ty).as_deref(),
        Some("Option" | "Nullable")
    );
    !optional_type && !super::resources::serde_defaults(&field.attrs)
}

/// The structs of `mod types` a request sends (a call's body, and every local type inside
/// one, at any depth) that have a member the request must give. They get no `Default`: a
/// value is built with its required members (`Type::new(..)`, a struct literal, a
/// resource method's arguments), so a request that lacks one does not compile.
fn requests_with_required_members(file: &syn::File) -> BTreeSet<String> {
    let types = crate::syntax::module_items(&file.items, "types");
    let calls = crate::syntax::module_items(&file.items, "builder");
    let structs: BTreeMap<String, &syn::ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some((item.ident.to_string(), item)),
            _ => None,
        })
        .collect();
    let local = local_names(types);
    let mut stack: Vec<String> = call_bodies(calls).values().filter_map(last_ident).collect();
    let mut sent = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !sent.insert(name.clone()) {
            continue;
        }
        let Some(item) = structs.get(&name) else {
            continue;
        };
        stack.extend(local_types_of(item, &local, false));
    }
    sent.into_iter()
        .filter(|name| {
            structs
                .get(name)
                .is_some_and(|item| item.fields.iter().any(is_required))
        })
        .collect()
}

/// Every type of `mod types` that can have `Default` gets it: a struct whose members all
/// have one (derived) and that no request must fill in (`strict`), an open enum (its
/// catch-all, empty: `Unknown(String::new())`). Returns the names of the types that have
/// `Default` afterwards.
fn default_for_every_type(file: &mut syn::File, strict: &BTreeSet<String>) -> BTreeSet<String> {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return BTreeSet::new();
    };
    let local = local_names(types);
    let implemented: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                }) =>
            {
                last_ident(&block.self_ty)
            }
            _ => None,
        })
        .collect();
    // What each type needs to have `Default`: the local types of its members.
    let mut needs: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    for item in types.iter() {
        match item {
            Item::Struct(item) if strict.contains(&item.ident.to_string()) => {
                needs.insert(item.ident.to_string(), None);
            }
            Item::Struct(item) => {
                let used = local_types_of(item, &local, true);
                needs.insert(item.ident.to_string(), Some(used));
            }
            Item::Enum(item) => {
                let open = catch_all(item).is_some();
                let has =
                    derives_default(&item.attrs) || implemented.contains(&item.ident.to_string());
                needs.insert(item.ident.to_string(), (open || has).then(BTreeSet::new));
            }
            _ => {}
        }
    }
    // A fixpoint: a struct has `Default` when every local type it uses has.
    let mut with_default: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = with_default.len();
        for (name, used) in &needs {
            if let Some(used) = used
                && used.iter().all(|u| with_default.contains(u) || u == name)
            {
                with_default.insert(name.clone());
            }
        }
        if with_default.len() == before {
            break;
        }
    }
    let mut impls: Vec<Item> = Vec::new();
    for item in types.iter_mut() {
        match item {
            Item::Struct(item) if with_default.contains(&item.ident.to_string()) => {
                let name = item.ident.to_string();
                if !derives_default(&item.attrs) && !implemented.contains(&name) {
                    add_derive(&mut item.attrs, "Default");
                }
            }
            Item::Enum(item) if with_default.contains(&item.ident.to_string()) => {
                let name = item.ident.to_string();
                if derives_default(&item.attrs) || implemented.contains(&name) {
                    continue;
                }
                if let Some(catch_all) = catch_all(item) {
                    let ident = &item.ident;
                    impls.push(syn::parse_quote! {
                        /// An empty value (the catch-all with no text), for a struct literal's
                        /// `..Default::default()`: set the member you mean.
                        impl ::std::default::Default for #ident {
                            fn default() -> Self {
                                Self::#catch_all(::std::string::String::new())
                            }
                        }
                    });
                }
            }
            _ => {}
        }
    }
    types.extend(impls);
    with_default
}

/// The catch-all variant `open_string_enums` adds: `Unknown(String)`, the one shape.
fn catch_all(item: &syn::ItemEnum) -> Option<syn::Ident> {
    item.variants
        .iter()
        .find(|variant| {
            variant.ident == "Unknown"
                && matches!(&variant.fields, Fields::Unnamed(fields) if fields.unnamed.len() == 1)
        })
        .map(|variant| variant.ident.clone())
}

fn add_derive(attrs: &mut [syn::Attribute], derive: &str) {
    let ident = syn::Ident::new(derive, Span::call_site());
    if let Some(attr) = attrs.iter_mut().find(|attr| attr.path().is_ident("derive")) {
        let mut paths: Punctuated<syn::Path, Token![,]> = attr
            .parse_args_with(Punctuated::parse_terminated)
            .unwrap_or_default();
        paths.push(syn::parse_quote!(#ident));
        *attr = syn::parse_quote!(#[derive(#paths)]);
    }
}

/// The local types (`local`) the members of a struct mention; with `skip_optional`, not
/// those inside an `Option` or a `Nullable`.
fn local_types_of(
    item: &syn::ItemStruct,
    local: &BTreeSet<String>,
    skip_optional: bool,
) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for field in item.fields.iter() {
        let mut visitor = LocalTypes {
            local,
            used: &mut used,
            skip_optional,
        };
        syn::visit::Visit::visit_type(&mut visitor, &field.ty);
    }
    used
}

/// Collects the names of the local types a type mentions; with `skip_optional`, not those
/// inside `Option<T>` or `crate::Nullable<T>` (which default to absent whatever `T` is).
struct LocalTypes<'a> {
    local: &'a BTreeSet<String>,
    used: &'a mut BTreeSet<String>,
    skip_optional: bool,
}

impl<'ast> syn::visit::Visit<'ast> for LocalTypes<'_> {
    fn visit_type_path(&mut self, node: &'ast syn::TypePath) {
        if let Some(last) = node.path.segments.last() {
            let name = last.ident.to_string();
            if self.skip_optional && matches!(name.as_str(), "Option" | "Nullable") {
                return;
            }
            if self.local.contains(&name) {
                self.used.insert(name);
            }
        }
        syn::visit::visit_type_path(self, node);
    }
}

/// typify's builder module and `X::builder()` go; a call's body field holds `types::X`;
/// `body_map` takes `FnOnce(&mut types::X)`. Returns the number of calls with a body.
fn no_struct_builders(
    file: &mut syn::File,
    with_default: &BTreeSet<String>,
) -> Result<usize, String> {
    if let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") {
        types.retain(|item| !matches!(item, Item::Mod(module) if module.ident == "builder"));
        for item in types.iter_mut() {
            if let Item::Impl(block) = item
                && block.trait_.is_none()
            {
                block.items.retain(
                    |item| !matches!(item, ImplItem::Fn(function) if function.sig.ident == "builder"),
                );
            }
        }
        types.retain(|item| !matches!(item, Item::Impl(block) if block.items.is_empty()));
    }
    let Some(calls) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return Ok(0);
    };
    let mut plain = PlainTypes(0);
    for item in calls.iter_mut() {
        plain.visit_item_mut(item);
    }
    let bodies = call_bodies(calls);
    let mut changed = 0;
    for item in calls.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(call) = last_ident(&block.self_ty) else {
            continue;
        };
        let Some(body) = bodies.get(&call) else {
            continue;
        };
        let body_name = last_ident(body).unwrap_or_default();
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident == "body_map" {
                *function = syn::parse_quote! {
                    /// Changes the request body in place: `.body_map(|body| body.footer = Some("…".into()))`.
                    /// Its members are also setters on this call.
                    pub fn body_map<F>(mut self, f: F) -> Self
                    where
                        F: ::std::ops::FnOnce(&mut #body),
                    {
                        if let Ok(body) = &mut self.body {
                            f(body);
                        }
                        self
                    }
                };
                changed += 1;
            }
            if function.sig.ident == "new" && !with_default.contains(&body_name) {
                // A body without `Default` starts unset; the resource method sets it.
                NoDefaultBody.visit_impl_item_fn_mut(function);
            }
        }
    }
    Ok(changed)
}

/// `types::builder::X` → `types::X`.
struct PlainTypes(usize);

impl VisitMut for PlainTypes {
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        let names: Vec<String> = node
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if names.len() == 3 && names[0] == "types" && names[1] == "builder" {
            let name = node.path.segments[2].clone();
            node.path.segments = syn::parse_quote!(types::#name);
            self.0 += 1;
        }
        syn::visit_mut::visit_type_path_mut(self, node);
    }
}

/// `body: Ok(Default::default())` → `body: Err("...")` in a call's `new`.
struct NoDefaultBody;

impl VisitMut for NoDefaultBody {
    fn visit_field_value_mut(&mut self, node: &mut syn::FieldValue) {
        if matches!(&node.member, syn::Member::Named(name) if name == "body") {
            node.expr = syn::parse_quote!(Err("the body was not set".to_string()));
        }
    }
}

/// Calls whose body is one of `names` (types without `Default`) start without a body: their
/// resource method sets it.
pub(super) fn unset_bodies(file: &mut syn::File, names: &BTreeSet<String>) {
    if names.is_empty() {
        return;
    }
    let Some(calls) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return;
    };
    let bodies = call_bodies(calls);
    for item in calls.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(call) = last_ident(&block.self_ty) else {
            continue;
        };
        if !bodies
            .get(&call)
            .and_then(last_ident)
            .is_some_and(|body| names.contains(&body))
        {
            continue;
        }
        for impl_item in &mut block.items {
            if let ImplItem::Fn(function) = impl_item
                && function.sig.ident == "new"
            {
                NoDefaultBody.visit_impl_item_fn_mut(function);
            }
        }
    }
}
