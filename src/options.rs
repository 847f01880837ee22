//! Per-call options: [`CallOptions`], on every call (`client.<resource>().<method>(..)`).

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::RetryPolicy;

/// Settings for one call, over the client's: a timeout, a retry policy, extra headers. Every
/// call builder has them (the trait is in the [prelude](crate::prelude)); nothing else
/// changes, and the client is not rebuilt.
///
/// ```no_run
/// use std::time::Duration;
/// use pilot_status::prelude::*;
/// use pilot_status::{CallOptions, RetryPolicy};
///
/// # async fn run(client: Client) -> Result<(), Error> {
/// let numbers = client
///     .numbers()
///     .list()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::none())
///     .header("x-request-id", "req-7f3a")
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
pub trait CallOptions: sealed::Call + Sized {
    /// Time allowed for each attempt of this call, instead of the client's
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    fn timeout(mut self, timeout: Duration) -> Self {
        self.client_mut().inner.timeout = Some(timeout);
        self
    }

    /// How this call is retried, instead of the client's policy (what may be sent twice is
    /// still decided by [`RetryPolicy`]).
    fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.client_mut().inner.retry = policy;
        self
    }

    /// Sends one more header with this call (a request id, a tracing header). The name and
    /// value are checked when the call is sent: a name that cannot be a header, a value with
    /// control characters, and the headers the SDK owns (`x-api-key` and `x-api-key-id`,
    /// which only the client's credential sets, and the hop-by-hop and framing headers
    /// `connection`, `keep-alive`, `proxy-authenticate`, `proxy-authorization`, `te`,
    /// `trailer`, `transfer-encoding`, `upgrade`, `host`, `content-length`) fail the call
    /// with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    /// A header set twice keeps the last value.
    fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let checked = checked_header(name.as_ref(), value.as_ref());
        let state = &mut self.client_mut().inner;
        match checked {
            Ok((name, value)) => {
                state.extra_headers.retain(|(kept, _)| *kept != name);
                state.extra_headers.push((name, value));
            }
            Err(message) => {
                state.call_error.get_or_insert(message);
            }
        }
        self
    }
}

impl<T: sealed::Call> CallOptions for T {}

/// Headers a call may not set: the connection's own headers are reqwest's. The credential's
/// headers (the spec's security schemes) are refused too.
const REFUSED: [&str; 10] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{name:?} is not a valid header name"))?;
    let credential = [
        crate::generated::API_KEY_SCHEME,
        crate::generated::API_KEY_ID_SCHEME,
    ]
    .into_iter()
    .flatten()
    .filter_map(crate::client::CredentialScheme::owned_header)
    .any(|owned| owned == header.as_str());
    if credential || REFUSED.contains(&header.as_str()) {
        let why = if credential {
            "the credential is the client's (ClientBuilder::api_key, api_key_id)"
        } else {
            "it belongs to the connection"
        };
        return Err(format!(
            "the header `{header}` cannot be set on a call: {why}"
        ));
    }
    let value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of the header `{header}` is not a valid header value"))?;
    Ok((header, value))
}

pub(crate) mod sealed {
    /// A call builder: it owns a clone of the client, which per-call options change.
    /// Implemented by the generated code for every call; not implementable elsewhere.
    pub trait Call {
        /// The call's own client.
        fn client_mut(&mut self) -> &mut crate::Client;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdks_headers_are_refused() {
        assert!(checked_header("x-request-id", "req-1").is_ok());
        assert_eq!(
            checked_header("X-API-Key", "ps_other").unwrap_err(),
            "the header `x-api-key` cannot be set on a call: the credential is the client's \
             (ClientBuilder::api_key, api_key_id)"
        );
        assert!(checked_header("x-api-key-id", "id").is_err());
        assert_eq!(
            checked_header("Transfer-Encoding", "chunked").unwrap_err(),
            "the header `transfer-encoding` cannot be set on a call: it belongs to the connection"
        );
        assert_eq!(
            checked_header("bad name", "x").unwrap_err(),
            "\"bad name\" is not a valid header name"
        );
        assert!(checked_header("x-note", "line\nbreak").is_err());
    }
}
