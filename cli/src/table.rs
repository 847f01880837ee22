//! What the generated command table is made of (`pilot_status_codegen::codegen::cli` writes
//! it): one [`Resource`] per resource command and one [`Operation`] per subcommand that
//! makes a call.

use pilot_status::Client;

use crate::call::{Call, Input};
use crate::error::CliError;

/// A resource: `pilot-status <resource> ...`, or a sub-resource under its parent.
#[derive(Debug)]
pub struct Resource {
    /// The designed path, dotted for a sub-resource: `phone_lines.verification`.
    pub path: &'static str,
    /// The subcommand: `verification`.
    pub command: &'static str,
    /// The parent's path, for a sub-resource.
    pub parent: Option<&'static str>,
    /// What it is, in one sentence.
    pub about: &'static str,
}

/// Makes the call of a subcommand: parses and checks its input, then returns the call.
pub type Run = fn(&Client, &Input<'_>) -> Result<Call, CliError>;

/// A subcommand that makes a call: an SDK method, `client.<resource>().<method>(..)`.
pub struct Operation {
    /// The SDK method, `resource.method`: `numbers.update_settings`.
    pub name: &'static str,
    /// The resource path: `numbers`.
    pub resource: &'static str,
    /// The subcommand: `update-settings`.
    pub command: &'static str,
    /// One line.
    pub about: &'static str,
    /// The summary, the description, the route, the key it needs and the SDK call.
    pub long_about: &'static str,
    /// Which API key may call it.
    pub scope: Scope,
    /// Path, query and header parameters, the required ones (positional) first.
    pub parameters: &'static [Parameter],
    /// The JSON request body, if the operation takes one.
    pub body: Option<Body>,
    /// Whether the SDK pages the call (`pilot_status::Paginated`): the command has `--all`.
    pub paginated: fn() -> bool,
    /// Makes the call.
    pub run: Run,
}

/// Which API key may call an operation (the design's scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An account-wide (tenant-scoped) key.
    Tenant,
    /// A number-scoped key, or an account-wide key with `--number-id`.
    Number,
    /// Any key.
    Any,
    /// No key: a token in the path authorises the call.
    None,
    /// Not reviewed yet (an operation the design does not name yet).
    #[allow(dead_code)]
    Unreviewed,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// A path, query or header parameter.
#[derive(Debug)]
pub struct Parameter {
    /// The name on the wire: `pageSize`.
    pub wire: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Required: a positional argument; else an option.
    pub positional: bool,
    /// The option name: `page-size` (`--page-size`).
    pub long: &'static str,
    /// The value's placeholder: `PAGE_SIZE`.
    pub value_name: &'static str,
    /// How the value is written.
    pub kind: Kind,
    /// Its known values, for a string enum.
    pub values: &'static [&'static str],
    /// The help line.
    pub help: &'static str,
}

/// A JSON request body.
#[derive(Debug)]
pub struct Body {
    /// The SDK type the body is checked against: `SendMessageInput`.
    pub type_name: &'static str,
    /// The operation requires a body.
    pub required: bool,
    /// The one member the command sets (`settings` of `numbers update-settings`): the
    /// options and `--body` give that member's object, sent as `{<wrap>: object}`.
    pub wrap: Option<&'static str>,
    /// The members the options set (of the wrapped object, with `wrap`).
    pub members: &'static [Member],
    /// The members declared at every depth of what `--body` gives.
    pub shape: &'static Shape,
}

/// Which members a JSON value may have, at every depth, by the spec. The SDK's types keep
/// undeclared members (their `extra` map) and send them; the CLI refuses them instead, so a
/// misspelt member is an error, not a request without it.
#[derive(Debug)]
pub enum Shape {
    /// Not checked: a scalar, or a schema combination.
    Any,
    /// An object with these members (name, shape).
    Object(&'static [(&'static str, &'static Shape)]),
    /// An array of these.
    List(&'static Shape),
    /// An object whose every value is this.
    Map(&'static Shape),
}

impl Shape {
    /// The first member `value` has that its shape does not declare: its path
    /// (`buttons[0].lable`) and the members declared there.
    pub fn undeclared(&self, value: &serde_json::Value) -> Option<(String, Vec<&'static str>)> {
        self.find(value, String::new())
    }

    fn find(&self, value: &serde_json::Value, at: String) -> Option<(String, Vec<&'static str>)> {
        use serde_json::Value;
        match (self, value) {
            (Self::Object(members), Value::Object(object)) => {
                object.iter().find_map(|(key, value)| {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    match members.iter().find(|(name, _)| name == key) {
                        Some((_, shape)) => shape.find(value, path),
                        None => Some((path, members.iter().map(|(name, _)| *name).collect())),
                    }
                })
            }
            (Self::List(items), Value::Array(values)) => values
                .iter()
                .enumerate()
                .find_map(|(index, value)| items.find(value, format!("{at}[{index}]"))),
            (Self::Map(values), Value::Object(object)) => object.iter().find_map(|(key, value)| {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                values.find(value, path)
            }),
            _ => None,
        }
    }
}

/// A member of a request body.
#[derive(Debug)]
pub struct Member {
    /// The name on the wire: `destinationNumber`.
    pub wire: &'static str,
    /// A positional argument (one of the SDK method's arguments); else an option.
    pub positional: bool,
    /// A credential (`metaAccessToken`): no option takes it, so it stays out of shell
    /// history and `ps`; it goes in `--body`.
    pub credential: bool,
    /// The option name: `destination-number` (`body-<name>` when the name is taken; empty
    /// for a credential).
    pub long: &'static str,
    /// The value's placeholder.
    pub value_name: &'static str,
    /// How the value is written.
    pub kind: Kind,
    /// Its known values, for a string enum.
    pub values: &'static [&'static str],
    /// `null` is a value (it resets or clears).
    pub nullable: bool,
    /// The body requires it.
    pub required: bool,
    /// Members of its one-of group that no alternative sends with it (`text` for
    /// `templateId`): given together, the command line is refused while parsing.
    pub excludes: &'static [&'static str],
    /// The help line.
    pub help: &'static str,
}

/// How a value is written on the command line, and the JSON it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, as given.
    String,
    /// An instant: RFC 3339 text (`2026-06-21T12:00:00.000Z`, or with an offset), refused
    /// as the command line is read when it is not one; sent as the SDK writes it (UTC, `Z`).
    Instant,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A query switch: `--refresh` sends `refresh=1`.
    Switch,
    /// A list: the option repeated, or several positional values.
    List(Scalar),
    /// A map of strings: `KEY=VALUE`, the option repeated.
    Map,
    /// Any JSON value, as JSON text.
    Json,
}

/// The items of a [`Kind::List`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The table uses the kinds the spec has; the others stay ready for it.
#[allow(dead_code)]
pub enum Scalar {
    /// Text.
    String,
    /// Whole numbers.
    Integer,
    /// Numbers.
    Number,
    /// Booleans.
    Boolean,
}

impl From<Scalar> for Kind {
    fn from(scalar: Scalar) -> Self {
        match scalar {
            Scalar::String => Self::String,
            Scalar::Integer => Self::Integer,
            Scalar::Number => Self::Number,
            Scalar::Boolean => Self::Boolean,
        }
    }
}

/// The generated table.
pub fn resources() -> &'static [Resource] {
    crate::generated::RESOURCES
}

/// The generated table.
pub fn operations() -> &'static [Operation] {
    crate::generated::OPERATIONS
}

#[cfg(test)]
mod tests {
    use super::Shape;
    use serde_json::json;

    static BUTTON: Shape = Shape::Object(&[("id", &Shape::Any), ("label", &Shape::Any)]);
    static MESSAGE: Shape = Shape::Object(&[
        ("text", &Shape::Any),
        ("buttons", &Shape::List(&BUTTON)),
        ("variables", &Shape::Map(&Shape::Any)),
    ]);

    #[test]
    fn an_undeclared_member_is_found_at_any_depth() {
        let fine = json!({"text": "Oi", "buttons": [{"id": "1", "label": "Sim"}], "variables": {"any": "x"}});
        assert_eq!(MESSAGE.undeclared(&fine), None);
        let (path, declared) = MESSAGE
            .undeclared(&json!({"buttons": [{"id": "1"}, {"lable": "Não"}]}))
            .expect("the misspelt member");
        assert_eq!(path, "buttons[1].lable");
        assert_eq!(declared, vec!["id", "label"]);
        assert_eq!(
            MESSAGE
                .undeclared(&json!({"txt": "Oi"}))
                .map(|(path, _)| path),
            Some("txt".to_owned())
        );
    }
}
