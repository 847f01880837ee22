//! The `pilot-status` binary against a server on 127.0.0.1: what it sends, prints and
//! exits with. Every run also checks that the API key appears in no output.

mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use pilot_status::mock::webhooks::{self, SignedDelivery};
use pilot_status::webhooks::{Event, PhoneLineEventKind};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "ps_cli_test_9f2c61d07be4";

/// What a run of the binary left behind.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Standard output as JSON documents, one per line.
    fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is a JSON document"))
            .collect()
    }
}

/// How to run it.
struct Pilot {
    arguments: Vec<String>,
    environment: Vec<(String, String)>,
    stdin: Vec<u8>,
}

fn pilot(arguments: &[&str]) -> Pilot {
    Pilot {
        arguments: arguments.iter().map(|a| (*a).to_owned()).collect(),
        environment: vec![("PILOT_STATUS_API_KEY".to_owned(), KEY.to_owned())],
        stdin: Vec::new(),
    }
}

impl Pilot {
    fn against(mut self, server: &MockServer) -> Self {
        self.arguments
            .extend(["--base-url".to_owned(), server.uri()]);
        self
    }

    fn without_key(mut self) -> Self {
        self.environment.clear();
        self
    }

    fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = bytes.into();
        self
    }

    async fn run(self) -> Run {
        let output = tokio::task::spawn_blocking(move || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_pilot-status"));
            command
                .args(&self.arguments)
                .env_remove("PILOT_STATUS_API_KEY")
                .env_remove("PILOT_STATUS_API_KEY_ID")
                .env_remove("PILOT_STATUS_NUMBER_ID")
                .env_remove("PILOT_STATUS_BASE_URL")
                .env_remove("PILOT_STATUS_PROFILE")
                .env_remove("PILOT_STATUS_DEBUG")
                // No profile `auth login` made for the person running the tests.
                .env("PILOT_STATUS_CONFIG_DIR", no_profiles())
                .envs(self.environment.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = command.spawn().expect("the binary starts");
            let mut stdin = child.stdin.take().expect("a stdin pipe");
            stdin.write_all(&self.stdin).expect("stdin takes the input");
            drop(stdin);
            child.wait_with_output().expect("the binary finishes")
        })
        .await
        .expect("the run completes");
        let run = Run {
            status: output.status.code().expect("an exit code, not a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
            "the API key appeared in the output:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run
    }
}

/// A configuration directory with no profiles in it (it is never created).
fn no_profiles() -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "pilot-status-cli-no-profiles-{}",
        std::process::id()
    ))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON request body")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_send_posts_the_typed_body_and_prints_the_sent_message() {
    let server = MockServer::start().await;
    let sent = support::example("messages.send");
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .and(header("x-api-key", KEY))
        .and(header("x-whatsapp-number-id", "num_01HZX"))
        .respond_with(ResponseTemplate::new(202).set_body_json(&sent))
        .expect(1)
        .mount(&server)
        .await;

    let run = pilot(&[
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--text",
        "Oi",
        "--number-id",
        "num_01HZX",
    ])
    .against(&server)
    .run()
    .await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.lines(), vec![sent], "piped output is one compact line");
    let requests = requests(&server).await;
    assert_eq!(
        body_of(&requests[0]),
        json!({"destinationNumber": "+5511988887777", "text": "Oi", "variables": {}}),
        "the body went through SendMessageInput (variables is always sent)"
    );
    let agent = requests[0]
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(agent.starts_with("pilot-status-cli/"), "{agent}");
}

#[tokio::test(flavor = "multi_thread")]
async fn required_parameters_are_positional_and_switches_send_1() {
    let server = MockServer::start().await;
    let number = support::example("numbers.get");
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .and(query_param("refresh", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&number))
        .expect(1)
        .mount(&server)
        .await;

    let run = pilot(&[
        "numbers",
        "get",
        "num_01",
        "--refresh",
        "--format",
        "pretty",
    ])
    .against(&server)
    .run()
    .await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n  \""), "--format pretty indents");
    let printed: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(printed["id"], number["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_streams_every_page_as_json_lines() {
    let server = MockServer::start().await;
    let example = support::example("messages.history");
    let message = example["messages"][0].clone();
    let page = |number: i64, ids: &[&str]| {
        let mut page = example.clone();
        page["messages"] = ids
            .iter()
            .map(|id| {
                let mut message = message.clone();
                message["id"] = json!(id);
                message
            })
            .collect();
        page["page"] = json!(number);
        page["totalPages"] = json!(2);
        page
    };
    for (number, ids) in [(1, &["cm_1", "cm_2"][..]), (2, &["cm_3"][..])] {
        Mock::given(method("GET"))
            .and(path("/v1/messages/history"))
            .and(query_param("page", number.to_string()))
            .and(query_param("pageSize", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(number, ids)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let run = pilot(&["messages", "history", "--all", "--page-size", "2"])
        .against(&server)
        .run()
        .await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    let ids: Vec<Value> = run.lines().iter().map(|m| m["id"].clone()).collect();
    assert_eq!(ids, vec![json!("cm_1"), json!("cm_2"), json!("cm_3")]);
    assert!(
        !run.stderr.contains("items"),
        "no progress line when stderr is not a terminal: {}",
        run.stderr
    );
}

/// `--all` on a terminal: a progress line on standard error while the pages arrive (the run
/// above checks there is none when piped). The terminal is util-linux's `script`, a
/// pseudo-terminal for the command it runs.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn all_shows_progress_on_a_terminal() {
    let server = MockServer::start().await;
    let example = support::example("messages.history");
    for number in 1..=3 {
        let mut page = example.clone();
        page["page"] = json!(number);
        page["totalPages"] = json!(3);
        Mock::given(method("GET"))
            .and(path("/v1/messages/history"))
            .and(query_param("page", number.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page)
                    // Slow enough for the line to be drawn between pages.
                    .set_delay(std::time::Duration::from_millis(400)),
            )
            .mount(&server)
            .await;
    }
    let command_line = format!(
        "{} messages history --all --base-url {} --format jsonl",
        env!("CARGO_BIN_EXE_pilot-status"),
        server.uri()
    );
    let output = tokio::task::spawn_blocking(move || {
        Command::new("script")
            .args(["-qec", &command_line, "/dev/null"])
            .env("PILOT_STATUS_API_KEY", KEY)
            .env_remove("PILOT_STATUS_PROFILE")
            .env("PILOT_STATUS_CONFIG_DIR", no_profiles())
            .env("TERM", "xterm")
            .stdin(Stdio::null())
            .output()
            .expect("util-linux `script` runs (it gives the command a terminal)")
    })
    .await
    .expect("the run completes");
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{terminal}");
    assert!(!terminal.contains(KEY));
    assert!(
        terminal.contains(" items ("),
        "a progress line on the terminal: {terminal:?}"
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_exits_3_with_its_code_and_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Number not found", "code": "NUMBER_NOT_FOUND"})),
        )
        .mount(&server)
        .await;

    let run = pilot(&["numbers", "get", "num_missing"])
        .against(&server)
        .run()
        .await;

    assert_eq!(run.status, 3, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("NUMBER_NOT_FOUND") && run.stderr.contains("Number not found"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_exit_4_and_server_failures_exit_5() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(json!({"error": "Too many requests", "code": "RATE_LIMITED"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/projects"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error": "Maintenance", "code": "UNAVAILABLE"})),
        )
        .mount(&server)
        .await;

    let limited = pilot(&["numbers", "list", "--retries", "0"])
        .against(&server)
        .run()
        .await;
    assert_eq!(limited.status, 4, "{}", limited.stderr);
    assert!(
        limited.stderr.contains("RATE_LIMITED"),
        "{}",
        limited.stderr
    );
    assert!(limited.stderr.contains("wait 7s"), "{}", limited.stderr);

    let failed = pilot(&["projects", "list", "--retries", "0"])
        .against(&server)
        .run()
        .await;
    assert_eq!(failed.status, 5, "{}", failed.stderr);

    // Nothing listens on a port that was bound and let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let uri = format!("http://127.0.0.1:{port}");
    let unreachable = pilot(&["projects", "list", "--retries", "0", "--base-url", &uri])
        .run()
        .await;
    assert_eq!(unreachable.status, 5, "{}", unreachable.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_body_is_a_usage_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        // (arguments, standard input, what the error says)
        (
            vec!["messages", "cancel", "--body", "-"],
            "{not json",
            "not JSON",
        ),
        (
            vec!["messages", "cancel", "--body", "-"],
            r#"{"messageIds": "msg_1"}"#,
            "messageIds",
        ),
        (
            vec!["messages", "cancel", "--body", "-"],
            r#"{"messageId": ["msg_1"]}"#,
            "declares no `messageId`; the members there: messageIds",
        ),
        (
            vec![
                "messages",
                "send",
                "--destination-number",
                "+5511988887777",
                "--body",
                "-",
            ],
            r#"{"text": "Oi", "header": {"type": "text", "txt": "Olá"}}"#,
            "declares no `header.txt`; the members there: content, type",
        ),
        (
            vec![
                "messages",
                "send",
                "--destination-number",
                "+5511988887777",
                "--buttons",
                r#"[{"id": "yes", "label": "Sim", "colour": "green"}]"#,
            ],
            "",
            "declares no `buttons[0].colour`",
        ),
        (
            vec!["messages", "cancel", "--body", "-"],
            "[]",
            "JSON object",
        ),
        (vec!["messages", "send"], "", "needs a body"),
        (
            vec!["billing", "create-checkout", "--amount", "10"],
            "",
            "purpose",
        ),
        (
            vec!["numbers", "update-settings", "num_1", "--always-online=yes"],
            "",
            "true or false",
        ),
        (
            vec!["messages", "history", "--page-size", "many"],
            "",
            "whole number",
        ),
        // An instant must be RFC 3339, with its offset.
        (
            vec!["messages", "history", "--start-date", "2026-06-01"],
            "",
            "is not an RFC 3339 instant",
        ),
        (
            vec![
                "messages",
                "send",
                "--destination-number",
                "+5511988887777",
                "--text",
                "Oi",
                "--deliver-at",
                "2026-06-21T12:00:00",
            ],
            "",
            "is not an RFC 3339 instant",
        ),
    ];
    for (arguments, stdin, says) in cases {
        let run = pilot(&arguments).against(&server).stdin(stdin).run().await;
        assert_eq!(run.status, 2, "{arguments:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{arguments:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{arguments:?}");
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_key_says_what_to_set_and_sends_nothing() {
    let server = MockServer::start().await;
    let run = pilot(&["numbers", "list"])
        .against(&server)
        .without_key()
        .run()
        .await;
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("PILOT_STATUS_API_KEY"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--api-key-file"), "{}", run.stderr);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_traces_each_request_on_stderr_and_never_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("numbers.get")))
        .mount(&server)
        .await;

    // The run itself checks that the key appears in no output (`Pilot::run`).
    let run = pilot(&["numbers", "get", "num_01", "--debug", "--jq", ".id"])
        .against(&server)
        .run()
        .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), support::example("numbers.get")["id"]);
    for expected in [
        "pilot_status.request",
        "operation=\"numbers.get\"",
        "/v1/numbers/num_01",
        "attempt finished",
        "status=503",
        "status=200",
        "attempts=2",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no {expected:?} in:\n{}",
            run.stderr
        );
    }
    // Without --debug: nothing of it.
    let quiet = pilot(&["numbers", "get", "num_01"])
        .against(&server)
        .run()
        .await;
    assert_eq!(quiet.status, 0, "{}", quiet.stderr);
    assert!(
        !quiet.stderr.contains("pilot_status.request"),
        "{}",
        quiet.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_file_authenticates_and_public_calls_send_no_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projects"))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("projects.list")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/remote-pairing/tok_123"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::example("remote_pairing.get_info")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let directory = std::env::temp_dir().join(format!("pilot-status-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    let key_file = directory.join("key.txt");
    std::fs::write(&key_file, format!("{KEY}\n")).expect("the key file is written");
    let key_file = key_file.to_string_lossy().into_owned();

    // A profile exported in the environment gives way to the file named on the command line.
    let mut with_file = pilot(&["projects", "list", "--api-key-file", &key_file])
        .against(&server)
        .without_key();
    with_file
        .environment
        .push(("PILOT_STATUS_PROFILE".to_owned(), "exported".to_owned()));
    let listed = with_file.run().await;
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let both = pilot(&[
        "projects",
        "list",
        "--api-key-file",
        &key_file,
        "--profile",
        "acme",
    ])
    .against(&server)
    .without_key()
    .run()
    .await;
    assert_eq!(both.status, 2, "{}", both.stderr);
    assert!(both.stderr.contains("give one"), "{}", both.stderr);

    let info = pilot(&["remote-pairing", "get-info", "tok_123"])
        .against(&server)
        .without_key()
        .run()
        .await;
    assert_eq!(info.status, 0, "{}", info.stderr);
    let requests = requests(&server).await;
    let public = requests
        .iter()
        .find(|r| r.url.path() == "/v1/remote-pairing/tok_123")
        .expect("the public call");
    assert!(
        !public.headers.contains_key("x-api-key") && !public.headers.contains_key("x-api-key-id"),
        "a public call carries no credential"
    );
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread")]
async fn body_arguments_are_positional_and_also_methods_wrap_their_member() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/messages/cancel"))
        .and(body_json(json!({"messageIds": ["msg_1", "msg_2"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("messages.cancel")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/numbers/num_1"))
        .and(body_json(
            json!({"settings": {"alwaysOnline": null, "readMessages": true}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("numbers.update")))
        .expect(1)
        .mount(&server)
        .await;

    let cancel = pilot(&["messages", "cancel", "msg_1", "msg_2"])
        .against(&server)
        .run()
        .await;
    assert_eq!(cancel.status, 0, "{}", cancel.stderr);

    // A credential comes from --body; the options add the other members.
    let created = support::example("numbers.create_meta");
    Mock::given(method("POST"))
        .and(path("/v1/numbers/meta"))
        .and(body_json(json!({
            "metaAccessToken": "EAAG_meta_token",
            "metaPhoneId": "1234567890",
            "metaWabaId": "9876543210",
            "name": "Suporte",
            "number": "5511999999999",
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;
    let without_token = pilot(&[
        "numbers",
        "create-meta",
        "--name",
        "Suporte",
        "--number",
        "5511999999999",
        "--meta-phone-id",
        "1234567890",
        "--meta-waba-id",
        "9876543210",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(without_token.status, 2, "{}", without_token.stderr);
    assert!(
        without_token.stderr.contains("metaAccessToken") && without_token.stderr.contains("--body"),
        "{}",
        without_token.stderr
    );
    let meta = pilot(&[
        "numbers",
        "create-meta",
        "--body",
        "-",
        "--name",
        "Suporte",
        "--number",
        "5511999999999",
        "--meta-phone-id",
        "1234567890",
        "--meta-waba-id",
        "9876543210",
    ])
    .against(&server)
    .stdin(r#"{"metaAccessToken": "EAAG_meta_token", "name": "replaced by --name"}"#)
    .run()
    .await;
    assert_eq!(meta.status, 0, "{}", meta.stderr);

    let settings = pilot(&[
        "numbers",
        "update-settings",
        "num_1",
        "--always-online=null",
        "--read-messages",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(settings.status, 0, "{}", settings.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_verify_prints_the_event_of_a_good_signature_and_refuses_a_bad_one() {
    let directory =
        std::env::temp_dir().join(format!("pilot-status-cli-webhook-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    let write = |name: &str, secret: &str| {
        let file = directory.join(name);
        // As an editor or `echo` writes it: with a final newline.
        std::fs::write(&file, format!("{secret}\n")).expect("the secret is written");
        file.to_string_lossy().into_owned()
    };
    let number_secret = write("number.txt", "whsec_cli_test");
    let line_secret = write("line.txt", "plwh_cli_test");
    let delivery = SignedDelivery::new(
        "whsec_cli_test",
        &Event::MessageReceived(webhooks::inbound_message()),
    );
    let verify = |secret: &str, signature: &str| {
        pilot(&[
            "webhooks",
            "verify",
            "--secret-file",
            secret,
            "--signature",
            signature,
        ])
        .without_key()
    };

    let good = verify(&number_secret, delivery.signature())
        .stdin(delivery.body().to_vec())
        .run()
        .await;
    assert_eq!(good.status, 0, "{}", good.stderr);
    let event = &good.lines()[0];
    assert_eq!(event["event"], "message.received");
    assert_eq!(
        *event,
        serde_json::from_slice::<Value>(delivery.body()).expect("JSON"),
        "the typed event serializes back to the delivery"
    );
    assert!(good.stderr.contains("signature verified: message.received"));

    let mut tampered = delivery.body().to_vec();
    tampered.push(b' ');
    let bad = verify(&number_secret, delivery.signature())
        .stdin(tampered)
        .run()
        .await;
    assert_eq!(bad.status, 6, "{}", bad.stderr);
    assert!(bad.stdout.is_empty());
    assert!(bad.stderr.contains("signature refused"), "{}", bad.stderr);

    let wrong_secret = verify(&line_secret, delivery.signature())
        .stdin(delivery.body().to_vec())
        .run()
        .await;
    assert_eq!(wrong_secret.status, 6, "{}", wrong_secret.stderr);

    // A plwh_ secret reads phone-line events.
    let line_event =
        webhooks::phone_line_event(PhoneLineEventKind::CodeReceived(webhooks::code_received()));
    let line_delivery = SignedDelivery::new("plwh_cli_test", &line_event);
    let line = verify(&line_secret, line_delivery.signature())
        .stdin(line_delivery.body().to_vec())
        .run()
        .await;
    assert_eq!(line.status, 0, "{}", line.stderr);
    assert_eq!(line.lines()[0]["event"], line_event.name());

    // A signed event without a member: delivered as read, the difference on standard error.
    let mut body = serde_json::from_slice::<Value>(delivery.body()).expect("JSON");
    body["data"].as_object_mut().expect("data").remove("from");
    let fromless = SignedDelivery::from_body("whsec_cli_test", body.to_string());
    let read = verify(&number_secret, fromless.signature())
        .stdin(fromless.body().to_vec())
        .run()
        .await;
    assert_eq!(read.status, 0, "{}", read.stderr);
    assert_eq!(read.lines()[0]["event"], "message.received");
    assert!(
        read.stderr
            .contains("$.data.from: missing, expected a string"),
        "{}",
        read.stderr
    );
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_activation_audio_goes_to_a_file_or_a_pipe() {
    let server = MockServer::start().await;
    let audio: &[u8] = b"OggS\x00\x02binary audio";
    Mock::given(method("GET"))
        .and(path("/v1/phone-lines/activations/act_1/audio"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "audio/ogg")
                .set_body_bytes(audio),
        )
        .expect(2)
        .mount(&server)
        .await;
    let file =
        std::env::temp_dir().join(format!("pilot-status-cli-audio-{}.ogg", std::process::id()));
    let file_name = file.to_string_lossy().into_owned();

    let to_file = pilot(&[
        "phone-lines",
        "get-activation-audio",
        "act_1",
        "--output",
        &file_name,
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(to_file.status, 0, "{}", to_file.stderr);
    assert_eq!(std::fs::read(&file).expect("the audio file"), audio);
    let summary = &to_file.lines()[0];
    assert_eq!(summary["contentType"], "audio/ogg");
    assert_eq!(summary["bytes"], audio.len());

    let piped = tokio::task::spawn_blocking({
        let uri = server.uri();
        move || {
            Command::new(env!("CARGO_BIN_EXE_pilot-status"))
                .args([
                    "phone-lines",
                    "get-activation-audio",
                    "act_1",
                    "--base-url",
                    &uri,
                ])
                .env("PILOT_STATUS_API_KEY", KEY)
                .env_remove("PILOT_STATUS_PROFILE")
                .env("PILOT_STATUS_CONFIG_DIR", no_profiles())
                .stdin(Stdio::null())
                .output()
                .expect("the binary runs")
        }
    })
    .await
    .expect("the run completes");
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(
        piped.stdout, audio,
        "the bytes as received, on a piped stdout"
    );
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread")]
async fn help_lists_the_resources_and_completions_print() {
    let help = pilot(&["--help"]).run().await;
    assert_eq!(help.status, 0);
    for resource in [
        "messages",
        "numbers",
        "phone-lines",
        "webhooks",
        "completions",
    ] {
        assert!(help.stdout.contains(resource), "{}", help.stdout);
    }
    let completions = pilot(&["completions", "bash"]).run().await;
    assert_eq!(completions.status, 0, "{}", completions.stderr);
    assert!(completions.stdout.contains("pilot-status"));

    let unknown = pilot(&["numbers", "frobnicate"]).run().await;
    assert_eq!(unknown.status, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_send_whose_answer_differs_exits_0_naming_the_difference() {
    // The server accepted and queued the send but left out `sourceNumber` (required and
    // nullable: that decodes) and `correlationId` (always present), and `createdAt` is a
    // number: read as far as it fits, each difference named on standard error.
    let server = MockServer::start().await;
    let answer =
        json!({"id": "msg_1", "status": "QUEUED", "createdAt": 1781949600, "origin": "API"});
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .respond_with(ResponseTemplate::new(202).set_body_json(&answer))
        .expect(2)
        .mount(&server)
        .await;
    let send = [
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--text",
        "Oi",
    ];
    let run = pilot(&send).against(&server).run().await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let [printed] = run.lines().try_into().expect("one document");
    assert_eq!(printed["id"], "msg_1");
    assert!(
        run.stderr
            .contains("$.correlationId: missing, expected a string"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("$.createdAt: expected an RFC 3339 instant (ISO 8601), found 1781949600"),
        "{}",
        run.stderr
    );

    // Strict: the same answer fails with 7 and the raw body on standard output.
    let strict = [&send[..], &["--strict-responses"]].concat();
    let run = pilot(&strict).against(&server).run().await;
    assert_eq!(run.status, 7, "{}", run.stderr);
    assert_eq!(run.lines(), [answer], "the raw body, on standard output");
    assert!(run.stderr.contains("correlationId"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the API accepted the call"),
        "{}",
        run.stderr
    );
    // Each send carried the key the SDK made, and went once.
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|request| request.headers.get("idempotency-key").is_some())
    );
}

#[tokio::test]
async fn a_success_that_is_not_json_prints_the_raw_body_and_exits_with_7() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .respond_with(ResponseTemplate::new(202).set_body_string("queued, thanks"))
        .expect(1)
        .mount(&server)
        .await;
    let run = pilot(&[
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--text",
        "Oi",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(run.status, 7, "{}", run.stderr);
    assert_eq!(run.stdout.trim_end(), "queued, thanks");
    assert!(
        run.stderr.contains("the API accepted the call"),
        "{}",
        run.stderr
    );
}

/// What bash offers for `words` (the last one being completed), with the script the binary
/// prints sourced into a real bash.
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|word| format!("'{word}'")).collect();
    let current = words.len() - 1;
    let file = std::env::temp_dir().join(format!(
        "pilot-status-completion-{}-{}.bash",
        std::process::id(),
        words.join("_").replace(['-', ' '], "")
    ));
    std::fs::write(&file, script).expect("the script is written");
    let program = format!(
        "source '{path}'\n\
         COMP_WORDS=({words}); COMP_CWORD={current}\n\
         _pilot__status pilot-status '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path = file.display(),
        words = quoted.join(" "),
        cur = words[current],
        prev = words[current - 1],
    );
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &program])
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn bash_completes_every_depth_and_zsh_and_fish_scripts_name_the_subcommands() {
    let bash = pilot(&["completions", "bash"]).run().await;
    assert_eq!(bash.status, 0, "{}", bash.stderr);
    let first = bash_completes(&bash.stdout, &["pilot-status", "num"]);
    assert_eq!(first, ["numbers"]);
    let second = bash_completes(&bash.stdout, &["pilot-status", "numbers", ""]);
    for method in ["list", "get", "update-settings", "remote-pairing"] {
        assert!(second.iter().any(|w| w == method), "{method}: {second:?}");
    }
    let nested = bash_completes(
        &bash.stdout,
        &["pilot-status", "phone-lines", "verification", "st"],
    );
    assert_eq!(nested, ["start"]);
    let option = bash_completes(
        &bash.stdout,
        &["pilot-status", "messages", "send", "--dest"],
    );
    assert_eq!(option, ["--destination-number"]);
    let hyphenated = bash_completes(&bash.stdout, &["pilot-status", "api-keys", ""]);
    assert!(
        hyphenated.iter().any(|w| w == "regenerate-number"),
        "{hyphenated:?}"
    );

    for (shell, needle) in [("zsh", "'update-settings:"), ("fish", "update-settings")] {
        let script = pilot(&["completions", shell]).run().await;
        assert_eq!(script.status, 0, "{shell}: {}", script.stderr);
        assert!(script.stdout.contains(needle), "{shell}");
        assert!(
            script.stdout.contains("--destination-number")
                || script.stdout.contains("destination-number"),
            "{shell}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_number_from_the_environment_reads_plainly_in_a_usage_line() {
    let mut run = pilot(&["numbers", "get"]);
    run.environment
        .push(("PILOT_STATUS_NUMBER_ID".to_owned(), "num_1".to_owned()));
    let run = run.run().await;
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("--number-id <NUMBER_ID> <ID>"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_body_number_and_the_number_id_each_go_where_they_belong() {
    // Issue 27: `--number` was the global option, and the body's `number` was dropped.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/numbers/remote-pairing"))
        .and(header("x-whatsapp-number-id", "num_01"))
        .and(body_json(
            json!({"name": "Acme", "number": "5511988887777"}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::example("numbers.remote_pairing")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let run = pilot(&[
        "numbers",
        "remote-pairing",
        "--name",
        "Acme",
        "--number",
        "5511988887777",
        "--number-id",
        "num_01",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn booleans_are_switches_and_a_required_idempotency_key_is_made() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/numbers/num_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("numbers.update")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/phone-lines/verification"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(support::example("phone_lines.verification.start")),
        )
        .mount(&server)
        .await;
    let cases: [(&[&str], Value); 4] = [
        (
            &["--read-messages", "--no-reject-call"],
            json!({"readMessages": true, "rejectCall": false}),
        ),
        (
            &["--read-messages=false", "--always-online=null"],
            json!({"readMessages": false, "alwaysOnline": null}),
        ),
        (
            // The last of a switch and its negation wins.
            &["--no-read-messages", "--read-messages"],
            json!({"readMessages": true}),
        ),
        (&["--ignore-groups=true"], json!({"ignoreGroups": true})),
    ];
    for (switches, _) in &cases {
        let arguments = [&["numbers", "update-settings", "num_1"][..], switches].concat();
        let run = pilot(&arguments).against(&server).run().await;
        assert_eq!(run.status, 0, "{switches:?}: {}", run.stderr);
    }
    let sent: Vec<Value> = requests(&server)
        .await
        .iter()
        .map(|request| body_of(request)["settings"].clone())
        .collect();
    let expected: Vec<Value> = cases.iter().map(|(_, body)| body.clone()).collect();
    assert_eq!(sent, expected);

    // A value a switch does not take is a usage error, naming what it takes.
    let wrong = pilot(&[
        "numbers",
        "update-settings",
        "num_1",
        "--mark-read-on-send=null",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(wrong.status, 2, "{}", wrong.stderr);
    assert!(wrong.stderr.contains("true or false"), "{}", wrong.stderr);

    // `phone-lines verification start` requires a key: made unless given.
    let start = |key: Option<&str>| {
        let mut arguments = vec!["phone-lines", "verification", "start", "--body", "-"];
        if let Some(key) = key {
            arguments.extend(["--idempotency-key", key]);
        }
        pilot(&arguments)
            .against(&server)
            .stdin(
                json!({
                    "documentType": "CPF",
                    "documentNumber": "12345678909",
                    "contactEmail": "ana@example.com",
                    "contactWhatsapp": "+5511988887777",
                    "document": "data:application/pdf;base64,JVBERi0xLjcK"
                })
                .to_string(),
            )
            .run()
    };
    assert_eq!(start(None).await.status, 0);
    assert_eq!(start(Some("verification-1")).await.status, 0);
    let keys: Vec<String> = requests(&server)
        .await
        .iter()
        .filter(|request| request.url.path() == "/v1/phone-lines/verification")
        .map(|request| {
            request
                .headers
                .get("idempotency-key")
                .and_then(|key| key.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    assert_eq!(keys[1], "verification-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_table_and_include_shape_what_is_printed() {
    let server = MockServer::start().await;
    let history = support::example("messages.history");
    let number = support::example("numbers.get");
    Mock::given(method("GET"))
        .and(path("/v1/messages/history"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&history))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_42")
                .set_body_json(&number),
        )
        .mount(&server)
        .await;

    // A string result prints as its text, each on its own line.
    let ids = pilot(&["messages", "history", "--jq", ".messages[].id"])
        .against(&server)
        .run()
        .await;
    assert_eq!(ids.status, 0, "{}", ids.stderr);
    let expected: Vec<String> = history["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|message| message["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(ids.stdout.lines().collect::<Vec<_>>(), expected);

    // Objects as JSON lines when piped, or as a table.
    let picked = pilot(&[
        "messages",
        "history",
        "--jq",
        ".messages[] | {id, status}",
        "--format",
        "table",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(picked.status, 0, "{}", picked.stderr);
    let mut lines = picked.stdout.lines();
    assert_eq!(
        lines
            .next()
            .map(str::split_whitespace)
            .map(Iterator::collect::<Vec<_>>),
        Some(vec!["id", "status"])
    );
    assert_eq!(lines.count(), expected.len());

    let table = pilot(&["numbers", "get", "num_01", "--format", "table"])
        .against(&server)
        .run()
        .await;
    assert!(table.stdout.starts_with("MEMBER"), "{}", table.stdout);
    assert!(table.stdout.contains(number["id"].as_str().expect("an id")));

    // -i: the status line and headers, an empty line, the body.
    let included = pilot(&["numbers", "get", "num_01", "-i", "--format", "jsonl"])
        .against(&server)
        .run()
        .await;
    assert_eq!(included.status, 0, "{}", included.stderr);
    let (head, body) = included
        .stdout
        .split_once("\n\n")
        .expect("a head and a body");
    assert!(head.starts_with("HTTP 200 OK\n"), "{head}");
    assert!(head.contains("x-request-id: req_42"), "{head}");
    assert_eq!(
        serde_json::from_str::<Value>(body.trim()).expect("JSON")["id"],
        number["id"]
    );

    // The older names of the formats still work.
    for format in ["pretty", "compact", "json", "jsonl"] {
        let run = pilot(&["numbers", "get", "num_01", "--format", format])
            .against(&server)
            .run()
            .await;
        assert_eq!(run.status, 0, "{format}: {}", run.stderr);
        let indented = run.stdout.contains("\n  \"");
        assert_eq!(indented, matches!(format, "pretty" | "json"), "{format}");
    }

    // A filter that does not compile sends nothing.
    let before = requests(&server).await.len();
    let bad = pilot(&["numbers", "get", "num_01", "--jq", ".id |"])
        .against(&server)
        .run()
        .await;
    assert_eq!(bad.status, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--jq"), "{}", bad.stderr);
    assert_eq!(requests(&server).await.len(), before);
    // One that fails on the answer says jq's reason.
    let failing = pilot(&["numbers", "get", "num_01", "--jq", ".id.x"])
        .against(&server)
        .run()
        .await;
    assert_eq!(failing.status, 1, "{}", failing.stderr);
    assert!(failing.stderr.contains("error: jq: "), "{}", failing.stderr);
}

/// A fresh directory under the system's temporary one, for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let directory =
        std::env::temp_dir().join(format!("pilot-status-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    directory
}

#[tokio::test(flavor = "multi_thread")]
async fn media_download_output_saves_the_decoded_file() {
    let server = MockServer::start().await;
    let pdf = b"%PDF-1.7\n%fatura";
    Mock::given(method("GET"))
        .and(path("/v1/media/wamid.media1"))
        .and(query_param("phoneNumberId", "1234567890"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "base64": format!("data:application/pdf;base64,{}", {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.encode(pdf)
            }),
            "fileName": "../../fatura junho.pdf",
            "mediaId": "wamid.media1",
            "mimeType": "application/pdf"
        })))
        .mount(&server)
        .await;
    let directory = scratch("download");
    let into = directory.to_string_lossy().into_owned();

    let saved = pilot(&[
        "media",
        "download",
        "wamid.media1",
        "1234567890",
        "--output",
        &into,
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(saved.status, 0, "{}", saved.stderr);
    let written = directory.join("fatura junho.pdf");
    assert_eq!(std::fs::read(&written).expect("the file"), pdf);
    let summary = &saved.lines()[0];
    assert_eq!(summary["path"], written.to_string_lossy().as_ref());
    assert_eq!(summary["bytes"], pdf.len());
    assert!(
        saved.stderr.is_empty(),
        "no progress drawn into a pipe: {}",
        saved.stderr
    );

    // A path that is not a directory is the file itself; `--jq .path` prints just the path.
    let file = directory.join("renamed.pdf");
    let renamed = pilot(&[
        "media",
        "download",
        "wamid.media1",
        "1234567890",
        "-o",
        &file.to_string_lossy(),
        "--jq",
        ".path",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(renamed.status, 0, "{}", renamed.stderr);
    assert_eq!(renamed.stdout.trim_end(), file.to_string_lossy());
    assert_eq!(std::fs::read(&file).expect("the file"), pdf);
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread")]
async fn media_file_sends_a_data_uri_and_refuses_a_file_over_its_limit() {
    use base64::Engine as _;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .respond_with(ResponseTemplate::new(202).set_body_json(support::example("messages.send")))
        .mount(&server)
        .await;
    let directory = scratch("media-file");
    let photo = directory.join("foto.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 jpeg bytes").expect("the photo");
    let sticker = directory.join("big.webp");
    std::fs::write(&sticker, vec![0_u8; 600 * 1024]).expect("the sticker");

    let sent = pilot(&[
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--media-file",
        &photo.to_string_lossy(),
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(sent.status, 0, "{}", sent.stderr);
    let body = body_of(&requests(&server).await[0]);
    let expected = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(b"\xff\xd8\xff\xe0 jpeg bytes")
    );
    assert_eq!(body["media"], expected.as_str());
    assert_eq!(body["mediaType"], "image");

    // --media-type wins, and its limit applies: a document may be this large.
    let as_document = pilot(&[
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--media-file",
        &sticker.to_string_lossy(),
        "--media-type",
        "document",
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(as_document.status, 0, "{}", as_document.stderr);
    assert_eq!(
        body_of(&requests(&server).await[1])["mediaType"],
        "document"
    );

    let too_large = pilot(&[
        "messages",
        "send",
        "--destination-number",
        "+5511988887777",
        "--media-file",
        &sticker.to_string_lossy(),
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(too_large.status, 2, "{}", too_large.stderr);
    assert!(
        too_large
            .stderr
            .contains("larger than WhatsApp takes for a sticker (500 KiB)"),
        "{}",
        too_large.stderr
    );
    let both = pilot(&[
        "messages",
        "send",
        "--media",
        "https://example.com/x.jpg",
        "--media-file",
        &photo.to_string_lossy(),
    ])
    .against(&server)
    .run()
    .await;
    assert_eq!(both.status, 2, "{}", both.stderr);
    assert_eq!(
        requests(&server).await.len(),
        2,
        "the refused ones sent nothing"
    );
    let _ = std::fs::remove_dir_all(&directory);
}
