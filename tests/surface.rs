//! The generated public surface and code, pinned with insta snapshots.
//!
//! When `openapi.json` (or the normaliser, or progenitor) changes, these fail with a diff:
//! review it with `cargo insta review` (or `cargo insta test --review`), accept it, and
//! commit the spec with the snapshots. CI never writes snapshots.

use std::path::Path;

use pilot_status_codegen::{Generated, Inputs, document};

const SPEC: &str = include_str!("../openapi.json");

fn inputs() -> Inputs {
    Inputs::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("openapi.json and overlays/ read")
}

/// The generation of the repository's inputs, made once for all the tests of this file.
fn generated() -> &'static Generated {
    static GENERATED: std::sync::OnceLock<Generated> = std::sync::OnceLock::new();
    GENERATED.get_or_init(|| inputs().generate().expect("openapi.json generates"))
}

#[test]
fn surface() {
    insta::assert_snapshot!("surface", generated().surface.to_string());
}

#[test]
fn generated_code() {
    insta::assert_snapshot!("generated_code", generated().code);
}

#[test]
fn events() {
    // The webhook events and their generated payload types (`cargo xtask surface --events`).
    insta::assert_snapshot!("events", generated().events_surface);
}

#[test]
fn the_events_the_crate_compiles_are_the_generated_ones() {
    // build.rs wrote this file from the same openapi.json and design/events.yaml.
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/events.rs"));
    assert!(
        compiled == generated().events_code,
        "OUT_DIR/events.rs differs from the generated event types"
    );
}

#[test]
fn the_snapshot_is_what_the_crate_compiles() {
    // build.rs wrote this file from the same openapi.json with the same function.
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    assert!(
        compiled == generated().code,
        "OUT_DIR/client.rs differs from the generated code"
    );
}

#[test]
fn renaming_a_request_field_breaks_the_snapshot_at_that_field() {
    // What a maintainer sees when upstream renames `name` to `fullName`: the surface
    // snapshot no longer matches, and the differing lines name the field.
    let mut spec = document::parse(SPEC, "openapi.json").unwrap();
    let body = &mut spec["paths"]["/v1/numbers/remote-pairing"]["post"]["requestBody"]["content"]["application/json"];
    let properties = body["schema"]["properties"].as_object_mut().unwrap();
    let name = properties.remove("name").unwrap();
    properties.insert("fullName".to_owned(), name);
    body["example"].as_object_mut().unwrap().remove("name");
    let renamed = inputs().generate_from(&spec).unwrap().surface.to_string();

    let snapshot = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/surface__surface.snap"
    ))
    .unwrap();
    let committed = snapshot.splitn(3, "---\n").nth(2).unwrap();
    let diff = similar::TextDiff::from_lines(committed.trim_end(), renamed.trim_end());
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|change| change.tag() != similar::ChangeTag::Equal)
        .map(|change| format!("{}{}", change.tag(), change.value().trim_end()))
        .collect();
    // The model follows upstream: `name` leaves it and `fullName` joins it, and the design
    // report names the table's description of `name` as stale until the table follows.
    assert_eq!(
        changed,
        [
            "+  fullName -> full_name: Option<String>",
            "-  name: Option<String>"
        ]
    );
    let stale = inputs().generate_from(&spec).unwrap().prepared.design.stale;
    assert!(
        stale.iter().any(|entry| entry.key == "RemotePairingInput"
            && entry.message.contains("upstream removed `name`")),
        "{stale:#?}"
    );
}

/// Items of a module of the generated code, by path (`["types", "builder"]`).
fn module<'a>(items: &'a [syn::Item], path: &[&str]) -> &'a [syn::Item] {
    let Some((first, rest)) = path.split_first() else {
        return items;
    };
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == *first => m.content.as_ref().map(|(_, i)| i.as_slice()),
            _ => None,
        })
        .map(|items| module(items, rest))
        .unwrap_or(&[])
}

/// The first line of an item's rustdoc.
fn first_doc_line(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => s
                .value()
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned),
            _ => None,
        },
        _ => None,
    })
}

#[test]
fn every_public_type_has_a_sentence_of_docs() {
    let file = syn::parse_file(&generated().code).expect("the generated code parses");
    let mut undocumented = Vec::new();
    let mut count = 0;
    for path in [&["types"][..], &["builder"], &["resources"]] {
        for item in module(&file.items, path) {
            let (name, attrs) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
                _ => continue,
            };
            count += 1;
            match first_doc_line(attrs) {
                // Not a sentence: nothing, or only the type's name.
                None => undocumented.push(format!("{}::{name}", path.join("::"))),
                Some(line)
                    if line.trim_matches('`') == name || line.split_whitespace().count() < 2 =>
                {
                    undocumented.push(format!("{}::{name}: {line:?}", path.join("::")))
                }
                Some(_) => {}
            }
        }
    }
    assert!(count > 300, "the modules were found ({count} types)");
    assert!(
        undocumented.is_empty(),
        "{} of {count} public types have no sentence of docs: {undocumented:#?}",
        undocumented.len()
    );
}

#[test]
fn public_types_are_shared_and_short() {
    use std::collections::BTreeMap;
    let surface = &generated().surface;
    let mut by_shape: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for (name, def) in &surface.types {
        by_shape.entry(format!("{def:?}")).or_default().push(name);
    }
    let duplicates: Vec<_> = by_shape.values().filter(|names| names.len() > 1).collect();
    assert!(
        duplicates.is_empty(),
        "types with identical definitions: {duplicates:?}"
    );
    let long: Vec<_> = surface
        .types
        .keys()
        .filter(|name| name.len() > 40)
        .collect();
    assert!(long.is_empty(), "type names over 40 characters: {long:?}");
}

#[test]
fn every_operation_is_a_resource_method_and_the_official_names_are_kept() {
    let surface = &generated().surface;
    assert_eq!(surface.operations.len(), 87);
    // The official Python SDK's `resource.method` names (pilot-status 1.15.0).
    let official = [
        "ads.link_account",
        "ads.list_accounts",
        "ads.summary",
        "ads.unlink_account",
        "analytics.get_dashboard_stats",
        "api_keys.list",
        "api_keys.regenerate_number",
        "calls.accept",
        "calls.get",
        "calls.get_permissions",
        "calls.get_settings",
        "calls.initiate",
        "calls.list",
        "calls.play",
        "calls.pre_accept",
        "calls.realtime_session",
        "calls.reject",
        "calls.request_permission",
        "calls.terminate",
        "calls.update_settings",
        "groups.list",
        "lead_pages.link",
        "lead_pages.list",
        "lead_pages.list_forms",
        "lead_pages.resync",
        "lead_pages.unlink",
        "lead_pages.update",
        "lead_pages.update_form",
        "leads.get",
        "leads.list",
        "media.download",
        "messages.cancel",
        "messages.get",
        "messages.history",
        "messages.send",
        "newsletters.list",
        "numbers.connect",
        "numbers.create",
        "numbers.delete",
        "numbers.get",
        "numbers.get_status",
        "numbers.list",
        "numbers.pay",
        "numbers.purge",
        "numbers.remote_pairing",
        "numbers.restore",
        "numbers.update",
        "numbers.upgrade_to_dual",
        "phone_lines.get_activation_audio",
        "phone_lines.verification.confirm_contact",
        "phone_lines.verification.get",
        "phone_lines.verification.send_contact_code",
        "phone_lines.verification.start",
        "phone_lines.verification.submit_document",
        "projects.create",
        "projects.list",
        "referrals.list",
        "referrals.summary",
        "remote_pairing.connect",
        "remote_pairing.get_info",
        "remote_pairing.get_status",
        "templates.get",
        "templates.list",
    ];
    assert_eq!(official.len(), 63);
    for name in official {
        assert!(surface.operations.contains_key(name), "no method {name}");
    }
    let update = &surface.operations["numbers.update"];
    assert_eq!(
        update.also,
        ["client.numbers().update_settings(id, settings)"]
    );
}

#[test]
fn the_table_of_operations_is_current() {
    let readme = include_str!("../docs/operations.md");
    let start = readme
        .find("<!-- operations table")
        .and_then(|at| readme[at..].find('\n').map(|end| at + end + 1))
        .expect("docs/operations.md has the operations table marker");
    let end = readme[start..]
        .find("<!-- end of operations table -->")
        .map(|end| start + end)
        .expect("docs/operations.md closes the operations table");
    assert!(
        readme[start..end] == generated().surface.operations_table(),
        "docs/operations.md's table of operations is out of date: paste `cargo xtask surface --table`"
    );
}

/// Public functions that take two positional arguments of one type in a row, where the
/// official Python SDK (pilot-status 1.15.0) takes them positionally in that order.
const SAME_TYPE_IN_A_ROW: &[(&str, &str)] = &[
    (
        "CallsResource::pre_accept",
        "calls.pre_accept(call_id, sdp)",
    ),
    ("CallsResource::play", "calls.play(call_id, media_url)"),
    (
        "MediaResource::download",
        "media.download(media_id, phone_number_id)",
    ),
    (
        "LeadPagesResource::update_form",
        "lead_pages.update_form(page_link_id, form_id, config)",
    ),
    // A query pair, name then value, as every HTTP client takes it.
    ("RawRequest::query", "raw(..).query(name, value)"),
];

/// `(owner::function, [argument types])` of every public function of `items` (impl blocks
/// and free functions, in nested modules too).
fn public_functions(items: &[syn::Item], out: &mut Vec<(String, Vec<String>)>) {
    use quote::ToTokens;
    let arguments = |signature: &syn::Signature| -> Vec<String> {
        signature
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => Some(typed.ty.to_token_stream().to_string()),
                syn::FnArg::Receiver(_) => None,
            })
            .collect()
    };
    for item in items {
        match item {
            syn::Item::Impl(block) => {
                let owner = block.self_ty.to_token_stream().to_string().replace(' ', "");
                for item in &block.items {
                    if let syn::ImplItem::Fn(function) = item
                        && (block.trait_.is_some()
                            || matches!(function.vis, syn::Visibility::Public(_)))
                    {
                        out.push((
                            format!("{owner}::{}", function.sig.ident),
                            arguments(&function.sig),
                        ));
                    }
                }
            }
            syn::Item::Fn(function) if matches!(function.vis, syn::Visibility::Public(_)) => {
                out.push((function.sig.ident.to_string(), arguments(&function.sig)));
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    public_functions(items, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_public_function_takes_two_arguments_of_one_type_in_a_row() {
    // Two `impl Into<String>` in a row compile when swapped: a phone number sent as a name.
    let mut functions = Vec::new();
    let file = syn::parse_file(&generated().code).expect("the generated code parses");
    public_functions(&file.items, &mut functions);
    for (_, file) in hand_layer_files() {
        public_functions(&file.items, &mut functions);
    }
    assert!(
        functions.len() > 500,
        "functions found: {}",
        functions.len()
    );
    let mut found = Vec::new();
    for (name, arguments) in &functions {
        if arguments.windows(2).any(|pair| pair[0] == pair[1])
            && !SAME_TYPE_IN_A_ROW
                .iter()
                .any(|(allowed, _)| allowed == name)
        {
            found.push(format!("{name}({})", arguments.join(", ")));
        }
    }
    assert!(
        found.is_empty(),
        "public functions with two arguments of one type in a row (name them, or take the \
         body with its members named): {found:#?}"
    );
}

#[test]
fn every_public_type_and_variant_name_is_reviewed_or_upstreams_own() {
    // Each name of `types` comes from `design/models.yaml` or spells upstream's value; a name
    // the generator made up (`AnalyticsGetDashboardStatsPeriod`, `X7d`) must be named there.
    let derived = generated().surface.derived_names(&inputs().design.models);
    assert!(
        derived.is_empty(),
        "name these in design/models.yaml:\n{}",
        derived.join("\n")
    );

    // A value set upstream adds inline, with a value that is no Rust name, is reported.
    let mut spec = document::parse(SPEC, "openapi.json").unwrap();
    let body = &mut spec["paths"]["/v1/numbers/remote-pairing"]["post"]["requestBody"]["content"]["application/json"];
    body["schema"]["properties"]
        .as_object_mut()
        .unwrap()
        .insert(
            "window".to_owned(),
            serde_json::json!({"type": "string", "enum": ["24h", "never"]}),
        );
    let inputs = inputs();
    let added = inputs.generate_from(&spec).unwrap();
    let derived = added.surface.derived_names(&inputs.design.models);
    assert!(
        derived
            .iter()
            .any(|name| name.starts_with("type ") && name.contains("Window")),
        "{derived:?}"
    );
    assert!(
        derived.iter().any(|name| name.contains("= \"24h\"")),
        "{derived:?}"
    );
}

/// Every `.rs` file under `src/`, with the public module its public types are reached from:
/// `webhooks`, `batch`, `mock`, `mock::webhooks`, or the crate root (the private modules of
/// the hand layer are re-exported there).
fn hand_layer_files() -> Vec<(String, syn::File)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ reads") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(&root).expect("under src/");
                let parts: Vec<String> = relative
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                let module = match parts.as_slice() {
                    [dir, ..] if dir == "webhooks" => "webhooks".to_owned(),
                    [dir, ..] if dir == "batch" => "batch".to_owned(),
                    [dir, file] if dir == "mock" && file == "webhooks.rs" => {
                        "mock::webhooks".to_owned()
                    }
                    [dir, ..] if dir == "mock" => "mock".to_owned(),
                    _ => "crate".to_owned(),
                };
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((
                    module,
                    syn::parse_file(&text).expect("the hand layer parses"),
                ));
            }
        }
    }
    out
}

/// `(module, name)` of every `pub` struct, enum, trait and type alias of `items`, nested
/// inline modules (other than tests) by their path under `module`.
fn public_type_names(module: &str, items: &[syn::Item], out: &mut Vec<(String, String)>) {
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    for item in items {
        let name = match item {
            syn::Item::Struct(item) if public(&item.vis) => item.ident.to_string(),
            syn::Item::Enum(item) if public(&item.vis) => item.ident.to_string(),
            syn::Item::Trait(item) if public(&item.vis) => item.ident.to_string(),
            syn::Item::Type(item) if public(&item.vis) => item.ident.to_string(),
            syn::Item::Mod(inner) if public(&inner.vis) => {
                if let Some((_, items)) = &inner.content {
                    let path = if module == "crate" {
                        inner.ident.to_string()
                    } else {
                        format!("{module}::{}", inner.ident)
                    };
                    public_type_names(&path, items, out);
                }
                continue;
            }
            _ => continue,
        };
        out.push((module.to_owned(), name));
    }
}

/// Names that more than one module of `names` holds, with the modules.
fn same_named(names: &[(String, String)]) -> Vec<String> {
    let mut by_name: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        std::collections::BTreeMap::new();
    for (module, name) in names {
        by_name.entry(name).or_default().insert(module);
    }
    by_name
        .into_iter()
        .filter(|(_, modules)| modules.len() > 1)
        .map(|(name, modules)| format!("{name}: {modules:?}"))
        .collect()
}

#[test]
fn no_public_type_name_is_in_two_public_modules() {
    // `pilot_status::types::LeadField` beside `pilot_status::webhooks::LeadField`: two types
    // a reader cannot tell apart by name, and a glob import of both modules does not compile.
    // The generated models (`types`), calls (`builder`), resources (`resources`, whose
    // handles carry the official SDK's `Resource` suffix) and the client's top-level items
    // (the crate root's), the webhook payload types (`webhooks`) and the hand layer. Not the
    // typed mocks, which mirror the client's resources on purpose.
    let mut names = Vec::new();
    let client = syn::parse_file(&generated().code).expect("the generated code parses");
    public_type_names("crate", &client.items, &mut names);
    let events = syn::parse_file(&generated().events_code).expect("the event types parse");
    public_type_names("webhooks", &events.items, &mut names);
    for (module, file) in hand_layer_files() {
        public_type_names(&module, &file.items, &mut names);
    }
    for module in [
        "crate",
        "types",
        "builder",
        "resources",
        "webhooks",
        "batch",
        "mock",
    ] {
        assert!(
            names.iter().any(|(found, _)| found == module),
            "no public type found in `{module}`"
        );
    }
    let found = same_named(&names);
    assert!(
        found.is_empty(),
        "public types of one name in two modules (reuse one, or name each for what it is):\n{}",
        found.join("\n")
    );
    // The check finds a name in two modules.
    let twice = [
        ("types".to_owned(), "LeadField".to_owned()),
        ("webhooks".to_owned(), "LeadField".to_owned()),
    ];
    assert_eq!(same_named(&twice), ["LeadField: {\"types\", \"webhooks\"}"]);
}

/// The public enums of `items` whose catch-all is not `Unknown(String)`: a variant named
/// `Other`, or the one variant carrying a lone `String` in an otherwise unit-only (string)
/// enum under another name or not last. Also counts the string enums found open.
fn wrong_catch_alls(items: &[syn::Item], open: &mut usize, wrong: &mut Vec<String>) {
    use quote::ToTokens;
    for item in items {
        match item {
            syn::Item::Mod(inner) => {
                if let Some((_, items)) = &inner.content {
                    wrong_catch_alls(items, open, wrong);
                }
            }
            syn::Item::Enum(item) if matches!(item.vis, syn::Visibility::Public(_)) => {
                let name = &item.ident;
                if let Some(other) = item.variants.iter().find(|v| v.ident == "Other") {
                    wrong.push(format!("{name}::{}", other.to_token_stream()));
                }
                let carrying: Vec<&syn::Variant> = item
                    .variants
                    .iter()
                    .filter(|v| !matches!(v.fields, syn::Fields::Unit))
                    .collect();
                let [catch_all] = carrying.as_slice() else {
                    continue;
                };
                let lone_string = match &catch_all.fields {
                    syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                        let ty = fields.unnamed[0].ty.to_token_stream().to_string();
                        ty.replace(' ', "").ends_with("String")
                    }
                    _ => false,
                };
                if !lone_string && catch_all.ident != "Unknown" {
                    continue;
                }
                *open += 1;
                let last = item
                    .variants
                    .last()
                    .is_some_and(|v| v.ident == catch_all.ident);
                if catch_all.ident != "Unknown" || !lone_string || !last {
                    wrong.push(format!(
                        "{name}::{} (last: {last})",
                        catch_all.to_token_stream()
                    ));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_open_enum_keeps_an_unknown_value_as_unknown_string() {
    // One shape for a value this version does not know: `Unknown(String)`, last, in the
    // generated types, the webhook payload types and the hand layer alike. (An event enum's
    // catch-all carries the whole payload, `Event::Unknown { event, raw }`: not a string
    // enum, and still named `Unknown`.)
    let mut open = 0;
    let mut wrong = Vec::new();
    for code in [&generated().code, &generated().events_code] {
        let file = syn::parse_file(code).expect("the generated code parses");
        wrong_catch_alls(&file.items, &mut open, &mut wrong);
    }
    for (_, file) in hand_layer_files() {
        wrong_catch_alls(&file.items, &mut open, &mut wrong);
    }
    assert!(open > 40, "open string enums found: {open}");
    assert!(wrong.is_empty(), "catch-alls of another shape: {wrong:#?}");
    // The check refuses the other shapes.
    let other: syn::File = syn::parse_quote! {
        pub enum A { X, Other(String) }
        pub enum B { Unknown(String), X }
        pub enum C { X, Unknown(u8) }
    };
    let mut wrong = Vec::new();
    wrong_catch_alls(&other.items, &mut 0, &mut wrong);
    assert_eq!(wrong.len(), 4, "{wrong:#?}");
}
