//! `openapi.json` is upstream's document, stored canonically.

use pilot_status_codegen::document;

const SPEC: &str = include_str!("../openapi.json");

#[test]
fn openapi_json_is_canonical() {
    let parsed = document::parse(SPEC, "openapi.json").unwrap();
    assert!(
        document::to_canonical_string(&parsed) == SPEC,
        "openapi.json is not in canonical form (sorted keys, 2-space indent, trailing newline); \
         rewrite it with `cargo xtask sync-spec`"
    );
}

#[test]
fn openapi_json_is_upstream_3_1() {
    let parsed = document::parse(SPEC, "openapi.json").unwrap();
    assert!(parsed["openapi"].as_str().unwrap().starts_with("3.1."));
}
