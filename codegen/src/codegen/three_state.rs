//! Members whose absence, `null` and value mean three different things on the wire
//! (`PATCH /v1/numbers/{id}`: "send null to reset" a setting) become
//! `crate::Nullable<T>` instead of `Option<T>`.
//!
//! The design step marks them (`x-pilot-three-state`, see `design::models`); typify gives
//! them `Option<T>` with `skip_serializing_if = "Option::is_none"`, which cannot send
//! `null`. Each marked member must be found in its struct, or generation fails naming it.

use syn::{Fields, Item};

use crate::error::{Result, SpecError};
use crate::syntax::{option_inner, serde_rename};

fn failure(message: String) -> SpecError {
    SpecError::Rewrite {
        rule: "three_state_members",
        message,
    }
}

/// Rewrites the struct `name`'s member `member` (wire name) in `items`; returns the field
/// ident it changed.
fn rewrite_type_field(items: &mut [Item], name: &str, member: &str) -> Result<syn::Ident> {
    let strukt = items
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(item) if item.ident == name => Some(item),
            _ => None,
        })
        .ok_or_else(|| failure(format!("no struct `{name}`")))?;
    let Fields::Named(fields) = &mut strukt.fields else {
        return Err(failure(format!("`{name}` has no named fields")));
    };
    let field = fields
        .named
        .iter_mut()
        .find(|field| {
            serde_rename(&field.attrs).as_deref() == Some(member)
                || field.ident.as_ref().is_some_and(|ident| ident == member)
        })
        .ok_or_else(|| failure(format!("`{name}` has no member `{member}`")))?;
    let inner = option_inner(&field.ty)
        .cloned()
        .ok_or_else(|| failure(format!("`{name}.{member}` is not an Option")))?;
    field.ty = syn::parse_quote!(crate::Nullable<#inner>);
    let rename = serde_rename(&field.attrs);
    field.attrs.retain(|attr| !attr.path().is_ident("serde"));
    let attr: syn::Attribute = match rename {
        Some(rename) => syn::parse_quote!(
            #[serde(rename = #rename, default, skip_serializing_if = "crate::Nullable::is_absent")]
        ),
        None => syn::parse_quote!(
            #[serde(default, skip_serializing_if = "crate::Nullable::is_absent")]
        ),
    };
    field.attrs.push(attr);
    field
        .ident
        .clone()
        .ok_or_else(|| failure(format!("`{name}.{member}` has no name")))
}

/// Optional members that must be serialised even when empty (`variables: {}`): their
/// `skip_serializing_if` goes, `default` stays (decoding still accepts them absent).
pub fn always_sent(file: &mut syn::File, members: &[(String, String)]) -> Result<()> {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return Ok(());
    };
    for (name, member) in members {
        let field = crate::syntax::struct_member_mut(types, name, member)
            .ok_or_else(|| failure(format!("no member `{name}.{member}` to always send")))?;
        let rename = serde_rename(&field.attrs);
        let before = field.attrs.len();
        field.attrs.retain(|attr| !attr.path().is_ident("serde"));
        if field.attrs.len() == before {
            return Err(failure(format!("`{name}.{member}` has no serde attribute")));
        }
        let attr: syn::Attribute = match rename {
            Some(rename) => syn::parse_quote!(#[serde(rename = #rename, default)]),
            None => syn::parse_quote!(#[serde(default)]),
        };
        field.attrs.push(attr);
    }
    Ok(())
}

/// Applies the rewrite to every `(component, member)` of `members`.
pub fn apply(file: &mut syn::File, members: &[(String, String)]) -> Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    let types = crate::syntax::module_items_mut(&mut file.items, "types")
        .ok_or_else(|| failure("the generated code has no `types` module".to_owned()))?;
    for (name, member) in members {
        rewrite_type_field(types, name, member)?;
    }
    Ok(())
}
