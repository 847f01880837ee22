//! Rustdoc for what typify leaves undocumented: every flattened `extra` member (the members
//! this version does not know).
//!
//! The types themselves carry the descriptions of the spec and of `design/models.yaml`.

use syn::{Fields, Item};

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
        if let Item::Struct(item) = item {
            document_extra(&mut item.fields);
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
