//! Reviewed variant names: a value of a string model that `design/models.yaml` names
//! (`variants`) gets that name instead of typify's (`7d` is `Last7Days`, not `X7d`), in the
//! enum and in every `Type::Variant` and `Self::Variant` of the generated code.

use syn::visit_mut::{self, VisitMut};
use syn::{Item, LitStr};

use crate::error::{Result, SpecError};

/// Renames the variants `names` lists (`(type, wire value, variant)`) in `mod types`.
///
/// # Errors
/// When a named type is not an enum of `mod types`, or has no variant for the value: the
/// generator's output no longer has the shape the names were reviewed against.
pub fn apply(file: &mut syn::File, names: &[(String, String, String)]) -> Result<()> {
    let failure = |message: String| SpecError::Rewrite {
        rule: "reviewed_variant_names",
        message,
    };
    let mut renames: Vec<(String, String, String)> = Vec::new();
    {
        let types = crate::syntax::module_items_mut(&mut file.items, "types")
            .ok_or_else(|| failure("the generated code has no `mod types`".to_owned()))?;
        for (type_name, value, variant_name) in names {
            let item = types.iter_mut().find_map(|item| match item {
                Item::Enum(item) if item.ident == type_name => Some(item),
                _ => None,
            });
            let Some(item) = item else {
                return Err(failure(format!("`{type_name}` is not an enum of `types`")));
            };
            let variant = item
                .variants
                .iter_mut()
                .find(|variant| wire_value(variant).as_deref() == Some(value.as_str()));
            let Some(variant) = variant else {
                return Err(failure(format!(
                    "`{type_name}` has no variant for `{value}`"
                )));
            };
            let old = variant.ident.to_string();
            if old != *variant_name {
                variant.ident = syn::Ident::new(variant_name, variant.ident.span());
                renames.push((type_name.clone(), old, variant_name.clone()));
            }
        }
    }
    if renames.is_empty() {
        return Ok(());
    }
    let mut renamer = Renamer {
        renames: &renames,
        self_type: None,
    };
    renamer.visit_file_mut(file);
    Ok(())
}

/// The name a value `UNKNOWN` gets when the table names it not: the catch-all of every open
/// enum is `Unknown(String)`, so the value's own variant cannot be `Unknown`.
pub const UNKNOWN_VALUE: &str = "UnknownValue";

/// `(type, wire value, UNKNOWN_VALUE)` for every enum of `mod types` that still has a unit
/// variant named like the catch-all (a value `UNKNOWN` no reviewed name covers).
pub fn free_catch_all(file: &mut syn::File) -> Vec<(String, String, String)> {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return Vec::new();
    };
    let mut renames = Vec::new();
    for item in types.iter() {
        let Item::Enum(item) = item else { continue };
        for variant in &item.variants {
            if variant.ident == crate::design::models::CATCH_ALL
                && let Some(value) = wire_value(variant)
            {
                renames.push((item.ident.to_string(), value, UNKNOWN_VALUE.to_owned()));
            }
        }
    }
    renames
}

/// The wire value of a unit variant: its `#[serde(rename = "..")]`, else its name.
fn wire_value(variant: &syn::Variant) -> Option<String> {
    if !matches!(variant.fields, syn::Fields::Unit) {
        return None;
    }
    for attr in &variant.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<LitStr>()?.value());
            }
            Ok(())
        });
        if renamed.is_some() {
            return renamed;
        }
    }
    Some(variant.ident.to_string())
}

/// Renames `Type::Old` everywhere, and `Self::Old` inside the impls of `Type`.
struct Renamer<'a> {
    renames: &'a [(String, String, String)],
    /// The type of the impl being visited.
    self_type: Option<String>,
}

impl VisitMut for Renamer<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let outer = self.self_type.take();
        self.self_type = crate::syntax::last_ident(&block.self_ty);
        visit_mut::visit_item_impl_mut(self, block);
        self.self_type = outer;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let count = path.segments.len();
        if count >= 2 {
            let owner = path.segments[count - 2].ident.to_string();
            let owner = if owner == "Self" {
                self.self_type.clone().unwrap_or_default()
            } else {
                owner
            };
            let variant = path.segments[count - 1].ident.to_string();
            if let Some((_, _, new)) = self
                .renames
                .iter()
                .find(|(type_name, old, _)| *type_name == owner && *old == variant)
            {
                let last = &mut path.segments[count - 1];
                last.ident = syn::Ident::new(new, last.ident.span());
            }
        }
        visit_mut::visit_path_mut(self, path);
    }
}
