//! The shared models against the wire, for every operation with a JSON success.
//!
//! Driven by the normalised spec the client was generated from: each operation's success
//! schema gives a maximal instance (every member, nullable members with values, following
//! `$ref`s to the models, merged with the docs' example), served from a server on 127.0.0.1
//! and called through the resources (`client.numbers().get(..)`, see `calls.rs`). The decoded
//! response must re-serialise to exactly what was served: no member lost, unknown members and
//! enum values kept (numbers compare by value: a `number` member served as `50` comes back as
//! `50.0`). The docs' examples as they are come back the same, except that an optional member
//! sent as `null` (or `[]`, `{}` where it cannot be null) comes back absent. A response without
//! a required member that may be `null` decodes (as `None`); without any other required member
//! a strict client's call fails as `Error::Decode` naming the operation and the member, keeping
//! status and body, and the default client reads it with a deviation (`mutations.rs`: every
//! member removed, retyped, and an unknown one added, at every depth). Request bodies: every
//! three-state member reaches the wire absent, `null` or with its value, and every required
//! nullable member as `null` or its value.

mod calls;
#[path = "../common/mod.rs"]
mod common;
mod instance;
mod mutations;

use common::prepared_document;
use instance::{FUTURE_MEMBER, FUTURE_VALUE, Instances, differences};
use pilot_status::{Client, Error, Nullable, types};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An operation with a JSON success response.
struct Operation {
    /// `resource.method`, as calls and errors name it.
    name: String,
    /// The documented success status.
    status: u16,
    /// The success schema.
    schema: &'static Value,
    /// The docs' example of the success.
    example: Option<&'static Value>,
}

/// Every operation whose success is JSON, in the document's order.
fn operations() -> Vec<Operation> {
    let mut out = Vec::new();
    for item in prepared_document()["paths"]
        .as_object()
        .expect("paths")
        .values()
    {
        for operation in item.as_object().expect("a path item").values() {
            let Some(success) = operation.pointer("/responses/2XX") else {
                continue;
            };
            let Some(media) = success.pointer("/content/application~1json") else {
                continue;
            };
            out.push(Operation {
                name: format!(
                    "{}.{}",
                    operation["x-pilot-resource"].as_str().expect("designed"),
                    operation["x-pilot-method"].as_str().expect("designed")
                ),
                status: success["x-documented-statuses"]
                    .get(0)
                    .and_then(Value::as_str)
                    .and_then(|status| status.parse().ok())
                    .unwrap_or(200),
                schema: &media["schema"],
                example: media.get("example"),
            });
        }
    }
    out
}

/// A server on 127.0.0.1 and a client of it.
struct Server {
    server: MockServer,
    client: Client,
}

impl Server {
    /// With a client that reads tolerantly (the default).
    async fn start() -> Self {
        Self::with(Client::builder()).await
    }

    /// With a client that refuses a body that does not fit (`strict_responses`).
    async fn strict() -> Self {
        Self::with(Client::builder().strict_responses(true)).await
    }

    async fn with(builder: pilot_status::ClientBuilder) -> Self {
        let server = MockServer::start().await;
        let client = builder
            .api_key("ps_models_test_key")
            .base_url(server.uri())
            .build()
            .expect("a valid configuration");
        Self { server, client }
    }

    /// Calls `operation` while the server answers with `body`: the response re-serialised.
    async fn call(&self, operation: &Operation, body: &Value) -> Result<Value, Error> {
        self.read(operation, body).await.map(|(value, _)| value)
    }

    /// Calls `operation` while the server answers with `body`: the response re-serialised,
    /// with its deviations.
    async fn read(&self, operation: &Operation, body: &Value) -> Result<calls::Read, Error> {
        self.server.reset().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(operation.status).set_body_json(body))
            .mount(&self.server)
            .await;
        calls::call(&self.client, &operation.name)
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no call for {} in tests/models/calls.rs: add one",
                    operation.name
                )
            })
    }

    /// Serves `served` to every operation and checks it comes back as `expected`; returns
    /// the failures.
    async fn round_trips(
        &self,
        served: impl Fn(&Operation) -> Value,
        expected: impl Fn(&Operation, &Value) -> Value,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for operation in operations() {
            let body = served(&operation);
            match self.call(&operation, &body).await {
                Ok(reserialised) => {
                    let mut found = Vec::new();
                    differences(&expected(&operation, &body), &reserialised, "", &mut found);
                    if !found.is_empty() {
                        failures.push(format!("{}: {}", operation.name, found.join("; ")));
                    }
                }
                Err(error) => failures.push(format!("{}: {error}", operation.name)),
            }
        }
        failures
    }
}

fn report(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_operation_has_a_json_success_or_is_the_activation_audio() {
    let mut others = Vec::new();
    for item in prepared_document()["paths"]
        .as_object()
        .expect("paths")
        .values()
    {
        for operation in item.as_object().expect("a path item").values() {
            if operation
                .pointer("/responses/2XX/content/application~1json")
                .is_none()
            {
                others.push(common::designed_name(operation));
            }
        }
    }
    assert_eq!(others, ["phone_lines.get_activation_audio"]);
    assert!(operations().len() >= 80, "the operations are found");
}

#[tokio::test]
async fn maximal_responses_round_trip_with_every_member() {
    let server = Server::start().await;
    let instances = Instances::new(prepared_document());
    let failures = server
        .round_trips(
            |operation| instances.maximal(operation.schema, operation.example, ""),
            |_, served| served.clone(),
        )
        .await;
    report("maximal responses", &failures);
}

#[tokio::test]
async fn unknown_members_and_enum_values_survive_at_every_level() {
    let server = Server::start().await;
    let mut instances = Instances::new(prepared_document());
    instances.future = true;
    let served = |operation: &Operation| instances.maximal(operation.schema, None, "");
    let mut unknown_values = 0;
    for operation in operations() {
        let text = served(&operation).to_string();
        assert!(
            text.contains(FUTURE_MEMBER),
            "{}: the future instance has {FUTURE_MEMBER}",
            operation.name
        );
        unknown_values += text.matches(FUTURE_VALUE).count();
    }
    assert!(
        unknown_values > 20,
        "enums get unknown values ({unknown_values})"
    );
    let failures = server.round_trips(served, |_, served| served.clone()).await;
    report("unknown members and values", &failures);
}

#[tokio::test]
async fn docs_examples_round_trip_except_optional_nulls_and_empties() {
    let server = Server::start().await;
    let instances = Instances::new(prepared_document());
    // Every JSON success of the spec has a docs example.
    let missing: Vec<String> = operations()
        .into_iter()
        .filter(|operation| operation.example.is_none())
        .map(|operation| operation.name)
        .collect();
    assert!(missing.is_empty(), "no docs example: {missing:?}");
    let failures = server
        .round_trips(
            |operation| operation.example.cloned().unwrap_or_default(),
            |operation, served| instances.reserialised(operation.schema, served),
        )
        .await;
    report("docs examples", &failures);
}

/// One step down a response instance: a member, or every item of an array or entry of a map.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Member(String),
    Each,
}

/// Every place, at any depth, where the success schema requires a member: `(path to the
/// object, member, whether the member may be null)`.
fn required_places(
    instances: &Instances<'static>,
    schema: &'static Value,
    value: &Value,
    path: &[Step],
    out: &mut Vec<(Vec<Step>, String, bool)>,
) {
    let resolved = instances.resolve(schema);
    match value {
        Value::Object(members) => {
            let properties = resolved.get("properties").and_then(Value::as_object);
            if let Some(properties) = properties {
                for member in instances.required(resolved) {
                    let declared = &properties[&member];
                    let nullable = declared.get("nullable") == Some(&json!(true))
                        || instances.resolve(declared).get("nullable") == Some(&json!(true));
                    let place = (path.to_vec(), member, nullable);
                    if !out.contains(&place) {
                        out.push(place);
                    }
                }
            }
            for (name, child) in members {
                let here = |step: Step| [path, &[step]].concat();
                match properties.and_then(|p| p.get(name)) {
                    Some(member) => required_places(
                        instances,
                        member,
                        child,
                        &here(Step::Member(name.clone())),
                        out,
                    ),
                    None => {
                        if let Some(values) = resolved
                            .get("additionalProperties")
                            .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
                        {
                            required_places(instances, values, child, &here(Step::Each), out);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = resolved.get("items") {
                for item in items {
                    let here = [path, &[Step::Each]].concat();
                    required_places(instances, item_schema, item, &here, out);
                }
            }
        }
        _ => {}
    }
}

/// `body` without `member` in every object at `path`.
fn without(body: &mut Value, path: &[Step], member: &str) {
    match path.split_first() {
        None => {
            if let Some(object) = body.as_object_mut() {
                object.remove(member);
            }
        }
        Some((Step::Member(name), rest)) => {
            if let Some(child) = body.get_mut(name.as_str()) {
                without(child, rest, member);
            }
        }
        Some((Step::Each, rest)) => match body {
            Value::Array(items) => items
                .iter_mut()
                .for_each(|item| without(item, rest, member)),
            Value::Object(entries) => entries
                .values_mut()
                .for_each(|entry| without(entry, rest, member)),
            _ => {}
        },
    }
}

/// The values of `member` in every object at `path` of `body`.
fn values_at<'v>(body: &'v Value, path: &[Step], member: &str, out: &mut Vec<Option<&'v Value>>) {
    match path.split_first() {
        None => out.push(body.get(member)),
        Some((Step::Member(name), rest)) => {
            if let Some(child) = body.get(name.as_str()) {
                values_at(child, rest, member, out);
            }
        }
        Some((Step::Each, rest)) => match body {
            Value::Array(items) => items
                .iter()
                .for_each(|item| values_at(item, rest, member, out)),
            Value::Object(entries) => entries
                .values()
                .for_each(|entry| values_at(entry, rest, member, out)),
            _ => {}
        },
    }
}

#[tokio::test]
async fn a_missing_required_member_fails_strict_reading_unless_it_may_be_null() {
    // At every depth of every success: a member the type requires but that may be `null`
    // decodes when the body leaves it out (as `None`, sent back as `null`); any other
    // required member missing fails a strict client's call (`strict_responses(true)`) as
    // `Error::Decode`, which names the operation and the member, says the API accepted the
    // call, and keeps the status and the body. (The default client reads such a body with a
    // deviation: `mutations.rs`.)
    let server = Server::strict().await;
    let instances = Instances::new(prepared_document());
    let (mut absent_as_null, mut decode_errors) = (0, 0);
    let mut failures = Vec::new();
    for operation in operations() {
        let full = instances.maximal(operation.schema, operation.example, "");
        let mut places = Vec::new();
        required_places(&instances, operation.schema, &full, &[], &mut places);
        for (path, member, nullable) in places {
            let mut body = full.clone();
            without(&mut body, &path, &member);
            let at = format!("{} without `{member}` at {path:?}", operation.name);
            match (server.call(&operation, &body).await, nullable) {
                (Ok(decoded), true) => {
                    absent_as_null += 1;
                    let mut found = Vec::new();
                    values_at(&decoded, &path, &member, &mut found);
                    if found
                        .iter()
                        .any(|value| !matches!(value, Some(Value::Null) | None))
                    {
                        failures.push(format!("{at}: decoded as {decoded}"));
                    }
                }
                (Err(error), true) => failures.push(format!("{at}: may be null, but {error}")),
                (Err(error), false) => {
                    decode_errors += 1;
                    let message = error.to_string();
                    let names_member = error.undecoded().is_some_and(|undecoded| {
                        undecoded.deviations().iter().any(|deviation| {
                            deviation.is_missing()
                                && deviation.pointer().ends_with(&format!("/{member}"))
                                && message.contains(deviation.path())
                        })
                    });
                    let names_both =
                        message.starts_with(&format!("{}: ", operation.name)) && names_member;
                    let kept = error.accepted()
                        && error.status().map(|s| s.as_u16()) == Some(operation.status)
                        && error
                            .body()
                            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                            .as_ref()
                            == Some(&body);
                    if !names_both {
                        failures.push(format!("{at}: the message does not name both: {message}"));
                    }
                    if !kept {
                        failures.push(format!("{at}: status or body not kept: {error:?}"));
                    }
                }
                (Ok(decoded), false) => failures.push(format!("{at}: decoded as {decoded}")),
            }
        }
    }
    assert!(
        absent_as_null > 100 && decode_errors > 100,
        "required members are found: {absent_as_null} nullable, {decode_errors} not"
    );
    eprintln!(
        "{absent_as_null} required nullable members decoded when absent; {decode_errors} other \
         required members failed as Error::Decode"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One catch-all shape: an enum whose values include `UNKNOWN` names that value
/// (`Undetermined`, reviewed in `design/models.yaml`), and a value the API adds later is
/// `Unknown(String)` there too.
#[test]
fn enums_with_an_unknown_value_have_the_one_catch_all() {
    assert_eq!(
        serde_json::from_value::<types::CoexistenceStatus>(json!(FUTURE_VALUE)).unwrap(),
        types::CoexistenceStatus::Unknown(FUTURE_VALUE.to_owned())
    );
    assert_eq!(
        serde_json::from_value::<types::NumberInstanceQuality>(json!("UNKNOWN")).unwrap(),
        types::NumberInstanceQuality::Undetermined
    );
    assert_eq!(
        serde_json::to_value(types::CoexistenceStatus::Undetermined).unwrap(),
        json!("UNKNOWN")
    );
}

/// A body type with one member in each of its wire states, serialised.
struct WireStates {
    /// `Type.member`.
    name: String,
    /// The maximal body the states start from.
    instance: Value,
    /// The member left out; `None` where the member is required.
    absent: Option<Value>,
    /// The member set to null.
    null: Value,
    /// The member with the instance's value.
    value: Value,
}

/// A maximal instance of the component schema `name`, as its type.
fn maximal_body<T: DeserializeOwned>(name: &str) -> (Value, T) {
    let instance = Instances::new(prepared_document()).maximal(
        &json!({"$ref": format!("#/components/schemas/{name}")}),
        None,
        "",
    );
    let typed = serde_json::from_value(instance.clone())
        .unwrap_or_else(|error| panic!("a maximal {name} decodes: {error}"));
    (instance, typed)
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a body serialises")
}

/// `Type.field = "member"` of every three-state member (`Nullable<T>`).
macro_rules! three_state {
    ($($type:ident . $field:ident = $member:literal;)*) => {
        fn three_state_members() -> Vec<(&'static str, &'static str)> {
            vec![$((stringify!($type), $member)),*]
        }

        fn three_state_states() -> Vec<WireStates> {
            vec![$({
                let (instance, base): (Value, types::$type) = maximal_body(stringify!($type));
                assert!(base.$field.value().is_some(), "the maximal instance has a value");
                let mut absent = base.clone();
                absent.$field = Nullable::Absent;
                let mut null = base.clone();
                null.$field = Nullable::Null;
                WireStates {
                    name: format!("{}.{}", stringify!($type), $member),
                    instance,
                    absent: Some(to_json(&absent)),
                    null: to_json(&null),
                    value: to_json(&base),
                }
            }),*]
        }
    };
}

three_state! {
    Branding.background_color = "backgroundColor";
    Branding.company_name = "companyName";
    Branding.default_redirect_url = "defaultRedirectUrl";
    Branding.hide_pilot_status_branding = "hidePilotStatusBranding";
    Branding.logo_url = "logoUrl";
    Branding.primary_color = "primaryColor";
    Branding.subtitle = "subtitle";
    Branding.support_url = "supportUrl";
    LeadFormConfigInput.form_name = "formName";
    NumberSettingsPatch.always_online = "alwaysOnline";
    NumberSettingsPatch.ignore_groups = "ignoreGroups";
    NumberSettingsPatch.ignore_status = "ignoreStatus";
    NumberSettingsPatch.msg_reject_call = "msgRejectCall";
    NumberSettingsPatch.read_messages = "readMessages";
    NumberSettingsPatch.reject_call = "rejectCall";
    UpdateWebhookInput.events = "events";
}

/// `Type.field = "member"` of every required, nullable body member (`Option<T>`, always sent).
macro_rules! required_nullable {
    ($($type:ident . $field:ident = $member:literal;)*) => {
        fn required_nullable_members() -> Vec<(&'static str, &'static str)> {
            vec![$((stringify!($type), $member)),*]
        }

        fn required_nullable_states() -> Vec<WireStates> {
            vec![$({
                let (instance, base): (Value, types::$type) = maximal_body(stringify!($type));
                assert!(base.$field.is_some(), "the maximal instance has a value");
                let mut null = base.clone();
                null.$field = None;
                WireStates {
                    name: format!("{}.{}", stringify!($type), $member),
                    instance,
                    absent: None,
                    null: to_json(&null),
                    value: to_json(&base),
                }
            }),*]
        }
    };
}

required_nullable! {
    LeadFormConfigInput.consent_disclaimer_key = "consentDisclaimerKey";
    LeadFormConfigInput.free_text = "freeText";
    LeadFormConfigInput.template_id = "templateId";
}

/// Checks one member's states: only that member differs from the maximal instance.
fn check_states(states: &WireStates) {
    let member = states.name.rsplit('.').next().expect("Type.member");
    let with = |value: Option<Value>| {
        let mut expected = states.instance.clone();
        let object = expected.as_object_mut().expect("an object");
        match value {
            Some(value) => object.insert(member.to_owned(), value),
            None => object.remove(member),
        };
        expected
    };
    assert!(
        !states.instance[member].is_null(),
        "{}: the instance has a value",
        states.name
    );
    assert_eq!(states.value, states.instance, "{}: value", states.name);
    assert_eq!(
        states.null,
        with(Some(Value::Null)),
        "{}: null",
        states.name
    );
    if let Some(absent) = &states.absent {
        assert_eq!(absent, &with(None), "{}: absent", states.name);
    }
}

#[test]
fn three_state_members_reach_the_wire_absent_null_or_with_their_value() {
    let states = three_state_states();
    for state in &states {
        check_states(state);
    }
    // Every three-state member of these request types is listed above, and only those.
    // (Response models have three-state members too: the round-trip tests cover them.)
    let mut listed: Vec<(String, String)> = three_state_members()
        .into_iter()
        .map(|(t, m)| (t.to_owned(), m.to_owned()))
        .collect();
    listed.sort();
    let types: std::collections::BTreeSet<String> = listed.iter().map(|(t, _)| t.clone()).collect();
    let mut marked: Vec<(String, String)> =
        pilot_status_codegen::design::models::three_state_members(prepared_document())
            .into_iter()
            .filter(|(t, _)| types.contains(t))
            .collect();
    marked.sort();
    assert_eq!(listed, marked, "the three-state members of the spec");
}

#[test]
fn required_nullable_body_members_reach_the_wire_null_or_with_their_value() {
    for state in &required_nullable_states() {
        check_states(state);
    }
    let mut listed: Vec<(String, String)> = required_nullable_members()
        .into_iter()
        .map(|(t, m)| (t.to_owned(), m.to_owned()))
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        required_nullable_body_members(),
        "the required nullable body members of the spec"
    );
}

/// `(schema, member)` of every required, nullable member of a component schema a request
/// body reaches.
fn required_nullable_body_members() -> Vec<(String, String)> {
    let schemas = &prepared_document()["components"]["schemas"];
    let mut seen = std::collections::BTreeSet::new();
    let mut pending: Vec<&Value> = Vec::new();
    for item in prepared_document()["paths"]
        .as_object()
        .expect("paths")
        .values()
    {
        for operation in item.as_object().expect("a path item").values() {
            if let Some(body) = operation.get("requestBody") {
                pending.push(body);
            }
        }
    }
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    if seen.insert(name.to_owned()) {
                        pending.push(&schemas[name]);
                    }
                } else {
                    pending.extend(map.values());
                }
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for name in seen {
        let schema = &schemas[&name];
        let instances = Instances::new(prepared_document());
        for member in instances.required(schema) {
            if schema["properties"][&member]["nullable"] == json!(true) {
                out.push((name.clone(), member));
            }
        }
    }
    out.sort();
    out
}
