//! Reading the generated code: small `syn` helpers shared by the surface, the codegen
//! steps and the rewrite rules.

use std::collections::BTreeMap;

use syn::{Fields, Item, Type};

/// The items of the inline module `name` among `items` (empty when there is none).
pub(crate) fn module_items<'a>(items: &'a [Item], name: &str) -> &'a [Item] {
    items
        .iter()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .unwrap_or(&[])
}

/// The items of the inline module `name` among `items`, to change them.
pub(crate) fn module_items_mut<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// `#[serde(rename = "...")]` of an item.
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The last segment of a path type (`Option` of `::std::option::Option<T>`).
pub(crate) fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of a path type's last segment (`T` of `Option<T>`).
pub(crate) fn generic_arguments(ty: &Type) -> Vec<&Type> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(last) = path.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return Vec::new();
    };
    arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

/// `T` of `Option<T>` (any path spelling); `None` for any other type.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    if last_ident(ty).as_deref() == Some("Option") {
        first_generic(ty)
    } else {
        None
    }
}

/// The first type argument (`T` of `Result<T, E>`).
pub(crate) fn first_generic(ty: &Type) -> Option<&Type> {
    generic_arguments(ty).into_iter().next()
}

/// The operation builders of progenitor's `mod builder`: builder name → field name → the
/// type inside the field's `Result<_, String>` (`Option<T>` for an optional parameter).
/// Fields that are not such a `Result` (the `client`) are left out.
pub(crate) fn builder_fields(file: &syn::File) -> BTreeMap<String, BTreeMap<String, Type>> {
    let mut builders = BTreeMap::new();
    for item in module_items(&file.items, "builder") {
        let Item::Struct(item) = item else { continue };
        let Fields::Named(fields) = &item.fields else {
            continue;
        };
        let fields = fields
            .named
            .iter()
            .filter_map(|field| {
                let name = field.ident.as_ref()?.to_string();
                Some((name, first_generic(&field.ty)?.clone()))
            })
            .collect();
        builders.insert(item.ident.to_string(), fields);
    }
    builders
}

/// progenitor's name for a parameter's builder method (`sanitize(name, Case::Snake)`).
pub(crate) fn progenitor_snake_case(name: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = heck::ToSnakeCase::to_snake_case(cleaned.as_str());
    if out.is_empty() {
        out = "x".to_owned();
    }
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The member of struct `name` among `items` whose wire name (its `#[serde(rename)]`, else
/// its Rust name) is `member`.
pub(crate) fn struct_member_mut<'a>(
    items: &'a mut [Item],
    name: &str,
    member: &str,
) -> Option<&'a mut syn::Field> {
    items.iter_mut().find_map(|item| match item {
        Item::Struct(item) if item.ident == name => match &mut item.fields {
            syn::Fields::Named(fields) => fields.named.iter_mut().find(|field| {
                serde_rename(&field.attrs).as_deref() == Some(member)
                    || field.ident.as_ref().is_some_and(|ident| ident == member)
            }),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progenitor_parameter_names() {
        for (name, expected) in [
            ("x-whatsapp-number-id", "x_whatsapp_number_id"),
            ("pageSize", "page_size"),
            ("mediaId", "media_id"),
            ("id", "id"),
            ("Idempotency-Key", "idempotency_key"),
        ] {
            assert_eq!(progenitor_snake_case(name), expected);
        }
    }
}
