//! Events of phone-line webhooks: `{id, event, createdAt, data}`. Their payload types are
//! generated (`super::payloads`); the envelope and its parsing are written here.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::payloads::{
    AudioReceived, CodeFailed, CodeReceived, LinePeriod, LineRef, LineReturned, VerificationUpdated,
};
use super::{Delivery, ParseError, Payloads, event_object};

/// A phone-line webhook event.
///
/// It serializes to the body Pilot Status sends (`{id, event, createdAt, data}`), which
/// [`PhoneLineEvent::parse`] reads back into the same value.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneLineEvent {
    /// The delivery's id (deduplicate on it).
    pub id: String,
    /// When (ISO 8601).
    pub created_at: String,
    /// What happened.
    pub kind: PhoneLineEventKind,
}

/// What a phone-line event reports.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PhoneLineEventKind {
    /// `phone_line.purchased`.
    Purchased(LinePeriod),
    /// `phone_line.audio_received`: the activation call was recorded.
    AudioReceived(AudioReceived),
    /// `phone_line.code_received`: the activation code was read from the call.
    CodeReceived(CodeReceived),
    /// `phone_line.code_failed`.
    CodeFailed(CodeFailed),
    /// `phone_line.renewed`.
    Renewed(LinePeriod),
    /// `phone_line.payment_failed`.
    PaymentFailed(LineRef),
    /// `phone_line.suspended`.
    Suspended(LineRef),
    /// `phone_line.canceled`.
    Canceled(LineRef),
    /// `phone_line.returned`.
    Returned(LineReturned),
    /// `phone_line.verification_updated`.
    VerificationUpdated(VerificationUpdated),
    /// An event this client does not know; its `data` is kept.
    Unknown {
        /// Its name.
        event: String,
        /// Its `data` (null when absent).
        data: Value,
    },
}

impl PhoneLineEvent {
    /// The event name as delivered (`phone_line.purchased`, ...).
    pub fn name(&self) -> &str {
        self.kind.name()
    }

    /// Parses a phone-line webhook body (after its signature was verified) strictly: a known
    /// event whose envelope or payload does not fit its type is an error
    /// ([`ParseError::Payload`]). The verifiers read tolerantly instead
    /// ([`PhoneLineEvent::read`]).
    pub fn parse(body: &[u8]) -> Result<Self, ParseError> {
        Self::read_body(body, true).map(|delivery| delivery.event)
    }

    /// Reads a phone-line webhook body (after its signature was verified) as far as it fits,
    /// with where it differs from the event's type: what
    /// [`PhoneLineWebhooks::verify_and_parse`](super::PhoneLineWebhooks) does after the
    /// signature.
    pub fn read(body: &[u8]) -> Result<Delivery<Self>, ParseError> {
        Self::read_body(body, false)
    }

    pub(super) fn read_body(body: &[u8], strict: bool) -> Result<Delivery<Self>, ParseError> {
        let (name, mut value) = event_object(body)?;
        let mut payloads = Payloads::new(&name, strict);
        let id = payloads.text(&value, "id")?;
        let created_at = payloads.text(&value, "createdAt")?;
        macro_rules! data {
            ($variant:ident) => {{
                let data = payloads.data(&mut value)?;
                PhoneLineEventKind::$variant(payloads.read(&data, &["data"])?)
            }};
        }
        let kind = match name.as_str() {
            "phone_line.purchased" => data!(Purchased),
            "phone_line.audio_received" => data!(AudioReceived),
            "phone_line.code_received" => data!(CodeReceived),
            "phone_line.code_failed" => data!(CodeFailed),
            "phone_line.renewed" => data!(Renewed),
            "phone_line.payment_failed" => data!(PaymentFailed),
            "phone_line.suspended" => data!(Suspended),
            "phone_line.canceled" => data!(Canceled),
            "phone_line.returned" => data!(Returned),
            "phone_line.verification_updated" => data!(VerificationUpdated),
            _ => PhoneLineEventKind::Unknown {
                event: name.clone(),
                data: value
                    .get_mut("data")
                    .map(Value::take)
                    .unwrap_or(Value::Null),
            },
        };
        Ok(payloads.delivered(Self {
            id,
            created_at,
            kind,
        }))
    }
}

impl PhoneLineEventKind {
    /// The event name as delivered (`phone_line.purchased`, ...).
    pub fn name(&self) -> &str {
        match self {
            Self::Purchased(_) => "phone_line.purchased",
            Self::AudioReceived(_) => "phone_line.audio_received",
            Self::CodeReceived(_) => "phone_line.code_received",
            Self::CodeFailed(_) => "phone_line.code_failed",
            Self::Renewed(_) => "phone_line.renewed",
            Self::PaymentFailed(_) => "phone_line.payment_failed",
            Self::Suspended(_) => "phone_line.suspended",
            Self::Canceled(_) => "phone_line.canceled",
            Self::Returned(_) => "phone_line.returned",
            Self::VerificationUpdated(_) => "phone_line.verification_updated",
            Self::Unknown { event, .. } => event,
        }
    }
}

impl Serialize for PhoneLineEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("event", self.kind.name())?;
        map.serialize_entry("createdAt", &self.created_at)?;
        match &self.kind {
            PhoneLineEventKind::Purchased(data) | PhoneLineEventKind::Renewed(data) => {
                map.serialize_entry("data", data)?
            }
            PhoneLineEventKind::AudioReceived(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::CodeReceived(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::CodeFailed(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::PaymentFailed(data)
            | PhoneLineEventKind::Suspended(data)
            | PhoneLineEventKind::Canceled(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::Returned(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::VerificationUpdated(data) => map.serialize_entry("data", data)?,
            PhoneLineEventKind::Unknown { data, .. } => map.serialize_entry("data", data)?,
        }
        map.end()
    }
}
