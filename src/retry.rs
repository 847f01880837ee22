//! When and how long to wait before sending a request again.
//!
//! | failure | retried when |
//! |---|---|
//! | no connection, timeout, 5xx | the request is safe to repeat: `GET`/`HEAD`/`PUT`/`DELETE`, or a `POST`/`PATCH` that carries an `Idempotency-Key` |
//! | 429 | as above, after `Retry-After` (seconds or an HTTP date) when it is within [`RetryPolicy::max_retry_after`] |
//!
//! Waits grow exponentially from [`RetryPolicy::initial_backoff`], capped at
//! [`RetryPolicy::max_backoff`], with full jitter (a random wait between zero and that
//! bound) so that many clients do not retry in step. A `POST` without an idempotency key
//! is never sent twice: the API may have acted on it.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How the client retries failed requests. On by default: [`RetryPolicy::default`].
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

    /// The longest `Retry-After` the client waits for; a 429 asking for more is returned
    /// at once (its wait is in [`Error::retry_after`](crate::Error::retry_after)).
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
            Outcome::Status(status, _) if status.is_server_error() => {
                Decision::Wait(self.backoff(attempt))
            }
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, headers) => match retry_after(headers) {
                Some(wait) if wait > self.max_retry_after => Decision::Stop,
                Some(wait) => Decision::Wait(wait),
                None => Decision::Wait(self.backoff(attempt)),
            },
            Outcome::Status(..) => Decision::Stop,
            Outcome::Transport { connect, timeout } if connect || timeout => {
                Decision::Wait(self.backoff(attempt))
            }
            Outcome::Transport { .. } => Decision::Stop,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// A response arrived.
    Status(StatusCode, &'a HeaderMap),
    /// None did.
    Transport {
        /// The connection could not be made.
        connect: bool,
        /// The request timed out.
        timeout: bool,
    },
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait, then send again.
    Wait(Duration),
    /// Return this outcome to the caller.
    Stop,
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

    #[test]
    fn decisions() {
        let policy = RetryPolicy::default();
        let empty = HeaderMap::new();
        let status = |code: u16| Outcome::Status(StatusCode::from_u16(code).unwrap(), &empty);
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
            policy.decide(1, Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &asked)),
            Decision::Wait(Duration::from_secs(3))
        );
        let too_long = headers("3600");
        assert_eq!(
            policy.decide(1, Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &too_long)),
            Decision::Stop
        );
        assert!(matches!(
            policy.decide(
                1,
                Outcome::Transport {
                    connect: true,
                    timeout: false
                }
            ),
            Decision::Wait(_)
        ));
        assert!(matches!(
            policy.decide(
                1,
                Outcome::Transport {
                    connect: false,
                    timeout: true
                }
            ),
            Decision::Wait(_)
        ));
        assert_eq!(
            policy.decide(
                1,
                Outcome::Transport {
                    connect: false,
                    timeout: false
                }
            ),
            Decision::Stop
        );
        assert_eq!(RetryPolicy::none().decide(1, status(503)), Decision::Stop);
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
