//! Typestate builders for the request types that cannot have a positional `new`: those with
//! three required members or more, or two of one type (`CreateNumberInput { name, number }`,
//! two strings that would swap silently as arguments), and no `Default` to start from.
//!
//! `CreateNumberInput::builder()` returns a `CreateNumberInputBuilder<Missing, Missing>`, one
//! type parameter per required member (in the struct's order). A required member's setter is
//! there while its parameter is `pilot_status::Missing` and sets it to the member's type; each
//! optional member has a setter in every state; `build()` is there only once every required
//! member is set, so a request without one does not compile:
//!
//! ```text
//! CreateNumberInput::builder().name("Suporte").number("5511999999999").build()
//! CreateNumberInput::builder().name("Suporte").build()
//!     // error: no method named `build` found for struct
//!     //        `CreateNumberInputBuilder<String, Missing>`
//! ```
//!
//! The builder's name is the type's with the suffix `Builder`: a rule over a reviewed name,
//! not a name the generator makes up (see `Surface::derived_names`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The suffix of a builder's name.
pub const BUILDER_SUFFIX: &str = "Builder";

/// What the surface prints after the type of a member a builder requires.
pub const REQUIRED_MEMBER_NOTE: &str = " (required: `build()` once set)";

/// What a required member a builder has not been given yet is (the SDK's `Missing`).
const MISSING: &str = "crate::Missing";

/// A member of the built type as the builder holds it.
struct Member<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
    required: bool,
    /// The flattened map of unknown members: carried over, no setter.
    flattened: bool,
}

/// The builder of `item` (a struct of `mod types`), and `item::builder()`; `optional` says
/// which members may be left out. Each setter's argument and value come from `setter`
/// (`name, type → (declaration, value)`), as the resources' body setters take them.
pub(super) fn builder(
    item: &syn::ItemStruct,
    optional: impl Fn(&syn::Field) -> bool,
    setter: impl Fn(&syn::Ident, &syn::Type) -> (TokenStream, TokenStream),
) -> Option<TokenStream> {
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    let members: Vec<Member> = fields
        .named
        .iter()
        .filter_map(|field| {
            Some(Member {
                ident: field.ident.as_ref()?,
                ty: &field.ty,
                required: !optional(field),
                flattened: super::resources::serde_flags(&field.attrs).flatten,
            })
        })
        .collect();
    let required: Vec<&Member> = members.iter().filter(|m| m.required).collect();
    if required.is_empty() {
        return None;
    }
    let name = &item.ident;
    let builder = format_ident!("{name}{BUILDER_SUFFIX}");
    let missing: syn::Type = syn::parse_str(MISSING).ok()?;
    // One type parameter per required member: `R0`, `R1`, .. in the struct's order.
    let parameters: Vec<syn::Ident> = (0..required.len())
        .map(|index| format_ident!("R{index}"))
        .collect();
    let position = |member: &Member| required.iter().position(|r| r.ident == member.ident);
    let field_declarations = members.iter().map(|member| {
        let ident = member.ident;
        match position(member) {
            Some(index) => {
                let parameter = &parameters[index];
                quote!(#ident: #parameter)
            }
            None => {
                let ty = member.ty;
                quote!(#ident: #ty)
            }
        }
    });
    let start = members.iter().map(|member| {
        let ident = member.ident;
        if member.required {
            quote!(#ident: crate::Missing)
        } else {
            quote!(#ident: ::std::default::Default::default())
        }
    });
    let all_missing = required.iter().map(|_| &missing);
    // A required member's setter: there while its parameter is `Missing`.
    let required_setters = required.iter().enumerate().map(|(index, member)| {
        let ident = member.ident;
        let ty = member.ty;
        let (declaration, value) = setter(ident, ty);
        let free: Vec<&syn::Ident> = parameters
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(_, parameter)| parameter)
            .collect();
        let before = parameters.iter().enumerate().map(|(other, parameter)| {
            if other == index {
                quote!(#missing)
            } else {
                quote!(#parameter)
            }
        });
        let after = parameters.iter().enumerate().map(|(other, parameter)| {
            if other == index {
                quote!(#ty)
            } else {
                quote!(#parameter)
            }
        });
        let moved = members.iter().map(|other| {
            let other = other.ident;
            if other == ident {
                quote!(#other: #value)
            } else {
                quote!(#other: self.#other)
            }
        });
        let doc = format!(" Sets `{ident}`, which a `{name}` requires.");
        quote! {
            impl<#(#free),*> #builder<#(#before),*> {
                #[doc = #doc]
                pub fn #ident(self, #declaration) -> #builder<#(#after),*> {
                    #builder { #(#moved),* }
                }
            }
        }
    });
    let optional_setters = members
        .iter()
        .filter(|member| !member.required && !member.flattened)
        .map(|member| {
            let ident = member.ident;
            let (declaration, value) = setter(ident, member.ty);
            let doc = format!(" Sets `{ident}`, which a `{name}` may leave out.");
            quote! {
                #[doc = #doc]
                pub fn #ident(mut self, #declaration) -> Self {
                    self.#ident = #value;
                    self
                }
            }
        });
    let required_types = required.iter().map(|member| member.ty);
    let built = members.iter().map(|member| {
        let ident = member.ident;
        quote!(#ident: self.#ident)
    });
    let required_names = required
        .iter()
        .map(|member| format!("`{}`", member.ident))
        .collect::<Vec<_>>()
        .join(", ");
    let type_doc = format!(
        " Builds a [`{name}`]: set each required member ({required_names}) in any order, and \
         optional ones if you like, then `build()`. `build()` is there only once every required \
         member is set; the type parameters say which are (`Missing` for one not set yet)."
    );
    let builder_doc =
        format!(" A builder of a `{name}` with nothing set; `build()` once {required_names} are.");
    Some(quote! {
        #[doc = #type_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a builder makes nothing until `build()`"]
        pub struct #builder<#(#parameters),*> {
            #(#field_declarations,)*
        }
        impl #name {
            #[doc = #builder_doc]
            pub fn builder() -> #builder<#(#all_missing),*> {
                #builder { #(#start,)* }
            }
        }
        #(#required_setters)*
        impl<#(#parameters),*> #builder<#(#parameters),*> {
            #(#optional_setters)*
        }
        impl #builder<#(#required_types),*> {
            /// The request, with every required member set.
            pub fn build(self) -> #name {
                #name { #(#built,)* }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setter(name: &syn::Ident, ty: &syn::Type) -> (TokenStream, TokenStream) {
        if let Some(inner) = crate::syntax::option_inner(ty) {
            return (
                quote!(#name: impl ::std::convert::Into<#inner>),
                quote!(::std::option::Option::Some(::std::convert::Into::into(#name))),
            );
        }
        (
            quote!(#name: impl ::std::convert::Into<#ty>),
            quote!(::std::convert::Into::into(#name)),
        )
    }

    #[test]
    fn a_builder_has_build_only_once_every_required_member_is_set() {
        let item: syn::ItemStruct = syn::parse_quote! {
            pub struct CreateNumberInput {
                pub name: String,
                pub number: String,
                pub settings: Option<Settings>,
                #[serde(flatten)]
                pub extra: Map<String, Value>,
            }
        };
        let tokens = builder(
            &item,
            |field| {
                crate::syntax::option_inner(&field.ty).is_some()
                    || super::super::resources::serde_flags(&field.attrs).flatten
            },
            setter,
        )
        .expect("a builder");
        let file: syn::File = syn::parse2(tokens).expect("the builder parses");
        let text: String = quote!(#file).to_string().split_whitespace().collect();
        for expected in [
            "pubstructCreateNumberInputBuilder<R0,R1>{name:R0,number:R1,settings:Option<Settings>,extra:Map<String,Value>,}",
            "pubfnbuilder()->CreateNumberInputBuilder<crate::Missing,crate::Missing>",
            "impl<R1>CreateNumberInputBuilder<crate::Missing,R1>{",
            "pubfnname(self,name:impl::std::convert::Into<String>)->CreateNumberInputBuilder<String,R1>",
            "impl<R0>CreateNumberInputBuilder<R0,crate::Missing>{",
            "impl<R0,R1>CreateNumberInputBuilder<R0,R1>{",
            "pubfnsettings(mutself,settings:impl::std::convert::Into<Settings>)->Self",
            "implCreateNumberInputBuilder<String,String>{",
            "pubfnbuild(self)->CreateNumberInput{CreateNumberInput{name:self.name,number:self.number,settings:self.settings,extra:self.extra,}}",
        ] {
            assert!(text.contains(expected), "{expected}\nin\n{text}");
        }
        // No setter for the map of unknown members; it is carried over.
        assert!(!text.contains("pubfnextra"), "{text}");
    }

    #[test]
    fn a_type_without_required_members_has_no_builder() {
        let item: syn::ItemStruct = syn::parse_quote! {
            pub struct Patch { pub name: Option<String> }
        };
        assert!(builder(&item, |_| true, setter).is_none());
    }
}
