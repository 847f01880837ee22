//! Rustdoc for what typify leaves undocumented: every public type has at least a sentence.
//!
//! - `types::builder::X` (the member-by-member builder of `types::X`), and `X::builder()`;
//! - every flattened `extra` member (the members this version does not know).
//!
//! The types themselves carry the descriptions of the spec and of `design/models.yaml`.

use syn::{Fields, ImplItem, Item};

fn doc(text: &str) -> syn::Attribute {
    let text = format!(" {text}");
    syn::parse_quote!(#[doc = #text])
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

/// Adds the missing docs.
pub fn apply(file: &mut syn::File) {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return;
    };
    for item in types.iter_mut() {
        match item {
            Item::Struct(item) => document_extra(&mut item.fields),
            Item::Impl(block) if block.trait_.is_none() => {
                let Some(name) = type_name(&block.self_ty) else {
                    continue;
                };
                for impl_item in &mut block.items {
                    if let ImplItem::Fn(function) = impl_item
                        && function.sig.ident == "builder"
                        && !has_doc(&function.attrs)
                    {
                        function.attrs.insert(
                            0,
                            doc(&format!(
                                "Starts a [`builder::{name}`](builder::{name}): the members one \
                                 by one, checked when it becomes a `{name}` (`try_into`)."
                            )),
                        );
                    }
                }
            }
            Item::Mod(module) if module.ident == "builder" => {
                let Some((_, items)) = &mut module.content else {
                    continue;
                };
                for item in items.iter_mut() {
                    if let Item::Struct(item) = item
                        && !has_doc(&item.attrs)
                    {
                        let name = item.ident.to_string();
                        item.attrs.insert(
                            0,
                            doc(&format!(
                                "Builds a [`{name}`](super::{name}) member by member (what \
                                 `body_map` hands you); converting it checks that every required \
                                 member was set."
                            )),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn document_extra(fields: &mut Fields) {
    let Fields::Named(fields) = fields else {
        return;
    };
    for field in fields.named.iter_mut() {
        if field.ident.as_ref().is_some_and(|ident| ident == "extra") && !has_doc(&field.attrs) {
            field.attrs.insert(
                0,
                doc(
                    "Members this version does not model, kept as the API sent them (and sent \
                     back unchanged): a member upstream adds is never lost.",
                ),
            );
        }
    }
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
