//! What the generated types do not show: upstream's request constraints and defaults, and
//! response members an overlay types otherwise than upstream now does.
//!
//! The surface diff ([`crate::diff`]) sees what the generated Rust declares. Three kinds of
//! upstream change leave it as it was and still change what a call does:
//!
//! - **constraints** of what a call sends (`maxLength`, `pattern`, `minimum`, a value set a
//!   model still offers because its other places keep the value, the bounds of a
//!   description-typed parameter such as `(integer (1–50))`): a tightened one is breaking
//!   (data that passed yesterday gets a 400 tomorrow), a loosened one is named;
//! - **defaults** (a `default` keyword, or `(default 30)` in a description): a changed default
//!   is breaking where the SDK relies on it (it leaves the value out of the query as
//!   `QUERY_DEFAULTS` says, or its docs state it), and named elsewhere;
//! - **retyped response members under an overlay** that types them: the SDK decodes the
//!   overlay's type, the API sends upstream's, so the call's result no longer fits.
//!
//! Places are compared in upstream's own documents (before the overlays: upstream's word),
//! operation by operation on the same route.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Generated;
use crate::diff::{Change, Entry, Report, operation_subject};
use crate::overlay::MaskedChange;
use crate::pointer;

/// The changes the types do not show, one entry per operation (by route), between two
/// upstream documents and their generations.
pub fn changes(
    old_upstream: &Value,
    new_upstream: &Value,
    old: &Generated,
    new: &Generated,
    masked: &[MaskedChange],
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let subject = |method: &str, path: &str| {
        new.surface
            .operations
            .values()
            .find(|op| op.http_method == method && op.path == path)
            .map(operation_subject)
            .unwrap_or_else(|| format!("{method} {path}"))
    };
    for at in crate::walk::operations(new_upstream) {
        let Some(before) = old_upstream
            .pointer(&pointer::operation(at.path, at.method))
            .filter(|operation| operation.is_object())
        else {
            continue;
        };
        let before_item = old_upstream
            .pointer(&pointer::join("/paths", at.path))
            .unwrap_or(&Value::Null);
        let route = Route {
            pointer: pointer::operation(at.path, at.method),
        };
        let old_places = places(before_item, before);
        let new_places = places(at.item, at.operation);
        let method = at.method.to_ascii_uppercase();
        for (label, now) in &new_places {
            let Some(was) = old_places.get(label) else {
                continue;
            };
            let mut found = constraint_changes(label, was, now, &route, old, new);
            found.extend(default_change(label, was, now, &route, old));
            for change in found {
                Report::add_change(&mut entries, subject(&method, at.path), change);
            }
        }
    }
    for retyped in masked.iter().filter_map(|m| m.retyped_response.as_ref()) {
        let (method, path) = &retyped.route;
        Report::add_change(
            &mut entries,
            subject(method, path),
            Change {
                sign: '~',
                text: retyped.to_string(),
                breaking: true,
            },
        );
    }
    entries
}

/// One place of an operation where a value goes: a parameter, or a member of the request or
/// the response body.
#[derive(Debug, Clone)]
struct Place {
    /// Whether the client sends it.
    request: bool,
    /// Its schema, as upstream writes it.
    schema: Value,
    /// Its descriptions (a parameter's own and its schema's).
    descriptions: Vec<String>,
    /// How to find it in a prepared document.
    locator: Locator,
}

/// Where a place is below its operation.
#[derive(Debug, Clone)]
enum Locator {
    /// A parameter: `(in, name)`.
    Parameter(String, String),
    /// The request body, then these steps.
    Body(Vec<Step>),
    /// The success response body, then these steps.
    Response(Vec<Step>),
}

/// One step into a schema.
#[derive(Debug, Clone)]
enum Step {
    Member(String),
    Items,
    Values,
}

/// The operation a place belongs to.
struct Route {
    /// Its pointer, the same in upstream's and the prepared documents.
    pointer: String,
}

/// Every place of an operation, by label (`query parameter `pageSize``, `body member
/// `a.b``, `response member `x``).
fn places(item: &Value, operation: &Value) -> BTreeMap<String, Place> {
    let mut out = BTreeMap::new();
    for parameter in crate::walk::declared_parameters(item, operation) {
        let text = |key: &str| parameter.get(key).and_then(Value::as_str);
        let (Some(location), Some(name)) = (text("in"), text("name")) else {
            continue;
        };
        let schema = parameter.get("schema").cloned().unwrap_or(Value::Null);
        let descriptions = [text("description"), description(&schema)]
            .into_iter()
            .flatten()
            .map(str::to_owned)
            .collect();
        out.insert(
            format!("{location} parameter `{name}`"),
            Place {
                request: true,
                schema,
                descriptions,
                locator: Locator::Parameter(location.to_owned(), name.to_owned()),
            },
        );
    }
    if let Some(schema) = first_media_schema(operation.pointer("/requestBody/content")) {
        members(schema, "body", true, &mut Vec::new(), &mut out);
    }
    let success = operation
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|responses| {
            responses
                .iter()
                .find(|(status, _)| status.starts_with('2'))
                .map(|(_, response)| response)
        });
    if let Some(schema) = success.and_then(|response| first_media_schema(response.get("content"))) {
        members(schema, "response", false, &mut Vec::new(), &mut out);
    }
    out
}

/// The schema of the first media type of a `content` that has one.
fn first_media_schema(content: Option<&Value>) -> Option<&Value> {
    content?
        .as_object()?
        .values()
        .find_map(|media| media.get("schema"))
}

fn description(schema: &Value) -> Option<&str> {
    schema.get("description").and_then(Value::as_str)
}

/// The members of a body schema, depth first.
fn members(
    schema: &Value,
    root: &str,
    request: bool,
    steps: &mut Vec<Step>,
    out: &mut BTreeMap<String, Place>,
) {
    if steps.len() > 16 {
        return;
    }
    if !steps.is_empty() {
        let label = format!("{root} member `{}`", steps_text(steps));
        let locator = if request {
            Locator::Body(steps.clone())
        } else {
            Locator::Response(steps.clone())
        };
        out.insert(
            label,
            Place {
                request,
                schema: schema.clone(),
                descriptions: description(schema).into_iter().map(str::to_owned).collect(),
                locator,
            },
        );
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, member) in properties {
            steps.push(Step::Member(name.clone()));
            members(member, root, request, steps, out);
            steps.pop();
        }
    }
    if let Some(items) = schema.get("items").filter(|items| items.is_object()) {
        steps.push(Step::Items);
        members(items, root, request, steps, out);
        steps.pop();
    }
    if let Some(values) = schema
        .get("additionalProperties")
        .filter(|values| values.is_object())
    {
        steps.push(Step::Values);
        members(values, root, request, steps, out);
        steps.pop();
    }
}

/// `a.b[].c{}`.
fn steps_text(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Member(name) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(name);
            }
            Step::Items => text.push_str("[]"),
            Step::Values => text.push_str("{}"),
        }
    }
    text
}

/// The schema a place has in a prepared document (through the `$ref`s of the design).
fn designed<'a>(document: &'a Value, route: &Route, locator: &Locator) -> Option<&'a Value> {
    let operation = document.pointer(&route.pointer)?;
    let (mut schema, steps) = match locator {
        Locator::Parameter(location, name) => {
            let parameter = operation.get("parameters")?.as_array()?.iter().find(|p| {
                p.get("in").and_then(Value::as_str) == Some(location)
                    && p.get("name").and_then(Value::as_str) == Some(name)
            })?;
            return Some(parameter);
        }
        Locator::Body(steps) => (
            first_media_schema(operation.pointer("/requestBody/content"))?,
            steps,
        ),
        Locator::Response(steps) => (
            first_media_schema(operation.pointer("/responses/2XX/content"))?,
            steps,
        ),
    };
    schema = resolve(document, schema);
    for step in steps {
        schema = match step {
            Step::Member(name) => schema.get("properties")?.get(name)?,
            Step::Items => schema.get("items")?,
            Step::Values => schema.get("additionalProperties")?,
        };
        schema = resolve(document, schema);
    }
    Some(schema)
}

/// A schema with its `$ref` (or a one-element `allOf` around one) followed.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..8 {
        let Some(reference) = crate::design::models::upstream::model_ref(schema) else {
            break;
        };
        match document.pointer(&pointer::join("/components/schemas", reference)) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// Whether a lower (`true`) or upper bound, for the keywords that bound a value.
const BOUNDS: [(&str, bool); 10] = [
    ("minLength", true),
    ("maxLength", false),
    ("minimum", true),
    ("maximum", false),
    ("exclusiveMinimum", true),
    ("exclusiveMaximum", false),
    ("minItems", true),
    ("maxItems", false),
    ("minProperties", true),
    ("maxProperties", false),
];

/// Keywords any change of which may refuse values that passed before.
const RULES: [&str; 4] = ["pattern", "multipleOf", "format", "uniqueItems"];

/// The constraint keywords of a place, with the bounds a description-typed parameter
/// writes (`(integer (1–50))`) read as `minimum`/`maximum`.
fn constraints(place: &Place) -> Map<String, Value> {
    let mut found = Map::new();
    for (keyword, _) in BOUNDS {
        if let Some(value) = place.schema.get(keyword).filter(|v| v.is_number()) {
            found.insert(keyword.to_owned(), value.clone());
        }
    }
    for keyword in RULES {
        if let Some(value) = place.schema.get(keyword) {
            // `format` names a type more than it constrains one, except these.
            if keyword == "format"
                && !matches!(
                    value.as_str(),
                    Some("email" | "uri" | "url" | "uuid" | "date" | "date-time" | "ipv4" | "ipv6")
                )
            {
                continue;
            }
            found.insert(keyword.to_owned(), value.clone());
        }
    }
    if matches!(place.locator, Locator::Parameter(..)) {
        for text in &place.descriptions {
            if let Some((minimum, maximum)) = described_bounds(text) {
                found.entry("minimum").or_insert_with(|| number(minimum));
                if let Some(maximum) = maximum {
                    found.entry("maximum").or_insert_with(|| number(maximum));
                }
            }
        }
    }
    found
}

/// A bound as JSON: an integer when it is one (`50`, not `50.0`).
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// The bounds of a description-typed parameter: `(integer (1–50))` → `(1, Some(50))`,
/// `(number (≥1))` → `(1, None)` (the forms the `description_typed_parameters` rule reads).
fn described_bounds(description: &str) -> Option<(f64, Option<f64>)> {
    let inner = description
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let rest = inner
        .strip_prefix("integer")
        .or_else(|| inner.strip_prefix("number"))?
        .trim();
    let bounds = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    let number = |text: &str| text.trim().parse::<f64>().ok();
    if let Some(lower) = bounds
        .strip_prefix('≥')
        .or_else(|| bounds.strip_prefix(">="))
    {
        return Some((number(lower)?, None));
    }
    let (lower, upper) = bounds.split_once(['–', '-'])?;
    Some((number(lower)?, Some(number(upper)?)))
}

fn compact(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    }
}

/// How the constraints of one place changed.
fn constraint_changes(
    label: &str,
    was: &Place,
    now: &Place,
    route: &Route,
    old: &Generated,
    new: &Generated,
) -> Vec<Change> {
    if !now.request {
        return Vec::new();
    }
    let (before, after) = (constraints(was), constraints(now));
    let mut tightened = Vec::new();
    let mut loosened = Vec::new();
    for (keyword, lower) in BOUNDS {
        let number = |map: &Map<String, Value>| map.get(keyword).and_then(Value::as_f64);
        let (a, b) = (number(&before), number(&after));
        let text = || {
            format!(
                "{keyword} {} -> {}",
                before.get(keyword).map_or("none".to_owned(), compact),
                after.get(keyword).map_or("none".to_owned(), compact)
            )
        };
        match (a, b) {
            (None, Some(_)) => tightened.push(text()),
            (Some(_), None) => loosened.push(text()),
            (Some(a), Some(b)) if (b > a) == lower && a != b => tightened.push(text()),
            (Some(a), Some(b)) if a != b => loosened.push(text()),
            _ => {}
        }
    }
    for keyword in RULES {
        let (a, b) = (before.get(keyword), after.get(keyword));
        if a == b {
            continue;
        }
        let text = format!(
            "{keyword} {} -> {}",
            a.map_or("none".to_owned(), compact),
            b.map_or("none".to_owned(), compact)
        );
        let relaxed = b.is_none() || (keyword == "uniqueItems" && b == Some(&Value::Bool(false)));
        if relaxed {
            loosened.push(text);
        } else {
            tightened.push(text);
        }
    }
    // A value set upstream narrows where the generated type still offers every value (a model
    // whose other places keep it): nothing in the types shows it.
    let values = |place: &Place| -> Vec<Value> {
        place
            .schema
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old_values, new_values) = (values(was), values(now));
    if !old_values.is_empty() && old_values != new_values {
        let designed_values = |generated: &Generated| {
            designed(&generated.prepared.document, route, &now.locator)
                .map(|schema| {
                    let schema = match &now.locator {
                        Locator::Parameter(..) => schema.get("schema").unwrap_or(schema),
                        _ => schema,
                    };
                    resolve(&generated.prepared.document, schema)
                        .get("enum")
                        .cloned()
                })
                .unwrap_or_default()
        };
        if designed_values(old) == designed_values(new) {
            let gone: Vec<String> = old_values
                .iter()
                .filter(|v| !new_values.contains(v))
                .map(plain)
                .collect();
            let came: Vec<String> = new_values
                .iter()
                .filter(|v| !old_values.contains(v))
                .map(plain)
                .collect();
            if new_values.is_empty() {
                loosened.push("values no longer limited".to_owned());
            } else {
                if !gone.is_empty() {
                    tightened.push(format!(
                        "values -[{}] (the SDK still offers them)",
                        gone.join(", ")
                    ));
                }
                if !came.is_empty() {
                    loosened.push(format!("values +[{}]", came.join(", ")));
                }
            }
        }
    }
    let mut changes = Vec::new();
    if !tightened.is_empty() {
        changes.push(Change {
            sign: '~',
            text: format!(
                "{label}: {} (tightened: a value the API accepted may now be refused with a 400)",
                tightened.join(", ")
            ),
            breaking: true,
        });
    }
    if !loosened.is_empty() {
        changes.push(Change {
            sign: '~',
            text: format!("{label}: {} (loosened)", loosened.join(", ")),
            breaking: false,
        });
    }
    changes
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Upstream's default at a place: its `default` keyword, else the one its description
/// states (`(default 30)`, `(alias: tz; default UTC)`, `NONE (default)`).
fn default_of(place: &Place) -> Option<String> {
    if let Some(value) = place.schema.get("default") {
        return Some(plain(value));
    }
    place
        .descriptions
        .iter()
        .find_map(|text| described_default(text))
}

/// The default a description states, in exactly these forms: `(default X)`, `(..., default
/// X)`, `(...; default X, ...)`, `X (default)`, and a sentence `Default X.`.
pub fn described_default(description: &str) -> Option<String> {
    const WORD: &str = "default";
    for (at, _) in description.match_indices("Default ") {
        let before = description[..at].trim_end();
        if !(before.is_empty() || before.ends_with('.')) {
            continue;
        }
        let rest = &description[at + "Default ".len()..];
        if let Some(end) = rest
            .find(". ")
            .or_else(|| rest.strip_suffix('.').map(str::len))
            && !rest[..end].contains(' ')
            && end > 0
        {
            return Some(rest[..end].to_owned());
        }
    }
    for (at, _) in description.match_indices(WORD) {
        let before = &description[..at];
        let after = &description[at + WORD.len()..];
        // `X (default)`: the word before the parenthesis.
        if before.ends_with('(') && after.starts_with(')') {
            let value = before[..before.len() - 1].trim_end();
            let value = value
                .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',')
                .next()
                .unwrap_or_default();
            if !value.is_empty() {
                return Some(value.to_owned());
            }
            continue;
        }
        if !(before.ends_with('(') || before.ends_with("; ") || before.ends_with(", ")) {
            continue;
        }
        let Some(rest) = after.strip_prefix(' ').or_else(|| after.strip_prefix(": ")) else {
            continue;
        };
        let end = rest.find([')', ',', ';']).unwrap_or(rest.len());
        let value = rest[..end].trim();
        // One token, ended by the parenthesis or a separator (not a sentence).
        if !value.is_empty() && !value.contains(' ') && end < rest.len() {
            return Some(value.to_owned());
        }
    }
    None
}

/// How the default of one place changed, and whether the SDK relies on the old one.
fn default_change(
    label: &str,
    was: &Place,
    now: &Place,
    route: &Route,
    old: &Generated,
) -> Option<Change> {
    let (before, after) = (default_of(was), default_of(now));
    if before == after {
        return None;
    }
    let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "none".to_owned());
    let mut text = format!("{label}: default {} -> {}", show(&before), show(&after));
    let Some(old_default) = before else {
        return Some(Change {
            sign: '~',
            text,
            breaking: false,
        });
    };
    let document = &old.prepared.document;
    let designed = designed(document, route, &was.locator);
    // The SDK leaves a query parameter's default value out of the query (QUERY_DEFAULTS).
    let left_out = match (&was.locator, designed) {
        (Locator::Parameter(location, name), Some(parameter)) if location == "query" => {
            let schema = parameter.get("schema").map(|s| resolve(document, s));
            (schema
                .and_then(|s| s.get("default"))
                .and_then(Value::as_str)
                == Some(old_default.as_str()))
            .then(|| name.clone())
        }
        _ => None,
    };
    // The SDK's docs state it: the designed description at the place says so.
    let documented = designed.is_some_and(|schema| {
        let mut texts = vec![description(schema)];
        if let Some(inner) = schema.get("schema") {
            texts.push(description(resolve(document, inner)));
        }
        texts
            .into_iter()
            .flatten()
            .any(|text| described_default(text).as_deref() == Some(old_default.as_str()))
    });
    let breaking = left_out.is_some() || documented;
    if let Some(name) = left_out {
        text.push_str(&format!(
            "; the SDK leaves `{name}={old_default}` out of the query as the default \
             (QUERY_DEFAULTS), so a call that does not set it now gets {}",
            show(&after)
        ));
    } else if documented {
        text.push_str(&format!(
            "; the SDK documents {old_default}: a call that leaves it unset now gets {}",
            show(&after)
        ));
    }
    Some(Change {
        sign: '~',
        text,
        breaking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_default_forms_upstream_writes() {
        for (text, expected) in [
            ("Page (default 1).", Some("1")),
            ("Items per page (default 30, max 100).", Some("30")),
            ("Timezone (alias: tz; default UTC).", Some("UTC")),
            ("Template variables (default {}).", Some("{}")),
            (
                "Connection to check on a dual number (default primary).",
                Some("primary"),
            ),
            (
                "NONE (default), TEXT, IMAGE, VIDEO or DOCUMENT.",
                Some("NONE"),
            ),
            (
                "Send the link over WhatsApp (PILOT_STATUS). Default false.",
                Some("false"),
            ),
            (
                "Default of a send's `markRead` (default true).",
                Some("true"),
            ),
            ("Id of the number whose default key is regenerated.", None),
            ("Always \"offer\" (defaulted).", None),
            (
                "Which connection of a dual number to pair (omit for the primary).",
                None,
            ),
        ] {
            assert_eq!(described_default(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn reads_description_typed_bounds() {
        assert_eq!(
            described_bounds("(integer (1–50))"),
            Some((1.0, Some(50.0)))
        );
        assert_eq!(described_bounds("(number (≥1))"), Some((1.0, None)));
        assert_eq!(described_bounds("(string (ISO 8601))"), None);
    }
}
