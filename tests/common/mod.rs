//! Shared helpers of the wire tests: every test talks to a server it starts on 127.0.0.1.
#![allow(dead_code)]

use pilot_status::Client;
use wiremock::MockServer;

/// The API key the tests use; no test output may contain it.
pub const API_KEY: &str = "ps_test_0123456789abcdef";

/// A client for `server`, authenticated with [`API_KEY`].
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("a valid test configuration")
}

/// Header names of the one request `server` received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// A loopback address nothing listens on.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

/// A complete `202` answer of `messages().send(..)` (every member the official SDK types as
/// always present).
pub fn sent_message(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "correlationId": format!("corr_{id}"),
        "status": "QUEUED",
        "createdAt": "2026-06-01T12:00:00.000Z",
        "origin": "Loja Acme",
        "sourceNumber": "+5511999990000"
    })
}

/// A message to send, as most tests need one.
pub fn text_message() -> pilot_status::types::SendMessageInput {
    pilot_status::types::SendDestination::contact("+5511988887777").text("Olá")
}

/// A complete `GET /v1/numbers` answer with one number.
pub const NUMBER_LIST: &str = r#"[{"id":"num_1","instanceName":"acme-1","number":"5511999990000","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-02T00:00:00.000Z","name":"Suporte","apiKeys":[],"isFullyConnected":true}]"#;

/// A complete `202` answer of `messages().send(..)`, as text.
pub const SENT_MESSAGE: &str = r#"{"id":"msg_1","correlationId":"corr_1","status":"QUEUED","createdAt":"2026-06-01T12:00:00.000Z","origin":"Loja Acme","sourceNumber":null}"#;

/// The corrected, normalised document the client was generated from, read once per test
/// binary.
pub fn prepared_document() -> &'static serde_json::Value {
    use std::sync::OnceLock;
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = pilot_status_codegen::Inputs::read(root).expect("the spec reads");
        pilot_status_codegen::prepare(&inputs.spec, &inputs.overlays, &inputs.design)
            .expect("the spec prepares")
            .document
    })
}

/// The designed name of an operation: `resource.method` (`phone_lines.verification.start`).
pub fn designed_name(operation: &serde_json::Value) -> String {
    format!(
        "{}.{}",
        operation["x-pilot-resource"].as_str().unwrap_or_default(),
        operation["x-pilot-method"].as_str().unwrap_or_default()
    )
}

/// `(HTTP method, path template, operation)` of the operation with the designed name `name`.
pub fn operation_named(name: &str) -> (String, String, &'static serde_json::Value) {
    let paths = prepared_document()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            if operation.is_object() && designed_name(operation) == name {
                return (method.to_ascii_uppercase(), path.clone(), operation);
            }
        }
    }
    panic!("no operation {name} in the spec")
}

/// The documented success example of an operation (by its designed name, `leads.list`),
/// from the corrected spec the client was generated from: a realistic body to answer with.
pub fn documented_example(name: &str) -> serde_json::Value {
    let (_, _, operation) = operation_named(name);
    operation["responses"]["2XX"]["content"]["application/json"]["example"].clone()
}

/// The first item of the documented example's list `member`, with `changes` merged in.
pub fn documented_item(name: &str, member: &str, changes: serde_json::Value) -> serde_json::Value {
    let mut item = documented_example(name)[member][0].clone();
    if let (Some(item), Some(changes)) = (item.as_object_mut(), changes.as_object()) {
        for (key, value) in changes {
            item.insert(key.clone(), value.clone());
        }
    }
    item
}
