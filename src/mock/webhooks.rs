//! Signed webhook deliveries for your handlers' tests.
//!
//! Each payload function returns a realistic value of the type it is named after
//! ([`inbound_message`] an [`InboundMessage`], ...): change the fields your test is about,
//! wrap it in its event, and [`SignedDelivery::new`] serializes the event exactly as Pilot
//! Status sends it and signs it with your test secret. Its body, signature and headers go
//! to your handler; [`NumberWebhooks::verify_and_parse`](crate::webhooks::NumberWebhooks)
//! of them gives the same event back. [`every_event`] and [`every_phone_line_event`] give
//! one example of every event, `Unknown` included.
//!
//! | Payload | Events |
//! |---|---|
//! | [`message_status_update`] | `Event::MessageSent`, `MessageDelivered`, `MessageRead` |
//! | [`message_failed`] | `Event::MessageFailed` |
//! | [`inbound_message`] | `Event::MessageReceived` |
//! | [`reply_message`] | `Event::MessageReply` |
//! | [`group_message`] | `Event::MessageGroup` |
//! | [`newsletter_message`] | `Event::MessageNewsletter` |
//! | [`number_event`] | `Event::NumberCreated`, `NumberConnected`, `NumberDisconnected`, `NumberRemoved`, `NumberRestored`, `NumberRecovered` |
//! | [`number_health_event`] | `Event::NumberHealthBlocked`, `NumberHealthDegraded`, `NumberHealthShadowban` |
//! | [`lead_received`] | `Event::LeadReceived` |
//! | [`call_event`] | `Event::CallRinging`, `CallConnected`, `CallEnded`, `CallMissed`, `CallPermissionUpdated` |
//! | [`calls_envelope`] | `Event::Calls` |
//! | [`line_period`] | `PhoneLineEventKind::Purchased`, `Renewed` |
//! | [`audio_received`] | `PhoneLineEventKind::AudioReceived` |
//! | [`code_received`] | `PhoneLineEventKind::CodeReceived` |
//! | [`code_failed`] | `PhoneLineEventKind::CodeFailed` |
//! | [`line_ref`] | `PhoneLineEventKind::PaymentFailed`, `Suspended`, `Canceled` |
//! | [`line_returned`] | `PhoneLineEventKind::Returned` |
//! | [`verification_updated`] | `PhoneLineEventKind::VerificationUpdated` |
//!
//! [`phone_line_event`] puts a kind in its `{id, event, createdAt, data}` envelope.
//!
//! ```
//! use pilot_status::mock::webhooks::{SignedDelivery, inbound_message};
//! use pilot_status::webhooks::{Event, InboundMessage, NumberWebhooks, signature_from};
//!
//! let event = Event::MessageReceived(InboundMessage {
//!     participant_name: Some("Bia".to_owned()),
//!     ..inbound_message()
//! });
//! let delivery = SignedDelivery::new("whsec_test", &event);
//!
//! // What a handler does with the request:
//! let webhooks = NumberWebhooks::new("whsec_test")?;
//! let received = webhooks.verify_and_parse(signature_from(&delivery.headers()), delivery.body())?;
//! assert_eq!(received.event, event);
//! assert!(received.deviations.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value, json};

use crate::types::VerificationStatus;
use crate::webhooks::{
    AudioReceived, CallEvent, CodeFailed, CodeReceived, Event, GroupMessage, InboundMessage,
    LeadReceived, LeadReceivedField, LinePeriod, LineRef, LineReturned, MessageCommon,
    MessageFailed, MessageStatusUpdate, MessageType, NewsletterMessage, NumberEvent,
    NumberHealthEvent, PhoneLineEvent, PhoneLineEventKind, ReplyMessage, ReturnReason,
    SIGNATURE_HEADER, VerificationUpdated, WebhookEvent, sign,
};

/// The number the examples belong to (yours).
const OWN_PHONE: &str = "+5511999999999";
/// The customer in the examples.
const CUSTOMER_PHONE: &str = "+5511988887777";
/// The public id of your number in the examples.
const NUMBER_ID: &str = "num_01J0Z3Q8M4XK7T2V9B6N5C1D8E";
/// When the examples happen.
const CREATED_AT: &str = "2026-06-20T13:45:12.000Z";

/// [`CREATED_AT`] as the instant the typed payloads hold (`None` only if the constant stopped
/// being RFC 3339, which a test rules out).
fn created_at() -> Option<crate::Timestamp> {
    crate::Timestamp::parse(CREATED_AT).ok()
}

/// A webhook delivery as Pilot Status makes it: the body and its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDelivery {
    body: Bytes,
    signature: String,
}

impl SignedDelivery {
    /// `event` serialized as Pilot Status sends it, signed with `secret`.
    pub fn new<E: WebhookEvent>(secret: impl AsRef<str>, event: &E) -> Self {
        let body = serde_json::to_vec(event)
            .unwrap_or_else(|_| unreachable!("events serialize to JSON with string keys"));
        Self::from_body(secret, body)
    }

    /// `body` as given, signed with `secret`: a captured delivery, or a body that is not an
    /// event.
    pub fn from_body(secret: impl AsRef<str>, body: impl Into<Bytes>) -> Self {
        let body = body.into();
        let signature = sign(secret.as_ref(), &body);
        Self { body, signature }
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The `x-pilot-status-signature` value: HMAC-SHA256 of the body, lower-case hex.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The request headers: `x-pilot-status-signature` and `content-type:
    /// application/json`.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            SIGNATURE_HEADER,
            HeaderValue::from_str(&self.signature)
                .unwrap_or_else(|_| unreachable!("hex digits are a valid header value")),
        );
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers
    }

    /// A `POST` of this delivery to `path`, with its headers, for a router's
    /// `tower::ServiceExt::oneshot` (feature `axum`). Panics if `path` is not a valid URI,
    /// like [`Uri::from_static`](axum::http::Uri::from_static).
    #[cfg(feature = "axum")]
    pub fn request(&self, path: &'static str) -> axum::http::Request<axum::body::Body> {
        let mut request = axum::http::Request::new(axum::body::Body::from(self.body.clone()));
        *request.method_mut() = axum::http::Method::POST;
        *request.uri_mut() = axum::http::Uri::from_static(path);
        *request.headers_mut() = self.headers();
        request
    }
}

/// An outbound text message of yours, as every `message.*` event carries it.
pub fn message_common() -> MessageCommon {
    MessageCommon {
        number_id: NUMBER_ID.to_owned(),
        message_id: Some(
            "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEjg5QTdCN0U0RjJDMUQ2QjVFAA==".to_owned(),
        ),
        id: "msg_01J0Z3R2K8WQ5N7Y4T1V6B9C3D".to_owned(),
        message_type: Some(MessageType::Text),
        from_me: true,
        created_at: created_at(),
        to: CUSTOMER_PHONE.to_owned(),
        content: Some("Seu pedido #4821 saiu para entrega.".to_owned()),
        correlation_id: Some("order-4821-shipped".to_owned()),
        media_link: None,
        media_type: None,
        media_caption: None,
        media_filename: None,
        extra: Map::new(),
    }
}

/// An inbound text message from the customer to your number.
fn inbound_common() -> MessageCommon {
    MessageCommon {
        message_id: Some(
            "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABIYFjNFQjBDNzY1QTFGMjREOEU5QjdDAA==".to_owned(),
        ),
        id: "msg_01J0Z3S7M1XC4V8B2N6Q9W5E7R".to_owned(),
        from_me: false,
        to: OWN_PHONE.to_owned(),
        content: Some("Olá! Quando chega o meu pedido?".to_owned()),
        correlation_id: None,
        ..message_common()
    }
}

/// `message.sent`, `message.delivered`, `message.read` of [`message_common`].
pub fn message_status_update() -> MessageStatusUpdate {
    MessageStatusUpdate {
        message: message_common(),
        from: Some(OWN_PHONE.to_owned()),
    }
}

/// `message.failed`: the recipient is not on WhatsApp.
pub fn message_failed() -> MessageFailed {
    MessageFailed {
        message: message_common(),
        from: Some(OWN_PHONE.to_owned()),
        error: "The number is not on WhatsApp".to_owned(),
        error_code: Some("INVALID_DESTINATION".to_owned()),
    }
}

/// `message.received`: a customer's text.
pub fn inbound_message() -> InboundMessage {
    InboundMessage {
        message: inbound_common(),
        from: CUSTOMER_PHONE.to_owned(),
        participant_name: Some("Ana Souza".to_owned()),
    }
}

/// `message.reply`: a customer's answer to [`message_common`].
pub fn reply_message() -> ReplyMessage {
    let replied = message_common();
    ReplyMessage {
        message: MessageCommon {
            content: Some("Obrigada! Vou ficar de olho.".to_owned()),
            ..inbound_common()
        },
        from: CUSTOMER_PHONE.to_owned(),
        participant_name: Some("Ana Souza".to_owned()),
        content_replied: replied.content,
        quoted_message_id: replied.message_id,
    }
}

/// `message.group`: a photo in a group.
pub fn group_message() -> GroupMessage {
    GroupMessage {
        message: MessageCommon {
            message_type: Some(MessageType::Image),
            content: Some("Vitrine nova da loja".to_owned()),
            media_link: Some("https://media.pilotstatus.com.br/m/01J0Z3T4.jpg".to_owned()),
            media_type: Some("image/jpeg".to_owned()),
            media_caption: Some("Vitrine nova da loja".to_owned()),
            ..inbound_common()
        },
        from: "+5511977776666".to_owned(),
        participant_name: Some("Carlos Lima".to_owned()),
        group_id: Some("120363041234567890@g.us".to_owned()),
        group_name: Some("Equipe de vendas".to_owned()),
    }
}

/// `message.newsletter`: a post in a channel.
pub fn newsletter_message() -> NewsletterMessage {
    NewsletterMessage {
        message: MessageCommon {
            content: Some("Promoção de inverno começa amanhã.".to_owned()),
            ..inbound_common()
        },
        from: "120363051234567891@newsletter".to_owned(),
        participant_name: None,
        newsletter_id: Some("120363051234567891@newsletter".to_owned()),
        newsletter_name: Some("Novidades Acme".to_owned()),
    }
}

/// `number.*`: your number, connected.
pub fn number_event() -> NumberEvent {
    NumberEvent {
        number_id: NUMBER_ID.to_owned(),
        phone: OWN_PHONE.to_owned(),
        display_name: "Suporte Acme".to_owned(),
        created_at: created_at(),
        profile_name: Some("Acme".to_owned()),
        error: None,
        error_code: None,
        extra: Map::new(),
    }
}

/// `number.health_*` (payload not documented): the number id and a reason.
pub fn number_health_event() -> NumberHealthEvent {
    let mut details = Map::new();
    details.insert("reason".to_owned(), json!("many messages reported as spam"));
    NumberHealthEvent {
        number_id: Some(NUMBER_ID.to_owned()),
        details,
    }
}

/// `lead.received`: a Meta Lead Ads lead from an Instagram ad.
pub fn lead_received() -> LeadReceived {
    LeadReceived {
        lead_id: "lead_01J0Z3V6P2HD8K4M1R7T5W9Y3A".to_owned(),
        leadgen_id: "1029384756473829".to_owned(),
        number_id: NUMBER_ID.to_owned(),
        page_id: "104857392018374".to_owned(),
        form_id: "883920174625103".to_owned(),
        created_at: created_at(),
        fields: vec![
            LeadReceivedField {
                key: "full_name".to_owned(),
                label: Some("Nome completo".to_owned()),
                values: vec!["Ana Souza".to_owned()],
                extra: Map::new(),
            },
            LeadReceivedField {
                key: "email".to_owned(),
                label: None,
                values: vec!["ana.souza@example.com".to_owned()],
                extra: Map::new(),
            },
        ],
        page_name: Some("Acme Calçados".to_owned()),
        form_name: Some("Contato - inverno".to_owned()),
        ad_id: Some("120210000000000001".to_owned()),
        adset_id: Some("120210000000000002".to_owned()),
        campaign_id: Some("120210000000000003".to_owned()),
        ad_name: Some("Bota couro - carrossel".to_owned()),
        adset_name: Some("São Paulo 25-45".to_owned()),
        campaign_name: Some("Inverno".to_owned()),
        platform: Some("ig".to_owned()),
        is_organic: Some(false),
        full_name: Some("Ana Souza".to_owned()),
        email: Some("ana.souza@example.com".to_owned()),
        phone: Some(CUSTOMER_PHONE.to_owned()),
        consent_given: Some(true),
        conversation_id: None,
        extra: Map::new(),
    }
}

/// `call.ringing`: the customer calls your number.
pub fn call_event() -> CallEvent {
    CallEvent {
        call_id: Some("call_01J0Z3W8Q5JF2L6N9S3U7X1Z4B".to_owned()),
        external_call_id: Some("wacid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYIDk4".to_owned()),
        direction: Some("INBOUND".to_owned()),
        status: "RINGING".to_owned(),
        from: Some(CUSTOMER_PHONE.to_owned()),
        to: Some(OWN_PHONE.to_owned()),
        timestamp: CREATED_AT.to_owned(),
        duration: None,
        extra: Map::new(),
    }
}

/// `calls`: Meta's raw calls envelope, with its `event`.
pub fn calls_envelope() -> Value {
    json!({
        "event": "calls",
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{
                "field": "calls",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "5511999999999", "phone_number_id": "106540352242922"},
                    "calls": [{
                        "id": "wacid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYIDk4",
                        "from": "5511988887777",
                        "to": "5511999999999",
                        "event": "connect",
                        "timestamp": "1781963112",
                        "direction": "USER_INITIATED"
                    }]
                }
            }]
        }]
    })
}

/// One example of every [`Event`] variant, in declaration order, ending with an `Unknown`
/// (`flow.response_received`).
pub fn every_event() -> Vec<Event> {
    let answered = CallEvent {
        status: "ACCEPTED".to_owned(),
        ..call_event()
    };
    let ended = CallEvent {
        status: "COMPLETED".to_owned(),
        duration: Some(95),
        ..call_event()
    };
    let missed = CallEvent {
        status: "MISSED".to_owned(),
        ..call_event()
    };
    let permission = CallEvent {
        call_id: None,
        external_call_id: None,
        direction: None,
        status: "TEMPORARY".to_owned(),
        ..call_event()
    };
    let disconnected = NumberEvent {
        error: Some("Logged out on the phone".to_owned()),
        error_code: Some("LOGGED_OUT".to_owned()),
        ..number_event()
    };
    vec![
        Event::MessageSent(message_status_update()),
        Event::MessageDelivered(message_status_update()),
        Event::MessageRead(message_status_update()),
        Event::MessageFailed(message_failed()),
        Event::MessageReceived(inbound_message()),
        Event::MessageReply(reply_message()),
        Event::MessageGroup(group_message()),
        Event::MessageNewsletter(newsletter_message()),
        Event::NumberCreated(number_event()),
        Event::NumberConnected(number_event()),
        Event::NumberDisconnected(disconnected),
        Event::NumberRemoved(number_event()),
        Event::NumberRestored(number_event()),
        Event::NumberRecovered(number_event()),
        Event::NumberHealthBlocked(number_health_event()),
        Event::NumberHealthDegraded(number_health_event()),
        Event::NumberHealthShadowban(number_health_event()),
        Event::LeadReceived(lead_received()),
        Event::CallRinging(call_event()),
        Event::CallConnected(answered),
        Event::CallEnded(ended),
        Event::CallMissed(missed),
        Event::CallPermissionUpdated(permission),
        Event::Calls(calls_envelope()),
        Event::Unknown {
            event: "flow.response_received".to_owned(),
            raw: json!({
                "event": "flow.response_received",
                "data": {"flowToken": "flow_01J0Z3X9", "response": {"size": "38"}}
            }),
        },
    ]
}

/// The phone line the phone-line examples are about.
pub fn line_ref() -> LineRef {
    LineRef {
        line_id: "pl_01J0Z3Y2R7KG3M8P5T1V4X6Z9C".to_owned(),
        number: "+5511912345678".to_owned(),
        name: "Linha vendas".to_owned(),
        extra: Map::new(),
    }
}

/// `phone_line.purchased`, `phone_line.renewed`: [`line_ref`] paid for a month.
pub fn line_period() -> LinePeriod {
    LinePeriod {
        line: line_ref(),
        current_period_end: "2026-07-20T13:45:12.000Z".to_owned(),
    }
}

/// The activation audio of [`line_ref`] (fetch it with the API key).
const AUDIO_URL: &str =
    "https://pilotstatus.com.br/v1/phone-lines/activations/act_01J0Z3Z5T9/audio";

/// `phone_line.audio_received`.
pub fn audio_received() -> AudioReceived {
    AudioReceived {
        line: line_ref(),
        activation_id: "act_01J0Z3Z5T9".to_owned(),
        audio_url: Some(AUDIO_URL.to_owned()),
        captured_at: CREATED_AT.to_owned(),
    }
}

/// `phone_line.code_received`.
pub fn code_received() -> CodeReceived {
    CodeReceived {
        line: line_ref(),
        activation_id: "act_01J0Z3Z5T9".to_owned(),
        audio_url: Some(AUDIO_URL.to_owned()),
        code: Some("482-913".to_owned()),
        failure_reason: None,
    }
}

/// `phone_line.code_failed`.
pub fn code_failed() -> CodeFailed {
    CodeFailed {
        line: line_ref(),
        activation_id: "act_01J0Z3Z5T9".to_owned(),
        audio_url: Some(AUDIO_URL.to_owned()),
        reason: "no code could be heard in the recording".to_owned(),
    }
}

/// `phone_line.returned`: canceled by the customer.
pub fn line_returned() -> LineReturned {
    LineReturned {
        line: line_ref(),
        reason: ReturnReason::CanceledByCustomer,
    }
}

/// `phone_line.verification_updated`: approved.
pub fn verification_updated() -> VerificationUpdated {
    VerificationUpdated {
        verification_id: "plv_01J0Z40A3C".to_owned(),
        status: VerificationStatus::Approved,
        extra: Map::new(),
    }
}

/// `kind` in its envelope, with a delivery id and time.
pub fn phone_line_event(kind: PhoneLineEventKind) -> PhoneLineEvent {
    PhoneLineEvent {
        id: "evt_01J0Z41B6D8F".to_owned(),
        created_at: CREATED_AT.to_owned(),
        kind,
    }
}

/// One example of every [`PhoneLineEventKind`], in declaration order, ending with an
/// `Unknown` (`phone_line.ported`); each has its own delivery id.
pub fn every_phone_line_event() -> Vec<PhoneLineEvent> {
    let ported = PhoneLineEventKind::Unknown {
        event: "phone_line.ported".to_owned(),
        data: json!({"lineId": "pl_01J0Z3Y2R7KG3M8P5T1V4X6Z9C", "carrier": "Vivo"}),
    };
    [
        PhoneLineEventKind::Purchased(line_period()),
        PhoneLineEventKind::AudioReceived(audio_received()),
        PhoneLineEventKind::CodeReceived(code_received()),
        PhoneLineEventKind::CodeFailed(code_failed()),
        PhoneLineEventKind::Renewed(line_period()),
        PhoneLineEventKind::PaymentFailed(line_ref()),
        PhoneLineEventKind::Suspended(line_ref()),
        PhoneLineEventKind::Canceled(line_ref()),
        PhoneLineEventKind::Returned(line_returned()),
        PhoneLineEventKind::VerificationUpdated(verification_updated()),
        ported,
    ]
    .into_iter()
    .enumerate()
    .map(|(index, kind)| PhoneLineEvent {
        id: format!("evt_01J0Z41B6D{index:02}"),
        ..phone_line_event(kind)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_instant_is_one() {
        assert_eq!(
            created_at().map(|instant| instant.to_string()).as_deref(),
            Some(CREATED_AT)
        );
    }

    /// The position of the variant in `Event`'s declaration. No wildcard: a new variant
    /// does not compile until it has an example in `every_event`.
    fn declaration_order(event: &Event) -> usize {
        match event {
            Event::MessageSent(_) => 0,
            Event::MessageDelivered(_) => 1,
            Event::MessageRead(_) => 2,
            Event::MessageFailed(_) => 3,
            Event::MessageReceived(_) => 4,
            Event::MessageReply(_) => 5,
            Event::MessageGroup(_) => 6,
            Event::MessageNewsletter(_) => 7,
            Event::NumberCreated(_) => 8,
            Event::NumberConnected(_) => 9,
            Event::NumberDisconnected(_) => 10,
            Event::NumberRemoved(_) => 11,
            Event::NumberRestored(_) => 12,
            Event::NumberRecovered(_) => 13,
            Event::NumberHealthBlocked(_) => 14,
            Event::NumberHealthDegraded(_) => 15,
            Event::NumberHealthShadowban(_) => 16,
            Event::LeadReceived(_) => 17,
            Event::CallRinging(_) => 18,
            Event::CallConnected(_) => 19,
            Event::CallEnded(_) => 20,
            Event::CallMissed(_) => 21,
            Event::CallPermissionUpdated(_) => 22,
            Event::Calls(_) => 23,
            Event::Unknown { .. } => 24,
        }
    }

    /// Likewise for `PhoneLineEventKind`.
    fn phone_line_declaration_order(kind: &PhoneLineEventKind) -> usize {
        match kind {
            PhoneLineEventKind::Purchased(_) => 0,
            PhoneLineEventKind::AudioReceived(_) => 1,
            PhoneLineEventKind::CodeReceived(_) => 2,
            PhoneLineEventKind::CodeFailed(_) => 3,
            PhoneLineEventKind::Renewed(_) => 4,
            PhoneLineEventKind::PaymentFailed(_) => 5,
            PhoneLineEventKind::Suspended(_) => 6,
            PhoneLineEventKind::Canceled(_) => 7,
            PhoneLineEventKind::Returned(_) => 8,
            PhoneLineEventKind::VerificationUpdated(_) => 9,
            PhoneLineEventKind::Unknown { .. } => 10,
        }
    }

    #[test]
    fn every_variant_has_one_example_in_order() {
        let order: Vec<usize> = every_event().iter().map(declaration_order).collect();
        assert_eq!(order, (0..=24).collect::<Vec<_>>());
        let order: Vec<usize> = every_phone_line_event()
            .iter()
            .map(|event| phone_line_declaration_order(&event.kind))
            .collect();
        assert_eq!(order, (0..=10).collect::<Vec<_>>());
    }
}
