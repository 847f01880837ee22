//! Request bodies with mutually exclusive members (`alternatives` in `design/models.yaml`)
//! become a type that can only hold one alternative of each group.
//!
//! progenitor generates the flat struct upstream documents (every member an `Option`). For a
//! model the design step marked ([`EXTENSION`]), that struct stays as the wire form,
//! renamed `<Name>Wire` and hidden, and `<Name>` becomes:
//!
//! - one enum per group (`SendDestination::{Contact, Group, Newsletter}`): a variant with one
//!   member holds its value, one with several is a struct variant of its members (the
//!   required ones without their `Option`);
//! - the struct itself: one member per group, then every other member as upstream has it;
//! - `From<Name> for NameWire` (what is serialised) and `TryFrom<NameWire> for Name` (what
//!   is deserialised: the CLI's `--body`, a mock), which refuses a body with two
//!   alternatives of a group, or none, naming the members (`crate::OneOfError`).
//!
//! The wire does not change: the same members go out as before, from the same wire struct.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Fields, Item};

use crate::design::models::alternatives::{Alternatives, EXTENSION, Group};
use crate::error::{Result, SpecError};
use crate::syntax::{last_ident, option_inner, serde_rename};

fn failure(message: String) -> SpecError {
    SpecError::Rewrite {
        rule: "alternatives",
        message,
    }
}

/// The models the design step marked, with their alternatives.
pub fn marked(document: &Value) -> Vec<(String, Alternatives)> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let table = schema.get(EXTENSION)?;
            let alternatives = serde_json::from_value(table.clone()).ok()?;
            Some((name.clone(), alternatives))
        })
        .collect()
}

pub use crate::design::models::alternatives::wire_name;

/// One member of the wire struct.
struct WireField {
    wire: String,
    field: syn::Field,
}

impl WireField {
    fn ident(&self) -> Result<&syn::Ident> {
        self.field
            .ident
            .as_ref()
            .ok_or_else(|| failure(format!("member `{}` has no name", self.wire)))
    }

    fn docs(&self) -> Vec<&syn::Attribute> {
        self.field
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("doc"))
            .collect()
    }

    /// Whether a value was given, as the wire struct holds it.
    fn present(&self) -> Result<TokenStream> {
        let ident = self.ident()?;
        Ok(match last_ident(&self.field.ty).as_deref() {
            Some("Option") => quote!(#ident.is_some()),
            Some("Nullable") => quote!(!#ident.is_absent()),
            Some("Vec" | "BTreeMap" | "HashMap" | "Map") => quote!(!#ident.is_empty()),
            _ => quote!(true),
        })
    }

    /// The type an alternative holds it as: without its `Option` where it is required.
    fn variant_type(&self, required: bool) -> syn::Type {
        match option_inner(&self.field.ty) {
            Some(inner) if required => inner.clone(),
            _ => self.field.ty.clone(),
        }
    }

    fn wraps(&self, required: bool) -> bool {
        required && option_inner(&self.field.ty).is_some()
    }
}

/// Rewrites every marked model of `mod types`; returns the names of the designed types
/// (which have no `Default`: a call that takes one starts without a body).
pub fn apply(file: &mut syn::File, models: &[(String, Alternatives)]) -> Result<BTreeSet<String>> {
    let mut designed = BTreeSet::new();
    if models.is_empty() {
        return Ok(designed);
    }
    let types = crate::syntax::module_items_mut(&mut file.items, "types")
        .ok_or_else(|| failure("the generated code has no `types` module".to_owned()))?;
    for (name, alternatives) in models {
        let added = rewrite_model(types, name, alternatives)?;
        types.extend(added);
        designed.insert(name.clone());
    }
    Ok(designed)
}

fn rewrite_model(types: &mut [Item], name: &str, alternatives: &Alternatives) -> Result<Vec<Item>> {
    let strukt = types
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(item) if item.ident == name => Some(item),
            _ => None,
        })
        .ok_or_else(|| failure(format!("no struct `{name}` for its alternatives")))?;
    let Fields::Named(named) = &strukt.fields else {
        return Err(failure(format!("`{name}` has no named members")));
    };
    let fields: Vec<WireField> = named
        .named
        .iter()
        .map(|field| WireField {
            wire: serde_rename(&field.attrs)
                .or_else(|| field.ident.as_ref().map(ToString::to_string))
                .unwrap_or_default(),
            field: field.clone(),
        })
        .collect();
    let model_docs: Vec<syn::Attribute> = strukt
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .cloned()
        .collect();
    // The flat struct stays as the wire form.
    let wire = format_ident!("{}", wire_name(name));
    let wire_doc = format!(
        " The wire form of [`{name}`]: every member flat, as the API documents it. The SDK \
         serialises a `{name}` through it, and reads one back through it (refusing a body \
         with two alternatives of a group, or none)."
    );
    strukt.ident = wire.clone();
    strukt.attrs.retain(|attr| !attr.path().is_ident("doc"));
    strukt
        .attrs
        .insert(0, syn::parse_quote!(#[doc = #wire_doc]));
    strukt.attrs.insert(1, syn::parse_quote!(#[doc(hidden)]));

    let find = |member: &str| -> Result<&WireField> {
        fields
            .iter()
            .find(|field| field.wire == member)
            .ok_or_else(|| failure(format!("`{name}` has no member `{member}`")))
    };
    let grouped: BTreeSet<&str> = alternatives
        .groups
        .iter()
        .flat_map(Group::members)
        .map(String::as_str)
        .collect();
    let model = format_ident!("{name}");
    let mut items: Vec<TokenStream> = Vec::new();
    let mut struct_fields: Vec<TokenStream> = Vec::new();
    let mut to_wire: Vec<TokenStream> = Vec::new();
    let mut from_wire: Vec<TokenStream> = Vec::new();
    let mut group_idents = Vec::new();
    for group in &alternatives.groups {
        let enum_ident = format_ident!("{}", group.type_name);
        let field_ident = format_ident!("{}", group.field);
        let group_field = &group.field;
        let description = format!(" {}", group.description.trim());
        let mut variants = Vec::new();
        let mut to_wire_arms = Vec::new();
        let mut from_wire_arms = Vec::new();
        let mut table_rows = Vec::new();
        let count = group.variants.len();
        for (index, variant) in group.variants.iter().enumerate() {
            let variant_ident = format_ident!("{}", variant.name);
            let variant_name = &variant.name;
            let variant_doc = format!(" {}", variant.description.trim());
            let required = &variant.required;
            let members: Vec<&String> = variant.members().collect();
            table_rows.push(quote!((#variant_name, &[#(#required),*], &[#(#members),*])));
            let mut holds = Vec::new();
            let mut binds = Vec::new();
            let mut sets = Vec::new();
            let mut reads = Vec::new();
            for member in variant.members() {
                let is_required = variant.required.contains(member);
                let field = find(member)?;
                let ident = field.ident()?;
                let ty = field.variant_type(is_required);
                let docs = field.docs();
                holds.push(quote!(#(#docs)* #ident: #ty));
                binds.push(quote!(#ident));
                sets.push(if field.wraps(is_required) {
                    quote!(wire.#ident = ::std::option::Option::Some(#ident);)
                } else {
                    quote!(wire.#ident = #ident;)
                });
                reads.push(if field.wraps(is_required) {
                    quote!(#ident: #ident.ok_or_else(|| crate::OneOfError::missing(#name, #group_field, #member))?)
                } else {
                    quote!(#ident: #ident)
                });
            }
            let single = members.len() == 1;
            if single {
                let field = find(members[0])?;
                let ty = field.variant_type(true);
                let ident = field.ident()?;
                variants.push(quote!(#[doc = #variant_doc] #variant_ident(#ty)));
                to_wire_arms.push(quote!(#enum_ident::#variant_ident(#ident) => { #(#sets)* }));
                let read = if field.wraps(true) {
                    {
                        let member = members[0];
                        quote!(#ident.ok_or_else(|| crate::OneOfError::missing(#name, #group_field, #member))?)
                    }
                } else {
                    quote!(#ident)
                };
                let pattern = if index + 1 == count {
                    quote!(_)
                } else {
                    quote!(#index)
                };
                from_wire_arms.push(quote!(#pattern => #enum_ident::#variant_ident(#read)));
            } else {
                variants.push(quote!(#[doc = #variant_doc] #variant_ident { #(#holds),* }));
                to_wire_arms
                    .push(quote!(#enum_ident::#variant_ident { #(#binds),* } => { #(#sets)* }));
                let pattern = if index + 1 == count {
                    quote!(_)
                } else {
                    quote!(#index)
                };
                from_wire_arms
                    .push(quote!(#pattern => #enum_ident::#variant_ident { #(#reads),* }));
            }
        }
        let group_members = group.members();
        let mut present = Vec::new();
        for member in &group_members {
            let field = find(member)?;
            let check = field.present()?;
            present.push(quote!((#member, #check)));
        }
        items.push(quote! {
            #[doc = #description]
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            pub enum #enum_ident {
                #(#variants),*
            }
        });
        let field_doc = format!(" {}", group.description.trim());
        struct_fields.push(quote!(#[doc = #field_doc] pub #field_ident: #enum_ident));
        to_wire.push(quote! {
            match #field_ident {
                #(#to_wire_arms)*
            }
        });
        from_wire.push(quote! {
            let #field_ident = match crate::one_of::choose(
                #name,
                #group_field,
                &[#(#present),*],
                &[#(#table_rows),*],
            )? {
                #(#from_wire_arms,)*
            };
        });
        group_idents.push(field_ident);
    }
    // The members outside every group, as upstream has them.
    let mut other_idents = Vec::new();
    let mut grouped_idents = Vec::new();
    for field in &fields {
        let ident = field.ident()?;
        if grouped.contains(field.wire.as_str()) {
            grouped_idents.push(ident.clone());
            continue;
        }
        // Its serde attributes stay: they say how the wire form sends it (the rustdoc of
        // request members reads them); serialisation itself goes through the wire form.
        let plain = &field.field;
        struct_fields.push(quote!(#plain));
        other_idents.push(ident.clone());
    }
    let wire_string = wire_name(name);
    items.push(quote! {
        #(#model_docs)*
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[serde(into = #wire_string, try_from = #wire_string)]
        pub struct #model {
            #(#struct_fields),*
        }

        impl ::std::convert::From<#model> for #wire {
            fn from(value: #model) -> Self {
                let #model { #(#group_idents,)* #(#other_idents),* } = value;
                let mut wire = Self {
                    #(#other_idents,)*
                    #(#grouped_idents: ::std::default::Default::default(),)*
                };
                #(#to_wire)*
                wire
            }
        }

        impl ::std::convert::TryFrom<#wire> for #model {
            type Error = crate::OneOfError;
            fn try_from(wire: #wire) -> ::std::result::Result<Self, Self::Error> {
                let #wire { #(#grouped_idents,)* #(#other_idents),* } = wire;
                #(#from_wire)*
                ::std::result::Result::Ok(Self { #(#group_idents,)* #(#other_idents),* })
            }
        }
    });
    // Each token stream above is one item or several; parse them all.
    let mut parsed = Vec::new();
    for tokens in items {
        let file: syn::File = syn::parse2(tokens)
            .map_err(|error| failure(format!("`{name}`'s alternatives do not parse: {error}")))?;
        parsed.extend(file.items);
    }
    Ok(parsed)
}
