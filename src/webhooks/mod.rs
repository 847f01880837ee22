//! Receiving webhooks: check the signature, then parse into typed events.
//!
//! Pilot Status signs every delivery with HMAC-SHA256 over the raw request body, hex-encoded
//! in the `x-pilot-status-signature` header, keyed with the webhook's secret. Number
//! webhooks ([`NumberWebhooks`], events [`Event`]) and phone-line webhooks
//! ([`PhoneLineWebhooks`], secret `plwh_...`, events [`PhoneLineEvent`]) each have their own
//! secret. Verify the bytes exactly as received, before parsing them.
//!
//! ```
//! use pilot_status::webhooks::{Event, NumberWebhooks};
//!
//! # fn handle(signature: Option<&str>, body: &[u8]) -> Result<(), pilot_status::webhooks::WebhookError> {
//! let webhooks = NumberWebhooks::new("whsec_from_your_settings");
//! match webhooks.verify_and_parse(signature, body)? {
//!     Event::MessageReceived(message) => println!("{} wrote: {:?}", message.from, message.message.content),
//!     Event::MessageFailed(failed) => eprintln!("{} failed: {}", failed.message.id, failed.error),
//!     other => println!("{}", other.name()),
//! }
//! # Ok(()) }
//! ```

mod events;
mod phone_line;

use std::fmt;

use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use serde_json::Value;
use sha2::Sha256;

pub use events::{
    CallEvent, Event, GroupMessage, InboundMessage, LeadField, LeadReceived, MessageCommon,
    MessageFailed, MessageStatusUpdate, MessageType, NewsletterMessage, NumberEvent,
    NumberHealthEvent, ReplyMessage,
};
pub use phone_line::{
    AudioReceived, CodeFailed, CodeReceived, LinePeriod, LineRef, LineReturned, PhoneLineEvent,
    PhoneLineEventKind, ReturnReason, VerificationStatus, VerificationUpdated,
};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-pilot-status-signature";

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No `x-pilot-status-signature` header, or an empty one.
    #[error("the x-pilot-status-signature header is missing or empty")]
    Missing,
    /// Not 64 hexadecimal digits (optionally after `sha256=`).
    #[error(
        "the x-pilot-status-signature header is not an HMAC-SHA256 in hex (64 hexadecimal digits)"
    )]
    Malformed,
    /// A well-formed signature of other bytes or with another secret.
    #[error("the signature does not match the body: another secret, or the body was changed")]
    Mismatch,
}

/// Why a webhook body could not be parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The body is not JSON.
    #[error("the webhook body is not JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The body has no string `event`.
    #[error("the webhook body is not an event: no string `event` member")]
    NotAnEvent,
    /// A known event without its `data` object.
    #[error("`{event}` webhook without a `data` object")]
    MissingData {
        /// The event name.
        event: String,
    },
    /// A known event whose members do not have the documented types.
    #[error("`{event}` webhook does not have the documented shape: {source}")]
    Payload {
        /// The event name.
        event: String,
        /// What did not fit.
        #[source]
        source: serde_json::Error,
    },
}

/// Verifying or parsing failed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The signature was refused: answer 401 and do not process the body.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The body could not be parsed.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Checks `signature` (the header value) against HMAC-SHA256(`secret`, `body`), in constant
/// time. Upper- or lower-case hex and an optional `sha256=` prefix are accepted.
pub fn verify_signature(
    secret: &[u8],
    body: &[u8],
    signature: Option<&str>,
) -> Result<(), SignatureError> {
    let signature = signature
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing)?;
    let digits = match signature.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("sha256=") => &signature[7..],
        _ => signature,
    };
    if digits.len() != 64 {
        return Err(SignatureError::Malformed);
    }
    let expected = hex::decode(digits).map_err(|_| SignatureError::Malformed)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The signature of `body` with `secret`, lower-case hex, as Pilot Status sends it (for
/// tests and for replaying deliveries).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The signature header of a request, if present and text.
pub fn signature_from(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
}

/// A webhook secret; its `Debug` never shows it.
#[derive(Clone)]
struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Verifies and parses the webhooks of WhatsApp numbers (`message.*`, `number.*`,
/// `lead.received`, `call.*`).
#[derive(Debug, Clone)]
pub struct NumberWebhooks {
    secret: Secret,
}

impl NumberWebhooks {
    /// With the webhook's signing secret.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: Secret(secret.into()),
        }
    }

    /// Checks the signature of `body`.
    pub fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
        verify_signature(&self.secret.0, body, signature)
    }

    /// Checks the signature, then parses the event.
    pub fn verify_and_parse(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify(signature, body)?;
        Ok(Event::parse(body)?)
    }
}

/// Verifies and parses the webhooks of phone lines (`phone_line.*`), keyed with the
/// phone-line webhook secret (`plwh_...`).
#[derive(Debug, Clone)]
pub struct PhoneLineWebhooks {
    secret: Secret,
}

impl PhoneLineWebhooks {
    /// With the phone-line webhook secret.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self {
            secret: Secret(secret.into()),
        }
    }

    /// Checks the signature of `body`.
    pub fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
        verify_signature(&self.secret.0, body, signature)
    }

    /// Checks the signature, then parses the event.
    pub fn verify_and_parse(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<PhoneLineEvent, WebhookError> {
        self.verify(signature, body)?;
        Ok(PhoneLineEvent::parse(body)?)
    }
}

/// The body as a JSON object with its `event` name.
fn event_object(body: &[u8]) -> Result<(String, Value), ParseError> {
    let value: Value = serde_json::from_slice(body).map_err(ParseError::Json)?;
    let name = value
        .get("event")
        .and_then(Value::as_str)
        .ok_or(ParseError::NotAnEvent)?
        .to_owned();
    Ok((name, value))
}

/// Deserializes a known event's member.
fn payload<T: serde::de::DeserializeOwned>(event: &str, value: Value) -> Result<T, ParseError> {
    serde_json::from_value(value).map_err(|source| ParseError::Payload {
        event: event.to_owned(),
        source,
    })
}

/// The `data` object of an enveloped event.
fn data_of(event: &str, value: &mut Value) -> Result<Value, ParseError> {
    match value.get_mut("data").map(Value::take) {
        Some(data @ Value::Object(_)) => Ok(data),
        _ => Err(ParseError::MissingData {
            event: event.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_vector() {
        // HMAC-SHA256(key = "key", "The quick brown fox jumps over the lazy dog").
        assert_eq!(
            sign(b"key", b"The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let printed = format!(
            "{:?} {:?}",
            NumberWebhooks::new("whsec_1"),
            PhoneLineWebhooks::new("plwh_1")
        );
        assert!(
            !printed.contains("whsec_1") && !printed.contains("plwh_1"),
            "{printed}"
        );
    }
}
