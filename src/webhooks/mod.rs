//! Receiving webhooks: check the signature, then parse into typed events.
//!
//! Pilot Status signs every delivery with HMAC-SHA256 over the raw request body, hex-encoded
//! in the `x-pilot-status-signature` header, keyed with the webhook's secret. Number
//! webhooks ([`NumberWebhooks`], events [`Event`]) and phone-line webhooks
//! ([`PhoneLineWebhooks`], secret `plwh_...`, events [`PhoneLineEvent`]) each have their own
//! secret. Verify the bytes exactly as received, before parsing them.
//!
//! A verifier refuses an empty or whitespace-only secret when it is built ([`SecretError`]):
//! anyone can sign a delivery with an empty key, so an unset variable must stop the
//! receiver, not open it.
//!
//! ```
//! use pilot_status::webhooks::{Event, NumberWebhooks};
//!
//! # fn handle(signature: Option<&str>, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let webhooks = NumberWebhooks::new("whsec_from_your_settings")?;
//! match webhooks.verify_and_parse(signature, body)?.event {
//!     Event::MessageReceived(message) => println!("{} wrote: {:?}", message.from, message.message.content),
//!     Event::MessageFailed(failed) => eprintln!("{} failed: {}", failed.message.id, failed.error),
//!     other => println!("{}", other.name()),
//! }
//! # Ok(()) }
//! ```
//!
//! With the `axum` feature, `VerifiedEvent` is an extractor that does all of this in a
//! handler's arguments.
//!
//! The payload types ([`InboundMessage`], [`CallEvent`], [`LineRef`], ...) are generated from
//! the docs' events page and the reviewed table `design/events.yaml`, so an upstream change
//! to an event reaches them through `cargo xtask sync-spec` like a change to a response; the
//! envelopes ([`Event`], [`PhoneLineEvent`]), the signatures and the parsing are written here.

mod events;
#[cfg(feature = "axum")]
mod extractor;
mod payloads;
mod phone_line;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::Deviation;
use crate::reading::Logged;

pub use events::Event;
#[cfg(feature = "axum")]
pub use extractor::{VerifiedEvent, WebhookRejection};
pub use payloads::{
    AudioReceived, CallEvent, CodeFailed, CodeReceived, GroupMessage, InboundMessage, LeadReceived,
    LeadReceivedField, LinePeriod, LineRef, LineReturned, MessageCommon, MessageFailed,
    MessageStatusUpdate, MessageType, NewsletterMessage, NumberEvent, NumberHealthEvent,
    ReplyMessage, ReturnReason, VerificationUpdated,
};
pub use phone_line::{PhoneLineEvent, PhoneLineEventKind};
/// The request headers type [`signature_from`] reads: the `http` crate's map, the one
/// axum, hyper and reqwest use.
pub use reqwest::header::HeaderMap;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-pilot-status-signature";

/// The largest body [`VerifiedEvent`] reads unless [`Webhooks::with_body_limit`] says
/// otherwise: 1 MiB.
#[cfg(feature = "axum")]
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

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

/// Why a webhook secret was refused when building a verifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret is empty or only whitespace.
    #[error(
        "the webhook secret is empty or only whitespace; refusing it, since anyone can sign a delivery with an empty key"
    )]
    Empty,
    /// The environment variable that should hold the secret is not set.
    #[error("the environment variable {variable} is not set; it must hold the webhook's secret")]
    EnvNotSet {
        /// The variable's name.
        variable: String,
    },
    /// The environment variable that should hold the secret is empty or only whitespace.
    #[error(
        "the environment variable {variable} is empty or only whitespace; it must hold the webhook's secret"
    )]
    EnvEmpty {
        /// The variable's name.
        variable: String,
    },
    /// The environment variable that should hold the secret is not valid Unicode.
    #[error("the environment variable {variable} is not valid Unicode")]
    EnvNotUnicode {
        /// The variable's name.
        variable: String,
    },
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
    /// A known event without its `data` object (strict reading only: otherwise it reads as
    /// an empty object, with a deviation).
    #[error("`{event}` webhook without a `data` object")]
    MissingData {
        /// The event name.
        event: String,
    },
    /// A known event whose members do not have the documented types (strict reading only:
    /// otherwise it is read as far as it fits, with deviations).
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
    /// The verifier could not be built: the secret is unset, empty or blank
    /// ([`NumberWebhooks::new`], [`NumberWebhooks::from_env`]), so a handler that builds its
    /// verifier and verifies in one function can use `?` for both.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// The bytes of a signature header value: 64 hexadecimal digits, upper- or lower-case,
/// optionally after `sha256=`.
fn decode_signature(signature: Option<&str>) -> Result<Vec<u8>, SignatureError> {
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
    hex::decode(digits).map_err(|_| SignatureError::Malformed)
}

/// Checks `signature` (the header value) against HMAC-SHA256(`secret`, `body`), in constant
/// time. Only [`Webhooks`] calls it, with a secret it has checked.
fn verify_signature(
    secret: &Secret,
    body: &[u8],
    signature: Option<&str>,
) -> Result<(), SignatureError> {
    let expected = decode_signature(signature)?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(&secret.0).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The signature of `body` with `secret` (the webhook's `whsec_...` or `plwh_...` secret),
/// lower-case hex, as Pilot Status sends it (for tests and for replaying deliveries).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
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

/// A webhook secret with at least one byte that is not whitespace; its `Debug` never
/// shows it.
#[derive(Clone)]
struct Secret(Arc<[u8]>);

impl Secret {
    fn new(secret: Vec<u8>) -> Result<Self, SecretError> {
        let blank = match std::str::from_utf8(&secret) {
            Ok(text) => text.trim().is_empty(),
            Err(_) => secret.iter().all(u8::is_ascii_whitespace),
        };
        if blank {
            return Err(SecretError::Empty);
        }
        Ok(Self(secret.into()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

mod sealed {
    /// Keeps [`super::WebhookEvent`] to this crate's event types.
    pub trait Sealed {}
    impl Sealed for super::Event {}
    impl Sealed for super::PhoneLineEvent {}
}

/// A typed webhook event: [`Event`] (number webhooks) or [`PhoneLineEvent`] (phone-line
/// webhooks). It serializes to the body Pilot Status sends and parses back from it.
pub trait WebhookEvent: serde::Serialize + Sized + Send + 'static + sealed::Sealed {
    /// What the verifier of these events is called in messages (`NumberWebhooks`, ...).
    const VERIFIER: &'static str;

    /// Reads a body (after its signature was verified): as far as it fits, with its
    /// deviations, or (`strict`) refusing any deviation.
    fn read(body: &[u8], strict: bool) -> Result<Delivery<Self>, ParseError>;

    /// The event name as delivered (`message.received`, `phone_line.renewed`, ...).
    fn name(&self) -> &str;
}

impl WebhookEvent for Event {
    const VERIFIER: &'static str = "NumberWebhooks";

    fn read(body: &[u8], strict: bool) -> Result<Delivery<Self>, ParseError> {
        Event::read_body(body, strict)
    }

    fn name(&self) -> &str {
        Event::name(self)
    }
}

impl WebhookEvent for PhoneLineEvent {
    const VERIFIER: &'static str = "PhoneLineWebhooks";

    fn read(body: &[u8], strict: bool) -> Result<Delivery<Self>, ParseError> {
        PhoneLineEvent::read_body(body, strict)
    }

    fn name(&self) -> &str {
        PhoneLineEvent::name(self)
    }
}

/// A verified webhook delivery, read: the event, and where its body differed from the
/// event's type ([`Deviation`]; empty when it fit, the usual case).
///
/// Pilot Status signed the body, so it is what the API sent even where it differs from the
/// documented shape: such a body is read as far as it fits (a missing member reads as empty,
/// a value of another type as empty, unknown members are kept in the payload's `extra`), and
/// each difference is listed here (and logged once per event and place as a `tracing`
/// warning). [`Webhooks::strict`] refuses such a body instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery<E> {
    /// The event.
    pub event: E,
    /// Where the body differed from the event's type.
    pub deviations: Vec<Deviation>,
}

/// Verifies and parses the webhooks of numbers (`message.*`, `number.*`, `lead.received`,
/// `call.*`), keyed with the number webhook's secret.
pub type NumberWebhooks = Webhooks<Event>;

/// Verifies and parses the webhooks of phone lines (`phone_line.*`), keyed with the
/// phone-line webhook secret (`plwh_...`).
pub type PhoneLineWebhooks = Webhooks<PhoneLineEvent>;

/// A webhook verifier: holds one webhook's secret, checks signatures and parses events of
/// type `E`. Use it through [`NumberWebhooks`] and [`PhoneLineWebhooks`]. Cloning is cheap
/// (the secret is shared), so it can live in an axum state.
pub struct Webhooks<E> {
    secret: Secret,
    #[cfg(feature = "axum")]
    body_limit: usize,
    strict: bool,
    /// The deviations already logged (shared by clones).
    logged: Logged,
    event: PhantomData<fn() -> E>,
}

impl<E> Clone for Webhooks<E> {
    fn clone(&self) -> Self {
        Self {
            secret: self.secret.clone(),
            #[cfg(feature = "axum")]
            body_limit: self.body_limit,
            strict: self.strict,
            logged: self.logged.clone(),
            event: PhantomData,
        }
    }
}

impl<E: WebhookEvent> fmt::Debug for Webhooks<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct(E::VERIFIER);
        debug.field("secret", &self.secret);
        #[cfg(feature = "axum")]
        debug.field("body_limit", &self.body_limit);
        debug.field("strict", &self.strict);
        debug.finish()
    }
}

impl<E: WebhookEvent> Webhooks<E> {
    /// With the webhook's signing secret, used as given (bytes, no trimming). An empty or
    /// whitespace-only secret is refused with [`SecretError::Empty`].
    pub fn new(secret: impl Into<Vec<u8>>) -> Result<Self, SecretError> {
        Ok(Self {
            secret: Secret::new(secret.into())?,
            #[cfg(feature = "axum")]
            body_limit: DEFAULT_BODY_LIMIT,
            strict: false,
            logged: Logged::default(),
            event: PhantomData,
        })
    }

    /// With the secret read from the environment variable `variable`; an unset, empty or
    /// whitespace-only variable is an error naming it (never showing its value).
    pub fn from_env(variable: &str) -> Result<Self, SecretError> {
        let named = || variable.to_owned();
        let secret = std::env::var(variable).map_err(|error| match error {
            std::env::VarError::NotPresent => SecretError::EnvNotSet { variable: named() },
            std::env::VarError::NotUnicode(_) => SecretError::EnvNotUnicode { variable: named() },
        })?;
        Self::new(secret).map_err(|_| SecretError::EnvEmpty { variable: named() })
    }

    /// Checks the signature of `body`.
    pub fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
        verify_signature(&self.secret, body, signature)
    }

    /// Checks the signature, then reads the event: as far as it fits, with the deviations
    /// of a body that differs from the event's type ([`Delivery`]), or, with
    /// [`Webhooks::strict`], refusing such a body ([`ParseError::Payload`]).
    ///
    /// # Errors
    /// [`WebhookError::Signature`] for a missing or wrong signature (answer 401);
    /// [`WebhookError::Parse`] for a body that is not JSON, has no `event` name, or (strict)
    /// does not fit.
    pub fn verify_and_parse(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Delivery<E>, WebhookError> {
        self.verify(signature, body)?;
        Ok(self.read(body)?)
    }

    /// Reads a verified body as this verifier does (tolerant or strict), logging its
    /// deviations once per event and place.
    pub(super) fn read(&self, body: &[u8]) -> Result<Delivery<E>, ParseError> {
        let delivery = E::read(body, self.strict)?;
        self.logged
            .warn("webhook event", delivery.event.name(), &delivery.deviations);
        Ok(delivery)
    }

    /// Whether a signed body that does not fit its event's type is refused
    /// ([`ParseError::Payload`], or [`ParseError::MissingData`]; the axum extractor answers
    /// 400). Default: `false`: it is read as far as it fits, with its deviations.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The largest body [`VerifiedEvent`] reads (default [`DEFAULT_BODY_LIMIT`], 1 MiB); a
    /// larger one is answered 413 without being read whole.
    #[cfg(feature = "axum")]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The largest body [`VerifiedEvent`] reads.
    #[cfg(feature = "axum")]
    pub fn body_limit(&self) -> usize {
        self.body_limit
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

/// Reads the members of one event's body: strictly, or as far as they fit, collecting the
/// deviations.
struct Payloads<'e> {
    event: &'e str,
    strict: bool,
    deviations: Vec<Deviation>,
}

impl<'e> Payloads<'e> {
    fn new(event: &'e str, strict: bool) -> Self {
        Self {
            event,
            strict,
            deviations: Vec::new(),
        }
    }

    /// Reads `value`, found at `at` in the body (`["data"]`), as `T`.
    fn read<T: serde::de::DeserializeOwned>(
        &mut self,
        value: &Value,
        at: &[&str],
    ) -> Result<T, ParseError> {
        let source = match T::deserialize(value) {
            Ok(read) => return Ok(read),
            Err(source) => source,
        };
        if !self.strict
            && let Some((read, deviations)) = crate::reading::tolerant::<T>(value)
        {
            self.deviations
                .extend(deviations.into_iter().map(|deviation| deviation.under(at)));
            return Ok(read);
        }
        Err(ParseError::Payload {
            event: self.event.to_owned(),
            source,
        })
    }

    /// The `data` object of an enveloped event; an empty object with a deviation when it is
    /// missing or not an object (strict: [`ParseError::MissingData`]).
    fn data(&mut self, envelope: &mut Value) -> Result<Value, ParseError> {
        let found = envelope.get_mut("data").map(Value::take);
        if let Some(data @ Value::Object(_)) = found {
            return Ok(data);
        }
        if self.strict {
            return Err(ParseError::MissingData {
                event: self.event.to_owned(),
            });
        }
        self.deviations
            .push(Deviation::at_member("data", "an object", found));
        Ok(Value::Object(serde_json::Map::new()))
    }

    /// The text member `name` of the envelope; empty with a deviation when it is missing or
    /// not text (strict: [`ParseError::Payload`]).
    fn text(&mut self, envelope: &Value, name: &str) -> Result<String, ParseError> {
        let found = envelope.get(name);
        if let Some(Value::String(text)) = found {
            return Ok(text.clone());
        }
        if self.strict {
            return Err(ParseError::Payload {
                event: self.event.to_owned(),
                source: serde::de::Error::custom(format!("missing string `{name}`")),
            });
        }
        self.deviations
            .push(Deviation::at_member(name, "a string", found.cloned()));
        Ok(String::new())
    }

    /// The event read from its payloads, with their deviations.
    fn delivered<E>(self, event: E) -> Delivery<E> {
        Delivery {
            event,
            deviations: self.deviations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_vector() {
        // HMAC-SHA256(key = "key", "The quick brown fox jumps over the lazy dog").
        assert_eq!(
            sign("key", b"The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let printed = format!(
            "{:?} {:?}",
            NumberWebhooks::new("whsec_1").unwrap(),
            PhoneLineWebhooks::new("plwh_1").unwrap()
        );
        assert!(
            !printed.contains("whsec_1") && !printed.contains("plwh_1"),
            "{printed}"
        );
    }
}
