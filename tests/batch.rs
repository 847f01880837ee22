//! Batch sends against a stand-in of the send endpoint on 127.0.0.1 that applies each
//! idempotency key once, replays a repeated key's answer, refuses a key reused with another
//! body, enforces a rate limit and injects faults (503 before and after applying, connections
//! reset after applying): every row is applied exactly once across hard stops, reruns and
//! overlapping runs.

mod common;
mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::API_KEY;
use pilot_status::batch::{BatchError, BatchRow, BatchSummary, JournalOutcome, RowStatus};
use pilot_status::prelude::*;
use pilot_status::types::SendDestination;
use pilot_status::{Client, RetryPolicy};
use pilot_status_send_server::{Answer, Faults, Refusal, SendServer, Settings};

fn recipient(index: usize) -> String {
    format!("+5511{index:09}")
}

/// `count` rows, `customer-<i>`, each a template to its own recipient.
fn rows(count: usize) -> Vec<BatchRow> {
    (0..count)
        .map(|index| {
            let name = format!("Cliente {index}");
            let body = SendDestination::contact(recipient(index))
                .template("promo_dez", [("nome", name.as_str())]);
            BatchRow::new(format!("customer-{index}"), body)
        })
        .collect()
}

/// Quick retries, so faults cost milliseconds.
fn client(server: &SendServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(40)),
        )
        .build()
        .expect("a valid configuration")
}

/// A journal path of this test process.
fn journal(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "pilot-status-batch-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

/// The journal's lines after its header, as JSON.
fn journal_lines(path: &PathBuf) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("the journal")
        .lines()
        .skip(1)
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// Recipients whose row the server refuses on purpose: every 97th, by 400, 402 or 403.
fn refusal(body: &serde_json::Value) -> Option<Refusal> {
    let number = body["destinationNumber"].as_str()?;
    let index: usize = number.strip_prefix("+5511")?.parse().ok()?;
    (index % 97 == 5).then_some(match index % 3 {
        0 => Refusal {
            status: 400,
            code: "VALIDATION_ERROR",
        },
        1 => Refusal {
            status: 402,
            code: "PAYMENT_FAILED",
        },
        _ => Refusal {
            status: 403,
            code: "NUMBER_SCOPE_NOT_ALLOWED",
        },
    })
}

fn faulty(rate_limit: u32) -> Settings {
    Settings {
        rate_limit: Some(rate_limit),
        burst: None,
        latency: Duration::from_millis(2),
        faults: Faults {
            unavailable: 0.03,
            unavailable_after_apply: 0.03,
            cut_after_apply: 0.04,
        },
        seed: 29,
        refuse: Some(Arc::new(refusal)),
    }
}

/// Every recipient applied exactly once, except the refused ones, never applied.
fn assert_each_applied_once(server: &SendServer, count: usize) {
    let applied = server.applied_per_recipient();
    let mut missing = Vec::new();
    for index in 0..count {
        let number = recipient(index);
        let times = applied.get(&number).copied().unwrap_or(0);
        let refused = refusal(&serde_json::json!({"destinationNumber": number})).is_some();
        let expected = u32::from(!refused);
        if times != expected {
            missing.push((number, times, expected));
        }
    }
    assert!(
        missing.is_empty(),
        "(recipient, applied, expected): {missing:?}"
    );
    assert_eq!(applied.values().filter(|times| **times > 1).count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rows_are_each_applied_once_through_faults_and_two_hard_stops() {
    const ROWS: usize = 1000;
    let server = SendServer::start(faulty(150)).await;
    let path = journal("hard-stops");
    let mut seen = BTreeMap::new();
    let mut lowest_concurrency = usize::MAX;
    // Two runs stopped hard after some outcomes (the stream dropped with sends in flight, a
    // line of the journal cut short), then one to the end.
    for (run, stop_after) in [(1, Some(300)), (2, Some(350)), (3, None)] {
        let mut outcomes = client(&server)
            .messages()
            .send_batch("spring-promo", rows(ROWS))
            .concurrency(8)
            .journal(&path)
            .outcomes()
            .expect("the journal opens");
        let mut taken = 0;
        while let Some(outcome) = outcomes.next().await {
            let outcome = outcome.expect("the batch goes on");
            lowest_concurrency = lowest_concurrency.min(outcomes.current_concurrency());
            let kind = match &outcome.status {
                RowStatus::Sent(_) => "sent",
                RowStatus::Refused(_) => "refused",
                RowStatus::Skipped(_) => "skipped",
                RowStatus::Failed(error) => panic!("{}: {error}", outcome.row),
                other => panic!("{other:?}"),
            };
            *seen.entry((run, kind)).or_insert(0) += 1;
            taken += 1;
            if Some(taken) == stop_after {
                break;
            }
        }
        drop(outcomes);
        if stop_after.is_some() {
            // The process died in the middle of writing a line.
            let mut text = std::fs::read(&path).expect("the journal");
            text.extend_from_slice(br#"{"row":"customer-999","idempotencyKey":"batch-"#);
            std::fs::write(&path, text).expect("the journal");
        }
    }
    assert_each_applied_once(&server, ROWS);
    let refused = (0..ROWS).filter(|index| index % 97 == 5).count();
    // The second run skipped the first's 300 outcomes and added 50; the third skips those
    // 350 and finishes the rest.
    assert_eq!(seen[&(2, "skipped")], 300, "{seen:?}");
    assert_eq!(seen[&(3, "skipped")], 350, "{seen:?}");
    assert_eq!(
        seen[&(3, "sent")] + seen.get(&(3, "refused")).copied().unwrap_or(0),
        650,
        "the third run finished the rest: {seen:?}"
    );
    // The journal has a final outcome for every row: each refused row once, each sent row
    // (a row in flight at a stop may be recorded by the next run as replayed).
    let lines = journal_lines(&path);
    let mut outcomes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in &lines {
        outcomes
            .entry(line["row"].as_str().unwrap_or_default().to_owned())
            .or_default()
            .push(line["outcome"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(outcomes.len(), ROWS, "every row has an outcome");
    assert!(
        outcomes.values().all(|kinds| kinds.len() == 1),
        "one line per row"
    );
    assert_eq!(
        outcomes
            .values()
            .filter(|kinds| kinds[0] == "refused")
            .count(),
        refused
    );
    let answers = server.answers();
    eprintln!("answers: {answers:?}; lowest concurrency {lowest_concurrency}");
    for fault in [
        Answer::Throttled,
        Answer::Unavailable,
        Answer::AppliedThenUnavailable,
        Answer::AppliedThenCut,
        Answer::Replayed,
    ] {
        assert!(answers.contains_key(&fault), "no {fault:?}: {answers:?}");
    }
    assert!(
        lowest_concurrency < 8,
        "the batch slowed down when throttled"
    );
    let _ = std::fs::remove_file(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_input_twice_without_a_journal_sends_nothing_new() {
    const ROWS: usize = 200;
    let server = SendServer::start(faulty(2000)).await;
    let first = client(&server)
        .messages()
        .send_batch("welcome-wave", rows(ROWS))
        .run()
        .await
        .expect("the first run");
    let applied = server.applied();
    let refused = (0..ROWS).filter(|index| index % 97 == 5).count() as u64;
    assert_eq!(first.refused, refused);
    assert_eq!(first.sent, ROWS as u64 - refused);
    assert_eq!(applied, ROWS as u64 - refused);

    let second = client(&server)
        .messages()
        .send_batch("welcome-wave", rows(ROWS))
        .run()
        .await
        .expect("the second run");
    assert_eq!(server.applied(), applied, "0 new sends the second time");
    assert_eq!(
        second,
        BatchSummary {
            sent: ROWS as u64 - refused,
            replayed: ROWS as u64 - refused,
            refused,
            skipped: 0,
            failed: 0,
        },
        "every send answered from the stored result"
    );
    assert_each_applied_once(&server, ROWS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_overlapping_runs_of_one_batch_apply_each_row_once() {
    const ROWS: usize = 150;
    // Slow sends, so the runs meet on keys still in use.
    let server = SendServer::start(Settings {
        latency: Duration::from_millis(30),
        ..Settings::default()
    })
    .await;
    let run = |client: Client| async move {
        client
            .messages()
            .send_batch("overlap", rows(ROWS))
            .concurrency(16)
            .run()
            .await
    };
    let (first, second) = tokio::join!(run(client(&server)), run(client(&server)));
    let (first, second) = (first.expect("run 1"), second.expect("run 2"));
    assert_eq!(server.applied(), ROWS as u64);
    assert!(
        server
            .applied_per_recipient()
            .values()
            .all(|times| *times == 1)
    );
    assert_eq!((first.sent, second.sent), (ROWS as u64, ROWS as u64));
    assert_eq!(
        first.replayed + second.replayed,
        ROWS as u64,
        "each row sent by one run and replayed to the other"
    );
    assert!(
        server.answers().contains_key(&Answer::InUse),
        "the runs met on a key in use: {:?}",
        server.answers()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_recorded_and_skipped_on_resume_unless_retried() {
    const ROWS: usize = 200;
    let refusing = Arc::new(AtomicBool::new(true));
    let server = SendServer::start(Settings {
        refuse: Some(Arc::new({
            let refusing = Arc::clone(&refusing);
            move |body| {
                if refusing.load(Ordering::SeqCst) {
                    refusal(body)
                } else {
                    None
                }
            }
        })),
        ..Settings::default()
    })
    .await;
    let path = journal("refusals");
    let batch = |retry_refused: bool| {
        client(&server)
            .messages()
            .send_batch("refusals", rows(ROWS))
            .journal(&path)
            .retry_refused(retry_refused)
    };
    let mut outcomes = batch(false).outcomes().expect("the journal opens");
    let mut codes = Vec::new();
    while let Some(outcome) = outcomes.try_next().await.expect("the batch goes on") {
        if let RowStatus::Refused(error) = &outcome.status {
            codes.push((
                error.status().map(|s| s.as_u16()),
                error.code().map(str::to_owned),
            ));
        }
    }
    codes.sort();
    assert_eq!(
        codes,
        [
            (Some(400), Some("VALIDATION_ERROR".to_owned())),
            (Some(402), Some("PAYMENT_FAILED".to_owned())),
            (Some(403), Some("NUMBER_SCOPE_NOT_ALLOWED".to_owned())),
        ],
        "rows 102, 199 and 5: refused, recorded, and the batch went on"
    );
    let refused: Vec<_> = journal_lines(&path)
        .into_iter()
        .filter(|line| line["outcome"] == "refused")
        .collect();
    assert_eq!(refused.len(), 3);
    assert!(
        refused
            .iter()
            .all(|line| line["status"].is_u64() && line["code"].is_string()),
        "{refused:?}"
    );

    let again = batch(false).run().await.expect("a rerun");
    assert_eq!((again.skipped, again.sent), (ROWS as u64, 0), "{again:?}");

    refusing.store(false, Ordering::SeqCst);
    let retried = batch(true).run().await.expect("a rerun retrying refusals");
    assert_eq!(
        (retried.skipped, retried.sent),
        (ROWS as u64 - 3, 3),
        "{retried:?}"
    );
    assert_eq!(server.applied(), ROWS as u64);
    let lines = journal_lines(&path);
    let last = lines.last().expect("a line");
    assert_eq!(last["outcome"], "sent");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_refused_credential_stops_the_batch() {
    let server = support::Server::start(|_, _| {
        support::Reply::json(401, r#"{"error":"invalid key","code":"UNAUTHORIZED"}"#)
    })
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .build()
        .expect("a client");
    let error = client
        .messages()
        .send_batch("stops", rows(100))
        .concurrency(4)
        .run()
        .await
        .expect_err("the batch stops");
    assert!(
        matches!(&error, BatchError::Stopped { source, .. } if source.kind() == ErrorKind::Authentication),
        "{error}"
    );
    assert!(!error.to_string().contains(API_KEY));
    assert!(
        server.requests().len() <= 4,
        "no row after the stop was started"
    );
}

#[tokio::test]
async fn a_journal_belongs_to_one_batch() {
    let server = SendServer::start(Settings::default()).await;
    let path = journal("one-batch");
    let summary = client(&server)
        .messages()
        .send_batch("batch-a", rows(3))
        .journal(&path)
        .run()
        .await
        .expect("batch a");
    assert_eq!(summary.sent, 3);
    let error = client(&server)
        .messages()
        .send_batch("batch-b", rows(3))
        .journal(&path)
        .outcomes()
        .expect_err("another batch's journal");
    assert!(matches!(error, BatchError::OtherBatch { .. }), "{error}");
    assert!(error.to_string().contains("batch-a"), "{error}");
    let entries = journal_lines(&path);
    assert!(entries.iter().all(|line| {
        line["outcome"] == "sent"
            && line["messageId"]
                .as_str()
                .is_some_and(|id| id.starts_with("msg_"))
    }));
    assert_eq!(
        JournalOutcome::Sent,
        serde_json::from_value(entries[0]["outcome"].clone()).expect("an outcome")
    );
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn an_accepted_send_whose_answer_cannot_be_read_is_sent() {
    // 202 with a body that is not JSON, and one that deviates from SentMessage (no id).
    let server = support::Server::start(|_, request| {
        if String::from_utf8_lossy(&request.body).contains("+5511000000000") {
            support::Reply::Respond {
                status: 202,
                headers: vec![("content-type".into(), "text/plain".into())],
                body: b"queued".to_vec(),
            }
        } else {
            support::Reply::json(202, r#"{"status":"QUEUED"}"#)
        }
    })
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .build()
        .expect("a client");
    let path = journal("accepted");
    let mut outcomes = client
        .messages()
        .send_batch("accepted", rows(2))
        .journal(&path)
        .outcomes()
        .expect("the journal opens");
    let mut sent = Vec::new();
    while let Some(outcome) = outcomes.try_next().await.expect("the batch goes on") {
        match outcome.status {
            RowStatus::Sent(row) => sent.push((
                outcome.row,
                row.message_id,
                row.response.map(|response| response.deviations().len()),
            )),
            other => panic!("{}: {other:?}", outcome.row),
        }
    }
    sent.sort();
    assert_eq!(
        sent,
        [
            ("customer-0".to_owned(), None, None),
            ("customer-1".to_owned(), None, Some(4)),
        ],
        "both accepted: no id to name, the idempotency key is the handle"
    );
    assert_eq!(server.requests().len(), 2, "neither was sent again");
    let lines = journal_lines(&path);
    assert!(lines.iter().all(|line| {
        line["outcome"] == "sent"
            && line["idempotencyKey"]
                .as_str()
                .is_some_and(|key| key.starts_with("batch-"))
    }));
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn rows_without_an_answer_fail_and_a_rerun_sends_them_under_the_same_keys() {
    let healthy = Arc::new(AtomicBool::new(false));
    let server = support::Server::start({
        let healthy = Arc::clone(&healthy);
        move |_, _| {
            if healthy.load(Ordering::SeqCst) {
                support::Reply::json(202, common::SENT_MESSAGE)
            } else {
                support::Reply::json(503, r#"{"code":"UPSTREAM_UNAVAILABLE"}"#)
            }
        }
    })
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");
    let path = journal("failed");
    let batch = || {
        client
            .messages()
            .send_batch("failing", rows(5))
            .journal(&path)
            .row_attempts(2)
    };
    let first = batch().run().await.expect("the batch ends");
    assert_eq!((first.failed, first.sent), (5, 0));
    assert!(!first.is_complete());
    let failed: Vec<_> = journal_lines(&path)
        .into_iter()
        .filter(|line| line["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 5, "recorded, not final");
    assert!(
        failed[0]["error"]
            .as_str()
            .is_some_and(|error| error.contains("503")),
        "{failed:?}"
    );
    healthy.store(true, Ordering::SeqCst);
    let second = batch().run().await.expect("the rerun");
    assert_eq!((second.sent, second.skipped, second.failed), (5, 0, 0));
    assert!(second.is_complete());
    let keys = |requests: &[support::Request]| {
        let mut keys: Vec<String> = requests
            .iter()
            .filter_map(|request| request.header("idempotency-key").map(str::to_owned))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    assert_eq!(
        keys(&server.requests()).len(),
        5,
        "the same five keys every time"
    );
    let _ = std::fs::remove_file(&path);
}
