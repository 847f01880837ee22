//! Every operation of the API, called once against a server on 127.0.0.1: the request it
//! sends (method, encoded path, query, headers, JSON body) and the typed decoding of its
//! documented success example.
//!
//! One test per operation, written from the spec (parameter and body values are the
//! spec's own examples) and reviewed by hand.

#[path = "../common/mod.rs"]
mod common;
mod harness;

use harness::{Case, Expected, typed};
use pilot_status::types;
use serde_json::json;

#[tokio::test]
async fn ads_unlink_account() {
    let case = Case::new("ads.unlink_account").await;
    let response = case
        .client()
        .ads()
        .unlink_account("act_1234567890")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts/act_1234567890"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_unlink() {
    let case = Case::new("lead_pages.unlink").await;
    let response = case
        .client()
        .lead_pages()
        .unlink("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_cancel() {
    let case = Case::new("messages.cancel").await;
    let body = json!({"messageIds": ["msg_01HZX...", "msg_02HZX..."]});
    let response = case
        .client()
        .messages()
        .cancel(["msg_01HZX...", "msg_02HZX..."])
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/cancel").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_delete() {
    let case = Case::new("numbers.delete").await;
    let response = case
        .client()
        .numbers()
        .delete("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_purge() {
    let case = Case::new("numbers.purge").await;
    let response = case
        .client()
        .numbers()
        .purge("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../purge"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn subscription_remove_extra_numbers() {
    let case = Case::new("subscription.remove_extra_numbers").await;
    let body = json!({"quantity": 1});
    let response = case
        .client()
        .subscription()
        .remove_extra_numbers()
        .body(typed::<types::ReleaseExtraNumbersInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn templates_delete() {
    let case = Case::new("templates.delete").await;
    let response = case
        .client()
        .templates()
        .delete("boas_vindas")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/boas_vindas"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_delete() {
    let case = Case::new("webhooks.delete").await;
    let response = case
        .client()
        .webhooks()
        .delete("wh_01HZX...")
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/webhooks/wh_01HZX...").header("x-whatsapp-number-id", "num_01HZX..."),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn ads_list_accounts() {
    let case = Case::new("ads.list_accounts").await;
    let response = case
        .client()
        .ads()
        .list_accounts()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn ads_summary() {
    let case = Case::new("ads.summary").await;
    let response = case
        .client()
        .ads()
        .summary()
        .number_id("num_01HZX...")
        .start_date("2026-10-01T00:00:00.000Z")
        .end_date("2026-10-31T23:59:59.000Z")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/summary").query(&[
        ("whatsappNumberId", "num_01HZX..."),
        ("startDate", "2026-10-01T00:00:00.000Z"),
        ("endDate", "2026-10-31T23:59:59.000Z"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn analytics_get_dashboard_stats() {
    let case = Case::new("analytics.get_dashboard_stats").await;
    let response = case
        .client()
        .analytics()
        .get_dashboard_stats()
        .period("30d")
        .timezone("America/Sao_Paulo")
        .tz("America/Sao_Paulo")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/analytics/dashboard").query(&[
        ("period", "30d"),
        ("timezone", "America/Sao_Paulo"),
        ("tz", "America/Sao_Paulo"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn api_keys_list() {
    let case = Case::new("api_keys.list").await;
    let response = case
        .client()
        .api_keys()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn branding_get() {
    let case = Case::new("branding.get").await;
    let response = case
        .client()
        .branding()
        .get()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/branding")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_list() {
    let case = Case::new("calls.list").await;
    let response = case
        .client()
        .calls()
        .list()
        .limit(25)
        .before("2026-07-03T15:00:00.000Z")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/calls")
            .query(&[("limit", "25"), ("before", "2026-07-03T15:00:00.000Z")]),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_get() {
    let case = Case::new("calls.get").await;
    let response = case
        .client()
        .calls()
        .get("call_01HZX...")
        .include_sdp(true)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX...").query(&[("includeSdp", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_get_permissions() {
    let case = Case::new("calls.get_permissions").await;
    let response = case
        .client()
        .calls()
        .get_permissions("+5511999999999")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/permissions").query(&[("to", "+5511999999999")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_get_settings() {
    let case = Case::new("calls.get_settings").await;
    let response = case
        .client()
        .calls()
        .get_settings()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/settings")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn conversations_list() {
    let case = Case::new("conversations.list").await;
    let response = case
        .client()
        .conversations()
        .list()
        .start_date("2026-06-01T00:00:00.000Z")
        .end_date("2026-06-30T23:59:59.999Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/conversations").query(&[
        ("startDate", "2026-06-01T00:00:00.000Z"),
        ("endDate", "2026-06-30T23:59:59.999Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn groups_list() {
    let case = Case::new("groups.list").await;
    let response = case
        .client()
        .groups()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn groups_get() {
    let case = Case::new("groups.get").await;
    let response = case
        .client()
        .groups()
        .get("123456789-987654321@g.us")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups/123456789-987654321%40g.us"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_list() {
    let case = Case::new("lead_pages.list").await;
    let response = case
        .client()
        .lead_pages()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_list_forms() {
    let case = Case::new("lead_pages.list_forms").await;
    let response = case
        .client()
        .lead_pages()
        .list_forms("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../forms"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn leads_list() {
    let case = Case::new("leads.list").await;
    let response = case
        .client()
        .leads()
        .list()
        .form_id("1187654321098765")
        .ad_id("120249828053880703")
        .page_id("104857392011234")
        .start_date("2026-10-01T00:00:00.000Z")
        .end_date("2026-10-31T23:59:59.000Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/leads").query(&[
        ("formId", "1187654321098765"),
        ("adId", "120249828053880703"),
        ("pageId", "104857392011234"),
        ("startDate", "2026-10-01T00:00:00.000Z"),
        ("endDate", "2026-10-31T23:59:59.000Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn leads_get() {
    let case = Case::new("leads.get").await;
    let response = case
        .client()
        .leads()
        .get("lead_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/leads/lead_01HZX...")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn media_download() {
    let case = Case::new("media.download").await;
    let response = case
        .client()
        .media()
        .download("1234567890123456", "123456789012345")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/media/1234567890123456").query(&[("phoneNumberId", "123456789012345")]),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_group_history() {
    let case = Case::new("messages.group_history").await;
    let response = case
        .client()
        .messages()
        .group_history()
        .start_date("2026-06-01T00:00:00.000Z")
        .end_date("2026-06-30T23:59:59.999Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/group").query(&[
        ("startDate", "2026-06-01T00:00:00.000Z"),
        ("endDate", "2026-06-30T23:59:59.999Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_history() {
    let case = Case::new("messages.history").await;
    let response = case
        .client()
        .messages()
        .history()
        .start_date("2026-06-01T00:00:00.000Z")
        .end_date("2026-06-30T23:59:59.999Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/history").query(&[
        ("startDate", "2026-06-01T00:00:00.000Z"),
        ("endDate", "2026-06-30T23:59:59.999Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_get() {
    let case = Case::new("messages.get").await;
    let response = case
        .client()
        .messages()
        .get("msg_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/msg_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_unread() {
    let case = Case::new("messages.unread").await;
    let response = case
        .client()
        .messages()
        .unread()
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/unread").query(&[("page", "1"), ("pageSize", "30")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn newsletters_list() {
    let case = Case::new("newsletters.list").await;
    let response = case
        .client()
        .newsletters()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/newsletters")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_list() {
    let case = Case::new("numbers.list").await;
    let response = case
        .client()
        .numbers()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_get() {
    let case = Case::new("numbers.get").await;
    let response = case
        .client()
        .numbers()
        .get("num_01HZX...")
        .refresh(true)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX...").query(&[("refresh", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_connect() {
    let case = Case::new("numbers.connect").await;
    let response = case
        .client()
        .numbers()
        .connect("num_01HZX...")
        .link("secondary")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../connect").query(&[("link", "secondary")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_get_status() {
    let case = Case::new("numbers.get_status").await;
    let response = case
        .client()
        .numbers()
        .get_status("num_01HZX...")
        .link("secondary")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../status").query(&[("link", "secondary")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn phone_lines_get_activation_audio() {
    let case = Case::new("phone_lines.get_activation_audio").await;
    let audio = case
        .client()
        .phone_lines()
        .get_activation_audio("pla_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path(
        "/v1/phone-lines/activations/pla_01HZX.../audio",
    ))
    .await;
    assert_eq!(audio.content_type, "audio/ogg");
    assert_eq!(audio.file_name.as_deref(), Some("activation.ogg"));
    assert_eq!(&audio.data[..], b"OggS fake audio");
}

#[tokio::test]
async fn phone_lines_verification_get() {
    let case = Case::new("phone_lines.verification.get").await;
    let response = case
        .client()
        .phone_lines()
        .verification()
        .get()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn projects_list() {
    let case = Case::new("projects.list").await;
    let response = case
        .client()
        .projects()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/projects")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn referrals_list() {
    let case = Case::new("referrals.list").await;
    let response = case
        .client()
        .referrals()
        .list()
        .source_id("120249828053880703")
        .source_type("ad")
        .start_date("2026-10-01T00:00:00.000Z")
        .end_date("2026-10-31T23:59:59.000Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/referrals").query(&[
        ("sourceId", "120249828053880703"),
        ("sourceType", "ad"),
        ("startDate", "2026-10-01T00:00:00.000Z"),
        ("endDate", "2026-10-31T23:59:59.000Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn referrals_summary() {
    let case = Case::new("referrals.summary").await;
    let response = case
        .client()
        .referrals()
        .summary()
        .start_date("2026-10-01T00:00:00.000Z")
        .end_date("2026-10-31T23:59:59.000Z")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/referrals/summary").query(&[
        ("startDate", "2026-10-01T00:00:00.000Z"),
        ("endDate", "2026-10-31T23:59:59.000Z"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn remote_pairing_get_info() {
    let case = Case::new("remote_pairing.get_info").await;
    let response = case
        .client()
        .remote_pairing()
        .get_info("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn remote_pairing_get_status() {
    let case = Case::new("remote_pairing.get_status").await;
    let response = case
        .client()
        .remote_pairing()
        .get_status("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX.../status"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn subscription_preview_extra_numbers() {
    let case = Case::new("subscription.preview_extra_numbers").await;
    let response = case
        .client()
        .subscription()
        .preview_extra_numbers()
        .quantity(1)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").query(&[("quantity", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn templates_list() {
    let case = Case::new("templates.list").await;
    let response = case
        .client()
        .templates()
        .list()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn templates_get() {
    let case = Case::new("templates.get").await;
    let response = case
        .client()
        .templates()
        .get("boas_vindas")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/boas_vindas"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_list() {
    let case = Case::new("webhooks.list").await;
    let response = case
        .client()
        .webhooks()
        .list()
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/webhooks").header("x-whatsapp-number-id", "num_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_get() {
    let case = Case::new("webhooks.get").await;
    let response = case
        .client()
        .webhooks()
        .get("wh_01HZX...")
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/webhooks/wh_01HZX...").header("x-whatsapp-number-id", "num_01HZX..."),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_logs() {
    let case = Case::new("webhooks.logs").await;
    let response = case
        .client()
        .webhooks()
        .logs("wh_01HZX...")
        .limit(20)
        .event("message.received")
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/webhooks/wh_01HZX.../logs")
            .query(&[("limit", "20"), ("event", "message.received")])
            .header("x-whatsapp-number-id", "num_01HZX..."),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_update() {
    let case = Case::new("lead_pages.update").await;
    let body = json!({"whatsappNumberId": "num_02HZX..."});
    let response = case
        .client()
        .lead_pages()
        .update(
            "lpl_01HZX...",
            types::WhatsappNumberRef::new("num_02HZX..."),
        )
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX...").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_update() {
    let case = Case::new("numbers.update").await;
    let body = json!({"piiMode": "STORE_X_DAYS", "piiRetentionDays": 30, "settings": {"msgRejectCall": "No momento não atendemos ligações.", "rejectCall": true}});
    let response = case
        .client()
        .numbers()
        .update("num_01HZX...")
        .body(typed::<types::UpdateNumberInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX...").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_update() {
    let case = Case::new("webhooks.update").await;
    let body = json!({"active": false});
    let response = case
        .client()
        .webhooks()
        .update("wh_01HZX...")
        .number_id("num_01HZX...")
        .body(typed::<types::UpdateWebhookInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/webhooks/wh_01HZX...")
            .header("x-whatsapp-number-id", "num_01HZX...")
            .body(body),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn ads_link_account() {
    let case = Case::new("ads.link_account").await;
    let body = json!({"adAccountId": "act_9876543210"});
    let response = case
        .client()
        .ads()
        .link_account("act_9876543210")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn api_keys_regenerate_number() {
    let case = Case::new("api_keys.regenerate_number").await;
    let body = json!({"whatsappNumberId": "num_01HZX..."});
    let response = case
        .client()
        .api_keys()
        .regenerate_number("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn api_keys_regenerate() {
    let case = Case::new("api_keys.regenerate").await;
    let response = case
        .client()
        .api_keys()
        .regenerate()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys/regenerate")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn billing_create_checkout() {
    let case = Case::new("billing.create_checkout").await;
    let body = json!({"amount": 50, "purpose": "wallet_topup"});
    let response = case
        .client()
        .billing()
        .create_checkout(typed::<types::CheckoutInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/billing/checkout").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_initiate() {
    let case = Case::new("calls.initiate").await;
    let body =
        json!({"bizOpaqueCallbackData": "order-42", "sdp": "v=0\r\n...", "to": "+5511999999999"});
    let response = case
        .client()
        .calls()
        .initiate("+5511999999999")
        .biz_opaque_callback_data("order-42")
        .sdp("v=0\r\n...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_accept() {
    let case = Case::new("calls.accept").await;
    let body = json!({"sdp": "v=0\r\n..."});
    let response = case
        .client()
        .calls()
        .accept("wacid.ABGG...")
        .body(typed::<types::AcceptCallInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../accept").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_play() {
    let case = Case::new("calls.play").await;
    let body = json!({"mediaUrl": "https://cdn.example.com/ivr-greeting.mp3"});
    let response = case
        .client()
        .calls()
        .play("call_01HZX...", "https://cdn.example.com/ivr-greeting.mp3")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX.../play").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_pre_accept() {
    let case = Case::new("calls.pre_accept").await;
    let body = json!({"sdp": "v=0\r\n..."});
    let response = case
        .client()
        .calls()
        .pre_accept("wacid.ABGG...", "v=0\r\n...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../pre-accept").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_realtime_session() {
    let case = Case::new("calls.realtime_session").await;
    let body = json!({"mode": "talk"});
    let response = case
        .client()
        .calls()
        .realtime_session("call_01HZX...", types::RealtimeSessionMode::Talk)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX.../realtime-session").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_reject() {
    let case = Case::new("calls.reject").await;
    let response = case
        .client()
        .calls()
        .reject("wacid.ABGG...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../reject"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_terminate() {
    let case = Case::new("calls.terminate").await;
    let response = case
        .client()
        .calls()
        .terminate("wacid.ABGG...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../terminate"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_request_permission() {
    let case = Case::new("calls.request_permission").await;
    let body = json!({"text": "Podemos te ligar?", "to": "+5511999999999"});
    let response = case
        .client()
        .calls()
        .request_permission("+5511999999999")
        .text("Podemos te ligar?")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/permissions/request").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn groups_create() {
    let case = Case::new("groups.create").await;
    let body =
        json!({"participants": ["5511988887777", "5511977776666"], "subject": "Equipe Vendas"});
    let response = case
        .client()
        .groups()
        .create(typed::<types::CreateGroupInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn groups_add_participants() {
    let case = Case::new("groups.add_participants").await;
    let body = json!({"participants": ["5511966665555", "5511955554444"]});
    let response = case
        .client()
        .groups()
        .add_participants(
            "123456789-987654321@g.us",
            ["5511966665555", "5511955554444"],
        )
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups/123456789-987654321%40g.us/participants").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_link() {
    let case = Case::new("lead_pages.link").await;
    let body = json!({"pageId": "112233445566778", "whatsappNumberId": "num_01HZX..."});
    let response = case
        .client()
        .lead_pages()
        .link("112233445566778")
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_resync() {
    let case = Case::new("lead_pages.resync").await;
    let response = case
        .client()
        .lead_pages()
        .resync("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../resync"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn messages_send() {
    let case = Case::new("messages.send").await;
    let body = json!({"destinationNumber": "5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}});
    let response = case
        .client()
        .messages()
        .send(typed::<types::SendMessageInput>(&body))
        .idempotency_key("5f0c8a4e-9b1d-4a57-8f39-2d4c1e6b7a90")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/messages/send")
            .header("idempotency-key", "5f0c8a4e-9b1d-4a57-8f39-2d4c1e6b7a90")
            .body(body),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_create() {
    let case = Case::new("numbers.create").await;
    let body = json!({"name": "Suporte", "number": "5511999999999"});
    let response = case
        .client()
        .numbers()
        .create(
            types::CreateNumberInput::builder()
                .name("Suporte")
                .number("5511999999999")
                .build(),
        )
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_check() {
    let case = Case::new("numbers.check").await;
    let body = json!({"number": "5511988887777"});
    let response = case
        .client()
        .numbers()
        .check("5511988887777")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/check").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_pay() {
    let case = Case::new("numbers.pay").await;
    let response = case
        .client()
        .numbers()
        .pay("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../pay"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_restore() {
    let case = Case::new("numbers.restore").await;
    let response = case
        .client()
        .numbers()
        .restore("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../restore"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_upgrade_to_dual() {
    let case = Case::new("numbers.upgrade_to_dual").await;
    let response = case
        .client()
        .numbers()
        .upgrade_to_dual("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../upgrade-to-dual"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_create_meta() {
    let case = Case::new("numbers.create_meta").await;
    let body = json!({"metaAccessToken": "EAAGm0PX4ZCpsBA...", "metaPhoneId": "123456789012345", "metaWabaId": "987654321098765", "name": "Atendimento", "number": "5511999999999"});
    let response = case
        .client()
        .numbers()
        .create_meta(typed::<types::CreateMetaNumberInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/meta").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn numbers_remote_pairing() {
    let case = Case::new("numbers.remote_pairing").await;
    let body = json!({"name": "Cliente Acme", "number": "5511988887777"});
    let response = case
        .client()
        .numbers()
        .remote_pairing()
        .body(typed::<types::RemotePairingInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/remote-pairing").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn phone_lines_verification_start() {
    let case = Case::new("phone_lines.verification.start").await;
    let body = json!({"contactEmail": "financeiro@acme.com.br", "contactWhatsapp": "5511999999999", "document": "data:application/pdf;base64,JVBERi0xLjcK...", "documentNumber": "12345678000190", "documentType": "CNPJ"});
    let response = case
        .client()
        .phone_lines()
        .verification()
        .start(
            "3f6c1a9e-8d2b-4c4e-9f1a-2b7d5e0c9a41",
            typed::<types::StartVerificationInput>(&body),
        )
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/phone-lines/verification")
            .header("idempotency-key", "3f6c1a9e-8d2b-4c4e-9f1a-2b7d5e0c9a41")
            .body(body),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn phone_lines_verification_confirm_contact() {
    let case = Case::new("phone_lines.verification.confirm_contact").await;
    let body = json!({"code": "482913"});
    let response = case
        .client()
        .phone_lines()
        .verification()
        .confirm_contact(types::ContactChannelPath::Whatsapp, "482913")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification/contact/whatsapp/confirm").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn phone_lines_verification_send_contact_code() {
    let case = Case::new("phone_lines.verification.send_contact_code").await;
    let response = case
        .client()
        .phone_lines()
        .verification()
        .send_contact_code(types::ContactChannelPath::Whatsapp)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path(
        "/v1/phone-lines/verification/contact/whatsapp/send",
    ))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn phone_lines_verification_submit_document() {
    let case = Case::new("phone_lines.verification.submit_document").await;
    let body = json!({"document": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ..."});
    let response = case
        .client()
        .phone_lines()
        .verification()
        .submit_document("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification/document").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn projects_create() {
    let case = Case::new("projects.create").await;
    let body = json!({"description": "Atendimento e campanhas da loja", "name": "Loja Acme"});
    let response = case
        .client()
        .projects()
        .create("Loja Acme")
        .description("Atendimento e campanhas da loja")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/projects").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn remote_pairing_connect() {
    let case = Case::new("remote_pairing.connect").await;
    let response = case
        .client()
        .remote_pairing()
        .connect("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX.../connect"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn subscription_buy_extra_numbers() {
    let case = Case::new("subscription.buy_extra_numbers").await;
    let body = json!({"confirm": true, "quantity": 1});
    let response = case
        .client()
        .subscription()
        .buy_extra_numbers()
        .body(typed::<types::BuyExtraNumbersInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn templates_create() {
    let case = Case::new("templates.create").await;
    let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "nome": "Maria"}, "language": "pt_BR", "name": "promo_cupom"});
    let response = case
        .client()
        .templates()
        .create(typed::<types::CreateTemplateInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn webhooks_create() {
    let case = Case::new("webhooks.create").await;
    let body = json!({"events": ["message.received", "message.delivered"], "name": "n8n", "url": "https://hooks.acme.com/whatsapp"});
    let response = case
        .client()
        .webhooks()
        .create(
            types::CreateWebhookInput::builder()
                .url("https://hooks.acme.com/whatsapp")
                .name("n8n")
                .events(["message.received", "message.delivered"])
                .build(),
        )
        .number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(
        Expected::path("/v1/webhooks")
            .header("x-whatsapp-number-id", "num_01HZX...")
            .body(body),
    )
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn branding_update() {
    let case = Case::new("branding.update").await;
    let body = json!({"companyName": "Acme", "hidePilotStatusBranding": true, "primaryColor": "#1fd286", "supportUrl": "https://acme.com/suporte"});
    let response = case
        .client()
        .branding()
        .update()
        .body(typed::<types::Branding>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/branding").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn calls_update_settings() {
    let case = Case::new("calls.update_settings").await;
    let body = json!({"status": "ENABLED"});
    let response = case
        .client()
        .calls()
        .update_settings()
        .body(typed::<types::CallingSettings>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/settings").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn lead_pages_update_form() {
    let case = Case::new("lead_pages.update_form").await;
    let body = json!({"autoSendEnabled": true, "consentDisclaimerKey": "consent_whatsapp", "formName": "Promo primavera", "freeText": null, "templateId": "tpl_02HZX..."});
    let response = case
        .client()
        .lead_pages()
        .update_form(
            "lpl_01HZX...",
            "1187654321098765",
            typed::<types::LeadFormConfigInput>(&body),
        )
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../forms/1187654321098765").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn templates_update() {
    let case = Case::new("templates.update").await;
    let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo/{{link}}"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "link": "abc123", "nome": "Maria"}, "language": "pt_BR"});
    let response = case
        .client()
        .templates()
        .update("promo_cupom", typed::<types::UpdateTemplateInput>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/promo_cupom").body(body))
        .await;
    case.decoded(&response.into_inner());
}
