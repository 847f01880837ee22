//! Accepted means succeeded: a success body or a signed webhook that differs from the SDK's
//! types is read as far as it fits, its deviations named, and the call (or delivery) still
//! succeeds; `strict_responses(true)` and `Webhooks::strict(true)` bring the error back.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use common::{API_KEY, documented_example, text_message};
use pilot_status::mock::webhooks::{SignedDelivery, inbound_message};
use pilot_status::webhooks::{Event, NumberWebhooks, ParseError, VerifiedEvent, WebhookError};
use pilot_status::{Client, ErrorKind, ResponseExt};
use serde_json::{Value, json};
use tower::ServiceExt;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "whsec_tolerant_reading";

/// A server answering every request with `status` and `body`, and a client of it.
async fn serving(status: u16, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let client = common::client(&server);
    (server, client)
}

fn strict(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .strict_responses(true)
        .build()
        .expect("a valid configuration")
}

/// The deviations as their display strings.
fn shown(deviations: &[pilot_status::Deviation]) -> Vec<String> {
    deviations.iter().map(ToString::to_string).collect()
}

/// The docs' 202 of a send, without `correlationId` and `origin`, `createdAt` a number.
fn odd_send_answer() -> Value {
    let mut body = documented_example("messages.send");
    let members = body.as_object_mut().expect("an object");
    members.remove("correlationId");
    members.remove("origin");
    members.insert("createdAt".to_owned(), json!(1_781_949_600_000_u64));
    body
}

#[tokio::test]
async fn an_accepted_send_whose_answer_differs_succeeds_with_its_deviations() {
    let (server, client) = serving(202, odd_send_answer()).await;
    let sent = client
        .messages()
        .send(text_message())
        .await
        .expect("the API accepted the send: the call succeeds");

    assert_eq!(sent.status(), 202);
    assert_eq!(sent.id, "msg_01HZX...", "what fits is read");
    assert_eq!(sent.correlation_id, "", "a missing member reads as empty");
    assert_eq!(
        sent.created_at, None,
        "a value that is no instant reads as none: no instant is invented"
    );
    let deviations = shown(sent.deviations());
    assert!(
        deviations.contains(&"$.correlationId: missing, expected a string".to_owned()),
        "{deviations:?}"
    );
    assert!(
        deviations.contains(
            &"$.createdAt: expected an RFC 3339 instant (ISO 8601), found 1781949600000".to_owned()
        ),
        "{deviations:?}"
    );
    assert!(!sent.is_exact());
    assert_eq!(sent.received(), Some(&odd_send_answer()));
    // The send can be followed up (or repeated safely) under the key it went with.
    assert!(sent.idempotency_key().is_some());

    // Strict: the same answer is an error again, one that says the API accepted the call.
    let error = strict(&server)
        .messages()
        .send(text_message())
        .await
        .expect_err("strict reading refuses the answer");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.accepted());
    assert!(error.idempotency_key().is_some());
    assert!(
        error.to_string().contains("correlationId"),
        "the error names what did not fit: {error}"
    );
}

#[tokio::test]
async fn a_list_with_odd_items_keeps_every_item() {
    let example = documented_example("numbers.list");
    let mut unnamed = example[0].clone();
    unnamed.as_object_mut().expect("an object").remove("name");
    let mut odd = example[0].clone();
    odd["id"] = json!("num_2");
    odd["isFullyConnected"] = json!("yes");
    let (_server, client) = serving(200, json!([example[0], unnamed, odd])).await;

    let numbers = client.numbers().list().await.expect("the list succeeds");
    assert_eq!(numbers.len(), 3, "no item is dropped");
    assert_eq!(numbers[1].name, "");
    assert_eq!(numbers[1].id, example[0]["id"]);
    assert_eq!(numbers[2].id, "num_2");
    assert!(!numbers[2].is_fully_connected);
    assert_eq!(
        shown(numbers.deviations()),
        [
            "$[1].name: missing, expected a string",
            "$[2].isFullyConnected: expected a boolean, found \"yes\"",
        ]
    );
    assert_eq!(numbers.deviations()[1].pointer(), "/2/isFullyConnected");
    assert_eq!(numbers.deviations()[1].found(), Some(&json!("yes")));
}

#[tokio::test]
async fn a_missing_id_is_named_as_the_objects_own() {
    let mut body = documented_example("messages.send");
    body.as_object_mut().expect("an object").remove("id");
    let (_server, client) = serving(202, body).await;
    let sent = client
        .messages()
        .send(text_message())
        .await
        .expect("accepted");
    assert_eq!(sent.id, "");
    let [deviation] = sent.deviations() else {
        panic!("one deviation: {:?}", sent.deviations())
    };
    assert!(deviation.is_id() && deviation.is_missing());
    assert_eq!(
        deviation.to_string(),
        "$.id: missing, expected a string (the object's own id: read as empty)"
    );
    assert!(
        sent.idempotency_key().is_some(),
        "the handle to follow it up"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_stays_an_error() {
    for body in ["", "<html>maintenance</html>"] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(202).set_body_string(body))
            .mount(&server)
            .await;
        let client = common::client(&server);
        let error = client
            .messages()
            .send(text_message())
            .await
            .expect_err("nothing to read");
        assert_eq!(error.kind(), ErrorKind::Decode, "{body:?}");
        assert!(error.accepted() && error.idempotency_key().is_some());
        assert_eq!(error.body().map(|b| b.as_ref()), Some(body.as_bytes()));
    }
}

#[tokio::test]
async fn an_exact_body_has_no_deviations() {
    let (_server, client) = serving(202, documented_example("messages.send")).await;
    let sent = client.messages().send(text_message()).await.unwrap();
    assert!(sent.is_exact() && sent.deviations().is_empty() && sent.received().is_none());
}

/// A signed `message.received` whose `data` has no `from`.
fn received_without_from() -> SignedDelivery {
    let mut body = serde_json::to_value(Event::MessageReceived(inbound_message())).unwrap();
    body["data"].as_object_mut().expect("data").remove("from");
    SignedDelivery::from_body(SECRET, serde_json::to_vec(&body).unwrap())
}

#[test]
fn a_signed_event_without_a_member_is_delivered_with_its_deviation() {
    let delivery = received_without_from();
    let webhooks = NumberWebhooks::new(SECRET).unwrap();
    let read = webhooks
        .verify_and_parse(Some(delivery.signature()), delivery.body())
        .expect("signed: read as far as it fits");
    let Event::MessageReceived(message) = &read.event else {
        panic!("not a message.received: {read:?}")
    };
    assert_eq!(message.from, "");
    assert_eq!(message.message.content, inbound_message().message.content);
    assert_eq!(
        shown(&read.deviations),
        ["$.data.from: missing, expected a string"]
    );

    let strict = NumberWebhooks::new(SECRET).unwrap().strict(true);
    assert!(matches!(
        strict.verify_and_parse(Some(delivery.signature()), delivery.body()),
        Err(WebhookError::Parse(ParseError::Payload { .. }))
    ));
    // A wrong signature is still refused, whatever the body.
    assert!(matches!(
        webhooks.verify_and_parse(Some(&"0".repeat(64)), delivery.body()),
        Err(WebhookError::Signature(_))
    ));
}

#[tokio::test]
async fn the_extractor_passes_a_signed_event_on_with_its_deviations() {
    async fn handler(VerifiedEvent { event, deviations }: VerifiedEvent<Event>) -> String {
        format!("{} {}", event.name(), shown(&deviations).join("; "))
    }
    let app = |webhooks: NumberWebhooks| {
        Router::new()
            .route("/hooks", post(handler))
            .with_state(webhooks)
    };
    async fn answer(router: Router, signature: String) -> (StatusCode, String) {
        let request = Request::post("/hooks")
            .header("x-pilot-status-signature", signature)
            .body(Body::from(received_without_from().body().clone()))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
    let signature = received_without_from().signature().to_owned();
    let webhooks = NumberWebhooks::new(SECRET).unwrap();
    assert_eq!(
        answer(app(webhooks.clone()), signature.clone()).await,
        (
            StatusCode::OK,
            "message.received $.data.from: missing, expected a string".to_owned()
        )
    );
    let (status, _) = answer(app(webhooks.clone().strict(true)), signature).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = answer(app(webhooks), "0".repeat(64)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_list_page_keeps_its_deviations() {
    use futures_util::TryStreamExt as _;
    use pilot_status::Paginated as _;

    let mut page = documented_example("messages.history");
    page["totalPages"] = json!(1);
    page["messages"][0]["direction"] = json!(7);
    let (_server, client) = serving(200, page).await;
    let pages: Vec<_> = client
        .messages()
        .history()
        .pages()
        .try_collect()
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    assert_eq!(
        shown(&pages[0].deviations),
        ["$.messages[0].direction: expected a Direction value, found 7"]
    );
    // The item stream reads the same page.
    let items: Vec<_> = client
        .messages()
        .history()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), pages[0].items.len());
}

#[tokio::test]
async fn an_instant_that_does_not_parse_reads_as_none_and_keeps_its_text() {
    // `createdAt` is required in the send's answer, `updatedAt` optional in a number: neither
    // becomes a made-up instant, and the text that came is the deviation's `found`.
    let mut sent_body = documented_example("messages.send");
    sent_body["createdAt"] = json!("yesterday");
    let (server, client) = serving(202, sent_body).await;
    let sent = client
        .messages()
        .send(text_message())
        .await
        .expect("the API accepted the send: the call succeeds");
    assert_eq!(sent.created_at, None);
    assert_eq!(sent.id, "msg_01HZX...", "what fits is read");
    let [deviation] = sent.deviations() else {
        panic!("one deviation: {:?}", sent.deviations())
    };
    assert_eq!(deviation.path(), "$.createdAt");
    assert_eq!(deviation.expected(), "an RFC 3339 instant (ISO 8601)");
    assert_eq!(deviation.found(), Some(&json!("yesterday")));
    let error = strict(&server)
        .messages()
        .send(text_message())
        .await
        .expect_err("strict reading refuses the answer");
    assert_eq!(error.kind(), ErrorKind::Decode);

    // A required instant left out, or `null`, reads as none too, and is named.
    for (change, found) in [(None, None), (Some(Value::Null), Some(Value::Null))] {
        let mut body = documented_example("messages.send");
        match change {
            Some(value) => body["createdAt"] = value,
            None => drop(body.as_object_mut().expect("an object").remove("createdAt")),
        }
        let (_server, client) = serving(202, body).await;
        let sent = client.messages().send(text_message()).await.expect("read");
        assert_eq!(sent.created_at, None);
        let [deviation] = sent.deviations() else {
            panic!("one deviation: {:?}", sent.deviations())
        };
        assert_eq!(deviation.path(), "$.createdAt");
        assert_eq!(deviation.found(), found.as_ref());
    }

    let mut number = documented_example("numbers.get");
    number["updatedAt"] = json!("2026-06-20 10:00");
    let (_server, client) = serving(200, number.clone()).await;
    let read = client
        .numbers()
        .get("num_1")
        .await
        .expect("the call succeeds");
    assert_eq!(read.updated_at, None);
    assert_eq!(read.id, number["id"]);
    assert_eq!(
        shown(read.deviations()),
        ["$.updatedAt: expected an RFC 3339 instant (ISO 8601), found \"2026-06-20 10:00\""]
    );
}

#[test]
fn a_signed_event_whose_instant_does_not_parse_is_delivered_with_its_deviation() {
    let mut body = serde_json::to_value(Event::MessageReceived(inbound_message())).unwrap();
    body["data"]["createdAt"] = json!(1_781_949_600);
    let delivery = SignedDelivery::from_body(SECRET, serde_json::to_vec(&body).unwrap());
    let read = NumberWebhooks::new(SECRET)
        .unwrap()
        .verify_and_parse(Some(delivery.signature()), delivery.body())
        .expect("signed: read as far as it fits");
    let Event::MessageReceived(message) = &read.event else {
        panic!("not a message.received: {read:?}")
    };
    assert_eq!(message.message.created_at, None);
    assert_eq!(message.message.content, inbound_message().message.content);
    let [deviation] = read.deviations.as_slice() else {
        panic!("one deviation: {:?}", read.deviations)
    };
    assert_eq!(deviation.path(), "$.data.createdAt");
    assert_eq!(deviation.found(), Some(&json!(1_781_949_600)));
}
