//! Every operation of the API, called once against a server on 127.0.0.1: the request it
//! sends (method, encoded path, query, headers, JSON body) and the typed decoding of its
//! documented success example.
//!
//! One test per operation, written from the spec (parameter and body values are the
//! spec's own examples) and reviewed by hand.

mod harness;

use harness::{Case, Expected, typed};
use pilot_status::types;
use serde_json::json;

#[tokio::test]
async fn delete_ads_accounts_ad_account_id() {
    let case = Case::new("delete_ads_accounts_ad_account_id").await;
    let response = case
        .client()
        .delete_ads_accounts_ad_account_id()
        .ad_account_id("act_1234567890")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts/act_1234567890"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_lead_pages_page_link_id() {
    let case = Case::new("delete_lead_pages_page_link_id").await;
    let response = case
        .client()
        .delete_lead_pages_page_link_id()
        .page_link_id("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_messages_cancel() {
    let case = Case::new("delete_messages_cancel").await;
    let body = json!({"messageIds": ["msg_01HZX...", "msg_02HZX..."]});
    let response = case
        .client()
        .delete_messages_cancel()
        .body(typed::<types::DeleteMessagesCancelBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/cancel").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_numbers_id() {
    let case = Case::new("delete_numbers_id").await;
    let response = case
        .client()
        .delete_numbers_id()
        .id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_numbers_id_purge() {
    let case = Case::new("delete_numbers_id_purge").await;
    let response = case
        .client()
        .delete_numbers_id_purge()
        .id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../purge"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_subscription_extra_numbers() {
    let case = Case::new("delete_subscription_extra_numbers").await;
    let body = json!({"quantity": 1});
    let response = case
        .client()
        .delete_subscription_extra_numbers()
        .body(typed::<types::DeleteSubscriptionExtraNumbersBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_templates_id() {
    let case = Case::new("delete_templates_id").await;
    let response = case
        .client()
        .delete_templates_id()
        .id("boas_vindas")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/boas_vindas"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn delete_webhooks_id() {
    let case = Case::new("delete_webhooks_id").await;
    let response = case
        .client()
        .delete_webhooks_id()
        .id("wh_01HZX...")
        .x_whatsapp_number_id("num_01HZX...")
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
async fn get_ads_accounts() {
    let case = Case::new("get_ads_accounts").await;
    let response = case
        .client()
        .get_ads_accounts()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_ads_summary() {
    let case = Case::new("get_ads_summary").await;
    let response = case
        .client()
        .get_ads_summary()
        .whatsapp_number_id("num_01HZX...")
        .start_date("2026-10-01T00:00:00Z")
        .end_date("2026-10-31T23:59:59Z")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/summary").query(&[
        ("whatsappNumberId", "num_01HZX..."),
        ("startDate", "2026-10-01T00:00:00Z"),
        ("endDate", "2026-10-31T23:59:59Z"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_analytics_dashboard() {
    let case = Case::new("get_analytics_dashboard").await;
    let response = case
        .client()
        .get_analytics_dashboard()
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
async fn get_api_keys() {
    let case = Case::new("get_api_keys").await;
    let response = case
        .client()
        .get_api_keys()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_branding() {
    let case = Case::new("get_branding").await;
    let response = case
        .client()
        .get_branding()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/branding")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_calls() {
    let case = Case::new("get_calls").await;
    let response = case
        .client()
        .get_calls()
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
async fn get_calls_call_id() {
    let case = Case::new("get_calls_call_id").await;
    let response = case
        .client()
        .get_calls_call_id()
        .call_id("call_01HZX...")
        .include_sdp("1")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX...").query(&[("includeSdp", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_calls_permissions() {
    let case = Case::new("get_calls_permissions").await;
    let response = case
        .client()
        .get_calls_permissions()
        .to("+5511999999999")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/permissions").query(&[("to", "+5511999999999")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_calls_settings() {
    let case = Case::new("get_calls_settings").await;
    let response = case
        .client()
        .get_calls_settings()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/settings")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_conversations() {
    let case = Case::new("get_conversations").await;
    let response = case
        .client()
        .get_conversations()
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
async fn get_groups() {
    let case = Case::new("get_groups").await;
    let response = case.client().get_groups().send().await.expect("a success");
    case.expect(Expected::path("/v1/groups")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_groups_group_id() {
    let case = Case::new("get_groups_group_id").await;
    let response = case
        .client()
        .get_groups_group_id()
        .group_id("123456789-987654321@g.us")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups/123456789-987654321%40g.us"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_lead_pages() {
    let case = Case::new("get_lead_pages").await;
    let response = case
        .client()
        .get_lead_pages()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_lead_pages_page_link_id_forms() {
    let case = Case::new("get_lead_pages_page_link_id_forms").await;
    let response = case
        .client()
        .get_lead_pages_page_link_id_forms()
        .page_link_id("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../forms"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_leads() {
    let case = Case::new("get_leads").await;
    let response = case
        .client()
        .get_leads()
        .form_id("1187654321098765")
        .ad_id("120249828053880703")
        .page_id("104857392011234")
        .start_date("2026-10-01T00:00:00Z")
        .end_date("2026-10-31T23:59:59Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/leads").query(&[
        ("formId", "1187654321098765"),
        ("adId", "120249828053880703"),
        ("pageId", "104857392011234"),
        ("startDate", "2026-10-01T00:00:00Z"),
        ("endDate", "2026-10-31T23:59:59Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_leads_id() {
    let case = Case::new("get_leads_id").await;
    let response = case
        .client()
        .get_leads_id()
        .id("lead_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/leads/lead_01HZX...")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_media_media_id() {
    let case = Case::new("get_media_media_id").await;
    let response = case
        .client()
        .get_media_media_id()
        .media_id("1234567890123456")
        .phone_number_id("123456789012345")
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
async fn get_messages_group() {
    let case = Case::new("get_messages_group").await;
    let response = case
        .client()
        .get_messages_group()
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
async fn get_messages_history() {
    let case = Case::new("get_messages_history").await;
    let response = case
        .client()
        .get_messages_history()
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
async fn get_messages_id() {
    let case = Case::new("get_messages_id").await;
    let response = case
        .client()
        .get_messages_id()
        .id("msg_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/messages/msg_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_messages_unread() {
    let case = Case::new("get_messages_unread").await;
    let response = case
        .client()
        .get_messages_unread()
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
async fn get_newsletters() {
    let case = Case::new("get_newsletters").await;
    let response = case
        .client()
        .get_newsletters()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/newsletters")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_numbers() {
    let case = Case::new("get_numbers").await;
    let response = case.client().get_numbers().send().await.expect("a success");
    case.expect(Expected::path("/v1/numbers")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_numbers_id() {
    let case = Case::new("get_numbers_id").await;
    let response = case
        .client()
        .get_numbers_id()
        .id("num_01HZX...")
        .refresh("1")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX...").query(&[("refresh", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_numbers_id_connect() {
    let case = Case::new("get_numbers_id_connect").await;
    let response = case
        .client()
        .get_numbers_id_connect()
        .id("num_01HZX...")
        .link("secondary")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../connect").query(&[("link", "secondary")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_numbers_id_status() {
    let case = Case::new("get_numbers_id_status").await;
    let response = case
        .client()
        .get_numbers_id_status()
        .id("num_01HZX...")
        .link("secondary")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../status").query(&[("link", "secondary")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_phone_lines_activations_activation_id_audio() {
    let case = Case::new("get_phone_lines_activations_activation_id_audio").await;
    let audio = case
        .client()
        .activation_audio("pla_01HZX...")
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
async fn get_phone_lines_verification() {
    let case = Case::new("get_phone_lines_verification").await;
    let response = case
        .client()
        .get_phone_lines_verification()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_projects() {
    let case = Case::new("get_projects").await;
    let response = case
        .client()
        .get_projects()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/projects")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_referrals() {
    let case = Case::new("get_referrals").await;
    let response = case
        .client()
        .get_referrals()
        .source_id("120249828053880703")
        .source_type("ad")
        .start_date("2026-10-01T00:00:00Z")
        .end_date("2026-10-31T23:59:59Z")
        .page(1)
        .page_size(30)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/referrals").query(&[
        ("sourceId", "120249828053880703"),
        ("sourceType", "ad"),
        ("startDate", "2026-10-01T00:00:00Z"),
        ("endDate", "2026-10-31T23:59:59Z"),
        ("page", "1"),
        ("pageSize", "30"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_referrals_summary() {
    let case = Case::new("get_referrals_summary").await;
    let response = case
        .client()
        .get_referrals_summary()
        .start_date("2026-10-01T00:00:00Z")
        .end_date("2026-10-31T23:59:59Z")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/referrals/summary").query(&[
        ("startDate", "2026-10-01T00:00:00Z"),
        ("endDate", "2026-10-31T23:59:59Z"),
    ]))
    .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_remote_pairing_token() {
    let case = Case::new("get_remote_pairing_token").await;
    let response = case
        .client()
        .get_remote_pairing_token()
        .token("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_remote_pairing_token_status() {
    let case = Case::new("get_remote_pairing_token_status").await;
    let response = case
        .client()
        .get_remote_pairing_token_status()
        .token("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX.../status"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_subscription_extra_numbers() {
    let case = Case::new("get_subscription_extra_numbers").await;
    let response = case
        .client()
        .get_subscription_extra_numbers()
        .quantity(1)
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").query(&[("quantity", "1")]))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_templates() {
    let case = Case::new("get_templates").await;
    let response = case
        .client()
        .get_templates()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_templates_id() {
    let case = Case::new("get_templates_id").await;
    let response = case
        .client()
        .get_templates_id()
        .id("boas_vindas")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/boas_vindas"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_webhooks() {
    let case = Case::new("get_webhooks").await;
    let response = case
        .client()
        .get_webhooks()
        .x_whatsapp_number_id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/webhooks").header("x-whatsapp-number-id", "num_01HZX..."))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn get_webhooks_id() {
    let case = Case::new("get_webhooks_id").await;
    let response = case
        .client()
        .get_webhooks_id()
        .id("wh_01HZX...")
        .x_whatsapp_number_id("num_01HZX...")
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
async fn get_webhooks_id_logs() {
    let case = Case::new("get_webhooks_id_logs").await;
    let response = case
        .client()
        .get_webhooks_id_logs()
        .id("wh_01HZX...")
        .limit(20)
        .event("message.received")
        .x_whatsapp_number_id("num_01HZX...")
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
async fn patch_lead_pages_page_link_id() {
    let case = Case::new("patch_lead_pages_page_link_id").await;
    let body = json!({"whatsappNumberId": "num_02HZX..."});
    let response = case
        .client()
        .patch_lead_pages_page_link_id()
        .page_link_id("lpl_01HZX...")
        .body(typed::<types::PatchLeadPagesPageLinkIdBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX...").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn patch_numbers_id() {
    let case = Case::new("patch_numbers_id").await;
    let body = json!({"piiMode": "STORE_X_DAYS", "piiRetentionDays": 30, "settings": {"msgRejectCall": "No momento não atendemos ligações.", "rejectCall": true}});
    let response = case
        .client()
        .patch_numbers_id()
        .id("num_01HZX...")
        .body(typed::<types::PatchNumbersIdBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX...").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn patch_webhooks_id() {
    let case = Case::new("patch_webhooks_id").await;
    let body = json!({"active": false});
    let response = case
        .client()
        .patch_webhooks_id()
        .id("wh_01HZX...")
        .x_whatsapp_number_id("num_01HZX...")
        .body(typed::<types::PatchWebhooksIdBody>(&body))
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
async fn post_ads_accounts() {
    let case = Case::new("post_ads_accounts").await;
    let body = json!({"adAccountId": "act_9876543210"});
    let response = case
        .client()
        .post_ads_accounts()
        .body(typed::<types::PostAdsAccountsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/ads/accounts").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_api_keys() {
    let case = Case::new("post_api_keys").await;
    let body = json!({"whatsappNumberId": "num_01HZX..."});
    let response = case
        .client()
        .post_api_keys()
        .body(typed::<types::PostApiKeysBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_api_keys_regenerate() {
    let case = Case::new("post_api_keys_regenerate").await;
    let response = case
        .client()
        .post_api_keys_regenerate()
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/api-keys/regenerate")).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_billing_checkout() {
    let case = Case::new("post_billing_checkout").await;
    let body = json!({"amount": 50, "purpose": "wallet_topup"});
    let response = case
        .client()
        .post_billing_checkout()
        .body(typed::<types::PostBillingCheckoutBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/billing/checkout").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls() {
    let case = Case::new("post_calls").await;
    let body =
        json!({"bizOpaqueCallbackData": "order-42", "sdp": "v=0\r\n...", "to": "+5511999999999"});
    let response = case
        .client()
        .post_calls()
        .body(typed::<types::PostCallsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_accept() {
    let case = Case::new("post_calls_call_id_accept").await;
    let body = json!({"sdp": "v=0\r\n..."});
    let response = case
        .client()
        .post_calls_call_id_accept()
        .call_id("wacid.ABGG...")
        .body(typed::<types::PostCallsCallIdAcceptBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../accept").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_play() {
    let case = Case::new("post_calls_call_id_play").await;
    let body = json!({"mediaUrl": "https://cdn.example.com/ivr-greeting.mp3"});
    let response = case
        .client()
        .post_calls_call_id_play()
        .call_id("call_01HZX...")
        .body(typed::<types::PostCallsCallIdPlayBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX.../play").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_pre_accept() {
    let case = Case::new("post_calls_call_id_pre_accept").await;
    let body = json!({"sdp": "v=0\r\n..."});
    let response = case
        .client()
        .post_calls_call_id_pre_accept()
        .call_id("wacid.ABGG...")
        .body(typed::<types::PostCallsCallIdPreAcceptBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../pre-accept").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_realtime_session() {
    let case = Case::new("post_calls_call_id_realtime_session").await;
    let body = json!({"mode": "talk"});
    let response = case
        .client()
        .post_calls_call_id_realtime_session()
        .call_id("call_01HZX...")
        .body(typed::<types::PostCallsCallIdRealtimeSessionBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/call_01HZX.../realtime-session").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_reject() {
    let case = Case::new("post_calls_call_id_reject").await;
    let response = case
        .client()
        .post_calls_call_id_reject()
        .call_id("wacid.ABGG...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../reject"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_call_id_terminate() {
    let case = Case::new("post_calls_call_id_terminate").await;
    let response = case
        .client()
        .post_calls_call_id_terminate()
        .call_id("wacid.ABGG...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/wacid.ABGG.../terminate"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_calls_permissions_request() {
    let case = Case::new("post_calls_permissions_request").await;
    let body = json!({"text": "Podemos te ligar?", "to": "+5511999999999"});
    let response = case
        .client()
        .post_calls_permissions_request()
        .body(typed::<types::PostCallsPermissionsRequestBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/permissions/request").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_groups() {
    let case = Case::new("post_groups").await;
    let body =
        json!({"participants": ["5511988887777", "5511977776666"], "subject": "Equipe Vendas"});
    let response = case
        .client()
        .post_groups()
        .body(typed::<types::PostGroupsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_groups_group_id_participants() {
    let case = Case::new("post_groups_group_id_participants").await;
    let body = json!({"participants": ["5511966665555", "5511955554444"]});
    let response = case
        .client()
        .post_groups_group_id_participants()
        .group_id("123456789-987654321@g.us")
        .body(typed::<types::PostGroupsGroupIdParticipantsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/groups/123456789-987654321%40g.us/participants").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_lead_pages() {
    let case = Case::new("post_lead_pages").await;
    let body = json!({"pageId": "112233445566778", "whatsappNumberId": "num_01HZX..."});
    let response = case
        .client()
        .post_lead_pages()
        .body(typed::<types::PostLeadPagesBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_lead_pages_page_link_id_resync() {
    let case = Case::new("post_lead_pages_page_link_id_resync").await;
    let response = case
        .client()
        .post_lead_pages_page_link_id_resync()
        .page_link_id("lpl_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../resync"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_messages_send() {
    let case = Case::new("post_messages_send").await;
    let body = json!({"destinationNumber": "5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}});
    let response = case
        .client()
        .post_messages_send()
        .idempotency_key("5f0c8a4e-9b1d-4a57-8f39-2d4c1e6b7a90")
        .body(typed::<types::PostMessagesSendBody>(&body))
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
async fn post_numbers() {
    let case = Case::new("post_numbers").await;
    let body = json!({"name": "Suporte", "number": "5511999999999"});
    let response = case
        .client()
        .post_numbers()
        .body(typed::<types::PostNumbersBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_check() {
    let case = Case::new("post_numbers_check").await;
    let body = json!({"number": "5511988887777"});
    let response = case
        .client()
        .post_numbers_check()
        .body(typed::<types::PostNumbersCheckBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/check").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_id_pay() {
    let case = Case::new("post_numbers_id_pay").await;
    let response = case
        .client()
        .post_numbers_id_pay()
        .id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../pay"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_id_restore() {
    let case = Case::new("post_numbers_id_restore").await;
    let response = case
        .client()
        .post_numbers_id_restore()
        .id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../restore"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_id_upgrade_to_dual() {
    let case = Case::new("post_numbers_id_upgrade_to_dual").await;
    let response = case
        .client()
        .post_numbers_id_upgrade_to_dual()
        .id("num_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/num_01HZX.../upgrade-to-dual"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_meta() {
    let case = Case::new("post_numbers_meta").await;
    let body = json!({"metaAccessToken": "EAAGm0PX4ZCpsBA...", "metaPhoneId": "123456789012345", "metaWabaId": "987654321098765", "name": "Atendimento", "number": "5511999999999"});
    let response = case
        .client()
        .post_numbers_meta()
        .body(typed::<types::PostNumbersMetaBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/meta").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_numbers_remote_pairing() {
    let case = Case::new("post_numbers_remote_pairing").await;
    let body = json!({"name": "Cliente Acme", "number": "5511988887777"});
    let response = case
        .client()
        .post_numbers_remote_pairing()
        .body(typed::<types::PostNumbersRemotePairingBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/numbers/remote-pairing").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_phone_lines_verification() {
    let case = Case::new("post_phone_lines_verification").await;
    let body = json!({"contactEmail": "financeiro@acme.com.br", "contactWhatsapp": "5511999999999", "document": "data:application/pdf;base64,JVBERi0xLjcK...", "documentNumber": "12345678000190", "documentType": "CNPJ"});
    let response = case
        .client()
        .post_phone_lines_verification()
        .idempotency_key("3f6c1a9e-8d2b-4c4e-9f1a-2b7d5e0c9a41")
        .body(typed::<types::PostPhoneLinesVerificationBody>(&body))
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
async fn post_phone_lines_verification_contact_channel_confirm() {
    let case = Case::new("post_phone_lines_verification_contact_channel_confirm").await;
    let body = json!({"code": "482913"});
    let response = case
        .client()
        .post_phone_lines_verification_contact_channel_confirm()
        .channel("whatsapp")
        .body(typed::<
            types::PostPhoneLinesVerificationContactChannelConfirmBody,
        >(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification/contact/whatsapp/confirm").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_phone_lines_verification_contact_channel_send() {
    let case = Case::new("post_phone_lines_verification_contact_channel_send").await;
    let response = case
        .client()
        .post_phone_lines_verification_contact_channel_send()
        .channel("whatsapp")
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
async fn post_phone_lines_verification_document() {
    let case = Case::new("post_phone_lines_verification_document").await;
    let body = json!({"document": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ..."});
    let response = case
        .client()
        .post_phone_lines_verification_document()
        .body(typed::<types::PostPhoneLinesVerificationDocumentBody>(
            &body,
        ))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/phone-lines/verification/document").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_projects() {
    let case = Case::new("post_projects").await;
    let body = json!({"description": "Atendimento e campanhas da loja", "name": "Loja Acme"});
    let response = case
        .client()
        .post_projects()
        .body(typed::<types::PostProjectsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/projects").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_remote_pairing_token_connect() {
    let case = Case::new("post_remote_pairing_token_connect").await;
    let response = case
        .client()
        .post_remote_pairing_token_connect()
        .token("rp_01HZX...")
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/remote-pairing/rp_01HZX.../connect"))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_subscription_extra_numbers() {
    let case = Case::new("post_subscription_extra_numbers").await;
    let body = json!({"confirm": true, "quantity": 1});
    let response = case
        .client()
        .post_subscription_extra_numbers()
        .body(typed::<types::PostSubscriptionExtraNumbersBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/subscription/extra-numbers").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_templates() {
    let case = Case::new("post_templates").await;
    let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "nome": "Maria"}, "language": "pt_BR", "name": "promo_cupom"});
    let response = case
        .client()
        .post_templates()
        .body(typed::<types::PostTemplatesBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn post_webhooks() {
    let case = Case::new("post_webhooks").await;
    let body = json!({"events": ["message.received", "message.delivered"], "name": "n8n", "url": "https://hooks.acme.com/whatsapp"});
    let response = case
        .client()
        .post_webhooks()
        .x_whatsapp_number_id("num_01HZX...")
        .body(typed::<types::PostWebhooksBody>(&body))
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
async fn put_branding() {
    let case = Case::new("put_branding").await;
    let body = json!({"companyName": "Acme", "hidePilotStatusBranding": true, "primaryColor": "#1fd286", "supportUrl": "https://acme.com/suporte"});
    let response = case
        .client()
        .put_branding()
        .body(typed::<types::PutBrandingBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/branding").body(body)).await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn put_calls_settings() {
    let case = Case::new("put_calls_settings").await;
    let body = json!({"status": "ENABLED"});
    let response = case
        .client()
        .put_calls_settings()
        .body(typed::<types::PutCallsSettingsBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/calls/settings").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn put_lead_pages_page_link_id_forms_form_id() {
    let case = Case::new("put_lead_pages_page_link_id_forms_form_id").await;
    let body = json!({"autoSendEnabled": true, "consentDisclaimerKey": "consent_whatsapp", "formName": "Promo primavera", "freeText": null, "templateId": "tpl_02HZX..."});
    let response = case
        .client()
        .put_lead_pages_page_link_id_forms_form_id()
        .page_link_id("lpl_01HZX...")
        .form_id("1187654321098765")
        .body(typed::<types::PutLeadPagesPageLinkIdFormsFormIdBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/lead-pages/lpl_01HZX.../forms/1187654321098765").body(body))
        .await;
    case.decoded(&response.into_inner());
}

#[tokio::test]
async fn put_templates_id() {
    let case = Case::new("put_templates_id").await;
    let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo/{{link}}"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "link": "abc123", "nome": "Maria"}, "language": "pt_BR"});
    let response = case
        .client()
        .put_templates_id()
        .id("promo_cupom")
        .body(typed::<types::PutTemplatesIdBody>(&body))
        .send()
        .await
        .expect("a success");
    case.expect(Expected::path("/v1/templates/promo_cupom").body(body))
        .await;
    case.decoded(&response.into_inner());
}
