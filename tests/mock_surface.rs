//! The typed mocks of the `mock` feature (`pilot_status::mock`), pinned like the client in
//! `tests/surface.rs`: each operation's mock call and the methods of its `When` and `Then`.
//!
//! When `openapi.json`, `overlays/`, `design/` or progenitor change the mocks, the snapshot
//! fails with a diff: review it with `cargo insta review`, accept it, and commit it with the
//! change. CI never writes snapshots.

use std::path::Path;
use std::sync::OnceLock;

use pilot_status_codegen::design::ModelTable;
use pilot_status_codegen::{GeneratedMocks, Inputs, document};

const SPEC: &str = include_str!("../openapi.json");
const MODELS: &str = include_str!("../design/models.yaml");

fn inputs() -> Inputs {
    Inputs::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("openapi.json and overlays/ read")
}

/// The mocks of the repository's inputs, generated once for all the tests here.
fn mocks() -> &'static GeneratedMocks {
    static MOCKS: OnceLock<GeneratedMocks> = OnceLock::new();
    MOCKS.get_or_init(|| {
        inputs()
            .generate_mocks()
            .expect("openapi.json generates mocks")
    })
}

/// The lines of `after` that differ from `before`, `-`/`+` first.
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    similar::TextDiff::from_lines(before, after)
        .iter_all_changes()
        .filter(|change| change.tag() != similar::ChangeTag::Equal)
        .map(|change| format!("{}{}", change.tag(), change.value().trim_end()))
        .collect()
}

#[test]
fn mock_surface() {
    insta::assert_snapshot!("mock_surface", &mocks().surface);
}

#[test]
fn the_mocks_are_what_the_crate_compiles() {
    // build.rs wrote this file (the tests build the crate with `mock`) from the same inputs
    // with the same function.
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/mock.rs"));
    assert!(
        compiled == mocks().code,
        "OUT_DIR/mock.rs differs from the generated mocks"
    );
}

#[test]
fn renaming_a_query_parameter_upstream_renames_its_matcher() {
    // Upstream renames `pageSize` of the history to `limit`: a test that matches
    // `when.page_size(..)` no longer compiles, and the snapshot diff says why.
    let mut spec = document::parse(SPEC, "openapi.json").unwrap();
    let parameters = spec["paths"]["/v1/messages/history"]["get"]["parameters"]
        .as_array_mut()
        .unwrap();
    let page_size = parameters
        .iter_mut()
        .find(|parameter| parameter["name"] == "pageSize")
        .unwrap();
    page_size["name"] = "limit".into();
    let renamed = inputs().generate_mocks_from(&spec).unwrap().surface;

    assert_eq!(
        changed_lines(&mocks().surface, &renamed),
        [
            "+  when  limit<T>(value: T) where T: Into<Option<i64>>",
            "-  when  page_size<T>(value: T) where T: Into<Option<i64>>",
        ]
    );
}

#[test]
fn renaming_a_body_member_upstream_renames_its_matcher() {
    // Upstream renames `destinationNumber` of a send to `destination`. The shared model
    // (`design/models.yaml`) follows upstream: the `destination_number` matcher is gone, so a
    // test that matches it stops compiling, and `destination` takes its place...
    let mut spec = document::parse(SPEC, "openapi.json").unwrap();
    let body = &mut spec["paths"]["/v1/messages/send"]["post"]["requestBody"]["content"]["application/json"];
    let properties = body["schema"]["properties"].as_object_mut().unwrap();
    let member = properties.remove("destinationNumber").unwrap();
    properties.insert("destination".to_owned(), member);
    let example = body["example"].as_object_mut().unwrap();
    let value = example.remove("destinationNumber").unwrap();
    example.insert("destination".to_owned(), value);
    let renamed = inputs().generate_mocks_from(&spec).unwrap().surface;
    assert_eq!(
        changed_lines(&mocks().surface, &renamed),
        [
            "-  when  destination_number(value: impl Into<String>)",
            "+  when  destination(value: impl Into<String>)",
        ]
    );
    // ...while the design report names the table's description of the old member as stale...
    let report = inputs().generate_from(&spec).unwrap().prepared.design.stale;
    assert!(
        report.iter().any(|entry| entry.key == "SendMessageInput"
            && entry
                .message
                .contains("upstream removed `destinationNumber`")),
        "{report:#?}"
    );

    // ...until the table follows upstream (the reviewed step): the same mocks, nothing stale.
    let start = MODELS.find("\n  SendMessageInput:\n").unwrap();
    let member = start + MODELS[start..].find("      destinationNumber:").unwrap();
    let models = format!(
        "{}      destination:{}",
        &MODELS[..member],
        &MODELS[member + "      destinationNumber:".len()..]
    )
    // The send's destination group names the member too.
    .replace("required: [destinationNumber]", "required: [destination]");
    let mut followed = inputs();
    followed.design.models = ModelTable::parse("design/models.yaml", &models).unwrap();
    assert_eq!(
        followed.generate_mocks_from(&spec).unwrap().surface,
        renamed
    );
    let report = followed.generate_from(&spec).unwrap().prepared.design.stale;
    assert!(report.is_empty(), "{report:#?}");
}
