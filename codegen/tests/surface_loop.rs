//! The review loop: a change to the spec shows up as a readable change of the surface
//! snapshot, and the change report says whether it breaks SDK users.

use pilot_status_codegen::diff::diff;
use pilot_status_codegen::{Design, document, generate};
use serde_json::{Value, json};

fn seed() -> Value {
    document::parse(include_str!("fixtures/remote-pairing.json"), "fixture").unwrap()
}

fn body_schema(spec: &mut Value) -> &mut serde_json::Map<String, Value> {
    spec["paths"]["/v1/numbers/remote-pairing"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["properties"]
        .as_object_mut()
        .unwrap()
}

/// The lines of the surface text that differ, as a snapshot shows them.
fn surface_diff(change: impl FnOnce(&mut Value)) -> (String, usize) {
    let before = generate(&seed(), &[], &Design::default()).unwrap();
    let mut spec = seed();
    change(&mut spec);
    let after = generate(&spec, &[], &Design::default()).unwrap();
    let text =
        similar::TextDiff::from_lines(&before.surface.to_string(), &after.surface.to_string())
            .iter_all_changes()
            .filter(|c| c.tag() != similar::ChangeTag::Equal)
            .map(|c| format!("{}{}", c.tag(), c))
            .collect::<String>();
    (text, diff(&before.surface, &after.surface).breaking_count())
}

#[test]
fn an_added_operation() {
    let (text, breaking) = surface_diff(|spec| {
        spec["paths"]["/v1/numbers"] = json!({"get": {
            "operationId": "get_numbers",
            "summary": "List numbers",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "example": [{"id": "num_1", "number": "5511999999999", "state": "OPEN"}]
            }}}}
        }});
    });
    insta::assert_snapshot!(text, @r"
    -operations (1)
    +operations (2)
    +
    +numbers.get_numbers  GET /v1/numbers  (upstream id: get_numbers)
    +  call    client.numbers().get_numbers()
    +  key     unreviewed
    +  builder GetNumbers
    +  success 200 -> Vec<GetNumbersResponseItem>
    -types (3)
    +types (4)
    +struct GetNumbersResponseItem
    +  id: Option<String>
    +  number: Option<String>
    +  state: Option<String>
    +  extra: Map<String, Value>
    +
    ");
    assert_eq!(breaking, 0);
}

#[test]
fn a_removed_field() {
    let (text, breaking) = surface_diff(|spec| {
        body_schema(spec).remove("externalRef");
    });
    insta::assert_snapshot!(text, @"-  externalRef -> external_ref: Option<String>");
    assert_eq!(breaking, 1);
}

#[test]
fn a_renamed_field() {
    let (text, breaking) = surface_diff(|spec| {
        let properties = body_schema(spec);
        let field = properties.remove("redirectUrl").unwrap();
        properties.insert("returnUrl".to_owned(), field);
    });
    insta::assert_snapshot!(text, @r"
    -  redirectUrl -> redirect_url: Option<String>
    +  returnUrl -> return_url: Option<String>
    ");
    assert_eq!(breaking, 1, "the old field is gone");
}

#[test]
fn a_changed_type() {
    let (text, breaking) = surface_diff(|spec| {
        body_schema(spec)["sendViaWhatsApp"]["type"] = json!("string");
    });
    insta::assert_snapshot!(text, @r"
    -  sendViaWhatsApp -> send_via_whats_app: Option<bool>
    +  sendViaWhatsApp -> send_via_whats_app: Option<String>
    ");
    assert_eq!(breaking, 1);
}

#[test]
fn the_surface_is_stable() {
    let a = generate(&seed(), &[], &Design::default()).unwrap();
    let b = generate(&seed(), &[], &Design::default()).unwrap();
    assert_eq!(a.surface.to_string(), b.surface.to_string());
    assert!(!a.surface.to_string().contains('\\') && !a.surface.to_string().contains("/work/"));
}
