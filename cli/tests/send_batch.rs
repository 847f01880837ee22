//! `pilot-status messages send-batch` against a stand-in of the send endpoint on 127.0.0.1
//! that applies each idempotency key once, replays repeated keys, enforces a rate limit and
//! injects faults: the binary killed (SIGKILL) twice and resumed sends every row exactly once;
//! shards split the rows without overlap; bad input is refused before anything is sent.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pilot_status_send_server::{Answer, Faults, Refusal, SendServer, Settings};
use serde_json::{Value, json};

const KEY: &str = "ps_cli_batch_4d1e0c5a";

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pilot-status-send-batch-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn recipient(index: usize) -> String {
    format!("+5511{index:09}")
}

/// Every 97th row is refused by the server on purpose (402).
fn refused(index: usize) -> bool {
    index % 97 == 5
}

fn refusal(body: &Value) -> Option<Refusal> {
    let index: usize = body["destinationNumber"]
        .as_str()?
        .strip_prefix("+5511")?
        .parse()
        .ok()?;
    refused(index).then_some(Refusal {
        status: 402,
        code: "PAYMENT_FAILED",
    })
}

/// `count` JSON lines, each a template send with its own row key.
fn json_lines(count: usize) -> String {
    (0..count)
        .map(|index| {
            json!({
                "rowKey": format!("customer-{index}"),
                "destinationNumber": recipient(index),
                "templateId": "promo_dez",
                "variables": {"nome": format!("Cliente {index}")},
            })
            .to_string()
                + "\n"
        })
        .collect()
}

/// The command, with the key in the environment and the server as its base URL.
fn send_batch(server: &SendServer, arguments: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pilot-status"));
    command
        .args(["messages", "send-batch", "--base-url", &server.url()])
        .args(arguments)
        .env_remove("PILOT_STATUS_API_KEY_ID")
        .env_remove("PILOT_STATUS_NUMBER_ID")
        .env_remove("PILOT_STATUS_BASE_URL")
        .env_remove("PILOT_STATUS_PROFILE")
        .env("PILOT_STATUS_API_KEY", KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// What a finished run left.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn summary(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|error| {
            panic!(
                "a JSON summary ({error}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

async fn finish(child: Child) -> Run {
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("the wait")
        .expect("the binary finishes");
    let run = Run {
        status: output.status.code().expect("an exit code, not a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "the API key appeared in the output"
    );
    run
}

async fn run(command: &mut Command) -> Run {
    finish(command.spawn().expect("the binary starts")).await
}

/// Starts the command and kills it (SIGKILL) once the server has applied `applied` sends.
async fn kill_after(server: &SendServer, command: &mut Command, applied: u64) {
    let mut child = command.spawn().expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.applied() < applied {
        if let Some(status) = child.try_wait().expect("the child's status") {
            let run = finish(child).await;
            panic!(
                "the run ended ({status}) before {applied} sends:\n{}",
                run.stderr
            );
        }
        assert!(Instant::now() < deadline, "no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("SIGKILL");
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("the wait")
        .expect("the killed child");
    assert!(status.code().is_none(), "killed by a signal: {status}");
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rows_killed_twice_and_resumed_are_each_applied_exactly_once() {
    const ROWS: usize = 1000;
    let server = SendServer::start(Settings {
        // Sends go faster than this, so each run meets the limit.
        rate_limit: Some(150),
        burst: Some(50),
        latency: Duration::from_millis(2),
        faults: Faults {
            unavailable: 0.03,
            unavailable_after_apply: 0.03,
            cut_after_apply: 0.04,
        },
        seed: 1000,
        refuse: Some(Arc::new(refusal)),
    })
    .await;
    let dir = scratch("kill");
    let input = dir.join("promo.jsonl");
    let journal = dir.join("promo.journal.jsonl");
    std::fs::write(&input, json_lines(ROWS)).expect("the input");
    let arguments = [
        "--input",
        path_text(&input),
        "--journal",
        path_text(&journal),
        "--batch-id",
        "promo-2026-12",
        "--retries",
        "3",
    ];

    kill_after(&server, &mut send_batch(&server, &arguments), 300).await;
    let after_first = server.applied();
    kill_after(
        &server,
        &mut send_batch(&server, &arguments),
        after_first + 300,
    )
    .await;
    let after_second = server.applied();
    assert!(after_second < 990, "the second kill came mid-batch");
    let last = run(&mut send_batch(&server, &arguments)).await;

    assert_eq!(last.status, 0, "{}", last.stderr);
    let summary = last.summary();
    let refusals = (0..ROWS).filter(|index| refused(*index)).count() as u64;
    assert_eq!(summary["batchId"], "promo-2026-12");
    assert_eq!(summary["rows"], ROWS as u64, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    assert!(
        summary["skipped"]
            .as_u64()
            .is_some_and(|skipped| skipped >= 400),
        "the journal's rows were skipped: {summary}"
    );
    // Every recipient applied exactly once, none lost, none doubled; refused ones never.
    let applied = server.applied_per_recipient();
    for index in 0..ROWS {
        let times = applied.get(&recipient(index)).copied().unwrap_or(0);
        assert_eq!(
            times,
            u32::from(!refused(index)),
            "{} applied {times} times",
            recipient(index)
        );
    }
    assert_eq!(server.applied(), ROWS as u64 - refusals);
    // The journal ends with a final outcome for every row.
    let text = std::fs::read_to_string(&journal).expect("the journal");
    let mut rows = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        // A line a kill cut short was dropped by the next run; no other is broken.
        let entry: Value = serde_json::from_str(line).expect("a whole JSON line");
        rows.insert(
            entry["row"].as_str().unwrap_or_default().to_owned(),
            entry["outcome"].as_str().unwrap_or_default().to_owned(),
        );
    }
    assert_eq!(rows.len(), ROWS);
    assert_eq!(
        rows.values()
            .filter(|outcome| *outcome == "refused")
            .count() as u64,
        refusals
    );
    assert!(
        rows.values()
            .all(|outcome| outcome == "sent" || outcome == "refused")
    );
    assert!(last.stderr.contains("refused customer-"), "{}", last.stderr);
    let answers = server.answers();
    eprintln!("answers: {answers:?}");
    for fault in [
        Answer::Throttled,
        Answer::Unavailable,
        Answer::AppliedThenUnavailable,
        Answer::AppliedThenCut,
    ] {
        assert!(answers.contains_key(&fault), "no {fault:?}: {answers:?}");
    }

    // Once more with the same journal: nothing left to send.
    let again = run(&mut send_batch(&server, &arguments)).await;
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_eq!(again.summary()["skipped"], ROWS as u64);
    assert_eq!(server.applied(), ROWS as u64 - refusals);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_rows_in_three_shards_are_each_sent_by_one_shard() {
    const ROWS: usize = 90;
    let server = SendServer::start(Settings::default()).await;
    let dir = scratch("shards");
    let input = dir.join("rows.csv");
    let mut csv = String::from("destinationNumber,templateId,variables.nome,markRead\n");
    for index in 0..ROWS {
        csv.push_str(&format!(
            "{},promo_dez,\"Silva, {index}\",{}\n",
            recipient(index),
            if index % 2 == 0 { "true" } else { "" }
        ));
    }
    std::fs::write(&input, csv).expect("the input");
    let shard = |index: usize| {
        let journal = dir.join(format!("shard-{index}.jsonl"));
        send_batch(
            &server,
            &[
                "--input",
                path_text(&input),
                "--journal",
                path_text(&journal),
                "--shard",
                &format!("{index}/3"),
            ],
        )
        .spawn()
        .expect("the binary starts")
    };
    let children: Vec<Child> = (1..=3).map(shard).collect();
    let mut sent = 0;
    let mut batch_ids = std::collections::BTreeSet::new();
    for child in children {
        let run = finish(child).await;
        assert_eq!(run.status, 0, "{}", run.stderr);
        let summary = run.summary();
        sent += summary["sent"].as_u64().expect("a count");
        assert_eq!(summary["replayed"], 0, "no row went to two shards");
        batch_ids.insert(summary["batchId"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(sent, ROWS as u64);
    assert_eq!(batch_ids.len(), 1, "one batch id, from the whole input");
    assert!(batch_ids.iter().all(|id| id.starts_with("input-")));
    assert_eq!(server.applied(), ROWS as u64);
    assert!(
        server
            .applied_per_recipient()
            .values()
            .all(|times| *times == 1)
    );
    // The shards together, run again without their journals: the keys make it harmless.
    let everything = run(&mut send_batch(
        &server,
        &[
            "--input",
            path_text(&input),
            "--journal",
            path_text(&dir.join("all.jsonl")),
        ],
    ))
    .await;
    assert_eq!(everything.status, 0, "{}", everything.stderr);
    assert_eq!(everything.summary()["replayed"], ROWS as u64);
    assert_eq!(server.applied(), ROWS as u64, "0 new sends");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_refused_before_anything_is_sent() {
    let server = SendServer::start(Settings::default()).await;
    let dir = scratch("bad");
    let journal = dir.join("journal.jsonl");
    let cases = [
        (
            "{\"destinationNumber\":\"+551100\",\"text\":\"Oi\"}\n{\"destinationNumber\":\"+551101\",\"txt\":\"Oi\"}\n",
            "line 2: SendMessageInput declares no `txt`",
        ),
        (
            "{\"destinationNumber\":\"+551100\",\"text\":\"Oi\"}\n{\"destinationNumber\":\"+551100\",\"text\":\"Olá\"}\n",
            "line 2: the row key \"+551100\" of line 1 names another message here",
        ),
        (
            "{\"text\":\"Oi\"}\n",
            "line 1: no `rowKey` and no destination",
        ),
        ("[1]\n", "line 1: expected a JSON object"),
    ];
    for (index, (rows, message)) in cases.into_iter().enumerate() {
        let input = dir.join(format!("bad-{index}.jsonl"));
        std::fs::write(&input, rows).expect("the input");
        let bad = run(&mut send_batch(
            &server,
            &[
                "--input",
                path_text(&input),
                "--journal",
                path_text(&journal),
            ],
        ))
        .await;
        assert_eq!(bad.status, 2, "{}", bad.stderr);
        assert!(bad.stderr.contains(message), "{message}: {}", bad.stderr);
    }
    let input = dir.join("rows.csv");
    std::fs::write(&input, "destinationNumber,nickname\n+551100,Ana\n").expect("the input");
    let bad = run(&mut send_batch(
        &server,
        &[
            "--input",
            path_text(&input),
            "--journal",
            path_text(&journal),
        ],
    ))
    .await;
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr.contains("the column `nickname` is not a member"),
        "{}",
        bad.stderr
    );
    assert!(server.log().is_empty(), "nothing was sent");

    // A duplicate row (same key, same body) is sent once.
    let input = dir.join("duplicate.jsonl");
    std::fs::write(
        &input,
        "{\"destinationNumber\":\"+551100\",\"text\":\"Oi\"}\n{\"destinationNumber\":\"+551100\",\"text\":\"Oi\"}\n",
    )
    .expect("the input");
    let duplicate = run(&mut send_batch(
        &server,
        &[
            "--input",
            path_text(&input),
            "--journal",
            path_text(&journal),
        ],
    ))
    .await;
    assert_eq!(duplicate.status, 0, "{}", duplicate.stderr);
    assert!(
        duplicate.stderr.contains("line 2 repeats line 1"),
        "{}",
        duplicate.stderr
    );
    assert_eq!(duplicate.summary()["sent"], 1);

    // The journal now belongs to that batch; another batch id is refused.
    let other = run(&mut send_batch(
        &server,
        &[
            "--input",
            path_text(&input),
            "--journal",
            path_text(&journal),
            "--batch-id",
            "another",
        ],
    ))
    .await;
    assert_eq!(other.status, 2, "{}", other.stderr);
    assert!(
        other.stderr.contains("belongs to the batch"),
        "{}",
        other.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
