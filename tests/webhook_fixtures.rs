//! The webhook fixtures of `pilot_status::mock::webhooks` (feature `mock`): every known
//! event round-trips through the signed bytes, in the documented wire shape.

use std::collections::BTreeSet;

use pilot_status::mock::webhooks::{
    SignedDelivery, call_event, code_received, every_event, every_phone_line_event,
    inbound_message, line_ref, message_status_update, number_event, phone_line_event,
};
use pilot_status::webhooks::{
    Event, InboundMessage, MessageCommon, NumberWebhooks, PhoneLineEventKind, PhoneLineWebhooks,
    SignatureError, WebhookError, signature_from,
};
use serde_json::{Value, json};

const SECRET: &str = "whsec_fixture_secret";
const LINE_SECRET: &str = "plwh_fixture_secret";

fn numbers() -> NumberWebhooks {
    NumberWebhooks::new(SECRET).expect("a non-empty secret")
}

fn json_of(delivery: &SignedDelivery) -> Value {
    serde_json::from_slice(delivery.body()).expect("the body is JSON")
}

#[test]
fn every_number_event_round_trips_through_its_signed_bytes() {
    let events = every_event();
    let names: BTreeSet<&str> = events.iter().map(Event::name).collect();
    // The 19 customer events, number.recovered, the 3 number.health_*, calls, one unknown.
    assert_eq!((events.len(), names.len()), (25, 25), "{names:?}");
    let webhooks = numbers();
    for event in &events {
        let delivery = SignedDelivery::new(SECRET, event);
        let received = webhooks
            .verify_and_parse(signature_from(&delivery.headers()), delivery.body())
            .unwrap_or_else(|error| panic!("{}: {error}", event.name()));
        assert_eq!(&received.event, event);
        assert!(received.deviations.is_empty(), "{:?}", received.deviations);
        // Parsing alone gives the same, and serializing again gives the same bytes.
        assert_eq!(&Event::parse(delivery.body()).unwrap(), event);
        assert_eq!(SignedDelivery::new(SECRET, &received.event), delivery);
    }
    assert!(matches!(events.last(), Some(Event::Unknown { .. })));
}

#[test]
fn every_phone_line_event_round_trips_through_its_signed_bytes() {
    let events = every_phone_line_event();
    let names: BTreeSet<&str> = events.iter().map(|event| event.name()).collect();
    let ids: BTreeSet<&str> = events.iter().map(|event| event.id.as_str()).collect();
    // The 10 phone_line.* events and one unknown, each with its own delivery id.
    assert_eq!((events.len(), names.len(), ids.len()), (11, 11, 11));
    let webhooks = PhoneLineWebhooks::new(LINE_SECRET).unwrap();
    for event in &events {
        let delivery = SignedDelivery::new(LINE_SECRET, event);
        let received = webhooks
            .verify_and_parse(Some(delivery.signature()), delivery.body())
            .unwrap_or_else(|error| panic!("{}: {error}", event.name()));
        assert_eq!(&received.event, event);
        assert!(received.deviations.is_empty(), "{:?}", received.deviations);
    }
    assert!(matches!(
        events.last().map(|event| &event.kind),
        Some(PhoneLineEventKind::Unknown { .. })
    ));
}

#[test]
fn the_bytes_have_the_documented_wire_shapes() {
    let events = every_event();
    let shape = |name: &str| {
        let event = events.iter().find(|event| event.name() == name).unwrap();
        json_of(&SignedDelivery::new(SECRET, event))
    };

    // message.*, number.*, lead.received: {event, data}; optional members left out when
    // absent, nullable ones sent as null.
    let received = shape("message.received");
    assert_eq!(
        received.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["data", "event"]
    );
    assert_eq!(received["event"], "message.received");
    assert_eq!(received["data"]["fromMe"], false);
    assert_eq!(received["data"]["type"], "text");
    assert!(received["data"].get("mediaLink").is_none());
    assert!(received["data"].get("correlationId").is_none());
    let newsletter = shape("message.newsletter");
    assert!(newsletter["data"].get("participantName").is_none());
    let lead = shape("lead.received");
    assert_eq!(lead["data"]["leadgenId"], "1029384756473829");
    assert!(lead["data"]["fields"][1].get("label").is_none());
    let health = shape("number.health_degraded");
    assert_eq!(health["data"]["numberId"], number_event().number_id);
    assert!(health["data"]["reason"].is_string());

    // call.*: flat, no data.
    let permission = shape("call.permission_updated");
    assert_eq!(permission["event"], "call.permission_updated");
    assert!(permission.get("data").is_none());
    assert_eq!(permission["callId"], Value::Null);
    assert_eq!(permission["status"], "TEMPORARY");
    assert!(permission.get("duration").is_none());
    assert_eq!(shape("call.ended")["duration"], 95);

    // calls: Meta's envelope as it came.
    let calls = shape("calls");
    assert_eq!(calls["event"], "calls");
    assert_eq!(calls["entry"][0]["changes"][0]["field"], "calls");

    // Phone lines: {id, event, createdAt, data}; nullable members sent as null.
    let code = phone_line_event(PhoneLineEventKind::CodeReceived(code_received()));
    let code = json_of(&SignedDelivery::new(LINE_SECRET, &code));
    assert_eq!(
        code.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["createdAt", "data", "event", "id"]
    );
    assert_eq!(code["event"], "phone_line.code_received");
    assert_eq!(code["data"]["lineId"], line_ref().line_id);
    assert_eq!(code["data"].get("failureReason"), Some(&Value::Null));
}

#[test]
fn a_test_overrides_the_defaults_through_the_typed_event() {
    let event = Event::MessageReceived(InboundMessage {
        from: "+5521977770000".to_owned(),
        message: MessageCommon {
            content: Some("Quero cancelar".to_owned()),
            ..inbound_message().message
        },
        ..inbound_message()
    });
    let delivery = SignedDelivery::new(SECRET, &event);
    let body = json_of(&delivery);
    assert_eq!(
        (&body["data"]["from"], &body["data"]["content"]),
        (&json!("+5521977770000"), &json!("Quero cancelar"))
    );
    let Event::MessageReceived(received) = numbers()
        .verify_and_parse(Some(delivery.signature()), delivery.body())
        .unwrap()
        .event
    else {
        panic!("not a message.received")
    };
    assert_eq!(received.from, "+5521977770000");
    assert_eq!(received.participant_name.as_deref(), Some("Ana Souza"));

    let ended = Event::CallEnded(pilot_status::webhooks::CallEvent {
        status: "COMPLETED".to_owned(),
        duration: Some(12),
        ..call_event()
    });
    let delivery = SignedDelivery::new(SECRET, &ended);
    assert_eq!(json_of(&delivery)["duration"], 12);
    assert_eq!(Event::parse(delivery.body()).unwrap(), ended);
}

#[test]
fn headers_carry_the_signature_and_the_content_type() {
    let delivery = SignedDelivery::new(SECRET, &Event::MessageSent(message_status_update()));
    let headers = delivery.headers();
    assert_eq!(headers["x-pilot-status-signature"], delivery.signature());
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(delivery.signature().len(), 64);
    assert_eq!(
        delivery.signature(),
        pilot_status::webhooks::sign(SECRET, delivery.body())
    );
}

#[test]
fn a_fixture_signed_with_another_secret_or_changed_is_refused() {
    let event = Event::MessageReceived(inbound_message());
    let webhooks = numbers();

    let other = SignedDelivery::new("whsec_someone_else", &event);
    assert!(matches!(
        webhooks.verify_and_parse(Some(other.signature()), other.body()),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    ));

    let genuine = SignedDelivery::new(SECRET, &event);
    let mut altered = genuine.body().to_vec();
    let position = altered.iter().position(|byte| *byte == b'+').unwrap();
    altered[position + 1] = b'9';
    assert!(matches!(
        webhooks.verify_and_parse(Some(genuine.signature()), &altered),
        Err(WebhookError::Signature(SignatureError::Mismatch))
    ));
}

#[test]
fn any_body_can_be_signed_as_given() {
    let delivery = SignedDelivery::from_body(SECRET, &b"not an event"[..]);
    assert_eq!(delivery.body().as_ref(), b"not an event");
    assert!(matches!(
        numbers().verify_and_parse(Some(delivery.signature()), delivery.body()),
        Err(WebhookError::Parse(_))
    ));
}

#[test]
fn unknown_events_built_by_hand_still_name_their_event() {
    // `raw` without `event`, or not an object: the variant's name still goes on the wire.
    let partial = Event::Unknown {
        event: "flow.response_received".to_owned(),
        raw: json!({"data": {"flowToken": "ft_1"}}),
    };
    let body = json_of(&SignedDelivery::new(SECRET, &partial));
    assert_eq!(
        body,
        json!({"event": "flow.response_received", "data": {"flowToken": "ft_1"}})
    );
    let scalar = Event::Unknown {
        event: "x.y".to_owned(),
        raw: json!(7),
    };
    assert_eq!(
        json_of(&SignedDelivery::new(SECRET, &scalar)),
        json!({"event": "x.y", "data": 7})
    );
}
