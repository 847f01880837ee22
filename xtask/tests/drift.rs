//! The drift suite: scripted upstream changes applied to the bundled docs mirror.
//!
//! Each mutation edits the `yaml openapi.json` block of a mirror page (or adds or removes a
//! page), and runs in-process through what `cargo xtask sync-spec` runs: the docs reader, the
//! merge, the overlays, the design and the generator, compared with the repository's spec.
//! Every mutation must show in the change report, as a line with the expected class
//! (breaking, minor, or named for review), and in the diff of the committed surface snapshot
//! (or, where the design absorbs it by rule, leave the snapshot unchanged). The detection
//! table prints with `cargo test --test drift -- --nocapture`, and with any failure.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pilot_status_codegen::design::Design;
use pilot_status_codegen::docs::{self, Fragment};
use pilot_status_codegen::{document, overlay};
use serde_json::{Value, json};
use xtask::sync::{Comparison, Previous, SyncOptions, compare, merge_fragments, read_site};

/// The host the mirror's links name.
const SITE: &str = "https://docs.pilotstatus.com.br";

/// What a change does to SDK users, as the report must classify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A report line marked `[BREAKING]`.
    Breaking,
    /// A report line without the mark.
    Minor,
    /// Named under "to review" (a reviewed layer no longer matches upstream).
    Review,
    /// A negative control: nothing to report, nothing to review, the snapshot unchanged.
    Clean,
}

/// One edit of the mirror.
enum Edit {
    /// Change the spec block of a page.
    Page(&'static str, fn(&mut Value)),
    /// Take a page's spec block away (the operation is gone from the docs).
    Remove(&'static str),
    /// A new page whose spec block this makes from another page's block.
    Add(&'static str, fn(&Value) -> Value),
    /// Change the spec block of every operation page.
    EveryPage(fn(&mut Value)),
    /// Change the text of the webhook events page (its table, its example bodies).
    Events(fn(&str) -> String),
}

struct Mutation {
    /// The kind of change.
    kind: &'static str,
    /// Where.
    place: &'static str,
    edits: Vec<Edit>,
    /// Text of the report line that must name it.
    report: &'static str,
    class: Class,
    /// Text of a `-`/`+` line of the snapshot diff; `None`: the snapshot must not change.
    snapshot: Option<&'static str>,
}

// ------------------------------------------------------------------ pages and their specs

const REMOTE_PAIRING: &str = "playground/numbers/remote-pairing-connection-link.md";
const CREATE_PROJECT: &str = "playground/projects/create-project.md";
const LIST_PROJECTS: &str = "playground/projects/list-projects.md";
const LEAD_FORM: &str = "playground/lead-pages/update-lead-form.md";
const HISTORY: &str = "playground/conversations/message-history.md";
const MESSAGE: &str = "playground/messages/get-message-status.md";
const SEND: &str = "playground/messages/send-message.md";
const CHECKOUT: &str = "playground/billing/generate-checkout-link-stripe.md";
const DELETE_TEMPLATE: &str = "playground/templates/delete-template.md";
const NUMBER_STATUS: &str = "playground/numbers/number-connection-status.md";
const EVENTS: &str = "api/webhooks/events.md";

/// The one operation of a page's spec block.
fn operation(doc: &mut Value) -> &mut Value {
    let paths = doc["paths"].as_object_mut().expect("paths");
    let item = paths.values_mut().next().expect("one path");
    item.as_object_mut()
        .expect("a path item")
        .values_mut()
        .find(|value| value.get("responses").is_some())
        .expect("one operation")
}

fn body(doc: &mut Value) -> &mut Value {
    &mut operation(doc)["requestBody"]["content"]["application/json"]["schema"]
}

fn members(doc: &mut Value) -> &mut serde_json::Map<String, Value> {
    body(doc)["properties"]
        .as_object_mut()
        .expect("body members")
}

fn success<'a>(doc: &'a mut Value, status: &str) -> &'a mut Value {
    &mut operation(doc)["responses"][status]["content"]["application/json"]
}

fn parameter<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    operation(doc)["parameters"]
        .as_array_mut()
        .expect("parameters")
        .iter_mut()
        .find(|p| p["name"] == name)
        .expect("the parameter")
}

fn rename_key(map: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let value = map.remove(from).expect("the member");
    map.insert(to.to_owned(), value);
}

/// Every object of a list example, or the example itself.
fn example_items(example: &mut Value) -> Vec<&mut serde_json::Map<String, Value>> {
    match example {
        Value::Array(items) => items.iter_mut().filter_map(Value::as_object_mut).collect(),
        Value::Object(object) => vec![object],
        _ => Vec::new(),
    }
}

fn projects_examples(doc: &mut Value, f: fn(&mut serde_json::Map<String, Value>)) {
    let status = if operation(doc)["responses"].get("201").is_some() {
        "201"
    } else {
        "200"
    };
    for item in example_items(&mut success(doc, status)["example"]) {
        f(item);
    }
}

fn projects_schema(doc: &mut Value, schema: Value) {
    let status = if operation(doc)["responses"].get("201").is_some() {
        "201"
    } else {
        "200"
    };
    let schema = if status == "200" {
        json!({"type": "array", "items": schema})
    } else {
        schema
    };
    success(doc, status)["schema"] = schema;
}

/// A declared schema for the message's `origin`, as upstream would write one.
fn origin_values(values: &[&str]) -> Value {
    json!({"type": "object", "properties": {"origin": {"type": "string", "enum": values}}})
}

/// A new operation page, with the same document header as every other page.
fn contacts_page(header: &Value) -> Value {
    let mut doc = header.clone();
    doc["paths"] = json!({"/v1/contacts": {"post": {
        "summary": "Create contact",
        "operationId": "post_contacts",
        "requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}}
        }}}},
        "responses": {"201": {"description": "Created", "content": {"application/json": {
            "example": {"id": "ct_1", "name": "Ana"}
        }}}}
    }}});
    doc
}

fn mutations() -> Vec<Mutation> {
    use Class::*;
    use Edit::*;
    vec![
        // ------------------------------------------------------------ request bodies
        Mutation {
            kind: "member removed",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc).remove("externalRef");
            })],
            report: "- member `externalRef` (string, optional); models.yaml still declares it",
            class: Breaking,
            snapshot: Some("-  externalRef -> external_ref: Option<String>"),
        },
        Mutation {
            kind: "member retyped",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc)["sendViaWhatsApp"] = json!({"type": "string"});
            })],
            report: "~ member `sendViaWhatsApp`: boolean -> string",
            class: Breaking,
            snapshot: Some("+  sendViaWhatsApp -> send_via_whats_app: Option<String>"),
        },
        Mutation {
            kind: "member renamed",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                rename_key(members(doc), "redirectUrl", "returnUrl");
            })],
            report: "~ member `redirectUrl` renamed to `returnUrl`",
            class: Breaking,
            snapshot: Some("+  returnUrl -> return_url: Option<String>"),
        },
        Mutation {
            kind: "optional member added",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc).insert("campaign".into(), json!({"type": "string"}));
            })],
            report: "+ member `campaign` (string, optional)",
            class: Minor,
            snapshot: Some("+  campaign: Option<String>"),
        },
        Mutation {
            kind: "member added beside one-of groups",
            place: "SendMessageInput (body)",
            edits: vec![Page(SEND, |doc| {
                members(doc).insert(
                    "channelId".into(),
                    json!({"type": "string", "description": "Destination: a channel id."}),
                );
            })],
            report: "member `channelId` is in no one-of group (to, content)",
            class: Review,
            snapshot: Some("+  channelId -> channel_id: Option<String>"),
        },
        Mutation {
            kind: "one-of member removed",
            place: "SendMessageInput (body)",
            edits: vec![Page(SEND, |doc| {
                members(doc).remove("newsletterId");
            })],
            report: "names `newsletterId`, which upstream no longer documents: the groups are left off",
            class: Review,
            snapshot: Some("-enum SendDestination"),
        },
        Mutation {
            kind: "member made required",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                body(doc)["required"] = json!(["provider"]);
            })],
            report: "~ member `provider` is now required",
            class: Breaking,
            snapshot: Some("+  provider: String"),
        },
        Mutation {
            kind: "member made nullable",
            place: "RemotePairingInput (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc)["redirectUrl"]["type"] = json!(["string", "null"]);
            })],
            report: "~ member `redirectUrl` may now be null",
            class: Breaking,
            snapshot: Some("+  redirectUrl -> redirect_url: Nullable<String>"),
        },
        Mutation {
            kind: "required member added",
            place: "CreateProjectInput (body)",
            edits: vec![Page(CREATE_PROJECT, |doc| {
                members(doc).insert("color".into(), json!({"type": "string"}));
                body(doc)["required"] = json!(["name", "color"]);
            })],
            report: "+ member `color` (string, required)",
            class: Breaking,
            snapshot: Some("+  color: String"),
        },
        Mutation {
            kind: "enum value added",
            place: "VariableSourceKind (body)",
            edits: vec![Page(LEAD_FORM, |doc| {
                members(doc)["variableMap"]["additionalProperties"]["properties"]["source"]["enum"] =
                    json!(["field", "static", "computed"]);
            })],
            report: "+ values [computed]",
            class: Minor,
            snapshot: Some("+  Computed = \"computed\""),
        },
        Mutation {
            kind: "enum value removed",
            place: "CheckoutPurpose (body)",
            edits: vec![Page(CHECKOUT, |doc| {
                members(doc)["purpose"]["enum"] = json!(["wallet_topup"]);
            })],
            report: "- values [add_card] (upstream now declares the set itself)",
            class: Breaking,
            snapshot: Some("-  AddCard = \"add_card\""),
        },
        Mutation {
            kind: "enum value removed at one place",
            place: "VariableSourceKind (body; responses keep it)",
            edits: vec![Page(LEAD_FORM, |doc| {
                members(doc)["variableMap"]["additionalProperties"]["properties"]["source"]["enum"] =
                    json!(["field"]);
            })],
            // The model keeps the value (its response places still show it), so the types do
            // not change; callers that send it get a 400 from now on.
            report: "body member `variableMap{}.source`: values -[static] (the SDK still offers \
                     them) (tightened",
            class: Breaking,
            snapshot: None,
        },
        // ------------------------------------------------------------ responses
        Mutation {
            kind: "member removed",
            place: "Project (response, both places)",
            edits: vec![
                Page(LIST_PROJECTS, |doc| {
                    projects_examples(doc, |item| {
                        item.remove("updatedAt");
                    })
                }),
                Page(CREATE_PROJECT, |doc| {
                    projects_examples(doc, |item| {
                        item.remove("updatedAt");
                    })
                }),
            ],
            report: "- member `updatedAt` (string, optional)",
            class: Breaking,
            snapshot: Some("-  updatedAt -> updated_at: Option<Timestamp>"),
        },
        Mutation {
            kind: "member removed at one place",
            place: "Project (response, list only)",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                projects_examples(doc, |item| {
                    item.remove("updatedAt");
                })
            })],
            report: "at `get_projects response[]`: member `updatedAt` (string, optional); \
                     models.yaml still declares it: review (the model keeps its shape from its \
                     other places)",
            class: Minor,
            snapshot: None,
        },
        Mutation {
            kind: "member added",
            place: "Project (response)",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                projects_examples(doc, |item| {
                    item.insert("color".into(), json!("blue"));
                })
            })],
            report: "+ member `color` (string, optional)",
            class: Minor,
            snapshot: Some("+  color: Option<String>"),
        },
        Mutation {
            kind: "member retyped",
            place: "Project (response, both places)",
            edits: vec![
                Page(LIST_PROJECTS, |doc| {
                    projects_examples(doc, |item| {
                        item.insert("name".into(), json!(true));
                    })
                }),
                Page(CREATE_PROJECT, |doc| {
                    projects_examples(doc, |item| {
                        item.insert("name".into(), json!(false));
                    })
                }),
            ],
            report: "~ member `name`: string -> boolean",
            class: Breaking,
            snapshot: Some("+  name: bool"),
        },
        Mutation {
            kind: "required member made nullable",
            place: "Project (response)",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                projects_schema(
                    doc,
                    json!({"type": "object", "properties": {"description": {"type": ["string", "null"]}}}),
                )
            })],
            report: "~ member `description` may now be null",
            class: Breaking,
            snapshot: Some("+  description: Option<String>"),
        },
        Mutation {
            kind: "optional member made nullable",
            place: "Project (response)",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                projects_schema(
                    doc,
                    json!({"type": "object", "properties": {"updatedAt": {"type": ["string", "null"]}}}),
                )
            })],
            report: "~ member `updatedAt` may now be null (read as `None` either way: the SDK's \
                     type does not change)",
            class: Minor,
            snapshot: None,
        },
        Mutation {
            kind: "member made required",
            place: "Project.updatedAt, an instant (response, both places)",
            edits: vec![
                Page(LIST_PROJECTS, |doc| {
                    projects_schema(doc, json!({"type": "object", "required": ["updatedAt"]}))
                }),
                Page(CREATE_PROJECT, |doc| {
                    projects_schema(doc, json!({"type": "object", "required": ["updatedAt"]}))
                }),
            ],
            report: "~ member `updatedAt` is now required",
            class: Breaking,
            // An instant (`Timestamp`) of a model only responses carry stays an `Option` when
            // required: none is made up for a missing one (it reads `None`, and is named). The
            // surface marks it required.
            snapshot: Some(
                "+  updatedAt -> updated_at: Option<Timestamp> (required; None only when unreadable)",
            ),
        },
        Mutation {
            kind: "enum value added (open enum)",
            place: "MessageOrigin (response)",
            edits: vec![Page(MESSAGE, |doc| {
                success(doc, "200")["schema"] = origin_values(&[
                    "API",
                    "MCP",
                    "CHATWOOT",
                    "CHAT",
                    "DASHBOARD",
                    "SYSTEM",
                    "APP",
                    "LAYER",
                    "WEBHOOK",
                ]);
            })],
            report: "+ values [WEBHOOK] (upstream now declares the set itself)",
            class: Minor,
            snapshot: Some("+  Webhook = \"WEBHOOK\""),
        },
        Mutation {
            kind: "enum value removed",
            place: "MessageOrigin (response)",
            edits: vec![Page(MESSAGE, |doc| {
                success(doc, "200")["schema"] = origin_values(&[
                    "API",
                    "MCP",
                    "CHATWOOT",
                    "CHAT",
                    "DASHBOARD",
                    "SYSTEM",
                    "APP",
                ]);
            })],
            report: "- values [LAYER] (upstream now declares the set itself)",
            class: Breaking,
            snapshot: Some("-  Layer = \"LAYER\""),
        },
        Mutation {
            kind: "value set now declared upstream",
            place: "MessageOrigin (models.yaml `values`)",
            edits: vec![Page(MESSAGE, |doc| {
                success(doc, "200")["schema"] = origin_values(&[
                    "API",
                    "MCP",
                    "CHATWOOT",
                    "CHAT",
                    "DASHBOARD",
                    "SYSTEM",
                    "APP",
                    "LAYER",
                    "WEBHOOK",
                ]);
            })],
            report: "entry `MessageOrigin`: upstream now declares the values as [API, MCP, \
                     CHATWOOT, CHAT, DASHBOARD, SYSTEM, APP, LAYER, WEBHOOK]",
            class: Review,
            snapshot: Some("+  Webhook = \"WEBHOOK\""),
        },
        Mutation {
            kind: "SDK-only member now documented",
            place: "SentMessage.flowToken (models.yaml `add`)",
            edits: vec![Page(SEND, |doc| {
                success(doc, "202")["example"]["flowToken"] = json!("ft_1");
            })],
            report: "entry `SentMessage`: upstream now documents `flowToken` (string): the \
                     table's `add` is not used",
            class: Review,
            snapshot: None,
        },
        Mutation {
            kind: "retyped member the table retypes",
            place: "CheckoutSession.amount (models.yaml `retype`)",
            edits: vec![Page(CHECKOUT, |doc| {
                success(doc, "200")["example"]["amount"] = json!("50.00");
            })],
            report: "upstream retyped `amount` from integer to string; the table's `retype` \
                     (integer -> number) is not applied",
            class: Review,
            snapshot: Some("+  amount: Option<String>"),
        },
        Mutation {
            kind: "value set an overlay sets",
            place: "MessageStatus (example-only response; overlays/40-value-sets.yaml)",
            edits: vec![Page(MESSAGE, |doc| {
                success(doc, "200")["schema"] = json!({"type": "object", "properties": {"status": {
                    "type": "string",
                    "enum": ["QUEUED", "SENT", "DELIVERED", "READ", "FAILED", "CANCELED", "EXPIRED"]
                }}});
            })],
            report: "overlay: overlays/40-value-sets.yaml, action 1: upstream changed",
            class: Review,
            snapshot: Some("+  Expired = \"EXPIRED\""),
        },
        Mutation {
            kind: "member an overlay declares dropped from an example",
            place: "MessageDetails.readAt (example-only response; overlays/40-value-sets.yaml)",
            edits: vec![Page(MESSAGE, |doc| {
                let example = success(doc, "200")["example"].as_object_mut().unwrap();
                assert!(
                    example.remove("readAt").is_some(),
                    "the example shows readAt"
                );
            })],
            report: "schema/properties/readAt from {\"type\":\"string\"} (upstream's example) to \
                     absent (no longer in upstream's example), where the action still applies",
            class: Review,
            // The overlay still declares it, so the type keeps it until the overlay follows.
            snapshot: None,
        },
        Mutation {
            kind: "response member retyped under an overlay",
            place: "MessageDetails.readAt (example-only response; overlays/40-value-sets.yaml)",
            edits: vec![Page(MESSAGE, |doc| {
                let example = success(doc, "200")["example"].as_object_mut().unwrap();
                example.insert("readAt".into(), json!(1_750_000_000));
            })],
            report: "response member `readAt`: upstream now sends integer where an overlay \
                     types it as string",
            class: Breaking,
            // The overlay still types it; the report says the generated type no longer fits.
            snapshot: None,
        },
        // ------------------------------------------------------------ request bodies
        Mutation {
            kind: "body turned into multipart/form-data",
            place: "messages.send (body)",
            edits: vec![Page(SEND, |doc| {
                let content = operation(doc)["requestBody"]["content"]
                    .as_object_mut()
                    .unwrap();
                let media = content.remove("application/json").unwrap();
                content.insert("multipart/form-data".into(), media);
            })],
            // The call keeps its typed body; the client sends it as a form.
            report: "~ body SendMessageInput (application/json) -> SendMessageInput \
                     (multipart/form-data)",
            class: Breaking,
            snapshot: Some("+  body    SendMessageInput (multipart/form-data, required)"),
        },
        // ------------------------------------------------------------ authentication
        Mutation {
            kind: "security scheme changed on every page",
            place: "x-api-key -> Authorization: Bearer",
            edits: vec![EveryPage(|doc| {
                doc["components"]["securitySchemes"] = json!({"bearerAuth": {
                    "type": "http", "scheme": "bearer", "description": "Your ps_ API key"
                }});
                doc["security"] = json!([{"bearerAuth": []}]);
            })],
            report: "~ every operation without its own: apiKey (header x-api-key) or apiKeyId \
                     (header x-api-key-id) -> bearerAuth (header Authorization: Bearer \
                     <credential>)",
            class: Breaking,
            snapshot: Some("+  bearerAuth: header Authorization: Bearer <credential>"),
        },
        Mutation {
            kind: "operation requires its own scheme",
            place: "messages.history",
            edits: vec![Page(HISTORY, |doc| {
                operation(doc)["security"] = json!([{"apiKey": []}]);
            })],
            report: "~ authentication the default security -> apiKey",
            class: Breaking,
            snapshot: Some("+  auth    apiKey"),
        },
        // ------------------------------------------------------------ parameters
        Mutation {
            kind: "parameter added",
            place: "messages.history (query)",
            edits: vec![Page(HISTORY, |doc| {
                operation(doc)["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({
                        "name": "direction", "in": "query", "required": false,
                        "schema": {"type": "string"}
                    }));
            })],
            report: "+ query parameter `direction`: String (optional)",
            class: Minor,
            snapshot: Some("+  query   direction: String (optional)"),
        },
        Mutation {
            kind: "parameter removed",
            place: "messages.history (query)",
            edits: vec![Page(HISTORY, |doc| {
                operation(doc)["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|p| p["name"] != "endDate");
            })],
            report: "- query parameter `endDate`",
            class: Breaking,
            snapshot: Some("-  query   endDate .end_date(): Timestamp (optional)"),
        },
        Mutation {
            kind: "parameter made required",
            place: "messages.history (query)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "startDate")["required"] = json!(true);
            })],
            report: "~ query parameter `startDate` is now required",
            class: Breaking,
            snapshot: Some("+  query   startDate .start_date(): Timestamp (required)"),
        },
        Mutation {
            kind: "parameter retyped",
            place: "messages.history (query)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "pageSize")["schema"] = json!({"type": "boolean"});
            })],
            report: "~ query parameter `pageSize`: i64 -> bool",
            class: Breaking,
            snapshot: Some("+  query   pageSize .page_size(): bool (optional)"),
        },
        // ------------------------------------------------------------ constraints
        Mutation {
            kind: "bound tightened (description-typed)",
            place: "messages.history pageSize (query)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "pageSize")["schema"]["description"] = json!("(integer (1–50))");
            })],
            report: "query parameter `pageSize`: maximum 100 -> 50 (tightened",
            class: Breaking,
            snapshot: None,
        },
        Mutation {
            kind: "bound loosened (description-typed)",
            place: "messages.history pageSize (query)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "pageSize")["schema"]["description"] = json!("(integer (1–200))");
            })],
            report: "query parameter `pageSize`: maximum 100 -> 200 (loosened)",
            class: Minor,
            snapshot: None,
        },
        Mutation {
            kind: "maxLength added",
            place: "RemotePairingInput.name (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc)["name"]["maxLength"] = json!(60);
            })],
            report: "body member `name`: maxLength none -> 60 (tightened",
            class: Breaking,
            snapshot: None,
        },
        Mutation {
            kind: "pattern added",
            place: "RemotePairingInput.number (body)",
            edits: vec![Page(REMOTE_PAIRING, |doc| {
                members(doc)["number"]["pattern"] = json!("^[0-9]{12,13}$");
            })],
            report: "body member `number`: pattern none -> \"^[0-9]{12,13}$\" (tightened",
            class: Breaking,
            // typify makes a string with a pattern a checked newtype.
            snapshot: Some("+  number: Option<RemotePairingInputNumber>"),
        },
        // ------------------------------------------------------------ defaults
        Mutation {
            kind: "default the SDK leaves out changed",
            place: "numbers.get_status link (query; overlays/20-parameters.yaml)",
            edits: vec![Page(NUMBER_STATUS, |doc| {
                parameter(doc, "link")["schema"]["default"] = json!("secondary");
            })],
            report: "query parameter `link`: default primary -> secondary; the SDK leaves \
                     `link=primary` out of the query as the default",
            class: Breaking,
            snapshot: None,
        },
        Mutation {
            kind: "documented default changed",
            place: "messages.history pageSize (query)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "pageSize")["description"] =
                    json!("Items per page (default 50, max 100).");
            })],
            report: "query parameter `pageSize`: default 30 -> 50; the SDK documents 30",
            class: Breaking,
            snapshot: None,
        },
        Mutation {
            kind: "default changed the SDK does not rely on",
            place: "SendMessageInput.variables (body; always sent)",
            edits: vec![Page(SEND, |doc| {
                members(doc)["variables"]["description"] =
                    json!("Template variables (default null).");
            })],
            report: "body member `variables`: default {} -> null",
            class: Minor,
            snapshot: None,
        },
        // ------------------------------------------------------------ webhook events
        Mutation {
            kind: "event member removed",
            place: "InboundMessage (message.received body)",
            edits: vec![Events(|page| {
                page.replace("    \"participantName\": \"Ana Souza\",\n", "")
            })],
            report: "- member `participantName` (string, optional)",
            class: Breaking,
            snapshot: Some("participantName"),
        },
        Mutation {
            kind: "event member added",
            place: "InboundMessage (message.received body)",
            edits: vec![Events(|page| {
                page.replace(
                    "    \"fromMe\": false,\n",
                    "    \"fromMe\": false,\n    \"forwarded\": true,\n",
                )
            })],
            report: "+ member `forwarded` (boolean, optional)",
            class: Minor,
            snapshot: Some("+  forwarded: Option<bool>"),
        },
        Mutation {
            kind: "event member retyped",
            place: "InboundMessage (message.received body)",
            edits: vec![Events(|page| {
                page.replace(
                    "\"participantName\": \"Ana Souza\"",
                    "\"participantName\": {\"first\": \"Ana\", \"last\": \"Souza\"}",
                )
            })],
            report: "~ member `participantName`: string -> object",
            class: Breaking,
            snapshot: Some("participantName -> participant_name"),
        },
        Mutation {
            kind: "event added",
            place: "events page (Inbound)",
            edits: vec![Events(|page| {
                page.replace(
                    "`message.newsletter` |",
                    "`message.newsletter`, `message.edited` |",
                )
            })],
            report: "+ event `message.edited` (Inbound)",
            class: Minor,
            snapshot: Some("+  message.edited"),
        },
        Mutation {
            kind: "event removed",
            place: "events page (Inbound)",
            edits: vec![Events(|page| {
                page.replace(", `message.newsletter` |", " |")
            })],
            report: "- event `message.newsletter` (Inbound)",
            class: Breaking,
            snapshot: Some("message.newsletter"),
        },
        // ------------------------------------------------------------ negative controls
        Mutation {
            kind: "descriptions reworded",
            place: "messages.history (operation, parameter)",
            edits: vec![Page(HISTORY, |doc| {
                parameter(doc, "pageSize")["description"] =
                    json!("How many messages one page holds (default 30, max 100).");
                operation(doc)["description"] =
                    json!("Pages through every message of the linked number, newest first.");
            })],
            report: "no change to the generated surface",
            class: Clean,
            snapshot: None,
        },
        Mutation {
            kind: "example strings changed",
            place: "Project (response examples)",
            edits: vec![
                Page(LIST_PROJECTS, |doc| {
                    projects_examples(doc, |item| {
                        item.insert("name".into(), json!("Another name"));
                        item.insert("description".into(), json!("Reworded, too."));
                    })
                }),
                Page(MESSAGE, |doc| {
                    success(doc, "200")["example"]["id"] = json!("msg_other");
                }),
            ],
            report: "no change to the generated surface",
            class: Clean,
            snapshot: None,
        },
        Mutation {
            kind: "event example strings changed",
            place: "InboundMessage (message.received body)",
            edits: vec![Events(|page| {
                page.replace("\"Ana Souza\"", "\"Bruno Lima\"")
                    .replace("\"Segue o comprovante\"", "\"Outro texto\"")
            })],
            report: "no change to the generated surface",
            class: Clean,
            snapshot: None,
        },
        Mutation {
            kind: "keys reordered",
            place: "RemotePairingInput (body), Project (response example), message.received body",
            edits: vec![
                Events(|page| {
                    page.replace(
                        "    \"from\": \"+5511988887777\",\n    \"to\": \"+5511999990000\",\n",
                        "    \"to\": \"+5511999990000\",\n    \"from\": \"+5511988887777\",\n",
                    )
                }),
                Page(REMOTE_PAIRING, |doc| {
                    let reversed: serde_json::Map<String, Value> =
                        std::mem::take(members(doc)).into_iter().rev().collect();
                    *members(doc) = reversed;
                }),
                Page(LIST_PROJECTS, |doc| {
                    projects_examples(doc, |item| {
                        let reversed: serde_json::Map<String, Value> =
                            std::mem::take(item).into_iter().rev().collect();
                        *item = reversed;
                    })
                }),
            ],
            report: "no change to the generated surface",
            class: Clean,
            snapshot: None,
        },
        // ------------------------------------------------------------ operations
        Mutation {
            kind: "operation removed",
            place: "GET /v1/projects",
            edits: vec![Remove(LIST_PROJECTS)],
            report: "- GET /v1/projects (projects.list, upstream get_projects)",
            class: Breaking,
            snapshot: Some("-projects.list  GET /v1/projects  (upstream id: get_projects)"),
        },
        Mutation {
            kind: "operation added",
            place: "POST /v1/contacts",
            edits: vec![Add("playground/contacts/create-contact.md", contacts_page)],
            report: "+ POST /v1/contacts (contacts.post_contacts, upstream post_contacts)",
            class: Minor,
            snapshot: Some(
                "+contacts.post_contacts  POST /v1/contacts  (upstream id: post_contacts)",
            ),
        },
        Mutation {
            kind: "operation renamed (id)",
            place: "GET /v1/projects",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                operation(doc)["operationId"] = json!("list_projects");
            })],
            report: "~ method projects.list -> projects.list_projects",
            class: Breaking,
            snapshot: Some(
                "+projects.list_projects  GET /v1/projects  (upstream id: list_projects)",
            ),
        },
        Mutation {
            kind: "operation moved (path)",
            place: "GET /v1/projects",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                let paths = doc["paths"].as_object_mut().unwrap();
                let item = paths.remove("/v1/projects").unwrap();
                paths.insert("/v1/workspace/projects".into(), item);
            })],
            report: "~ route GET /v1/projects -> GET /v1/workspace/projects",
            class: Breaking,
            snapshot: Some(
                "+projects.list  GET /v1/workspace/projects  (upstream id: get_projects)",
            ),
        },
        Mutation {
            kind: "operation moved with a new id",
            place: "GET /v1/projects",
            edits: vec![Page(LIST_PROJECTS, |doc| {
                operation(doc)["operationId"] = json!("list_workspace_projects");
                let paths = doc["paths"].as_object_mut().unwrap();
                let item = paths.remove("/v1/projects").unwrap();
                paths.insert("/v1/workspace/projects".into(), item);
            })],
            // One operation renamed (paired by shape), not a removal and an unrelated addition.
            report: "~ route GET /v1/projects -> GET /v1/workspace/projects",
            class: Breaking,
            snapshot: Some(
                "+workspace.list_workspace_projects  GET /v1/workspace/projects  (upstream id: list_workspace_projects)",
            ),
        },
        Mutation {
            kind: "operation method changed",
            place: "DELETE /v1/templates/{id}",
            edits: vec![Page(DELETE_TEMPLATE, |doc| {
                let item = doc["paths"]["/v1/templates/{id}"].as_object_mut().unwrap();
                let operation = item.remove("delete").unwrap();
                item.insert("post".into(), operation);
            })],
            report: "~ route DELETE /v1/templates/{id} -> POST /v1/templates/{id}",
            class: Breaking,
            snapshot: Some(
                "+templates.delete  POST /v1/templates/{id}  (upstream id: delete_templates_id)",
            ),
        },
        Mutation {
            kind: "success status changed",
            place: "POST /v1/projects",
            edits: vec![Page(CREATE_PROJECT, |doc| {
                let responses = operation(doc)["responses"].as_object_mut().unwrap();
                let created = responses.remove("201").unwrap();
                responses.insert("200".into(), created);
            })],
            report: "~ documented success statuses [\"201\"] -> [\"200\"]",
            class: Minor,
            snapshot: Some("+  success 200 -> Project"),
        },
        Mutation {
            kind: "error status added",
            place: "POST /v1/projects",
            edits: vec![Page(CREATE_PROJECT, |doc| {
                operation(doc)["responses"]["409"] = json!({
                    "description": "Conflict",
                    "content": {"application/json": {"example": {"error": "Already exists"}}}
                });
            })],
            report: "~ documented error statuses [\"400\", \"401\", \"429\"] -> [\"400\", \"401\", \"409\", \"429\"]",
            class: Minor,
            snapshot: Some("+  errors  400, 401, 409, 429 -> ApiError"),
        },
    ]
}

// ------------------------------------------------------------------ running a mutation

/// The mirror as `sync-spec --from-dir` reads it, once.
struct Mirror {
    root: PathBuf,
    fragments: Vec<Fragment>,
}

fn mirror() -> Mirror {
    let root = xtask::repository_root().join("xtask/fixtures/docs");
    let mut options = SyncOptions::for_repository(&xtask::repository_root());
    options.from_dir = Some(root.clone());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let site = runtime
        .block_on(read_site(&options))
        .expect("the mirror reads");
    Mirror {
        root,
        fragments: site.fragments,
    }
}

fn page_url(path: &str) -> String {
    format!("{SITE}/{path}")
}

/// `markdown` with its spec block replaced by `doc` (JSON is YAML), its fence naming the
/// operation `doc` now holds.
fn with_block(markdown: &str, doc: &Value) -> String {
    let blocks = docs::page::blocks(markdown).expect("the page parses");
    let block = blocks
        .iter()
        .find(|block| block.is_spec())
        .expect("the page has a spec block");
    let lines: Vec<&str> = markdown.lines().collect();
    let open = block.line - 1;
    let close = open + block.text.lines().count() + 1;
    let operation = docs::page::operations_in(doc)
        .pop()
        .expect("the block keeps an operation");
    let fence = lines[open]
        .chars()
        .take_while(|c| *c == '`')
        .collect::<String>();
    let mut out: Vec<String> = lines[..open].iter().map(|l| (*l).to_owned()).collect();
    out.push(format!("{fence}yaml openapi.json {operation}"));
    out.push(serde_json::to_string_pretty(doc).expect("JSON"));
    out.extend(lines[close..].iter().map(|l| (*l).to_owned()));
    out.join("\n") + "\n"
}

fn fragments_for(mirror: &Mirror, edits: &[Edit]) -> Vec<Fragment> {
    let mut fragments = mirror.fragments.clone();
    for edit in edits {
        match edit {
            Edit::Page(path, change) => {
                let markdown = std::fs::read_to_string(mirror.root.join(path)).expect("the page");
                let mut doc = docs::fragments_of_page(&page_url(path), &markdown)
                    .expect("the page's fragment")
                    .remove(0)
                    .document;
                change(&mut doc);
                let edited = with_block(&markdown, &doc);
                let new = docs::fragments_of_page(&page_url(path), &edited)
                    .expect("the edited page reads");
                fragments.retain(|f| f.source != page_url(path));
                fragments.extend(new);
            }
            Edit::Remove(path) => fragments.retain(|f| f.source != page_url(path)),
            Edit::EveryPage(change) => {
                for fragment in fragments
                    .iter_mut()
                    .filter(|f| f.document.get("paths").is_some())
                {
                    change(&mut fragment.document);
                }
            }
            Edit::Events(change) => {
                let markdown =
                    std::fs::read_to_string(mirror.root.join(EVENTS)).expect("the events page");
                let edited = change(&markdown);
                assert!(edited != markdown, "the events edit changes the page");
                let new = docs::events::fragment_of_page(&page_url(EVENTS), &edited)
                    .expect("the edited events page reads");
                fragments.retain(|f| f.source != page_url(EVENTS));
                fragments.extend(new);
            }
            Edit::Add(path, page) => {
                let header = &mirror.fragments[0].document;
                let markdown = with_block(
                    "# New page\n\n````yaml openapi.json GET /x\n{}\n````\n",
                    &page(header),
                );
                fragments.extend(
                    docs::fragments_of_page(&page_url(path), &markdown).expect("the new page"),
                );
            }
        }
    }
    fragments
}

/// The report as `sync-spec` prints it, with the lines to review.
fn report_text(comparison: &Comparison) -> String {
    let mut text = comparison.report.to_string();
    for stale in &comparison.stale {
        text.push_str(&format!("  overlay: {stale}\n"));
    }
    for masked in &comparison.masked {
        text.push_str(&format!("  overlay: {masked}\n"));
    }
    for stale in &comparison.stale_design {
        text.push_str(&format!("  design: {stale}\n"));
    }
    for unnamed in &comparison.unnamed {
        text.push_str(&format!("  unnamed: {unnamed}\n"));
    }
    text
}

struct Row {
    kind: &'static str,
    place: &'static str,
    detected: bool,
    class_ok: bool,
    class: Class,
    snapshot: String,
    snapshot_ok: bool,
    report: String,
    snapshot_diff: String,
}

fn run(mutation: &Mutation, mirror: &Mirror, previous: &Previous, committed: &Committed) -> Row {
    let root = xtask::repository_root();
    let overlays = overlay::load_dir(&root.join("overlays")).expect("overlays");
    let design = Design::load_dir(&root.join("design")).expect("design");
    let merged = merge_fragments(&fragments_for(mirror, &mutation.edits)).expect("merges");
    let comparison = compare(Some(previous), &merged, &overlays, &design).expect("generates");
    let report = report_text(&comparison);
    let review = |line: &str| line.starts_with("  overlay: ") || line.starts_with("  design: ");
    let line = report.lines().find(|line| line.contains(mutation.report));
    let class_ok = match (line, mutation.class) {
        (Some(line), Class::Breaking) => line.ends_with("[BREAKING]") && !review(line),
        (Some(line), Class::Minor) => !line.contains("[BREAKING]") && !review(line),
        (Some(line), Class::Review) => review(line),
        // Nothing but the line itself and the count.
        (Some(_), Class::Clean) => {
            report == "no change to the generated surface\n" && comparison.report.is_empty()
        }
        (None, _) => false,
    };
    let generated = &comparison.generated;
    let snapshot_diff =
        pilot_status_codegen::diff::text_diff(&committed.surface, &generated.surface.to_string())
            + &pilot_status_codegen::diff::text_diff(&committed.events, &generated.events_surface);
    let (snapshot, snapshot_ok) = match mutation.snapshot {
        Some(expected) => {
            let shown = snapshot_diff
                .lines()
                .any(|l| (l.starts_with('+') || l.starts_with('-')) && l.contains(expected));
            let changed = snapshot_diff
                .lines()
                .filter(|l| l.starts_with('+') || l.starts_with('-'))
                .count();
            (
                format!("{changed} line{}", if changed == 1 { "" } else { "s" }),
                shown,
            )
        }
        None => ("unchanged".to_owned(), snapshot_diff.is_empty()),
    };
    Row {
        kind: mutation.kind,
        place: mutation.place,
        detected: line.is_some(),
        class_ok,
        class: mutation.class,
        snapshot,
        snapshot_ok,
        report,
        snapshot_diff,
    }
}

/// A committed snapshot, without insta's header.
fn committed_snapshot(root: &Path, name: &str) -> String {
    let text =
        std::fs::read_to_string(root.join("tests/snapshots").join(name)).expect("the snapshot");
    text.splitn(3, "---\n").nth(2).expect("a body").to_owned()
}

/// The committed snapshots a mutation's diff is taken against.
struct Committed {
    /// The client's surface (`surface__surface.snap`).
    surface: String,
    /// The webhook events and their payload types (`surface__events.snap`).
    events: String,
}

#[test]
fn every_scripted_upstream_change_is_reported_classified_and_in_the_snapshot_diff() {
    let root = xtask::repository_root();
    let mirror = mirror();
    // The untouched mirror gives the vendored spec, byte for byte.
    let merged = merge_fragments(&mirror.fragments).expect("the mirror merges");
    let vendored = std::fs::read_to_string(root.join("openapi.json")).expect("openapi.json");
    assert!(
        document::to_canonical_string(&merged) == vendored,
        "the bundled mirror no longer syncs to openapi.json"
    );
    let overlays = overlay::load_dir(&root.join("overlays")).expect("overlays");
    let design = Design::load_dir(&root.join("design")).expect("design");
    let (previous, problem) =
        xtask::sync::previous_generation(&root.join("openapi.json"), &overlays, &design);
    let previous = previous.unwrap_or_else(|| panic!("the vendored spec generates: {problem:?}"));
    let committed = Committed {
        surface: committed_snapshot(&root, "surface__surface.snap"),
        events: committed_snapshot(&root, "surface__events.snap"),
    };
    assert_eq!(
        previous.generated.surface.to_string(),
        committed.surface,
        "the committed snapshot is the vendored spec's surface"
    );
    assert_eq!(
        previous.generated.events_surface, committed.events,
        "the committed events snapshot is the vendored spec's events"
    );

    let mutations = mutations();
    assert!(mutations.len() >= 25, "at least 25 scripted changes");
    // Two workers (the CI machine has two cores), each taking the next mutation.
    let next = Mutex::new(0usize);
    let rows: Mutex<Vec<(usize, Row)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().expect("lock");
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(mutation) = mutations.get(index) else {
                        break;
                    };
                    let row = run(mutation, &mirror, &previous, &committed);
                    rows.lock().expect("lock").push((index, row));
                }
            });
        }
    });
    let mut rows = rows.into_inner().expect("lock");
    rows.sort_by_key(|(index, _)| *index);

    let mut table = String::from(
        "| # | upstream change | place | in report | class | snapshot diff |\n\
         |---|---|---|---|---|---|\n",
    );
    let mark = |ok: bool| if ok { "yes" } else { "NO" };
    let mut failures = Vec::new();
    for (index, row) in &rows {
        let class = format!("{:?}{}", row.class, if row.class_ok { "" } else { " (NO)" });
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {}{} |\n",
            index + 1,
            row.kind,
            row.place,
            mark(row.detected),
            class,
            row.snapshot,
            if row.snapshot_ok { "" } else { " (NO)" }
        ));
        if !(row.detected && row.class_ok && row.snapshot_ok) {
            failures.push(format!(
                "#{} {} at {}:\nreport:\n{}\nsnapshot diff:\n{}",
                index + 1,
                row.kind,
                row.place,
                row.report,
                row.snapshot_diff
            ));
        }
    }
    println!("{table}");
    // `DRIFT_ROW=<n>` (with `--nocapture`) prints one row's report and snapshot diff.
    if let Some(wanted) = std::env::var("DRIFT_ROW")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        && let Some((_, row)) = rows.iter().find(|(index, _)| index + 1 == wanted)
    {
        println!(
            "#{wanted} {} at {}:\nreport:\n{}\nsnapshot diff:\n{}",
            row.kind, row.place, row.report, row.snapshot_diff
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} upstream changes were not reported, classified and shown as expected:\n{table}\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
