//! Each request runs in a `pilot_status.request` span; nothing it records holds the key.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::API_KEY;
use pilot_status::{Client, ResponseExt, RetryPolicy};
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_are_traced_without_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    client.numbers().list().send().await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("pilot_status.request"), "{output}");
    assert!(output.contains("operation=\"numbers.list\""), "{output}");
    assert!(output.contains("method=GET"), "{output}");
    assert!(output.contains("path=\"/v1/numbers\""), "{output}");
    assert!(output.contains("retrying"), "{output}");
    assert!(output.contains("attempts=2"), "{output}");
    assert!(output.contains("status=200"), "{output}");
    assert!(output.contains("latency_ms="), "{output}");
    assert!(!output.contains(API_KEY), "{output}");
    assert!(
        !output.contains("idempotency_key"),
        "a GET has no key: {output}"
    );

    // A send's span names the key it was sent (and retried) under.
    captured.0.lock().unwrap().clear();
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "id": "msg_1", "correlationId": "c", "status": "QUEUED",
            "createdAt": "2026-06-20T10:00:00Z", "origin": "API", "sourceNumber": null
        })))
        .mount(&server)
        .await;
    let sent = client
        .messages()
        .send(common::text_message())
        .send()
        .await
        .unwrap();
    let key = sent.idempotency_key().expect("a key").to_owned();
    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        output.contains(&format!("idempotency_key=\"{key}\"")),
        "{output}"
    );
    assert!(output.contains("attempts=2"), "{output}");
    assert!(!output.contains(API_KEY), "{output}");
}

/// Tolerant reading logs each deviation once per operation and place, with the JSON type of
/// what came, never the value. (Here rather than in `tolerant_reading.rs`: every test of this
/// binary installs a subscriber, so no test without one caches the callsites as disabled.)
#[tokio::test]
async fn each_place_is_logged_once_without_the_value() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A secret-looking value of the wrong type: the log says its type, never the value.
    let mut body = common::documented_example("api_keys.regenerate");
    body["key"] = json!(["ps_live_secret_value"]);
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(201).set_body_json(body))
        .mount(&server)
        .await;
    let client = common::client(&server);
    for _ in 0..3 {
        let regenerated = client.api_keys().regenerate().await.expect("accepted");
        assert_eq!(regenerated.deviations().len(), 1);
    }
    // A clone of the client shares what was logged.
    client
        .with_number("num_1")
        .api_keys()
        .regenerate()
        .await
        .unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let warnings: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("WARN"))
        .collect();
    assert_eq!(warnings.len(), 1, "{output}");
    assert!(warnings[0].contains("api_keys.regenerate") && warnings[0].contains("$.key"));
    assert!(warnings[0].contains("found=\"an array\""), "{output}");
    assert!(!output.contains("ps_live_secret_value"), "{output}");
    assert!(!output.contains(API_KEY), "{output}");
}
