//! Wire conformance with the official Python SDK (`pilot-status` 1.15.0).
//!
//! Both SDKs make the same list of calls against one recording server on 127.0.0.1; for
//! every operation both expose, the requests must agree on method, path, query, the
//! headers that matter (credentials, number, idempotency key, content type, accept) and
//! the JSON body. The differences we intend are listed in `INTENDED` with their reason, and a
//! send without a key of the caller's carries the `Idempotency-Key` this SDK adds.
//!
//! The Python SDK comes from PyPI (`pip install pilot-status==1.15.0`); `.ci/run` installs it
//! and sets `PILOT_STATUS_CONFORMANCE=required`, which makes a missing SDK a failure. Without
//! that variable the test is skipped, with a notice, when the SDK is not importable.

use std::collections::BTreeMap;
use std::process::Command;

use pilot_status::{Client, types};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "ps_conformance_key";
const START: &str = "2026-06-01T00:00:00.000Z";
const END: &str = "2026-06-30T23:59:59.000Z";

/// Differences we intend, per call, and why.
const INTENDED: &[(&str, Difference, &str)] = &[
    (
        "messages_get_with_slash",
        Difference::Path,
        "the Python SDK interpolates message ids into the path unencoded (`/v1/messages/msg/1` \
         reaches another route); this SDK percent-encodes every path parameter (`msg%2F1`)",
    ),
    (
        "remote_pairing_get_info",
        Difference::NoApiKey,
        "token-authenticated endpoint (`security: []` after the reviewed overlay): this SDK sends \
         no API key to it, the Python SDK sends its key everywhere",
    ),
    (
        "remote_pairing_get_status",
        Difference::NoApiKey,
        "as remote_pairing_get_info",
    ),
    (
        "remote_pairing_connect",
        Difference::NoApiKey,
        "as remote_pairing_get_info",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Difference {
    Path,
    NoApiKey,
}

/// Headers compared; `user-agent` is not (each SDK names itself), nor are transport headers.
const COMPARED_HEADERS: &[&str] = &[
    "x-api-key",
    "x-whatsapp-number-id",
    "idempotency-key",
    "content-type",
    "accept",
];

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn python_sdk_available() -> bool {
    Command::new(python())
        .args(["-c", "import pilot_status"])
        .output()
        .is_ok_and(|output| output.status.success())
}

async fn recording_server() -> MockServer {
    let server = MockServer::start().await;
    mount(&server).await;
    server
}

async fn mount(server: &MockServer) {
    Mock::given(wiremock::matchers::path_regex("/audio$"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "audio/ogg")
                .set_body_bytes(b"OggS".to_vec()),
        )
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
}

#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body: Option<Value>,
}

impl Seen {
    fn of(request: &Request) -> Self {
        let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        query.sort();
        let headers = COMPARED_HEADERS
            .iter()
            .filter_map(|name| {
                let value = request.headers.get(*name)?.to_str().ok()?;
                Some(((*name).to_owned(), value.to_owned()))
            })
            .collect();
        let body = (!request.body.is_empty())
            .then(|| serde_json::from_slice(&request.body).expect("a JSON body"));
        Self {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query,
            headers,
            body,
        }
    }
}

#[tokio::test]
async fn both_sdks_send_the_same_requests() {
    if !python_sdk_available() {
        assert!(
            std::env::var("PILOT_STATUS_CONFORMANCE").as_deref() != Ok("required"),
            "the official Python SDK is not importable with {}: pip install pilot-status==1.15.0",
            python()
        );
        eprintln!("conformance skipped: `pip install pilot-status==1.15.0` to run it");
        return;
    }
    let server = recording_server().await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/python_calls.py"
    );
    let output = Command::new(python())
        .args([script, &server.uri()])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names: Vec<String> =
        serde_json::from_slice(&output.stdout).expect("the call names as JSON");
    let from_python: Vec<Seen> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(Seen::of)
        .collect();
    assert_eq!(
        from_python.len(),
        names.len(),
        "one request per Python call"
    );
    // The 63 operations of the Python SDK, plus the unencoded-path variant.
    let routes: std::collections::BTreeSet<(&str, &str)> = from_python
        .iter()
        .map(|seen| (seen.method.as_str(), seen.path.as_str()))
        .collect();
    assert_eq!(
        routes.len(),
        64,
        "every operation of the Python SDK is exercised"
    );

    server.reset().await;
    mount(&server).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    for name in &names {
        rust_call(&client, name).await;
    }
    let from_rust: Vec<Seen> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(Seen::of)
        .collect();
    assert_eq!(from_rust.len(), names.len(), "one request per Rust call");

    let mut failures = Vec::new();
    let mut generated_keys = 0;
    for ((name, python), rust) in names.iter().zip(&from_python).zip(&from_rust) {
        let intended: Vec<Difference> = INTENDED
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, d, _)| *d)
            .collect();
        let mut python_view = python.clone();
        if intended.contains(&Difference::NoApiKey) {
            assert_eq!(
                rust.headers.get("x-api-key"),
                None,
                "{name}: no key expected"
            );
            python_view.headers.remove("x-api-key");
        }
        if intended.contains(&Difference::Path) {
            assert_ne!(
                rust.path, python.path,
                "{name}: the paths were expected to differ"
            );
            python_view.path = rust.path.clone();
        }
        // The one difference every send has where the caller set no key: this SDK adds a
        // fresh `Idempotency-Key` (a UUID v4), so the send can be retried and is applied at
        // most once; the Python SDK sends none and never retries a send.
        if !python.headers.contains_key("idempotency-key")
            && let Some(key) = rust.headers.get("idempotency-key")
            && uuid::Uuid::parse_str(key).is_ok_and(|key| key.get_version_num() == 4)
            && (rust.method.as_str(), rust.path.as_str()) == ("POST", "/v1/messages/send")
        {
            python_view
                .headers
                .insert("idempotency-key".to_owned(), key.clone());
            generated_keys += 1;
        }
        if python_view != *rust {
            failures.push(format!(
                "{name}:\n  python: {python_view:?}\n  rust:   {rust:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} calls differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(generated_keys > 0, "the sends without a key get one");
    eprintln!(
        "{} calls compared; {generated_keys} sends differ only by the Idempotency-Key this SDK \
         adds",
        names.len()
    );
}

fn body<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the body fits its type")
}

/// The Rust twin of each Python call; results are ignored, requests are compared.
async fn rust_call(c: &Client, name: &str) {
    match name {
        "ads_list_accounts" => drop(c.ads().list_accounts().send().await),
        "ads_link_account" => drop(c.ads().link_account("act_1234567890").send().await),
        "ads_unlink_account" => drop(c.ads().unlink_account("act_1234567890").send().await),
        "ads_summary" => drop(c.ads().summary().number_id("num_1").start_date(START).end_date(END).send().await),
        "analytics_dashboard" => drop(c.analytics().get_dashboard_stats().tz("America/Sao_Paulo").send().await),
        "api_keys_list" => drop(c.api_keys().list().send().await),
        "api_keys_regenerate_number" => drop(c.api_keys().regenerate_number("num_1").send().await),
        "calls_initiate" => drop(
            c.calls().initiate("+5511988887777").body(body::<types::StartCallInput>(json!({"to": "+5511988887777", "sdp": "v=0 offer", "bizOpaqueCallbackData": "order-42"})))
                .send()
                .await,
        ),
        "calls_list" => drop(c.calls().list().limit(10).before("2026-07-01T00:00:00.000Z").send().await),
        "calls_get" => drop(c.calls().get("call_1").include_sdp(true).send().await),
        "calls_pre_accept" => drop(c.calls().pre_accept("call_1", "v=0 answer").send().await),
        "calls_accept" => drop(c.calls().accept("call_1").sdp("v=0 answer").send().await),
        "calls_accept_without_sdp" => drop(c.calls().accept("call_1").send().await),
        "calls_reject" => drop(c.calls().reject("call_1").send().await),
        "calls_terminate" => drop(c.calls().terminate("call_1").send().await),
        "calls_play" => drop(
            c.calls().play("call_1", "https://cdn.acme.com/hello.mp3").send().await,
        ),
        "calls_realtime_session" => drop(c.calls().realtime_session("call_1", types::RealtimeSessionMode::Talk).send().await),
        "calls_get_settings" => drop(c.calls().get_settings().send().await),
        "calls_update_settings" => drop(
            c.calls().update_settings().body(body::<types::CallingSettings>(
                    json!({"status": "ENABLED", "call_icon_visibility": "DEFAULT", "callback_permission_status": "DISABLED"}),
                ))
                .send()
                .await,
        ),
        "calls_get_permissions" => drop(c.calls().get_permissions("+5511988887777").send().await),
        "calls_request_permission" => drop(
            c.calls().request_permission("+5511988887777")
                .text("Podemos ligar?")
                .send()
                .await,
        ),
        "groups_list" => drop(c.groups().list().send().await),
        "lead_pages_list" => drop(c.lead_pages().list().send().await),
        "lead_pages_link" => drop(
            c.lead_pages().link("123456789").number_id("num_1").send().await,
        ),
        "lead_pages_update" => drop(
            c.lead_pages().update("lpl_1", types::WhatsappNumberRef::new("num_2")).send().await,
        ),
        "lead_pages_unlink" => drop(c.lead_pages().unlink("lpl_1").send().await),
        "lead_pages_list_forms" => drop(c.lead_pages().list_forms("lpl_1").send().await),
        "lead_pages_update_form" => drop(
            c.lead_pages().update_form("lpl_1", "form_1", body::<types::LeadFormConfigInput>(json!({
                    "consentDisclaimerKey": null, "autoSendEnabled": true, "templateId": "tpl_1", "freeText": null,
                    "variableMap": {"nome": {"source": "field", "key": "full_name"}}, "formName": "Contato"
                })))
                .send()
                .await,
        ),
        "lead_pages_resync" => drop(c.lead_pages().resync("lpl_1").send().await),
        "leads_list" => drop(
            c.leads().list()
                .form_id("form_1")
                .ad_id("ad_1")
                .page_id("page_1")
                .start_date(START)
                .end_date(END)
                .page(2)
                .page_size(50)
                .send()
                .await,
        ),
        "leads_get" => drop(c.leads().get("lead_1").send().await),
        "media_download" => drop(c.media().download("media_1", "1234567890").send().await),
        "messages_send" => drop(
            c.messages()
                .send(types::SendDestination::contact("+5511988887777").template("boas_vindas", [("nome", "Ana")]))
                .idempotency_key("order-42")
                .send()
                .await,
        ),
        // Instants go out as the text the official SDK is given (`.000Z`).
        "messages_send_scheduled" => drop(
            c.messages()
                .send(types::SendDestination::contact("+5511988887777").text("Oi"))
                .deliver_at(pilot_status::Timestamp::parse("2026-06-21T12:00:00.000Z").unwrap())
                .deliver_until(pilot_status::Timestamp::parse("2026-06-21T15:00:00-03:00").unwrap())
                .send()
                .await,
        ),
        // No variables: `{}` is sent all the same.
        "messages_send_text" => drop(
            c.messages()
                .send(types::SendDestination::contact("+5511988887777").text("Oi"))
                .send()
                .await,
        ),
        "messages_send_media" => drop(
            c.messages()
                .send(types::SendMessageInput::new(
                    types::SendDestination::contact("+5511988887777"),
                    types::SendContent::Media { media: "https://cdn.acme.com/promo.jpg".into(), media_type: None },
                ))
                .send()
                .await,
        ),
        "messages_get" => drop(c.messages().get("msg_1").send().await),
        "messages_get_with_slash" => drop(c.messages().get("msg/1").send().await),
        "messages_history" => drop(c.messages().history().start_date(START).end_date(END).page(1).page_size(100).send().await),
        "messages_cancel" => drop(
            c.messages().cancel(["msg_1", "msg_2"])
                .send()
                .await,
        ),
        "newsletters_list" => drop(c.newsletters().list().send().await),
        "numbers_list" => drop(c.numbers().list().send().await),
        "numbers_create" => drop(
            c.numbers()
                .create(
                    types::CreateNumberInput::builder()
                        .name("Suporte")
                        .number("5511999999999")
                        .build(),
                )
                .link_to_api_key(true)
                .send()
                .await,
        ),
        "numbers_connect" => drop(c.numbers().connect("num_1").link("secondary").send().await),
        "numbers_get_status" => drop(c.numbers().get_status("num_1").link("secondary").send().await),
        "numbers_connect_primary" => drop(c.numbers().connect("num_1").link("primary").send().await),
        "numbers_get_status_primary" => {
            drop(c.numbers().get_status("num_1").link("primary").send().await)
        }
        "numbers_upgrade_to_dual" => drop(c.numbers().upgrade_to_dual("num_1").send().await),
        "numbers_get" => drop(c.numbers().get("num_1").refresh(true).send().await),
        "numbers_update" => drop(
            c.numbers().update("num_1").body(body::<types::UpdateNumberInput>(json!({"piiMode": "STORE_X_DAYS", "piiRetentionDays": 30})))
                .send()
                .await,
        ),
        "numbers_update_settings" => drop(
            c.numbers().update_settings("num_1", body::<types::NumberSettingsPatch>(json!({"alwaysOnline": true, "rejectCall": false})))
                .send()
                .await,
        ),
        // An explicit null resets a setting; an absent one is left alone.
        "numbers_update_settings_reset" => drop(
            c.numbers()
                .update_settings(
                    "num_1",
                    types::NumberSettingsPatch {
                        always_online: pilot_status::Nullable::Null,
                        reject_call: true.into(),
                        ..Default::default()
                    },
                )
                .send()
                .await,
        ),
        "numbers_delete" => drop(c.numbers().delete("num_1").send().await),
        "numbers_restore" => drop(c.numbers().restore("num_1").send().await),
        "numbers_pay" => drop(c.numbers().pay("num_1").send().await),
        "numbers_purge" => drop(c.numbers().purge("num_1").send().await),
        "numbers_remote_pairing" => drop(
            c.numbers().remote_pairing()
                .body(body::<types::RemotePairingInput>(
                    json!({"name": "Cliente Acme", "number": "5511988887777", "sendViaWhatsApp": true}),
                ))
                .send()
                .await,
        ),
        "verification_get" => drop(c.phone_lines().verification().get().send().await),
        "verification_start" => drop(
            c.phone_lines().verification().start("kyc-1", body::<types::StartVerificationInput>(json!({
                    "documentType": "CPF", "documentNumber": "12345678909", "contactEmail": "ana@acme.com",
                    "contactWhatsapp": "+5511999999999", "document": "data:application/pdf;base64,JVBERi0="
                })))
                .send()
                .await,
        ),
        "verification_send_contact_code" => drop(c.phone_lines().verification().send_contact_code(types::ContactChannelPath::Whatsapp).send().await),
        "verification_confirm_contact" => drop(
            c.phone_lines().verification().confirm_contact(types::ContactChannelPath::Email, "123456")
                .send()
                .await,
        ),
        "verification_submit_document" => drop(
            c.phone_lines().verification().submit_document("data:image/png;base64,iVBO").send().await,
        ),
        "phone_lines_activation_audio" => drop(c.phone_lines().get_activation_audio("act_1").send().await),
        "projects_list" => drop(c.projects().list().send().await),
        "projects_create" => drop(
            c.projects().create("Loja").description("Loja online").send().await,
        ),
        "referrals_list" => drop(
            c.referrals().list()
                .source_id("ad_1")
                .source_type("ad")
                .start_date(START)
                .end_date(END)
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "referrals_summary" => drop(c.referrals().summary().start_date(START).end_date(END).send().await),
        "remote_pairing_get_info" => drop(c.remote_pairing().get_info("rp_1").send().await),
        "remote_pairing_get_status" => drop(c.remote_pairing().get_status("rp_1").send().await),
        "remote_pairing_connect" => drop(c.remote_pairing().connect("rp_1").send().await),
        "templates_list" => drop(c.templates().list().send().await),
        "templates_get" => drop(c.templates().get("tpl_1").send().await),
        "with_number_history" => drop(c.with_number("num_9").messages().history().send().await),
        other => panic!("no Rust twin for the Python call {other}"),
    }
}
