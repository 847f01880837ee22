//! `pilot-status auth login|status|logout`: profiles of API keys, kept in the system keyring
//! (or a file only the user can read). The key is read from the terminal without echo, or
//! from standard input; it is never an argument and never printed (`auth status` shows its
//! first characters only).

use std::io::{IsTerminal as _, Read as _};

use clap::parser::ValueSource;
use clap::{ArgMatches, Command};
use serde_json::{Value, json};

use crate::credentials::{self, Credential, ids};
use crate::error::CliError;
use crate::output::Output;
use crate::profiles::{self, Backend, DEFAULT_PROFILE, KEYRING_VARIABLE, Profile, Profiles};

/// The command.
pub const AUTH: &str = "auth";
const LOGIN: &str = "login";
const STATUS: &str = "status";
const LOGOUT: &str = "logout";

/// `auth login`, `auth status`, `auth logout`.
pub fn command() -> Command {
    Command::new(AUTH)
        .about("Keep API keys in profiles (the system keyring) and show which one is used")
        .long_about(format!(
            "Keep API keys in profiles and show which one a command uses.\n\n\
             `auth login [--profile NAME]` asks for the key (typed without echo on a \
             terminal, or read from standard input) and keeps it in the system keyring, or, \
             where there is none, in a file only you can read; --number-id and --base-url \
             given to it are kept with the profile. Commands then use the profile --profile \
             (or PILOT_STATUS_PROFILE) names, or else PILOT_STATUS_API_KEY, or else the \
             profile `{DEFAULT_PROFILE}`. {KEYRING_VARIABLE}=file keeps keys in files only \
             (scripts, CI); =system fails rather than use a file.\n\n\
             Examples:\n  pilot-status auth login --profile acme --number-id num_01\n  \
             printf '%s' \"$KEY\" | pilot-status auth login --profile ci\n  pilot-status \
             auth status\n  pilot-status --profile acme numbers list"
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(Command::new(LOGIN).about(
            "Keep an API key as a profile (asked for on the terminal, or read from standard input)",
        ))
        .subcommand(
            Command::new(STATUS).about(
                "Show which key a command uses (its first characters only), and the profiles",
            ),
        )
        .subcommand(Command::new(LOGOUT).about("Forget a profile and its key"))
}

/// Runs `auth <subcommand>`.
pub fn run(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    match matches.subcommand() {
        Some((LOGIN, sub)) => login(sub),
        Some((STATUS, sub)) => status(sub, output),
        Some((LOGOUT, sub)) => logout(sub),
        _ => Err(CliError::Usage(
            "auth: name login, status or logout".to_owned(),
        )),
    }
}

/// A global option's value, when it was given on this command line (not by the
/// environment).
fn given(matches: &ArgMatches, id: &str) -> Option<String> {
    (matches.value_source(id) == Some(ValueSource::CommandLine))
        .then(|| matches.get_one::<String>(id).cloned())
        .flatten()
}

/// The key, from the terminal (without echo) or standard input.
fn read_key(profile: &str) -> Result<String, CliError> {
    let read_error = |source| CliError::Read {
        what: "the API key from standard input".to_owned(),
        source,
    };
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!(
            "API key for profile {profile} (ps_..., not shown as you type): "
        ))
        .map_err(read_error)?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(read_error)?;
        text
    };
    let key = key.trim().to_owned();
    if key.is_empty() {
        return Err(CliError::Usage(
            "no API key given: type it when asked, or pipe it in (printf '%s' \"$KEY\" | \
             pilot-status auth login)"
                .to_owned(),
        ));
    }
    // What the SDK would refuse to send (its messages never contain the key).
    pilot_status::Client::builder()
        .api_key(key.clone())
        .build()?;
    Ok(key)
}

fn login(matches: &ArgMatches) -> Result<(), CliError> {
    if let Some(path) = matches
        .try_get_one::<std::path::PathBuf>(ids::API_KEY_FILE)
        .ok()
        .flatten()
    {
        return Err(CliError::Usage(format!(
            "auth login asks for the key (or reads it from standard input), it takes no \
             --api-key-file: pilot-status auth login < {}",
            path.display()
        )));
    }
    let name = credentials::named_profile(matches).unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    profiles::check_name(&name)?;
    let backend = Backend::from_env()?;
    let key = read_key(&name)?;
    let mut all = Profiles::load()?;
    if let Some(previous) = all.profiles.get(&name) {
        // The key a profile had is not left behind in the other store.
        let _ = profiles::delete_key(&name, previous);
    }
    let (store, fallback) = profiles::store_key(&name, &key, backend)?;
    let profile = Profile {
        store,
        key_prefix: profiles::prefix(&key),
        number_id: given(matches, ids::NUMBER),
        base_url: given(matches, ids::BASE_URL),
    };
    if let Some(reason) = fallback {
        eprintln!("note: no system keyring ({reason}); the key is in a file only you can read");
    }
    eprintln!(
        "logged in: profile {name}, key {}, kept in {}",
        profile.key_prefix,
        store.describe()
    );
    all.profiles.insert(name, profile);
    all.save()
}

fn describe(name: &str, profile: &Profile) -> Value {
    json!({
        "profile": name,
        "key": profile.key_prefix,
        "store": profile.store,
        "numberId": profile.number_id,
        "baseUrl": profile.base_url,
    })
}

fn status(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    let all = Profiles::load()?;
    let resolved = credentials::resolve(matches)?;
    let Some(credential) = &resolved.credential else {
        return Err(CliError::MissingKey);
    };
    let profile = resolved.profile.as_ref();
    let number = matches
        .get_one::<String>(ids::NUMBER)
        .cloned()
        .or_else(|| profile.and_then(|(_, p)| p.number_id.clone()));
    let base_url = matches
        .get_one::<String>(ids::BASE_URL)
        .cloned()
        .or_else(|| profile.and_then(|(_, p)| p.base_url.clone()))
        .unwrap_or_else(|| pilot_status::DEFAULT_BASE_URL.to_owned());
    let kind = match credential {
        Credential::Key(_) => "x-api-key",
        Credential::KeyId(_) => "x-api-key-id",
    };
    output.value(&json!({
        "source": resolved.source,
        "key": profiles::prefix(credential.secret()),
        "sentAs": kind,
        "numberId": number,
        "baseUrl": base_url,
        "profiles": all
            .profiles
            .iter()
            .map(|(name, profile)| describe(name, profile))
            .collect::<Vec<_>>(),
    }))
}

fn logout(matches: &ArgMatches) -> Result<(), CliError> {
    let name = credentials::named_profile(matches).unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    profiles::check_name(&name)?;
    let mut all = Profiles::load()?;
    let profile = all
        .profiles
        .remove(&name)
        .ok_or_else(|| CliError::NoProfile(name.clone()))?;
    profiles::delete_key(&name, &profile)?;
    all.save()?;
    eprintln!("logged out: profile {name} and its key are gone");
    Ok(())
}
