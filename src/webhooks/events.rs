//! Events of number webhooks (schema v3, camelCase): `{event, data}` for `message.*`,
//! `number.*` and `lead.received`; flat (no `data`) for `call.*`; Meta's raw envelope for
//! `calls`.
//!
//! Every type serializes to the wire shape it parses from: members the docs mark optional
//! are left out when `None`, members documented as nullable are sent as `null`.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

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

/// The kind of a message's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MessageType {
    /// Text.
    Text,
    /// An image.
    Image,
    /// Audio.
    Audio,
    /// A video.
    Video,
    /// A document.
    Document,
    /// A location.
    Location,
    /// Contacts.
    Contacts,
    /// A sticker.
    Sticker,
    /// A reaction.
    Reaction,
    /// A kind this client does not know yet.
    #[serde(untagged)]
    Unknown(String),
}

/// What every `message.*` event carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageCommon {
    /// The public id of the number.
    pub number_id: String,
    /// The provider's message id.
    pub message_id: Option<String>,
    /// The Pilot Status message id (the `id` the send call returned).
    pub id: String,
    /// The content kind.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<MessageType>,
    /// Whether your number sent it.
    pub from_me: bool,
    /// When (ISO 8601).
    pub created_at: String,
    /// The recipient (E.164 with `+`).
    pub to: String,
    /// The text or caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The correlation id of the send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Media link, when the message has media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_link: Option<String>,
    /// Media type, when the message has media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Media caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_caption: Option<String>,
    /// Media file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_filename: Option<String>,
    /// Members of the event's payload this version does not model, kept as they came (and
    /// serialized back): a member upstream adds is never lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `message.sent`, `message.delivered`, `message.read`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageStatusUpdate {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// Your own number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// `message.failed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageFailed {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// Your own number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Why it failed.
    pub error: String,
    /// The machine-readable reason, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// `message.received`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundMessage {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// The sender (E.164 with `+`).
    pub from: String,
    /// The sender's WhatsApp name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
}

/// `message.reply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyMessage {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// The sender.
    pub from: String,
    /// The sender's WhatsApp name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// The text replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_replied: Option<String>,
    /// The provider id of the message replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_message_id: Option<String>,
}

/// `message.group`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMessage {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// The sender.
    pub from: String,
    /// The sender's WhatsApp name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// The group JID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// The group's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// `message.newsletter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewsletterMessage {
    /// The message.
    #[serde(flatten)]
    pub message: MessageCommon,
    /// The sender.
    pub from: String,
    /// The sender's WhatsApp name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_name: Option<String>,
    /// The channel JID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newsletter_id: Option<String>,
    /// The channel's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newsletter_name: Option<String>,
}

/// `number.*` lifecycle events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberEvent {
    /// The public id of the number.
    pub number_id: String,
    /// The phone number (E.164 with `+`).
    pub phone: String,
    /// The number's display name.
    pub display_name: String,
    /// When (ISO 8601).
    pub created_at: String,
    /// The WhatsApp profile name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    /// Why, for failures and disconnections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The machine-readable reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Members this version does not model, kept as the event had them (and serialized back):
    /// a member upstream adds is never lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `number.health_*`: the docs name these events without documenting their payload; the
/// number id is read when present and every member is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberHealthEvent {
    /// The public id of the number, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_id: Option<String>,
    /// Every other member.
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

/// One answer of a lead form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadField {
    /// The question key.
    pub key: String,
    /// The question as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The answers.
    pub values: Vec<String>,
    /// Members this version does not model, kept as the event had them (and serialized back):
    /// a member upstream adds is never lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `lead.received`. Use `leadgen_id` to deduplicate deliveries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadReceived {
    /// The Pilot Status lead id.
    pub lead_id: String,
    /// Meta's leadgen id.
    pub leadgen_id: String,
    /// The number the lead is routed to.
    pub whatsapp_number_id: String,
    /// The Facebook Page.
    pub page_id: String,
    /// The Instant Form.
    pub form_id: String,
    /// When (ISO 8601).
    pub created_at: String,
    /// The answers.
    pub fields: Vec<LeadField>,
    /// The Page's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_name: Option<String>,
    /// The form's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_name: Option<String>,
    /// The ad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_id: Option<String>,
    /// The ad set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adset_id: Option<String>,
    /// The campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    /// The ad's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_name: Option<String>,
    /// The ad set's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adset_name: Option<String>,
    /// The campaign's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_name: Option<String>,
    /// `fb` or `ig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// True for organic leads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_organic: Option<bool>,
    /// The lead's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// The lead's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The lead's phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Consent, when the form asked (null: unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_given: Option<bool>,
    /// The conversation started with the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// Members this version does not model, kept as the event had them (and serialized back):
    /// a member upstream adds is never lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `call.*` (flat: the members sit next to `event`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallEvent {
    /// The Pilot Status call id (null on `call.permission_updated`).
    pub call_id: Option<String>,
    /// The provider's call id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_call_id: Option<String>,
    /// INBOUND or OUTBOUND (null on `call.permission_updated`).
    pub direction: Option<String>,
    /// The call status (or, on `call.permission_updated`, the permission).
    pub status: String,
    /// The caller.
    pub from: Option<String>,
    /// The callee.
    pub to: Option<String>,
    /// When (ISO 8601).
    pub timestamp: String,
    /// Seconds, on an answered `call.ended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Members this version does not model, kept as the event had them (and serialized back):
    /// a member upstream adds is never lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
