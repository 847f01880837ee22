//! A successful response: the typed body, the status and headers, and how the body differed
//! from the type when it did ([`Deviation`]).

use std::fmt;
use std::ops::{Deref, DerefMut};

use progenitor_client::ByteStream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::Deviation;

/// Response header set when an `Idempotency-Key` replayed an earlier success.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// What a call returns when the API accepted it: the typed body (it dereferences to it), the
/// status and the headers.
///
/// When the body does not fit its type (a member missing, a value of another type), the call
/// still succeeds: the body is read as far as it fits, and [`ResponseValue::deviations`] says
/// where and how it differed (see [`Deviation`]); the body as received is kept in
/// [`ResponseValue::received`]. [`ClientBuilder::strict_responses`] makes such a body an
/// [`Error::Decode`] instead.
///
/// [`ClientBuilder::strict_responses`]: crate::ClientBuilder::strict_responses
/// [`Error::Decode`]: crate::Error::Decode
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
    /// Only when the body deviated: what was different, and the body as received.
    deviated: Option<Box<Deviated>>,
}

/// How a body differed from its type.
struct Deviated {
    deviations: Vec<Deviation>,
    received: Value,
}

impl<T> ResponseValue<T> {
    /// A response with this body, status and headers, and no deviation.
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            inner,
            status,
            headers,
            deviated: None,
        }
    }

    /// A response whose body `received` was read as `inner` with `deviations`.
    pub(crate) fn deviating(
        inner: T,
        status: StatusCode,
        headers: HeaderMap,
        deviations: Vec<Deviation>,
        received: Value,
    ) -> Self {
        Self {
            inner,
            status,
            headers,
            deviated: Some(Box::new(Deviated {
                deviations,
                received,
            })),
        }
    }

    /// The typed body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The success status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Length` the response declared, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// Where and how the body differed from its type; empty when it fit exactly (the usual
    /// case). Each deviation is also logged once per operation and place (a `tracing`
    /// warning).
    pub fn deviations(&self) -> &[Deviation] {
        self.deviated
            .as_ref()
            .map_or(&[], |deviated| deviated.deviations.as_slice())
    }

    /// True when the body fit its type exactly: no [`deviations`](Self::deviations).
    pub fn is_exact(&self) -> bool {
        self.deviated.is_none()
    }

    /// The body as the API sent it, kept only when it deviated from its type (the typed body
    /// then holds empty values where it did not fit).
    pub fn received(&self) -> Option<&Value> {
        self.deviated.as_ref().map(|deviated| &deviated.received)
    }

    /// The same response with its body mapped by `f`, keeping status, headers and
    /// deviations.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
            deviated: self.deviated,
        }
    }
}

impl ResponseValue<ByteStream> {
    /// A streamed body (the activation audio); called by the generated code.
    #[doc(hidden)]
    pub fn stream(mut response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        // The client reads every body within its attempt: the stream is that body.
        let stream = match response
            .extensions_mut()
            .remove::<crate::client::Buffered>()
        {
            Some(buffered) => {
                ByteStream::new(Box::pin(futures_util::stream::iter([Ok(buffered.body)])))
            }
            None => ByteStream::new(Box::pin(response.bytes_stream())),
        };
        Self::new(stream, status, headers)
    }

    /// The body's byte stream.
    pub fn into_inner_stream(
        self,
    ) -> std::pin::Pin<
        Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send + Sync>,
    > {
        self.inner.into_inner()
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for ResponseValue<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ResponseValue");
        debug
            .field("inner", &self.inner)
            .field("status", &self.status)
            .field("headers", &self.headers);
        if let Some(deviated) = &self.deviated {
            debug.field("deviations", &deviated.deviations);
        }
        debug.finish()
    }
}

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
