//! The generated public surface and code, pinned with insta snapshots.
//!
//! When `openapi.json` (or the normaliser, or progenitor) changes, these fail with a diff:
//! review it with `cargo insta review` (or `cargo insta test --review`), accept it, and
//! commit the spec with the snapshots. CI never writes snapshots.

use std::path::Path;

use pilot_status_spec::{Generated, Inputs, document};

const SPEC: &str = include_str!("../openapi.json");

fn inputs() -> Inputs {
    Inputs::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("openapi.json and overlays/ read")
}

fn generated() -> Generated {
    inputs().generate().expect("openapi.json generates")
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
    // `name` stays: `design/models.yaml` declares it, and sync-spec reports the model as
    // lacking `fullName` until someone updates the table.
    assert_eq!(changed, ["+  fullName -> full_name: Option<String>"]);
    let stale = inputs().generate_from(&spec).unwrap().prepared.design.stale;
    assert!(
        stale
            .iter()
            .any(|entry| entry.key == "RemotePairingInput" && entry.message.contains("`fullName`")),
        "{stale:#?}"
    );
}
