//! The whole pipeline on small specs: what it produces, and how it fails.

use pilot_status_codegen::{Design, SpecError, document, generate_client, prepare};
use serde_json::{Value, json};

/// Upstream's remote-pairing page, as published (OpenAPI 3.1.0).
fn seed() -> Value {
    document::parse(include_str!("fixtures/remote-pairing.json"), "fixture").unwrap()
}

fn seed_operation(spec: &mut Value) -> &mut Value {
    &mut spec["paths"]["/v1/numbers/remote-pairing"]["post"]
}

#[test]
fn the_seed_generates_a_typed_client() {
    let code = generate_client(&seed(), &[], &Design::default()).unwrap();
    assert!(code.starts_with("// @generated"));
    assert!(code.contains("pub fn post_numbers_remote_pairing(&self)"));
    assert!(code.contains("pub struct PostNumbersRemotePairingResponse"));
    for field in [
        "provider",
        "remote_pairing_token",
        "remote_pairing_url",
        "number_id",
    ] {
        assert!(
            code.contains(&format!(
                "pub {field}: ::std::option::Option<::std::string::String>"
            )),
            "{field}"
        );
    }
    assert!(code.contains("pub struct ApiError"));
    assert!(code.contains("pub send_via_whats_app: ::std::option::Option<bool>"));
    assert!(code.contains("pub link_to_api_key: ::std::option::Option<bool>"));
    assert!(!code.contains("api-version"));
    assert!(!code.contains("ErrorResponse"));
    assert!(code.contains("crate::Error"));
    assert!(code.contains("pub const DEFAULT_BASE_URL: &str = \"https://pilotstatus.com.br\";"));
}

#[test]
fn the_seed_needs_these_rules() {
    let prepared = prepare(&seed(), &[], &Design::default()).unwrap();
    let mut rules: Vec<&str> = prepared.notes.iter().map(|note| note.rule).collect();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "openapi_version",
            "example_types",
            "operation_ids",
            "infer_schemas",
            "shared_api_error",
            "single_success_response"
        ]
    );
    let responses = &prepared.document["paths"]["/v1/numbers/remote-pairing"]["post"]["responses"];
    assert_eq!(responses["2XX"]["x-documented-statuses"], json!(["201"]));
    assert_eq!(
        responses["429"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/ApiError"})
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generate_client(&seed(), &[], &Design::default()).unwrap(),
        generate_client(&seed(), &[], &Design::default()).unwrap()
    );
}

#[test]
fn an_invalid_schema_type_names_the_operation_and_the_pointer() {
    let mut spec = seed();
    seed_operation(&mut spec)["requestBody"]["content"]["application/json"]["schema"]["properties"]
        ["name"]["type"] = json!("strnig");
    let error = generate_client(&spec, &[], &Design::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "operation `post_numbers_remote-pairing` at /paths/~1v1~1numbers~1remote-pairing/post/requestBody/content/application~1json/schema/properties/name/type: \
         unknown schema type \"strnig\" (expected one of string, number, integer, boolean, array, object)"
    );
}

#[test]
fn a_structural_error_names_where_the_model_stops() {
    let mut spec = seed();
    seed_operation(&mut spec)["requestBody"]["required"] = json!("yes");
    let error = generate_client(&spec, &[], &Design::default()).unwrap_err();
    let SpecError::Model { location, .. } = &error else {
        panic!("expected a model error, got {error}");
    };
    assert_eq!(
        location.operation.as_deref(),
        Some("post_numbers_remote_pairing")
    );
    assert!(
        location
            .pointer
            .starts_with("/paths/~1v1~1numbers~1remote-pairing/post"),
        "{error}"
    );
}

#[test]
fn a_generator_failure_is_traced_to_its_operation() {
    let mut spec = seed();
    spec["paths"]["/v1/upload"] = json!({"post": {
        "operationId": "post_upload",
        "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "integer"}}}},
        "responses": {"204": {"description": "stored"}}
    }});
    let error = generate_client(&spec, &[], &Design::default()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with(
            "code generation failed for operation `post_upload` at /paths/~1v1~1upload/post: "
        ),
        "{message}"
    );
    assert!(message.contains("application/octet-stream"), "{message}");
}

#[test]
fn path_parameters_go_through_the_checked_encoder() {
    let mut spec = seed();
    spec["paths"]["/v1/numbers/{id}/connect"] = json!({"get": {
        "operationId": "get_numbers_id_connect",
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "link", "in": "query", "required": false, "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"example": {"qr": "data:..."}}}}}
    }});
    let code = generate_client(&spec, &[], &Design::default()).unwrap();
    let compact: String = code.split_whitespace().collect();
    assert!(compact.contains("usecrate::path::encode_path;"), "{code}");
    assert!(compact.contains("encode_path(&id.to_string())?"), "{code}");
    assert!(code.contains("pub fn get_numbers_id_connect(&self)"));
}

#[test]
fn a_spec_without_servers_has_no_default_base_url() {
    let mut spec = seed();
    spec.as_object_mut().unwrap().remove("servers");
    let message = generate_client(&spec, &[], &Design::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "/servers: the spec names no server; the client needs a default base URL"
    );
}

#[test]
fn a_multipart_body_generates_as_its_json_twin_sent_as_a_form() {
    let mut spec = seed();
    let body = &mut seed_operation(&mut spec)["requestBody"]["content"];
    let mut media = body["application/json"].take();
    media["schema"]["properties"]["logo"] = json!({"type": "string", "format": "binary"});
    *body = json!({ "multipart/form-data": media });
    let generated = pilot_status_codegen::generate(&spec, &[], &Design::default()).unwrap();
    // The call takes the same typed body (with the file as text: a `data:` URI)...
    assert!(
        generated
            .code
            .contains("pub logo: ::std::option::Option<::std::string::String>")
    );
    // ...and the client sends it as a form, the file member as a file part.
    assert!(
        generated.code.contains(
            "pub(crate) const MULTIPART_BODIES: &[(&str, &[&str])] = &[\n    (\"numbers.post_numbers_remote_pairing\", &[\"logo\"]),\n];"
        ),
        "{}",
        &generated.code[generated.code.find("MULTIPART_BODIES").unwrap_or(0)..][..300]
    );
    let surface = generated.surface.to_string();
    assert!(
        surface.contains("(multipart/form-data, optional)"),
        "{surface}"
    );
}
