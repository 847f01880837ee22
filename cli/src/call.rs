//! From a parsed command line to a call: typed parameter values and bodies ([`Input`]),
//! what a call produces ([`Call`]), and which calls the SDK pages ([`Pages`]).

use std::future::Future;
use std::io::{IsTerminal as _, Read as _};

use clap::ArgMatches;
use futures_util::future::LocalBoxFuture;
use futures_util::stream::{BoxStream, StreamExt as _};
use pilot_status::{Deviation, Paginated, ResponseValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::table::{Body, Kind, Member, Operation, Parameter};

/// The clap id of `--body`.
pub const BODY: &str = "body";
/// The clap id of `--all`.
pub const ALL: &str = "all";

/// The clap id of a parameter.
pub fn parameter_id(wire: &str) -> String {
    format!("parameter.{wire}")
}

/// The clap id of a body member.
pub fn member_id(wire: &str) -> String {
    format!("member.{wire}")
}

/// The clap id of a boolean member's negation, `--no-<name>`.
pub fn negation_id(wire: &str) -> String {
    format!("negation.{wire}")
}

/// Says on standard error where `what` (a response, a page, an event) differed from the
/// SDK's type: the API accepted the call, so the command still succeeds, and prints what
/// the SDK read (the `found` values are here).
pub fn warn_deviations(what: &str, deviations: &[Deviation]) {
    if deviations.is_empty() {
        return;
    }
    eprintln!(
        "warning: {what} differs from the documented type at {} place{}; read as far as it fits:",
        deviations.len(),
        if deviations.len() == 1 { "" } else { "s" }
    );
    for deviation in deviations {
        eprintln!("  {deviation}");
    }
}

/// The items of a paged list, as JSON.
pub type ItemStream = BoxStream<'static, Result<Value, CliError>>;

/// The status line and headers of a response (`--include`).
#[derive(Debug, Clone)]
pub struct Head {
    /// The status code.
    pub status: u16,
    /// Its reason phrase (`OK`, `Accepted`).
    pub reason: &'static str,
    /// The headers, in the order received (values that are not text shown lossily).
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The head of a response with `status` and `headers`.
    pub fn new(status: http::StatusCode, headers: &http::HeaderMap) -> Self {
        Self {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or(""),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
        }
    }
}

/// A response as the command prints it: its body as JSON, and its head for `--include`.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The body (typed by the SDK, then as JSON).
    pub value: Value,
    /// The status and headers, when the call had one response.
    pub head: Option<Head>,
}

/// What a subcommand's call produces once awaited.
pub enum Call {
    /// One response, printed as one JSON document.
    Response(LocalBoxFuture<'static, Result<Answer, CliError>>),
    /// Every item of every page (`--all`), one JSON document each.
    Items(ItemStream),
    /// A call that writes its own output (a binary download); what it returns, if
    /// anything, is printed as JSON.
    Custom(LocalBoxFuture<'static, Result<Option<Value>, CliError>>),
}

impl Call {
    /// A call whose response body is printed: `call.send()` of a builder.
    pub fn response<T, F>(send: F) -> Self
    where
        T: Serialize,
        F: Future<Output = Result<ResponseValue<T>, pilot_status::Error>> + 'static,
    {
        Self::Response(Box::pin(async move {
            let response = send.await?;
            warn_deviations("the response", response.deviations());
            let head = Head::new(response.status(), response.headers());
            let value = serde_json::to_value(response.into_inner()).map_err(CliError::Json)?;
            Ok(Answer {
                value,
                head: Some(head),
            })
        }))
    }
}

/// A builder, asked whether the SDK pages it. The generated code writes
/// `(&Pages(Some(call))).items()`: [`Paged`] answers for the builders that implement
/// [`Paginated`] (its method takes `&Pages<B>`, the type of the expression), [`Unpaged`]
/// for every other builder (its method takes `&&Pages<B>`, found one auto-reference
/// later). So `--all` exists exactly where the SDK implements `Paginated`, and streams with
/// the SDK's own `Paginated::stream`.
pub struct Pages<B>(pub Option<B>);

/// [`Pages`] of a builder the SDK pages.
pub trait Paged {
    /// True.
    fn paginated(&self) -> bool;
    /// Every item of every page, fetched page by page as they are read.
    fn items(&self) -> Option<ItemStream>;
}

/// [`Pages`] of any other builder.
pub trait Unpaged {
    /// False.
    fn paginated(&self) -> bool;
    /// None.
    fn items(&self) -> Option<ItemStream>;
}

impl<B> Paged for Pages<B>
where
    B: Paginated + 'static,
    B::Item: Serialize,
{
    fn paginated(&self) -> bool {
        true
    }

    fn items(&self) -> Option<ItemStream> {
        let request = self.0.clone()?;
        Some(
            request
                .pages()
                .flat_map(|page| {
                    let items: Vec<Result<Value, CliError>> = match page {
                        Ok(page) => {
                            warn_deviations("a page", &page.deviations);
                            page.items
                                .into_iter()
                                .map(|item| serde_json::to_value(item).map_err(CliError::Json))
                                .collect()
                        }
                        Err(error) => vec![Err(error.into())],
                    };
                    futures_util::stream::iter(items)
                })
                .boxed(),
        )
    }
}

impl<B> Unpaged for &Pages<B> {
    fn paginated(&self) -> bool {
        false
    }

    fn items(&self) -> Option<ItemStream> {
        None
    }
}

/// `paginated` of a hand-written operation.
pub fn never_paginated() -> bool {
    false
}

/// The command line of one subcommand, read as the SDK's typed values.
pub struct Input<'a> {
    operation: &'static Operation,
    matches: &'a ArgMatches,
}

impl<'a> Input<'a> {
    /// The values of `operation`'s subcommand.
    pub fn new(operation: &'static Operation, matches: &'a ArgMatches) -> Self {
        Self { operation, matches }
    }

    /// The subcommand's matches (for hand-written options).
    pub fn matches(&self) -> &'a ArgMatches {
        self.matches
    }

    /// `--all` was given.
    pub fn all(&self) -> bool {
        flag(self.matches, ALL)
    }

    /// A query switch was given.
    pub fn switch(&self, wire: &str) -> bool {
        flag(self.matches, &parameter_id(wire))
    }

    /// A required idempotency key: the one `--idempotency-key` gives, or a fresh one (a
    /// random UUID v4, as the SDK makes them where the key is optional). Either way the
    /// SDK checks it before sending, and a failed call names it
    /// ([`pilot_status::Error::idempotency_key`]), so it can be repeated under the same key.
    pub fn idempotency_key(&self, wire: &str) -> Result<String, CliError> {
        Ok(self
            .optional::<String>(wire)?
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
    }

    /// A required parameter, as the type its setter takes.
    pub fn required<T: DeserializeOwned>(&self, wire: &str) -> Result<T, CliError> {
        self.optional(wire)?.ok_or_else(|| {
            CliError::Usage(format!(
                "{}: the parameter `{wire}` is required",
                self.operation.name
            ))
        })
    }

    /// An optional parameter, as the type its setter takes.
    pub fn optional<T: DeserializeOwned>(&self, wire: &str) -> Result<Option<T>, CliError> {
        let parameter = self.parameter(wire)?;
        let id = parameter_id(wire);
        let Some(value) = value_of(self.matches, &id, parameter.kind, false)
            .map_err(|message| self.invalid_parameter(parameter, &message))?
        else {
            return Ok(None);
        };
        warn_unknown(&self.display_parameter(parameter), parameter.values, &value);
        serde_json::from_value(value)
            .map(Some)
            .map_err(|error| self.invalid_parameter(parameter, &error.to_string()))
    }

    /// The request body, as its typed SDK value: `--body` (if given) with the members the
    /// options and positional arguments set, checked against the type before anything is
    /// sent. `None` when the body is optional and nothing sets it.
    pub fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, CliError> {
        let Some(body) = &self.operation.body else {
            return Ok(None);
        };
        let name = self.operation.name;
        let invalid = |message: String| CliError::Body {
            operation: name,
            message,
        };
        let mut given = false;
        let mut object = match self.matches.try_get_one::<String>(BODY).ok().flatten() {
            Some(source) => {
                given = true;
                read_object(source, body)?
            }
            None => Map::new(),
        };
        for member in body.members {
            let id = member_id(member.wire);
            let value = if flag(self.matches, &negation_id(member.wire)) {
                Some(Value::Bool(false))
            } else {
                value_of(self.matches, &id, member.kind, member.nullable)
                    .map_err(|message| invalid(format!("{}: {message}", display_member(member))))?
            };
            if let Some(value) = value {
                warn_unknown(&display_member(member), member.values, &value);
                object.insert(member.wire.to_owned(), value);
                given = true;
            }
        }
        // What the command's own options add (`--media-file`), knowing the members given.
        crate::hand_written::complete_body(name, self.matches, &mut object)?;
        given |= !object.is_empty();
        if !given {
            if body.required {
                return Err(invalid(format!(
                    "the request needs a body ({}): give its members as options (see --help), \
                     or the whole body with --body FILE (- for standard input)",
                    body_name(body)
                )));
            }
            return Ok(None);
        }
        checked_body(body, object).map(Some).map_err(invalid)
    }

    fn parameter(&self, wire: &str) -> Result<&'static Parameter, CliError> {
        self.operation
            .parameters
            .iter()
            .find(|parameter| parameter.wire == wire)
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "{}: no parameter `{wire}` (a bug in pilot-status)",
                    self.operation.name
                ))
            })
    }

    fn display_parameter(&self, parameter: &Parameter) -> String {
        if parameter.positional {
            format!("<{}>", parameter.value_name)
        } else {
            format!("--{}", parameter.long)
        }
    }

    fn invalid_parameter(&self, parameter: &Parameter, message: &str) -> CliError {
        CliError::Usage(format!(
            "{}: invalid value for {}: {message}",
            self.operation.name,
            self.display_parameter(parameter)
        ))
    }
}

/// A body given as a JSON object, checked as `--body` is: every member declared at every
/// depth, every required one there, and the whole fitting the SDK's type `T`. The error says
/// what is wrong, and where.
pub fn checked_body<T: DeserializeOwned>(
    body: &Body,
    object: Map<String, Value>,
) -> Result<T, String> {
    let object = Value::Object(object);
    if let Some((path, declared)) = body.shape.undeclared(&object) {
        return Err(format!(
            "{} declares no `{path}`{}",
            body_name(body),
            if declared.is_empty() {
                String::new()
            } else {
                format!("; the members there: {}", declared.join(", "))
            }
        ));
    }
    if let Some(missing) = body
        .members
        .iter()
        .find(|member| member.required && object.get(member.wire).is_none())
    {
        let how = if missing.credential {
            "put it in --body (a credential never goes on the command line)".to_owned()
        } else {
            format!("give {} or put it in --body", display_member(missing))
        };
        return Err(format!(
            "the body has no `{}`, which {} requires: {how}",
            missing.wire,
            body_name(body),
        ));
    }
    let value = match body.wrap {
        Some(wrap) => Value::Object(Map::from_iter([(wrap.to_owned(), object)])),
        None => object,
    };
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        format!(
            "the body does not fit {}{at}: {}",
            body.type_name,
            error.into_inner()
        )
    })
}

/// `<NAME>` or `--name`.
fn display_member(member: &Member) -> String {
    if member.positional {
        format!("<{}>", member.value_name)
    } else {
        format!("--{}", member.long)
    }
}

/// `SendMessageInput`, or `settings of UpdateNumberInput`.
fn body_name(body: &Body) -> String {
    match body.wrap {
        Some(wrap) => format!("`{wrap}` of {}", body.type_name),
        None => body.type_name.to_owned(),
    }
}

fn flag(matches: &ArgMatches, id: &str) -> bool {
    matches
        .try_get_one::<bool>(id)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// The JSON of an argument's values, if given.
fn value_of(
    matches: &ArgMatches,
    id: &str,
    kind: Kind,
    nullable: bool,
) -> Result<Option<Value>, String> {
    match kind {
        Kind::Switch => Ok(flag(matches, id).then_some(Value::Bool(true))),
        Kind::Boolean => match matches.try_get_one::<String>(id).ok().flatten() {
            Some(raw) => to_json(kind, nullable, raw).map(Some),
            None => Ok(None),
        },
        Kind::List(scalar) => {
            let Some(values) = matches.try_get_many::<String>(id).ok().flatten() else {
                return Ok(None);
            };
            let values: Vec<&String> = values.collect();
            // Where null is a value (a three-state list), `null` alone sends it.
            if nullable && matches!(values.as_slice(), [only] if only.as_str() == "null") {
                return Ok(Some(Value::Null));
            }
            let items = values
                .into_iter()
                .map(|raw| to_json(scalar.into(), false, raw))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(Value::Array(items)))
        }
        Kind::Map => {
            let Some(values) = matches.try_get_many::<String>(id).ok().flatten() else {
                return Ok(None);
            };
            let mut map = Map::new();
            for raw in values {
                let (key, value) = split_entry(raw)?;
                map.insert(key.to_owned(), Value::String(value.to_owned()));
            }
            Ok(Some(Value::Object(map)))
        }
        _ => match matches.try_get_one::<String>(id).ok().flatten() {
            Some(raw) => to_json(kind, nullable, raw).map(Some),
            None => Ok(None),
        },
    }
}

fn split_entry(raw: &str) -> Result<(&str, &str), String> {
    raw.split_once('=')
        .filter(|(key, _)| !key.is_empty())
        .ok_or_else(|| format!("expected KEY=VALUE, got {raw:?}"))
}

/// The JSON a value of `kind` written as `raw` stands for.
pub fn to_json(kind: Kind, nullable: bool, raw: &str) -> Result<Value, String> {
    if nullable && raw == "null" {
        return Ok(Value::Null);
    }
    match kind {
        Kind::String => Ok(Value::String(raw.to_owned())),
        Kind::Instant => pilot_status::Timestamp::parse(raw.trim())
            .map(|instant| Value::String(instant.to_string()))
            .map_err(|error| error.to_string()),
        Kind::Integer => raw
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected a whole number, got {raw:?}")),
        Kind::Number => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("expected a number, got {raw:?}")),
        Kind::Boolean => match raw.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {raw:?}")),
        },
        Kind::Switch => Ok(Value::Bool(true)),
        Kind::List(scalar) => to_json(scalar.into(), false, raw),
        Kind::Map => split_entry(raw).map(|(_, value)| Value::String(value.to_owned())),
        Kind::Json => serde_json::from_str(raw).map_err(|error| format!("not JSON: {error}")),
    }
}

/// Checks one value as clap reads it (so a bad value is a usage error before anything
/// else happens), keeping the text.
pub fn check(kind: Kind, nullable: bool, raw: &str) -> Result<String, String> {
    to_json(kind, nullable, raw).map(|_| raw.to_owned())
}

/// Says so on standard error when a string is not one of the known values (the SDK's
/// enums are open: an unknown value is sent as given).
fn warn_unknown(option: &str, known: &[&str], value: &Value) {
    if known.is_empty() {
        return;
    }
    let values: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for value in values {
        if let Value::String(text) = value
            && !known.contains(&text.as_str())
        {
            eprintln!(
                "warning: {option} {text:?} is not one of the known values ({}); sending it as given",
                known.join(", ")
            );
        }
    }
}

/// The JSON of `--body FILE|-`, with how the source is named in messages.
pub(crate) fn read_json(source: &str) -> Result<(String, Value), CliError> {
    let (what, bytes) = if source == "-" {
        let mut bytes = Vec::new();
        if std::io::stdin().is_terminal() {
            eprintln!("reading the request body (JSON) from standard input; end it with Ctrl-D");
        }
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| CliError::Read {
                what: "the request body from standard input".to_owned(),
                source,
            })?;
        ("standard input".to_owned(), bytes)
    } else {
        let bytes = std::fs::read(source).map_err(|error| CliError::Read {
            what: format!("the --body file {source}"),
            source: error,
        })?;
        (source.to_owned(), bytes)
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => Ok((what, value)),
        Err(error) => Err(CliError::Usage(format!(
            "--body {what} is not JSON: {error}"
        ))),
    }
}

/// The JSON object of `--body FILE|-`.
fn read_object(source: &str, body: &Body) -> Result<Map<String, Value>, CliError> {
    match read_json(source)? {
        (_, Value::Object(object)) => Ok(object),
        (what, _) => Err(CliError::Usage(format!(
            "--body {what}: expected a JSON object ({})",
            body_name(body)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Scalar;

    #[test]
    fn values_become_the_json_of_their_kind() {
        assert_eq!(to_json(Kind::String, false, "12"), Ok(Value::from("12")));
        assert_eq!(
            to_json(Kind::Instant, false, "2026-06-21T14:00:00+02:00"),
            Ok(Value::from("2026-06-21T12:00:00.000Z"))
        );
        assert!(
            to_json(Kind::Instant, false, "2026-06-21")
                .unwrap_err()
                .contains("is not an RFC 3339 instant")
        );
        assert_eq!(to_json(Kind::Instant, true, "null"), Ok(Value::Null));
        assert_eq!(to_json(Kind::Integer, false, "12"), Ok(Value::from(12)));
        assert!(to_json(Kind::Integer, false, "1.5").is_err());
        assert_eq!(to_json(Kind::Number, false, "1.5"), Ok(Value::from(1.5)));
        assert_eq!(to_json(Kind::Boolean, true, "null"), Ok(Value::Null));
        assert_eq!(
            to_json(Kind::String, false, "null"),
            Ok(Value::from("null")),
            "null is a value only where the member is nullable"
        );
        assert!(to_json(Kind::Boolean, false, "yes").is_err());
        assert_eq!(
            to_json(Kind::List(Scalar::Integer), false, "3"),
            Ok(Value::from(3))
        );
        assert!(to_json(Kind::Map, false, "no-equals").is_err());
        assert!(to_json(Kind::Map, false, "=value").is_err());
        assert_eq!(
            to_json(Kind::Json, false, r#"{"a":1}"#),
            Ok(serde_json::json!({"a": 1}))
        );
    }
}
