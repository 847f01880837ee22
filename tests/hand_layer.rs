//! The hand-written layer over the generated calls: lazy pagination streams, open enums,
//! `Idempotent-Replayed`, and the binary activation audio.

mod common;

use common::{API_KEY, client};
use futures_util::{StreamExt, TryStreamExt};
use pilot_status::{Error, Paginated, ResponseExt, types};
use serde_json::json;
use wiremock::matchers::{header, headers, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn history_page(page: i64, ids: &[&str], total_pages: i64) -> ResponseTemplate {
    let messages: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "text": format!("text of {id}")}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "messages": messages, "page": page, "pageSize": 2, "total": 5, "totalPages": total_pages
    }))
}

#[tokio::test]
async fn a_page_numbered_list_streams_every_item_and_fetches_lazily() {
    let server = MockServer::start().await;
    for (page, ids) in [
        (1, &["m1", "m2"][..]),
        (2, &["m3", "m4"][..]),
        (3, &["m5"][..]),
    ] {
        Mock::given(method("GET"))
            .and(path("/v1/messages/history"))
            .and(query_param("page", page.to_string()))
            .and(query_param("pageSize", "2"))
            .and(query_param("startDate", "2026-06-01T00:00:00.000Z"))
            .respond_with(history_page(page, ids, 3))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let mut stream = client
        .messages()
        .history()
        .start_date("2026-06-01T00:00:00.000Z")
        .page_size(2)
        .stream();

    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id, "m1");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "only the first page so far"
    );

    let rest: Vec<String> = stream.map_ok(|m| m.id).try_collect().await.unwrap();
    assert_eq!(rest, ["m2", "m3", "m4", "m5"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_list_without_total_pages_ends_at_an_empty_page() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages/unread"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"messages": [{"id": "m1"}]})))
        .mount(&server)
        .await;
    Mock::given(path("/v1/messages/unread"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"messages": []})))
        .expect(1)
        .mount(&server)
        .await;
    let unread: Vec<_> = client(&server)
        .messages()
        .unread()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(unread.len(), 1);
}

#[tokio::test]
async fn calls_follow_the_before_cursor() {
    let server = MockServer::start().await;
    let call = |id: &str, at: &str| {
        common::documented_item("calls.list", "calls", json!({"id": id, "createdAt": at}))
    };
    Mock::given(path("/v1/calls"))
        .and(query_param_is_missing("before"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"calls": [
            call("call_3", "2026-07-03T15:00:00.000Z"), call("call_2", "2026-07-02T15:00:00.000Z")
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/calls"))
        .and(query_param("before", "2026-07-02T15:00:00.000Z"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"calls": [call("call_1", "2026-07-01T15:00:00.000Z")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/calls"))
        .and(query_param("before", "2026-07-01T15:00:00.000Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"calls": []})))
        .expect(1)
        .mount(&server)
        .await;
    let calls: Vec<String> = client(&server)
        .calls()
        .list()
        .limit(2)
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(calls, ["call_3", "call_2", "call_1"]);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "1"))
        .respond_with(history_page(1, &["m1"], 2))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error": "down", "code": "UPSTREAM_ERROR"})),
        )
        .mount(&server)
        .await;
    let items: Vec<Result<_, Error>> = client(&server).messages().unread().stream().collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(
        items[1].as_ref().unwrap_err().code(),
        Some("UPSTREAM_ERROR")
    );
}

/// A `GET /v1/messages/{id}` answer with this id and status.
fn message(id: &str, status: &str) -> serde_json::Value {
    let mut message = common::documented_example("messages.get");
    message["id"] = json!(id);
    message["status"] = json!(status);
    message
}

#[tokio::test]
async fn enum_values_the_client_does_not_know_still_decode() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages/msg_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message("msg_1", "SCHEDULED")))
        .mount(&server)
        .await;
    Mock::given(path("/v1/messages/msg_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message("msg_2", "READ")))
        .mount(&server)
        .await;
    let client = client(&server);
    let unknown = client
        .messages()
        .get("msg_1")
        .send()
        .await
        .unwrap()
        .into_inner();
    let status = unknown.status;
    assert_eq!(
        status,
        types::MessageStatus::Unknown("SCHEDULED".to_owned())
    );
    assert_eq!(status.to_string(), "SCHEDULED");
    let known = client
        .messages()
        .get("msg_2")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(known.status, types::MessageStatus::Read);
    // Values a program builds are still checked.
    assert!("SCHEDULED".parse::<types::MessageStatus>().is_err());
}

#[tokio::test]
async fn a_replayed_send_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .and(header("idempotency-key", "order-42"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Idempotent-Replayed", " TRUE ")
                .set_body_json(common::sent_message("msg_1")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .respond_with(ResponseTemplate::new(202).set_body_json(common::sent_message("msg_2")))
        .mount(&server)
        .await;
    let client = client(&server);
    let replayed = client
        .messages()
        .send(common::text_message())
        .idempotency_key("order-42")
        .send()
        .await
        .unwrap();
    assert!(replayed.idempotent_replayed());
    let fresh = client
        .messages()
        .send(common::text_message())
        .send()
        .await
        .unwrap();
    assert!(!fresh.idempotent_replayed());
}

#[tokio::test]
async fn a_replayed_verification_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/phone-lines/verification"))
        .and(header("idempotency-key", "kyc-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("idempotent-replayed", "true")
                .set_body_json(
                    json!({"status": "IN_REVIEW", "canPurchase": true, "verification": null}),
                ),
        )
        .mount(&server)
        .await;
    let state = client(&server)
        .phone_lines()
        .verification()
        .start(
            "kyc-1",
            types::StartVerificationInput::builder()
                .document_type(types::DocumentType::Cpf)
                .document_number("12345678909")
                .contact_email("ana@acme.com")
                .contact_whatsapp("+5511999999999")
                .document("data:application/pdf;base64,JVBERi0=")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(state.idempotent_replayed());
    assert_eq!(state.status, types::VerificationStatus::InReview);
}

#[tokio::test]
async fn a_missing_activation_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/phone-lines/activations/act%2F1/audio"))
        // wiremock splits comma-separated header values.
        .and(headers("accept", vec!["audio/*", "application/json"]))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"error": "Activation not found", "code": "ACTIVATION_NOT_FOUND"}),
        ))
        .mount(&server)
        .await;
    let error = client(&server)
        .phone_lines()
        .get_activation_audio("act/1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.code(), Some("ACTIVATION_NOT_FOUND"));
}

#[tokio::test]
async fn a_call_from_a_temporary_client_streams_and_a_built_call_moves_into_a_task() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/messages/history"))
        .and(header("x-whatsapp-number-id", "num_7"))
        .respond_with(history_page(1, &["m1", "m2"], 1))
        .mount(&server)
        .await;
    // `with_number` returns a temporary client; the stream owns what it needs.
    let stream = client(&server)
        .with_number("num_7")
        .messages()
        .history()
        .stream();
    let ids: Vec<String> = stream.map_ok(|m| m.id).try_collect().await.unwrap();
    assert_eq!(ids, ["m1", "m2"]);

    // A built call is `'static + Send`: it moves into a task.
    let call = client(&server).with_number("num_7").messages().history();
    let page = tokio::spawn(call.send()).await.unwrap().unwrap();
    assert_eq!(page.messages.len(), 2);
}
