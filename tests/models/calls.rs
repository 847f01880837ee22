//! One call per operation with a JSON success, through the resources (`client.numbers().get(..)`):
//! the arguments are the spec's own examples, as `tests/operations` uses them; only the response
//! matters here.

use pilot_status::{Client, Deviation, Error, ResponseValue, types};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// What a call read: the response re-serialised, and where the body differed from its type.
pub type Read = (Value, Vec<Deviation>);

/// The response re-serialised with its deviations, or the SDK's error.
fn decoded<T: Serialize>(result: Result<ResponseValue<T>, Error>) -> Result<Read, Error> {
    result.map(|response| {
        let value = serde_json::to_value(&*response).expect("a decoded response serialises");
        (value, response.deviations().to_vec())
    })
}

/// A request body from its JSON.
fn typed<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone()).expect("the body fits its type")
}

/// Calls the operation named `resource.method` and re-serialises its response; `None` when
/// there is no call for that name here.
pub async fn call(c: &Client, name: &str) -> Option<Result<Read, Error>> {
    Some(match name {
        "ads.link_account" => decoded(c.ads().link_account("act_9876543210").send().await),
        "ads.list_accounts" => decoded(c.ads().list_accounts().send().await),
        "ads.summary" => decoded(
            c.ads()
                .summary()
                .number_id("num_01HZX...")
                .start_date("2026-10-01T00:00:00.000Z")
                .end_date("2026-10-31T23:59:59.000Z")
                .send()
                .await,
        ),
        "ads.unlink_account" => decoded(c.ads().unlink_account("act_1234567890").send().await),
        "analytics.get_dashboard_stats" => decoded(
            c.analytics()
                .get_dashboard_stats()
                .period("30d")
                .timezone("America/Sao_Paulo")
                .tz("America/Sao_Paulo")
                .send()
                .await,
        ),
        "api_keys.list" => decoded(c.api_keys().list().send().await),
        "api_keys.regenerate" => decoded(c.api_keys().regenerate().send().await),
        "api_keys.regenerate_number" => {
            decoded(c.api_keys().regenerate_number("num_01HZX...").send().await)
        }
        "billing.create_checkout" => {
            let body = json!({"amount": 50, "purpose": "wallet_topup"});
            decoded(
                c.billing()
                    .create_checkout(typed::<types::CheckoutInput>(&body))
                    .send()
                    .await,
            )
        }
        "branding.get" => decoded(c.branding().get().send().await),
        "branding.update" => {
            let body = json!({"companyName": "Acme", "hidePilotStatusBranding": true, "primaryColor": "#1fd286", "supportUrl": "https://acme.com/suporte"});
            decoded(
                c.branding()
                    .update()
                    .body(typed::<types::Branding>(&body))
                    .send()
                    .await,
            )
        }
        "calls.accept" => {
            let body = json!({"sdp": "v=0\r\n..."});
            decoded(
                c.calls()
                    .accept("wacid.ABGG...")
                    .body(typed::<types::AcceptCallInput>(&body))
                    .send()
                    .await,
            )
        }
        "calls.get" => decoded(
            c.calls()
                .get("call_01HZX...")
                .include_sdp(true)
                .send()
                .await,
        ),
        "calls.get_permissions" => {
            decoded(c.calls().get_permissions("+5511999999999").send().await)
        }
        "calls.get_settings" => decoded(c.calls().get_settings().send().await),
        "calls.initiate" => decoded(
            c.calls()
                .initiate("+5511999999999")
                .biz_opaque_callback_data("order-42")
                .sdp("v=0\r\n...")
                .send()
                .await,
        ),
        "calls.list" => decoded(
            c.calls()
                .list()
                .limit(25)
                .before("2026-07-03T15:00:00.000Z")
                .send()
                .await,
        ),
        "calls.play" => decoded(
            c.calls()
                .play("call_01HZX...", "https://cdn.example.com/ivr-greeting.mp3")
                .send()
                .await,
        ),
        "calls.pre_accept" => decoded(
            c.calls()
                .pre_accept("wacid.ABGG...", "v=0\r\n...")
                .send()
                .await,
        ),
        "calls.realtime_session" => decoded(
            c.calls()
                .realtime_session("call_01HZX...", types::RealtimeSessionMode::Talk)
                .send()
                .await,
        ),
        "calls.reject" => decoded(c.calls().reject("wacid.ABGG...").send().await),
        "calls.request_permission" => decoded(
            c.calls()
                .request_permission("+5511999999999")
                .text("Podemos te ligar?")
                .send()
                .await,
        ),
        "calls.terminate" => decoded(c.calls().terminate("wacid.ABGG...").send().await),
        "calls.update_settings" => {
            let body = json!({"status": "ENABLED"});
            decoded(
                c.calls()
                    .update_settings()
                    .body(typed::<types::CallingSettings>(&body))
                    .send()
                    .await,
            )
        }
        "conversations.list" => decoded(
            c.conversations()
                .list()
                .start_date("2026-06-01T00:00:00.000Z")
                .end_date("2026-06-30T23:59:59.999Z")
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "groups.add_participants" => decoded(
            c.groups()
                .add_participants(
                    "123456789-987654321@g.us",
                    ["5511966665555", "5511955554444"],
                )
                .send()
                .await,
        ),
        "groups.create" => {
            let body = json!({"participants": ["5511988887777", "5511977776666"], "subject": "Equipe Vendas"});
            decoded(
                c.groups()
                    .create(typed::<types::CreateGroupInput>(&body))
                    .send()
                    .await,
            )
        }
        "groups.get" => decoded(c.groups().get("123456789-987654321@g.us").send().await),
        "groups.list" => decoded(c.groups().list().send().await),
        "lead_pages.link" => decoded(
            c.lead_pages()
                .link("112233445566778")
                .number_id("num_01HZX...")
                .send()
                .await,
        ),
        "lead_pages.list" => decoded(c.lead_pages().list().send().await),
        "lead_pages.list_forms" => decoded(c.lead_pages().list_forms("lpl_01HZX...").send().await),
        "lead_pages.resync" => decoded(c.lead_pages().resync("lpl_01HZX...").send().await),
        "lead_pages.unlink" => decoded(c.lead_pages().unlink("lpl_01HZX...").send().await),
        "lead_pages.update" => decoded(
            c.lead_pages()
                .update(
                    "lpl_01HZX...",
                    types::WhatsappNumberRef::new("num_02HZX..."),
                )
                .send()
                .await,
        ),
        "lead_pages.update_form" => {
            let body = json!({"autoSendEnabled": true, "consentDisclaimerKey": "consent_whatsapp", "formName": "Promo primavera", "freeText": null, "templateId": "tpl_02HZX..."});
            decoded(
                c.lead_pages()
                    .update_form(
                        "lpl_01HZX...",
                        "1187654321098765",
                        typed::<types::LeadFormConfigInput>(&body),
                    )
                    .send()
                    .await,
            )
        }
        "leads.get" => decoded(c.leads().get("lead_01HZX...").send().await),
        "leads.list" => decoded(
            c.leads()
                .list()
                .form_id("1187654321098765")
                .ad_id("120249828053880703")
                .page_id("104857392011234")
                .start_date("2026-10-01T00:00:00.000Z")
                .end_date("2026-10-31T23:59:59.000Z")
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "media.download" => decoded(
            c.media()
                .download("1234567890123456", "123456789012345")
                .send()
                .await,
        ),
        "messages.cancel" => decoded(
            c.messages()
                .cancel(["msg_01HZX...", "msg_02HZX..."])
                .send()
                .await,
        ),
        "messages.get" => decoded(c.messages().get("msg_01HZX...").send().await),
        "messages.group_history" => decoded(
            c.messages()
                .group_history()
                .start_date("2026-06-01T00:00:00.000Z")
                .end_date("2026-06-30T23:59:59.999Z")
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "messages.history" => decoded(
            c.messages()
                .history()
                .start_date("2026-06-01T00:00:00.000Z")
                .end_date("2026-06-30T23:59:59.999Z")
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "messages.send" => {
            let body = json!({"destinationNumber": "5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}});
            decoded(
                c.messages()
                    .send(typed::<types::SendMessageInput>(&body))
                    .idempotency_key("5f0c8a4e-9b1d-4a57-8f39-2d4c1e6b7a90")
                    .send()
                    .await,
            )
        }
        "messages.unread" => decoded(c.messages().unread().page(1).page_size(30).send().await),
        "newsletters.list" => decoded(c.newsletters().list().send().await),
        "numbers.check" => decoded(c.numbers().check("5511988887777").send().await),
        "numbers.connect" => decoded(
            c.numbers()
                .connect("num_01HZX...")
                .link("secondary")
                .send()
                .await,
        ),
        "numbers.create" => decoded(
            c.numbers()
                .create(types::CreateNumberInput {
                    name: "Suporte".into(),
                    number: "5511999999999".into(),
                    link_to_api_key: None,
                    settings: None,
                    extra: Default::default(),
                })
                .send()
                .await,
        ),
        "numbers.create_meta" => {
            let body = json!({"metaAccessToken": "EAAGm0PX4ZCpsBA...", "metaPhoneId": "123456789012345", "metaWabaId": "987654321098765", "name": "Atendimento", "number": "5511999999999"});
            decoded(
                c.numbers()
                    .create_meta(typed::<types::CreateMetaNumberInput>(&body))
                    .send()
                    .await,
            )
        }
        "numbers.delete" => decoded(c.numbers().delete("num_01HZX...").send().await),
        "numbers.get" => decoded(c.numbers().get("num_01HZX...").refresh(true).send().await),
        "numbers.get_status" => decoded(
            c.numbers()
                .get_status("num_01HZX...")
                .link("secondary")
                .send()
                .await,
        ),
        "numbers.list" => decoded(c.numbers().list().send().await),
        "numbers.pay" => decoded(c.numbers().pay("num_01HZX...").send().await),
        "numbers.purge" => decoded(c.numbers().purge("num_01HZX...").send().await),
        "numbers.remote_pairing" => {
            let body = json!({"name": "Cliente Acme", "number": "5511988887777"});
            decoded(
                c.numbers()
                    .remote_pairing()
                    .body(typed::<types::RemotePairingInput>(&body))
                    .send()
                    .await,
            )
        }
        "numbers.restore" => decoded(c.numbers().restore("num_01HZX...").send().await),
        "numbers.update" => {
            let body = json!({"piiMode": "STORE_X_DAYS", "piiRetentionDays": 30, "settings": {"msgRejectCall": "No momento não atendemos ligações.", "rejectCall": true}});
            decoded(
                c.numbers()
                    .update("num_01HZX...")
                    .body(typed::<types::UpdateNumberInput>(&body))
                    .send()
                    .await,
            )
        }
        "numbers.upgrade_to_dual" => {
            decoded(c.numbers().upgrade_to_dual("num_01HZX...").send().await)
        }
        "phone_lines.verification.confirm_contact" => decoded(
            c.phone_lines()
                .verification()
                .confirm_contact(types::ContactChannelPath::Whatsapp, "482913")
                .send()
                .await,
        ),
        "phone_lines.verification.get" => {
            decoded(c.phone_lines().verification().get().send().await)
        }
        "phone_lines.verification.send_contact_code" => decoded(
            c.phone_lines()
                .verification()
                .send_contact_code(types::ContactChannelPath::Whatsapp)
                .send()
                .await,
        ),
        "phone_lines.verification.start" => {
            let body = json!({"contactEmail": "financeiro@acme.com.br", "contactWhatsapp": "5511999999999", "document": "data:application/pdf;base64,JVBERi0xLjcK...", "documentNumber": "12345678000190", "documentType": "CNPJ"});
            decoded(
                c.phone_lines()
                    .verification()
                    .start(
                        "3f6c1a9e-8d2b-4c4e-9f1a-2b7d5e0c9a41",
                        typed::<types::StartVerificationInput>(&body),
                    )
                    .send()
                    .await,
            )
        }
        "phone_lines.verification.submit_document" => decoded(
            c.phone_lines()
                .verification()
                .submit_document("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ...")
                .send()
                .await,
        ),
        "projects.create" => decoded(
            c.projects()
                .create("Loja Acme")
                .description("Atendimento e campanhas da loja")
                .send()
                .await,
        ),
        "projects.list" => decoded(c.projects().list().send().await),
        "referrals.list" => decoded(
            c.referrals()
                .list()
                .source_id("120249828053880703")
                .source_type("ad")
                .start_date("2026-10-01T00:00:00.000Z")
                .end_date("2026-10-31T23:59:59.000Z")
                .page(1)
                .page_size(30)
                .send()
                .await,
        ),
        "referrals.summary" => decoded(
            c.referrals()
                .summary()
                .start_date("2026-10-01T00:00:00.000Z")
                .end_date("2026-10-31T23:59:59.000Z")
                .send()
                .await,
        ),
        "remote_pairing.connect" => decoded(c.remote_pairing().connect("rp_01HZX...").send().await),
        "remote_pairing.get_info" => {
            decoded(c.remote_pairing().get_info("rp_01HZX...").send().await)
        }
        "remote_pairing.get_status" => {
            decoded(c.remote_pairing().get_status("rp_01HZX...").send().await)
        }
        "subscription.buy_extra_numbers" => {
            let body = json!({"confirm": true, "quantity": 1});
            decoded(
                c.subscription()
                    .buy_extra_numbers()
                    .body(typed::<types::BuyExtraNumbersInput>(&body))
                    .send()
                    .await,
            )
        }
        "subscription.preview_extra_numbers" => decoded(
            c.subscription()
                .preview_extra_numbers()
                .quantity(1)
                .send()
                .await,
        ),
        "subscription.remove_extra_numbers" => {
            let body = json!({"quantity": 1});
            decoded(
                c.subscription()
                    .remove_extra_numbers()
                    .body(typed::<types::ReleaseExtraNumbersInput>(&body))
                    .send()
                    .await,
            )
        }
        "templates.create" => {
            let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "nome": "Maria"}, "language": "pt_BR", "name": "promo_cupom"});
            decoded(
                c.templates()
                    .create(typed::<types::CreateTemplateInput>(&body))
                    .send()
                    .await,
            )
        }
        "templates.delete" => decoded(c.templates().delete("boas_vindas").send().await),
        "templates.get" => decoded(c.templates().get("boas_vindas").send().await),
        "templates.list" => decoded(c.templates().list().send().await),
        "templates.update" => {
            let body = json!({"body": {"body": {"text": "Oi {{nome}}! Agora com {{desconto}} de desconto."}, "buttons": [{"text": "Quero!", "type": "QUICK_REPLY"}, {"text": "Comprar", "type": "URL", "url": "https://loja.com/promo/{{link}}"}], "footer": {"text": "Promoção por tempo limitado"}, "header": {"type": "IMAGE", "url": "https://cdn.loja.com/promo.png"}}, "category": "MARKETING", "examples": {"desconto": "15%", "link": "abc123", "nome": "Maria"}, "language": "pt_BR"});
            decoded(
                c.templates()
                    .update("promo_cupom", typed::<types::UpdateTemplateInput>(&body))
                    .send()
                    .await,
            )
        }
        "webhooks.create" => decoded(
            c.webhooks()
                .create(types::CreateWebhookInput {
                    name: "n8n".into(),
                    url: "https://hooks.acme.com/whatsapp".into(),
                    events: vec!["message.received".into(), "message.delivered".into()],
                    number_id: None,
                    extra: Default::default(),
                })
                .number_id("num_01HZX...")
                .send()
                .await,
        ),
        "webhooks.delete" => decoded(
            c.webhooks()
                .delete("wh_01HZX...")
                .number_id("num_01HZX...")
                .send()
                .await,
        ),
        "webhooks.get" => decoded(
            c.webhooks()
                .get("wh_01HZX...")
                .number_id("num_01HZX...")
                .send()
                .await,
        ),
        "webhooks.list" => decoded(c.webhooks().list().number_id("num_01HZX...").send().await),
        "webhooks.logs" => decoded(
            c.webhooks()
                .logs("wh_01HZX...")
                .limit(20)
                .event("message.received")
                .number_id("num_01HZX...")
                .send()
                .await,
        ),
        "webhooks.update" => {
            let body = json!({"active": false});
            decoded(
                c.webhooks()
                    .update("wh_01HZX...")
                    .number_id("num_01HZX...")
                    .body(typed::<types::UpdateWebhookInput>(&body))
                    .send()
                    .await,
            )
        }
        _ => return None,
    })
}
