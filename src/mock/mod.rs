//! Test doubles for code that uses this crate; compiled with the `mock` feature (off by
//! default), so enable it in your `[dev-dependencies]` only.
//!
//! - Typed HTTP mocks: [`MockServerExt`] gives an [`httpmock::MockServer`] the client's
//!   resources, `server.messages().send(|when, then| ..)` for `client.messages().send(..)`.
//!   `when` ([`operations`]`::<Call>When`) has a matcher per parameter and per body member
//!   of the call, `then` (`<Call>Then`) an answer per documented status with the spec's type,
//!   and [`Reply`]'s answers: an API error with its code, a 429 with `Retry-After`. They are
//!   generated from the same spec as the client, so a test that matches a parameter or a
//!   member the spec no longer has, or answers with a type that changed, stops compiling.
//! - [`webhooks`]: realistic webhook events, signed like Pilot Status signs them, to feed to
//!   your handlers.
//!
//! ```
//! use pilot_status::mock::prelude::*;
//! use pilot_status::types::{MessageStatus, SendDestination, SentMessage};
//!
//! const NO_VARIABLES: [(&str, &str); 0] = [];
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), pilot_status::Error> {
//! let server = MockServer::start_async().await;
//! let sent = SentMessage {
//!     id: "msg_1".into(),
//!     status: MessageStatus::Queued,
//!     ..Default::default()
//! };
//! let send = server.messages().send(|when, then| {
//!     when.destination_number("+5511988887777").template_id("boas_vindas");
//!     then.accepted(&sent);
//! });
//!
//! let client = pilot_status::mock::client(&server)?;
//! let answer = client
//!     .messages()
//!     .send(SendDestination::contact("+5511988887777").template("boas_vindas", NO_VARIABLES))
//!     .send()
//!     .await?;
//! assert_eq!(answer.id, "msg_1");
//! send.assert();
//! # Ok(()) }
//! ```
//!
//! A request that no mock matches gets 421 `MOCK_UNMATCHED` with a body that names it and
//! what the closest mock expected (see [`client`]); `mock.assert()` (or
//! `mock.assert_calls(n)`) fails with what the closest request lacked. A JSON body matched
//! member by member must be exactly what the client sends for those members (call
//! `partial()` on the matchers to let the other members be anything); typed mocks are tried
//! in the order they were made, and a raw `server.mock(..)` made after a typed one comes
//! after the catch-all that answers unmatched requests: build it through a typed mock's
//! `into_inner()` instead.

use std::time::Duration;

use crate::types::ApiError;
use crate::{Client, Error};

pub(crate) mod matcher;
pub mod webhooks;

pub use matcher::{Matcher, UNMATCHED_CODE, UNMATCHED_STATUS};

/// The typed mocks generated from the spec (see `build.rs`).
#[allow(
    missing_docs,
    unused_imports,
    unused_qualifications,
    clippy::all,
    clippy::pedantic
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}

pub use generated::{MockServerExt, operations, resources};
/// The `httpmock` these mocks are built on, so your tests need no dependency of their own
/// (and cannot pick an incompatible version).
pub use httpmock;
pub use httpmock::{Mock, MockServer};

/// What a test needs: `use pilot_status::mock::prelude::*;` brings [`MockServer`] and the
/// traits that give it typed mocks ([`MockServerExt`]) and their answers ([`Reply`]).
pub mod prelude {
    pub use super::{MockServer, MockServerExt as _, Reply as _};
}

/// The API key [`client`] sends (any value works: mocks do not check it unless you ask).
pub const TEST_API_KEY: &str = "ps_test_mock";

/// A client of `server`: its base URL, [`TEST_API_KEY`], and the default settings (retries
/// included, so a mocked 429 with `Retry-After` is waited for and retried).
///
/// From then on, a request no mock of `server` matches is answered with
/// [`UNMATCHED_STATUS`] (421) and a body naming the request and what the closest mock
/// expected (`code` [`UNMATCHED_CODE`]), not with a 404 a not-found test could mistake for
/// the API's.
pub fn client(server: &MockServer) -> Result<Client, Error> {
    matcher::registered(server, None);
    Client::builder()
        .base_url(server.base_url())
        .api_key(TEST_API_KEY)
        .build()
}

/// The answers every operation's `Then` has besides its documented statuses, for the
/// failures a client must handle. Implemented by each `<Call>Then` of [`operations`].
pub trait Reply: Sized {
    /// Changes the wrapped `httpmock::Then` (what the other answers are built on).
    #[doc(hidden)]
    fn map_then(self, answer: impl FnOnce(httpmock::Then) -> httpmock::Then) -> Self;

    /// Answers `status` with the API's error body `{"error": message, "code": code}`: what
    /// [`Error::status`](crate::Error::status), [`Error::code`](crate::Error::code) and
    /// [`Error::message`](crate::Error::message) then read.
    fn error(self, status: u16, code: &str, message: &str) -> Self {
        let body = ApiError {
            code: Some(code.to_owned()),
            error: Some(message.to_owned()),
            ..ApiError::default()
        };
        self.map_then(|then| {
            then.status(status)
                .header("content-type", "application/json")
                .json_body_obj(&body)
        })
    }

    /// Gives this answer to the first `n` requests the mock matches only; later ones go on to
    /// the next mock that matches them (mocks are tried in the order they were made). A
    /// rate-limited mock with `up_to_n_times(1)` made before a success mock of the same call
    /// answers one attempt with the 429 and the retry with the success.
    fn up_to_n_times(self, n: usize) -> Self {
        self.map_then(|then| then.up_to_n_times(n))
    }

    /// Answers 429 `RATE_LIMITED` with `Retry-After: <seconds>` (rounded up to whole
    /// seconds, as the header carries them): the client waits that long and retries a
    /// repeatable request, up to its [`RetryPolicy`](crate::RetryPolicy)'s limits.
    fn rate_limited(self, retry_after: Duration) -> Self {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        self.error(429, "RATE_LIMITED", "Rate limit exceeded")
            .map_then(|then| then.header("retry-after", seconds.to_string()))
    }
}

/// The pattern of a path parameter's value: percent-encoded as the client sends it, then
/// regex-escaped. A value the client refuses to send (empty, `.`, `..`) stays as it is, so
/// it matches no request.
pub(crate) fn path_pattern(value: &str) -> String {
    let encoded = crate::path::encode_path::<()>(value).unwrap_or_else(|_| value.to_owned());
    regex::escape(&encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_are_encoded_then_escaped() {
        assert_eq!(path_pattern("num_1"), "num_1");
        assert_eq!(path_pattern("a.b"), r"a\.b");
        assert_eq!(path_pattern("a b+c"), "a%20b%2Bc");
        assert_eq!(path_pattern(".."), r"\.\.");
    }
}
