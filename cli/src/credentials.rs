//! The SDK client a command calls through: the credential from the environment or a file
//! (never from an argument, which shell history and `ps` would show), and the global
//! options.

use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use pilot_status::{Client, RetryPolicy};

use crate::error::CliError;
use crate::table::{Operation, Scope};

/// The environment variable holding the API key (`ps_...`), sent as `x-api-key`.
pub const API_KEY_VARIABLE: &str = "PILOT_STATUS_API_KEY";
/// The environment variable holding an API key id, sent as `x-api-key-id`.
pub const API_KEY_ID_VARIABLE: &str = "PILOT_STATUS_API_KEY_ID";

/// clap ids of the global options.
pub mod ids {
    /// `--api-key-file PATH`.
    pub const API_KEY_FILE: &str = "api-key-file";
    /// `--number-id ID`.
    pub const NUMBER: &str = "number-id";
    /// `--base-url URL`.
    pub const BASE_URL: &str = "base-url";
    /// `--timeout SECONDS`.
    pub const TIMEOUT: &str = "timeout";
    /// `--retries N`.
    pub const RETRIES: &str = "retries";
    /// `--format auto|json|jsonl|table` (and `pretty`, `compact`).
    pub const FORMAT: &str = "format";
    /// `--jq EXPR`.
    pub const JQ: &str = "jq";
    /// `-i`, `--include`.
    pub const INCLUDE: &str = "include";
    /// `--strict-responses`.
    pub const STRICT_RESPONSES: &str = "strict-responses";
}

/// Sent to public operations (`Scope::None`) when no credential is configured: the SDK
/// sends no credential to them (`security: []`), but a client needs one to be built.
const UNUSED_CREDENTIAL: &str = "unused-public-operations-send-no-key";

enum Credential {
    Key(String),
    KeyId(String),
}

/// `--api-key-file` first, then `PILOT_STATUS_API_KEY`, then `PILOT_STATUS_API_KEY_ID`.
fn credential(matches: &ArgMatches) -> Result<Option<Credential>, CliError> {
    if let Some(path) = matches.get_one::<PathBuf>(ids::API_KEY_FILE) {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            what: format!("the API key file {}", path.display()),
            source,
        })?;
        let key = text.trim();
        if key.is_empty() {
            return Err(CliError::Usage(format!(
                "the API key file {} is empty",
                path.display()
            )));
        }
        return Ok(Some(Credential::Key(key.to_owned())));
    }
    if let Some(key) = variable(API_KEY_VARIABLE)? {
        return Ok(Some(Credential::Key(key)));
    }
    Ok(variable(API_KEY_ID_VARIABLE)?.map(Credential::KeyId))
}

/// A set, non-blank variable, trimmed.
fn variable(name: &str) -> Result<Option<String>, CliError> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::Usage(format!(
            "the environment variable {name} is not valid Unicode"
        ))),
    }
}

/// The user agent: this tool and the SDK it calls through.
fn user_agent() -> String {
    format!(
        "pilot-status-cli/{} {}",
        env!("CARGO_PKG_VERSION"),
        pilot_status::default_user_agent()
    )
}

/// The client for `operation`, from the global options in `matches`.
pub fn client(matches: &ArgMatches, operation: &Operation) -> Result<Client, CliError> {
    client_for(matches, operation.scope)
}

/// The client for a call whose key scope is `scope` (`Scope::None`: no key needed), from the
/// global options in `matches`.
pub fn client_for(matches: &ArgMatches, scope: Scope) -> Result<Client, CliError> {
    let mut builder = Client::builder().user_agent(user_agent());
    builder = match credential(matches)? {
        Some(Credential::Key(key)) => builder.api_key(key),
        Some(Credential::KeyId(id)) => builder.api_key_id(id),
        None if scope == Scope::None => builder.api_key(UNUSED_CREDENTIAL),
        None => return Err(CliError::MissingKey),
    };
    if let Some(number) = matches.get_one::<String>(ids::NUMBER) {
        builder = builder.number_id(number.clone());
    }
    if let Some(url) = matches.get_one::<String>(ids::BASE_URL) {
        builder = builder.base_url(url.clone());
    }
    if let Some(seconds) = matches.get_one::<f64>(ids::TIMEOUT) {
        builder = builder.timeout(Duration::from_secs_f64(*seconds));
    }
    if let Some(retries) = matches.get_one::<u32>(ids::RETRIES) {
        builder = builder.retry_policy(RetryPolicy::default().max_retries(*retries));
    }
    if matches.get_flag(ids::STRICT_RESPONSES) {
        builder = builder.strict_responses(true);
    }
    Ok(builder.build()?)
}
