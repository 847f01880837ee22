//! Instants: typify gives every `format: date-time` string chrono's
//! `::chrono::DateTime<::chrono::offset::Utc>`; the SDK's type is `pilot_status::Timestamp`,
//! which writes the text the API writes (`2026-06-21T12:00:00.000Z`: UTC, milliseconds),
//! so the generated code names it instead, everywhere (types, parameters, setters, the
//! messages of failed conversions). No `chrono` path may remain, or generation fails.
//!
//! A required instant of a model the client only reads (marked by the design step,
//! `x-pilot-required-instant`) becomes `Option<Timestamp>`, read through
//! `pilot_status::__required_instant`: there is no empty instant to read where the body
//! has none or an unreadable one, so the member reads `None` and the reader reports it.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use crate::error::{Result, SpecError};
use crate::syntax::serde_rename;

/// The path of the SDK's instant type in generated code (the SDK names itself
/// `pilot_status` with `extern crate self`; the CLI expands its table where that is the SDK).
pub const TIMESTAMP: &str = "::pilot_status::Timestamp";
/// What reads a required instant of a model the client only reads.
pub const REQUIRED_INSTANT_READER: &str = "::pilot_status::__required_instant";

/// What the surface and the sync's reports print after the type of a required instant (an
/// `Option<Timestamp>` that the spec requires), so that it does not read as optional.
pub const REQUIRED_INSTANT_NOTE: &str = " (required; None only when unreadable)";

/// The rustdoc paragraph of a required instant that is an `Option`.
pub const REQUIRED_NOTE: &str = "Always in the body; `None` only when the body has no \
readable instant here, which the response's deviations then name.";

/// chrono's type as typify writes it, in token text.
const CHRONO: &str = ":: chrono :: DateTime < :: chrono :: offset :: Utc >";

fn failure(message: String) -> SpecError {
    SpecError::Rewrite {
        rule: "instants",
        message,
    }
}

/// Replaces typify's instant type with [`TIMESTAMP`] in `file`, then makes each required
/// instant of `required` (`(component, member)`) an `Option` read by
/// [`REQUIRED_INSTANT_READER`].
pub fn apply(file: &mut syn::File, required: &[(String, String)]) -> Result<()> {
    struct Replace {
        timestamp: syn::Type,
        text: String,
    }
    impl VisitMut for Replace {
        fn visit_type_mut(&mut self, ty: &mut syn::Type) {
            if ty.to_token_stream().to_string() == CHRONO {
                *ty = self.timestamp.clone();
                return;
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
        fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
            let value = literal.value();
            if value.contains(CHRONO) {
                *literal = syn::LitStr::new(&value.replace(CHRONO, &self.text), literal.span());
            }
        }
    }
    let timestamp: syn::Type =
        syn::parse_str(TIMESTAMP).map_err(|error| failure(error.to_string()))?;
    let text = timestamp.to_token_stream().to_string();
    Replace { timestamp, text }.visit_file_mut(file);
    if file.to_token_stream().to_string().contains("chrono") {
        return Err(failure(
            "the generated code still names `chrono` after the instants were replaced: the \
             generator's output changed shape"
                .to_owned(),
        ));
    }
    required_instants(file, required)
}

fn required_instants(file: &mut syn::File, members: &[(String, String)]) -> Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    let types = crate::syntax::module_items_mut(&mut file.items, "types")
        .ok_or_else(|| failure("the generated code has no `types` module".to_owned()))?;
    for (name, member) in members {
        let field = crate::syntax::struct_member_mut(types, name, member)
            .ok_or_else(|| failure(format!("no member `{name}.{member}` (a required instant)")))?;
        let ty = field.ty.to_token_stream().to_string();
        let timestamp: syn::Type =
            syn::parse_str(TIMESTAMP).map_err(|error| failure(error.to_string()))?;
        if ty != timestamp.to_token_stream().to_string() {
            return Err(failure(format!(
                "`{name}.{member}` is a required instant but its type is `{ty}`"
            )));
        }
        field.ty = syn::parse_quote!(::std::option::Option<#timestamp>);
        field.attrs.push(syn::parse_quote!(#[doc = ""]));
        field.attrs.push(syn::parse_quote!(#[doc = #REQUIRED_NOTE]));
        let rename = serde_rename(&field.attrs);
        field.attrs.retain(|attr| !attr.path().is_ident("serde"));
        let attr: syn::Attribute = match rename {
            Some(rename) => syn::parse_quote!(
                #[serde(
                    rename = #rename,
                    deserialize_with = "::pilot_status::__required_instant",
                    skip_serializing_if = "::std::option::Option::is_none"
                )]
            ),
            None => syn::parse_quote!(
                #[serde(
                    deserialize_with = "::pilot_status::__required_instant",
                    skip_serializing_if = "::std::option::Option::is_none"
                )]
            ),
        };
        field.attrs.push(attr);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_sdks_type_and_makes_required_instants_options() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Sent {
                    #[serde(rename = "createdAt")]
                    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
                    #[serde(rename = "readAt", default, skip_serializing_if = "Option::is_none")]
                    pub read_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                }
            }
            fn start_date<V: TryInto<::chrono::DateTime<::chrono::offset::Utc>>>(value: V) -> String {
                "conversion to `:: chrono :: DateTime < :: chrono :: offset :: Utc >` failed".to_owned()
            }
        };
        apply(&mut file, &[("Sent".to_owned(), "createdAt".to_owned())]).unwrap();
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("chrono"), "{text}");
        assert!(text.contains(
            "pub created_at : :: std :: option :: Option < :: pilot_status :: Timestamp >"
        ));
        assert!(text.contains("deserialize_with = \"::pilot_status::__required_instant\""));
        assert!(
            text.contains(
                "pub read_at : :: std :: option :: Option < :: pilot_status :: Timestamp >"
            )
        );
        assert!(text.contains("conversion to `:: pilot_status :: Timestamp` failed"));

        // A required instant the generated code does not have fails generation, naming it.
        let error = apply(&mut file, &[("Sent".to_owned(), "sentAt".to_owned())]).unwrap_err();
        assert!(error.to_string().contains("Sent.sentAt"), "{error}");
    }
}
