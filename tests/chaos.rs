//! A seeded chaos server on 127.0.0.1 mixing successes, resets, connections closed before the
//! response, 5xx, 429s, stalls past the client's timeout and bodies that break off, for GETs
//! and for sends.
//!
//! Every attempt's fate is drawn from the seed, the call's number and the attempt's number,
//! so GET number `n` and send number `n` meet the same faults in the same order: a send must
//! get through exactly as often as a GET. The server applies a send once per
//! `Idempotency-Key` and answers a repeated key with the stored result (as the API does), and
//! some faults strike after it applied the send (the answer is lost, the work is done). The
//! checks: no call is sent more than `1 + retries` times; no send is applied twice; every
//! key's bodies are identical; every send that succeeded was applied; every call that failed
//! used all its attempts (no fault a retry could have saved ends a call early); with
//! automatic keys off, a send without a key is sent exactly once.
//!
//! `cargo test --test chaos -- --ignored --nocapture` also runs 200 GETs and 200 sends with
//! the default policy (about two minutes: its backoffs are real).

mod common;
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::API_KEY;
use pilot_status::{Client, Error, RetryPolicy};
use support::{Break, Reply, Request, Server};

/// What can happen to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Success,
    /// Reset before the server did anything.
    Reset,
    /// The server applied the send, then the connection reset: the answer is lost.
    AppliedThenReset,
    Close,
    ServiceUnavailable,
    InternalError,
    Stall,
    /// The answer started (a send was applied) and its body broke off.
    BrokenBodyReset,
    BrokenBodyClose,
    RateLimited,
}

/// The fate of attempt `attempt` of call `call`: the same for a GET and a send of that number.
fn fate(seed: u64, call: u64, attempt: u64) -> Fate {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ call.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ attempt);
    match rng.u32(0..100) {
        0..45 => Fate::Success,
        45..55 => Fate::Reset,
        55..60 => Fate::AppliedThenReset,
        60..70 => Fate::Close,
        70..75 => Fate::ServiceUnavailable,
        75..80 => Fate::InternalError,
        80..85 => Fate::Stall,
        85..90 => Fate::BrokenBodyReset,
        90..95 => Fate::BrokenBodyClose,
        _ => Fate::RateLimited,
    }
}

/// What the server knows of one `Idempotency-Key`.
#[derive(Debug, Default)]
struct KeyRecord {
    /// The call (tag) that used it.
    calls: Vec<String>,
    /// The body of every request that carried it.
    bodies: Vec<Vec<u8>>,
    /// Whether the send was applied.
    applied: bool,
}

/// The server's side of the run.
#[derive(Debug, Default)]
struct Ledger {
    /// Attempts seen per call tag.
    attempts: BTreeMap<String, u64>,
    /// Sends applied per call tag.
    applied: BTreeMap<String, usize>,
    /// Records per key.
    keys: BTreeMap<String, KeyRecord>,
}

fn reply(seed: u64, ledger: &Mutex<Ledger>, request: &Request) -> Reply {
    let mut ledger = ledger.lock().expect("the ledger lock");
    let tag = request
        .header("x-whatsapp-number-id")
        .unwrap_or("untagged")
        .to_owned();
    let attempt = {
        let seen = ledger.attempts.entry(tag.clone()).or_default();
        *seen += 1;
        *seen
    };
    let call: u64 = tag
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let fate = fate(seed, call, attempt);
    let is_send = request.method == "POST";
    // A send is applied once per key; a send without a key every time it gets through.
    let mut replayed = false;
    let applies = is_send
        && matches!(
            fate,
            Fate::Success | Fate::AppliedThenReset | Fate::BrokenBodyReset | Fate::BrokenBodyClose
        );
    if is_send {
        let key = request.header("idempotency-key").map(str::to_owned);
        if let Some(key) = &key {
            let record = ledger.keys.entry(key.clone()).or_default();
            if !record.calls.contains(&tag) {
                record.calls.push(tag.clone());
            }
            record.bodies.push(request.body.clone());
        }
        if applies {
            let already = key
                .as_ref()
                .is_some_and(|key| ledger.keys.get(key).is_some_and(|record| record.applied));
            if already {
                replayed = true;
            } else {
                if let Some(key) = &key
                    && let Some(record) = ledger.keys.get_mut(key)
                {
                    record.applied = true;
                }
                *ledger.applied.entry(tag.clone()).or_default() += 1;
            }
        }
    }
    let success = || {
        let reply = if is_send {
            Reply::json(202, common::SENT_MESSAGE)
        } else {
            Reply::json(200, common::NUMBER_LIST)
        };
        if replayed {
            reply.with_header("idempotent-replayed", "true")
        } else {
            reply
        }
    };
    let broken = |then| Reply::BrokenBody {
        status: if is_send { 202 } else { 200 },
        declared: 1024,
        sent: br#"{"id":"#.to_vec(),
        then,
    };
    match fate {
        Fate::Success => success(),
        Fate::Reset | Fate::AppliedThenReset => Reply::Reset,
        Fate::Close => Reply::Close,
        Fate::ServiceUnavailable => Reply::json(503, r#"{"code":"UPSTREAM_TIMEOUT"}"#),
        Fate::InternalError => Reply::json(500, r#"{"code":"INTERNAL"}"#),
        Fate::Stall => Reply::Stall,
        Fate::BrokenBodyReset => broken(Break::Reset),
        Fate::BrokenBodyClose => broken(Break::Close),
        Fate::RateLimited => Reply::json(429, r#"{"code":"RATE_LIMITED","retryAfterSeconds":0}"#),
    }
}

/// What a chaos run produced.
#[derive(Debug, Default)]
struct Tally {
    gets: usize,
    gets_ok: usize,
    sends: usize,
    sends_ok: usize,
    /// Sends without a key, with automatic keys off.
    unkeyed: usize,
    unkeyed_ok: usize,
    /// Tags of the calls that succeeded.
    succeeded: Vec<String>,
    /// Requests the server saw, in all.
    requests: usize,
    elapsed: Duration,
}

/// Runs `calls` GETs, then `calls` sends (automatic keys), then `unkeyed` sends with
/// automatic keys off, one after the other. Each call is tagged with its own number id.
async fn run(
    seed: u64,
    calls: usize,
    unkeyed: usize,
    policy: RetryPolicy,
    timeout: Duration,
) -> (Tally, Ledger) {
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let server = Server::start({
        let ledger = Arc::clone(&ledger);
        move |_, request| reply(seed, &ledger, request)
    })
    .await;
    let client = |automatic_keys: bool| {
        Client::builder()
            .api_key(API_KEY)
            .base_url(server.url())
            .timeout(timeout)
            .retry_policy(policy.clone())
            .automatic_idempotency_keys(automatic_keys)
            .build()
            .expect("a valid configuration")
    };
    let (keyed, plain) = (client(true), client(false));
    let mut tally = Tally::default();
    let started = Instant::now();
    for call in 0..calls {
        let tag = format!("get-{call}");
        tally.gets += 1;
        let result: Result<_, Error> = keyed.with_number(&tag).numbers().list().send().await;
        if result.is_ok() {
            tally.gets_ok += 1;
            tally.succeeded.push(tag);
        }
    }
    for call in 0..calls {
        let tag = format!("send-{call}");
        tally.sends += 1;
        let sent = keyed
            .with_number(&tag)
            .messages()
            .send(common::text_message())
            .send()
            .await;
        if sent.is_ok() {
            tally.sends_ok += 1;
            tally.succeeded.push(tag);
        }
    }
    for call in 0..unkeyed {
        let tag = format!("plain-{call}");
        tally.unkeyed += 1;
        let sent = plain
            .with_number(&tag)
            .messages()
            .send(common::text_message())
            .send()
            .await;
        if sent.is_ok() {
            tally.unkeyed_ok += 1;
            tally.succeeded.push(tag);
        }
    }
    tally.elapsed = started.elapsed();
    tally.requests = server.requests().len();
    let ledger = std::mem::take(&mut *ledger.lock().expect("the ledger lock"));
    (tally, ledger)
}

fn report(name: &str, tally: &Tally, ledger: &Ledger) {
    let differing = ledger
        .keys
        .values()
        .filter(|record| record.bodies.iter().any(|body| *body != record.bodies[0]))
        .count();
    let applied_twice = ledger.applied.values().filter(|n| **n > 1).count();
    eprintln!(
        "{name}: GETs {}/{} succeeded; sends {}/{} ({} keys, {differing} with differing \
         bodies, {applied_twice} sends applied twice); sends without a key {}/{}; the server \
         saw {} requests; {:.1} s",
        tally.gets_ok,
        tally.gets,
        tally.sends_ok,
        tally.sends,
        ledger.keys.len(),
        tally.unkeyed_ok,
        tally.unkeyed,
        tally.requests,
        tally.elapsed.as_secs_f64()
    );
}

fn assert_guarantees(tally: &Tally, ledger: &Ledger, retries: u32) {
    let most = 1 + u64::from(retries);
    for (tag, attempts) in &ledger.attempts {
        if tag.starts_with("plain-") {
            assert_eq!(
                *attempts, 1,
                "{tag}: a send without a key went {attempts} times"
            );
            continue;
        }
        assert!(
            *attempts <= most,
            "{tag}: {attempts} attempts, more than {most}"
        );
        // A call that failed used every attempt: no fault a retry could save ended it early.
        if !tally.succeeded.contains(tag) {
            assert_eq!(*attempts, most, "{tag} failed after {attempts} attempts");
        }
    }
    assert_eq!(
        ledger.attempts.len(),
        2 * tally.gets + tally.unkeyed,
        "every call reached the server"
    );
    for (key, record) in &ledger.keys {
        assert_eq!(
            record.calls.len(),
            1,
            "{key} was used by {:?}",
            record.calls
        );
        assert!(
            record.bodies.iter().all(|body| *body == record.bodies[0]),
            "{key}: the retries sent another body"
        );
    }
    for (tag, applied) in &ledger.applied {
        assert!(
            *applied <= 1 || tag.starts_with("plain-"),
            "{tag} applied {applied} times"
        );
    }
    for tag in tally
        .succeeded
        .iter()
        .filter(|tag| tag.starts_with("send-"))
    {
        assert_eq!(
            ledger.applied.get(tag),
            Some(&1),
            "{tag} succeeded: applied once"
        );
    }
    assert_eq!(
        ledger.keys.len(),
        tally.sends,
        "one key per send, made before its first attempt"
    );
    // The same faults in the same order: a send gets through exactly as often as a GET.
    assert_eq!(tally.sends_ok, tally.gets_ok, "{tally:?}");
}

#[tokio::test]
async fn sends_get_through_the_chaos_as_often_as_gets_and_none_is_applied_twice() {
    // Short waits and timeout keep this to seconds; the retry count is the default.
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20));
    let (tally, ledger) = run(7, 200, 20, policy, Duration::from_millis(250)).await;
    report("quick policy", &tally, &ledger);
    assert_guarantees(&tally, &ledger, 2);
    // 45 % of attempts succeed; with 2 retries about 83 % of calls should.
    assert!(
        tally.gets_ok >= 150,
        "only {} of {} GETs",
        tally.gets_ok,
        tally.gets
    );
    assert!(
        tally.unkeyed_ok < tally.unkeyed,
        "some sends without a key must fail: they are never retried"
    );
}

#[tokio::test]
#[ignore = "about two minutes: the default policy's real backoffs"]
async fn the_default_policy_under_chaos() {
    let (tally, ledger) = run(
        7,
        200,
        0,
        RetryPolicy::default(),
        Duration::from_millis(300),
    )
    .await;
    report("default policy", &tally, &ledger);
    assert_guarantees(&tally, &ledger, 2);
}
