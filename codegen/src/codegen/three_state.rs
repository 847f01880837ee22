//! Members whose absence, `null` and value mean three different things on the wire
//! (`PATCH /v1/numbers/{id}`: "send null to reset" a setting) become
//! `crate::Nullable<T>` instead of `Option<T>`, in the type and in its builder.
//!
//! The design step marks them (`x-pilot-three-state`, see `design::models`); typify gives
//! them `Option<T>` with `skip_serializing_if = "Option::is_none"`, which cannot send
//! `null`. Each marked member must be found twice (the struct and its builder), or
//! generation fails naming it.

use syn::visit_mut::VisitMut;
use syn::{Fields, ImplItem, Item};

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

/// `Option<T>` → `crate::Nullable<T>` everywhere inside a builder field type or setter bound.
struct OptionToNullable(usize);

impl VisitMut for OptionToNullable {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let Some(inner) = option_inner(ty).cloned() {
            *ty = syn::parse_quote!(crate::Nullable<#inner>);
            self.0 += 1;
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

fn rewrite_builder_field(items: &mut [Item], name: &str, field: &syn::Ident) -> Result<()> {
    let mut changed = 0;
    for item in items.iter_mut() {
        match item {
            Item::Struct(item) if item.ident == name => {
                if let Fields::Named(fields) = &mut item.fields
                    && let Some(found) = fields
                        .named
                        .iter_mut()
                        .find(|f| f.ident.as_ref() == Some(field))
                {
                    let mut visitor = OptionToNullable(0);
                    visitor.visit_type_mut(&mut found.ty);
                    changed += visitor.0;
                }
            }
            Item::Impl(block)
                if block.trait_.is_none()
                    && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident(name)) =>
            {
                for impl_item in &mut block.items {
                    if let ImplItem::Fn(function) = impl_item
                        && function.sig.ident == *field
                    {
                        let mut visitor = OptionToNullable(0);
                        if let Some(where_clause) = &mut function.sig.generics.where_clause {
                            visitor.visit_where_clause_mut(where_clause);
                        }
                        changed += visitor.0;
                    }
                }
            }
            _ => {}
        }
    }
    if changed != 2 {
        return Err(failure(format!(
            "the builder of `{name}` does not have the field and setter `{field}` of the \
             expected shape (changed {changed} types)"
        )));
    }
    Ok(())
}

/// Optional members that must be serialised even when empty (`variables: {}`): their
/// `skip_serializing_if` goes, `default` stays (decoding still accepts them absent).
pub fn always_sent(file: &mut syn::File, members: &[(String, String)]) -> Result<()> {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return Ok(());
    };
    for (name, member) in members {
        let field = types
            .iter_mut()
            .find_map(|item| match item {
                Item::Struct(item) if item.ident == name.as_str() => match &mut item.fields {
                    Fields::Named(fields) => fields.named.iter_mut().find(|field| {
                        serde_rename(&field.attrs).as_deref() == Some(member.as_str())
                            || field.ident.as_ref().is_some_and(|ident| ident == member)
                    }),
                    _ => None,
                },
                _ => None,
            })
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
    let mut fields = Vec::new();
    for (name, member) in members {
        fields.push((name, rewrite_type_field(types, name, member)?));
    }
    let builder = crate::syntax::module_items_mut(types, "builder")
        .ok_or_else(|| failure("`types` has no `builder` module".to_owned()))?;
    for (name, field) in fields {
        rewrite_builder_field(builder, name, &field)?;
    }
    Ok(())
}

/// typify counts the flattened `extra` map as a required member, so a body built through
/// its builder (`body_map`) fails with "no value supplied for extra" unless the caller sets
/// it. Every builder's `extra` starts empty instead, as the struct's does.
pub fn empty_extra_in_builders(file: &mut syn::File) -> Result<()> {
    struct EmptyExtra(usize);
    impl VisitMut for EmptyExtra {
        fn visit_field_value_mut(&mut self, node: &mut syn::FieldValue) {
            if matches!(&node.member, syn::Member::Named(name) if name == "extra")
                && quote::ToTokens::to_token_stream(&node.expr)
                    .to_string()
                    .starts_with("Err")
            {
                node.expr = syn::parse_quote!(Ok(Default::default()));
                self.0 += 1;
            }
        }
    }
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return Ok(());
    };
    let Some(builder) = types.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => Some(module),
        _ => None,
    }) else {
        return Ok(());
    };
    let with_extra = builder
        .content
        .as_ref()
        .map(|(_, items)| {
            items
                .iter()
                .filter(|item| match item {
                    Item::Struct(item) => match &item.fields {
                        Fields::Named(fields) => fields
                            .named
                            .iter()
                            .any(|f| f.ident.as_ref().is_some_and(|i| i == "extra")),
                        _ => false,
                    },
                    _ => false,
                })
                .count()
        })
        .unwrap_or_default();
    let mut visitor = EmptyExtra(0);
    visitor.visit_item_mod_mut(builder);
    if visitor.0 != with_extra {
        return Err(SpecError::Rewrite {
            rule: "empty_extra_in_builders",
            message: format!(
                "{with_extra} builders have an `extra` member but {} start it as an error",
                visitor.0
            ),
        });
    }
    Ok(())
}
