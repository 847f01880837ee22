//! `pilot-status api METHOD PATH`: a call by method and path, for what the commands do not
//! wrap, through the SDK's [`Client::raw`](pilot_status::Client::raw): the same
//! credentials, number, retries, idempotency keys, redirect policy and redaction as every
//! other command.

use std::io::Write as _;

use clap::{Arg, ArgAction, ArgMatches, Command};
use pilot_status::Method;
use serde_json::Value;

use crate::call::{Answer, Head, read_json};
use crate::error::CliError;
use crate::output::Output;
use crate::table::{self, Scope};

/// The command.
pub const API: &str = "api";

const METHOD: &str = "method";
const PATH: &str = "path";
const BODY: &str = "body";
const QUERY: &str = "query";
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// `api METHOD PATH [--body FILE|-] [--query NAME=VALUE]... [--idempotency-key KEY]`.
pub fn command() -> Command {
    Command::new(API)
        .about("Call the API by method and path (for what the commands do not wrap)")
        .long_about(
            "Call the API by method and path, for what the commands do not wrap: a new route, \
             a member this version does not model. The call goes through the SDK like every \
             command: the same credentials (none to the public routes), --number-id, \
             retries, redirect policy, and an Idempotency-Key made where the documented route \
             takes one. A JSON answer is printed like any command's (--jq, --format, \
             --include); any other success is written to standard output as received.\n\n\
             Examples:\n  pilot-status api GET /v1/numbers\n  pilot-status api GET \
             /v1/messages/history --query pageSize=5 --jq '.messages[].id'\n  echo \
             '{\"messageIds\":[\"msg_1\"]}' | pilot-status api DELETE /v1/messages/cancel \
             --body -",
        )
        .arg(
            Arg::new(METHOD)
                .value_name("METHOD")
                .required(true)
                .value_parser([
                    "GET", "POST", "PUT", "PATCH", "DELETE", "get", "post", "put", "patch",
                    "delete",
                ])
                .hide_possible_values(true)
                .help("GET, POST, PUT, PATCH or DELETE"),
        )
        .arg(Arg::new(PATH).value_name("PATH").required(true).help(
            "The path on the API's base URL, such as /v1/numbers (a query string may follow)",
        ))
        .arg(
            Arg::new(BODY)
                .long("body")
                .value_name("FILE|-")
                .help("The JSON request body, from FILE or - (standard input)"),
        )
        .arg(
            Arg::new(QUERY)
                .long("query")
                .short('q')
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("Add NAME=VALUE to the query string; repeat for more"),
        )
        .arg(
            Arg::new(IDEMPOTENCY_KEY)
                .long("idempotency-key")
                .value_name("KEY")
                .help(
                    "Send this Idempotency-Key [default: a fresh one where the route takes a key]",
                ),
        )
}

/// Makes the call and prints its answer.
pub fn run(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    let method = matches
        .get_one::<String>(METHOD)
        .map(|method| method.to_ascii_uppercase())
        .unwrap_or_default();
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| CliError::Usage(format!("{method:?} is not an HTTP method")))?;
    let mut path = matches.get_one::<String>(PATH).cloned().unwrap_or_default();
    // `v1/numbers` as `gh api` takes it; a URL stays as given, for the SDK to refuse.
    if !path.starts_with('/') && !path.contains("://") {
        path.insert(0, '/');
    }
    let body = matches
        .get_one::<String>(BODY)
        .map(|source| read_json(source).map(|(_, body)| body))
        .transpose()?;
    let mut query = Vec::new();
    for entry in matches.get_many::<String>(QUERY).into_iter().flatten() {
        let (name, value) = entry
            .split_once('=')
            .filter(|(name, _)| !name.is_empty())
            .ok_or_else(|| CliError::Usage(format!("--query {entry:?}: expected NAME=VALUE")))?;
        query.push((name.to_owned(), value.to_owned()));
    }
    // Find the route's scope first: a public route needs no key.
    let scope = pilot_status::RawRequest::operation_of(&method, &path)
        .and_then(|name| table::operations().iter().find(|o| o.name == name))
        .map_or(Scope::Any, |operation| operation.scope);
    let client = crate::credentials::client_for(matches, scope)?;
    let mut request = client.raw(method, path);
    for (name, value) in query {
        request = request.query(name, value);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    if let Some(key) = matches.get_one::<String>(IDEMPOTENCY_KEY) {
        request = request.idempotency_key(key.clone());
    }
    let answer = crate::runtime()?.block_on(request.send())?;
    let head = Head::new(answer.status(), answer.headers());
    let bytes = answer.into_inner();
    if bytes.is_empty() {
        return output.head_only(&head);
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => output.answer(&Answer {
            value,
            head: Some(head),
        }),
        Err(_) => {
            output.head_only(&head)?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|source| CliError::Write {
                    what: "standard output".to_owned(),
                    source,
                })
        }
    }
}
