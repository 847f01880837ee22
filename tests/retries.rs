//! The retry policy on the wire: what is retried, how many times, how long it waits.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::API_KEY;
use pilot_status::{Client, ErrorKind, ResponseExt, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Fast retries for tests: waits of at most 20 ms.
fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn ok_numbers() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(common::NUMBER_LIST, "application/json")
}

/// Answers `first` for the first `times` requests, then 200.
async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_numbers())
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_get_is_retried_after_a_server_error() {
    let server = failing_then_ok(ResponseTemplate::new(503), 2).await;
    let numbers = client(&server, quick())
        .numbers()
        .list()
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(numbers[0].id, "num_1");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn retries_stop_after_the_configured_number() {
    let server = failing_then_ok(ResponseTemplate::new(502), 10).await;
    let error = client(&server, quick().max_retries(3))
        .numbers()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(requests(&server).await, 4, "1 attempt + 3 retries");

    let server = failing_then_ok(ResponseTemplate::new(502), 10).await;
    client(&server, RetryPolicy::none())
        .numbers()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = failing_then_ok(
        ResponseTemplate::new(404).set_body_json(json!({"error": "x", "code": "NUMBER_NOT_FOUND"})),
        10,
    )
    .await;
    let error = client(&server, quick())
        .numbers()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_timed_out_get_is_retried() {
    let server = failing_then_ok(ok_numbers().set_delay(Duration::from_secs(3)), 1).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry_policy(quick())
        .build()
        .unwrap();
    client
        .numbers()
        .list()
        .send()
        .await
        .expect("the second attempt is fast");
    assert_eq!(requests(&server).await, 2);
}

/// The attempt's deadline ends it on time, on either runtime flavour, and the call says it
/// timed out (the deadline is kept by the SDK's own thread, not the runtime's timer). The
/// client runs on a runtime of its own in another thread; this test's workers serve the mock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_past_its_timeout_ends_as_a_timeout_soon_after_it() {
    for flavour in ["current_thread", "multi_thread"] {
        let server = failing_then_ok(ok_numbers().set_delay(Duration::from_secs(5)), 10).await;
        let client = Client::builder()
            .api_key(API_KEY)
            .base_url(server.uri())
            .timeout(Duration::from_millis(200))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let runtime = match flavour {
            "current_thread" => tokio::runtime::Builder::new_current_thread(),
            _ => tokio::runtime::Builder::new_multi_thread(),
        }
        .enable_all()
        .build()
        .unwrap();
        let started = Instant::now();
        let error = std::thread::spawn(move || {
            runtime.block_on(async { client.numbers().list().send().await.unwrap_err() })
        })
        .join()
        .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{flavour}: {error}");
        assert!(
            elapsed >= Duration::from_millis(200) && elapsed < Duration::from_secs(3),
            "{flavour}: {elapsed:?}"
        );
    }
}

#[tokio::test]
async fn waits_stay_within_the_backoff_bounds() {
    let server = failing_then_ok(ResponseTemplate::new(500), 10).await;
    let policy = RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(80));
    let bounds: Duration = (1..=3).map(|retry| policy.backoff_bound(retry)).sum();
    let started = Instant::now();
    client(&server, policy)
        .numbers()
        .list()
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(requests(&server).await, 4);
    // Full jitter: between no wait and the bounds (40 + 80 + 80 ms), plus request time.
    assert!(elapsed < bounds + Duration::from_millis(500), "{elapsed:?}");
}

#[tokio::test]
async fn a_429_waits_for_retry_after_in_seconds() {
    let server = failing_then_ok(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let started = Instant::now();
    client(&server, quick())
        .numbers()
        .list()
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_as_an_http_date() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = failing_then_ok(
        ResponseTemplate::new(429).insert_header("retry-after", at.as_str()),
        1,
    )
    .await;
    let started = Instant::now();
    client(&server, quick())
        .numbers()
        .list()
        .send()
        .await
        .unwrap();
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_429_asking_for_too_long_keeps_the_wait_in_the_error() {
    let server = failing_then_ok(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "120")
            .set_body_json(json!({"error": "Too many requests", "code": "RATE_LIMITED"})),
        10,
    )
    .await;
    let policy = quick().max_retry_after(Duration::from_secs(30));
    let error = client(&server, policy)
        .numbers()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(error.code(), Some("RATE_LIMITED"));
}

#[tokio::test]
async fn retry_after_seconds_in_the_body_is_kept_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).set_body_json(
            json!({"error": "slow", "code": "RESYNC_COOLDOWN", "retryAfterSeconds": 90}),
        ))
        .mount(&server)
        .await;
    let error = client(&server, quick())
        .lead_pages()
        .resync("lpl_1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(90)));
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_never_sent_twice() {
    // A send with automatic keys off, and a POST of an operation that takes no key.
    let no_keys = |server: &MockServer| {
        Client::builder()
            .api_key(API_KEY)
            .base_url(server.uri())
            .retry_policy(quick())
            .automatic_idempotency_keys(false)
            .build()
            .unwrap()
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = no_keys(&server)
        .messages()
        .send(common::text_message())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(requests(&server).await, 1);
    client(&server, quick())
        .numbers()
        .remote_pairing()
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 2, "once each");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    no_keys(&server)
        .messages()
        .send(common::text_message())
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1, "not even after a 429");
}

#[tokio::test]
async fn a_default_send_is_retried_under_one_key_and_the_error_names_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client(&server, quick())
        .messages()
        .send(common::text_message())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3, "1 attempt + 2 retries");
    let keys: Vec<&str> = received
        .iter()
        .map(|r| r.headers["idempotency-key"].to_str().unwrap())
        .collect();
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
    assert_eq!(
        error.idempotency_key(),
        Some(keys[0]),
        "repeat it later under this key"
    );
    assert!(received.iter().all(|r| r.body == received[0].body));

    // A key of yours wins, and is checked before anything is sent.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "id": "msg_1", "correlationId": "c", "status": "QUEUED",
            "createdAt": "2026-06-20T10:00:00Z", "origin": "API", "sourceNumber": null
        })))
        .mount(&server)
        .await;
    let sent = client(&server, quick())
        .messages()
        .send(common::text_message())
        .idempotency_key("order-42")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.idempotency_key(), Some("order-42"));
    for bad in ["", "order 42", &"k".repeat(256)] {
        let error = client(&server, quick())
            .messages()
            .send(common::text_message())
            .idempotency_key(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{bad:?}: {error}");
        assert!(error.to_string().contains("Idempotency-Key"), "{error}");
    }
    assert_eq!(requests(&server).await, 1, "invalid keys are never sent");
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .and(header("idempotency-key", "order-42"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .and(header("idempotency-key", "order-42"))
        .respond_with(ResponseTemplate::new(202).set_body_json(common::sent_message("msg_1")))
        .mount(&server)
        .await;
    let sent = client(&server, quick())
        .messages()
        .send(common::text_message())
        .idempotency_key("order-42")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(sent.id, "msg_1");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn put_and_delete_are_retried_but_patch_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server, quick());
    client
        .branding()
        .update()
        .send()
        .await
        .expect("PUT retried");
    client
        .templates()
        .delete("tpl_1")
        .send()
        .await
        .expect("DELETE retried");
    client.webhooks().update("wh_1").send().await.unwrap_err();
    let methods: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["PUT", "PUT", "DELETE", "DELETE", "PATCH"]);
}
