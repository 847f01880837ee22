//! Transcripts of the commands that are not calls of one operation (`api`, `webhooks
//! trigger`, `webhooks listen`, `auth`): each test runs command lines against servers on
//! 127.0.0.1 and pins what a person sees (the command, standard output, standard error, the
//! exit status) as an insta snapshot. The README's CLI section shows the same sessions.

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "ps_live_transcript_5e1d7c0a9b3f";

/// A session: command lines run one after another with one environment, and what they
/// printed, with the parts that change from run to run (ports, temporary paths, UUIDs)
/// replaced by names.
struct Session {
    environment: Vec<(String, String)>,
    replacements: Vec<(String, String)>,
    /// Keys no run may print (the transcript shows them as names where a test pipes them in).
    secrets: Vec<String>,
    transcript: String,
}

impl Session {
    fn new() -> Self {
        Self {
            environment: Vec::new(),
            replacements: Vec::new(),
            secrets: vec![KEY.to_owned()],
            transcript: String::new(),
        }
    }

    /// A key piped into a command: no output may contain it, and the transcript shows the
    /// line that pipes it in with `name` instead.
    fn secret(mut self, key: &str, name: &str) -> Self {
        self.secrets.push(key.to_owned());
        self.replacements.push((key.to_owned(), name.to_owned()));
        self
    }

    fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.environment.push((name.to_owned(), value.into()));
        self
    }

    /// Shows `text` as `name` in the transcript.
    fn replace(mut self, text: impl Into<String>, name: &str) -> Self {
        self.replacements.push((text.into(), name.to_owned()));
        self
    }

    fn clean(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (from, to) in &self.replacements {
            text = text.replace(from.as_str(), to);
        }
        let text: Vec<String> = text
            .split_inclusive('\n')
            .map(|line| {
                if line.starts_with("date: ") {
                    "date: <date>\n".to_owned()
                } else {
                    line.to_owned()
                }
            })
            .collect();
        uuids(&text.concat())
    }

    /// Runs `pilot-status <arguments>` with `stdin`, adds it to the transcript and returns
    /// (exit status, standard output).
    fn run(&mut self, arguments: &[&str], stdin: &str) -> (i32, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pilot-status"));
        command
            .args(arguments)
            .env_remove("PILOT_STATUS_API_KEY")
            .env_remove("PILOT_STATUS_API_KEY_ID")
            .env_remove("PILOT_STATUS_NUMBER_ID")
            .env_remove("PILOT_STATUS_BASE_URL")
            .env_remove("PILOT_STATUS_PROFILE")
            .env_remove("PILOT_STATUS_DEBUG")
            // No profile of the person running the tests: an empty configuration directory
            // unless the test names one.
            .env("PILOT_STATUS_CONFIG_DIR", no_profiles())
            .env("PILOT_STATUS_KEYRING", "file")
            .envs(self.environment.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the binary starts");
        let mut input = child.stdin.take().expect("a stdin pipe");
        input
            .write_all(stdin.as_bytes())
            .expect("stdin takes the input");
        drop(input);
        let output = child.wait_with_output().expect("the binary finishes");
        let status = output.status.code().expect("an exit code");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        for secret in &self.secrets {
            assert!(
                !stdout.contains(secret.as_str()) && !stderr.contains(secret.as_str()),
                "an API key was printed:\n{stdout}\n{stderr}"
            );
        }
        let shown: Vec<String> = arguments.iter().map(|argument| quote(argument)).collect();
        let piped = if stdin.is_empty() {
            String::new()
        } else {
            format!("printf '%s' {} | ", quote(stdin.trim_end()))
        };
        self.transcript
            .push_str(&self.clean(&format!("$ {piped}pilot-status {}\n", shown.join(" "))));
        self.transcript.push_str(&self.clean(&stdout));
        for line in self.clean(&stderr).lines() {
            self.transcript.push_str(&format!("stderr| {line}\n"));
        }
        self.transcript.push_str(&format!("[exit {status}]\n\n"));
        (status, stdout)
    }
}

impl Session {
    /// Adds a command that ran alongside (`webhooks listen` in another terminal) to the
    /// transcript, with what it printed.
    fn record(&mut self, arguments: &[&str], status: i32, stdout: &str, stderr: &str) {
        let shown: Vec<String> = arguments.iter().map(|argument| quote(argument)).collect();
        self.transcript.push_str(&format!(
            "$ pilot-status {}   # in another terminal\n",
            self.clean(&shown.join(" "))
        ));
        self.transcript.push_str(&self.clean(stdout));
        for line in self.clean(stderr).lines() {
            self.transcript.push_str(&format!("stderr| {line}\n"));
        }
        self.transcript.push_str(&format!("[exit {status}]\n\n"));
    }
}

/// A shell word, quoted when it needs to be.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// UUIDs (the keys the tool makes) as `<uuid>`.
fn uuids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(index) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        let candidate = rest.get(index..index + 36).unwrap_or_default();
        let is_uuid = candidate.len() == 36
            && candidate.char_indices().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
            && (index == 0 || !rest[..index].ends_with(|c: char| c.is_ascii_alphanumeric()));
        if is_uuid {
            out.push_str(&rest[..index]);
            out.push_str("<uuid>");
            rest = &rest[index + 36..];
        } else {
            let next = index + rest[index..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out.push_str(rest);
    out
}

/// A fresh directory under the system's temporary one.
/// A configuration directory with no profiles in it (it is never created).
fn no_profiles() -> String {
    path_text(&std::env::temp_dir().join(format!(
        "pilot-status-transcript-no-profiles-{}",
        std::process::id()
    )))
}

fn scratch(name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!(
        "pilot-status-transcript-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    directory
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

fn base_url(server: &MockServer) -> String {
    server.uri()
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn api_calls_by_method_and_path_with_the_same_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("numbers.get")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/messages/history"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::example("messages.history")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/send"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("x-request-id", "req_7f3a")
                .set_body_json(json!({"id": "msg_01J0Z3R2K8", "status": "QUEUED"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/remote-pairing/tok_123"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::example("remote_pairing.get_info")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/contacts"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Route not found", "code": "NOT_FOUND"})),
        )
        .mount(&server)
        .await;
    let uri = base_url(&server);
    let mut session = Session::new()
        .env("PILOT_STATUS_API_KEY", KEY)
        .env("PILOT_STATUS_BASE_URL", uri.clone())
        .replace(uri.clone(), "http://127.0.0.1:PORT");

    let (status, _) = session.run(&["api", "GET", "/v1/numbers/num_01", "--jq", ".id"], "");
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &[
            "api",
            "get",
            "v1/messages/history",
            "--query",
            "pageSize=1",
            "--jq",
            ".messages[] | {id, status}",
            "--format",
            "table",
        ],
        "",
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &[
            "api",
            "POST",
            "/v1/messages/send",
            "--body",
            "-",
            "--number-id",
            "num_01",
            "-i",
        ],
        r#"{"destinationNumber": "+5511988887777", "text": "Oi"}"#,
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &["api", "GET", "/v1/remote-pairing/tok_123", "--jq", ".state"],
        "",
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(&["api", "GET", "/v1/contacts"], "");
    assert_eq!(status, 3);
    let (status, _) = session.run(&["api", "GET", "https://example.com/v1/numbers"], "");
    assert_eq!(status, 2);

    let requests = server.received_requests().await.unwrap_or_default();
    let send = requests
        .iter()
        .find(|request| request.url.path() == "/v1/messages/send")
        .expect("the send");
    assert_eq!(header(send, "x-api-key"), Some(KEY));
    assert_eq!(header(send, "x-whatsapp-number-id"), Some("num_01"));
    assert_eq!(
        header(send, "idempotency-key").map(str::len),
        Some(36),
        "the key the SDK makes for messages.send"
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&send.body).expect("JSON"),
        json!({"destinationNumber": "+5511988887777", "text": "Oi"})
    );
    let history = requests
        .iter()
        .find(|request| request.url.path() == "/v1/messages/history")
        .expect("the history");
    assert_eq!(history.url.query(), Some("pageSize=1"));
    let public = requests
        .iter()
        .find(|request| request.url.path() == "/v1/remote-pairing/tok_123")
        .expect("the public route");
    assert_eq!(
        header(public, "x-api-key"),
        None,
        "a public route gets no key"
    );
    assert!(
        !requests
            .iter()
            .any(|request| request.url.host_str() == Some("example.com")),
        "nothing left the API's origin"
    );
    insta::assert_snapshot!("api", session.transcript);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_trigger_signs_and_posts_a_documented_sample() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/webhooks"))
        .and(wiremock::matchers::header_exists(
            "x-pilot-status-signature",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&receiver)
        .await;
    Mock::given(method("POST"))
        .and(path("/strict"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad signature"})))
        .mount(&receiver)
        .await;
    let directory = scratch("trigger");
    let secret = directory.join("whsec.txt");
    std::fs::write(&secret, "whsec_transcript_secret\n").expect("the secret");
    let uri = base_url(&receiver);
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let mut session = Session::new()
        .replace(uri.clone(), "http://127.0.0.1:PORT")
        .replace(closed.clone(), "http://127.0.0.1:CLOSED")
        .replace(path_text(&directory), "$TMP");
    let secret = path_text(&secret);
    let to = format!("{uri}/webhooks");

    let (status, listed) = session.run(&["webhooks", "trigger", "--list"], "");
    assert_eq!(status, 0);
    assert_eq!(listed.lines().count(), 34);
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "message.received",
            "phone_line.code_received",
            "--to",
            &to,
            "--secret-file",
            &secret,
            "--jq",
            "{event, status}",
        ],
        "",
    );
    assert_eq!(status, 0);
    let strict = format!("{uri}/strict");
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "lead.received",
            "--to",
            &strict,
            "--secret-file",
            &secret,
        ],
        "",
    );
    assert_eq!(status, 3);
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "call.ringing",
            "--to",
            &closed,
            "--secret-file",
            &secret,
        ],
        "",
    );
    assert_eq!(status, 5);

    // What the receiver got verifies with the SDK, as the event sent.
    let requests = receiver.received_requests().await.unwrap_or_default();
    let first = &requests[0];
    let verified = pilot_status::webhooks::NumberWebhooks::new("whsec_transcript_secret")
        .expect("a verifier")
        .verify_and_parse(header(first, "x-pilot-status-signature"), &first.body)
        .expect("a verified delivery");
    assert_eq!(verified.event.name(), "message.received");
    insta::assert_snapshot!("webhooks_trigger", session.transcript);
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_listen_verifies_prints_and_forwards() {
    use std::io::{BufRead as _, BufReader, Read as _};

    let app = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"handled": true})))
        .mount(&app)
        .await;
    let directory = scratch("listen");
    let secret = directory.join("whsec.txt");
    std::fs::write(&secret, "whsec_transcript_secret\n").expect("the secret");
    let wrong = directory.join("other.txt");
    std::fs::write(&wrong, "whsec_someone_else\n").expect("the other secret");
    let (secret, wrong) = (path_text(&secret), path_text(&wrong));
    let forward = format!("{}/hooks", base_url(&app));
    let arguments = [
        "webhooks",
        "listen",
        "--port",
        "0",
        "--secret-file",
        &secret,
        "--forward-to",
        &forward,
        "--max-events",
        "2",
        "--jq",
        "{event, from: .data.from}",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilot-status"))
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the listener starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("a stderr pipe"));
    let mut first = String::new();
    stderr.read_line(&mut first).expect("the listening line");
    let url = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("not the listening line: {first}"))
        .to_owned();

    let mut session = Session::new()
        .replace(url.clone(), "http://127.0.0.1:LISTEN")
        .replace(base_url(&app), "http://127.0.0.1:APP")
        .replace(path_text(&directory), "$TMP");
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "message.received",
            "--to",
            &url,
            "--secret-file",
            &secret,
        ],
        "",
    );
    assert_eq!(
        status, 0,
        "verified, forwarded, and the app's answer passed back"
    );
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "message.failed",
            "--to",
            &url,
            "--secret-file",
            &wrong,
        ],
        "",
    );
    assert_eq!(status, 3, "another secret: refused with 401, not forwarded");
    let (status, _) = session.run(
        &[
            "webhooks",
            "trigger",
            "number.connected",
            "--to",
            &url,
            "--secret-file",
            &secret,
        ],
        "",
    );
    assert_eq!(status, 0);

    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("a stdout pipe")
        .read_to_string(&mut stdout)
        .expect("stdout reads");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("stderr reads");
    let status = child
        .wait()
        .expect("the listener stops")
        .code()
        .unwrap_or(-1);
    assert_eq!(status, 0, "{rest}");
    session.record(&arguments, status, &stdout, &format!("{first}{rest}"));
    let forwarded = app.received_requests().await.unwrap_or_default();
    assert_eq!(
        forwarded.len(),
        2,
        "only the verified deliveries reach the app"
    );
    assert!(
        forwarded
            .iter()
            .all(|request| header(request, "x-pilot-status-signature").is_some())
    );
    insta::assert_snapshot!("webhooks_listen", session.transcript);
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_keeps_keys_in_profiles_and_never_prints_them() {
    const ACME_KEY: &str = "ps_live_acme_0c4f9e2b7d1a";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers/num_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::example("numbers.get")))
        .mount(&server)
        .await;
    let config = scratch("auth");
    let uri = base_url(&server);
    let mut session = Session::new()
        .env("PILOT_STATUS_CONFIG_DIR", path_text(&config))
        .env("PILOT_STATUS_KEYRING", "file")
        .secret(KEY, "\"$KEY\"")
        .secret(ACME_KEY, "\"$ACME_KEY\"")
        .replace(uri.clone(), "http://127.0.0.1:PORT")
        .replace(path_text(&config), "$CONFIG");

    let (status, _) = session.run(&["auth", "status"], "");
    assert_eq!(status, 2, "nothing to use yet");
    let (status, _) = session.run(&["auth", "login"], KEY);
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &[
            "auth",
            "login",
            "--profile",
            "acme",
            "--number-id",
            "num_01",
            "--base-url",
            &uri,
        ],
        ACME_KEY,
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &["auth", "status", "--format", "table", "--jq", ".profiles"],
        "",
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(&["--profile", "acme", "auth", "status"], "");
    assert_eq!(status, 0);
    let (status, _) = session.run(
        &[
            "numbers",
            "get",
            "num_01",
            "--profile",
            "acme",
            "--jq",
            ".id",
        ],
        "",
    );
    assert_eq!(status, 0);
    let (status, _) = session.run(&["auth", "logout", "--profile", "acme"], "");
    assert_eq!(status, 0);
    let (status, _) = session.run(&["numbers", "list", "--profile", "acme"], "");
    assert_eq!(status, 2);
    let (status, _) = session.run(&["auth", "login", "--api-key-file", "key.txt"], "");
    assert_eq!(
        status, 2,
        "no key as an argument, nor a file in place of the prompt"
    );

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert_eq!(header(&requests[0], "x-api-key"), Some(ACME_KEY));
    assert_eq!(header(&requests[0], "x-whatsapp-number-id"), Some("num_01"));
    // The key is in a file only its owner reads; the profiles file holds no key.
    let profiles = std::fs::read_to_string(config.join("profiles.json")).expect("profiles");
    assert!(
        !profiles.contains(KEY) && !profiles.contains(ACME_KEY),
        "{profiles}"
    );
    assert_eq!(
        std::fs::read_to_string(config.join("keys").join("default")).expect("the key file"),
        KEY
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode(&config.join("keys").join("default")), 0o600);
        assert_eq!(mode(&config.join("keys")), 0o700);
        assert_eq!(mode(&config.join("profiles.json")), 0o600);
    }
    assert!(
        !config.join("keys").join("acme").exists(),
        "logout removed it"
    );
    insta::assert_snapshot!("auth", session.transcript);
    let _ = std::fs::remove_dir_all(&config);
}

/// Needs the system keyring of a desktop session (Secret Service on Linux, the Keychain,
/// the Credential Manager): stores, reads and removes a profile there.
#[test]
#[ignore = "needs a system keyring (a Secret Service on D-Bus, the macOS Keychain or the \
            Windows Credential Manager); run with --ignored on a desktop session"]
fn auth_login_keeps_the_key_in_the_system_keyring() {
    let config = scratch("keyring");
    let mut session = Session::new()
        .env("PILOT_STATUS_CONFIG_DIR", path_text(&config))
        .env("PILOT_STATUS_KEYRING", "system");
    let profile = format!("test-{}", std::process::id());
    let (status, _) = session.run(&["auth", "login", "--profile", &profile], KEY);
    assert_eq!(status, 0, "{}", session.transcript);
    assert!(!config.join("keys").join(&profile).exists());
    let (status, stdout) = session.run(&["auth", "status", "--profile", &profile], "");
    assert_eq!(status, 0, "{}", session.transcript);
    assert!(stdout.contains("keyring"), "{stdout}");
    let (status, _) = session.run(&["auth", "logout", "--profile", &profile], "");
    assert_eq!(status, 0, "{}", session.transcript);
    let _ = std::fs::remove_dir_all(&config);
}
