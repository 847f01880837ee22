//! The SDK client a command calls through: the credential from the environment or a file
//! (never from an argument, which shell history and `ps` would show), and the global
//! options.

use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use pilot_status::{Client, RetryPolicy};

use crate::error::CliError;
use crate::profiles::{self, DEFAULT_PROFILE, Profile, Profiles};
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
    /// `--profile NAME`.
    pub const PROFILE: &str = "profile";
    /// `--debug`.
    pub const DEBUG: &str = "debug";
}

/// Sent to public operations (`Scope::None`) when no credential is configured: the SDK
/// sends no credential to them (`security: []`), but a client needs one to be built.
const UNUSED_CREDENTIAL: &str = "unused-public-operations-send-no-key";

/// A credential, as the SDK sends it. Its `Debug` never shows it.
pub enum Credential {
    /// An API key (`ps_...`), sent as `x-api-key`.
    Key(String),
    /// An API key id, sent as `x-api-key-id`.
    KeyId(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Key(_) => f.write_str("Key(<redacted>)"),
            Self::KeyId(_) => f.write_str("KeyId(<redacted>)"),
        }
    }
}

impl Credential {
    /// The secret itself (to build a client or to redact it; never to print it).
    pub fn secret(&self) -> &str {
        match self {
            Self::Key(secret) | Self::KeyId(secret) => secret,
        }
    }
}

/// The credential a command uses, where it came from, and the profile it belongs to.
#[derive(Debug)]
pub struct Resolved {
    /// The credential, if any is configured.
    pub credential: Option<Credential>,
    /// Where it came from, for `auth status`: `PILOT_STATUS_API_KEY`, `profile work`, ...
    pub source: Option<String>,
    /// The profile it came from (its number and base URL apply too).
    pub profile: Option<(String, Profile)>,
}

/// The profile `--profile` (or `PILOT_STATUS_PROFILE`) names.
pub fn named_profile(matches: &ArgMatches) -> Option<String> {
    matches
        .try_get_one::<String>(ids::PROFILE)
        .ok()
        .flatten()
        .cloned()
}

/// The credential of a command, first found of: `--api-key-file`; the profile `--profile`
/// (or `PILOT_STATUS_PROFILE`) names; `PILOT_STATUS_API_KEY`; `PILOT_STATUS_API_KEY_ID`; the
/// profile `default`, when `auth login` made one. `--profile` and `--api-key-file` on one
/// command line are a usage error; a profile from the environment gives way to the file.
pub fn resolve(matches: &ArgMatches) -> Result<Resolved, CliError> {
    let on_the_command_line =
        |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    if on_the_command_line(ids::PROFILE) && on_the_command_line(ids::API_KEY_FILE) {
        return Err(CliError::Usage(
            "--profile and --api-key-file both name a key: give one".to_owned(),
        ));
    }
    if let Some(path) = matches
        .try_get_one::<PathBuf>(ids::API_KEY_FILE)
        .ok()
        .flatten()
    {
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
        return Ok(Resolved {
            credential: Some(Credential::Key(key.to_owned())),
            source: Some(format!("--api-key-file {}", path.display())),
            profile: None,
        });
    }
    let from_profile = |name: String, profile: Profile| -> Result<Resolved, CliError> {
        let key = profiles::load_key(&name, &profile)?;
        Ok(Resolved {
            credential: Some(Credential::Key(key)),
            source: Some(format!("profile {name} ({})", profile.store.describe())),
            profile: Some((name, profile)),
        })
    };
    if let Some(name) = named_profile(matches) {
        profiles::check_name(&name)?;
        let profile = Profiles::load()?
            .profiles
            .remove(&name)
            .ok_or_else(|| CliError::NoProfile(name.clone()))?;
        return from_profile(name, profile);
    }
    for (variable_name, make) in [
        (
            API_KEY_VARIABLE,
            Credential::Key as fn(String) -> Credential,
        ),
        (API_KEY_ID_VARIABLE, Credential::KeyId),
    ] {
        if let Some(secret) = variable(variable_name)? {
            return Ok(Resolved {
                credential: Some(make(secret)),
                source: Some(variable_name.to_owned()),
                profile: None,
            });
        }
    }
    if let Some(profile) = Profiles::load()?.profiles.remove(DEFAULT_PROFILE) {
        return from_profile(DEFAULT_PROFILE.to_owned(), profile);
    }
    Ok(Resolved {
        credential: None,
        source: None,
        profile: None,
    })
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
    let resolved = resolve(matches)?;
    if let Some(credential) = &resolved.credential {
        crate::debug::redact(credential.secret());
    }
    builder = match resolved.credential {
        Some(Credential::Key(key)) => builder.api_key(key),
        Some(Credential::KeyId(id)) => builder.api_key_id(id),
        None if scope == Scope::None => builder.api_key(UNUSED_CREDENTIAL),
        None => return Err(CliError::MissingKey),
    };
    let profile = resolved.profile.map(|(_, profile)| profile);
    // The command line and the environment first, then the profile's.
    let number = matches
        .get_one::<String>(ids::NUMBER)
        .cloned()
        .or_else(|| profile.as_ref().and_then(|p| p.number_id.clone()));
    if let Some(number) = number {
        builder = builder.number_id(number);
    }
    let url = matches
        .get_one::<String>(ids::BASE_URL)
        .cloned()
        .or_else(|| profile.as_ref().and_then(|p| p.base_url.clone()));
    if let Some(url) = url {
        builder = builder.base_url(url);
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
