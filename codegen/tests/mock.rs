//! The typed mocks (`mock` feature) of small specs: what each rule makes of progenitor's
//! httpmock output.

use pilot_status_codegen::{Design, generate_mocks};
use serde_json::{Value, json};

/// Things: a route with a parameter and a literal sibling, a JSON body with two documented
/// successes, and a binary download.
fn things() -> Value {
    let error = json!({"description": "error", "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {"error": {"type": "string"}, "code": {"type": "string"}}
    }}}});
    let thing = json!({"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}
    }});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "things", "version": "1"},
        "servers": [{"url": "https://example.com"}],
        "paths": {
            "/v1/things": {"post": {
                "operationId": "post_things",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "note": {"type": "string"}}
                }}}},
                "responses": {
                    "200": {"description": "replayed", "content": {"application/json": {"schema": thing}}},
                    "201": {"description": "created", "content": {"application/json": {"schema": thing}}},
                    "400": error
                }
            }},
            "/v1/things/recent": {"get": {
                "operationId": "get_things_recent",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
            }},
            "/v1/things/{id}": {"get": {
                "operationId": "get_things_id",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": thing}}},
                    "404": error
                }
            }},
            "/v1/things/{id}/audio": {"get": {
                "operationId": "get_things_id_audio",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the recording", "content": {"audio/ogg": {
                    "schema": {"type": "string", "format": "binary"}
                }}}}
            }}
        }
    })
}

/// The generated code without its formatting, to search for token sequences.
fn compact(code: &str) -> String {
    code.split_whitespace().collect()
}

const SURFACE: &str = "\
mocks (4): server.<resource>().<method>(|when, then| ..), `use pilot_status::mock::prelude::*`

things.get_things_id  GET /v1/things/{id}
  mock  server.things().get_things_id(|when: GetThingsIdWhen, then: GetThingsIdThen| ..)
  when  id(value: &str)
  when  page<T>(value: T) where T: Into<Option<i64>>
  then  not_found(value: &types::ApiError)
  then  ok(value: &types::GetThingsIdResponse)
  then  success(status: u16, value: &types::GetThingsIdResponse)

things.get_things_id_audio  GET /v1/things/{id}/audio
  mock  server.things().get_things_id_audio(|when: GetThingsIdAudioWhen, then: GetThingsIdAudioThen| ..)
  when  id(value: &str)
  then  ok(content_type: &str, body: impl AsRef<[u8]>)
  then  success(status: u16, content_type: &str, body: impl AsRef<[u8]>)

things.get_things_recent  GET /v1/things/recent
  mock  server.things().get_things_recent(|when: GetThingsRecentWhen, then: GetThingsRecentThen| ..)
  then  ok(value: &types::GetThingsRecentResponse)
  then  success(status: u16, value: &types::GetThingsRecentResponse)

things.post_things  POST /v1/things
  mock  server.things().post_things(|when: PostThingsWhen, then: PostThingsThen| ..)
  when  body(value: &types::PostThingsBody)
  when  name(value: impl Into<String>)
  when  note(value: impl Into<String>)
  when  partial()
  then  bad_request(value: &types::ApiError)
  then  created(value: &types::PostThingsResponse)
  then  ok(value: &types::PostThingsResponse)
  then  success(status: u16, value: &types::PostThingsResponse)
";

#[test]
fn the_surface_has_a_matcher_per_parameter_and_member_and_an_answer_per_status() {
    let mocks = generate_mocks(&things(), &[], &Design::default()).unwrap();
    assert_eq!(mocks.surface, SURFACE);
}

#[test]
fn each_rule_leaves_its_mark_on_the_code() {
    let code = generate_mocks(&things(), &[], &Design::default())
        .unwrap()
        .code;
    let compact = compact(&code);
    assert!(code.starts_with("// @generated"));
    // resource_mocks: the designed resources replace progenitor's per-operation trait.
    assert!(compact.contains("pubtraitMockServerExt{"), "{code}");
    assert!(
        compact.contains("fnthings(&self)->resources::ThingsResource<'_>;"),
        "{code}"
    );
    assert!(!compact.contains("config_fn"), "{code}");
    // crate_private_constructors
    assert!(!code.contains("pub fn new"), "{code}");
    // encoded_path_values
    assert!(
        compact.contains("crate::mock::path_pattern(&value.to_string())"),
        "{code}"
    );
    // literal_routes_excluded: only the route with the parameter.
    assert_eq!(
        code.matches(".path_not(\"/v1/things/recent\")").count(),
        1,
        "{code}"
    );
    // binary_success
    assert!(
        compact.contains(".header(\"content-type\",content_type).body(body)"),
        "{code}"
    );
    // documented_successes
    assert!(compact.contains("self.success(201u16,value)"), "{code}");
    // body_member_matchers
    assert!(
        compact.contains("Self(self.0.body_member(\"name\",&value))"),
        "{code}"
    );
    assert!(compact.contains("Self(self.0.partial_body())"), "{code}");
    // recording_matchers: every `When` records what it requires.
    assert!(
        compact.contains("pubstructPostThingsWhen(pub(crate)crate::mock::Matcher);"),
        "{code}"
    );
    assert!(
        compact
            .contains("crate::mock::Matcher::new(inner,\"things.post_things\",\"POST/v1/things\","),
        "{code}"
    );
    // replies
    assert_eq!(
        code.matches("impl crate::mock::Reply for").count(),
        4,
        "{code}"
    );
}

#[test]
fn every_public_item_has_a_doc_sentence() {
    let code = generate_mocks(&things(), &[], &Design::default())
        .unwrap()
        .code;
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    for (index, line) in lines.iter().enumerate() {
        // The trait's declarations; its impl for `MockServer` shows their docs.
        let declaration = line.starts_with("fn ") && line.ends_with(';');
        let public = declaration
            || ["pub fn ", "pub struct ", "pub trait ", "pub mod "]
                .iter()
                .any(|start| line.starts_with(start));
        if !public {
            continue;
        }
        let documented = lines[..index]
            .iter()
            .rev()
            .find(|line| !line.starts_with("#["))
            .is_some_and(|line| line.starts_with("///"))
            || (line.starts_with("pub mod ")
                && lines
                    .get(index + 1)
                    .is_some_and(|next| next.starts_with("//!")));
        assert!(documented, "no doc on `{line}`");
    }
}

#[test]
fn the_remote_pairing_seed_generates_mocks() {
    let seed = pilot_status_codegen::document::parse(
        include_str!("fixtures/remote-pairing.json"),
        "fixture",
    )
    .unwrap();
    let mocks = generate_mocks(&seed, &[], &Design::default()).unwrap();
    assert!(
        mocks.surface.contains("then  created("),
        "{}",
        mocks.surface
    );
}
