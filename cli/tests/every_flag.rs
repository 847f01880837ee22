//! Every flag reaches the wire where it belongs: for each of the spec's 87 operations, one
//! command line sets every path, query and header parameter and every body member through
//! its own argument (each with a value of its schema, made from the spec, not from the
//! command table), runs in-process against a server on 127.0.0.1, and the one request that
//! arrives must carry each value at its place: the path, the query string, the header, or
//! the body member of that name. A global option that takes a member's name (as `--number`
//! once took the body's `number`), a misnamed flag, or a value sent elsewhere fails here,
//! naming the operation and the member.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Arg, Command};
use serde_json::{Map, Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "ps_every_flag_3c9a51e0d7b2";
const NUMBER_ID: &str = "num_global_flag";

/// `pilot-status <words..>` of a designed method.
fn words(resource: &str, method: &str) -> Vec<String> {
    resource
        .split('.')
        .chain([method])
        .map(|word| word.replace('_', "-"))
        .collect()
}

/// `schema`, with a `$ref` followed.
fn follow(schema: &Value) -> &Value {
    let mut schema = schema;
    for _ in 0..16 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                schema = support::document()
                    .pointer(reference.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("{reference} resolves"));
            }
            None => break,
        }
    }
    schema
}

/// A value of `schema` (every declared member of an object, to `depth`), distinct per
/// `name` where the schema leaves it free.
fn synthesise(schema: &Value, name: &str, depth: usize) -> Value {
    let schema = follow(schema);
    // Not the declared default, which the SDK leaves out as the official one does
    // (`numbers connect --link primary` sends no `link`).
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| {
            values
                .iter()
                .find(|value| !value.is_null() && schema.get("default") != Some(*value))
        })
    {
        return first.clone();
    }
    for combination in ["oneOf", "anyOf"] {
        if let Some(variant) =
            schema
                .get(combination)
                .and_then(Value::as_array)
                .and_then(|variants| {
                    variants
                        .iter()
                        .find(|variant| follow(variant).get("type") != Some(&json!("null")))
                })
        {
            return synthesise(variant, name, depth);
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let values: Vec<Value> = parts
            .iter()
            .map(|part| synthesise(part, name, depth))
            .collect();
        if values.iter().all(Value::is_object) {
            let mut merged = Map::new();
            for value in values {
                if let Value::Object(object) = value {
                    merged.extend(object);
                }
            }
            return Value::Object(merged);
        }
        // A `$ref` wrapped to carry a description: its value.
        return values
            .into_iter()
            .find(|value| !value.is_object())
            .unwrap_or(Value::Null);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            // An instant as the SDK writes it (UTC, milliseconds), so it arrives as given.
            Some("date-time") => json!("2026-12-06T10:30:00.000Z"),
            Some("date") => json!("2026-12-06"),
            Some("uuid") => json!("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Some("uri" | "url") => json!(format!("https://example.com/{name}")),
            Some("email") => json!("flag@example.com"),
            _ => json!(format!("v-{name}")),
        },
        Some("integer") => json!(3),
        Some("number") => json!(2.5),
        Some("boolean") => json!(true),
        Some("array") => json!([synthesise(
            schema.get("items").unwrap_or(&Value::Null),
            name,
            depth
        )]),
        Some("object") | None if schema.get("properties").is_some() => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut object = Map::new();
            for (member, member_schema) in schema["properties"].as_object().into_iter().flatten() {
                if depth == 0 && !required.contains(&member.as_str()) {
                    continue;
                }
                object.insert(
                    member.clone(),
                    synthesise(member_schema, member, depth.saturating_sub(1)),
                );
            }
            Value::Object(object)
        }
        Some("object") => match schema.get("additionalProperties") {
            Some(values) if values.is_object() => {
                json!({ "k1": synthesise(values, name, depth.saturating_sub(1)) })
            }
            // Free-form: one member (an empty object is left out, as no member at all).
            _ => json!({ "k1": format!("v-{name}") }),
        },
        _ => json!(format!("v-{name}")),
    }
}

/// How a value is written for one argument: the words after the option (or in place of a
/// positional argument), and the JSON the wire must then carry.
struct Written {
    words: Vec<String>,
    expected: Value,
}

/// Writes `value` of `schema` for an argument: scalars as text (a boolean as the switch's
/// `=true`), a list of scalars as repeated values, a map of strings as `KEY=VALUE`, anything
/// else as JSON text.
fn written(schema: &Value, value: Value) -> Written {
    let schema = follow(schema);
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let scalar = |schema: &Value| {
        let schema = follow(schema);
        schema.get("enum").is_some()
            || matches!(
                schema.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            )
    };
    match (&value, schema.get("type").and_then(Value::as_str)) {
        (Value::Array(items), Some("array"))
            if scalar(schema.get("items").unwrap_or(&json!({}))) =>
        {
            // Two items, so a list that keeps only its last value fails.
            let mut items = items.clone();
            if let Some(Value::String(first)) = items.first().cloned() {
                items.push(json!(format!("{first}-2")));
            } else if let Some(first) = items.first().cloned() {
                items.push(first);
            }
            Written {
                words: items.iter().map(text).collect(),
                expected: Value::Array(items),
            }
        }
        (Value::Object(_), Some("object"))
            if schema.get("properties").is_none()
                && schema
                    .get("additionalProperties")
                    .map(follow)
                    .and_then(|values| values.get("type"))
                    == Some(&json!("string")) =>
        {
            let map = json!({"k1": "v1", "k2": "v=2"});
            Written {
                words: vec!["k1=v1".to_owned(), "k2=v=2".to_owned()],
                expected: map,
            }
        }
        (Value::Object(_) | Value::Array(_), _) => Written {
            words: vec![value.to_string()],
            expected: value,
        },
        _ => Written {
            words: vec![text(&value)],
            expected: value,
        },
    }
}

/// The arguments of a subcommand by clap id.
fn arguments(command: &Command) -> BTreeMap<String, Arg> {
    command
        .get_arguments()
        .map(|arg| (arg.get_id().as_str().to_owned(), arg.clone()))
        .collect()
}

/// Where a value must arrive.
#[derive(Debug)]
enum Place {
    Path,
    Query(String),
    Header(String),
    Member(String),
}

/// One operation's command line and what its request must carry.
struct Case {
    name: String,
    arguments: Vec<String>,
    expected: Vec<(Place, Value)>,
    /// The route, with each path parameter's value in place.
    path: String,
    method: String,
    /// The documented success example, as the server's answer.
    answer: Value,
}

/// The body members a case leaves out: of each one-of group of the body (`alternatives`),
/// every member but those of its alternative number `choice` (cycling through shorter groups).
fn other_alternatives(schema: &Value, choice: usize) -> Vec<String> {
    let mut left_out = Vec::new();
    for group in schema
        .pointer("/x-pilot-alternatives/groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let variants = group["variants"].as_array().expect("a group has variants");
        let members = |variant: &Value| -> Vec<String> {
            ["required", "optional"]
                .iter()
                .flat_map(|list| variant[*list].as_array().cloned().unwrap_or_default())
                .filter_map(|member| member.as_str().map(str::to_owned))
                .collect()
        };
        let chosen = members(&variants[choice % variants.len()]);
        for variant in variants {
            for member in members(variant) {
                if !chosen.contains(&member) && !left_out.contains(&member) {
                    left_out.push(member);
                }
            }
        }
    }
    left_out
}

/// How many cases an operation needs so that every alternative of its body is sent once.
fn choices(operation: &Value) -> usize {
    operation
        .pointer("/requestBody/content/application~1json/schema")
        .map(follow)
        .and_then(|schema| schema.pointer("/x-pilot-alternatives/groups"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|group| group["variants"].as_array().map(Vec::len))
        .max()
        .unwrap_or(1)
}

fn case(
    http_method: &str,
    route: &str,
    item: &Value,
    operation: &Value,
    root: &Command,
    scratch: &std::path::Path,
    choice: usize,
) -> Case {
    let resource = operation["x-pilot-resource"].as_str().expect("a resource");
    let method = operation["x-pilot-method"].as_str().expect("a method");
    let name = format!("{resource}.{method}");
    let path_words = words(resource, method);
    let mut command = root;
    for word in &path_words {
        command = command
            .find_subcommand(word)
            .unwrap_or_else(|| panic!("{name}: no subcommand {word}"));
    }
    let args = arguments(command);
    let mut positional: Vec<(usize, Vec<String>)> = Vec::new();
    let mut options: Vec<String> = Vec::new();
    let mut expected = Vec::new();
    let mut place = |id: &str, written: Written, at: Place| {
        let arg = args
            .get(id)
            .unwrap_or_else(|| panic!("{name}: no argument sets {at:?} (clap id `{id}`)"));
        match (arg.get_long(), arg.get_index()) {
            (Some(long), _) if arg.get_action().takes_values() => {
                for word in &written.words {
                    options.push(format!("--{long}={word}"));
                }
            }
            (Some(long), _) => options.push(format!("--{long}")),
            (None, Some(index)) => positional.push((index, written.words.clone())),
            (None, None) => panic!("{name}: `{id}` is neither an option nor positional"),
        }
        expected.push((at, written.expected));
    };

    // Parameters: the path item's, replaced by the operation's of the same name and place.
    let mut parameters: Vec<&Value> = Vec::new();
    for parameter in item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
    {
        let parameter = follow(parameter);
        parameters.retain(|p| !(p["name"] == parameter["name"] && p["in"] == parameter["in"]));
        parameters.push(parameter);
    }
    let mut path = route.to_owned();
    let mut global = Vec::new();
    for (index, parameter) in parameters.iter().enumerate() {
        let wire = parameter["name"].as_str().expect("a parameter name");
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        let location = parameter["in"].as_str().expect("a parameter place");
        if location == "header" && wire.eq_ignore_ascii_case("x-whatsapp-number-id") {
            // The global --number-id is this header's option, on every command.
            global.push((Place::Header(wire.to_owned()), json!(NUMBER_ID)));
            continue;
        }
        let value = match (location, follow(schema).get("type").and_then(Value::as_str)) {
            ("path", _) if follow(schema).get("enum").is_some() => synthesise(schema, wire, 0),
            // Distinct and safe as a path segment.
            ("path", _) => json!(format!("pv{index}-{}", wire.to_ascii_lowercase())),
            (_, Some("string"))
                if follow(schema).get("enum").is_none()
                    && follow(schema).get("format").is_none() =>
            {
                json!(format!("pv{index}-{wire}"))
            }
            _ => synthesise(schema, wire, 2),
        };
        let written = written(schema, value);
        let at = match location {
            "path" => {
                let text = written.expected.as_str().expect("a path value").to_owned();
                path = path.replace(&format!("{{{wire}}}"), &text);
                Place::Path
            }
            "query" => Place::Query(wire.to_owned()),
            "header" => Place::Header(wire.to_owned()),
            other => panic!("{name}: a parameter in {other}"),
        };
        place(&format!("parameter.{wire}"), written, at);
    }

    // Body members: each through its own argument; a credential (never an option) in --body.
    if let Some(schema) = operation
        .pointer("/requestBody/content/application~1json/schema")
        .map(follow)
    {
        let mut credentials = Map::new();
        let mut in_body_file = Vec::new();
        let left_out = other_alternatives(schema, choice);
        for (wire, member) in schema["properties"].as_object().into_iter().flatten() {
            if left_out.contains(wire) {
                continue;
            }
            let id = format!("member.{wire}");
            if !args.contains_key(&id) {
                let lower = wire.to_ascii_lowercase();
                assert!(
                    ["token", "secret", "password"]
                        .iter()
                        .any(|suffix| lower.ends_with(suffix)),
                    "{name}: the body member `{wire}` has no argument"
                );
                let value = synthesise(member, wire, 3);
                credentials.insert(wire.clone(), value.clone());
                in_body_file.push((Place::Member(wire.clone()), value));
                continue;
            }
            let value = synthesise(member, wire, 3);
            place(&id, written(member, value), Place::Member(wire.clone()));
        }
        expected.extend(in_body_file);
        if !credentials.is_empty() {
            let file = scratch.join(format!("{name}.body.json"));
            std::fs::write(&file, Value::Object(credentials).to_string()).expect("a body file");
            options.push(format!("--body={}", file.display()));
        }
    }
    expected.append(&mut global);
    if name == "phone_lines.get_activation_audio" {
        // Binary: to a file, never to the test's standard output.
        options.push(format!(
            "--output={}",
            scratch.join("activation-audio.ogg").display()
        ));
    }

    positional.sort_by_key(|(index, _)| *index);
    let mut arguments = vec!["pilot-status".to_owned()];
    arguments.extend(path_words);
    arguments.extend(positional.into_iter().flat_map(|(_, words)| words));
    arguments.extend(options);
    let answer = operation["responses"]
        .as_object()
        .and_then(|responses| {
            responses
                .iter()
                .find(|(status, _)| status.starts_with('2'))
                .and_then(|(_, response)| response.pointer("/content/application~1json/example"))
        })
        .cloned()
        .unwrap_or_else(|| json!({}));
    Case {
        name,
        arguments,
        expected,
        path,
        method: http_method.to_owned(),
        answer,
    }
}

/// What in `request` is at `place`, as JSON (a query value or header as text).
fn found(request: &Request, body: &Value, place: &Place) -> Option<Value> {
    match place {
        Place::Path => None,
        Place::Query(wire) => {
            let values: Vec<String> = request
                .url
                .query_pairs()
                .filter(|(name, _)| name == wire)
                .map(|(_, value)| value.into_owned())
                .collect();
            match values.as_slice() {
                [] => None,
                [one] => Some(json!(one)),
                many => Some(json!(many)),
            }
        }
        Place::Header(wire) => request
            .headers
            .get(wire.as_str())
            .and_then(|value| value.to_str().ok())
            .map(|value| json!(value)),
        Place::Member(wire) => body.get(wire).cloned(),
    }
}

/// A query or header value carries `expected` as text: a list repeated or comma-joined, a
/// switch as `true` or `1`.
fn text_matches(expected: &Value, found: &Value) -> bool {
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match (expected, found) {
        (Value::Array(items), Value::Array(values)) => {
            items.iter().map(text).collect::<Vec<_>>()
                == values.iter().map(text).collect::<Vec<_>>()
        }
        (Value::Array(items), Value::String(joined)) => {
            items.iter().map(text).collect::<Vec<_>>().join(",") == *joined
        }
        (Value::Bool(true), Value::String(flag)) => flag == "true" || flag == "1",
        (expected, Value::String(found)) => text(expected) == *found,
        _ => false,
    }
}

#[test]
fn every_parameter_and_body_member_reaches_the_wire_through_its_flag() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime for the server");
    let server = runtime.block_on(MockServer::start());
    let scratch: PathBuf =
        std::env::temp_dir().join(format!("pilot-status-every-flag-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");
    let key_file = scratch.join("key.txt");
    std::fs::write(&key_file, KEY).expect("the key file");
    let mut root = pilot_status_cli::command();
    // Positional indexes are assigned when the command is built.
    root.build();

    let mut checked_operations = std::collections::BTreeSet::new();
    let mut checked_values = 0;
    let mut failures = Vec::new();
    let cases = support::operations()
        .into_iter()
        .flat_map(|(http_method, route, operation)| {
            (0..choices(operation))
                .map(move |choice| (http_method.clone(), route.clone(), operation, choice))
        });
    for (http_method, route, operation, choice) in cases {
        let item = &support::document()["paths"][route.as_str()];
        let case = case(
            &http_method,
            &route,
            item,
            operation,
            &root,
            &scratch,
            choice,
        );
        runtime.block_on(async {
            server.reset().await;
            Mock::given(wiremock::matchers::any())
                .respond_with(ResponseTemplate::new(200).set_body_json(&case.answer))
                .mount(&server)
                .await;
        });
        let mut arguments = case.arguments.clone();
        arguments.extend([
            format!("--base-url={}", server.uri()),
            format!("--api-key-file={}", key_file.display()),
            format!("--number-id={NUMBER_ID}"),
            "--retries=0".to_owned(),
            "--jq=empty".to_owned(),
        ]);
        let exit = pilot_status_cli::run(arguments.clone());
        let requests = runtime
            .block_on(server.received_requests())
            .unwrap_or_default();
        let shown = arguments.join(" ");
        if exit == pilot_status_cli::Exit::Usage {
            failures.push(format!("{}: usage error for: {shown}", case.name));
            continue;
        }
        let [request] = requests.as_slice() else {
            failures.push(format!(
                "{}: {} requests (expected one) for: {shown}",
                case.name,
                requests.len()
            ));
            continue;
        };
        checked_operations.insert(case.name.clone());
        if request.method.as_str() != case.method || request.url.path() != case.path {
            failures.push(format!(
                "{}: sent {} {}, expected {} {}",
                case.name,
                request.method,
                request.url.path(),
                case.method,
                case.path
            ));
        }
        // The global number goes in its header and nowhere else.
        let number = request
            .headers
            .get("x-whatsapp-number-id")
            .and_then(|value| value.to_str().ok());
        if number.is_some_and(|number| number != NUMBER_ID) {
            failures.push(format!("{}: x-whatsapp-number-id {number:?}", case.name));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        for (place, expected) in &case.expected {
            checked_values += 1;
            let matches = match (place, found(request, &body, place)) {
                (Place::Path, _) => true, // the whole path is compared above
                (Place::Member(_), Some(found)) => found == *expected,
                (_, Some(found)) => text_matches(expected, &found),
                (_, None) => false,
            };
            if !matches {
                failures.push(format!(
                    "{}: {place:?} should be {expected}, the request has {:?} (body {body})\n  {shown}",
                    case.name,
                    found(request, &body, place)
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked_operations.len(), 87, "every operation of the spec");
    assert!(checked_values >= 200, "{checked_values} values checked");
    eprintln!(
        "{} operations, {checked_values} values at their place",
        checked_operations.len()
    );
}
