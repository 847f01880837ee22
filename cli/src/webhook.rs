//! `pilot-status webhooks verify`: replays a delivery against a secret with the SDK's
//! verifiers, and prints the typed event. No API call.

use std::io::Read as _;
use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use pilot_status::webhooks::{NumberWebhooks, PhoneLineWebhooks};
use serde_json::Value;

use crate::error::CliError;
use crate::output::Output;

/// The resource command `verify` is added to, next to the API's webhook methods.
pub const RESOURCE: &str = "webhooks";
/// The subcommand.
pub const VERIFY: &str = "verify";

const SECRET_FILE: &str = "secret-file";
const SIGNATURE: &str = "signature";
const PAYLOAD: &str = "payload";
const EVENTS: &str = "events";

/// `webhooks verify`.
pub fn verify_command() -> Command {
    Command::new(VERIFY)
        .about("Check a webhook delivery's signature and print its typed event (no API call)")
        .long_about(
            "Check a webhook delivery's signature and print its typed event (no API call).\n\n\
             Reads the delivery's body exactly as received from standard input (or --payload \
             FILE), checks --signature (the x-pilot-status-signature header) against \
             HMAC-SHA256 of it with the webhook's secret, then reads it as the SDK does and \
             prints the event as JSON. A body that differs from the event's documented type is \
             read as far as it fits, and each difference is named on standard error. A refused \
             signature exits with status 6 and prints nothing on standard output.\n\n\
             Example: pilot-status webhooks verify --secret-file whsec.txt --signature \
             \"$SIGNATURE\" < body.json",
        )
        .arg(
            Arg::new(SECRET_FILE)
                .long("secret-file")
                .value_name("FILE")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("The file holding the webhook's secret (whsec_..., or plwh_... for phone lines)"),
        )
        .arg(
            Arg::new(SIGNATURE)
                .long("signature")
                .value_name("SIGNATURE")
                .required(true)
                .help("The delivery's x-pilot-status-signature header (hex, optionally sha256=...)"),
        )
        .arg(
            Arg::new(PAYLOAD)
                .long("payload")
                .value_name("FILE|-")
                .default_value("-")
                .help("The delivery's body, byte for byte"),
        )
        .arg(
            Arg::new(EVENTS)
                .long("events")
                .value_name("KIND")
                .value_parser(["number", "phone-line"])
                .help("Which webhooks sent it [default: phone-line for a plwh_ secret, else number]"),
        )
}

/// Verifies the delivery and prints its event.
pub fn verify(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    let secret_file = matches
        .get_one::<PathBuf>(SECRET_FILE)
        .ok_or_else(|| CliError::Usage("--secret-file is required".to_owned()))?;
    let mut secret = std::fs::read(secret_file).map_err(|source| CliError::Read {
        what: format!("the secret file {}", secret_file.display()),
        source,
    })?;
    // A file written by an editor or `echo` ends with a newline the secret does not have.
    while secret.last().is_some_and(u8::is_ascii_whitespace) {
        secret.pop();
    }
    let signature = matches.get_one::<String>(SIGNATURE).map(String::as_str);
    let body = payload(
        matches
            .get_one::<String>(PAYLOAD)
            .map_or("-", String::as_str),
    )?;
    let phone_line = match matches.get_one::<String>(EVENTS).map(String::as_str) {
        Some(kind) => kind == "phone-line",
        None => secret.starts_with(b"plwh_"),
    };
    let (name, event, deviations) = if phone_line {
        let delivery = PhoneLineWebhooks::new(secret)?.verify_and_parse(signature, &body)?;
        let name = delivery.event.name().to_owned();
        (name, to_json(&delivery.event)?, delivery.deviations)
    } else {
        let delivery = NumberWebhooks::new(secret)?.verify_and_parse(signature, &body)?;
        let name = delivery.event.name().to_owned();
        (name, to_json(&delivery.event)?, delivery.deviations)
    };
    eprintln!("signature verified: {name}");
    crate::call::warn_deviations("the event", &deviations);
    output.value(&event)
}

fn to_json(event: &impl serde::Serialize) -> Result<Value, CliError> {
    serde_json::to_value(event).map_err(CliError::Json)
}

fn payload(source: &str) -> Result<Vec<u8>, CliError> {
    if source == "-" {
        let mut body = Vec::new();
        std::io::stdin()
            .read_to_end(&mut body)
            .map_err(|source| CliError::Read {
                what: "the delivery from standard input".to_owned(),
                source,
            })?;
        Ok(body)
    } else {
        std::fs::read(source).map_err(|error| CliError::Read {
            what: format!("the delivery {source}"),
            source: error,
        })
    }
}
