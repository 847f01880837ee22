//! What a successful response says beyond its body.

use crate::ResponseValue;

/// Response header set when an `Idempotency-Key` replayed an earlier success.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Helpers on [`ResponseValue`], in the prelude.
pub trait ResponseExt {
    /// True when the API answered with the stored result of an earlier call with the same
    /// `Idempotency-Key` (header `Idempotent-Replayed: true`) instead of doing it again.
    fn idempotent_replayed(&self) -> bool;

    /// The `Idempotency-Key` the call sent: yours, or the one the SDK made for an operation
    /// that accepts one (the SDK records it as a response header when the API does not echo
    /// it). Repeat the call with this key to have the API apply it at most once.
    fn idempotency_key(&self) -> Option<&str>;
}

impl<T> ResponseExt for ResponseValue<T> {
    fn idempotent_replayed(&self) -> bool {
        self.headers()
            .get(IDEMPOTENT_REPLAYED)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.headers()
            .get(crate::idempotency::IDEMPOTENCY_KEY)
            .and_then(|value| value.to_str().ok())
    }
}
