//! Webhooks: empty secrets refused, signatures accepted and refused, every known event
//! parsed from a realistic payload, unknown events kept.

use pilot_status::types::VerificationStatus;
use pilot_status::webhooks::{
    Event, MessageType, NumberWebhooks, ParseError, PhoneLineEvent, PhoneLineEventKind,
    PhoneLineWebhooks, ReturnReason, SecretError, SignatureError, WebhookError, sign,
};
use serde_json::{Value, json};

const SECRET: &str = "whsec_number_secret";
const LINE_SECRET: &str = "plwh_phone_line_secret";

fn numbers() -> NumberWebhooks {
    NumberWebhooks::new(SECRET).expect("a non-empty secret")
}

fn phone_lines() -> PhoneLineWebhooks {
    PhoneLineWebhooks::new(LINE_SECRET).expect("a non-empty secret")
}

#[test]
fn an_empty_or_blank_secret_is_refused() {
    let blanks: [&[u8]; 6] = [
        b"",
        b" ",
        b"\t\r\n",
        "\u{a0}\u{2003}".as_bytes(),
        b"  \x0c",
        b"\n",
    ];
    for secret in blanks {
        assert_eq!(
            NumberWebhooks::new(secret).unwrap_err(),
            SecretError::Empty,
            "{secret:?}"
        );
        assert_eq!(
            PhoneLineWebhooks::new(secret).unwrap_err(),
            SecretError::Empty,
            "{secret:?}"
        );
    }
    assert_eq!(
        NumberWebhooks::new(String::new()).unwrap_err().to_string(),
        "the webhook secret is empty or only whitespace; refusing it, since anyone can sign a delivery with an empty key"
    );
    // A secret that is not UTF-8, or has whitespace around other bytes, is a secret.
    assert!(NumberWebhooks::new(vec![0xff, b' ']).is_ok());
    assert!(PhoneLineWebhooks::new(" plwh_1 ").is_ok());
}

#[test]
fn a_secret_from_an_unset_variable_is_refused_by_name() {
    let variable = "PILOT_STATUS_TEST_WEBHOOK_SECRET_THAT_IS_NEVER_SET";
    let error = NumberWebhooks::from_env(variable).unwrap_err();
    assert_eq!(
        error,
        SecretError::EnvNotSet {
            variable: variable.to_owned()
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the environment variable {variable} is not set; it must hold the webhook's secret"
        )
    );
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn received() -> Value {
    json!({"event": "message.received", "data": {
        "from": "+5511988887777", "to": "+5511999999999", "numberId": "num_01HZX", "messageId": "wamid.HBgN",
        "id": "msg_01HZX", "type": "text", "fromMe": false, "content": "Olá!", "participantName": "Ana",
        "createdAt": "2026-06-20T10:00:00.000Z"
    }})
}

#[test]
fn a_valid_signature_is_accepted_in_every_form() {
    let body = bytes(&received());
    let signature = sign(SECRET, &body);
    let webhooks = numbers();
    for form in [
        signature.clone(),
        signature.to_uppercase(),
        format!("sha256={signature}"),
        format!("SHA256={}", signature.to_uppercase()),
        format!("  {signature} "),
    ] {
        assert_eq!(webhooks.verify(Some(&form), &body), Ok(()), "{form}");
    }
    assert!(matches!(
        webhooks
            .verify_and_parse(Some(&signature), &body)
            .map(|delivery| delivery.event),
        Ok(Event::MessageReceived(_))
    ));
}

#[test]
fn bad_signatures_are_refused_with_their_reason() {
    let body = bytes(&received());
    let signature = sign(SECRET, &body);
    let webhooks = numbers();

    let other_secret = sign("whsec_someone_else", &body);
    assert_eq!(
        webhooks.verify(Some(&other_secret), &body),
        Err(SignatureError::Mismatch)
    );

    let mut altered = body.clone();
    altered[10] ^= 1;
    assert_eq!(
        webhooks.verify(Some(&signature), &altered),
        Err(SignatureError::Mismatch)
    );

    assert_eq!(
        webhooks.verify(Some(&signature[..63]), &body),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        webhooks.verify(Some(&format!("{}zz", &signature[..62])), &body),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        webhooks.verify(Some(""), &body),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        webhooks.verify(Some("   "), &body),
        Err(SignatureError::Missing)
    );
    assert_eq!(webhooks.verify(None, &body), Err(SignatureError::Missing));

    let error = webhooks
        .verify_and_parse(Some(&other_secret), &body)
        .unwrap_err();
    assert!(matches!(
        error,
        WebhookError::Signature(SignatureError::Mismatch)
    ));
    assert_eq!(
        error.to_string(),
        "the signature does not match the body: another secret, or the body was changed"
    );
}

#[test]
fn number_and_phone_line_webhooks_use_their_own_secret() {
    let body = bytes(
        &json!({"id": "evt_1", "event": "phone_line.suspended", "createdAt": "2026-06-20T10:00:00.000Z",
        "data": {"lineId": "pl_1", "number": "+5511912345678", "name": "Linha 1"}}),
    );
    let line_signature = sign(LINE_SECRET, &body);
    assert!(
        phone_lines()
            .verify_and_parse(Some(&line_signature), &body)
            .is_ok()
    );
    assert_eq!(
        numbers().verify(Some(&line_signature), &body),
        Err(SignatureError::Mismatch)
    );
    let number_signature = sign(SECRET, &body);
    assert_eq!(
        phone_lines().verify(Some(&number_signature), &body),
        Err(SignatureError::Mismatch)
    );
}

fn message_data(extra: Value) -> Value {
    let mut data = json!({
        "numberId": "num_01HZX", "messageId": "wamid.HBgN", "id": "msg_01HZX", "type": "text", "fromMe": true,
        "createdAt": "2026-06-20T10:00:00.000Z", "to": "+5511988887777", "content": "Pedido enviado",
        "correlationId": "corr_01HZX"
    });
    data.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    data
}

fn parse(value: Value) -> Event {
    Event::parse(&bytes(&value)).unwrap_or_else(|error| panic!("{error}: {value}"))
}

#[test]
fn every_message_event_parses() {
    for name in ["message.sent", "message.delivered", "message.read"] {
        let event =
            parse(json!({"event": name, "data": message_data(json!({"from": "+5511999999999"}))}));
        assert_eq!(event.name(), name);
        let update = match event {
            Event::MessageSent(u) | Event::MessageDelivered(u) | Event::MessageRead(u) => u,
            other => panic!("{other:?}"),
        };
        assert_eq!(update.message.id, "msg_01HZX");
        assert_eq!(update.message.message_type, Some(MessageType::Text));
        assert_eq!(update.from.as_deref(), Some("+5511999999999"));
    }
    let Event::MessageFailed(failed) = parse(json!({"event": "message.failed",
        "data": message_data(json!({"error": "Number not on WhatsApp", "errorCode": "INVALID_DESTINATION"}))}))
    else {
        panic!()
    };
    assert_eq!(
        (failed.error.as_str(), failed.error_code.as_deref()),
        ("Number not on WhatsApp", Some("INVALID_DESTINATION"))
    );

    let Event::MessageReceived(inbound) = parse(received()) else {
        panic!()
    };
    assert_eq!(
        (inbound.from.as_str(), inbound.participant_name.as_deref()),
        ("+5511988887777", Some("Ana"))
    );
    assert!(!inbound.message.from_me);

    let Event::MessageReply(reply) = parse(
        json!({"event": "message.reply", "data": message_data(json!({
        "from": "+5511988887777", "participantName": "Ana", "contentReplied": "Pedido enviado", "quotedMessageId": "wamid.X"}))}),
    ) else {
        panic!()
    };
    assert_eq!(reply.quoted_message_id.as_deref(), Some("wamid.X"));

    let Event::MessageGroup(group) = parse(
        json!({"event": "message.group", "data": message_data(json!({
        "from": "+5511977776666", "groupId": "120363000000000000@g.us", "groupName": "Equipe", "type": "image",
        "mediaLink": "https://cdn.x/a.jpg", "mediaType": "image/jpeg"}))}),
    ) else {
        panic!()
    };
    assert_eq!(group.group_name.as_deref(), Some("Equipe"));
    assert_eq!(group.message.message_type, Some(MessageType::Image));
    assert_eq!(
        group.message.media_link.as_deref(),
        Some("https://cdn.x/a.jpg")
    );

    let Event::MessageNewsletter(news) = parse(
        json!({"event": "message.newsletter", "data": message_data(json!({
        "from": "120363000000000001@newsletter", "newsletterId": "120363000000000001@newsletter", "newsletterName": null}))}),
    ) else {
        panic!()
    };
    assert_eq!(news.newsletter_name, None);
}

#[test]
fn a_message_type_the_client_does_not_know_is_kept() {
    let Event::MessageReceived(inbound) = parse(json!({"event": "message.received",
        "data": message_data(json!({"from": "+5511988887777", "type": "poll"}))}))
    else {
        panic!()
    };
    assert_eq!(
        inbound.message.message_type,
        Some(MessageType::Unknown("poll".to_owned()))
    );
}

#[test]
fn every_number_event_parses() {
    let data = json!({"numberId": "num_01HZX", "phone": "+5511999999999", "displayName": "Suporte",
        "createdAt": "2026-06-20T10:00:00.000Z", "profileName": "Acme"});
    for name in [
        "number.created",
        "number.connected",
        "number.disconnected",
        "number.removed",
        "number.restored",
        "number.recovered",
    ] {
        let event = parse(json!({"event": name, "data": data}));
        assert_eq!(event.name(), name);
        let number = match event {
            Event::NumberCreated(n)
            | Event::NumberConnected(n)
            | Event::NumberDisconnected(n)
            | Event::NumberRemoved(n)
            | Event::NumberRestored(n)
            | Event::NumberRecovered(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(number.display_name, "Suporte");
    }
    let Event::NumberDisconnected(down) = parse(json!({"event": "number.disconnected", "data": {
        "numberId": "num_1", "phone": "+5511999999999", "displayName": "Suporte", "createdAt": "2026-06-20T10:00:00.000Z",
        "error": "Logged out on the phone", "errorCode": "LOGGED_OUT"}}))
    else {
        panic!()
    };
    assert_eq!(down.error_code.as_deref(), Some("LOGGED_OUT"));

    for name in [
        "number.health_blocked",
        "number.health_degraded",
        "number.health_shadowban",
    ] {
        let event = parse(
            json!({"event": name, "data": {"numberId": "num_1", "qualityRating": "RED", "reason": "spam reports"}}),
        );
        assert_eq!(event.name(), name);
        let health = match event {
            Event::NumberHealthBlocked(h)
            | Event::NumberHealthDegraded(h)
            | Event::NumberHealthShadowban(h) => h,
            other => panic!("{other:?}"),
        };
        assert_eq!(health.number_id.as_deref(), Some("num_1"));
        assert_eq!(health.details["qualityRating"], "RED");
    }
}

#[test]
fn a_lead_parses() {
    let Event::LeadReceived(lead) = parse(json!({"event": "lead.received", "data": {
        "leadId": "lead_01HZX", "leadgenId": "1234567890", "whatsappNumberId": "num_01HZX", "pageId": "111", "formId": "222",
        "createdAt": "2026-06-20T10:00:00.000Z", "pageName": "Acme", "formName": "Contato", "adId": "333", "adsetId": null,
        "campaignId": "444", "adName": "Promo", "adsetName": null, "campaignName": "Junho", "platform": "ig", "isOrganic": false,
        "fullName": "Ana Souza", "email": "ana@acme.com", "phone": "+5511988887777", "consentGiven": null, "conversationId": null,
        "fields": [{"key": "full_name", "label": "Nome", "values": ["Ana Souza"]}, {"key": "email", "values": ["ana@acme.com"]}]
    }})) else {
        panic!()
    };
    assert_eq!(lead.leadgen_id, "1234567890");
    assert_eq!(lead.fields[1].label, None);
    assert_eq!(lead.consent_given, None);
    assert_eq!(lead.platform.as_deref(), Some("ig"));
}

#[test]
fn every_call_event_parses_flat() {
    for (name, status) in [
        ("call.ringing", "RINGING"),
        ("call.connected", "ACCEPTED"),
        ("call.missed", "MISSED"),
    ] {
        let event = parse(
            json!({"event": name, "callId": "call_01HZX", "externalCallId": "wacid.ABGG", "direction": "INBOUND",
            "status": status, "from": "+5511988887777", "to": "+5511999999999", "timestamp": "2026-07-03T15:00:00.000Z"}),
        );
        assert_eq!(event.name(), name);
    }
    let Event::CallEnded(ended) = parse(
        json!({"event": "call.ended", "callId": "call_01HZX", "direction": "OUTBOUND",
        "status": "COMPLETED", "from": "+5511999999999", "to": "+5511988887777", "timestamp": "2026-07-03T15:02:05.000Z", "duration": 120}),
    ) else {
        panic!()
    };
    assert_eq!(ended.duration, Some(120));
    let Event::CallPermissionUpdated(permission) = parse(
        json!({"event": "call.permission_updated", "callId": null, "direction": null,
        "status": "TEMPORARY", "from": "+5511988887777", "to": "+5511999999999", "timestamp": "2026-07-03T15:00:00.000Z"}),
    ) else {
        panic!()
    };
    assert_eq!(
        (permission.call_id, permission.status.as_str()),
        (None, "TEMPORARY")
    );
    let raw =
        json!({"event": "calls", "entry": [{"id": "WABA_ID", "changes": [{"field": "calls"}]}]});
    assert_eq!(parse(raw.clone()), Event::Calls(raw));
}

#[test]
fn an_unknown_event_is_kept_whole() {
    let raw = json!({"event": "flow.response_received", "data": {"flowToken": "ft_1", "response": {"a": 1}}});
    let event = parse(raw.clone());
    assert_eq!(event.name(), "flow.response_received");
    assert_eq!(
        event,
        Event::Unknown {
            event: "flow.response_received".to_owned(),
            raw
        }
    );
}

#[test]
fn malformed_bodies_are_parse_errors() {
    assert!(matches!(
        Event::parse(b"not json"),
        Err(ParseError::Json(_))
    ));
    assert!(matches!(
        Event::parse(b"[1, 2]"),
        Err(ParseError::NotAnEvent)
    ));
    assert!(matches!(
        Event::parse(br#"{"event": 7}"#),
        Err(ParseError::NotAnEvent)
    ));
    assert!(matches!(
        Event::parse(br#"{"event": "message.sent"}"#),
        Err(ParseError::MissingData { .. })
    ));
    let error = Event::parse(br#"{"event": "message.failed", "data": {"numberId": "n", "id": "m", "fromMe": true, "createdAt": "t", "to": "+1"}}"#).unwrap_err();
    assert!(
        error.to_string().starts_with(
            "`message.failed` webhook does not have the documented shape: missing field `error`"
        ),
        "{error}"
    );
}

fn line(event: &str, data: Value) -> PhoneLineEvent {
    let body = json!({"id": "evt_01HZX", "event": event, "createdAt": "2026-06-20T10:00:00.000Z", "data": data});
    PhoneLineEvent::parse(&bytes(&body)).unwrap_or_else(|error| panic!("{error}: {body}"))
}

#[test]
fn every_phone_line_event_parses() {
    let base = json!({"lineId": "pl_01HZX", "number": "+5511912345678", "name": "Linha 1"});
    let with = |extra: Value| {
        let mut data = base.clone();
        data.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        data
    };
    let audio = "https://pilotstatus.com.br/v1/phone-lines/activations/act_1/audio";
    let events = [
        line(
            "phone_line.purchased",
            with(json!({"currentPeriodEnd": "2026-07-20T10:00:00.000Z"})),
        ),
        line(
            "phone_line.audio_received",
            with(
                json!({"activationId": "act_1", "audioUrl": audio, "capturedAt": "2026-06-20T10:00:00.000Z"}),
            ),
        ),
        line(
            "phone_line.code_received",
            with(
                json!({"activationId": "act_1", "audioUrl": audio, "code": "123-456", "failureReason": null}),
            ),
        ),
        line(
            "phone_line.code_failed",
            with(json!({"activationId": "act_1", "audioUrl": null, "reason": "no speech"})),
        ),
        line(
            "phone_line.renewed",
            with(json!({"currentPeriodEnd": "2026-08-20T10:00:00.000Z"})),
        ),
        line("phone_line.payment_failed", base.clone()),
        line("phone_line.suspended", base.clone()),
        line("phone_line.canceled", base.clone()),
        line(
            "phone_line.returned",
            with(json!({"reason": "canceled_by_customer"})),
        ),
        line(
            "phone_line.verification_updated",
            json!({"verificationId": "plv_1", "status": "IN_REVIEW"}),
        ),
    ];
    assert_eq!(events.len(), 10);
    assert!(
        events
            .iter()
            .all(|e| e.id == "evt_01HZX" && e.created_at == "2026-06-20T10:00:00.000Z")
    );
    let PhoneLineEventKind::CodeReceived(code) = &events[2].kind else {
        panic!()
    };
    assert_eq!(
        (code.code.as_deref(), code.line.line_id.as_str()),
        (Some("123-456"), "pl_01HZX")
    );
    let PhoneLineEventKind::CodeFailed(failed) = &events[3].kind else {
        panic!()
    };
    assert_eq!(failed.audio_url, None);
    let PhoneLineEventKind::Returned(returned) = &events[8].kind else {
        panic!()
    };
    assert_eq!(returned.reason, ReturnReason::CanceledByCustomer);
    let PhoneLineEventKind::VerificationUpdated(verification) = &events[9].kind else {
        panic!()
    };
    assert_eq!(verification.status, VerificationStatus::InReview);
    assert!(matches!(
        events[5].kind,
        PhoneLineEventKind::PaymentFailed(_)
    ));
    assert!(matches!(events[6].kind, PhoneLineEventKind::Suspended(_)));
    assert!(matches!(events[7].kind, PhoneLineEventKind::Canceled(_)));
    assert!(matches!(events[0].kind, PhoneLineEventKind::Purchased(_)));
    assert!(matches!(events[4].kind, PhoneLineEventKind::Renewed(_)));
    assert!(matches!(
        events[1].kind,
        PhoneLineEventKind::AudioReceived(_)
    ));
}

#[test]
fn unknown_phone_line_events_and_values_are_kept() {
    let unknown = line("phone_line.ported", json!({"lineId": "pl_1"}));
    assert_eq!(
        unknown.kind,
        PhoneLineEventKind::Unknown {
            event: "phone_line.ported".to_owned(),
            data: json!({"lineId": "pl_1"})
        }
    );
    let returned = line(
        "phone_line.returned",
        json!({"lineId": "pl_1", "number": "+5511912345678", "name": "L", "reason": "fraud"}),
    );
    let PhoneLineEventKind::Returned(returned) = returned.kind else {
        panic!()
    };
    assert_eq!(returned.reason, ReturnReason::Unknown("fraud".to_owned()));
    let missing_id = PhoneLineEvent::parse(
        br#"{"event": "phone_line.suspended", "createdAt": "t", "data": {}}"#,
    )
    .unwrap_err();
    assert!(
        missing_id.to_string().contains("missing string `id`"),
        "{missing_id}"
    );
}
