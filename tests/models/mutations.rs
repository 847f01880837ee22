//! The mutation suite of tolerant reading: every JSON success of the spec and every webhook
//! event, changed one place at a time, must read (0 failures), and its deviations must name
//! every place that does not fit (100%) and nothing else.
//!
//! Mutations of a body, at every depth (in a list, its first item):
//! - each member removed;
//! - each member (and list item) set to each other JSON type: a string, a number, a boolean,
//!   an object, an array, null; an integer also to a fraction; an instant (RFC 3339 text)
//!   also to text that is no instant;
//! - an unknown member added to each object.
//!
//! Responses are served from a server on 127.0.0.1 to the calls of `calls.rs` (the real path,
//! in one process); what fits is told by the success schema of the spec the types were
//! generated from ([`violations`]). Events are read by the webhook verifier; what fits is told
//! by the strict reading (`Event::parse`). Where nothing deviates the body must read with no
//! deviation; where something does, every deviation must sit at or under a place that does
//! not fit, and every such place must be named.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use pilot_status::mock::webhooks::{SignedDelivery, every_event, every_phone_line_event};
use pilot_status::webhooks::{Event, NumberWebhooks, PhoneLineEvent, PhoneLineWebhooks};
use pilot_status::{Client, Deviation};
use serde_json::{Map, Value, json};

use crate::common::prepared_document;
use crate::instance::Instances;
use crate::{Operation, calls, operations};

/// The JSON pointer of `steps`.
fn pointer(steps: &[String]) -> String {
    steps
        .iter()
        .map(|step| format!("/{}", step.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// One changed body: what was changed, and where.
struct Mutation {
    /// `removed`, `set to a string`, ...
    what: String,
    /// The JSON pointer of the changed place.
    at: String,
    body: Value,
}

/// The member added to each object: no type has it.
const UNKNOWN_MEMBER: &str = "zzAddedByAFutureVersion";

/// The other JSON values a value is set to: one of each JSON type but its own, and a
/// fraction for an integer.
fn other_kinds(value: &Value) -> Vec<(&'static str, Value)> {
    let mut kinds = vec![
        ("a string", json!("mutated text")),
        ("a number", json!(7)),
        ("a boolean", json!(true)),
        ("an object", json!({})),
        ("an array", json!([])),
        ("null", Value::Null),
    ];
    kinds.retain(|(_, other)| std::mem::discriminant(other) != std::mem::discriminant(value));
    if value.is_i64() || value.is_u64() {
        kinds.push(("a fraction", json!(1.5)));
    }
    if value
        .as_str()
        .is_some_and(|text| pilot_status::Timestamp::parse(text).is_ok())
    {
        kinds.push(("text that is no instant", json!("next Tuesday")));
    }
    kinds
}

/// Every mutation of `body`, whose places start at `steps`; `skip` says which members of the
/// root not to touch (an event's name).
fn mutations(root: &Value, skip: &[&str]) -> Vec<Mutation> {
    fn walk(
        root: &Value,
        value: &Value,
        steps: &mut Vec<String>,
        skip: &[&str],
        out: &mut Vec<Mutation>,
    ) {
        let changed = |steps: &[String], what: String, change: &dyn Fn(&mut Value)| {
            let mut body = root.clone();
            let target = body.pointer_mut(&pointer(steps)).expect("the place exists");
            change(target);
            Mutation {
                what,
                at: pointer(steps),
                body,
            }
        };
        match value {
            Value::Object(members) => {
                out.push(changed(
                    steps,
                    "an unknown member added".to_owned(),
                    &|object| {
                        if let Some(object) = object.as_object_mut() {
                            object.insert(UNKNOWN_MEMBER.to_owned(), json!({"new": [1, "two"]}));
                        }
                    },
                ));
                for (name, member) in members {
                    if steps.is_empty() && skip.contains(&name.as_str()) {
                        continue;
                    }
                    let name = name.clone();
                    let mut removal = root.clone();
                    if let Some(object) = removal
                        .pointer_mut(&pointer(steps))
                        .and_then(Value::as_object_mut)
                    {
                        object.remove(&name);
                    }
                    steps.push(name);
                    out.push(Mutation {
                        what: "removed".to_owned(),
                        at: pointer(steps),
                        body: removal,
                    });
                    for (kind, other) in other_kinds(member) {
                        out.push(changed(steps, format!("set to {kind}"), &|target| {
                            *target = other.clone()
                        }));
                    }
                    walk(root, member, steps, skip, out);
                    steps.pop();
                }
            }
            Value::Array(items) => {
                if let Some(first) = items.first() {
                    steps.push("0".to_owned());
                    for (kind, other) in other_kinds(first) {
                        out.push(changed(steps, format!("set to {kind}"), &|target| {
                            *target = other.clone()
                        }));
                    }
                    walk(root, first, steps, skip, out);
                    steps.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut Vec::new(), skip, &mut out);
    out
}

/// The places where `value` does not fit `schema` (JSON pointers), as the SDK's types read
/// it: a member the schema requires and does not let be `null` must be present; a value
/// must have the schema's type (an integer no fraction; an enum any string: every enum is
/// open); `null` fits where the schema allows it, and in an optional member that is not a
/// list or a map (the types hold those as `Option`; a list or map that may be left out is
/// an empty `Vec` or map, which `null` does not fit).
fn violations(
    instances: &Instances<'static>,
    schema: &'static Value,
    value: &Value,
    steps: &mut Vec<String>,
    optional: bool,
    out: &mut Vec<String>,
) {
    let nullable = is_nullable(instances, schema);
    let resolved = instances.resolve(schema);
    let properties = resolved.get("properties").and_then(Value::as_object);
    let kind = resolved.get("type").and_then(Value::as_str);
    if value.is_null() {
        let collection = kind == Some("array") || (kind == Some("object") && properties.is_none());
        if !(nullable || (optional && !collection)) {
            out.push(pointer(steps));
        }
        return;
    }
    let instant = resolved.get("format") == Some(&json!("date-time"));
    let fits = match kind {
        // An instant (`Timestamp`) must be RFC 3339 text.
        Some("string") if instant => value
            .as_str()
            .is_some_and(|text| pilot_status::Timestamp::parse(text).is_ok()),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        None if properties.is_some() => value.is_object(),
        _ => true,
    };
    if !fits {
        out.push(pointer(steps));
        return;
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = resolved.get("items") {
                for (index, item) in items.iter().enumerate() {
                    steps.push(index.to_string());
                    violations(instances, item_schema, item, steps, false, out);
                    steps.pop();
                }
            }
        }
        Value::Object(members) => {
            let required = instances.required(resolved);
            if let Some(properties) = properties {
                for (name, member_schema) in properties {
                    let is_required = required.contains(name);
                    steps.push(name.clone());
                    match members.get(name) {
                        None if is_required && !is_nullable(instances, member_schema) => {
                            out.push(pointer(steps));
                        }
                        None => {}
                        Some(member) => {
                            violations(instances, member_schema, member, steps, !is_required, out);
                        }
                    }
                    steps.pop();
                }
            }
            let typed_map = resolved
                .get("additionalProperties")
                .filter(|values| values.as_object().is_some_and(|values| !values.is_empty()));
            if let Some(values) = typed_map {
                for (name, member) in members {
                    if properties.is_some_and(|properties| properties.contains_key(name)) {
                        continue;
                    }
                    steps.push(name.clone());
                    violations(instances, values, member, steps, false, out);
                    steps.pop();
                }
            }
        }
        _ => {}
    }
}

fn is_nullable(instances: &Instances<'static>, schema: &Value) -> bool {
    let nullable = |schema: &Value| schema.get("nullable") == Some(&json!(true));
    nullable(schema) || nullable(instances.resolve(schema))
}

/// Whether `deviations` answer `misfits` (JSON pointers of the places that do not fit):
/// each misfit is named by a deviation at that place, and each deviation sits at or under a
/// misfit. `None` when they do; else what is wrong.
fn judged(misfits: &[String], deviations: &[Deviation]) -> Option<String> {
    let pointers: Vec<String> = deviations.iter().map(Deviation::pointer).collect();
    let unnamed: Vec<&String> = misfits
        .iter()
        .filter(|misfit| !pointers.contains(misfit))
        .collect();
    let unexplained: Vec<&String> = pointers
        .iter()
        .filter(|pointer| {
            !misfits
                .iter()
                .any(|misfit| *pointer == misfit || pointer.starts_with(&format!("{misfit}/")))
        })
        .collect();
    (!unnamed.is_empty() || !unexplained.is_empty()).then(|| {
        format!("places not named: {unnamed:?}; deviations where everything fits: {unexplained:?}")
    })
}

/// The status and body a server answers with.
type Answer = Arc<Mutex<(u16, Vec<u8>)>>;

/// A server on 127.0.0.1 answering every request with its current status and body (one
/// connection kept alive: no mock to remount per case).
struct Answering {
    answer: Answer,
    client: Client,
}

impl Answering {
    async fn start() -> Self {
        let answer = Arc::new(Mutex::new((200, b"{}".to_vec())));
        let app = Router::new()
            .fallback(|State(answer): State<Answer>| async move {
                let (status, body) = answer.lock().expect("not poisoned").clone();
                (
                    StatusCode::from_u16(status).expect("a status"),
                    [("content-type", "application/json")],
                    body,
                )
            })
            .with_state(answer.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address: SocketAddr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        let client = Client::builder()
            .api_key("ps_mutations_test_key")
            .base_url(format!("http://{address}"))
            .build()
            .expect("a valid configuration");
        Self { answer, client }
    }

    async fn read(&self, operation: &Operation, body: &Value) -> Result<calls::Read, String> {
        *self.answer.lock().expect("not poisoned") =
            (operation.status, serde_json::to_vec(body).expect("JSON"));
        match calls::call(&self.client, &operation.name).await {
            Some(result) => result.map_err(|error| error.to_string()),
            None => Err(format!("no call for {} in calls.rs", operation.name)),
        }
    }
}

/// What one suite counted.
#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    /// Cases with a place that does not fit.
    misfits: usize,
    /// Of those, the cases whose deviations named every such place.
    named: usize,
    failures: Vec<String>,
}

impl Tally {
    fn judge(&mut self, label: String, misfits: &[String], read: Result<Vec<Deviation>, String>) {
        self.cases += 1;
        if !misfits.is_empty() {
            self.misfits += 1;
        }
        match read {
            Err(error) => self
                .failures
                .push(format!("{label}: did not read: {error}")),
            Ok(deviations) => match judged(misfits, &deviations) {
                None => self.named += usize::from(!misfits.is_empty()),
                Some(problem) => self.failures.push(format!(
                    "{label}: {problem} (deviations: {})",
                    deviations
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
            },
        }
    }

    fn assert(&self, what: &str) {
        let shown: Vec<&String> = self.failures.iter().take(40).collect();
        assert!(
            self.failures.is_empty(),
            "{what}: {} of {} cases failed:\n{}",
            self.failures.len(),
            self.cases,
            shown
                .iter()
                .map(|failure| failure.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(self.named, self.misfits, "{what}: every misfit named");
    }
}

/// The number of cases of both suites, as the README states it.
fn readme_states(cases: usize) {
    let readme = include_str!("../../README.md");
    let claim = format!("{cases} mutated bodies");
    assert!(
        readme.contains(&claim),
        "the README states the mutation suite's size: \"{claim}\" (update it)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutated_response_and_event_reads_and_names_what_does_not_fit() {
    let responses = responses().await;
    responses.assert("responses");
    let events = events();
    events.assert("events");
    eprintln!(
        "tolerant reading: {} responses ({} not fitting, all named) and {} events ({} not \
         fitting, all named) read, 0 failures",
        responses.cases, responses.misfits, events.cases, events.misfits
    );
    readme_states(responses.cases + events.cases);
}

async fn responses() -> Tally {
    let server = Answering::start().await;
    let instances = Instances::new(prepared_document());
    let mut tally = Tally::default();
    for operation in operations() {
        let full = instances.maximal(operation.schema, operation.example, "");
        // The unchanged body fits and reads exactly.
        let mut misfits = Vec::new();
        violations(
            &instances,
            operation.schema,
            &full,
            &mut Vec::new(),
            false,
            &mut misfits,
        );
        assert!(
            misfits.is_empty(),
            "{}: the maximal instance fits: {misfits:?}",
            operation.name
        );
        for mutation in mutations(&full, &[]) {
            let mut misfits = Vec::new();
            violations(
                &instances,
                operation.schema,
                &mutation.body,
                &mut Vec::new(),
                false,
                &mut misfits,
            );
            let read = server
                .read(&operation, &mutation.body)
                .await
                .map(|(_, deviations)| deviations);
            let label = format!("{} {} {}", operation.name, mutation.at, mutation.what);
            tally.judge(label, &misfits, read);
        }
    }
    assert!(
        tally.cases > 1000,
        "the suite finds its cases ({})",
        tally.cases
    );
    tally
}

fn events() -> Tally {
    const SECRET: &str = "whsec_mutations";
    let numbers = NumberWebhooks::new(SECRET).expect("a secret");
    let lines = PhoneLineWebhooks::new(SECRET).expect("a secret");
    let mut tally = Tally::default();
    let mut judge = |name: &str, body: &Value, at: &str, what: &str, line: bool| {
        let bytes = serde_json::to_vec(body).expect("JSON");
        let delivery = SignedDelivery::from_body(SECRET, bytes.clone());
        let (fits, read) = if line {
            let read = lines.verify_and_parse(Some(delivery.signature()), delivery.body());
            (
                PhoneLineEvent::parse(&bytes).is_ok(),
                read.map(|delivery| delivery.deviations),
            )
        } else {
            let read = numbers.verify_and_parse(Some(delivery.signature()), delivery.body());
            (
                Event::parse(&bytes).is_ok(),
                read.map(|delivery| delivery.deviations),
            )
        };
        // The strict reading says whether the change fits; where it does not, the place
        // changed is the misfit (a deviation may sit under it, in a value read as empty).
        let misfits = if fits {
            Vec::new()
        } else {
            vec![at.to_owned()]
        };
        tally.judge(
            format!("{name} {at} {what}"),
            &misfits,
            read.map_err(|error| error.to_string()),
        );
    };
    let number_events = every_event()
        .into_iter()
        .filter(|event| !matches!(event, Event::Calls(_) | Event::Unknown { .. }))
        .map(|event| (event.name().to_owned(), serde_json::to_value(&event), false));
    let line_events = every_phone_line_event()
        .into_iter()
        .filter(|event| event.name().starts_with("phone_line."))
        .filter(|event| {
            !matches!(
                event.kind,
                pilot_status::webhooks::PhoneLineEventKind::Unknown { .. }
            )
        })
        .map(|event| (event.name().to_owned(), serde_json::to_value(&event), true));
    let mut samples = 0;
    for (name, body, line) in number_events.chain(line_events) {
        let body = body.expect("events serialize");
        samples += 1;
        judge(&name, &body, "", "unchanged", line);
        for mutation in mutations(&body, &["event"]) {
            judge(&name, &mutation.body, &mutation.at, &mutation.what, line);
        }
    }
    assert_eq!(
        samples,
        23 + 10,
        "every documented event but `calls` has a sample"
    );
    assert!(
        tally.cases > 500,
        "the suite finds its cases ({})",
        tally.cases
    );
    tally
}

#[test]
fn the_checker_tells_what_fits() {
    // A guard on the oracle itself: a wrong type, a missing required member and a `null`
    // where none is allowed are misfits; an optional `null` and an unknown member are not.
    let document: &'static Value = Box::leak(Box::new(json!({
        "components": {"schemas": {"Item": {
            "type": "object",
            "required": ["id", "count"],
            "properties": {
                "id": {"type": "string"},
                "count": {"type": "integer"},
                "note": {"type": "string"},
                "gone": {"type": "string", "nullable": true}
            }
        }}}
    })));
    let instances = Instances::new(document);
    let schema: &'static Value = Box::leak(Box::new(
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}}),
    ));
    let check = |value: Value| {
        let mut out = Vec::new();
        violations(&instances, schema, &value, &mut Vec::new(), false, &mut out);
        out
    };
    assert!(check(json!([{"id": "a", "count": 1, "note": null, "extra": 1}])).is_empty());
    assert_eq!(check(json!([{"count": 1.5}])), ["/0/count", "/0/id"]);
    assert_eq!(
        check(json!([{"id": null, "count": 1}, "x"])),
        ["/0/id", "/1"]
    );
    let mut object = Map::new();
    object.insert("id".to_owned(), json!("a"));
    assert_eq!(check(json!([object])), ["/0/count"]);
}
