//! A stand-in for the API's send endpoint (`POST /v1/messages/send`) on 127.0.0.1, for the
//! batch tests and the throughput benchmark. It keeps the API's documented idempotency rules
//! and adds what a test needs to provoke:
//!
//! - each `Idempotency-Key` is applied once; the same key with the same body again gets the
//!   stored answer with `idempotent-replayed: true`; with another body, 409
//!   `IDEMPOTENCY_KEY_REUSED`; while the first call is still running, 409
//!   `IDEMPOTENCY_KEY_IN_USE`; only successes are stored, so a refused key can be used again;
//! - a rate limit ([`Settings::rate_limit`]): a token bucket of that many requests per second
//!   with a burst of one second's worth (or [`Settings::burst`]), full at the start; a request
//!   over it gets 429 with `Retry-After` in whole seconds (rounded up) and the exact wait as
//!   `retryAfterSeconds` in the body;
//! - faults drawn from a seeded generator ([`Faults`]): 503 before the send is applied, 503
//!   after it was applied, and the connection reset after it was applied (the answer is lost,
//!   the send is done);
//! - refusals on purpose ([`Settings::refuse`]: 400, 402, 403 for chosen bodies).
//!
//! It counts what it applied per recipient (`destinationNumber`, else `groupId` or
//! `newsletterId`) and logs every request's answer with its time, so a test can check that
//! every recipient was applied exactly once and a benchmark can count throttled requests.
//! Each connection carries one request (`connection: close`).

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Chooses which bodies the server refuses on purpose, and how.
pub type Refuse = Arc<dyn Fn(&Value) -> Option<Refusal> + Send + Sync>;

/// A refusal the API gives on purpose: a status (400, 402, 403) and its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// The status.
    pub status: u16,
    /// The API's code, such as `PAYMENT_FAILED`.
    pub code: &'static str,
}

/// How often each fault strikes a send that passed the rate limit (each a probability
/// from 0 to 1, drawn in this order).
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// 503 before anything is applied.
    pub unavailable: f64,
    /// The send is applied, then answered 503 (a gateway that gave up on a done send).
    pub unavailable_after_apply: f64,
    /// The send is applied, then the connection is reset without an answer.
    pub cut_after_apply: f64,
}

/// What the server does.
#[derive(Clone)]
pub struct Settings {
    /// Requests per second over all connections; `None` for no limit.
    pub rate_limit: Option<u32>,
    /// The most requests the limit lets through at once after a quiet time; `None` for one
    /// second's worth (`rate_limit`).
    pub burst: Option<u32>,
    /// How long a send takes from its arrival to its answer; the key is in use meanwhile.
    pub latency: Duration,
    /// Faults.
    pub faults: Faults,
    /// The seed of the faults.
    pub seed: u64,
    /// Bodies refused on purpose.
    pub refuse: Option<Refuse>,
}

impl Default for Settings {
    /// No limit, 2 ms per send, no faults, no refusals.
    fn default() -> Self {
        Self {
            rate_limit: None,
            burst: None,
            latency: Duration::from_millis(2),
            faults: Faults::default(),
            seed: 7,
            refuse: None,
        }
    }
}

/// How the server answered one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Answer {
    /// Applied and answered 202.
    Sent,
    /// Applied, then answered 503.
    AppliedThenUnavailable,
    /// Applied, then the connection was reset.
    AppliedThenCut,
    /// The stored answer of an earlier call with the same key and body.
    Replayed,
    /// 429.
    Throttled,
    /// 503 before anything was applied.
    Unavailable,
    /// 409 `IDEMPOTENCY_KEY_IN_USE`.
    InUse,
    /// 409 `IDEMPOTENCY_KEY_REUSED`.
    Reused,
    /// Refused on purpose (400, 402, 403).
    Refused(u16),
    /// Not the send endpoint, or a body that is not JSON: 404 or 400.
    Invalid,
}

impl Answer {
    /// Whether this request applied a send.
    pub fn applied(self) -> bool {
        matches!(
            self,
            Self::Sent | Self::AppliedThenUnavailable | Self::AppliedThenCut
        )
    }
}

/// One request and its answer.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    /// When it arrived, from the server's start.
    pub at: Duration,
    /// How it was answered.
    pub answer: Answer,
}

/// A running server; it stops with the runtime it was started on.
pub struct SendServer {
    address: SocketAddr,
    shared: Arc<Shared>,
}

struct Shared {
    settings: Settings,
    started: Instant,
    state: Mutex<State>,
}

struct State {
    rng: fastrand::Rng,
    bucket: Option<Bucket>,
    keys: HashMap<String, KeyState>,
    applied: BTreeMap<String, u32>,
    log: Vec<Record>,
    next_id: u64,
}

enum KeyState {
    InProgress,
    Done { body: Vec<u8>, answer: String },
}

/// A token bucket: `rate` tokens a second, at most `burst` kept.
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    refilled: Instant,
}

impl Bucket {
    fn new(rate: u32, burst: Option<u32>, now: Instant) -> Self {
        let rate = f64::from(rate.max(1));
        let burst = burst.map_or(rate, |burst| f64::from(burst.max(1)));
        Self {
            rate,
            burst,
            tokens: burst,
            refilled: now,
        }
    }

    /// Takes a token, or says how long until one is there.
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }
}

/// What goes back on the connection.
enum Reply {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    Reset,
}

impl Reply {
    fn json(status: u16, body: String) -> Self {
        Self::Respond {
            status,
            headers: Vec::new(),
            body,
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({"error": message, "code": code}).to_string(),
        )
    }
}

impl SendServer {
    /// Starts a server on 127.0.0.1 (on the current tokio runtime).
    ///
    /// # Panics
    /// When no loopback port can be bound.
    pub async fn start(settings: Settings) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("the bound address");
        let now = Instant::now();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                rng: fastrand::Rng::with_seed(settings.seed),
                bucket: settings
                    .rate_limit
                    .map(|rate| Bucket::new(rate, settings.burst, now)),
                keys: HashMap::new(),
                applied: BTreeMap::new(),
                log: Vec::new(),
                next_id: 1,
            }),
            settings,
            started: now,
        });
        let accepting = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&accepting)));
            }
        });
        Self { address, shared }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many times each recipient was applied.
    pub fn applied_per_recipient(&self) -> BTreeMap<String, u32> {
        self.shared.lock().applied.clone()
    }

    /// How many sends were applied in all.
    pub fn applied(&self) -> u64 {
        self.shared
            .lock()
            .applied
            .values()
            .map(|times| u64::from(*times))
            .sum()
    }

    /// Every request so far and its answer, in arrival order.
    pub fn log(&self) -> Vec<Record> {
        self.shared.lock().log.clone()
    }

    /// How many requests got each answer.
    pub fn answers(&self) -> BTreeMap<Answer, usize> {
        let mut counts = BTreeMap::new();
        for record in &self.shared.lock().log {
            *counts.entry(record.answer).or_default() += 1;
        }
        counts
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the state usable for the checks.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn record(&self, state: &mut State, arrived: Instant, answer: Answer) {
        state.log.push(Record {
            at: arrived.saturating_duration_since(self.started),
            answer,
        });
    }
}

/// A request as [`read_request`] read it from a connection.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    /// Header names (lower-case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body (`content-length` bytes).
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = answer(&shared, request).await;
    let _ = write_reply(stream, reply).await;
}

async fn answer(shared: &Shared, request: Request) -> Reply {
    let arrived = Instant::now();
    let idempotency_key = request.header("idempotency-key").map(str::to_owned);
    let recipient;
    {
        let mut state = shared.lock();
        if request.method != "POST" || request.target != "/v1/messages/send" {
            shared.record(&mut state, arrived, Answer::Invalid);
            return Reply::error(404, "NOT_FOUND", "no such route");
        }
        if let Some(bucket) = &mut state.bucket
            && let Err(wait) = bucket.take(arrived)
        {
            shared.record(&mut state, arrived, Answer::Throttled);
            let seconds = wait.as_secs_f64();
            return Reply::Respond {
                status: 429,
                headers: vec![("retry-after", (seconds.ceil().max(1.0) as u64).to_string())],
                body: serde_json::json!({
                    "error": "Too many requests",
                    "code": "RATE_LIMITED",
                    "retryAfterSeconds": (seconds * 1000.0).ceil() / 1000.0,
                })
                .to_string(),
            };
        }
        let faults = shared.settings.faults;
        if state.rng.f64() < faults.unavailable {
            shared.record(&mut state, arrived, Answer::Unavailable);
            return Reply::error(503, "UPSTREAM_UNAVAILABLE", "try again");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            shared.record(&mut state, arrived, Answer::Invalid);
            return Reply::error(400, "VALIDATION_ERROR", "the body is not JSON");
        };
        if let Some(key) = &idempotency_key {
            match state.keys.get(key) {
                Some(KeyState::InProgress) => {
                    shared.record(&mut state, arrived, Answer::InUse);
                    return Reply::error(
                        409,
                        "IDEMPOTENCY_KEY_IN_USE",
                        "a call with this key is still running",
                    );
                }
                Some(KeyState::Done { body, answer }) if *body == request.body => {
                    let answer = answer.clone();
                    shared.record(&mut state, arrived, Answer::Replayed);
                    return Reply::Respond {
                        status: 202,
                        headers: vec![("idempotent-replayed", "true".to_owned())],
                        body: answer,
                    };
                }
                Some(KeyState::Done { .. }) => {
                    shared.record(&mut state, arrived, Answer::Reused);
                    return Reply::error(
                        409,
                        "IDEMPOTENCY_KEY_REUSED",
                        "this key was used with another body",
                    );
                }
                None => {}
            }
        }
        if let Some(refusal) = shared.settings.refuse.as_ref().and_then(|f| f(&body)) {
            shared.record(&mut state, arrived, Answer::Refused(refusal.status));
            return Reply::error(refusal.status, refusal.code, "refused on purpose");
        }
        if let Some(key) = &idempotency_key {
            state.keys.insert(key.clone(), KeyState::InProgress);
        }
        recipient = ["destinationNumber", "groupId", "newsletterId"]
            .iter()
            .find_map(|member| body.get(*member).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned();
    }
    tokio::time::sleep(shared.settings.latency).await;
    let mut state = shared.lock();
    *state.applied.entry(recipient).or_default() += 1;
    let id = state.next_id;
    state.next_id += 1;
    let sent = serde_json::json!({
        "id": format!("msg_{id:06}"),
        "correlationId": format!("corr_{id:06}"),
        "status": "QUEUED",
        "createdAt": "2026-06-01T12:00:00.000Z",
        "origin": "Loja Acme",
        "sourceNumber": null,
    })
    .to_string();
    if let Some(key) = idempotency_key {
        state.keys.insert(
            key,
            KeyState::Done {
                body: request.body,
                answer: sent.clone(),
            },
        );
    }
    let faults = shared.settings.faults;
    let draw = state.rng.f64();
    if draw < faults.unavailable_after_apply {
        shared.record(&mut state, arrived, Answer::AppliedThenUnavailable);
        Reply::error(503, "UPSTREAM_TIMEOUT", "the gateway gave up")
    } else if draw < faults.unavailable_after_apply + faults.cut_after_apply {
        shared.record(&mut state, arrived, Answer::AppliedThenCut);
        Reply::Reset
    } else {
        shared.record(&mut state, arrived, Answer::Sent);
        Reply::json(202, sent)
    }
}

async fn write_reply(mut stream: TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body.as_bytes()).await?;
            stream.shutdown().await
        }
        Reply::Reset => {
            // A TCP RST: the client sees the connection reset, with no answer.
            stream.set_zero_linger()?;
            drop(stream);
            Ok(())
        }
    }
}

/// Reads one HTTP/1.1 request: its head, then a `content-length` body; `None` when the
/// connection ends first or the head grows past 1 MiB. (The SDK's fault-injecting test
/// server reads its requests with this too.)
pub async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 1 << 20 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
