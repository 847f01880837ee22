//! `pilot-status`: the Pilot Status WhatsApp API from the command line.
//!
//! Every operation of the API is a subcommand, `pilot-status <resource> <method>`, named
//! and shaped as the SDK's `client.<resource>().<method>(..)`: the command table and the
//! calls are generated at build time (the SDK's `build.rs` with its `cli` feature, through
//! `pilot_status_codegen::Inputs::generate_for_build`) from the same corrected spec and
//! design as the SDK, and every call goes through the SDK, so
//! credentials, retries, errors, the redirect policy and the number header behave exactly
//! as in the library.
//!
//! Besides the operations: `messages send-batch` (one message per row of a file, each sent
//! exactly once, resumable from a journal), `api METHOD PATH` (a raw call through the same
//! client), `auth login|status|logout` (profiles: keys in the system keyring or a file only
//! the user can read), `webhooks verify`, `webhooks trigger` and `webhooks listen` (local
//! webhook development on the SDK's fixtures and verifier) and `completions`.
//!
//! The binary is a thin `main` over [`run`]; [`command`] is the clap command (for tests,
//! completions and documentation).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod auth;
mod batch;
mod call;
mod commands;
mod credentials;
mod debug;
mod error;
mod files;
mod hand_written;
mod jq;
mod output;
mod profiles;
mod table;
mod tabular;
mod webhook;
mod webhook_dev;

/// The command table and calls generated from the spec: the SDK's `build.rs` (feature `cli`)
/// writes them as the body of the macro `pilot_status::__cli_commands!`, expanded here, in
/// this crate, whose `table`, `call`, `error` and `hand_written` they name.
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_qualifications,
    clippy::collapsible_if
)]
mod generated {
    pilot_status::__cli_commands!();
}

use std::ffi::OsString;

pub use commands::command;
pub use error::Exit;

use crate::commands::Target;
use crate::error::CliError;
use crate::output::{Format, Output};

/// The SDK methods the subcommands call (`numbers.get`, `numbers.update_settings`, ...),
/// with the resource path and the subcommand name: `("numbers", "update-settings")`.
pub fn operations() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    table::operations()
        .iter()
        .map(|operation| (operation.name, operation.resource, operation.command))
}

/// Runs `pilot-status` with these arguments (the first is the program name) and returns
/// the exit status; errors are printed on standard error.
pub fn run<I, T>(arguments: I) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = match command().try_get_matches_from(arguments) {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version go to standard output and succeed; errors exit with 2.
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            };
        }
    };
    match execute(&matches) {
        Ok(()) => Exit::Success,
        Err(error) if error.is_broken_pipe() => Exit::Success,
        Err(error) => {
            error::report(&error);
            error.exit()
        }
    }
}

/// The completion script of `shell`. clap_complete's bash script names the subcommands of
/// a hyphenated program (`pilot-status numbers get`) two ways, `pilot__status__subcmd__..`
/// where it walks the words and `pilot__subcmd__status__subcmd__..` where it completes them,
/// so completion stopped after the first word; the second spelling is made the first.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), commands::BIN, &mut script);
    if shell != clap_complete::Shell::Bash {
        return script;
    }
    let walked = commands::BIN.replace('-', "__");
    let completed = commands::BIN.replace('-', "__subcmd__");
    String::from_utf8_lossy(&script)
        .replace(
            &format!("{completed}__subcmd__"),
            &format!("{walked}__subcmd__"),
        )
        .into_bytes()
}

/// The matches of the innermost subcommand (where every global option is found).
fn leaf(matches: &clap::ArgMatches) -> &clap::ArgMatches {
    let mut current = matches;
    while let Some((_, sub)) = current.subcommand() {
        current = sub;
    }
    current
}

fn execute(matches: &clap::ArgMatches) -> Result<(), CliError> {
    if leaf(matches)
        .try_get_one::<bool>(credentials::ids::DEBUG)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
    {
        debug::enable();
    }
    let target = commands::target(matches)
        .ok_or_else(|| CliError::Usage("no such command; see --help".to_owned()))?;
    match target {
        Target::Completions(sub) => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| CliError::Usage("name a shell".to_owned()))?;
            let script = completions(shell);
            std::io::Write::write_all(&mut std::io::stdout(), &script).map_err(|source| {
                CliError::Write {
                    what: "standard output".to_owned(),
                    source,
                }
            })
        }
        Target::VerifyWebhook(sub) => webhook::verify(sub, &output_for(sub)?),
        Target::TriggerWebhook(sub) => webhook_dev::trigger(sub, &output_for(sub)?),
        Target::ListenWebhook(sub) => webhook_dev::listen(sub, &output_for(sub)?),
        Target::SendBatch(sub) => batch::run(sub, &output_for(sub)?),
        Target::Api(sub) => api::run(sub, &output_for(sub)?),
        Target::Auth(sub) => auth::run(sub, &output_for(sub)?),
        Target::Call(operation, sub) => {
            let output = output_for(sub)?;
            let client = credentials::client(sub, operation)?;
            let input = call::Input::new(operation, sub);
            // Everything is parsed and checked here, before anything is sent.
            let call = (operation.run)(&client, &input)?;
            let call = hand_written::finish(operation.name, sub, call)?;
            runtime()?.block_on(output.emit(call))
        }
    }
}

/// The output of the global options `--format`, `--jq` and `--include`; a `--jq` filter that
/// does not compile is a usage error here, before anything is sent.
/// The async runtime a command's calls run on: one thread, the command's own.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
}

fn output_for(matches: &clap::ArgMatches) -> Result<Output, CliError> {
    let format = Format::from_choice(
        matches
            .get_one::<String>(credentials::ids::FORMAT)
            .map(String::as_str),
    );
    let jq = matches
        .get_one::<String>(credentials::ids::JQ)
        .map(|code| jq::Jq::new(code))
        .transpose()?;
    Ok(Output::new(
        format,
        jq,
        matches.get_flag(credentials::ids::INCLUDE),
    ))
}
