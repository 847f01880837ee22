use serde_json::{Value, json};

use super::*;

/// A table with a shared part, two payload types, an enum and a raw event.
const TABLE_TEXT: &str = r#"
events:
  message.received: {type: Inbound, payload: data}
  message.sent: {type: Status, payload: data}
  call.ended: {type: Call, payload: flat}
  calls: {payload: raw}
  lead.received:
    type: Status
    payload: data
    undocumented: the official SDK's LeadReceivedEvent
types:
  Common:
    description: What every message event carries.
    evidence: the events page
    part: {field: message, description: The message.}
    members:
      id: The message id.
      type: {description: The content kind., rust-name: message_type, model: Kind}
    required: [id]
  Inbound:
    description: An inbound message.
    evidence: the events page
    parts: [Common]
    members:
      from: The sender.
      pushName: {description: The sender's name., add: {type: string}, evidence: the SDK}
    required: [from]
  Status:
    description: A status update.
    evidence: the events page
    parts: [Common]
  Call:
    description: A call event.
    evidence: the events page
    members:
      callId: {description: The call., add: {type: string}, evidence: the SDK}
      duration: Seconds, when upstream documents it.
    nullable: [callId]
    required: [callId]
  Kind:
    description: The kind of a message.
    evidence: the events page
    values:
      text: Text.
      image: An image.
    unknown: A kind this client does not know yet.
"#;

fn table() -> EventTable {
    EventTable::parse(TABLE_TEXT).expect("the test table parses")
}

/// The spec's `webhooks` as the sync writes them from a page with one body.
fn webhooks(body: Value) -> Value {
    json!({
        "message.received": {"post": {"tags": ["Inbound"], "requestBody": {"content": {
            "application/json": {"example": body}
        }}}},
        "message.sent": {"post": {"tags": ["Outbound"]}},
        "call.ended": {"post": {"tags": ["Calls"]}},
        "calls": {"post": {"tags": ["Calls"]}}
    })
}

fn received() -> Value {
    json!({"event": "message.received", "data": {
        "id": "m1", "type": "image", "from": "+5511988887777", "caption": "hello"
    }})
}

fn fields(events: &PreparedEvents, name: &str) -> Vec<(String, String)> {
    let event_type = events
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("type {name}"));
    match &event_type.kind {
        Kind::Struct { fields, .. } => fields
            .iter()
            .map(|f| (f.rust_name.clone(), f.declared_type()))
            .collect(),
        Kind::Enum { variants, .. } => variants
            .iter()
            .map(|(wire, variant, _)| (wire.clone(), variant.clone()))
            .collect(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn the_documented_body_and_the_table_make_the_types() {
    let events = prepare(&webhooks(received()), &table()).expect("prepares");
    // The part takes its own members; the payload keeps the rest, an undocumented member
    // joining it optional, and the table's `add` adds one.
    assert_eq!(
        fields(&events, "Common"),
        pairs(&[("id", "String"), ("message_type", "Option<Kind>")])
    );
    assert_eq!(
        fields(&events, "Inbound"),
        pairs(&[
            ("from", "String"),
            ("push_name", "Option<String>"),
            ("caption", "Option<String>"),
        ])
    );
    // No body documented: the table alone makes it (its `add`s; a member it only describes
    // waits for upstream); required and nullable is an Option.
    assert_eq!(
        fields(&events, "Call"),
        pairs(&[("call_id", "Option<String>")])
    );
    assert_eq!(
        fields(&events, "Kind"),
        pairs(&[("text", "Text"), ("image", "Image")])
    );
    let code = generate(&events).expect("generates");
    assert!(code.starts_with(HEADER));
    for needle in [
        "pub struct Inbound",
        "#[serde(flatten)]\n    pub message: Common,",
        "#[serde(rename = \"pushName\", default, skip_serializing_if = \"Option::is_none\")]",
        "Unknown(::std::string::String)",
        "pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>",
    ] {
        assert!(code.contains(needle), "{needle} not in:\n{code}");
    }
}

#[test]
fn the_table_and_the_docs_are_checked_against_each_other() {
    let mut webhooks = webhooks(received());
    let docs = webhooks.as_object_mut().expect("an object");
    docs.remove("call.ended");
    docs.insert(
        "message.edited".into(),
        json!({"post": {"tags": ["Inbound"]}}),
    );
    docs.insert("lead.received".into(), json!({"post": {"tags": ["Leads"]}}));
    let events = prepare(&webhooks, &table()).expect("prepares");
    let stale: Vec<String> = events.stale.iter().map(|s| s.to_string()).collect();
    let has = |key: &str, text: &str| {
        stale
            .iter()
            .any(|line| line.contains(key) && line.contains(text))
    };
    assert!(has("call.ended", "no longer name this event"), "{stale:?}");
    assert!(has("message.edited", "`Event::Unknown`"), "{stale:?}");
    assert!(has("lead.received", "drop its `undocumented`"), "{stale:?}");
    let edited = events
        .events
        .iter()
        .find(|e| e.name == "message.edited")
        .expect("a line for the new event");
    assert_eq!((edited.payload, edited.type_name.as_deref()), (None, None));
}

#[test]
fn a_table_that_does_not_hold_together_is_an_error() {
    let cases = [
        (
            TABLE_TEXT.replace(
                "{type: Status, payload: data}",
                "{type: Nope, payload: data}",
            ),
            "`type` names `Nope`",
        ),
        (
            TABLE_TEXT.replace("    unknown: A kind this client does not know yet.\n", ""),
            "`unknown` catch-all",
        ),
        (
            TABLE_TEXT.replace("{payload: raw}", "{payload: inline}"),
            "data, flat or raw",
        ),
        (
            TABLE_TEXT.replace("    required: [from]\n", "    required: [to]\n"),
            "`required` names `to`",
        ),
    ];
    for (text, expected) in cases {
        let error = EventTable::parse(&text).expect_err(expected).to_string();
        assert!(error.contains(expected), "{expected}: {error}");
    }
}

#[cfg(feature = "report")]
#[test]
fn event_and_member_changes_are_classified_like_a_response_members() {
    let old = prepare(&webhooks(received()), &table()).expect("prepares");
    let mut body = received();
    body["data"]["from"] = json!(42);
    body["data"]["forwarded"] = json!(true);
    let mut changed = webhooks(body);
    let docs = changed.as_object_mut().expect("an object");
    docs.remove("message.sent");
    docs.insert(
        "message.edited".into(),
        json!({"post": {"tags": ["Inbound"]}}),
    );
    let new = prepare(&changed, &table()).expect("prepares");
    let entries = changes(&old, &new);
    let line = |text: &str| {
        entries.iter().find_map(|entry| {
            if entry.subject.contains(text) {
                return Some(entry.breaking);
            }
            entry
                .changes
                .iter()
                .find(|change| change.text.contains(text))
                .map(|change| change.breaking)
        })
    };
    assert_eq!(line("event `message.sent`"), Some(true), "{entries:?}");
    assert_eq!(line("event `message.edited`"), Some(false), "{entries:?}");
    assert_eq!(
        line("member `from`: string -> integer"),
        Some(true),
        "{entries:?}"
    );
    assert_eq!(line("member `forwarded`"), Some(false), "{entries:?}");
    let types = type_changes(&old, &new);
    assert!(
        types.iter().any(|entry| entry.subject == "struct Inbound"),
        "{types:?}"
    );
}
