//! Local webhook development, with the SDK's own fixtures and verifier and no account:
//! `webhooks trigger` signs and posts a documented sample of an event to a receiver, and
//! `webhooks listen` is a receiver on 127.0.0.1 that verifies each delivery, prints its event
//! and can forward it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use clap::{Arg, ArgAction, ArgMatches, Command};
use pilot_status::mock::webhooks::{SignedDelivery, every_event, every_phone_line_event};
use pilot_status::webhooks::{
    Event, NumberWebhooks, PhoneLineEventKind, PhoneLineWebhooks, WebhookError, signature_from,
};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::call::warn_deviations;
use crate::error::CliError;
use crate::output::{Output, Progress};

/// `webhooks trigger`.
pub const TRIGGER: &str = "trigger";
/// `webhooks listen`.
pub const LISTEN: &str = "listen";

const EVENTS: &str = "event";
const TO: &str = "to";
const SECRET_FILE: &str = "secret-file";
const LIST: &str = "list";
const ALL: &str = "all-events";
const PORT: &str = "port";
const FORWARD_TO: &str = "forward-to";
const KIND: &str = "events";
const MAX_EVENTS: &str = "max-events";

/// The largest delivery `listen` reads (the SDK's extractor's default limit too).
const BODY_LIMIT: usize = 1024 * 1024;

/// One documented sample: its name, which webhooks send it, and its signed body.
struct Sample {
    name: String,
    phone_line: bool,
    body: Value,
}

/// The SDK's sample of every documented event, in its declaration order: the number
/// webhooks' events, then the phone-line webhooks'. The samples of events the SDK does not
/// know (its `Unknown` examples) are left out: they are not documented.
fn samples() -> Vec<Sample> {
    let number = every_event()
        .into_iter()
        .filter(|event| !matches!(event, Event::Unknown { .. }))
        .map(|event| Sample {
            name: event.name().to_owned(),
            phone_line: false,
            body: serde_json::to_value(&event).unwrap_or(Value::Null),
        });
    let phone_line = every_phone_line_event()
        .into_iter()
        .filter(|event| !matches!(event.kind, PhoneLineEventKind::Unknown { .. }))
        .map(|event| Sample {
            name: event.name().to_owned(),
            phone_line: true,
            body: serde_json::to_value(&event).unwrap_or(Value::Null),
        });
    number.chain(phone_line).collect()
}

/// The names `webhooks trigger` sends, in order.
pub fn event_names() -> Vec<String> {
    samples().into_iter().map(|sample| sample.name).collect()
}

fn secret_file_arg(required: bool) -> Arg {
    Arg::new(SECRET_FILE)
        .long("secret-file")
        .value_name("FILE")
        .required(required)
        .value_parser(clap::value_parser!(PathBuf))
        .help("The file holding the webhook's secret (whsec_..., or plwh_... for phone lines)")
}

/// `webhooks trigger [EVENT]... --to URL --secret-file FILE`, `--all-events`, `--list`.
pub fn trigger_command() -> Command {
    Command::new(TRIGGER)
        .about("Sign and post a documented sample of an event to a webhook receiver (no API call)")
        .long_about(
            "Sign and post a documented sample of an event to a webhook receiver, as Pilot \
             Status would deliver it, so a receiver can be tried with no account (no API call). \
             The samples are the SDK's own (pilot_status::mock::webhooks), signed with \
             HMAC-SHA256 of the body under the secret in --secret-file, in the \
             x-pilot-status-signature header.\n\n\
             Prints one JSON line per delivery: the event, the receiver's status and its \
             answer. Exits 3 when the receiver answers other than 2xx, 5 when it cannot be \
             reached.\n\n\
             Examples:\n  pilot-status webhooks trigger --list\n  pilot-status webhooks \
             trigger message.received --to http://127.0.0.1:3000/webhooks --secret-file \
             whsec.txt\n  pilot-status webhooks trigger --all-events --to http://127.0.0.1:8787 \
             --secret-file whsec.txt",
        )
        .arg(
            Arg::new(EVENTS)
                .value_name("EVENT")
                .num_args(1..)
                .value_parser(clap::builder::PossibleValuesParser::new(event_names()))
                .hide_possible_values(true)
                .required_unless_present_any([LIST, ALL])
                .help("The event(s) to send: message.received, phone_line.code_received, ... (--list shows them)"),
        )
        .arg(
            Arg::new(TO)
                .long("to")
                .value_name("URL")
                .required_unless_present(LIST)
                .help("The receiver's URL"),
        )
        .arg(secret_file_arg(false).required_unless_present(LIST))
        .arg(
            Arg::new(ALL)
                .long("all-events")
                .action(ArgAction::SetTrue)
                .conflicts_with(EVENTS)
                .help("Send every documented event, in order"),
        )
        .arg(
            Arg::new(LIST)
                .long("list")
                .action(ArgAction::SetTrue)
                .exclusive(true)
                .help("List the events there is a sample of, one per line, and send nothing"),
        )
}

/// `webhooks listen --port P --secret-file FILE [--forward-to URL]`.
pub fn listen_command() -> Command {
    Command::new(LISTEN)
        .about("Receive webhooks on 127.0.0.1: verify each delivery, print its event, forward it")
        .long_about(
            "Receive webhooks on 127.0.0.1:PORT: each delivery's signature is checked with the \
             SDK's verifier against the secret in --secret-file, and its event printed as a \
             JSON line on standard output (deviations from the documented type named on \
             standard error). A verified delivery is answered 200, or passed on with its \
             headers to --forward-to URL and answered with what that receiver answers; a \
             refused signature is answered 401 and never forwarded.\n\n\
             Runs until interrupted, or until --max-events deliveries were verified. Says on \
             standard error where it listens: `listening on http://127.0.0.1:PORT`.\n\n\
             Example:\n  pilot-status webhooks listen --port 8787 --secret-file whsec.txt \
             --forward-to http://127.0.0.1:3000/webhooks",
        )
        .arg(
            Arg::new(PORT)
                .long("port")
                .value_name("PORT")
                .required(true)
                .value_parser(clap::value_parser!(u16))
                .help("The port on 127.0.0.1 (0: any free port, named on standard error)"),
        )
        .arg(secret_file_arg(true))
        .arg(
            Arg::new(FORWARD_TO)
                .long("forward-to")
                .value_name("URL")
                .help("Pass each verified delivery on to this URL, body and headers as received"),
        )
        .arg(
            Arg::new(KIND)
                .long("events")
                .value_name("KIND")
                .value_parser(["number", "phone-line"])
                .help("Which webhooks send them [default: phone-line for a plwh_ secret, else number]"),
        )
        .arg(
            Arg::new(MAX_EVENTS)
                .long("max-events")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Stop after N verified deliveries"),
        )
}

/// The secret in `path`, without the line break an editor or `echo` leaves.
fn read_secret(path: &Path) -> Result<Vec<u8>, CliError> {
    let mut secret = std::fs::read(path).map_err(|source| CliError::Read {
        what: format!("the secret file {}", path.display()),
        source,
    })?;
    while secret.last().is_some_and(u8::is_ascii_whitespace) {
        secret.pop();
    }
    Ok(secret)
}

/// An HTTP client for deliveries: no redirects followed (a receiver answers; it does not
/// send the delivery elsewhere), the global `--timeout` or 10 seconds.
fn http_client(matches: &ArgMatches) -> Result<reqwest::Client, CliError> {
    let timeout = matches
        .get_one::<f64>(crate::credentials::ids::TIMEOUT)
        .map_or(Duration::from_secs(10), |seconds| {
            Duration::from_secs_f64(*seconds)
        });
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .user_agent(format!(
            "pilot-status-cli/{} (webhooks)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|error| CliError::Usage(format!("cannot build the HTTP client: {error}")))
}

/// Sends the samples the command line names, or lists them.
pub fn trigger(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    if matches.get_flag(LIST) {
        let mut text = event_names().join("\n");
        text.push('\n');
        return crate::output::write(&text);
    }
    let secret = read_secret(
        matches
            .get_one::<PathBuf>(SECRET_FILE)
            .ok_or_else(|| CliError::Usage("--secret-file is required".to_owned()))?,
    )?;
    // The same refusal as the verifier's: anyone can sign with an empty secret.
    NumberWebhooks::new(secret.clone())?;
    let secret = String::from_utf8(secret)
        .map_err(|_| CliError::Usage("the webhook secret is not UTF-8 text".to_owned()))?;
    let to = matches
        .get_one::<String>(TO)
        .cloned()
        .ok_or_else(|| CliError::Usage("--to is required".to_owned()))?;
    let named: Vec<&String> = matches
        .get_many::<String>(EVENTS)
        .into_iter()
        .flatten()
        .collect();
    let chosen: Vec<Sample> = samples()
        .into_iter()
        .filter(|sample| matches.get_flag(ALL) || named.contains(&&sample.name))
        .collect();
    // Pilot Status signs each kind with its own webhook's secret.
    let line_secret = secret.starts_with("plwh_");
    if (line_secret || secret.starts_with("whsec_"))
        && let Some(other) = chosen
            .iter()
            .find(|sample| sample.phone_line != line_secret)
    {
        eprintln!(
            "note: {} comes from {} webhooks, whose secret starts with {}; signing it with \
             the given one anyway",
            other.name,
            if other.phone_line {
                "phone-line"
            } else {
                "number"
            },
            if other.phone_line { "plwh_" } else { "whsec_" },
        );
    }
    let client = http_client(matches)?;
    let progress = Progress::bar(chosen.len() as u64, "delivering");
    let outcome = crate::runtime()?.block_on(async {
        let mut refused = None;
        for sample in &chosen {
            let delivery = SignedDelivery::from_body(secret.as_str(), sample.body.to_string());
            let answer = client
                .post(&to)
                .headers(delivery.headers())
                .body(delivery.body().clone())
                .send()
                .await
                .map_err(|source| CliError::Deliver {
                    to: to.clone(),
                    source,
                })?;
            let status = answer.status();
            let text = answer.text().await.unwrap_or_default();
            let answered = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
            progress.suspend(|| {
                output.value(&json!({
                    "event": sample.name,
                    "status": status.as_u16(),
                    "answer": answered,
                }))
            })?;
            progress.inc();
            if !status.is_success() && refused.is_none() {
                refused = Some(CliError::ReceiverRefused {
                    event: sample.name.clone(),
                    status: status.as_u16(),
                });
            }
        }
        refused.map_or(Ok(()), Err)
    });
    progress.finish();
    outcome
}

/// What the receiver shares with its handler.
struct Receiver {
    verifier: Verifier,
    forward: Option<(reqwest::Client, String)>,
    events: mpsc::UnboundedSender<Received>,
}

/// The verifier of the webhooks `listen` receives.
enum Verifier {
    Number(NumberWebhooks),
    PhoneLine(PhoneLineWebhooks),
}

/// What the receiver saw, for the printing loop (in the order it happened).
enum Received {
    /// A verified delivery.
    Event {
        name: String,
        event: Value,
        deviations: Vec<pilot_status::Deviation>,
        forwarded: Option<Result<u16, String>>,
    },
    /// A refused one, and why.
    Refused(String),
}

impl Verifier {
    /// The event of a delivery, as JSON, with its name and deviations.
    #[allow(clippy::result_large_err)]
    fn read(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(String, Value, Vec<pilot_status::Deviation>), WebhookError> {
        let signature = signature_from(headers);
        let (name, event, deviations) = match self {
            Self::Number(webhooks) => {
                let delivery = webhooks.verify_and_parse(signature, body)?;
                (
                    delivery.event.name().to_owned(),
                    serde_json::to_value(&delivery.event),
                    delivery.deviations,
                )
            }
            Self::PhoneLine(webhooks) => {
                let delivery = webhooks.verify_and_parse(signature, body)?;
                (
                    delivery.event.name().to_owned(),
                    serde_json::to_value(&delivery.event),
                    delivery.deviations,
                )
            }
        };
        Ok((name, event.unwrap_or(Value::Null), deviations))
    }
}

/// Runs the receiver until interrupted or `--max-events` deliveries were verified.
pub fn listen(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    let secret_file = matches
        .get_one::<PathBuf>(SECRET_FILE)
        .ok_or_else(|| CliError::Usage("--secret-file is required".to_owned()))?;
    let secret = read_secret(secret_file)?;
    let phone_line = match matches.get_one::<String>(KIND).map(String::as_str) {
        Some(kind) => kind == "phone-line",
        None => secret.starts_with(b"plwh_"),
    };
    let verifier = if phone_line {
        Verifier::PhoneLine(PhoneLineWebhooks::new(secret)?)
    } else {
        Verifier::Number(NumberWebhooks::new(secret)?)
    };
    let forward = matches
        .get_one::<String>(FORWARD_TO)
        .map(|url| Ok::<_, CliError>((http_client(matches)?, url.clone())))
        .transpose()?;
    let port = matches.get_one::<u16>(PORT).copied().unwrap_or(0);
    let max_events = matches.get_one::<u64>(MAX_EVENTS).copied();
    let forwarding = forward.as_ref().map(|(_, url)| url.clone());
    crate::runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|source| CliError::Listen { port, source })?;
        let address = listener
            .local_addr()
            .map_err(|source| CliError::Listen { port, source })?;
        let (events, mut received) = mpsc::unbounded_channel();
        let receiver = Arc::new(Receiver {
            verifier,
            forward,
            events,
        });
        let app = axum::Router::new()
            .fallback(receive)
            .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
            .with_state(receiver);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        eprintln!(
            "listening on http://{address} ({} webhooks{}); stop with Ctrl-C",
            if phone_line { "phone-line" } else { "number" },
            forwarding
                .map(|url| format!(", forwarding to {url}"))
                .unwrap_or_default()
        );
        let mut count = 0;
        let mut outcome = Ok(());
        while let Some(delivery) = received.recv().await {
            let (name, event, deviations, forwarded) = match delivery {
                Received::Refused(reason) => {
                    eprintln!("refused a delivery: {reason}");
                    continue;
                }
                Received::Event {
                    name,
                    event,
                    deviations,
                    forwarded,
                } => (name, event, deviations, forwarded),
            };
            eprintln!("verified {name}");
            warn_deviations("the event", &deviations);
            match &forwarded {
                Some(Ok(status)) => eprintln!("forwarded {name}: {status}"),
                Some(Err(error)) => eprintln!("could not forward {name}: {error}"),
                None => {}
            }
            if let Err(error) = output.value(&event) {
                outcome = Err(error);
                break;
            }
            count += 1;
            if max_events.is_some_and(|max| count >= max) {
                break;
            }
        }
        let _ = stop.send(());
        match server.await {
            Ok(Ok(())) => outcome,
            Ok(Err(source)) => Err(CliError::Listen { port, source }),
            Err(error) => Err(CliError::Listen {
                port,
                source: std::io::Error::other(error.to_string()),
            }),
        }
    })
}

/// The handler of every request: verify, read, forward, answer.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (name, event, deviations) = match receiver.verifier.read(&headers, &body) {
        Ok(read) => read,
        Err(error) => {
            let status = match error {
                WebhookError::Signature(_) => StatusCode::UNAUTHORIZED,
                _ => StatusCode::BAD_REQUEST,
            };
            let _ = receiver.events.send(Received::Refused(error.to_string()));
            return json_response(status, &json!({"error": error.to_string()}));
        }
    };
    let (forwarded, response) = match &receiver.forward {
        None => (
            None,
            json_response(StatusCode::OK, &json!({"received": name})),
        ),
        Some((client, url)) => match forward(client, url, &headers, body).await {
            Ok((status, answer)) => (Some(Ok(status.as_u16())), (status, answer).into_response()),
            Err(error) => (
                Some(Err(error.clone())),
                json_response(
                    StatusCode::BAD_GATEWAY,
                    &json!({"error": format!("could not forward: {error}")}),
                ),
            ),
        },
    };
    let _ = receiver.events.send(Received::Event {
        name,
        event,
        deviations,
        forwarded,
    });
    response
}

/// A JSON answer.
fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Posts a delivery on, with the headers that make it one (signature, content type).
async fn forward(
    client: &reqwest::Client,
    url: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Bytes), String> {
    let mut request = client.post(url).body(body);
    for name in [
        pilot_status::webhooks::SIGNATURE_HEADER,
        "content-type",
        "user-agent",
    ] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.clone());
        }
    }
    let answer = request
        .send()
        .await
        .map_err(|error| crate::error::chain(&error))?;
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let body = answer
        .bytes()
        .await
        .map_err(|error| crate::error::chain(&error))?;
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_event_has_one_sample_and_a_unique_name() {
        let names = event_names();
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(names.contains(&"message.received".to_owned()));
        assert!(names.contains(&"phone_line.code_received".to_owned()));
        assert!(!names.contains(&"flow.response_received".to_owned()));
        assert_eq!(names.len(), 24 + 10);
    }
}
