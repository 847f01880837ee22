//! POST /v1/numbers/remote-pairing on the wire: the exact request, the typed 201, and every
//! kind of failure.

mod common;

use std::time::Duration;

use common::{API_KEY, client, only_request, refused_url};
use pilot_status::{Client, Error, types};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/v1/numbers/remote-pairing";

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "provider": "PILOT_STATUS",
        "remotePairingToken": "rp_01HZX",
        "remotePairingUrl": "https://pilotstatus.com.br/connect/rp_01HZX",
        "numberId": "num_01HZX"
    }))
}

#[tokio::test]
async fn pilot_status_link_sends_name_and_number_and_decodes_the_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("x-api-key", API_KEY))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header(
            "user-agent",
            format!("pilot-status-rs/{}", env!("CARGO_PKG_VERSION")).as_str(),
        ))
        .and(body_json(
            json!({"name": "Cliente Acme", "number": "5511988887777"}),
        ))
        .respond_with(created())
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .numbers()
        .remote_pairing()
        .name("Cliente Acme")
        .number("5511988887777")
        .send()
        .await
        .expect("a 201");

    assert_eq!(response.status(), 201);
    let link: types::RemotePairingResult = response.into_inner();
    assert_eq!(link.provider.as_deref(), Some("PILOT_STATUS"));
    assert_eq!(link.remote_pairing_token.as_deref(), Some("rp_01HZX"));
    assert_eq!(
        link.remote_pairing_url.as_deref(),
        Some("https://pilotstatus.com.br/connect/rp_01HZX")
    );
    assert_eq!(link.number_id.as_deref(), Some("num_01HZX"));

    let request = only_request(&server).await;
    let names: Vec<&str> = request.headers.keys().map(|name| name.as_str()).collect();
    for absent in [
        "api-version",
        "x-api-key-id",
        "x-whatsapp-number-id",
        "authorization",
    ] {
        assert!(
            !names.contains(&absent),
            "unexpected header {absent}: {names:?}"
        );
    }
}

#[tokio::test]
async fn meta_link_sends_provider_redirect_and_reference() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(body_json(json!({
            "provider": "META",
            "redirectUrl": "https://app.acme.com/done",
            "externalRef": "customer-42",
            "linkToApiKey": false
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "provider": "META",
            "remotePairingToken": "rp_meta",
            "remotePairingUrl": "https://pilotstatus.com.br/connect/rp_meta"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let body = types::RemotePairingInput {
        provider: Some("META".to_owned()),
        redirect_url: Some("https://app.acme.com/done".to_owned()),
        external_ref: Some("customer-42".to_owned()),
        link_to_api_key: Some(false),
        ..Default::default()
    };
    let link = client(&server)
        .numbers()
        .remote_pairing()
        .body(body)
        .send()
        .await
        .expect("a 201");
    assert_eq!(link.provider.as_deref(), Some("META"));
    assert_eq!(link.number_id, None);
}

#[tokio::test]
async fn documented_errors_keep_status_code_message_body_and_headers() {
    for (status, error, code) in [
        (400, "Validation error", "VALIDATION_ERROR"),
        (401, "Unauthorized", "UNAUTHORIZED"),
        (429, "Too many requests", "RATE_LIMITED"),
    ] {
        let server = MockServer::start().await;
        let body = json!({"error": error, "code": code, "retryAfterSeconds": 7});
        Mock::given(method("POST"))
            .and(path(PATH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after", "7")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;

        let failure = client(&server)
            .numbers()
            .remote_pairing()
            .send()
            .await
            .expect_err("an error status");

        assert_eq!(failure.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(failure.code(), Some(code));
        assert_eq!(failure.message(), Some(error));
        assert_eq!(failure.is_rate_limited(), status == 429);
        let response = failure.response().expect("an API error");
        assert_eq!(response.operation(), "numbers.remote_pairing");
        assert_eq!(response.headers()["retry-after"], "7");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(response.body()).unwrap(),
            body
        );
        assert_eq!(response.json().unwrap()["retryAfterSeconds"], 7);
        assert_eq!(
            failure.to_string(),
            format!(
                "numbers.remote_pairing: HTTP {} {}: {error} ({code})",
                status,
                reqwest::StatusCode::from_u16(status)
                    .unwrap()
                    .canonical_reason()
                    .unwrap()
            )
        );
    }
}

#[tokio::test]
async fn an_undocumented_error_without_json_keeps_its_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;

    let failure = client(&server)
        .numbers()
        .remote_pairing()
        .send()
        .await
        .expect_err("a 502");
    let response = failure.response().expect("an API error");
    assert_eq!(response.status(), 502);
    assert_eq!(response.api_error(), None);
    assert_eq!(failure.code(), None);
    assert_eq!(&response.body()[..], b"<html>bad gateway</html>");
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error() {
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(refused_url())
        .build()
        .unwrap();
    let failure = client
        .numbers()
        .remote_pairing()
        .send()
        .await
        .expect_err("nothing listens");
    assert!(failure.is_network(), "{failure:?}");
    assert!(matches!(
        failure,
        Error::Network {
            operation: "numbers.remote_pairing",
            ..
        }
    ));
    assert_eq!(failure.status(), None);
    assert!(!format!("{failure} {failure:?}").contains(API_KEY));
}

#[tokio::test]
async fn a_success_body_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(201).set_body_string("created!"))
        .mount(&server)
        .await;

    let failure = client(&server)
        .numbers()
        .remote_pairing()
        .send()
        .await
        .expect_err("not JSON");
    match &failure {
        Error::Decode(undecoded) => {
            assert_eq!(undecoded.operation(), "numbers.remote_pairing");
            assert_eq!(undecoded.status(), 201);
            assert_eq!(&undecoded.body()[..], b"created!");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(failure.accepted(), "a 2xx means the API accepted the call");
    assert_eq!(failure.status().map(|s| s.as_u16()), Some(201));
}

#[tokio::test]
async fn a_201_with_missing_fields_decodes_them_as_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"remotePairingToken": "rp_1"})),
        )
        .mount(&server)
        .await;

    let link = client(&server)
        .numbers()
        .remote_pairing()
        .send()
        .await
        .expect("fields are optional");
    assert_eq!(link.remote_pairing_token.as_deref(), Some("rp_1"));
    assert_eq!(link.provider, None);
    assert_eq!(link.remote_pairing_url, None);
    assert_eq!(link.number_id, None);
}

#[tokio::test]
async fn the_prose_shape_of_the_201_decodes_too() {
    // /api/numbers/remote-pairing documents a different 201 than the playground fragment;
    // overlays/10-wire-types.yaml declares the union so neither loses members.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "instance": {
                "id": "wa_abc",
                "instanceName": "PS-tenant-xxx",
                "number": "5511999999999",
                "name": "Customer João",
                "state": "CLOSE"
            },
            "remotePairingUrl": "https://pilotstatus.com/connect/abc123",
            "maskedNumber": "+551199****9999",
            "messageSent": false,
            "messageError": "template pilot_status_remote_pairing not found"
        })))
        .mount(&server)
        .await;

    let link = client(&server)
        .numbers()
        .remote_pairing()
        .send()
        .await
        .expect("the prose shape is a success");
    let instance = link.instance.as_ref().expect("instance");
    assert_eq!(instance.id.as_deref(), Some("wa_abc"));
    assert_eq!(instance.instance_name.as_deref(), Some("PS-tenant-xxx"));
    assert_eq!(instance.state.as_deref(), Some("CLOSE"));
    assert_eq!(link.masked_number.as_deref(), Some("+551199****9999"));
    assert_eq!(link.message_sent, Some(false));
    assert_eq!(
        link.message_error.as_deref(),
        Some("template pilot_status_remote_pairing not found")
    );
    assert_eq!(
        link.remote_pairing_url.as_deref(),
        Some("https://pilotstatus.com/connect/abc123")
    );
    assert_eq!(link.remote_pairing_token, None);
}

#[tokio::test]
async fn branding_and_meta_flow_go_out_as_the_prose_documents_them() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(body_json(json!({
            "provider": "META",
            "metaFlow": "embedded",
            "branding": {"companyName": "Acme", "hidePilotStatusBranding": true}
        })))
        .respond_with(created())
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .numbers()
        .remote_pairing()
        .provider("META")
        .meta_flow(types::MetaConnectFlow::Embedded)
        .branding(types::Branding {
            company_name: "Acme".into(),
            hide_pilot_status_branding: true.into(),
            ..Default::default()
        })
        .send()
        .await
        .expect("a 201");
}

#[tokio::test]
async fn any_success_status_decodes_the_documented_type() {
    // Upstream documents 201; a 200 from the server is still a success, never an error
    // that would make the caller create a second link.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"numberId": "num_1"})))
        .mount(&server)
        .await;
    let link = client(&server)
        .numbers()
        .remote_pairing()
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 200);
    assert_eq!(link.number_id.as_deref(), Some("num_1"));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(created().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let failure = client.numbers().remote_pairing().send().await.unwrap_err();
    assert!(failure.is_timeout(), "{failure:?}");
}
