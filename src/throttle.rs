//! Client-wide throttling: when any call of a client (or of one of its clones) is answered
//! 429, every call of that client waits out the same pause before its next attempt, instead of
//! each finding the limit on its own.
//!
//! The pause is one atomic deadline shared by the clones. A call reads it once before each
//! attempt; while no pause is set (the usual case) that read is all it costs. A 429 moves the
//! deadline to the end of the wait the API asked for (or the backoff the retry policy chose)
//! and counts the throttled answer, which [`send_batch`](crate::resources::MessagesResource::send_batch)
//! reads to adapt its concurrency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest spread of the wake-ups at the end of a pause: the calls that waited do not all
/// go at the same instant.
const MAX_SPREAD: Duration = Duration::from_millis(100);

/// A client's shared pause and the count of its throttled answers.
#[derive(Debug)]
pub(crate) struct Throttle {
    /// The instant the deadline is counted from.
    epoch: Instant,
    /// The end of the pause, in nanoseconds after `epoch`; 0 when no pause is set.
    paused_until: AtomicU64,
    /// 429 answers to any call of the client so far.
    throttled: AtomicU64,
}

impl Throttle {
    pub(crate) fn new() -> Self {
        Self {
            epoch: Instant::now(),
            paused_until: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
        }
    }

    /// Whether a pause is set (it may have ended already): one atomic read.
    #[inline]
    pub(crate) fn is_paused(&self) -> bool {
        self.paused_until.load(Ordering::Acquire) != 0
    }

    /// Waits until the pause is over (at once when there is none), then clears an expired
    /// pause. Each waiting call wakes at a small random offset after the end (up to a tenth of
    /// its wait, at most [`MAX_SPREAD`]).
    pub(crate) async fn wait(&self) {
        loop {
            let until = self.paused_until.load(Ordering::Acquire);
            if until == 0 {
                return;
            }
            let now = self.now();
            if now >= until {
                // Only the pause read here is cleared: a later, longer one stays.
                let _ = self.paused_until.compare_exchange(
                    until,
                    0,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
                return;
            }
            let remaining = Duration::from_nanos(until - now);
            let spread = (remaining / 10).min(MAX_SPREAD);
            let spread_nanos = u64::try_from(spread.as_nanos()).unwrap_or(0);
            let wait = remaining + Duration::from_nanos(fastrand::u64(0..=spread_nanos));
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "waiting out the client's pause after a 429"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Counts a 429 answer and, with a wait, pauses every call of the client until it is over
    /// (a pause already set that ends later is kept).
    pub(crate) fn throttled(&self, pause: Option<Duration>) {
        self.throttled.fetch_add(1, Ordering::AcqRel);
        let Some(pause) = pause.filter(|pause| !pause.is_zero()) else {
            return;
        };
        let pause = u64::try_from(pause.as_nanos()).unwrap_or(u64::MAX);
        let until = self.now().saturating_add(pause).max(1);
        self.paused_until.fetch_max(until, Ordering::AcqRel);
    }

    /// The 429 answers to calls of the client so far.
    pub(crate) fn throttled_answers(&self) -> u64 {
        self.throttled.load(Ordering::Acquire)
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pause_holds_every_waiter_until_it_ends_and_then_clears() {
        let throttle = Throttle::new();
        assert!(!throttle.is_paused());
        throttle.wait().await;
        throttle.throttled(Some(Duration::from_millis(60)));
        throttle.throttled(Some(Duration::from_millis(10)));
        assert_eq!(throttle.throttled_answers(), 2);
        assert!(throttle.is_paused());
        let started = Instant::now();
        throttle.wait().await;
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(55),
            "the longer pause is kept: {waited:?}"
        );
        throttle.wait().await;
        assert!(!throttle.is_paused(), "an expired pause is cleared");
    }

    #[test]
    fn a_429_without_a_wait_is_counted_but_pauses_nothing() {
        let throttle = Throttle::new();
        throttle.throttled(None);
        throttle.throttled(Some(Duration::ZERO));
        assert_eq!(throttle.throttled_answers(), 2);
        assert!(!throttle.is_paused());
    }
}
