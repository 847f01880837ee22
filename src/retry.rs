//! When and how long to wait before sending a request again: [`RetryPolicy`].

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Deserialize;

/// How the client retries failed requests. On by default: [`RetryPolicy::default`].
///
/// Only a request that is safe to repeat is ever sent twice: `GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`, and a `POST` or `PATCH` that carries an `Idempotency-Key` (the
/// same key and body go again, so the API runs it at most once). Every call of an
/// operation that accepts a key carries one: yours, or one the client makes before the first
/// attempt ([`ClientBuilder::automatic_idempotency_keys`](crate::ClientBuilder::automatic_idempotency_keys)).
/// A `POST`/`PATCH` without a key is sent again only when the server refused it before
/// processing it (HTTP/2 `REFUSED_STREAM`, or a graceful `GOAWAY` that left it out); otherwise
/// it is sent exactly once, whatever happens: the API may have acted on it. These refusals
/// are the only ones reqwest's own retry layer would retry; the client turns that layer off,
/// so this policy decides, and counts, every attempt.
///
/// A repeatable request is retried when the attempt ended in
///
/// | failure | wait |
/// |---|---|
/// | no connection (refused, DNS, TLS), a reset or closed connection, a timeout, a body that broke off or timed out while being read | backoff |
/// | 5xx | what the response asks (`Retry-After` header or `retryAfterSeconds` in a JSON body), else backoff |
/// | 429 | as for 5xx |
///
/// A call makes at most `1 + retries` attempts, each within the client's timeout. Each
/// attempt is the whole exchange: the client reads the body inside the attempt, so a
/// failure while reading it is retried like a failure before the status line. A wait the
/// API asks for that is longer than [`RetryPolicy::max_retry_after`] is not waited for: the
/// call fails at once and [`Error::retry_after`](crate::Error::retry_after) keeps the wait.
///
/// Never retried: any other status (4xx), a redirect to another origin
/// ([`Error::RedirectRefused`](crate::Error::RedirectRefused)), a body over the size limit
/// ([`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge)), a request that cannot be
/// built.
///
/// Backoff waits grow exponentially from [`RetryPolicy::initial_backoff`], capped at
/// [`RetryPolicy::max_backoff`], with full jitter (a random wait between zero and that
/// bound) so that many clients do not retry in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 2 retries (3 attempts), 250 ms doubling up to 8 s with full jitter, and
    /// `Retry-After` honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Retries after the first attempt (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The bound of the first backoff; each further one doubles.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff bound.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait the client accepts from the API (`Retry-After`, or
    /// `retryAfterSeconds` in the body, on a 429 or 5xx); a response asking for more is
    /// returned at once (its wait is in [`Error::retry_after`](crate::Error::retry_after)).
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The upper bound of the wait before retry number `retry` (1-based):
    /// `min(max_backoff, initial_backoff × 2^(retry−1))`.
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The wait before retry number `retry`: uniformly random in `[0, backoff_bound]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let bound = self.backoff_bound(retry);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// Whether a request with this method and headers may be sent more than once.
    pub(crate) fn is_repeatable(method: &Method, headers: &HeaderMap) -> bool {
        match *method {
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => true,
            _ => headers.contains_key("idempotency-key"),
        }
    }

    /// What to do after attempt number `attempt` (1-based) ended with `outcome`.
    pub(crate) fn decide(&self, attempt: u32, outcome: Outcome<'_>) -> Decision {
        if attempt > self.max_retries {
            return Decision::Stop;
        }
        match outcome {
            Outcome::Status {
                status,
                headers,
                body,
            } if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS => {
                match asked_wait(headers, body) {
                    Some(wait) if wait > self.max_retry_after => Decision::Stop,
                    Some(wait) => Decision::Wait(wait),
                    None => Decision::Wait(self.backoff(attempt)),
                }
            }
            Outcome::Status { .. } => Decision::Stop,
            Outcome::Transport {
                retryable: true, ..
            }
            | Outcome::Transport {
                unprocessed: true, ..
            } => Decision::Wait(self.backoff(attempt)),
            Outcome::Transport { .. } => Decision::Stop,
        }
    }
}

impl RetryPolicy {
    /// The pause a 429 sets for every call of the client
    /// ([`Throttle`](crate::throttle::Throttle)): the wait this call takes before its retry,
    /// or, when it does not retry, the wait the API asked for if this policy would accept it.
    pub(crate) fn pause_after_429(
        &self,
        decision: Decision,
        outcome: Outcome<'_>,
    ) -> Option<Duration> {
        match (decision, outcome) {
            (Decision::Wait(wait), _) => Some(wait),
            (Decision::Stop, Outcome::Status { headers, body, .. }) => {
                asked_wait(headers, body).filter(|wait| *wait <= self.max_retry_after)
            }
            (Decision::Stop, Outcome::Transport { .. }) => None,
        }
    }
}

/// The wait a response asks for: its `Retry-After` header, else `retryAfterSeconds` in its
/// JSON body.
fn asked_wait(headers: &HeaderMap, body: &[u8]) -> Option<Duration> {
    retry_after(headers).or_else(|| retry_after_in_body(body))
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// A whole response arrived.
    Status {
        /// Its status.
        status: StatusCode,
        /// Its headers.
        headers: &'a HeaderMap,
        /// Its body, read whole.
        body: &'a [u8],
    },
    /// No whole response arrived, or the client refused it.
    Transport {
        /// The request may not have been processed or its response was lost (connect
        /// error, reset, closed connection, timeout, broken body): worth another attempt.
        /// False for the client's own refusals and requests that cannot be sent.
        retryable: bool,
        /// The server refused the request before processing it (HTTP/2 `REFUSED_STREAM`, or
        /// a graceful `GOAWAY` that left it out): safe to send again whatever the request.
        unprocessed: bool,
    },
}

impl Outcome<'_> {
    /// True when the server refused the request before processing it.
    pub(crate) fn is_unprocessed(&self) -> bool {
        matches!(
            self,
            Self::Transport {
                unprocessed: true,
                ..
            }
        )
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait, then send again.
    Wait(Duration),
    /// Return this outcome to the caller.
    Stop,
}

/// Whether a transport failure is worth another attempt of a repeatable request: every
/// failure of the exchange itself (connect, reset, closed connection, timeout, a body that
/// broke off), but not a request that cannot be built, a redirect the client refused or
/// could not follow, or a refusal of the client's own.
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    if error.is_builder() || error.is_redirect() || crate::error::Refusal::find(error).is_some() {
        return false;
    }
    error.is_connect()
        || error.is_timeout()
        || error.is_request()
        || error.is_body()
        || error.is_decode()
}

/// Whether the server refused the request before processing it, so that sending it again is
/// safe whatever the request: an HTTP/2 stream the server reset with `REFUSED_STREAM`, or one
/// a graceful `GOAWAY` (`NO_ERROR`) left unprocessed (RFC 9113, section 8.7). The same
/// refusals reqwest's own retry layer retries, which the client turns off: the client's
/// policy decides every retry.
pub(crate) fn is_unprocessed(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if let Some(h2) = error.downcast_ref::<h2::Error>() {
            let refused =
                h2.is_reset() && h2.is_remote() && h2.reason() == Some(h2::Reason::REFUSED_STREAM);
            let gone_away =
                h2.is_go_away() && h2.is_remote() && h2.reason() == Some(h2::Reason::NO_ERROR);
            return refused || gone_away;
        }
        source = error.source();
    }
    false
}

/// `retryAfterSeconds` of a JSON object body, as a wait (a number of seconds, `>= 0`).
pub(crate) fn retry_after_in_body(body: &[u8]) -> Option<Duration> {
    #[derive(Deserialize)]
    struct Hint {
        #[serde(rename = "retryAfterSeconds")]
        retry_after_seconds: Option<f64>,
    }
    // Cheap refusal of bodies that cannot hold the member, before any parsing.
    if !body.trim_ascii_start().starts_with(b"{") {
        return None;
    }
    let seconds = serde_json::from_slice::<Hint>(body)
        .ok()?
        .retry_after_seconds?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// `Retry-After` as a wait: delay-seconds or an HTTP date (a date in the past is zero).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn backoff_bounds_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let bounds: Vec<u128> = (1..=8)
            .map(|r| policy.backoff_bound(r).as_millis())
            .collect();
        assert_eq!(bounds, [250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
    }

    #[test]
    fn full_jitter_stays_within_the_bound_and_spreads() {
        let policy = RetryPolicy::default();
        for retry in 1..=5 {
            let bound = policy.backoff_bound(retry);
            let samples: Vec<Duration> = (0..500).map(|_| policy.backoff(retry)).collect();
            assert!(samples.iter().all(|wait| *wait <= bound), "retry {retry}");
            let low = samples.iter().filter(|w| **w < bound / 2).count();
            assert!(
                (100..400).contains(&low),
                "retry {retry}: {low} of 500 below half: not full jitter"
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        let soon = SystemTime::now() + Duration::from_secs(30);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(soon))).unwrap();
        assert!(
            wait <= Duration::from_secs(30) && wait >= Duration::from_secs(28),
            "{wait:?}"
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    fn with<'a>(code: u16, headers: &'a HeaderMap, body: &'a [u8]) -> Outcome<'a> {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            headers,
            body,
        }
    }

    #[test]
    fn decisions() {
        let policy = RetryPolicy::default();
        let empty = HeaderMap::new();
        let status = |code: u16| with(code, &empty, b"");
        assert!(matches!(policy.decide(1, status(503)), Decision::Wait(_)));
        assert!(matches!(policy.decide(2, status(500)), Decision::Wait(_)));
        assert_eq!(
            policy.decide(3, status(503)),
            Decision::Stop,
            "3 attempts at most"
        );
        assert_eq!(policy.decide(1, status(400)), Decision::Stop);
        assert_eq!(policy.decide(1, status(404)), Decision::Stop);
        let asked = headers("3");
        assert_eq!(
            policy.decide(1, with(429, &asked, b"")),
            Decision::Wait(Duration::from_secs(3))
        );
        assert_eq!(
            policy.decide(1, with(503, &asked, b"")),
            Decision::Wait(Duration::from_secs(3)),
            "a 503 asking for a wait gets it"
        );
        let too_long = headers("3600");
        assert_eq!(policy.decide(1, with(429, &too_long, b"")), Decision::Stop);
        assert_eq!(
            policy.decide(1, with(429, &empty, br#"{"retryAfterSeconds": 2}"#)),
            Decision::Wait(Duration::from_secs(2)),
            "the body's wait counts too"
        );
        assert_eq!(
            policy.decide(1, with(429, &empty, br#"{"retryAfterSeconds": 3600}"#)),
            Decision::Stop
        );
        assert_eq!(
            policy.decide(1, with(429, &asked, br#"{"retryAfterSeconds": 3600}"#)),
            Decision::Wait(Duration::from_secs(3)),
            "the header wins over the body"
        );
        assert!(matches!(
            policy.decide(
                1,
                Outcome::Transport {
                    retryable: true,
                    unprocessed: false
                }
            ),
            Decision::Wait(_)
        ));
        assert_eq!(
            policy.decide(
                1,
                Outcome::Transport {
                    retryable: false,
                    unprocessed: false
                }
            ),
            Decision::Stop
        );
        assert_eq!(RetryPolicy::none().decide(1, status(503)), Decision::Stop);
    }

    #[test]
    fn a_429_pauses_the_client_for_the_wait_it_takes_or_was_asked() {
        let policy = RetryPolicy::default();
        let asked = headers("3");
        let throttled = with(429, &asked, b"");
        assert_eq!(
            policy.pause_after_429(Decision::Wait(Duration::from_secs(3)), throttled),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.pause_after_429(Decision::Stop, throttled),
            Some(Duration::from_secs(3)),
            "a call that does not retry still pauses the others"
        );
        let too_long = headers("3600");
        assert_eq!(
            policy.pause_after_429(Decision::Stop, with(429, &too_long, b"")),
            None,
            "a wait the policy refuses pauses nothing"
        );
        let empty = HeaderMap::new();
        assert_eq!(
            policy.pause_after_429(Decision::Stop, with(429, &empty, b"")),
            None
        );
    }

    #[test]
    fn retry_after_in_a_json_body() {
        let wait = |body: &[u8]| retry_after_in_body(body);
        assert_eq!(
            wait(br#"{"retryAfterSeconds": 90}"#),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            wait(br#" {"code": "X", "retryAfterSeconds": 1.5}"#),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(wait(br#"{"retryAfterSeconds": -1}"#), None);
        assert_eq!(wait(br#"{"retryAfterSeconds": 1e300}"#), None, "no panic");
        assert_eq!(wait(br#"{"retryAfterSeconds": "soon"}"#), None);
        assert_eq!(wait(br#"{"code": "X"}"#), None);
        assert_eq!(wait(b"[1]"), None);
        assert_eq!(wait(b"<html>"), None);
        assert_eq!(wait(b""), None);
    }

    #[test]
    fn only_safe_requests_repeat() {
        let empty = HeaderMap::new();
        let mut keyed = HeaderMap::new();
        keyed.insert("idempotency-key", HeaderValue::from_static("k"));
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(RetryPolicy::is_repeatable(&method, &empty), "{method}");
        }
        assert!(!RetryPolicy::is_repeatable(&Method::POST, &empty));
        assert!(!RetryPolicy::is_repeatable(&Method::PATCH, &empty));
        assert!(RetryPolicy::is_repeatable(&Method::POST, &keyed));
        assert!(RetryPolicy::is_repeatable(&Method::PATCH, &keyed));
    }
}
