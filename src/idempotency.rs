//! Idempotency keys: every call of an operation that accepts an `Idempotency-Key` carries
//! one, so it can be retried without being applied twice.
//!
//! A call whose caller set no key gets a fresh one (a random UUID v4 from the operating
//! system's CSPRNG), made once, before the first attempt, and sent again on every retry
//! with the same body. A key the caller sets wins. Either way the key is checked before
//! anything is sent, and it is readable from the result
//! ([`ResponseExt::idempotency_key`](crate::ResponseExt::idempotency_key)) and from the error
//! ([`Error::idempotency_key`](crate::Error::idempotency_key)), so the call can be repeated
//! later under the same key. [`ClientBuilder::automatic_idempotency_keys`] turns the fresh
//! keys off.
//!
//! [`ClientBuilder::automatic_idempotency_keys`]: crate::ClientBuilder::automatic_idempotency_keys

use reqwest::header::{HeaderName, HeaderValue};

use crate::Client;

/// The request header that carries the key (and the response header the SDK records it in).
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The longest key the API accepts, in characters.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// A fresh key: a random UUID v4 from the operating system's CSPRNG.
pub(crate) fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Checks a key before it is sent: 1 to [`MAX_IDEMPOTENCY_KEY_LEN`] visible ASCII characters
/// (no spaces, no control characters).
pub(crate) fn check(key: &HeaderValue) -> Result<(), String> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(format!(
            "the Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} characters, not {}",
            bytes.len()
        ));
    }
    if let Some(bad) = bytes.iter().find(|b| !b.is_ascii_graphic()) {
        return Err(format!(
            "the Idempotency-Key may hold only visible ASCII characters, not {:?}",
            char::from(*bad)
        ));
    }
    Ok(())
}

/// A call's idempotency-key slot, as the generated builder holds it.
pub(crate) trait KeySlot {
    /// Fills an empty optional slot with a fresh key when `automatic`; returns the key the
    /// call will send, if any.
    fn prepare(&mut self, automatic: bool) -> Option<String>;
}

/// An optional `Idempotency-Key` parameter (`messages.send`).
impl KeySlot for Result<Option<String>, String> {
    fn prepare(&mut self, automatic: bool) -> Option<String> {
        if automatic && matches!(self, Ok(None)) {
            *self = Ok(Some(new_key()));
        }
        self.as_ref().ok().cloned().flatten()
    }
}

/// A required one: the caller always gives it.
impl KeySlot for Result<String, String> {
    fn prepare(&mut self, _: bool) -> Option<String> {
        self.as_ref().ok().cloned()
    }
}

/// Called by the generated `send()` of every operation that takes an `Idempotency-Key`,
/// before the request is built.
pub(crate) fn prepare(client: &Client, slot: &mut impl KeySlot) -> Option<String> {
    slot.prepare(client.inner.automatic_idempotency_keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_keys_are_random_uuids() {
        let (a, b) = (new_key(), new_key());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert!(check(&HeaderValue::from_str(&a).expect("a header value")).is_ok());
    }

    #[test]
    fn keys_are_checked() {
        let key = |text: &str| check(&HeaderValue::from_str(text).expect("a header value"));
        assert!(key("order-42").is_ok());
        assert!(key(&"k".repeat(255)).is_ok());
        assert_eq!(
            key(&"k".repeat(256)).unwrap_err(),
            "the Idempotency-Key must be 1 to 255 characters, not 256"
        );
        assert!(key("").is_err());
        assert_eq!(
            key("order 42").unwrap_err(),
            "the Idempotency-Key may hold only visible ASCII characters, not ' '"
        );
        assert!(check(&HeaderValue::from_bytes("pedido-é".as_bytes()).unwrap()).is_err());
    }

    #[test]
    fn only_an_empty_optional_slot_is_filled() {
        let mut empty: Result<Option<String>, String> = Ok(None);
        let made = empty.prepare(true).expect("a fresh key");
        assert_eq!(empty, Ok(Some(made)));
        let mut set: Result<Option<String>, String> = Ok(Some("mine".into()));
        assert_eq!(set.prepare(true).as_deref(), Some("mine"));
        let mut off: Result<Option<String>, String> = Ok(None);
        assert_eq!(off.prepare(false), None);
        assert_eq!(off, Ok(None), "with automatic keys off nothing is added");
        let mut required: Result<String, String> = Ok("given".into());
        assert_eq!(required.prepare(true).as_deref(), Some("given"));
    }
}
