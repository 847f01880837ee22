//! Misbehaving servers on 127.0.0.1: redirects to another origin, transport failures at every
//! point of the exchange, waits asked for in the body, oversized bodies, and what a network
//! error says. A second port, 127.0.0.2 or `localhost` stands for "another host".

mod common;
mod support;

use std::time::{Duration, Instant};

use common::API_KEY;
use pilot_status::{Client, Error, ErrorKind, MAX_KEPT_BODY, ResponseExt, RetryPolicy};
use support::{Break, Reply, Request, Server};

const NUMBERS: &str = common::NUMBER_LIST;
const SENT: &str = common::SENT_MESSAGE;
const NUMBER_ID: &str = "num_private_7";

/// The one place these tests read through a generated operation.
async fn list_numbers(client: &Client) -> Result<usize, Error> {
    Ok(client.numbers().list().send().await?.len())
}

/// The one place these tests send through a generated operation.
async fn send_text(client: &Client, idempotency_key: Option<&str>) -> Result<(), Error> {
    let mut call = client.messages().send(common::text_message());
    if let Some(key) = idempotency_key {
        call = call.idempotency_key(key);
    }
    call.send().await.map(drop)
}

/// Retries that wait at most 20 ms.
fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &Server) -> Client {
    client_with(server, |builder| builder)
}

/// A client for `server` with a 1 s timeout (what the stalls wait out), quick retries and a
/// number header.
fn client_with(
    server: &Server,
    tweak: impl FnOnce(pilot_status::ClientBuilder) -> pilot_status::ClientBuilder,
) -> Client {
    let builder = Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .number_id(NUMBER_ID)
        .timeout(Duration::from_secs(1))
        .retry_policy(quick());
    tweak(builder).build().expect("a valid test configuration")
}

/// A server that answers `first(index)` while it returns `Some`, then `then`.
async fn scripted(
    first: impl Fn(usize) -> Option<Reply> + Send + Sync + 'static,
    then: Reply,
) -> Server {
    Server::start(move |index, _| first(index).unwrap_or_else(|| then.clone())).await
}

fn assert_no_secret(error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(API_KEY), "the key leaked: {text}");
    }
}

// 1. Redirects never take the credential, the number header or the body to another origin.

#[tokio::test]
async fn a_redirect_to_another_port_is_refused_and_nothing_reaches_it() {
    for status in [301, 302, 303, 307, 308] {
        let other = Server::start(|_, _| Reply::json(200, NUMBERS)).await;
        let location = format!("{}/v1/numbers", other.url());
        let api = Server::start(move |_, _| Reply::redirect(status, &location)).await;

        let error = list_numbers(&client(&api)).await.unwrap_err();

        assert_eq!(
            error.kind(),
            ErrorKind::RedirectRefused,
            "{status}: {error}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("HTTP {status}")) && message.contains(&other.url()),
            "{message}"
        );
        assert!(
            !message.contains("/v1/numbers"),
            "only the origin is named: {message}"
        );
        assert_no_secret(&error);
        assert!(
            other.requests().is_empty(),
            "{status}: the other origin was called"
        );
        assert_eq!(
            api.requests().len(),
            1,
            "{status}: a refusal is not retried"
        );
    }
}

#[tokio::test]
async fn a_307_on_send_never_takes_the_body_or_the_idempotency_key_elsewhere() {
    let other = Server::start(|_, _| Reply::json(202, SENT)).await;
    let location = format!("{}/v1/messages/send", other.url());
    let api = Server::start(move |_, _| Reply::redirect(307, &location)).await;

    let error = send_text(&client(&api), Some("order-42"))
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::RedirectRefused, "{error}");
    assert!(matches!(
        &error,
        Error::RedirectRefused { operation: "messages.send", to, .. } if *to == other.url()
    ));
    assert!(other.requests().is_empty());
    let sent = api.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("idempotency-key"), Some("order-42"));
}

#[tokio::test]
async fn another_host_or_scheme_is_another_origin() {
    let elsewhere = Server::start_on("127.0.0.2", |_, _| Reply::json(200, NUMBERS)).await;
    let elsewhere_url = elsewhere.url();
    // Each target is built from the `host` the client sent (`127.0.0.1:<port>`) and the
    // other server's URL.
    type Target = fn(&str, &str) -> String;
    let targets: [(&str, Target); 3] = [
        ("127.0.0.2", |_, elsewhere| {
            format!("{elsewhere}/v1/numbers")
        }),
        ("localhost, same port", |host, _| {
            let host = host.replace("127.0.0.1", "localhost");
            format!("http://{host}/v1/numbers")
        }),
        ("https, same host and port", |host, _| {
            format!("https://{host}/v1/numbers")
        }),
    ];
    for (name, target) in targets {
        let elsewhere_url = elsewhere_url.clone();
        let api = Server::start(move |index, request: &Request| match index {
            0 => Reply::redirect(
                302,
                &target(request.header("host").unwrap_or(""), &elsewhere_url),
            ),
            _ => Reply::json(200, NUMBERS),
        })
        .await;
        let error = list_numbers(&client(&api)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::RedirectRefused, "{name}: {error}");
        assert_eq!(api.requests().len(), 1, "{name}");
    }
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_configured_http_client_cannot_follow_redirects_elsewhere() {
    let other = Server::start(|_, _| Reply::json(200, NUMBERS)).await;
    let location = format!("{}/v1/numbers", other.url());
    let api = Server::start(move |_, _| Reply::redirect(302, &location)).await;
    let client = client_with(&api, |builder| {
        builder.configure_http(|http| http.redirect(reqwest::redirect::Policy::limited(10)))
    });

    let error = list_numbers(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::RedirectRefused, "{error}");
    assert!(other.requests().is_empty());
}

#[tokio::test]
async fn redirects_within_the_origin_are_followed_a_bounded_number_of_times() {
    let api = Server::start(|_, request: &Request| {
        if request.target == "/v1/numbers" {
            Reply::redirect(308, "/v1/numbers-moved")
        } else {
            Reply::json(200, NUMBERS)
        }
    })
    .await;
    assert_eq!(list_numbers(&client(&api)).await.unwrap(), 1);
    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].header("x-api-key"),
        Some(API_KEY),
        "same origin"
    );
    assert_eq!(requests[1].header("x-whatsapp-number-id"), Some(NUMBER_ID));

    let looping = Server::start(|_, _| Reply::redirect(302, "/v1/numbers")).await;
    let error = list_numbers(&client_with(&looping, |b| {
        b.retry_policy(RetryPolicy::none())
    }))
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(error.to_string().contains("redirects"), "{error}");
    assert_eq!(
        looping.requests().len(),
        pilot_status::MAX_REDIRECTS + 1,
        "the first request and the redirects followed"
    );
}

// 2. Every failure of the exchange is retried for a repeatable request, and only then.

/// Each way an exchange can break, by name.
fn broken_exchanges() -> Vec<(&'static str, Reply)> {
    let partial = |then| Reply::BrokenBody {
        status: 200,
        declared: 4096,
        sent: br#"[{"id":"num_"#.to_vec(),
        then,
    };
    vec![
        ("reset before the response", Reply::Reset),
        ("closed before the response", Reply::Close),
        ("stalled past the timeout", Reply::Stall),
        ("body reset", partial(Break::Reset)),
        ("body closed", partial(Break::Close)),
        ("body stalled past the timeout", partial(Break::Stall)),
    ]
}

#[tokio::test]
async fn a_get_is_retried_after_any_broken_exchange() {
    for (name, fault) in broken_exchanges() {
        let api = scripted(
            move |i| (i == 0).then(|| fault.clone()),
            Reply::json(200, NUMBERS),
        )
        .await;
        let listed = list_numbers(&client(&api)).await;
        assert_eq!(listed.ok(), Some(1), "{name}");
        assert_eq!(api.requests().len(), 2, "{name}");
    }
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_after_any_broken_exchange() {
    for (name, fault) in broken_exchanges() {
        let api = scripted(
            move |i| (i == 0).then(|| fault.clone()),
            Reply::json(202, SENT),
        )
        .await;
        let sent = send_text(&client(&api), Some("order-42")).await;
        assert!(sent.is_ok(), "{name}: {sent:?}");
        let requests = api.requests();
        assert_eq!(requests.len(), 2, "{name}");
        assert_eq!(requests[1].header("idempotency-key"), Some("order-42"));
        assert_eq!(requests[0].body, requests[1].body, "{name}");
    }
}

#[tokio::test]
async fn a_send_without_a_key_of_yours_gets_one_and_survives_any_broken_exchange() {
    // The SDK makes the key before the first attempt and sends it again with the same body.
    for (name, fault) in broken_exchanges()
        .into_iter()
        .chain([("a 502", Reply::json(502, r#"{"code":"BAD_GATEWAY"}"#))])
    {
        let api = scripted(
            move |i| (i == 0).then(|| fault.clone()),
            Reply::json(202, SENT),
        )
        .await;
        let sent = client(&api)
            .messages()
            .send(common::text_message())
            .send()
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let requests = api.requests();
        assert_eq!(requests.len(), 2, "{name}");
        let key = requests[0].header("idempotency-key").expect("a key");
        assert_eq!(requests[1].header("idempotency-key"), Some(key), "{name}");
        assert_eq!(requests[0].body, requests[1].body, "{name}");
        assert_eq!(
            sent.idempotency_key(),
            Some(key),
            "the result names the key"
        );
    }
}

#[tokio::test]
async fn a_post_without_a_key_is_sent_exactly_once_whatever_happens() {
    // With automatic keys off, a send without a key of yours; and, by default, a POST of an
    // operation that takes no key at all.
    for (name, fault) in broken_exchanges() {
        let api = scripted(
            move |i| (i == 0).then(|| fault.clone()),
            Reply::json(202, SENT),
        )
        .await;
        let no_keys = client_with(&api, |builder| builder.automatic_idempotency_keys(false));
        let error = send_text(&no_keys, None).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Network | ErrorKind::Timeout),
            "{name}: {error}"
        );
        assert_eq!(error.idempotency_key(), None, "{name}");
        let requests = api.requests();
        assert_eq!(requests.len(), 1, "{name}");
        assert_eq!(requests[0].header("idempotency-key"), None, "{name}");

        let fault = broken_exchanges()
            .into_iter()
            .find(|(n, _)| *n == name)
            .expect("the same fault")
            .1;
        let api = scripted(
            move |i| (i == 0).then(|| fault.clone()),
            Reply::json(201, "{}"),
        )
        .await;
        let error = client(&api)
            .numbers()
            .remote_pairing()
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Network | ErrorKind::Timeout),
            "{name}: {error}"
        );
        assert_eq!(api.requests().len(), 1, "{name}");
    }
}

#[tokio::test]
async fn retries_stay_within_the_budget() {
    let api = Server::start(|_, _| Reply::Reset).await;
    let error = list_numbers(&client(&api)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_eq!(api.requests().len(), 3, "1 attempt + 2 retries");
}

// 3. The wait the API asks for, in the header or the body.

#[tokio::test]
async fn a_wait_asked_in_the_body_beyond_the_cap_fails_at_once_and_is_kept() {
    let api = Server::start(|_, _| {
        Reply::json(
            429,
            r#"{"error":"Too many","code":"RATE_LIMITED","retryAfterSeconds":3600}"#,
        )
    })
    .await;
    let error = list_numbers(&client(&api)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(api.requests().len(), 1, "not retried within the hour");
}

#[tokio::test]
async fn a_wait_asked_in_the_body_is_waited_for() {
    let api = scripted(
        |i| {
            (i == 0)
                .then(|| Reply::json(429, r#"{"code":"RESYNC_COOLDOWN","retryAfterSeconds":1}"#))
        },
        Reply::json(200, NUMBERS),
    )
    .await;
    let started = Instant::now();
    list_numbers(&client(&api)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited only {:?}",
        started.elapsed()
    );
    assert_eq!(api.requests().len(), 2);
}

#[tokio::test]
async fn a_503_asking_for_too_long_a_wait_fails_at_once() {
    let api = Server::start(|_, _| {
        Reply::json(503, r#"{"code":"UPSTREAM_ERROR"}"#).with_header("retry-after", "3600")
    })
    .await;
    let error = list_numbers(&client(&api)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(api.requests().len(), 1);
}

// 5. Response size.

/// A JSON list of numbers of about `size` bytes.
fn numbers_of_size(size: usize) -> Vec<u8> {
    // One complete number whose name fills the size.
    let mut body = br#"[{"id":"num_1","instanceName":"acme-1","number":"5511999990000","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-02T00:00:00.000Z","apiKeys":[],"isFullyConnected":true,"name":""#.to_vec();
    body.resize(size.saturating_sub(3).max(body.len()), b'a');
    body.extend_from_slice(br#""}]"#);
    body
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_whether_declared_or_not() {
    let limit = 64 * 1024;
    for chunked in [false, true] {
        let body = numbers_of_size(200 * 1024);
        let api = Server::start(move |_, _| match chunked {
            false => Reply::Respond {
                status: 200,
                headers: vec![],
                body: body.clone(),
            },
            true => Reply::Chunked {
                status: 200,
                body: body.clone(),
            },
        })
        .await;
        let client = client_with(&api, |b| b.max_response_size(limit));
        let error = list_numbers(&client).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
        let message = error.to_string();
        assert!(
            message.starts_with("numbers.list: ") && message.contains("65536 bytes"),
            "{message}"
        );
        assert_eq!(api.requests().len(), 1, "not retried");
    }
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_refused_too() {
    let mut body = br#"{"error":""#.to_vec();
    body.resize(100 * 1024, b'x');
    body.extend_from_slice(br#""}"#);
    let api = Server::start(move |_, _| Reply::Chunked {
        status: 500,
        body: body.clone(),
    })
    .await;
    let client = client_with(&api, |b| b.max_response_size(64 * 1024));
    let error = list_numbers(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { status, limit: 65536, .. } if status == 500),
        "{error}"
    );
}

#[tokio::test]
async fn the_default_limit_is_16_mib_and_none_lifts_it() {
    let body = numbers_of_size(17 * 1024 * 1024);
    let api = Server::start(move |_, _| Reply::Chunked {
        status: 200,
        body: body.clone(),
    })
    .await;
    let error = list_numbers(&client(&api)).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 16 * 1024 * 1024),
        "{error}"
    );
    let unlimited = client_with(&api, |b| {
        b.max_response_size(None).timeout(Duration::from_secs(30))
    });
    assert_eq!(list_numbers(&unlimited).await.unwrap(), 1);
}

#[tokio::test]
async fn an_error_keeps_at_most_64_kib_of_its_body() {
    let mut body = br#"{"error":"boom","code":"UPSTREAM_ERROR","pad":""#.to_vec();
    body.resize(1024 * 1024, b'x');
    body.extend_from_slice(br#""}"#);
    let length = body.len();
    let api = Server::start(move |_, _| Reply::Respond {
        status: 500,
        headers: vec![],
        body: body.clone(),
    })
    .await;
    let error = list_numbers(&client_with(&api, |b| b.retry_policy(RetryPolicy::none())))
        .await
        .unwrap_err();
    let response = error.response().expect("an API error");
    assert_eq!(response.body().len(), MAX_KEPT_BODY);
    assert!(response.is_body_truncated());
    assert_eq!(response.body_len(), length);
    assert_eq!(
        error.code(),
        Some("UPSTREAM_ERROR"),
        "decoded from the whole body"
    );
}

// 8. A network error says why.

#[tokio::test]
async fn a_network_error_names_its_cause() {
    let refused = Client::builder()
        .api_key(API_KEY)
        .base_url(common::refused_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = list_numbers(&refused).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert!(
        error
            .to_string()
            .to_lowercase()
            .contains("connection refused"),
        "{error}"
    );

    let api = Server::start(|_, _| Reply::Reset).await;
    let error = list_numbers(&client_with(&api, |b| b.retry_policy(RetryPolicy::none())))
        .await
        .unwrap_err();
    assert!(
        error.to_string().to_lowercase().contains("reset"),
        "{error}"
    );
    assert_no_secret(&error);
}
