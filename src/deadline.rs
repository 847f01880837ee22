//! The deadline of each attempt, kept by one background thread of the process instead of the
//! runtime's timer.
//!
//! Why not `tokio::time::sleep`: in the overhead bench a tokio timer per attempt cost 2 to 5
//! points of the SDK's ratio to bare reqwest, far more than its instructions (CONTRIBUTING,
//! "Benchmarks"). Arming and dropping one takes the runtime's timer lock, which every worker
//! also takes each time it parks and wakes. Here arming a deadline is a slot in a list under
//! a lock only the callers and this thread take, and the thread is told only when the new
//! deadline is earlier than the one it waits for, or when it waits with none: with one
//! timeout for all calls that is rare. It wakes at the earliest deadline it knows of, fires
//! the attempts still waiting whose deadline has passed, and waits for the next one: about
//! once or twice per timeout period while calls come and go.
//!
//! The deadlines run on the real clock: `tokio::time::pause` does not hold them (tokio's own
//! timer would fire as soon as a paused runtime is idle, before a loopback server has
//! answered). If the thread cannot be started, a deadline falls back to tokio's timer.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use slab::Slab;

/// A future that is ready when the time given to [`Deadline::after`] has passed.
pub(crate) enum Deadline {
    /// Kept by the process's deadline thread.
    Watched(Watched),
    /// The thread could not be started: tokio's timer.
    Tokio(Pin<Box<tokio::time::Sleep>>),
    /// A timeout too large for the clock: it never comes.
    Never,
}

impl Deadline {
    /// A deadline `timeout` from now.
    pub(crate) fn after(timeout: Duration) -> Self {
        Self::kept_by(watchdog(), timeout)
    }

    /// A deadline `timeout` from now, kept by `watchdog` (tokio's timer when there is none).
    fn kept_by(watchdog: Option<&'static Watchdog>, timeout: Duration) -> Self {
        let Some(when) = Instant::now().checked_add(timeout) else {
            return Self::Never;
        };
        match watchdog {
            Some(watchdog) => Self::Watched(Watched {
                when,
                watchdog,
                watch: Watch::Unarmed,
            }),
            None => Self::Tokio(Box::pin(tokio::time::sleep_until(when.into()))),
        }
    }
}

impl Future for Deadline {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.get_mut() {
            Self::Watched(watched) => watched.poll(cx),
            Self::Tokio(sleep) => sleep.as_mut().poll(cx),
            Self::Never => Poll::Pending,
        }
    }
}

/// A deadline the thread watches.
pub(crate) struct Watched {
    when: Instant,
    /// The watchdog that keeps it.
    watchdog: &'static Watchdog,
    watch: Watch,
}

/// Where a watched deadline stands.
enum Watch {
    /// Not polled yet.
    Unarmed,
    /// In the watchdog's list.
    Armed(Registration),
    /// Come (and out of the list).
    Passed,
}

/// Where an armed deadline is, and what it last saw.
struct Registration {
    /// Its slot in the watchdog's list.
    slot: usize,
    /// The waker stored there.
    waker: Waker,
    /// The watchdog's count of firing rounds when the clock was last read (or, before that,
    /// when the deadline was armed): while the count is the same, nothing has fired, so a
    /// poll need not read the clock.
    rounds: u64,
}

impl Watched {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let rounds = self.watchdog.rounds.load(Ordering::Acquire);
        match &mut self.watch {
            Watch::Passed => return Poll::Ready(()),
            // The first poll arms the deadline without reading the clock: one that is already
            // due is fired by the thread as soon as it is armed.
            Watch::Unarmed => {
                let waker = cx.waker().clone();
                self.watch = Watch::Armed(Registration {
                    slot: self.watchdog.arm(self.when, waker.clone()),
                    waker,
                    rounds,
                });
            }
            Watch::Armed(armed) => {
                if armed.rounds != rounds {
                    if Instant::now() >= self.when {
                        self.watchdog.disarm(armed.slot);
                        self.watch = Watch::Passed;
                        return Poll::Ready(());
                    }
                    armed.rounds = rounds;
                }
                if !armed.waker.will_wake(cx.waker()) {
                    armed.waker.clone_from(cx.waker());
                    self.watchdog.rearm(armed.slot, armed.waker.clone());
                }
            }
        }
        Poll::Pending
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Watch::Armed(armed) = &self.watch {
            self.watchdog.disarm(armed.slot);
        }
    }
}

/// The process's deadline thread, started by the first deadline; `None` if it cannot start.
fn watchdog() -> Option<&'static Watchdog> {
    static WATCHDOG: OnceLock<Option<&'static Watchdog>> = OnceLock::new();
    *WATCHDOG.get_or_init(Watchdog::start)
}

/// The armed deadlines and the thread that fires them.
#[derive(Default)]
struct Watchdog {
    state: Mutex<State>,
    /// Tells the thread that a deadline earlier than the one it waits for was armed.
    earlier: Condvar,
    /// How many times the thread has fired deadlines; counted before it wakes them.
    rounds: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The armed deadlines. Only the attempt that armed a deadline removes it, so its slot
    /// stays its own until then; the thread only takes the waker when it fires it.
    armed: Slab<Armed>,
    /// What the thread is doing: `None` while it fires deadlines or looks for the next one
    /// (it reads the list again before it waits), `Some(None)` while it waits with nothing
    /// armed, `Some(Some(t))` while it waits until `t`.
    waiting: Option<Option<Instant>>,
}

/// One armed deadline.
struct Armed {
    when: Instant,
    /// The attempt to wake; `None` once the thread has woken it.
    waker: Option<Waker>,
}

impl Watchdog {
    /// A watchdog and its thread, which lives as long as the process; `None` if the thread
    /// cannot be started.
    fn start() -> Option<&'static Self> {
        let watchdog: &'static Self = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("pilot-status-deadlines".to_owned())
            .spawn(|| watchdog.run())
            .ok()
            .map(|_| watchdog)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The list stays consistent whatever panicked while it was held (no waker runs under
        // the lock).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Arms a deadline; its slot.
    fn arm(&self, when: Instant, waker: Waker) -> usize {
        let mut state = self.lock();
        let slot = state.armed.insert(Armed {
            when,
            waker: Some(waker),
        });
        if let Some(waiting) = state.waiting
            && waiting.is_none_or(|until| when < until)
        {
            self.earlier.notify_one();
        }
        slot
    }

    /// Replaces the waker of an armed deadline (the attempt is polled by another task now).
    /// If the thread has fired it meanwhile, the new waker is woken at once: the attempt
    /// looks at the clock again.
    fn rearm(&self, slot: usize, waker: Waker) {
        let mut state = self.lock();
        match state.armed.get_mut(slot) {
            Some(Armed {
                waker: waiting @ Some(_),
                ..
            }) => *waiting = Some(waker),
            _ => {
                drop(state);
                waker.wake();
            }
        }
    }

    fn disarm(&self, slot: usize) {
        self.lock().armed.try_remove(slot);
    }

    /// The thread: wakes the attempts whose deadline has passed, then waits for the earliest
    /// deadline still armed, or for an earlier one to be armed.
    fn run(&self) {
        let mut due = Vec::new();
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let mut next = None::<Instant>;
            for (_, armed) in &mut state.armed {
                if armed.waker.is_none() {
                    continue;
                }
                if armed.when <= now {
                    due.extend(armed.waker.take());
                } else {
                    next = Some(next.map_or(armed.when, |next| next.min(armed.when)));
                }
            }
            if !due.is_empty() {
                self.rounds.fetch_add(1, Ordering::Release);
                drop(state);
                due.drain(..).for_each(Waker::wake);
                state = self.lock();
                continue;
            }
            state.waiting = Some(next);
            state = match next {
                Some(next) => {
                    self.earlier
                        .wait_timeout(state, next - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .earlier
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
            state.waiting = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::task::Wake;

    use super::*;

    /// A watchdog of the test's own, so that no other test's deadlines are in its list.
    fn own_watchdog() -> &'static Watchdog {
        Watchdog::start().expect("the deadline thread starts")
    }

    fn armed(watchdog: &Watchdog) -> usize {
        watchdog.lock().armed.len()
    }

    #[tokio::test]
    async fn a_deadline_comes_when_its_time_has_passed_and_not_before() {
        let watchdog = own_watchdog();
        let started = Instant::now();
        Deadline::kept_by(Some(watchdog), Duration::from_millis(60)).await;
        assert!(started.elapsed() >= Duration::from_millis(60));
        assert_eq!(armed(watchdog), 0, "a deadline that came leaves the list");
    }

    #[tokio::test]
    async fn a_deadline_already_due_when_first_polled_comes_at_once() {
        let watchdog = own_watchdog();
        tokio::time::timeout(
            Duration::from_secs(5),
            Deadline::kept_by(Some(watchdog), Duration::ZERO),
        )
        .await
        .expect("the thread fired the deadline it was given already due");
        assert_eq!(armed(watchdog), 0);
    }

    #[tokio::test]
    async fn an_earlier_deadline_wakes_the_thread_that_waits_for_a_later_one() {
        let watchdog = own_watchdog();
        let mut later = std::pin::pin!(Deadline::kept_by(Some(watchdog), Duration::from_secs(600)));
        // The later deadline is armed, and the thread has gone to wait for it.
        assert!(futures_util::poll!(later.as_mut()).is_pending());
        while watchdog.lock().waiting.is_none() {
            tokio::task::yield_now().await;
        }
        let started = Instant::now();
        tokio::time::timeout(
            Duration::from_secs(5),
            Deadline::kept_by(Some(watchdog), Duration::from_millis(30)),
        )
        .await
        .expect("the earlier deadline came although the thread waited for a later one");
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert_eq!(armed(watchdog), 1, "only the later deadline is left");
    }

    #[tokio::test]
    async fn a_dropped_deadline_leaves_the_list_and_never_fires() {
        let watchdog = own_watchdog();
        {
            let deadline =
                std::pin::pin!(Deadline::kept_by(Some(watchdog), Duration::from_millis(20)));
            assert!(futures_util::poll!(deadline).is_pending());
            assert_eq!(armed(watchdog), 1);
        }
        assert_eq!(armed(watchdog), 0);
    }

    /// Counts its wake-ups.
    #[derive(Default)]
    struct Counter(std::sync::atomic::AtomicUsize);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn the_last_waker_is_the_one_woken() {
        let watchdog = own_watchdog();
        let mut deadline = Deadline::kept_by(Some(watchdog), Duration::from_millis(30));
        let (first, second) = (Arc::new(Counter::default()), Arc::new(Counter::default()));
        for counter in [&first, &second] {
            let waker = Waker::from(Arc::clone(counter));
            let poll = Pin::new(&mut deadline).poll(&mut Context::from_waker(&waker));
            assert!(poll.is_pending());
        }
        let woken = |counter: &Counter| counter.0.load(std::sync::atomic::Ordering::SeqCst);
        let started = Instant::now();
        while woken(&second) == 0 && started.elapsed() < Duration::from_secs(5) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!((woken(&first), woken(&second)), (0, 1));
        let waker = Waker::from(second);
        let poll = Pin::new(&mut deadline).poll(&mut Context::from_waker(&waker));
        assert!(poll.is_ready());
    }

    #[tokio::test]
    async fn a_deadline_beyond_the_clock_never_comes() {
        let never = Deadline::after(Duration::MAX);
        assert!(matches!(never, Deadline::Never));
        let outcome = tokio::time::timeout(Duration::from_millis(30), never).await;
        assert!(outcome.is_err());
    }

    #[tokio::test]
    async fn without_the_thread_the_runtime_timer_keeps_the_deadline() {
        let deadline = Deadline::kept_by(None, Duration::from_millis(20));
        assert!(matches!(deadline, Deadline::Tokio(_)));
        let started = Instant::now();
        deadline.await;
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
