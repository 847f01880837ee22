//! A seeded chaos server on 127.0.0.1 mixing successes, resets, connections closed before the
//! response, 5xx, 429s, stalls past the client's timeout and bodies that break off; the
//! client must get most calls through without ever sending a request more than
//! `1 + retries` times, and a `POST` without an `Idempotency-Key` exactly once.
//!
//! `cargo test --test chaos -- --ignored --nocapture` also runs 200 GETs with the default
//! policy (about a minute: its backoffs are real).

mod common;
mod support;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::API_KEY;
use pilot_status::{Client, Error, RetryPolicy};
use support::{Break, Reply, Request, Server};

/// One request's fate, drawn from the seeded generator in arrival order (percent).
fn chaos_reply(rng: &mut fastrand::Rng, request: &Request) -> Reply {
    let success = || match request.method.as_str() {
        "GET" => Reply::json(200, common::NUMBER_LIST),
        _ => Reply::json(202, common::SENT_MESSAGE),
    };
    let broken = |then| Reply::BrokenBody {
        status: 200,
        declared: 1024,
        sent: br#"[{"id":"#.to_vec(),
        then,
    };
    match rng.u32(0..100) {
        0..45 => success(),
        45..60 => Reply::Reset,
        60..70 => Reply::Close,
        70..75 => Reply::json(503, r#"{"code":"UPSTREAM_TIMEOUT"}"#),
        75..80 => Reply::json(500, r#"{"code":"INTERNAL"}"#),
        80..85 => Reply::Stall,
        85..90 => broken(Break::Reset),
        90..95 => broken(Break::Close),
        _ => Reply::json(429, r#"{"code":"RATE_LIMITED","retryAfterSeconds":0}"#),
    }
}

/// What a chaos run produced.
#[derive(Debug, Default)]
struct Tally {
    gets: usize,
    gets_ok: usize,
    keyed_posts: usize,
    keyed_posts_ok: usize,
    plain_posts: usize,
    plain_posts_ok: usize,
    /// Requests the server saw, in all.
    requests: usize,
    /// Requests per call (by the call's tag), for the "never more than" checks.
    per_call: BTreeMap<String, usize>,
    elapsed: Duration,
}

/// The one place this test reads through a generated operation.
async fn list_numbers(client: &Client) -> Result<(), Error> {
    client.numbers().list().send().await.map(drop)
}

/// The one place this test sends through a generated operation.
async fn send_text(client: &Client, idempotency_key: Option<&str>) -> Result<(), Error> {
    let mut call = client.messages().send(common::text_message());
    if let Some(key) = idempotency_key {
        call = call.idempotency_key(key);
    }
    call.send().await.map(drop)
}

/// Runs `gets` GETs, then `posts` POSTs with a key and `posts` without, one after the other
/// (so the seeded sequence meets the same attempts each run). Each call is tagged with its
/// own number id, which the server groups requests by.
async fn run(
    seed: u64,
    gets: usize,
    posts: usize,
    policy: RetryPolicy,
    timeout: Duration,
) -> Tally {
    let rng = Mutex::new(fastrand::Rng::with_seed(seed));
    let server = Server::start(move |_, request| {
        chaos_reply(&mut rng.lock().expect("the generator lock"), request)
    })
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .timeout(timeout)
        .retry_policy(policy)
        .build()
        .expect("a valid configuration");
    let mut tally = Tally::default();
    let started = Instant::now();
    for call in 0..gets {
        let tagged = client.with_number(format!("get-{call}"));
        tally.gets += 1;
        tally.gets_ok += usize::from(list_numbers(&tagged).await.is_ok());
    }
    for call in 0..posts {
        let tagged = client.with_number(format!("keyed-{call}"));
        tally.keyed_posts += 1;
        let key = format!("order-{call}");
        tally.keyed_posts_ok += usize::from(send_text(&tagged, Some(&key)).await.is_ok());
        let tagged = client.with_number(format!("plain-{call}"));
        tally.plain_posts += 1;
        tally.plain_posts_ok += usize::from(send_text(&tagged, None).await.is_ok());
    }
    tally.elapsed = started.elapsed();
    let requests = server.requests();
    tally.requests = requests.len();
    for request in &requests {
        let tag = request.header("x-whatsapp-number-id").unwrap_or("untagged");
        *tally.per_call.entry(tag.to_owned()).or_default() += 1;
    }
    tally
}

fn report(name: &str, tally: &Tally) {
    eprintln!(
        "{name}: GETs {}/{} succeeded; POSTs with a key {}/{}; POSTs without {}/{}; \
         the server saw {} requests; {:.1} s",
        tally.gets_ok,
        tally.gets,
        tally.keyed_posts_ok,
        tally.keyed_posts,
        tally.plain_posts_ok,
        tally.plain_posts,
        tally.requests,
        tally.elapsed.as_secs_f64()
    );
}

fn assert_bounds(tally: &Tally, retries: u32) {
    let most = 1 + retries as usize;
    for (tag, count) in &tally.per_call {
        if tag.starts_with("plain-") {
            assert_eq!(
                *count, 1,
                "{tag}: a POST without a key was sent {count} times"
            );
        } else {
            assert!(*count <= most, "{tag}: {count} requests, more than {most}");
        }
    }
    let calls = tally.gets + 2 * tally.keyed_posts;
    assert_eq!(tally.per_call.len(), calls, "every call reached the server");
}

#[tokio::test]
async fn most_calls_get_through_the_chaos_and_none_is_sent_too_often() {
    // Short waits and timeout keep this to a few seconds; the retry count is the default.
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20));
    let tally = run(7, 100, 20, policy, Duration::from_millis(250)).await;
    report("quick policy", &tally);
    assert_bounds(&tally, 2);
    // 45 % of attempts succeed; with 2 retries about 83 % of calls should.
    assert!(
        tally.gets_ok >= 70,
        "only {} of {} GETs got through",
        tally.gets_ok,
        tally.gets
    );
    assert!(tally.keyed_posts_ok >= 12, "{tally:?}");
    assert!(
        tally.plain_posts_ok < tally.plain_posts,
        "some POSTs without a key must fail: they are never retried"
    );
}

#[tokio::test]
#[ignore = "about a minute: the default policy's real backoffs"]
async fn the_default_policy_under_chaos() {
    let tally = run(
        7,
        200,
        0,
        RetryPolicy::default(),
        Duration::from_millis(300),
    )
    .await;
    report("default policy", &tally);
    assert_bounds(&tally, 2);
}
