//! What can go wrong, and the exit status each failure gives.

use std::fmt;
use std::io;

use pilot_status::ErrorKind;
use pilot_status::batch::BatchError;
use pilot_status::webhooks::{ParseError, SecretError, SignatureError, WebhookError};

/// The exit status of `pilot-status`, by what went wrong.
///
/// | Status | Meaning |
/// |---|---|
/// | 0 | Success. |
/// | 1 | Another failure: a response over the size limit, a refused redirect, a webhook body that is signed but not an event, output that cannot be written. |
/// | 2 | Usage: invalid arguments, a bad `--body`, no API key, an unreadable file. Nothing was sent. |
/// | 3 | The API refused the request: a 4xx status other than 429 (its `code` and message are on standard error); `webhooks trigger`: the receiver answered other than 2xx. |
/// | 4 | Rate limited: 429, after the retries. |
/// | 5 | The API failed or could not be reached: 5xx, a network error, a timeout (`messages send-batch`: some rows got no answer; running it again resumes; `webhooks trigger`: the receiver could not be reached). |
/// | 6 | `webhooks verify`: the signature does not match the body (or is missing or malformed). |
/// | 7 | The API accepted the call (a 2xx), but its answer could not be read: not JSON, or (with `--strict-responses`) not the documented type. The raw body is printed on standard output, the reason on standard error. Do not repeat the call blindly: it was applied. |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success = 0,
    /// 1: a failure not listed below.
    Failure = 1,
    /// 2: invalid arguments, body, credentials or input files; nothing was sent.
    Usage = 2,
    /// 3: the API answered 4xx (other than 429).
    Refused = 3,
    /// 4: the API answered 429.
    RateLimited = 4,
    /// 5: the API answered 5xx, or did not answer.
    Unavailable = 5,
    /// 6: a webhook signature was refused.
    BadSignature = 6,
    /// 7: the API accepted the call, but its answer could not be read (not JSON, or not the
    /// documented type with `--strict-responses`).
    Undecoded = 7,
}

impl Exit {
    /// The status as a process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The table of [`Exit`], as `--help` prints it.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success
  1  another failure: a response over the size limit, a refused redirect, a signed webhook
     body that is not an event
  2  usage: invalid arguments, a bad --body, no API key, an unreadable file (nothing sent)
  3  the API refused the request: 4xx other than 429 (its code and message on stderr);
     webhooks trigger: the receiver answered other than 2xx
  4  rate limited: 429, after the retries
  5  the API failed or could not be reached: 5xx, network error, timeout (messages
     send-batch: some rows got no answer; run it again to resume; webhooks trigger: the
     receiver could not be reached)
  6  webhooks verify: the signature does not match the body
  7  the API accepted the call (2xx) but its answer could not be read: not JSON, or not the
     documented type with --strict-responses (an answer that differs is otherwise read as
     far as it fits, exit 0); the raw body is on stdout, the reason on stderr (the call was
     applied: do not repeat it blindly)";

/// Everything `pilot-status` reports as an error. No message contains the API key.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Arguments that cannot be used as given.
    #[error("{0}")]
    Usage(String),
    /// A request body that does not fit the operation's typed body.
    #[error("{operation}: {message}")]
    Body {
        /// The SDK method, `resource.method`.
        operation: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// No credential in the environment, on the command line or in a profile.
    #[error(
        "no API key: run `pilot-status auth login` (it asks for the key), set \
         PILOT_STATUS_API_KEY (or PILOT_STATUS_API_KEY_ID), or pass --api-key-file PATH"
    )]
    MissingKey,
    /// `--profile NAME` names no profile.
    #[error("no profile {0}: `pilot-status auth login --profile {0}` makes it")]
    NoProfile(String),
    /// The system keyring could not keep or give a key.
    #[error("{0}")]
    Keyring(String),
    /// A file (or standard input) given on the command line could not be read.
    #[error("cannot read {what}: {source}")]
    Read {
        /// What it is: `the API key file keys/prod.txt`, `the --body file`.
        what: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The call failed (or the client could not be configured).
    #[error(transparent)]
    Api(#[from] pilot_status::Error),
    /// The output could not be written.
    #[error("cannot write {what}: {source}")]
    Write {
        /// Where it went: `standard output`, a file.
        what: String,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A webhook secret that cannot be used.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// A webhook signature was refused.
    #[error("signature refused: {0}")]
    Signature(#[from] SignatureError),
    /// A webhook body whose signature is valid but which is not an event.
    #[error("the signature is valid, but {0}")]
    Event(#[from] ParseError),
    /// `webhooks trigger`: the receiver could not be reached.
    #[error("cannot deliver to {to}: {}", chain(source))]
    Deliver {
        /// The receiver's URL.
        to: String,
        /// What the HTTP client said.
        #[source]
        source: reqwest::Error,
    },
    /// `webhooks trigger`: the receiver answered other than 2xx.
    #[error("the receiver answered {status} to {event}")]
    ReceiverRefused {
        /// The event delivered.
        event: String,
        /// The receiver's status.
        status: u16,
    },
    /// `webhooks listen`: the port could not be listened on (or the server failed).
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen {
        /// The port asked for.
        port: u16,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A downloaded media file that cannot be decoded or saved.
    #[error("{0}")]
    Media(String),
    /// `--jq`'s filter failed on a document (jq's message).
    #[error("jq: {0}")]
    Jq(String),
    /// A typed value that could not become JSON.
    #[error("cannot print the response: {0}")]
    Json(#[source] serde_json::Error),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] io::Error),
    /// A row of `messages send-batch --input` that cannot be sent as written.
    #[error("{input}, line {line}: {message}")]
    Row {
        /// The input file (`-` for standard input).
        input: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A batch that could not run, or stopped.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// A batch that ended with rows that got no answer.
    #[error(
        "{failed} row(s) got no answer after every attempt; run the same command again to \
         resume (they go again under the same keys)"
    )]
    Incomplete {
        /// How many.
        failed: u64,
    },
}

impl CliError {
    /// The exit status this error gives.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Usage(_)
            | Self::Body { .. }
            | Self::MissingKey
            | Self::NoProfile(_)
            | Self::Read { .. }
            | Self::Row { .. }
            | Self::Secret(_) => Exit::Usage,
            Self::Api(error) => exit_of(error),
            Self::ReceiverRefused { .. } => Exit::Refused,
            Self::Deliver { .. } => Exit::Unavailable,
            Self::Batch(BatchError::Stopped { source, .. }) => exit_of(source),
            Self::Batch(BatchError::Journal { .. }) => Exit::Failure,
            Self::Batch(_) => Exit::Usage,
            Self::Incomplete { .. } => Exit::Unavailable,
            Self::Signature(_) => Exit::BadSignature,
            Self::Write { .. }
            | Self::Event(_)
            | Self::Json(_)
            | Self::Jq(_)
            | Self::Media(_)
            | Self::Listen { .. }
            | Self::Keyring(_)
            | Self::Runtime(_) => Exit::Failure,
        }
    }

    /// True when standard output was closed by its reader (`pilot-status ... | head`):
    /// not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let error = match self {
            Self::Api(error) | Self::Batch(BatchError::Stopped { source: error, .. }) => error,
            Self::Batch(BatchError::OtherBatch { .. }) => {
                return Some(
                    "a journal records one batch: give its --batch-id (or none), or another \
                     --journal"
                        .to_owned(),
                );
            }
            _ => return None,
        };
        // A call that may not have been applied, and can be repeated under its key.
        if let (Some(key), ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Server) =
            (error.idempotency_key(), error.kind())
        {
            return Some(format!(
                "the call carried Idempotency-Key {key}: repeat it with --idempotency-key {key} \
                 and the API applies it at most once"
            ));
        }
        match (error.kind(), error.code()) {
            (ErrorKind::Authentication, _) => Some(
                "the API refused the credential: check PILOT_STATUS_API_KEY, \
                 PILOT_STATUS_API_KEY_ID or --api-key-file"
                    .to_owned(),
            ),
            (_, Some("TENANT_SCOPE_NOT_ALLOWED")) => Some(
                "this call acts for one number: pass --number-id <ID> (sent as \
                 x-whatsapp-number-id), or use that number's key"
                    .to_owned(),
            ),
            (_, Some("NUMBER_SCOPE_NOT_ALLOWED")) => {
                Some("this call needs an account-wide (tenant-scoped) key".to_owned())
            }
            (ErrorKind::RateLimited, _) => Some(match error.retry_after() {
                Some(wait) => format!("rate limited: the API asks to wait {}s", wait.as_secs()),
                None => "rate limited: wait before trying again".to_owned(),
            }),
            (ErrorKind::Decode, _) => Some(
                "the API accepted the call; its raw answer is on standard output (do not \
                 repeat the call blindly). An answer that is JSON but differs from the \
                 documented type is read as far as it fits, unless --strict-responses"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl From<WebhookError> for CliError {
    fn from(error: WebhookError) -> Self {
        match error {
            WebhookError::Signature(error) => Self::Signature(error),
            WebhookError::Parse(error) => Self::Event(error),
            WebhookError::Secret(error) => Self::Secret(error),
        }
    }
}

/// The exit status of an SDK error, by its kind.
fn exit_of(error: &pilot_status::Error) -> Exit {
    match error.kind() {
        ErrorKind::Validation
        | ErrorKind::Authentication
        | ErrorKind::Payment
        | ErrorKind::Forbidden
        | ErrorKind::NotFound
        | ErrorKind::Conflict => Exit::Refused,
        ErrorKind::OtherStatus
            if error
                .status()
                .is_some_and(|status| status.is_client_error()) =>
        {
            Exit::Refused
        }
        ErrorKind::RateLimited => Exit::RateLimited,
        ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Network => Exit::Unavailable,
        ErrorKind::InvalidRequest | ErrorKind::Config => Exit::Usage,
        ErrorKind::Decode => Exit::Undecoded,
        _ => Exit::Failure,
    }
}

/// Prints an error on standard error: `error: <message>`, its causes, and a hint. The raw
/// body of a success that did not decode goes to standard output first: the API accepted
/// the call, and what it answered must not be lost.
pub fn report(error: &CliError) {
    if let CliError::Api(api) = error
        && api.accepted()
        && let Some(body) = api.body()
    {
        use std::io::Write as _;
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(body);
        if !body.ends_with(b"\n") {
            let _ = stdout.write_all(b"\n");
        }
        let _ = stdout.flush();
    }
    eprintln!("error: {}", Chain(error));
    if let Some(hint) = error.hint() {
        eprintln!("hint: {hint}");
    }
}

/// An error's message and the causes it does not already contain, as one line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    Chain(error).to_string()
}

/// An error and the causes its message does not already contain.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            let text = error.to_string();
            if !text.is_empty() && !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown.push_str(&text);
            }
            cause = error.source();
        }
        Ok(())
    }
}
