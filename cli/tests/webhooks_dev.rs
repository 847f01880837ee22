//! `webhooks trigger` into `webhooks listen`: every documented event, signed with the SDK's
//! fixtures by one process and verified by the SDK's verifier in the other, round-trips.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pilot_status::mock::webhooks::{every_event, every_phone_line_event};
use pilot_status::webhooks::{Event, PhoneLineEventKind};
use serde_json::Value;

/// A running `webhooks listen`: the process, its address, and what it wrote on standard
/// error so far.
struct Listener {
    child: Child,
    url: String,
    stderr: mpsc::Receiver<String>,
}

/// Starts `pilot-status webhooks listen --port 0 <arguments>` and waits for the line that
/// says where it listens.
fn listen(arguments: &[&str]) -> Listener {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilot-status"))
        .args(["webhooks", "listen", "--port", "0"])
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the listener starts");
    let stderr = child.stderr.take().expect("a stderr pipe");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let first = received
        .recv_timeout(Duration::from_secs(20))
        .expect("the listener says where it listens");
    let url = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("not the listening line: {first}"))
        .to_owned();
    Listener {
        child,
        url,
        stderr: received,
    }
}

impl Listener {
    /// Waits for the listener to stop by itself (`--max-events`), and returns its status,
    /// standard output and the rest of standard error.
    fn finish(mut self) -> (i32, String, Vec<String>) {
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .expect("a stdout pipe")
            .read_to_string(&mut stdout)
            .expect("stdout reads");
        let status = self.child.wait().expect("the listener stops");
        let stderr: Vec<String> = self.stderr.try_iter().collect();
        (status.code().unwrap_or(-1), stdout, stderr)
    }
}

fn secret_file(name: &str, secret: &str) -> String {
    let file = std::env::temp_dir().join(format!(
        "pilot-status-webhooks-dev-{name}-{}",
        std::process::id()
    ));
    std::fs::write(&file, format!("{secret}\n")).expect("the secret is written");
    file.to_string_lossy().into_owned()
}

fn trigger(url: &str, secret: &str, events: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pilot-status"))
        .args(["webhooks", "trigger"])
        .args(events)
        .args(["--to", url, "--secret-file", secret])
        .stdin(Stdio::null())
        .output()
        .expect("trigger runs")
}

#[test]
fn trigger_into_listen_round_trips_every_documented_event() {
    let number: Vec<Value> = every_event()
        .into_iter()
        .filter(|event| !matches!(event, Event::Unknown { .. }))
        .map(|event| serde_json::to_value(&event).expect("JSON"))
        .collect();
    let phone_line: Vec<Value> = every_phone_line_event()
        .into_iter()
        .filter(|event| !matches!(event.kind, PhoneLineEventKind::Unknown { .. }))
        .map(|event| serde_json::to_value(&event).expect("JSON"))
        .collect();
    let listed = Command::new(env!("CARGO_BIN_EXE_pilot-status"))
        .args(["webhooks", "trigger", "--list"])
        .output()
        .expect("--list runs");
    let listed: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(listed.len(), number.len() + phone_line.len(), "{listed:?}");

    for (kind, secret, expected) in [
        ("number", "whsec_round_trip", number),
        ("phone-line", "plwh_round_trip", phone_line),
    ] {
        let names: Vec<String> = expected
            .iter()
            .map(|event| event["event"].as_str().expect("a name").to_owned())
            .collect();
        assert!(names.iter().all(|name| listed.contains(name)), "{kind}");
        let file = secret_file(kind, secret);
        let count = expected.len().to_string();
        let listener = listen(&["--secret-file", &file, "--max-events", &count]);
        let sent = trigger(&listener.url, &file, &names);
        assert_eq!(
            sent.status.code(),
            Some(0),
            "{kind}: {}",
            String::from_utf8_lossy(&sent.stderr)
        );
        let answers: Vec<Value> = String::from_utf8_lossy(&sent.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line per delivery"))
            .collect();
        assert!(
            answers.iter().all(|answer| answer["status"] == 200),
            "{answers:?}"
        );
        let (status, stdout, stderr) = listener.finish();
        assert_eq!(status, 0, "{kind}: {stderr:?}");
        let received: Vec<Value> = stdout
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line per event"))
            .collect();
        assert_eq!(
            received, expected,
            "{kind}: every event, as the SDK typed it"
        );
        assert!(
            !stderr.iter().any(|line| line.contains("differs")),
            "{kind}: no deviation: {stderr:?}"
        );
        let _ = std::fs::remove_file(&file);
    }
}
