//! Post-processing of progenitor's output: small named rules, each checked against the
//! number of places it must change, so that a generator update that changes the shape of
//! its output fails the build here instead of slipping through.
//!
//! | rule | why |
//! |---|---|
//! | `remove_api_version_header` | progenitor sends `api-version: <info.version>` on every request; the API never asked for it |
//! | `shared_base_url` | the base URL is an `Arc<str>`, so the clone of the client each call owns copies no string |
//! | `private_constructors` | the SDK's `Client::new(api_key)` replaces progenitor's `new(baseurl)` (which also `unwrap`s) |
//! | `checked_path_segments` | path parameters go through `crate::path::encode_path`, which encodes every reserved byte and refuses `.`, `..` and empty segments |
//! | `no_empty_header_maps` | a call without header parameters builds no header map of its own (progenitor's map is empty once `api-version` is gone), so none is allocated and merged per call |
//! | `plain_urls` | a path without parameters is joined to the base URL with `concat`, not `format!` |
//! | `sdk_response_type` | a success is the SDK's own `ResponseValue`, which also says how a body that did not fit its type was read (its deviations) |
//! | `sdk_error_type` | `send()` returns the SDK's one error type, keeping status, headers, raw body and parsed `ApiError` of every failure; the SDK decodes a JSON success itself (so a body that does not match keeps its status and headers), and an operation that takes an `Idempotency-Key` gets one made before the first attempt when the caller set none |
//! | `open_string_enums` | every string enum gets an `Unknown(String)` variant (a value `UNKNOWN` is named in `design/models.yaml`, else `UnknownValue`) that decoding falls back to, so a value the API adds later never fails a call, and is `#[non_exhaustive]`, so the variant a later version adds for it is a minor change |
//! | `owned_builders` | a call owns a clone of the client instead of borrowing it, so a call built from a temporary client compiles and a built call can move into `tokio::spawn`; `new` becomes crate-private (resources are the way in) |
//! | `plain_bodies` | typify's member-by-member builders (`types::builder`, more than half of the code) go: every type implements `Default`, a call holds its body as the type itself, and `body_map` hands it by `&mut` (see `bodies`) |
//! | `call_options` | every call takes per-call options (`CallOptions`: timeout, retry policy, extra headers) on the clone of the client it owns, and is `IntoFuture` (`call.await` is `call.send().await`) |
//! | `absent_as_null` | a member that is required but nullable decodes as `None` when the body leaves it out, the same as `null` (it is still sent, as `null` when `None`) |
//! | `client_docs` | `Client`'s rustdoc is the hand layer's `src/client.md` (construction, configuration, resources), and progenitor's `ClientInfo` impl is hidden: the page shows what a person uses |
//! | `hidden_operation_methods` | progenitor's one-method-per-operation on `Client` stays for the SDK's own use (`#[doc(hidden)]`); people reach operations through resources |

use openapiv3::OpenAPI;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ImplItem, Item, Stmt, Token};

use crate::error::{Result, SpecError};

/// How many places each rule must change, computed from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expectations {
    /// Number of operations.
    pub operations: usize,
    /// Number of path parameters over all operations.
    pub path_parameters: usize,
}

impl Expectations {
    /// Counts operations and path parameters of `spec`.
    pub fn of(spec: &OpenAPI) -> Self {
        let mut expectations = Self {
            operations: 0,
            path_parameters: 0,
        };
        for (path, item) in &spec.paths.paths {
            let Some(item) = item.as_item() else { continue };
            let placeholders = path.matches('{').count();
            for _ in item.iter() {
                expectations.operations += 1;
                expectations.path_parameters += placeholders;
            }
        }
        expectations
    }
}

/// One post-processing rule.
pub struct RewriteRule {
    /// Stable name.
    pub name: &'static str,
    /// Rewrites `file`, returning how many places it changed, or what it could not find.
    pub apply: fn(&mut syn::File) -> std::result::Result<usize, String>,
    /// How many places it must change, when the spec tells (otherwise the rule checks
    /// itself and returns an error).
    pub expected: Option<fn(&Expectations) -> usize>,
}

/// Every rule, in order.
pub const RULES: &[RewriteRule] = &[
    RewriteRule {
        name: "remove_api_version_header",
        apply: |file| Ok(remove_api_version_header(file)),
        expected: Some(|e| e.operations),
    },
    RewriteRule {
        name: "shared_base_url",
        apply: |file| Ok(shared_base_url(file)),
        // The field, its constructor, and `ClientInfo::baseurl`.
        expected: Some(|_| 3),
    },
    RewriteRule {
        name: "private_constructors",
        apply: |file| Ok(private_constructors(file)),
        expected: Some(|_| 2),
    },
    RewriteRule {
        name: "checked_path_segments",
        apply: |file| Ok(checked_path_segments(file)),
        // The import, plus one call per path parameter.
        expected: Some(|e| 1 + e.path_parameters),
    },
    RewriteRule {
        name: "no_empty_header_maps",
        apply: |file| at_least_one("no_empty_header_maps", no_empty_header_maps(file)),
        expected: None,
    },
    RewriteRule {
        name: "plain_urls",
        apply: |file| at_least_one("plain_urls", plain_urls(file)),
        expected: None,
    },
    RewriteRule {
        name: "sdk_response_type",
        apply: |file| Ok(sdk_response_type(file)),
        expected: Some(|_| 1),
    },
    RewriteRule {
        name: "sdk_error_type",
        apply: |file| Ok(sdk_error_type(file)),
        expected: Some(|e| e.operations),
    },
    RewriteRule {
        name: "open_string_enums",
        apply: open_string_enums,
        expected: None,
    },
    RewriteRule {
        name: "plain_bodies",
        apply: super::bodies::plain_bodies,
        expected: None,
    },
    RewriteRule {
        name: "owned_builders",
        apply: owned_builders,
        expected: Some(|e| e.operations),
    },
    RewriteRule {
        name: "call_options",
        apply: |file| Ok(call_options(file)),
        expected: Some(|e| e.operations),
    },
    RewriteRule {
        name: "absent_as_null",
        apply: |file| Ok(absent_as_null(file)),
        expected: None,
    },
    RewriteRule {
        name: "client_docs",
        apply: |file| Ok(client_docs(file)),
        expected: Some(|_| 2),
    },
    RewriteRule {
        name: "hidden_operation_methods",
        apply: |file| Ok(hidden_operation_methods(file)),
        expected: Some(|e| e.operations),
    },
];

/// Applies every rule, checking each changed exactly the places it should.
pub fn apply(file: &mut syn::File, expectations: &Expectations) -> Result<()> {
    for rule in RULES {
        let changed = (rule.apply)(file).map_err(|message| SpecError::Rewrite {
            rule: rule.name,
            message,
        })?;
        if let Some(expected) = rule.expected.map(|expected| expected(expectations)) {
            check_changed(rule.name, changed, expected)?;
        }
    }
    Ok(())
}

/// Checks that the rule `rule` changed exactly `expected` places: any other count means
/// the generator's output no longer has the shape the rule was written for.
pub(super) fn check_changed(rule: &'static str, changed: usize, expected: usize) -> Result<()> {
    if changed == expected {
        return Ok(());
    }
    Err(SpecError::Rewrite {
        rule,
        message: format!(
            "changed {changed} places where {expected} were expected; the generator's output \
             no longer has the shape this rule was written for"
        ),
    })
}

fn is_path(expr: &Expr, segments: &[&str]) -> bool {
    match expr {
        Expr::Path(path) => {
            let names: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            names.len() >= segments.len()
                && names[names.len() - segments.len()..]
                    .iter()
                    .zip(segments)
                    .all(|(a, b)| a == b)
        }
        _ => false,
    }
}

fn is_string_literal(expr: &Expr, value: &str) -> bool {
    matches!(expr, Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == value)
}

/// Removes `header_map.append(HeaderName::from_static("api-version"), ..);`.
fn remove_api_version_header(file: &mut syn::File) -> usize {
    struct Remover(usize);
    impl VisitMut for Remover {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| !is_api_version_append(stmt));
            self.0 += before - block.stmts.len();
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut remover = Remover(0);
    remover.visit_file_mut(file);
    remover.0
}

fn is_api_version_append(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    if call.method != "append" {
        return false;
    }
    match call.args.first() {
        Some(Expr::Call(name)) => {
            is_path(&name.func, &["HeaderName", "from_static"])
                && name
                    .args
                    .first()
                    .is_some_and(|arg| is_string_literal(arg, "api-version"))
        }
        _ => false,
    }
}

/// Drops `Client::new` and makes `Client::new_with_client` crate-private.
fn private_constructors(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        let before = block.items.len();
        block
            .items
            .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
        changed += before - block.items.len();
        for item in &mut block.items {
            if let ImplItem::Fn(function) = item
                && function.sig.ident == "new_with_client"
            {
                function.vis = syn::parse_quote!(pub(crate));
                changed += 1;
            }
        }
    }
    changed
}

/// Imports `crate::path::encode_path` instead of progenitor's, and adds `?` to each call
/// (inside the `format!` that builds the URL), since ours refuses dot segments.
fn checked_path_segments(file: &mut syn::File) -> usize {
    let changed = replace_progenitor_import(
        file,
        "encode_path",
        syn::parse_quote! {
            #[allow(unused_imports)]
            use crate::path::encode_path;
        },
    );

    struct Calls(usize);
    impl VisitMut for Calls {
        fn visit_expr_macro_mut(&mut self, node: &mut syn::ExprMacro) {
            if !node.mac.path.is_ident("format") {
                return;
            }
            let Ok(mut args) = node
                .mac
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            else {
                return;
            };
            let mut found = 0;
            for arg in args.iter_mut() {
                if let Expr::Call(call) = arg
                    && is_path(&call.func, &["encode_path"])
                {
                    *arg = Expr::Try(syn::ExprTry {
                        attrs: Vec::new(),
                        expr: Box::new(arg.clone()),
                        question_token: Token![?](Span::call_site()),
                    });
                    found += 1;
                }
            }
            if found > 0 {
                node.mac.tokens = args.into_token_stream();
                self.0 += found;
            }
        }
    }
    let mut calls = Calls(0);
    calls.visit_file_mut(file);
    changed + calls.0
}

/// Every builder's `send()` returns `crate::Error`: the generated body runs unchanged
/// inside an `async` block typed as before, minus the arms that decode documented error
/// statuses (they would consume the body), and `crate::error::from_generated` turns its
/// result into the SDK's types.
fn sdk_error_type(file: &mut syn::File) -> usize {
    struct Sends(usize);
    impl VisitMut for Sends {
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            if function.sig.ident != "send" || function.sig.asyncness.is_none() {
                return;
            }
            let syn::ReturnType::Type(_, output) = &function.sig.output else {
                return;
            };
            let Some((success, generated_error)) = result_arguments(output) else {
                return;
            };
            let Some(operation_id) = operation_id_of(&function.block) else {
                return;
            };
            let mut body = function.block.clone();
            RemoveErrorArms.visit_block_mut(&mut body);
            // A JSON success is decoded by the SDK (`crate::error::decoded`), which keeps the
            // status, headers and body when it does not match the type.
            let mut json = JsonSuccess(0);
            json.visit_block_mut(&mut body);
            let (inner, finish) = if json.0 > 0 {
                (
                    quote::quote!(::reqwest::Response),
                    quote::quote!(crate::error::decoded),
                )
            } else {
                (success.clone(), quote::quote!(crate::error::from_generated))
            };
            // An operation that takes an `Idempotency-Key` gets one made before the first
            // attempt when the caller set none (unless the client turned that off); the key
            // goes into the request, the result and the error.
            let key = if destructures(&function.block, "idempotency_key") {
                function.sig.inputs = syn::parse_quote!(mut self);
                quote::quote!(crate::idempotency::prepare(
                    &self.client,
                    &mut self.idempotency_key
                ))
            } else {
                quote::quote!(::std::option::Option::None)
            };
            function.sig.output = syn::parse_quote!(-> Result<#success, crate::Error>);
            function.block = syn::parse_quote!({
                let call_key: ::std::option::Option<::std::string::String> = #key;
                let result: Result<#inner, #generated_error> = async move #body.await;
                #finish(#operation_id, call_key, result).await
            });
            self.0 += 1;
        }
    }
    let mut sends = Sends(0);
    sends.visit_file_mut(file);
    sends.0
}

/// Turns `200..=299 => ResponseValue::from_response(response).await` into
/// `200..=299 => Ok(response)`, counting the arms it changed.
struct JsonSuccess(usize);

impl VisitMut for JsonSuccess {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        // progenitor writes the arm as a block (`{ ... }`), which prettyplease prints bare.
        let decodes = arm
            .body
            .to_token_stream()
            .to_string()
            .replace(' ', "")
            .trim_start_matches('{')
            .trim_end_matches('}')
            == "ResponseValue::from_response(response).await";
        if decodes {
            *arm.body = syn::parse_quote!(Ok(response));
            self.0 += 1;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}

/// Whether the body's `let Self { .. } = self;` takes the field `field`.
fn destructures(block: &syn::Block, field: &str) -> bool {
    block.stmts.iter().any(|stmt| {
        let Stmt::Local(local) = stmt else {
            return false;
        };
        let syn::Pat::Struct(pattern) = &local.pat else {
            return false;
        };
        pattern
            .fields
            .iter()
            .any(|f| matches!(&f.member, syn::Member::Named(name) if name == field))
    })
}

/// Every call (a struct of `mod builder` owning its `client`) can be given per-call options:
/// it implements the SDK's sealed accessor to that client, and so `CallOptions`.
fn call_options(file: &mut syn::File) -> usize {
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return 0;
    };
    let calls: Vec<syn::Ident> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => match &item.fields {
                syn::Fields::Named(fields)
                    if fields
                        .named
                        .iter()
                        .any(|f| f.ident.as_ref().is_some_and(|i| i == "client")) =>
                {
                    Some(item.ident.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    // What each call's `send()` returns, for `IntoFuture` (`call.await` is `call.send().await`).
    let outputs: Vec<(String, syn::Type)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() => {
                let name = last_type_ident(&block.self_ty)?.to_string();
                block.items.iter().find_map(|item| match item {
                    ImplItem::Fn(function) if function.sig.ident == "send" => {
                        match &function.sig.output {
                            syn::ReturnType::Type(_, ty) => Some((name.clone(), (**ty).clone())),
                            syn::ReturnType::Default => None,
                        }
                    }
                    _ => None,
                })
            }
            _ => None,
        })
        .collect();
    for call in &calls {
        items.push(syn::parse_quote! {
            impl crate::options::sealed::Call for #call {
                fn client_mut(&mut self) -> &mut super::Client {
                    &mut self.client
                }
            }
        });
        if let Some((_, output)) = outputs.iter().find(|(name, _)| call == name) {
            items.push(syn::parse_quote! {
                /// `call.await` sends the call: the same as `call.send().await`.
                impl ::std::future::IntoFuture for #call {
                    type Output = #output;
                    type IntoFuture = ::std::pin::Pin<
                        ::std::boxed::Box<
                            dyn ::std::future::Future<Output = #output> + ::std::marker::Send,
                        >,
                    >;
                    fn into_future(self) -> Self::IntoFuture {
                        ::std::boxed::Box::pin(self.send())
                    }
                }
            });
        }
    }
    calls.len()
}

/// A field typify requires but allows `null` (`deserialize_with = Option::deserialize`, so
/// an absent member fails the whole body) also decodes when absent, as `None`: what the
/// server leaves out and what it sends as `null` mean the same for such a member. It is
/// still serialised, as `null` when `None`.
fn absent_as_null(file: &mut syn::File) -> usize {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return 0;
    };
    let mut changed = 0;
    for item in types.iter_mut() {
        let Item::Struct(item) = item else { continue };
        for field in item.fields.iter_mut() {
            for attr in &mut field.attrs {
                if !attr.path().is_ident("serde") {
                    continue;
                }
                let Ok(metas) =
                    attr.parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
                else {
                    continue;
                };
                let required_nullable = metas.iter().any(|meta| {
                    matches!(meta, syn::Meta::NameValue(nv)
                        if nv.path.is_ident("deserialize_with")
                            && nv.value.to_token_stream().to_string().replace(' ', "")
                                == "\"::std::option::Option::deserialize\"")
                });
                if required_nullable && !metas.iter().any(|meta| meta.path().is_ident("default")) {
                    let mut metas = metas;
                    metas.push(syn::parse_quote!(default));
                    *attr = syn::parse_quote!(#[serde(#metas)]);
                    changed += 1;
                }
            }
        }
    }
    changed
}

/// Every enum of `mod types` whose variants are all unit variants (a JSON string enum)
/// gains a last variant `#[serde(untagged)] Unknown(String)`: serde tries the known names
/// first and keeps any other string there, so a value the API adds later decodes instead of
/// failing the whole call. `Display` writes the kept string; `FromStr` stays strict (input
/// a program builds is still checked); `Copy` goes, since the new variant owns a `String`.
fn open_string_enums(file: &mut syn::File) -> std::result::Result<usize, String> {
    let Some(types) = crate::syntax::module_items_mut(&mut file.items, "types") else {
        return Ok(0);
    };
    let mut opened = Vec::new();
    for item in types.iter_mut() {
        let Item::Enum(item) = item else { continue };
        if item.variants.is_empty()
            || !item
                .variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit))
        {
            continue;
        }
        // One catch-all shape: `Unknown(String)`. A value `UNKNOWN` has a reviewed name, or
        // `UnknownValue` (see `super::variants`), by now.
        if item.variants.iter().any(|v| v.ident == "Unknown") {
            return Err(format!(
                "`{}` has a variant `Unknown` besides the catch-all",
                item.ident
            ));
        }
        let catch_all = syn::Ident::new("Unknown", Span::call_site());
        for attr in &mut item.attrs {
            if attr.path().is_ident("derive")
                && let Ok(paths) =
                    attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                let kept: Punctuated<syn::Path, Token![,]> = paths
                    .into_iter()
                    .filter(|path| !path.is_ident("Copy"))
                    .collect();
                *attr = syn::parse_quote!(#[derive(#kept)]);
            }
        }
        item.variants.push(syn::parse_quote! {
            /// A value this client does not know yet, kept as the API sent it.
            #[serde(untagged)]
            #catch_all(::std::string::String)
        });
        // A value upstream adds becomes a variant in a later version: with the catch-all
        // a `match` already handles it, and `#[non_exhaustive]` makes adding the variant a
        // minor change for every caller.
        item.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        opened.push((item.ident.clone(), catch_all));
    }
    let mut patched = 0;
    for item in types.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let is_display = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "Display"));
        let Some(name) = (if is_display {
            last_type_ident(&block.self_ty)
        } else {
            None
        }) else {
            continue;
        };
        let Some((_, catch_all)) = opened.iter().find(|(opened, _)| *opened == name) else {
            continue;
        };
        let catch_all = catch_all.clone();
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            for stmt in &mut function.block.stmts {
                if let Stmt::Expr(Expr::Match(matched), _) = stmt {
                    if let Expr::Unary(unary) = &*matched.expr {
                        matched.expr = unary.expr.clone();
                    }
                    matched.arms.push(syn::parse_quote! {
                        Self::#catch_all(value) => f.write_str(value),
                    });
                    patched += 1;
                }
            }
        }
    }
    if patched != opened.len() {
        return Err(format!(
            "opened {} enums but found the Display `match` of {}",
            opened.len(),
            patched
        ));
    }
    Ok(opened.len())
}

/// In `mod builder`: `struct Op<'a> { client: &'a super::Client, .. }` becomes
/// `struct Op { client: super::Client, .. }`, `impl<'a> Op<'a>` becomes `impl Op`, and
/// `pub fn new(client: &'a super::Client)` becomes `pub(crate) fn new(client: &super::Client)`
/// storing `client.clone()`. Returns the number of builders changed; every struct, impl
/// and constructor must have been found.
fn owned_builders(file: &mut syn::File) -> std::result::Result<usize, String> {
    let Some(items) = crate::syntax::module_items_mut(&mut file.items, "builder") else {
        return Ok(0);
    };
    let (mut structs, mut impls, mut constructors) = (0, 0, 0);
    for item in items.iter_mut() {
        match item {
            Item::Struct(item) => {
                let syn::Fields::Named(fields) = &mut item.fields else {
                    continue;
                };
                let Some(client) = fields
                    .named
                    .iter_mut()
                    .find(|field| field.ident.as_ref().is_some_and(|i| i == "client"))
                else {
                    continue;
                };
                if !is_borrowed_client(&client.ty) {
                    return Err(format!(
                        "builder `{}` does not hold `&'a super::Client`",
                        item.ident
                    ));
                }
                client.ty = syn::parse_quote!(super::Client);
                item.generics = syn::Generics::default();
                structs += 1;
            }
            Item::Impl(block) if block.trait_.is_none() => {
                if block.generics.lifetimes().count() != 1 {
                    continue;
                }
                block.generics = syn::Generics::default();
                if let syn::Type::Path(path) = &mut *block.self_ty
                    && let Some(last) = path.path.segments.last_mut()
                {
                    last.arguments = syn::PathArguments::None;
                }
                impls += 1;
                for impl_item in &mut block.items {
                    let ImplItem::Fn(function) = impl_item else {
                        continue;
                    };
                    if function.sig.ident != "new" {
                        continue;
                    }
                    function.vis = syn::parse_quote!(pub(crate));
                    function.sig.inputs = syn::parse_quote!(client: &super::Client);
                    let mut clones = CloneClient(0);
                    clones.visit_block_mut(&mut function.block);
                    if clones.0 != 1 {
                        return Err(
                            "a builder's `new` does not build `Self { client: client, .. }`"
                                .to_owned(),
                        );
                    }
                    constructors += 1;
                }
            }
            _ => {}
        }
    }
    if structs != impls || structs != constructors {
        return Err(format!(
            "found {structs} builder structs, {impls} impls and {constructors} constructors"
        ));
    }
    Ok(structs)
}

fn is_borrowed_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(reference)
        if reference.mutability.is_none()
            && reference.lifetime.is_some()
            && matches!(&*reference.elem, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Client")))
}

/// `client: client` in a struct literal becomes `client: client.clone()`.
struct CloneClient(usize);

impl VisitMut for CloneClient {
    fn visit_field_value_mut(&mut self, node: &mut syn::FieldValue) {
        if matches!(&node.member, syn::Member::Named(name) if name == "client")
            && matches!(&node.expr, Expr::Path(path) if path.path.is_ident("client"))
        {
            node.expr = syn::parse_quote!(client.clone());
            node.colon_token = Some(Token![:](Span::call_site()));
            self.0 += 1;
        }
    }
}

/// `Ok(changed)` when a rule whose count the spec does not tell changed at least one place;
/// none means the generator's output no longer has the shape the rule was written for.
fn at_least_one(rule: &str, changed: usize) -> std::result::Result<usize, String> {
    if changed == 0 {
        return Err(format!(
            "{rule} changed no place; the generator's output no longer has the shape this rule \
             was written for"
        ));
    }
    Ok(changed)
}

/// In a `send()` whose `header_map` is only handed to `.headers(header_map)` (no header
/// parameter appends to it), removes `let mut header_map = HeaderMap::with_capacity(..);` and
/// that `.headers(..)` call.
fn no_empty_header_maps(file: &mut syn::File) -> usize {
    fn is_header_map_local(stmt: &Stmt) -> bool {
        matches!(stmt, Stmt::Local(local)
            if local.pat.to_token_stream().to_string().ends_with("header_map"))
    }
    fn mentions(stmt: &Stmt) -> usize {
        stmt.to_token_stream()
            .into_iter()
            .map(|token| count_ident(token, "header_map"))
            .sum()
    }
    fn count_ident(token: proc_macro2::TokenTree, name: &str) -> usize {
        match token {
            proc_macro2::TokenTree::Ident(ident) => usize::from(ident == name),
            proc_macro2::TokenTree::Group(group) => group
                .stream()
                .into_iter()
                .map(|token| count_ident(token, name))
                .sum(),
            _ => 0,
        }
    }
    /// Replaces `receiver.headers(header_map)` by `receiver`.
    struct Unmerge(usize);
    impl VisitMut for Unmerge {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && is_path(&call.args[0], &["header_map"])
            {
                *expr = (*call.receiver).clone();
                self.0 += 1;
            }
            visit_mut::visit_expr_mut(self, expr);
        }
    }
    struct Remover(usize);
    impl VisitMut for Remover {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            if let Some(position) = block.stmts.iter().position(is_header_map_local) {
                let uses: usize = block.stmts[position + 1..].iter().map(mentions).sum();
                if uses == 1 {
                    let mut unmerge = Unmerge(0);
                    for stmt in &mut block.stmts[position + 1..] {
                        unmerge.visit_stmt_mut(stmt);
                    }
                    if unmerge.0 == 1 {
                        block.stmts.remove(position);
                        self.0 += 1;
                    }
                }
            }
            visit_mut::visit_block_mut(self, block);
        }
    }
    let mut remover = Remover(0);
    remover.visit_file_mut(file);
    remover.0
}

/// `format!("{}/v1/numbers", client.baseurl,)` becomes
/// `[&*client.baseurl, "/v1/numbers"].concat()`: the same string, without the formatting
/// machinery.
fn plain_urls(file: &mut syn::File) -> usize {
    struct Rewriter(usize);
    impl VisitMut for Rewriter {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Macro(mac) = expr
                && mac.mac.path.is_ident("format")
                && let Ok(args) = mac
                    .mac
                    .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                && args.len() == 2
                && let Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(template),
                    ..
                }) = &args[0]
                && matches!(&args[1], Expr::Field(field)
                    if matches!(&field.member, syn::Member::Named(name) if name == "baseurl"))
            {
                let template = template.value();
                if let Some(path) = template.strip_prefix("{}")
                    && !path.contains(['{', '}'])
                {
                    let base = &args[1];
                    *expr = syn::parse_quote!([&*#base, #path].concat());
                    self.0 += 1;
                    return;
                }
            }
            visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut rewriter = Rewriter(0);
    rewriter.visit_file_mut(file);
    rewriter.0
}

/// `baseurl: String` of `struct Client` becomes `baseurl: std::sync::Arc<str>`: its
/// constructor's `baseurl.to_string()` becomes `baseurl.into()` and `ClientInfo::baseurl`'s
/// `self.baseurl.as_str()` becomes `&self.baseurl`.
fn shared_base_url(file: &mut syn::File) -> usize {
    struct Rewriter(usize);
    impl VisitMut for Rewriter {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            if item.ident != "Client" {
                return;
            }
            for field in &mut item.fields {
                if field.ident.as_ref().is_some_and(|ident| ident == "baseurl") {
                    field.ty = syn::parse_quote!(::std::sync::Arc<str>);
                    self.0 += 1;
                }
            }
        }

        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            let is_baseurl =
                matches!(&field.member, syn::Member::Named(ident) if ident == "baseurl");
            if is_baseurl
                && let Expr::MethodCall(call) = &field.expr
                && call.method == "to_string"
            {
                let receiver = &call.receiver;
                field.expr = syn::parse_quote!(::std::sync::Arc::from(#receiver));
                self.0 += 1;
            }
            visit_mut::visit_field_value_mut(self, field);
        }

        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::MethodCall(call) = expr
                && call.method == "as_str"
                && matches!(&*call.receiver, Expr::Field(field)
                    if matches!(&field.member, syn::Member::Named(ident) if ident == "baseurl"))
            {
                let receiver = &call.receiver;
                *expr = syn::parse_quote!(&#receiver);
                self.0 += 1;
                return;
            }
            visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut rewriter = Rewriter(0);
    rewriter.visit_file_mut(file);
    rewriter.0
}

/// `pub use progenitor_client::{.., ResponseValue, ..};` becomes
/// `pub use progenitor_client::{..};` plus `use crate::ResponseValue;`: the generated code
/// returns the SDK's own response type.
fn sdk_response_type(file: &mut syn::File) -> usize {
    replace_progenitor_import(
        file,
        "ResponseValue",
        syn::parse_quote!(
            use crate::ResponseValue;
        ),
    )
}

/// Takes `name` out of each `use progenitor_client::{..}` group, and puts `replacement`
/// after the last such import it was taken from. Counts the groups changed.
fn replace_progenitor_import(file: &mut syn::File, name: &str, replacement: Item) -> usize {
    let mut changed = 0;
    let mut at = None;
    for (index, item) in file.items.iter_mut().enumerate() {
        let Item::Use(item) = item else { continue };
        let syn::UseTree::Path(path) = &mut item.tree else {
            continue;
        };
        if path.ident != "progenitor_client" {
            continue;
        }
        let syn::UseTree::Group(group) = &mut *path.tree else {
            continue;
        };
        let before = group.items.len();
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|tree| !matches!(tree, syn::UseTree::Name(used) if used.ident == name))
            .collect();
        if group.items.len() < before {
            changed += 1;
            at = Some(index);
        }
    }
    if let Some(index) = at {
        file.items.insert(index + 1, replacement);
    }
    changed
}

/// The doc of `struct Client` becomes `src/client.md`; `impl ClientInfo<_> for Client` gets
/// `#[doc(hidden)]`.
fn client_docs(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in &mut file.items {
        match item {
            Item::Struct(item) if item.ident == "Client" => {
                item.attrs.retain(|attr| !attr.path().is_ident("doc"));
                item.attrs.insert(
                    0,
                    syn::parse_quote!(
                        #[doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/client.md"))]
                    ),
                );
                changed += 1;
            }
            Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == "ClientInfo")
                }) =>
            {
                block.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                changed += 1;
            }
            _ => {}
        }
    }
    changed
}

/// `impl Client { pub fn op(&self) -> builder::Op<'_> }` becomes
/// `#[doc(hidden)] pub fn op(&self) -> builder::Op`: the per-operation methods stay for the
/// SDK's own use, out of the documentation.
fn hidden_operation_methods(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for impl_item in &mut block.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            let syn::ReturnType::Type(_, output) = &mut function.sig.output else {
                continue;
            };
            let syn::Type::Path(path) = &mut **output else {
                continue;
            };
            let is_builder =
                path.path.segments.len() == 2 && path.path.segments[0].ident == "builder";
            if !is_builder {
                continue;
            }
            if let Some(last) = path.path.segments.last_mut() {
                last.arguments = syn::PathArguments::None;
            }
            function.attrs.retain(|attr| !attr.path().is_ident("doc"));
            function.attrs.push(syn::parse_quote!(#[doc(hidden)]));
            changed += 1;
        }
    }
    changed
}

fn last_type_ident(ty: &syn::Type) -> Option<syn::Ident> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.clone()),
        _ => None,
    }
}

/// `(T, E)` of a `Result<T, E>` type.
fn result_arguments(ty: &syn::Type) -> Option<(TokenStream, TokenStream)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let mut types = arguments.args.iter();
    let success = types.next()?.to_token_stream();
    let error = types.next()?.to_token_stream();
    Some((success, error))
}

/// The literal of `OperationInfo { operation_id: "..." }` in a generated body.
fn operation_id_of(block: &syn::Block) -> Option<syn::LitStr> {
    struct Finder(Option<syn::LitStr>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
            if node.path.is_ident("OperationInfo") {
                for field in &node.fields {
                    if let (syn::Member::Named(name), Expr::Lit(lit)) = (&field.member, &field.expr)
                        && name == "operation_id"
                        && let syn::Lit::Str(value) = &lit.lit
                    {
                        self.0 = Some(value.clone());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, node);
        }
    }
    let mut finder = Finder(None);
    syn::visit::Visit::visit_block(&mut finder, block);
    finder.0
}

/// Removes match arms that build `Error::ErrorResponse(..)`.
struct RemoveErrorArms;

impl VisitMut for RemoveErrorArms {
    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        node.arms.retain(|arm| {
            !arm.body
                .to_token_stream()
                .to_string()
                .contains("ErrorResponse")
        });
        visit_mut::visit_expr_match_mut(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn file(tokens: TokenStream) -> syn::File {
        syn::parse2(tokens).unwrap()
    }

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn removes_the_api_version_header_only() {
        let mut f = file(quote! {
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("x-whatsapp-number-id", value.to_string().try_into()?);
            }
        });
        assert_eq!(remove_api_version_header(&mut f), 1);
        let out = text(&f);
        assert!(!out.contains("api-version"), "{out}");
        assert!(out.contains("x-whatsapp-number-id"), "{out}");
    }

    #[test]
    fn makes_constructors_private() {
        let mut f = file(quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
            }
            impl Other { pub fn new() -> Self { todo!() } }
        });
        assert_eq!(private_constructors(&mut f), 2);
        let out = text(&f);
        assert!(out.contains("pub(crate) fn new_with_client"), "{out}");
        assert!(!out.contains("impl Client {\n    pub fn new("), "{out}");
        assert!(out.contains("impl Other"), "{out}");
    }

    #[test]
    fn checks_path_segments() {
        let mut f = file(quote! {
            use progenitor_client::{encode_path, ClientHooks, OperationInfo};
            fn send() {
                let url = format!(
                    "{}/v1/numbers/{}/x/{}",
                    client.baseurl,
                    encode_path(&id.to_string()),
                    encode_path(&other.to_string()),
                );
            }
        });
        assert_eq!(checked_path_segments(&mut f), 3);
        let out = text(&f);
        assert!(
            out.contains("use progenitor_client::{ClientHooks, OperationInfo};"),
            "{out}"
        );
        assert!(out.contains("use crate::path::encode_path;"), "{out}");
        // prettyplease prints macro arguments token by token.
        let compact: String = out.split_whitespace().collect();
        assert!(compact.contains("encode_path(&id.to_string())?,"), "{out}");
        assert!(
            compact.contains("encode_path(&other.to_string())?,"),
            "{out}"
        );
    }

    #[test]
    fn wraps_send_in_the_sdk_error_type() {
        let mut f = file(quote! {
            impl<'a> PostX<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::PostXResponse>, Error<types::ApiError>> {
                    let Self { client, idempotency_key } = self;
                    let info = OperationInfo { operation_id: "post_x" };
                    let response = result?;
                    match response.status().as_u16() {
                        200..=299 => { ResponseValue::from_response(response).await }
                        400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
            impl GetAudio {
                pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<types::ApiError>> {
                    let Self { client } = self;
                    let info = OperationInfo { operation_id: "get_audio" };
                    match response.status().as_u16() {
                        200..=299 => Ok(ResponseValue::stream(response)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        });
        assert_eq!(sdk_error_type(&mut f), 2);
        let out = text(&f);
        let compact: String = out.split_whitespace().collect();
        for expected in [
            "pubasyncfnsend(mutself,)->Result<ResponseValue<types::PostXResponse>,crate::Error>",
            "letcall_key:::std::option::Option<::std::string::String>=crate::idempotency::prepare(&self.client,&mutself.idempotency_key,);",
            "letresult:Result<::reqwest::Response,Error<types::ApiError>>=asyncmove{",
            "200..=299=>Ok(response),",
            "crate::error::decoded(\"post_x\",call_key,result).await",
            "_=>Err(Error::UnexpectedResponse(response))",
            // A binary success stays a stream, converted as before; no key to make.
            "pubasyncfnsend(self)->Result<ResponseValue<ByteStream>,crate::Error>",
            "letcall_key:::std::option::Option<::std::string::String>=::std::option::Option::None;",
            "crate::error::from_generated(\"get_audio\",call_key,result).await",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{out}");
        }
        assert!(!out.contains("ErrorResponse"), "{out}");
    }

    #[test]
    fn string_enums_accept_unknown_values() {
        let mut f = file(quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, PartialEq)]
                pub enum Status {
                    #[serde(rename = "SENT")]
                    Sent,
                }
                impl ::std::fmt::Display for Status {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {
                            Self::Sent => f.write_str("SENT"),
                        }
                    }
                }
                #[derive(Clone, Debug)]
                pub enum Untagged {
                    Text(String),
                }
            }
        });
        assert_eq!(open_string_enums(&mut f), Ok(1));
        let out = text(&f);
        assert!(
            out.contains(
                "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]"
            ),
            "{out}"
        );
        assert!(
            out.contains("#[serde(untagged)]\n        Unknown(::std::string::String),"),
            "{out}"
        );
        assert!(out.contains("match self {"), "{out}");
        assert!(
            out.contains("Self::Unknown(value) => f.write_str(value),"),
            "{out}"
        );
        assert!(
            !out.contains("Text(String),\n        #[serde(untagged)]"),
            "{out}"
        );
    }

    #[test]
    fn an_enum_still_holding_an_unknown_variant_is_refused() {
        let mut f = file(quote! {
            pub mod types {
                #[derive(Clone, Copy)]
                pub enum Quality {
                    #[serde(rename = "GOOD")]
                    Good,
                    #[serde(rename = "UNKNOWN")]
                    Unknown,
                }
                impl ::std::fmt::Display for Quality {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {
                            Self::Good => f.write_str("GOOD"),
                            Self::Unknown => f.write_str("UNKNOWN"),
                        }
                    }
                }
            }
        });
        // `super::variants` names a value `UNKNOWN` first (reviewed, or `UnknownValue`): the
        // catch-all is `Unknown(String)` in every enum.
        let refused = open_string_enums(&mut f).expect_err("two variants named Unknown");
        assert!(refused.contains("besides the catch-all"), "{refused}");
        let renames = crate::codegen::variants::free_catch_all(&mut f);
        assert_eq!(
            renames,
            [(
                "Quality".to_owned(),
                "UNKNOWN".to_owned(),
                "UnknownValue".to_owned()
            )]
        );
        crate::codegen::variants::apply(&mut f, &renames).unwrap();
        assert_eq!(open_string_enums(&mut f), Ok(1));
        let out = text(&f);
        assert!(out.contains("UnknownValue,"), "{out}");
        assert!(
            out.contains("Self::UnknownValue => f.write_str(\"UNKNOWN\")"),
            "{out}"
        );
        assert!(out.contains("Unknown(::std::string::String),"), "{out}");
    }

    #[test]
    fn an_enum_without_its_display_impl_is_an_error() {
        let mut f = file(quote! {
            pub mod types {
                #[derive(Clone, Copy)]
                pub enum Status { Sent }
            }
        });
        assert_eq!(
            open_string_enums(&mut f),
            Err("opened 1 enums but found the Display `match` of 0".to_owned())
        );
    }

    #[test]
    fn a_rule_that_changes_too_little_fails_by_name() {
        let mut f = file(quote! { fn nothing() {} });
        let error = apply(
            &mut f,
            &Expectations {
                operations: 1,
                path_parameters: 0,
            },
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "post-processing rule `remove_api_version_header` failed: changed 0 places where 1 were \
             expected; the generator's output no longer has the shape this rule was written for"
        );
    }
}
