//! Batch sends: one message to each of many recipients, every row sent exactly once across
//! crashes, reruns, faults and rate limits ([`MessagesResource::send_batch`]).
//!
//! ```no_run
//! use pilot_status::batch::BatchRow;
//! use pilot_status::prelude::*;
//! use pilot_status::types::SendDestination;
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let customers = [("c-1", "+5511988887777", "Ana"), ("c-2", "+5511977776666", "Rui")];
//! let rows = customers.map(|(id, phone, name)| {
//!     let body = SendDestination::contact(phone).template("promo_dez", [("nome", name)]);
//!     BatchRow::new(id, body)
//! });
//! let mut outcomes = client
//!     .messages()
//!     .send_batch("promo-2026-12", rows)
//!     .concurrency(8)
//!     .journal("promo-2026-12.jsonl")
//!     .outcomes()?;
//! while let Some(outcome) = outcomes.try_next().await? {
//!     println!("{}: {:?}", outcome.row, outcome.status);
//! }
//! println!("{:?}", outcomes.summary());
//! # Ok(()) }
//! ```
//!
//! How a row is sent exactly once:
//!
//! - Its `Idempotency-Key` is derived from the batch id and the row key
//!   ([`BatchRow::idempotency_key`]), so every attempt, every rerun and every other process running
//!   the same batch sends it under the same key, and the API applies the key once (it answers
//!   a repeat with the stored result, `idempotent-replayed: true`, or 409
//!   `IDEMPOTENCY_KEY_IN_USE` while the first call runs, which the batch waits out).
//! - A row whose answer was lost (a reset, a timeout, a 503, a 429) is sent again under that
//!   key, by the client's retries, then by the batch's own rounds ([`SendBatch::row_attempts`]).
//! - The journal ([`SendBatch::journal`]) records each outcome as it arrives, so a batch
//!   started again skips what is done; rows that were in flight when a process died are not in
//!   it and go again, under their keys.
//!
//! The API keeps a key for 24 hours (per number): within that window the keys alone make a
//! rerun harmless, even without a journal; beyond it, only the journal knows what was sent.

mod journal;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{BoxStream, FuturesUnordered};
use futures_util::{FutureExt as _, Stream, StreamExt as _};
use sha2::{Digest as _, Sha256};

pub use journal::{JournalEntry, JournalOutcome, journal_batch_id};

use crate::resources::MessagesResource;
use crate::types::{SendMessageInput, SentMessage};
use crate::{Error, ErrorKind, ResponseExt as _, ResponseValue, RetryPolicy};
use journal::Journal;

/// The concurrency of a batch unless [`SendBatch::concurrency`] says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The rounds a row gets for failures that may pass (network, 5xx, 429) unless
/// [`SendBatch::row_attempts`] says otherwise; each round is a whole call, with the client's
/// own retries.
pub const DEFAULT_ROW_ATTEMPTS: u32 = 6;

/// One row of a batch: a stable key of the caller's (a customer id, an order number, the
/// recipient) and the message to send.
///
/// The key names the row across runs: the row's idempotency key is derived from it and the
/// batch id, and the journal records the row under it. Two rows with the same key are one
/// row: the second is answered with the first's result (or refused with 409
/// `IDEMPOTENCY_KEY_REUSED` when its body differs).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    /// The caller's key of the row.
    pub key: String,
    /// What to send, and to whom.
    pub body: SendMessageInput,
}

impl BatchRow {
    /// A row with this key and body.
    pub fn new(key: impl Into<String>, body: SendMessageInput) -> Self {
        Self {
            key: key.into(),
            body,
        }
    }

    /// The `Idempotency-Key` this row is sent with in the batch `batch_id`: `batch-` and the
    /// SHA-256 of the batch id and the row key, in hex; the same pair always gives the same
    /// key (see [`SendBatch`]).
    pub fn idempotency_key(&self, batch_id: &str) -> String {
        row_idempotency_key(batch_id, &self.key)
    }
}

/// The `Idempotency-Key` of a row: `batch-` and the SHA-256 of the batch id and the row key
/// (the id's length first, so no two pairs meet), in hex; 70 visible ASCII characters,
/// valid for the API. The same pair always gives the same key.
pub(crate) fn row_idempotency_key(batch_id: &str, row_key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update((batch_id.len() as u64).to_be_bytes());
    hasher.update(batch_id.as_bytes());
    hasher.update(row_key.as_bytes());
    format!("batch-{}", hex::encode(hasher.finalize()))
}

/// A batch to run, made by [`MessagesResource::send_batch`]; set its options, then read its
/// [`outcomes`](SendBatch::outcomes) or [`run`](SendBatch::run) it.
pub struct SendBatch {
    messages: MessagesResource,
    batch_id: String,
    rows: BoxStream<'static, BatchRow>,
    concurrency: usize,
    journal: Option<PathBuf>,
    retry_refused: bool,
    row_attempts: u32,
}

impl fmt::Debug for SendBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendBatch")
            .field("batch_id", &self.batch_id)
            .field("concurrency", &self.concurrency)
            .field("journal", &self.journal)
            .field("retry_refused", &self.retry_refused)
            .field("row_attempts", &self.row_attempts)
            .finish_non_exhaustive()
    }
}

impl MessagesResource {
    /// Sends every row of `rows` (an iterator of [`BatchRow`]s), each exactly once, under
    /// the batch id `batch_id` (keep it for reruns: it and the row keys make the idempotency
    /// keys). See [`crate::batch`] for how, and [`SendBatch`] for the options.
    pub fn send_batch<I>(&self, batch_id: impl Into<String>, rows: I) -> SendBatch
    where
        I: IntoIterator<Item = BatchRow>,
        I::IntoIter: Send + 'static,
    {
        self.send_batch_stream(batch_id, futures_util::stream::iter(rows))
    }

    /// [`send_batch`](Self::send_batch) over a stream of rows (read from a database, a file,
    /// a queue), read only as fast as the batch sends.
    pub fn send_batch_stream(
        &self,
        batch_id: impl Into<String>,
        rows: impl Stream<Item = BatchRow> + Send + 'static,
    ) -> SendBatch {
        SendBatch {
            messages: self.clone(),
            batch_id: batch_id.into(),
            rows: rows.boxed(),
            concurrency: DEFAULT_CONCURRENCY,
            journal: None,
            retry_refused: false,
            row_attempts: DEFAULT_ROW_ATTEMPTS,
        }
    }
}

impl SendBatch {
    /// The most sends in flight at once ([`DEFAULT_CONCURRENCY`]; at least 1). When any call
    /// of the client is answered 429, the batch halves the sends it starts (down to 1), then
    /// adds one back after each run of twice as many answers without a 429, up to this bound.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Records each outcome in the journal at `path` (JSON lines, created when missing), and
    /// skips the rows it already holds as sent or refused. A journal belongs to one batch id:
    /// opening one of another batch is [`BatchError::OtherBatch`].
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// Whether rows the journal holds as refused are sent again (default: `false`, they are
    /// skipped). For a rerun after fixing what the refusals were about (the balance, the
    /// key's scope); the API keeps only successes under a key, so a refused row can go again.
    pub fn retry_refused(mut self, retry: bool) -> Self {
        self.retry_refused = retry;
        self
    }

    /// The rounds a row gets for failures that may pass ([`DEFAULT_ROW_ATTEMPTS`]; at least
    /// 1): network failures, timeouts, 5xx, 429 and 409 `IDEMPOTENCY_KEY_IN_USE`, after the
    /// client's own retries. A row still failing after them is [`RowStatus::Failed`].
    pub fn row_attempts(mut self, rounds: u32) -> Self {
        self.row_attempts = rounds.max(1);
        self
    }

    /// Opens the journal (if any) and returns the outcome of each row, in the order they
    /// complete. Nothing is sent until the stream is polled. After an `Err` item the stream
    /// ends; rows in flight then may have been applied, and a rerun sends them again under
    /// their keys.
    ///
    /// # Errors
    /// [`BatchError::EmptyBatchId`], or the journal cannot be opened or read, is corrupt, or
    /// belongs to another batch.
    pub fn outcomes(self) -> Result<BatchOutcomes, BatchError> {
        if self.batch_id.is_empty() {
            return Err(BatchError::EmptyBatchId);
        }
        let (journal, done) = match &self.journal {
            Some(path) => {
                let (journal, done) = Journal::open(path, &self.batch_id)?;
                (Some(journal), done)
            }
            None => (None, HashMap::new()),
        };
        let throttled = self.messages.client.inner.throttle.throttled_answers();
        Ok(BatchOutcomes {
            messages: self.messages,
            batch_id: Arc::from(self.batch_id),
            rows: Some(self.rows),
            in_flight: FuturesUnordered::new(),
            journal,
            done,
            retry_refused: self.retry_refused,
            row_attempts: self.row_attempts,
            control: Concurrency::new(self.concurrency, throttled),
            summary: BatchSummary::default(),
            finished: false,
        })
    }

    /// Runs the whole batch and returns its counts (the outcomes themselves are in the
    /// journal, if any).
    ///
    /// # Errors
    /// As [`outcomes`](Self::outcomes), and a [`BatchError`] that stops the batch.
    pub async fn run(self) -> Result<BatchSummary, BatchError> {
        let mut outcomes = self.outcomes()?;
        while let Some(outcome) = outcomes.next().await {
            outcome?;
        }
        Ok(outcomes.summary())
    }
}

/// What happened to one row.
#[derive(Debug)]
pub struct RowOutcome {
    /// The caller's row key.
    pub row: String,
    /// The `Idempotency-Key` the row was (or would be) sent with.
    pub idempotency_key: String,
    /// What happened.
    pub status: RowStatus,
}

/// What happened to a row.
#[derive(Debug)]
#[non_exhaustive]
pub enum RowStatus {
    /// The API accepted the send.
    Sent(SentRow),
    /// The API refused it on purpose (400, 402, 403, 404, 409 `IDEMPOTENCY_KEY_REUSED`, ...):
    /// recorded, and the batch goes on.
    Refused(Error),
    /// The journal holds the row as done (sent, or refused): nothing was sent.
    Skipped(JournalEntry),
    /// No answer after every round (network, 5xx, 429, a key still in use elsewhere). Not
    /// recorded as done: a rerun sends it again, under the same key.
    Failed(Error),
}

/// A row the API accepted.
#[derive(Debug)]
pub struct SentRow {
    /// The message id: `None` when the answer named none (its body did not fit, or was not
    /// JSON); the row's idempotency key still finds the send's stored answer.
    pub message_id: Option<String>,
    /// True when the API answered with the stored result of an earlier attempt under the
    /// same key (`idempotent-replayed: true`): a lost answer of this run, an earlier run, or
    /// another process running the same batch. Not sent again either way.
    pub replayed: bool,
    /// The answer, when its body was JSON (see [`ResponseValue::deviations`]).
    pub response: Option<Box<ResponseValue<SentMessage>>>,
}

/// The counts of a batch so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Rows the API accepted (including the replayed ones).
    pub sent: u64,
    /// Of the sent rows, those answered with a stored result (`idempotent-replayed`).
    pub replayed: u64,
    /// Rows the API refused on purpose.
    pub refused: u64,
    /// Rows skipped because the journal holds them as done.
    pub skipped: u64,
    /// Rows without an answer after every round: a rerun sends them.
    pub failed: u64,
}

impl BatchSummary {
    /// Every row counted.
    pub fn rows(&self) -> u64 {
        self.sent + self.refused + self.skipped + self.failed
    }

    /// True when every row has a final outcome (sent, refused or skipped): none failed.
    pub fn is_complete(&self) -> bool {
        self.failed == 0
    }

    fn count(&mut self, status: &RowStatus) {
        match status {
            RowStatus::Sent(sent) => {
                self.sent += 1;
                self.replayed += u64::from(sent.replayed);
            }
            RowStatus::Refused(_) => self.refused += 1,
            RowStatus::Skipped(_) => self.skipped += 1,
            RowStatus::Failed(_) => self.failed += 1,
        }
    }
}

/// What stops a batch.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The batch id is empty.
    #[error("the batch id is empty")]
    EmptyBatchId,
    /// The journal could not be opened, read or written.
    #[error("batch journal {}: cannot {action}: {source}", path.display())]
    Journal {
        /// The journal.
        path: PathBuf,
        /// What failed: `open`, `read`, `repair`, `write`, `sync`.
        action: &'static str,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line of the journal cannot be read (other than a last line cut short by a crash,
    /// which is dropped).
    #[error("batch journal {}, line {line}: {problem}", path.display())]
    CorruptJournal {
        /// The journal.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// Why.
        problem: String,
    },
    /// The journal belongs to another batch id.
    #[error(
        "batch journal {} belongs to the batch {found:?}, not {expected:?}: a journal records \
         one batch",
        path.display()
    )]
    OtherBatch {
        /// The journal.
        path: PathBuf,
        /// The batch id it records.
        found: String,
        /// The batch id of this run.
        expected: String,
    },
    /// A failure every row would meet (the credential refused, a redirect to another origin, a
    /// bad configuration): the batch stops, starting no more rows.
    #[error("batch stopped at the row {row:?}: {source}")]
    Stopped {
        /// The row that met it.
        row: String,
        /// The error.
        #[source]
        source: Error,
    },
}

/// The outcomes of a running batch, in the order they complete (a [`Stream`]); made by
/// [`SendBatch::outcomes`].
pub struct BatchOutcomes {
    messages: MessagesResource,
    batch_id: Arc<str>,
    /// `None` once every row was read.
    rows: Option<BoxStream<'static, BatchRow>>,
    in_flight: FuturesUnordered<BoxFuture<'static, Finished>>,
    journal: Option<Journal>,
    /// The final outcomes the journal held when the batch started, by row key (a row that
    /// repeats a key of this run goes to the API, which answers with the first's result).
    done: HashMap<String, JournalEntry>,
    retry_refused: bool,
    row_attempts: u32,
    control: Concurrency,
    summary: BatchSummary,
    finished: bool,
}

impl fmt::Debug for BatchOutcomes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchOutcomes")
            .field("batch_id", &self.batch_id)
            .field("in_flight", &self.in_flight.len())
            .field("concurrency", &self.control.current)
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl BatchOutcomes {
    /// The counts so far.
    pub fn summary(&self) -> BatchSummary {
        self.summary
    }

    /// The sends the batch starts at most now: the configured concurrency, lowered after
    /// throttling.
    pub fn current_concurrency(&self) -> usize {
        self.control.current
    }

    /// The journal's final outcome for a row, unless the row is to go (again).
    fn skip(&mut self, row: &BatchRow) -> Option<JournalEntry> {
        let entry = self.done.get(&row.key)?;
        if entry.outcome == JournalOutcome::Refused && self.retry_refused {
            return None;
        }
        Some(entry.clone())
    }

    /// Records and counts a finished row; `Err` stops the batch.
    fn finish(&mut self, finished: Finished) -> Result<RowOutcome, BatchError> {
        let Finished { row, key, result } = finished;
        let status = match result {
            Sending::Sent(sent) => RowStatus::Sent(sent),
            Sending::Refused(error) => RowStatus::Refused(error),
            Sending::Failed(error) => RowStatus::Failed(error),
            Sending::Stop(source) => return Err(BatchError::Stopped { row, source }),
        };
        if let Some(journal) = &mut self.journal {
            journal.append(&entry_of(&row, &key, &status))?;
        }
        self.summary.count(&status);
        Ok(RowOutcome {
            row,
            idempotency_key: key,
            status,
        })
    }
}

impl Stream for BatchOutcomes {
    type Item = Result<RowOutcome, BatchError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.finished {
            return Poll::Ready(None);
        }
        let throttled = this.messages.client.inner.throttle.throttled_answers();
        this.control.observe(throttled);
        // Start rows while there is room.
        while this.in_flight.len() < this.control.current {
            let Some(rows) = &mut this.rows else {
                break;
            };
            match rows.poll_next_unpin(cx) {
                Poll::Ready(Some(row)) => {
                    let key = row_idempotency_key(&this.batch_id, &row.key);
                    if let Some(entry) = this.skip(&row) {
                        let status = RowStatus::Skipped(entry);
                        this.summary.count(&status);
                        return Poll::Ready(Some(Ok(RowOutcome {
                            row: row.key,
                            idempotency_key: key,
                            status,
                        })));
                    }
                    let send = send_row(this.messages.clone(), row, key, this.row_attempts);
                    this.in_flight.push(send.boxed());
                }
                Poll::Ready(None) => this.rows = None,
                Poll::Pending => break,
            }
        }
        match this.in_flight.poll_next_unpin(cx) {
            Poll::Ready(Some(finished)) => {
                this.control.completed();
                let outcome = this.finish(finished);
                if outcome.is_err() {
                    this.finished = true;
                }
                Poll::Ready(Some(outcome))
            }
            Poll::Ready(None) if this.rows.is_none() => {
                this.finished = true;
                match this.journal.as_mut().map(Journal::sync) {
                    Some(Err(error)) => Poll::Ready(Some(Err(error))),
                    _ => Poll::Ready(None),
                }
            }
            // Nothing in flight: waiting for the next row.
            Poll::Ready(None) | Poll::Pending => Poll::Pending,
        }
    }
}

/// How the sends a batch starts adapt to throttling: halved when a call of the client was
/// answered 429 (at most once per round of answers, since the 429s of one burst are one
/// signal), then one more after each run of twice as many answers without a 429.
#[derive(Debug)]
struct Concurrency {
    max: usize,
    current: usize,
    /// The client's 429 count already seen.
    seen: u64,
    /// Answers since the last decrease.
    since_decrease: usize,
    /// Answers since the last change without a 429.
    since_increase: usize,
}

impl Concurrency {
    fn new(max: usize, throttled: u64) -> Self {
        Self {
            max,
            current: max,
            seen: throttled,
            since_decrease: usize::MAX,
            since_increase: 0,
        }
    }

    /// Reads the client's 429 count.
    fn observe(&mut self, throttled: u64) {
        if throttled <= self.seen {
            return;
        }
        self.seen = throttled;
        self.since_increase = 0;
        if self.since_decrease >= self.current {
            self.current = (self.current / 2).max(1);
            self.since_decrease = 0;
        }
    }

    /// One more answer.
    fn completed(&mut self) {
        self.since_decrease = self.since_decrease.saturating_add(1);
        self.since_increase += 1;
        if self.current < self.max && self.since_increase >= 2 * self.current {
            self.current += 1;
            self.since_increase = 0;
        }
    }
}

/// A row whose sending ended.
struct Finished {
    row: String,
    key: String,
    result: Sending,
}

/// How sending a row ended.
enum Sending {
    Sent(SentRow),
    Refused(Error),
    Failed(Error),
    /// A failure every row would meet.
    Stop(Error),
}

/// What to do after a call of a row failed.
enum Verdict {
    /// The API accepted it although its answer could not be read.
    Accepted,
    Refused,
    /// It may pass: another round, after a wait.
    Again,
    Stop,
}

fn verdict(error: &Error) -> Verdict {
    if error.accepted() {
        return Verdict::Accepted;
    }
    match error.kind() {
        ErrorKind::Conflict if error.code() == Some("IDEMPOTENCY_KEY_IN_USE") => Verdict::Again,
        ErrorKind::RateLimited
        | ErrorKind::Server
        | ErrorKind::Timeout
        | ErrorKind::Network
        | ErrorKind::ResponseTooLarge => Verdict::Again,
        ErrorKind::OtherStatus if error.status().is_some_and(|status| status.as_u16() == 408) => {
            Verdict::Again
        }
        ErrorKind::Authentication | ErrorKind::RedirectRefused | ErrorKind::Config => Verdict::Stop,
        _ => Verdict::Refused,
    }
}

/// Sends one row under its key, for up to `rounds` rounds.
async fn send_row(messages: MessagesResource, row: BatchRow, key: String, rounds: u32) -> Finished {
    // The waits between rounds: from half a second, doubling up to 15 s, with full jitter
    // (the client's own retries come first, inside each round).
    let between = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(500))
        .max_backoff(Duration::from_secs(15));
    let mut round = 1;
    let result = loop {
        let call = messages
            .send(row.body.clone())
            .idempotency_key(key.clone())
            .send()
            .await;
        let error = match call {
            Ok(response) => {
                let message_id = Some(response.id.clone()).filter(|id| !id.is_empty());
                break Sending::Sent(SentRow {
                    message_id,
                    replayed: response.idempotent_replayed(),
                    response: Some(Box::new(response)),
                });
            }
            Err(error) => error,
        };
        match verdict(&error) {
            Verdict::Accepted => {
                let replayed = error
                    .headers()
                    .and_then(|headers| headers.get(crate::IDEMPOTENT_REPLAYED))
                    .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"true"));
                break Sending::Sent(SentRow {
                    message_id: None,
                    replayed,
                    response: None,
                });
            }
            Verdict::Refused => break Sending::Refused(error),
            Verdict::Stop => break Sending::Stop(error),
            Verdict::Again if round >= rounds => break Sending::Failed(error),
            Verdict::Again => {
                let wait = error
                    .retry_after()
                    .unwrap_or_else(|| between.backoff(round));
                tracing::debug!(
                    row = %row.key,
                    round,
                    wait_ms = wait.as_millis() as u64,
                    error = %error,
                    "batch row: another round"
                );
                tokio::time::sleep(wait).await;
                round += 1;
            }
        }
    };
    Finished {
        row: row.key,
        key,
        result,
    }
}

/// The journal line of an outcome.
fn entry_of(row: &str, key: &str, status: &RowStatus) -> JournalEntry {
    let mut entry = JournalEntry {
        row: row.to_owned(),
        idempotency_key: key.to_owned(),
        outcome: JournalOutcome::Failed,
        message_id: None,
        replayed: false,
        status: None,
        code: None,
        error: None,
    };
    match status {
        RowStatus::Sent(sent) => {
            entry.outcome = JournalOutcome::Sent;
            entry.message_id.clone_from(&sent.message_id);
            entry.replayed = sent.replayed;
        }
        RowStatus::Refused(error) => {
            entry.outcome = JournalOutcome::Refused;
            entry.status = error.status().map(|status| status.as_u16());
            entry.code = error.code().map(str::to_owned);
            entry.error = Some(error.to_string());
        }
        RowStatus::Failed(error) => entry.error = Some(error.to_string()),
        RowStatus::Skipped(earlier) => entry.clone_from(earlier),
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_keys_are_stable_valid_and_distinct() {
        let key = row_idempotency_key("promo-12", "customer-7");
        assert_eq!(key, row_idempotency_key("promo-12", "customer-7"));
        assert_eq!(key.len(), 70);
        let header = reqwest::header::HeaderValue::from_str(&key).expect("a header value");
        assert!(crate::idempotency::check(&header).is_ok());
        assert_ne!(key, row_idempotency_key("promo-12", "customer-8"));
        assert_ne!(key, row_idempotency_key("promo-13", "customer-7"));
        assert_ne!(
            row_idempotency_key("ab", "c"),
            row_idempotency_key("a", "bc"),
            "the batch id's length separates it from the row key"
        );
        let unicode = row_idempotency_key("campanha-ção", "José 🙂");
        let header = reqwest::header::HeaderValue::from_str(&unicode).expect("a header value");
        assert!(crate::idempotency::check(&header).is_ok());
    }

    #[test]
    fn concurrency_halves_on_throttling_once_per_round_and_grows_back_slowly() {
        let mut control = Concurrency::new(8, 0);
        control.observe(0);
        assert_eq!(control.current, 8);
        control.observe(3);
        assert_eq!(control.current, 4, "halved");
        control.completed();
        control.observe(5);
        assert_eq!(control.current, 4, "the same burst: once per round");
        for _ in 0..4 {
            control.completed();
        }
        control.observe(6);
        assert_eq!(control.current, 2, "a new round: halved again");
        control.observe(7);
        for _ in 0..3 {
            control.completed();
        }
        assert_eq!(control.current, 2);
        control.completed();
        assert_eq!(
            control.current, 3,
            "one more after 2 × 2 answers without a 429"
        );
        for _ in 0..1000 {
            control.completed();
        }
        assert_eq!(control.current, 8, "never above the bound");
        let mut single = Concurrency::new(1, 0);
        single.observe(1);
        assert_eq!(single.current, 1, "never below one");
    }
}
