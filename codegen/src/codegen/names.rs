//! `rust_names`: the Rust name of a parameter or member where `design/operations.yaml`
//! (`rust-names`) gives one, so that one concept has one name whatever the wire spells:
//! the header `x-whatsapp-number-id` and the member `whatsappNumberId` are both
//! `number_id`.
//!
//! Runs on progenitor's output before every other rule, so the rules, the resources, the
//! mocks and the command line all see the designed names. A parameter is renamed in its
//! call's builder (the field, the setter and `send()`'s locals; the wire name is a string
//! literal and stays); a member is renamed as a field of every type in `mod types` that has
//! it, with `#[serde(rename)]` keeping its wire name. Nothing on the wire changes.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use quote::format_ident;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Fields, Item};

use crate::design::ext;
use crate::error::{Result, SpecError};
use crate::preflight::resolve;
use crate::syntax::{last_ident, module_items_mut, progenitor_snake_case, serde_rename};

fn failure(message: String) -> SpecError {
    SpecError::Rewrite {
        rule: "rust_names",
        message,
    }
}

/// Renames one identifier (and the generated messages that quote it) inside an item.
struct Rename<'a> {
    old: &'a str,
    new: &'a str,
}

impl VisitMut for Rename<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == self.old {
            *ident = format_ident!("{}", self.new, span = ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        let value = literal.value();
        let quoted = [
            format!("for {} failed", self.old),
            format!("{} was not initialized", self.old),
        ];
        if quoted.iter().any(|text| value.contains(text.as_str())) {
            let value = value
                .replace(&quoted[0], &format!("for {} failed", self.new))
                .replace(&quoted[1], &format!("{} was not initialized", self.new));
            *literal = syn::LitStr::new(&value, literal.span());
        }
    }
}

/// The designed names of the document, wire → Rust.
fn designed(document: &Value) -> BTreeMap<String, String> {
    document
        .get(ext::RUST_NAMES)
        .and_then(Value::as_object)
        .map(|names| {
            names
                .iter()
                .filter_map(|(wire, name)| Some((wire.clone(), name.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Per builder (`PascalCase` of the operation id), the `(derived, designed)` names of its
/// parameters that the design renames.
fn parameter_renames(
    document: &Value,
    names: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Vec<(String, String)>>> {
    let mut builders: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for crate::walk::OperationAt {
        path,
        item,
        operation,
        ..
    } in crate::walk::operations(document)
    {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        for parameter in crate::walk::declared_parameters(item, operation) {
            let parameter = resolve(document, parameter, path)?;
            let wire = parameter["name"].as_str().unwrap_or_default();
            if let Some(new) = names.get(wire)
                && *new != progenitor_snake_case(wire)
            {
                builders
                    .entry(id.to_pascal_case())
                    .or_default()
                    .push((progenitor_snake_case(wire), new.clone()));
            }
        }
    }
    Ok(builders)
}

/// Renames `old` to `new` in the struct `owner` of `items` and in its impl blocks, unless
/// the struct already has a field or method `new` (another parameter has the name: both keep
/// their derived names, so an upstream addition never breaks the build). False when there
/// is no struct `owner`.
fn rename_in(items: &mut [Item], owner: &str, old: &str, new: &str) -> bool {
    let owned = |item: &Item| match item {
        Item::Struct(item) => item.ident == owner,
        Item::Impl(block) => last_ident(&block.self_ty).as_deref() == Some(owner),
        _ => false,
    };
    let mut exists = false;
    let mut taken = false;
    for item in items.iter().filter(|item| owned(item)) {
        match item {
            Item::Struct(item) => {
                exists = true;
                taken |= item
                    .fields
                    .iter()
                    .any(|field| field.ident.as_ref().is_some_and(|ident| ident == new));
            }
            Item::Impl(block) => {
                taken |= block.items.iter().any(
                    |item| matches!(item, syn::ImplItem::Fn(function) if function.sig.ident == new),
                );
            }
            _ => {}
        }
    }
    if exists && !taken {
        for item in items.iter_mut().filter(|item| owned(item)) {
            Rename { old, new }.visit_item_mut(item);
        }
    }
    exists
}

/// Applies the document's `x-pilot-rust-names` to the generated builders and types.
pub fn apply(document: &Value, file: &mut syn::File) -> Result<()> {
    let names = designed(document);
    if names.is_empty() {
        return Ok(());
    }
    let builders = parameter_renames(document, &names)?;
    if let Some(items) = module_items_mut(&mut file.items, "builder") {
        for (builder, renames) in &builders {
            for (old, new) in renames {
                if !rename_in(items, builder, old, new) {
                    return Err(failure(format!(
                        "no builder `{builder}` to rename `{old}` in"
                    )));
                }
            }
        }
    }
    let Some(items) = module_items_mut(&mut file.items, "types") else {
        return Ok(());
    };
    // type → (old, new) renames of its fields.
    let mut types: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for item in items.iter_mut() {
        let Item::Struct(item) = item else { continue };
        let name = item.ident.to_string();
        let Fields::Named(fields) = &mut item.fields else {
            continue;
        };
        let taken: Vec<String> = fields
            .named
            .iter()
            .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
            .collect();
        for field in fields.named.iter_mut() {
            let Some(ident) = field.ident.clone() else {
                continue;
            };
            let renamed = serde_rename(&field.attrs);
            let wire = renamed.clone().unwrap_or_else(|| ident.to_string());
            let Some(new) = names.get(wire.as_str()) else {
                continue;
            };
            if ident == new.as_str() {
                continue;
            }
            // The type has both spellings as members (`RegeneratedApiKey`: `numberId` and
            // `whatsappNumberId`): the other keeps its derived name.
            if taken.iter().any(|taken| taken == new) {
                continue;
            }
            field.ident = Some(format_ident!("{new}"));
            if renamed.is_none() {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(rename = #wire)]));
            }
            types
                .entry(name.clone())
                .or_default()
                .push((ident.to_string(), new.clone()));
        }
    }
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(owner) = last_ident(&block.self_ty) else {
            continue;
        };
        for (old, new) in types.get(&owner).into_iter().flatten() {
            Rename { old, new }.visit_item_impl_mut(block);
        }
    }
    Ok(())
}

/// Applies the parameter names to progenitor's mocks (`mod operations`): the matchers of
/// `<Builder>When` take the names the client's setters take.
pub fn apply_to_mocks(document: &Value, file: &mut syn::File) -> Result<()> {
    let names = designed(document);
    if names.is_empty() {
        return Ok(());
    }
    let builders = parameter_renames(document, &names)?;
    if let Some(items) = module_items_mut(&mut file.items, "operations") {
        for (builder, renames) in &builders {
            for (old, new) in renames {
                rename_in(items, &format!("{builder}When"), old, new);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document() -> Value {
        json!({
            "paths": {"/v1/hooks": {"get": {
                "operationId": "hooks_list",
                "parameters": [
                    {"name": "x-whatsapp-number-id", "in": "header", "schema": {"type": "string"}},
                    {"name": "numberId", "in": "query", "schema": {"type": "string"}}
                ]
            }}},
            "x-pilot-rust-names": {"x-whatsapp-number-id": "number_id", "whatsappNumberId": "number_id"}
        })
    }

    #[test]
    fn renames_parameters_and_members_and_keeps_the_wire() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct HooksList { x_whatsapp_number_id: Option<String> }
                impl HooksList {
                    pub fn x_whatsapp_number_id(mut self, value: String) -> Self {
                        self.x_whatsapp_number_id = Some(value);
                        let _ = "conversion for x_whatsapp_number_id failed";
                        let _ = "x-whatsapp-number-id";
                        self
                    }
                }
            }
            pub mod types {
                pub struct Hook {
                    #[serde(rename = "whatsappNumberId")]
                    pub whatsapp_number_id: String,
                }
                impl Default for Hook {
                    fn default() -> Self { Self { whatsapp_number_id: String::new() } }
                }
                pub struct Key {
                    #[serde(rename = "numberId")]
                    pub number_id: String,
                    #[serde(rename = "whatsappNumberId")]
                    pub whatsapp_number_id: String,
                }
            }
        };
        apply(&document(), &mut file).unwrap();
        let code = quote::quote!(#file).to_string();
        // The header's setter is renamed; the wire name (a literal) stays.
        assert!(code.contains("pub fn number_id"), "{code}");
        assert!(code.contains("self . number_id = Some"), "{code}");
        assert!(
            code.contains("\"conversion for number_id failed\""),
            "{code}"
        );
        assert!(code.contains("\"x-whatsapp-number-id\""), "{code}");
        assert!(!code.contains("x_whatsapp_number_id"), "{code}");
        // A member is renamed with its wire name kept, in the type's impls too.
        assert!(
            code.contains("# [serde (rename = \"whatsappNumberId\")] pub number_id : String , }"),
            "{code}"
        );
        assert!(
            code.contains("Self { number_id : String :: new () }"),
            "{code}"
        );
        // A type that already has the name keeps the other member's derived name.
        assert!(code.contains("pub whatsapp_number_id : String"), "{code}");
    }
}
