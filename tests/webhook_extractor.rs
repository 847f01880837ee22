//! The axum extractor `VerifiedEvent` (feature `axum`), fed with the `mock` fixtures, and
//! the `webhook_receiver` example built on it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use pilot_status::mock::webhooks::{
    SignedDelivery, every_event, every_phone_line_event, inbound_message, line_ref,
    phone_line_event,
};
use pilot_status::webhooks::{
    Event, InboundMessage, MessageCommon, NumberWebhooks, PhoneLineEvent, PhoneLineEventKind,
    PhoneLineWebhooks, VerifiedEvent,
};
use tower::ServiceExt;

const SECRET: &str = "whsec_extractor_secret";
const LINE_SECRET: &str = "plwh_extractor_secret";

/// The state of an application with both kinds of webhooks.
#[derive(Clone)]
struct Receivers {
    numbers: NumberWebhooks,
    phone_lines: PhoneLineWebhooks,
}

impl FromRef<Receivers> for NumberWebhooks {
    fn from_ref(receivers: &Receivers) -> Self {
        receivers.numbers.clone()
    }
}

impl FromRef<Receivers> for PhoneLineWebhooks {
    fn from_ref(receivers: &Receivers) -> Self {
        receivers.phone_lines.clone()
    }
}

/// Answers with the event it was given, serialized again, so a test sees what arrived.
async fn echo_number_event(VerifiedEvent { event, .. }: VerifiedEvent<Event>) -> String {
    serde_json::to_string(&event).expect("events serialize")
}

async fn echo_phone_line_event(
    VerifiedEvent { event, .. }: VerifiedEvent<PhoneLineEvent>,
) -> String {
    serde_json::to_string(&event).expect("events serialize")
}

fn app_with(numbers: NumberWebhooks) -> Router {
    Router::new()
        .route("/webhooks/pilot-status", post(echo_number_event))
        .route("/webhooks/phone-lines", post(echo_phone_line_event))
        .with_state(Receivers {
            numbers,
            phone_lines: PhoneLineWebhooks::new(LINE_SECRET).expect("a non-empty secret"),
        })
}

fn app() -> Router {
    app_with(NumberWebhooks::new(SECRET).expect("a non-empty secret"))
}

/// The status and body of the router's answer to `request`.
async fn send(app: Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the answer is readable");
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A POST of `body` with `signature` (none when `None`).
fn post_with(path: &str, signature: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(signature) = signature {
        request = request.header("x-pilot-status-signature", signature);
    }
    request.body(body.into()).expect("a valid request")
}

fn received() -> Event {
    Event::MessageReceived(inbound_message())
}

#[tokio::test]
async fn every_known_event_reaches_the_handler_typed() {
    for event in every_event() {
        let delivery = SignedDelivery::new(SECRET, &event);
        let (status, body) = send(app(), delivery.request("/webhooks/pilot-status")).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", event.name());
        assert_eq!(Event::parse(body.as_bytes()).unwrap(), event);
    }
    for event in every_phone_line_event() {
        let delivery = SignedDelivery::new(LINE_SECRET, &event);
        let (status, body) = send(app(), delivery.request("/webhooks/phone-lines")).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", event.name());
        assert_eq!(PhoneLineEvent::parse(body.as_bytes()).unwrap(), event);
    }
}

#[tokio::test]
async fn an_unknown_event_is_accepted_as_unknown() {
    let body = br#"{"event": "template.approved", "data": {"templateId": "tpl_1"}}"#;
    let delivery = SignedDelivery::from_body(SECRET, &body[..]);
    let (status, echoed) = send(app(), delivery.request("/webhooks/pilot-status")).await;
    assert_eq!(status, StatusCode::OK, "{echoed}");
    let Event::Unknown { event, raw } = Event::parse(echoed.as_bytes()).unwrap() else {
        panic!("not kept as unknown: {echoed}")
    };
    assert_eq!(event, "template.approved");
    assert_eq!(raw["data"]["templateId"], "tpl_1");
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_401_and_the_reason() {
    let delivery = SignedDelivery::new("whsec_someone_else", &received());
    let (status, body) = send(app(), delivery.request("/webhooks/pilot-status")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        "webhook signature refused: the signature does not match the body: another secret, or the body was changed"
    );

    // A number webhook's signature does not open the phone-line route, and back.
    let line = phone_line_event(PhoneLineEventKind::Suspended(line_ref()));
    let delivery = SignedDelivery::new(SECRET, &line);
    let (status, _) = send(app(), delivery.request("/webhooks/phone-lines")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let delivery = SignedDelivery::new(LINE_SECRET, &received());
    let (status, _) = send(app(), delivery.request("/webhooks/pilot-status")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_altered_body_is_refused_with_401() {
    let delivery = SignedDelivery::new(SECRET, &received());
    let altered = String::from_utf8(delivery.body().to_vec())
        .unwrap()
        .replace("Ana Souza", "Ana Sousa");
    assert_ne!(altered.as_bytes(), delivery.body().as_ref());
    let request = post_with(
        "/webhooks/pilot-status",
        Some(delivery.signature()),
        altered,
    );
    let (status, body) = send(app(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("does not match the body"), "{body}");
}

#[tokio::test]
async fn a_missing_or_malformed_signature_is_refused_with_401() {
    let delivery = SignedDelivery::new(SECRET, &received());
    let request = post_with("/webhooks/pilot-status", None, delivery.body().clone());
    let (status, body) = send(app(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        "webhook signature refused: the x-pilot-status-signature header is missing or empty"
    );

    let request = post_with(
        "/webhooks/pilot-status",
        Some("sha256=not-hex"),
        delivery.body().clone(),
    );
    let (status, body) = send(app(), request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("not an HMAC-SHA256 in hex"), "{body}");
}

#[tokio::test]
async fn a_signed_body_that_is_not_an_event_is_refused_with_400() {
    // A body that differs from its event's shape is refused by a strict verifier only (the
    // default one reads it as far as it fits: `tests/tolerant_reading.rs`).
    let strict = || app_with(NumberWebhooks::new(SECRET).unwrap().strict(true));
    for (body, reason, app) in [
        (
            &b"not json"[..],
            "the webhook body is not JSON",
            app as fn() -> Router,
        ),
        (
            br#"{"hello": "world"}"#,
            "the webhook body is not an event",
            app,
        ),
        (
            br#"{"event": "message.failed", "data": {"id": "msg_1"}}"#,
            "`message.failed` webhook does not have the documented shape",
            strict,
        ),
    ] {
        let delivery = SignedDelivery::from_body(SECRET, body);
        let (status, answer) = send(app(), delivery.request("/webhooks/pilot-status")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(
            answer.starts_with(&format!("webhook body refused: {reason}")),
            "{answer}"
        );
    }
}

/// A `message.received` whose body is exactly `size` bytes.
fn delivery_of_size(size: usize) -> SignedDelivery {
    let empty = Event::MessageReceived(InboundMessage {
        message: MessageCommon {
            content: Some(String::new()),
            ..inbound_message().message
        },
        ..inbound_message()
    });
    let overhead = SignedDelivery::new(SECRET, &empty).body().len();
    let sized = Event::MessageReceived(InboundMessage {
        message: MessageCommon {
            content: Some("a".repeat(size - overhead)),
            ..inbound_message().message
        },
        ..inbound_message()
    });
    let delivery = SignedDelivery::new(SECRET, &sized);
    assert_eq!(delivery.body().len(), size);
    delivery
}

#[tokio::test]
async fn the_default_limit_is_one_mebibyte() {
    let at_limit = delivery_of_size(1024 * 1024);
    let (status, _) = send(app(), at_limit.request("/webhooks/pilot-status")).await;
    assert_eq!(status, StatusCode::OK);

    let over = delivery_of_size(1024 * 1024 + 1);
    let (status, body) = send(app(), over.request("/webhooks/pilot-status")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        body,
        "webhook body refused: larger than the limit of 1048576 bytes"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_even_when_streamed() {
    let webhooks = NumberWebhooks::new(SECRET).unwrap().with_body_limit(2048);
    assert_eq!(webhooks.body_limit(), 2048);
    let small = delivery_of_size(2048);
    let (status, _) = send(
        app_with(webhooks.clone()),
        small.request("/webhooks/pilot-status"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Chunked, without Content-Length: refused once the bytes pass the limit.
    let large = delivery_of_size(4096);
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = large
        .body()
        .chunks(1000)
        .map(|chunk| Ok(bytes::Bytes::copy_from_slice(chunk)))
        .collect();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let request = post_with("/webhooks/pilot-status", Some(large.signature()), streamed);
    assert!(!request.headers().contains_key(header::CONTENT_LENGTH));
    let (status, body) = send(app_with(webhooks.clone()), request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.ends_with("limit of 2048 bytes"), "{body}");

    // A declared length over the limit is refused before the body is read.
    let mut request = small.request("/webhooks/pilot-status");
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, "1000000000".parse().unwrap());
    let (status, _) = send(app_with(webhooks), request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_verifier_itself_can_be_the_state() {
    let app = Router::new()
        .route("/hook", post(echo_number_event))
        .with_state(NumberWebhooks::new(SECRET).unwrap());
    let delivery = SignedDelivery::new(SECRET, &received());
    let (status, body) = send(app, delivery.request("/hook")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(Event::parse(body.as_bytes()).unwrap(), received());
}

// The example `webhook_receiver`, run as a process.

/// The example's executable, built (or found fresh) by cargo.
fn example_binary() -> String {
    let output = Command::new(env!("CARGO"))
        .args([
            "build",
            "--offline",
            "--quiet",
            "-p",
            "pilot-status",
            "--example",
            "webhook_receiver",
            "--message-format=json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo build --example failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "webhook_receiver")
        .find_map(|message| message["executable"].as_str().map(str::to_owned))
        .expect("cargo reports the example's executable")
}

/// The example started with `secrets` (`None`: the variable is unset) on a free port.
fn example(number_secret: Option<&str>, phone_line_secret: Option<&str>) -> Command {
    let mut command = Command::new(example_binary());
    command
        .env("PILOT_STATUS_WEBHOOK_ADDR", "127.0.0.1:0")
        .env_remove("PILOT_STATUS_WEBHOOK_SECRET")
        .env_remove("PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(secret) = number_secret {
        command.env("PILOT_STATUS_WEBHOOK_SECRET", secret);
    }
    if let Some(secret) = phone_line_secret {
        command.env("PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET", secret);
    }
    command
}

#[test]
fn the_example_refuses_to_start_without_a_secret() {
    for (number, phone_line, expected) in [
        (
            None,
            None,
            "error: the environment variable PILOT_STATUS_WEBHOOK_SECRET is not set",
        ),
        (
            Some(""),
            None,
            "error: the environment variable PILOT_STATUS_WEBHOOK_SECRET is empty or only whitespace",
        ),
        (
            Some("  "),
            None,
            "error: the environment variable PILOT_STATUS_WEBHOOK_SECRET is empty or only whitespace",
        ),
        (
            Some(SECRET),
            Some(""),
            "error: the environment variable PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET is empty or only whitespace",
        ),
    ] {
        let output = example(number, phone_line)
            .output()
            .expect("the example runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{number:?} {phone_line:?}: {stderr}"
        );
        assert!(stderr.contains(expected), "{stderr}");
        assert!(output.stdout.is_empty(), "it must not listen");
    }
}

/// Kills the example when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_example_answers_deliveries_by_their_signature() {
    let mut running = Running(
        example(Some(SECRET), None)
            .spawn()
            .expect("the example starts"),
    );
    let stdout = running.0.stdout.take().expect("stdout is piped");
    let (lines, first_line) = mpsc::channel();
    // Keep reading until the example exits: a closed pipe would fail its next println.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let line = first_line
        .recv_timeout(Duration::from_secs(60))
        .expect("the example says where it listens");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let client = reqwest::Client::new();
    let deliver = |delivery: SignedDelivery| {
        client
            .post(&url)
            .headers(delivery.headers())
            .body(delivery.body().clone())
            .send()
    };
    let genuine = deliver(SignedDelivery::new(SECRET, &received()))
        .await
        .expect("the example answers");
    assert_eq!(genuine.status(), StatusCode::OK);
    let forged = deliver(SignedDelivery::new("whsec_forged", &received()))
        .await
        .expect("the example answers");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let lines_route = url.replace("/webhooks/pilot-status", "/webhooks/phone-lines");
    let line_event = phone_line_event(PhoneLineEventKind::Suspended(line_ref()));
    let delivery = SignedDelivery::new(LINE_SECRET, &line_event);
    let unset = client
        .post(&lines_route)
        .headers(delivery.headers())
        .body(delivery.body().clone())
        .send()
        .await
        .expect("the example answers");
    assert_eq!(unset.status(), StatusCode::NOT_FOUND);
}
