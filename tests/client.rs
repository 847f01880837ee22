//! Client configuration on the wire: credentials, number header, user agent, base URL, and
//! the API key kept out of every printout.

mod common;

use common::{API_KEY, client, only_request};
use pilot_status::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_answering_201() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn api_key_id_replaces_api_key() {
    let server = server_answering_201().await;
    let client = Client::builder()
        .api_key_id("key_01HZX")
        .base_url(server.uri())
        .build()
        .unwrap();
    client.numbers().remote_pairing().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["x-api-key-id"], "key_01HZX");
    assert!(request.headers.get("x-api-key").is_none());
}

#[tokio::test]
async fn with_number_returns_a_sibling_and_leaves_the_original_alone() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-whatsapp-number-id", "num_2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"numberId": "num_2"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    let original = client(&server);
    let sibling = original.with_number("num_2");
    assert_eq!(sibling.number_id(), Some("num_2"));
    assert_eq!(original.number_id(), None);

    let from_sibling = sibling.numbers().remote_pairing().send().await.unwrap();
    assert_eq!(from_sibling.number_id.as_deref(), Some("num_2"));
    let from_original = original.numbers().remote_pairing().send().await.unwrap();
    assert_eq!(from_original.number_id, None);
}

#[tokio::test]
async fn a_number_id_that_cannot_be_a_header_fails_the_call_not_the_process() {
    let server = server_answering_201().await;
    let failure = client(&server)
        .with_number("num\n2")
        .numbers()
        .remote_pairing()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(failure, Error::InvalidRequest { .. }),
        "{failure:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn custom_user_agent_and_http_client() {
    let server = server_answering_201().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .user_agent("acme-backend/2.0")
        .configure_http(|http| http.pool_max_idle_per_host(1))
        .number_id("num_9")
        .build()
        .unwrap();
    client.numbers().remote_pairing().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["user-agent"], "acme-backend/2.0");
    assert_eq!(request.headers["x-whatsapp-number-id"], "num_9");
    assert_eq!(request.headers["x-api-key"], API_KEY);
}

#[tokio::test]
async fn base_url_may_carry_a_path_stem_and_a_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/proxy/v1/numbers/remote-pairing"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/proxy/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/proxy", server.uri()));
    client.numbers().remote_pairing().send().await.unwrap();
}

#[test]
fn the_default_base_url_comes_from_the_spec() {
    let client = Client::new(API_KEY).unwrap();
    assert_eq!(client.base_url(), "https://pilotstatus.com.br");
    assert_eq!(pilot_status::DEFAULT_BASE_URL, "https://pilotstatus.com.br");
}

#[test]
fn the_api_key_never_appears_in_debug_output() {
    let builder = Client::builder().api_key(API_KEY).number_id("num_1");
    let client = builder.clone().build().unwrap();
    let with_number = client.with_number("num_2");
    for printed in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{with_number:?}"),
    ] {
        assert!(!printed.contains(API_KEY), "{printed}");
        assert!(!printed.contains("0123456789abcdef"), "{printed}");
    }
    assert!(format!("{client:?}").contains("x-api-key: <redacted>"));
}

#[test]
fn bad_configuration_is_a_config_error_that_does_not_echo_the_key() {
    let no_key = Client::builder().build().unwrap_err();
    assert!(matches!(no_key, Error::Config(_)));
    assert!(no_key.to_string().contains("no credential"), "{no_key}");

    let empty = Client::new("  ").unwrap_err();
    assert!(empty.to_string().contains("API key is empty"), "{empty}");

    let secret = "ps_secret\nwith-newline";
    let bad_key = Client::new(secret).unwrap_err();
    assert!(
        bad_key
            .to_string()
            .contains("cannot be sent in an HTTP header")
    );
    assert!(!format!("{bad_key} {bad_key:?}").contains("ps_secret"));

    for url in ["not a url", "ftp://example.com", "https://example.com/?q=1"] {
        let error = Client::builder()
            .api_key(API_KEY)
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("base URL"), "{url}: {error}");
    }
}
