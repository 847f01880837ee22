//! The clap command tree: global options, one command per resource, one subcommand per
//! operation (from the generated table), `messages send-batch`, `webhooks verify` and
//! `completions`.

use std::path::PathBuf;

use clap::builder::ValueParser;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::call::{self, ALL, BODY, member_id, negation_id, parameter_id};
use crate::credentials::{API_KEY_ID_VARIABLE, API_KEY_VARIABLE, ids};
use crate::error::EXIT_STATUS_HELP;
use crate::table::{self, Body, Kind, Location, Member, Operation, Resource};
use crate::{batch, hand_written, webhook, webhook_dev};

/// The name of the tool.
pub const BIN: &str = "pilot-status";

/// The subcommand that prints completion scripts.
pub const COMPLETIONS: &str = "completions";

const ABOUT: &str = "The Pilot Status WhatsApp API from the command line";

/// The whole command line of `pilot-status`.
pub fn command() -> Command {
    let mut root = Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .long_version(format!(
            "{} (API spec {})",
            env!("CARGO_PKG_VERSION"),
            pilot_status::SPEC_VERSION
        ))
        .about(ABOUT)
        .long_about(format!(
            "{ABOUT}: every operation is `pilot-status <resource> <method>`, the SDK's \
             `client.<resource>().<method>(..)`. Required parameters are positional, optional \
             ones are options; a request body is given by its members as options or whole as \
             --body FILE (- for standard input), and is checked before anything is sent.\n\n\
             Credentials come from a profile `auth login` kept (in the system keyring), \
             --profile NAME; from the environment, {API_KEY_VARIABLE} (or \
             {API_KEY_ID_VARIABLE}); or from a file, --api-key-file PATH; never from an \
             argument."
        ))
        .after_long_help(EXIT_STATUS_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_options());
    for resource in table::resources().iter().filter(|r| r.parent.is_none()) {
        root = root.subcommand(resource_command(resource));
    }
    root.subcommand(crate::api::command())
        .subcommand(crate::auth::command())
        .subcommand(
        Command::new(COMPLETIONS)
            .about("Print the completion script of a shell")
            .long_about(
                "Print the completion script of a shell on standard output, e.g. \
                 `pilot-status completions bash > ~/.local/share/bash-completion/completions/pilot-status`.",
            )
            .arg(
                Arg::new("shell")
                    .value_name("SHELL")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell))
                    .help("The shell"),
            ),
    )
}

/// The help heading of the options every command has.
const GLOBAL_HEADING: &str = "Global options";

fn global_options() -> Vec<Arg> {
    let options = vec![
        Arg::new(ids::API_KEY_FILE)
            .long("api-key-file")
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf))
            .global(true)
            .help(format!(
                "Read the API key (ps_...) from this file instead of {API_KEY_VARIABLE}"
            )),
        Arg::new(ids::PROFILE)
            .long("profile")
            .value_name("NAME")
            .env("PILOT_STATUS_PROFILE")
            .global(true)
            .help("Use the key (and number and base URL) `auth login --profile NAME` kept"),
        Arg::new(ids::NUMBER)
            .long("number-id")
            // Not `ID`: a usage line names it beside a call's own `<ID>`.
            .value_name("NUMBER_ID")
            .env("PILOT_STATUS_NUMBER_ID")
            .hide_env_values(true)
            .global(true)
            .help("The WhatsApp number an account-wide key acts for (x-whatsapp-number-id)"),
        Arg::new(ids::BASE_URL)
            .long("base-url")
            .value_name("URL")
            .env("PILOT_STATUS_BASE_URL")
            .hide_env_values(true)
            .global(true)
            .help(format!(
                "Send requests to this base URL [default: {}]",
                pilot_status::DEFAULT_BASE_URL
            )),
        Arg::new(ids::FORMAT)
            .long("format")
            .value_name("FORMAT")
            .value_parser(crate::output::FORMATS)
            .hide_possible_values(true)
            .default_value("auto")
            .global(true)
            .help("json (indented), jsonl (one document per line) or table; auto: json on a terminal, jsonl when piped (pretty and compact: the older names of json and jsonl)"),
        Arg::new(ids::JQ)
            .long("jq")
            .value_name("EXPR")
            .global(true)
            .help("Filter each document with this jq expression (run in-process; a string result prints as text)"),
        Arg::new(ids::INCLUDE)
            .long("include")
            .short('i')
            .action(clap::ArgAction::SetTrue)
            .global(true)
            .help("Print the response's status line and headers before its body"),
        Arg::new(ids::TIMEOUT)
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(ValueParser::new(seconds))
            .global(true)
            .help("Time allowed for each attempt [default: 30]"),
        Arg::new(ids::RETRIES)
            .long("retries")
            .value_name("N")
            .value_parser(clap::value_parser!(u32).range(0..=10))
            .global(true)
            .help("Retries of a failed request that is safe to repeat [default: 2]"),
        Arg::new(ids::DEBUG)
            .long("debug")
            .action(clap::ArgAction::SetTrue)
            .env("PILOT_STATUS_DEBUG")
            .global(true)
            .help("Print the SDK's tracing (each request, attempt, retry, status and latency) on standard error; the key is never shown"),
        Arg::new(ids::STRICT_RESPONSES)
            .long("strict-responses")
            .action(clap::ArgAction::SetTrue)
            .env("PILOT_STATUS_STRICT_RESPONSES")
            .global(true)
            .help(
                "Fail (exit 7, the raw answer on standard output) when a success does not fit \
                 the documented type, instead of reading it as far as it fits and naming each \
                 difference on standard error",
            ),
    ];
    options
        .into_iter()
        .map(|option| option.help_heading(GLOBAL_HEADING))
        .collect()
}

/// A positive, finite number of seconds, at most a day.
fn seconds(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err(format!(
            "expected a number of seconds between 0 and 86400, got {raw:?}"
        )),
    }
}

fn resource_command(resource: &'static Resource) -> Command {
    let mut command = Command::new(resource.command)
        .about(resource.about.trim_end_matches('.'))
        .long_about(resource.about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for child in table::resources()
        .iter()
        .filter(|r| r.parent == Some(resource.path))
    {
        command = command.subcommand(resource_command(child));
    }
    for operation in table::operations()
        .iter()
        .filter(|o| o.resource == resource.path)
    {
        command = command.subcommand(operation_command(operation));
    }
    if resource.path == webhook::RESOURCE {
        command = command
            .subcommand(webhook::verify_command())
            .subcommand(webhook_dev::trigger_command())
            .subcommand(webhook_dev::listen_command());
    }
    if resource.path == batch::RESOURCE {
        command = command.subcommand(batch::command());
    }
    command
}

fn value_parser(kind: Kind, nullable: bool) -> ValueParser {
    ValueParser::new(move |raw: &str| call::check(kind, nullable, raw))
}

fn operation_command(operation: &'static Operation) -> Command {
    let mut command = Command::new(operation.command)
        .about(operation.about)
        .long_about(operation.long_about);
    let body = operation.body.as_ref();
    let members = body.map(|body| body.members).unwrap_or_default();
    for parameter in operation.parameters.iter().filter(|p| p.positional) {
        command = command.arg(
            Arg::new(parameter_id(parameter.wire))
                .value_name(parameter.value_name)
                .required(true)
                .value_parser(value_parser(parameter.kind, false))
                .help(parameter.help),
        );
    }
    // A one-of group (a send's destination, its content): two alternatives are refused
    // while parsing, naming both arguments.
    let on_the_line = |wire: &str| members.iter().any(|m| m.wire == wire && !m.credential);
    let conflicts = |member: &Member| -> Vec<String> {
        member
            .excludes
            .iter()
            .filter(|wire| on_the_line(wire))
            .map(|wire| member_id(wire))
            .collect()
    };
    for member in members.iter().filter(|m| m.positional) {
        let mut arg = Arg::new(member_id(member.wire))
            .conflicts_with_all(conflicts(member))
            .value_name(member.value_name)
            .value_parser(value_parser(member.kind, member.nullable))
            .help(member.help);
        if member.required {
            arg = arg.required_unless_present(BODY);
        }
        if let Kind::List(_) = member.kind {
            arg = arg.num_args(1..).action(ArgAction::Append);
        }
        command = command.arg(arg);
    }
    for parameter in operation.parameters.iter().filter(|p| !p.positional) {
        let location = match parameter.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        };
        let arg = Arg::new(parameter_id(parameter.wire))
            .long(parameter.long)
            .help(parameter.help)
            .long_help(format!(
                "{}\n\nThe {location} parameter `{}`.",
                parameter.help, parameter.wire
            ))
            .help_heading("Parameters");
        command = command.arg(match parameter.kind {
            Kind::Switch => arg.action(ArgAction::SetTrue),
            Kind::List(_) | Kind::Map => arg
                .value_name(parameter.value_name)
                .value_parser(value_parser(parameter.kind, false))
                .action(ArgAction::Append),
            _ => arg
                .value_name(parameter.value_name)
                .value_parser(value_parser(parameter.kind, false)),
        });
    }
    let body_heading = body
        .map(|body| match body.wrap {
            Some(wrap) => format!("Body: `{wrap}` of {}", body.type_name),
            None => format!("Body: {}", body.type_name),
        })
        .unwrap_or_default();
    for member in members.iter().filter(|m| !m.positional && !m.credential) {
        let arg = Arg::new(member_id(member.wire))
            .conflicts_with_all(conflicts(member))
            .long(member.long)
            .help_heading(body_heading.clone())
            .value_name(member.value_name)
            .value_parser(value_parser(member.kind, member.nullable))
            .help(member.help);
        command = command.arg(match member.kind {
            Kind::List(_) | Kind::Map => arg.action(ArgAction::Append),
            // A switch: `--mark-read` sends true, `--mark-read=false` (or `=null` where null
            // is a value) as written; its negation is the next argument.
            Kind::Boolean => arg
                .value_name(if member.nullable {
                    "true|false|null"
                } else {
                    "true|false"
                })
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .overrides_with(negation_id(member.wire)),
            _ => arg,
        });
        if member.kind == Kind::Boolean {
            command = command.arg(
                Arg::new(negation_id(member.wire))
                    .long(format!("no-{}", member.long))
                    .help_heading(body_heading.clone())
                    .action(ArgAction::SetTrue)
                    .overrides_with(member_id(member.wire))
                    .help(format!("Sends `{}: false`", member.wire)),
            );
        }
    }
    if let Some(body) = body {
        command = command.arg(
            Arg::new(BODY)
                .long("body")
                .value_name("FILE|-")
                .help_heading(body_heading.clone())
                .help(body_help(body)),
        );
    }
    if (operation.paginated)() {
        let mut all = Arg::new(ALL)
            .long("all")
            .action(ArgAction::SetTrue)
            .help("Every item of every page, one JSON document each (JSON lines when piped)");
        for paging in ["page", "before"] {
            if operation.parameters.iter().any(|p| p.wire == paging) {
                all = all.conflicts_with(parameter_id(paging));
            }
        }
        command = command.arg(all);
    }
    command.args(hand_written::options(operation.name))
}

/// The help of `--body`.
fn body_help(body: &Body) -> String {
    let what = match body.wrap {
        Some(wrap) => format!("`{wrap}` of {}", body.type_name),
        None => body.type_name.to_owned(),
    };
    let mut help = format!(
        "The whole request body ({what}) as JSON, from FILE or - (standard input); options \
         override its members"
    );
    let credentials: Vec<&str> = body
        .members
        .iter()
        .filter(|m| m.credential)
        .map(|m| m.wire)
        .collect();
    if !credentials.is_empty() {
        help.push_str(&format!(
            ". {} is a credential: it goes only here, never on the command line",
            credentials.join(", ")
        ));
    }
    help
}

/// What a command line asks for.
pub enum Target<'a> {
    /// A call: the operation and its subcommand's matches.
    Call(&'static Operation, &'a ArgMatches),
    /// `webhooks verify`.
    VerifyWebhook(&'a ArgMatches),
    /// `webhooks trigger`.
    TriggerWebhook(&'a ArgMatches),
    /// `webhooks listen`.
    ListenWebhook(&'a ArgMatches),
    /// `messages send-batch`.
    SendBatch(&'a ArgMatches),
    /// `api METHOD PATH`.
    Api(&'a ArgMatches),
    /// `auth login|status|logout`.
    Auth(&'a ArgMatches),
    /// `completions <shell>`.
    Completions(&'a ArgMatches),
}

/// Finds what the parsed command line asks for.
pub fn target(matches: &ArgMatches) -> Option<Target<'_>> {
    let (name, mut current) = matches.subcommand()?;
    if name == COMPLETIONS {
        return Some(Target::Completions(current));
    }
    if name == crate::api::API {
        return Some(Target::Api(current));
    }
    if name == crate::auth::AUTH {
        return Some(Target::Auth(current));
    }
    let mut resource = table::resources()
        .iter()
        .find(|r| r.parent.is_none() && r.command == name)?;
    loop {
        let (name, sub) = current.subcommand()?;
        if let Some(child) = table::resources()
            .iter()
            .find(|r| r.parent == Some(resource.path) && r.command == name)
        {
            resource = child;
            current = sub;
            continue;
        }
        if resource.path == webhook::RESOURCE {
            match name {
                webhook::VERIFY => return Some(Target::VerifyWebhook(sub)),
                webhook_dev::TRIGGER => return Some(Target::TriggerWebhook(sub)),
                webhook_dev::LISTEN => return Some(Target::ListenWebhook(sub)),
                _ => {}
            }
        }
        if resource.path == batch::RESOURCE && name == batch::SEND_BATCH {
            return Some(Target::SendBatch(sub));
        }
        return table::operations()
            .iter()
            .find(|o| o.resource == resource.path && o.command == name)
            .map(|operation| Target::Call(operation, sub));
    }
}
