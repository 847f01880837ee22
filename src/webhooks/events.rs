//! Events of number webhooks (schema v3, camelCase): `{event, data}` for `message.*`,
//! `number.*` and `lead.received`; flat (no `data`) for `call.*`; Meta's raw envelope for
//! `calls`.
//!
//! The payload types are generated (`super::payloads`, from the docs' events page and
//! `design/events.yaml`); the envelope, the parsing and the serialization of the events are
//! written here. Every type serializes to the wire shape it parses from: members the docs
//! mark optional are left out when `None`, members documented as nullable are sent as
//! `null`.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::payloads::{
    CallEvent, GroupMessage, InboundMessage, LeadReceived, MessageFailed, MessageStatusUpdate,
    NewsletterMessage, NumberEvent, NumberHealthEvent, ReplyMessage,
};
use super::{Delivery, ParseError, Payloads, event_object};

/// A number-webhook event.
///
/// It serializes to the body Pilot Status sends (`{event, data}`, or flat for `call.*`),
/// which [`Event::parse`] reads back into the same value. `Calls` and `Unknown` serialize
/// their JSON with `event` set to the variant's name; a non-object JSON goes under `data`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `message.sent`: an outbound message left.
    MessageSent(MessageStatusUpdate),
    /// `message.delivered`.
    MessageDelivered(MessageStatusUpdate),
    /// `message.read`.
    MessageRead(MessageStatusUpdate),
    /// `message.failed`.
    MessageFailed(MessageFailed),
    /// `message.received`: an inbound direct message.
    MessageReceived(InboundMessage),
    /// `message.reply`: an inbound reply to a message of yours.
    MessageReply(ReplyMessage),
    /// `message.group`: a message in a group.
    MessageGroup(GroupMessage),
    /// `message.newsletter`: a message in a channel.
    MessageNewsletter(NewsletterMessage),
    /// `number.created`.
    NumberCreated(NumberEvent),
    /// `number.connected`.
    NumberConnected(NumberEvent),
    /// `number.disconnected`.
    NumberDisconnected(NumberEvent),
    /// `number.removed`.
    NumberRemoved(NumberEvent),
    /// `number.restored`: back from a soft delete, disconnected (reconnect it).
    NumberRestored(NumberEvent),
    /// `number.recovered` (named by the docs' event list).
    NumberRecovered(NumberEvent),
    /// `number.health_blocked` (`"*"` subscriptions only; shape not documented).
    NumberHealthBlocked(NumberHealthEvent),
    /// `number.health_degraded` (`"*"` subscriptions only; shape not documented).
    NumberHealthDegraded(NumberHealthEvent),
    /// `number.health_shadowban` (`"*"` subscriptions only; shape not documented).
    NumberHealthShadowban(NumberHealthEvent),
    /// `lead.received`: a Meta Lead Ads lead.
    LeadReceived(LeadReceived),
    /// `call.ringing`.
    CallRinging(CallEvent),
    /// `call.connected`.
    CallConnected(CallEvent),
    /// `call.ended` (`duration` is set when the call was answered).
    CallEnded(CallEvent),
    /// `call.missed`.
    CallMissed(CallEvent),
    /// `call.permission_updated` (Meta): `status` is NO_PERMISSION, TEMPORARY or PERMANENT.
    CallPermissionUpdated(CallEvent),
    /// `calls`: Meta's raw calls envelope, as delivered.
    Calls(Value),
    /// An event this client does not know; the whole body is kept.
    Unknown {
        /// Its name.
        event: String,
        /// The body.
        raw: Value,
    },
}

impl Event {
    /// Parses a webhook body (after its signature was verified) strictly: a known event whose
    /// payload does not fit its type is an error ([`ParseError::Payload`]). The verifiers
    /// read tolerantly instead ([`Event::read`]).
    pub fn parse(body: &[u8]) -> Result<Self, ParseError> {
        Self::read_body(body, true).map(|delivery| delivery.event)
    }

    /// Reads a webhook body (after its signature was verified) as far as it fits, with where
    /// it differs from the event's type: what
    /// [`NumberWebhooks::verify_and_parse`](super::NumberWebhooks) does after the signature.
    pub fn read(body: &[u8]) -> Result<Delivery<Self>, ParseError> {
        Self::read_body(body, false)
    }

    pub(super) fn read_body(body: &[u8], strict: bool) -> Result<Delivery<Self>, ParseError> {
        let (name, mut value) = event_object(body)?;
        let mut payloads = Payloads::new(&name, strict);
        // `message.*`, `number.*`, `lead.received`: the payload is the `data` object.
        macro_rules! enveloped {
            ($variant:ident) => {{
                let data = payloads.data(&mut value)?;
                Self::$variant(payloads.read(&data, &["data"])?)
            }};
        }
        // `call.*`: the members sit next to `event` (which is the envelope's, not theirs).
        macro_rules! flat {
            ($variant:ident) => {{
                let mut members = value.clone();
                if let Some(members) = members.as_object_mut() {
                    members.remove("event");
                }
                Self::$variant(payloads.read(&members, &[])?)
            }};
        }
        let event = match name.as_str() {
            "message.sent" => enveloped!(MessageSent),
            "message.delivered" => enveloped!(MessageDelivered),
            "message.read" => enveloped!(MessageRead),
            "message.failed" => enveloped!(MessageFailed),
            "message.received" => enveloped!(MessageReceived),
            "message.reply" => enveloped!(MessageReply),
            "message.group" => enveloped!(MessageGroup),
            "message.newsletter" => enveloped!(MessageNewsletter),
            "number.created" => enveloped!(NumberCreated),
            "number.connected" => enveloped!(NumberConnected),
            "number.disconnected" => enveloped!(NumberDisconnected),
            "number.removed" => enveloped!(NumberRemoved),
            "number.restored" => enveloped!(NumberRestored),
            "number.recovered" => enveloped!(NumberRecovered),
            "number.health_blocked" => enveloped!(NumberHealthBlocked),
            "number.health_degraded" => enveloped!(NumberHealthDegraded),
            "number.health_shadowban" => enveloped!(NumberHealthShadowban),
            "lead.received" => enveloped!(LeadReceived),
            "call.ringing" => flat!(CallRinging),
            "call.connected" => flat!(CallConnected),
            "call.ended" => flat!(CallEnded),
            "call.missed" => flat!(CallMissed),
            "call.permission_updated" => flat!(CallPermissionUpdated),
            "calls" => Self::Calls(value),
            _ => Self::Unknown {
                event: name.clone(),
                raw: value,
            },
        };
        Ok(payloads.delivered(event))
    }

    /// The event name as delivered (`message.received`, ...).
    pub fn name(&self) -> &str {
        match self {
            Self::MessageSent(_) => "message.sent",
            Self::MessageDelivered(_) => "message.delivered",
            Self::MessageRead(_) => "message.read",
            Self::MessageFailed(_) => "message.failed",
            Self::MessageReceived(_) => "message.received",
            Self::MessageReply(_) => "message.reply",
            Self::MessageGroup(_) => "message.group",
            Self::MessageNewsletter(_) => "message.newsletter",
            Self::NumberCreated(_) => "number.created",
            Self::NumberConnected(_) => "number.connected",
            Self::NumberDisconnected(_) => "number.disconnected",
            Self::NumberRemoved(_) => "number.removed",
            Self::NumberRestored(_) => "number.restored",
            Self::NumberRecovered(_) => "number.recovered",
            Self::NumberHealthBlocked(_) => "number.health_blocked",
            Self::NumberHealthDegraded(_) => "number.health_degraded",
            Self::NumberHealthShadowban(_) => "number.health_shadowban",
            Self::LeadReceived(_) => "lead.received",
            Self::CallRinging(_) => "call.ringing",
            Self::CallConnected(_) => "call.connected",
            Self::CallEnded(_) => "call.ended",
            Self::CallMissed(_) => "call.missed",
            Self::CallPermissionUpdated(_) => "call.permission_updated",
            Self::Calls(_) => "calls",
            Self::Unknown { event, .. } => event,
        }
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// `call.*`: the members next to `event`.
        #[derive(Serialize)]
        struct Flat<'a, T> {
            event: &'a str,
            #[serde(flatten)]
            members: &'a T,
        }
        /// `message.*`, `number.*`, `lead.received`.
        #[derive(Serialize)]
        struct Enveloped<'a, T> {
            event: &'a str,
            data: &'a T,
        }
        let event = self.name();
        match self {
            Self::MessageSent(data) | Self::MessageDelivered(data) | Self::MessageRead(data) => {
                Enveloped { event, data }.serialize(serializer)
            }
            Self::MessageFailed(data) => Enveloped { event, data }.serialize(serializer),
            Self::MessageReceived(data) => Enveloped { event, data }.serialize(serializer),
            Self::MessageReply(data) => Enveloped { event, data }.serialize(serializer),
            Self::MessageGroup(data) => Enveloped { event, data }.serialize(serializer),
            Self::MessageNewsletter(data) => Enveloped { event, data }.serialize(serializer),
            Self::NumberCreated(data)
            | Self::NumberConnected(data)
            | Self::NumberDisconnected(data)
            | Self::NumberRemoved(data)
            | Self::NumberRestored(data)
            | Self::NumberRecovered(data) => Enveloped { event, data }.serialize(serializer),
            Self::NumberHealthBlocked(data)
            | Self::NumberHealthDegraded(data)
            | Self::NumberHealthShadowban(data) => Enveloped { event, data }.serialize(serializer),
            Self::LeadReceived(data) => Enveloped { event, data }.serialize(serializer),
            Self::CallRinging(members)
            | Self::CallConnected(members)
            | Self::CallEnded(members)
            | Self::CallMissed(members)
            | Self::CallPermissionUpdated(members) => Flat { event, members }.serialize(serializer),
            Self::Calls(raw) | Self::Unknown { raw, .. } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("event", event)?;
                match raw {
                    Value::Object(members) => {
                        for (key, value) in members.iter().filter(|(key, _)| *key != "event") {
                            map.serialize_entry(key, value)?;
                        }
                    }
                    other => map.serialize_entry("data", other)?,
                }
                map.end()
            }
        }
    }
}
