//! Per-call options (`CallOptions`: timeout, retry policy, extra headers) on a sample of
//! resources and methods, against servers on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::API_KEY;
use pilot_status::prelude::*;
use pilot_status::{CallOptions, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
        .build()
        .expect("a valid configuration")
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// One call of each sample method, each given `options`, sent.
async fn sample<F>(client: &Client, options: F) -> Vec<(&'static str, Result<(), Error>)>
where
    F: Fn(
        &str,
    ) -> (
        Option<Duration>,
        Option<RetryPolicy>,
        Vec<(&'static str, &'static str)>,
    ),
{
    macro_rules! with_options {
        ($name:literal, $call:expr) => {{
            let (timeout, policy, headers) = options($name);
            let mut call = $call;
            if let Some(timeout) = timeout {
                call = call.timeout(timeout);
            }
            if let Some(policy) = policy {
                call = call.retry_policy(policy);
            }
            for (name, value) in headers {
                call = call.header(name, value);
            }
            ($name, call.send().await.map(drop))
        }};
    }
    vec![
        with_options!("numbers.list", client.numbers().list()),
        with_options!(
            "messages.send",
            client.messages().send(common::text_message())
        ),
        with_options!("calls.list", client.calls().list().limit(5)),
        with_options!("webhooks.update", client.webhooks().update("wh_1")),
        with_options!("templates.delete", client.templates().delete("tpl_1")),
        with_options!(
            "phone_lines.verification.get",
            client.phone_lines().verification().get()
        ),
    ]
}

#[tokio::test]
async fn a_header_reaches_the_wire_on_every_sampled_call() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-id", "req-7f3a"))
        .and(header("x-trace", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let results = sample(&client, |_| {
        (
            None,
            None,
            vec![
                ("X-Request-Id", "req-7f3a"),
                ("x-trace", "a"),
                ("x-trace", "b"),
            ],
        )
    })
    .await;
    for (name, result) in &results {
        // Every sampled call matched the mock (a 404 otherwise); a `{}` body may not decode.
        if let Err(error) = result {
            assert!(error.accepted(), "{name}: {error}");
        }
    }
    assert_eq!(requests(&server).await, results.len());
    // The client itself is untouched: the next call sends no extra header.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    client.numbers().list().send().await.expect("a plain call");
    let last = server.received_requests().await.unwrap_or_default();
    assert!(last[0].headers.get("x-request-id").is_none());
}

#[tokio::test]
async fn headers_the_sdk_owns_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (name, value) in [
        ("x-api-key", "ps_someone_else"),
        ("X-Api-Key-Id", "key_1"),
        ("connection", "close"),
        ("transfer-encoding", "chunked"),
        ("host", "elsewhere.example"),
        ("not a name", "x"),
        ("x-note", "line\nbreak"),
    ] {
        let results = sample(&client, |_| (None, None, vec![(name, value)])).await;
        for (call, result) in results {
            let error = result.expect_err("refused");
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidRequest,
                "{call} {name}: {error}"
            );
            assert!(!error.to_string().contains("ps_"), "{error}");
        }
    }
    assert_eq!(requests(&server).await, 0, "nothing was sent");
}

#[tokio::test]
async fn a_call_timeout_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let started = Instant::now();
    let results = sample(&client, |_| {
        (
            Some(Duration::from_millis(100)),
            Some(RetryPolicy::none()),
            vec![],
        )
    })
    .await;
    for (name, result) in &results {
        let error = result.as_ref().expect_err("timed out");
        assert!(error.is_timeout(), "{name}: {error}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "each call gave up after 100 ms, not the client's 30 s ({:?})",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_call_retry_policy_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let results = sample(&client, |name| {
        let policy = match name {
            "numbers.list" | "messages.send" => RetryPolicy::none(),
            _ => RetryPolicy::default()
                .max_retries(4)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        };
        (None, Some(policy), vec![])
    })
    .await;
    for (name, result) in &results {
        assert_eq!(
            result.as_ref().unwrap_err().kind(),
            ErrorKind::Server,
            "{name}"
        );
    }
    // Two calls with no retries; three with four (5 attempts each); the PATCH of
    // `webhooks.update` has no key, so no policy sends it twice: 2 + 3 × 5 + 1.
    assert_eq!(requests(&server).await, 2 + 3 * 5 + 1);
    // The client's own policy (2 retries) still holds for the next call.
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let _ = client.numbers().list().send().await;
    assert_eq!(requests(&server).await, 3);
}
