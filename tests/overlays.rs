//! The reviewed corrections in `overlays/` are what makes the generated types match the
//! wire; removing one changes the surface exactly where it applied.

use std::collections::BTreeMap;
use std::path::Path;

use pilot_status::types;
use pilot_status_codegen::Inputs;

fn inputs() -> Inputs {
    Inputs::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("openapi.json and overlays/")
}

/// Lines of the surface that differ between two overlay sets, `-` before and `+` after.
/// The shared models are left out: they replace the places overlays correct, and this
/// shows what the corrections themselves do.
fn surface_change(without: &str) -> Vec<String> {
    let mut all = inputs();
    all.design.models = Default::default();
    let mut fewer = all.clone();
    fewer
        .overlays
        .retain(|overlay| !overlay.file.ends_with(without));
    assert_eq!(
        fewer.overlays.len() + 1,
        all.overlays.len(),
        "no overlay file {without}"
    );
    let with = all.generate().unwrap().surface.to_string();
    let without = fewer.generate().unwrap().surface.to_string();
    similar::TextDiff::from_lines(&with, &without)
        .iter_all_changes()
        .filter(|change| change.tag() != similar::ChangeTag::Equal)
        .map(|change| format!("{}{}", change.tag(), change.value().trim_end()))
        .collect()
}

#[test]
fn variables_is_a_map_of_strings_and_message_ids_a_list_of_strings() {
    // Compiles only with the corrected types.
    let send = types::SendMessageInput::new(
        types::SendDestination::contact("+5511988887777"),
        types::SendContent::Template {
            template_id: "boas_vindas".to_owned(),
            variables: BTreeMap::from([("nome".to_owned(), "Ana".to_owned())]),
            media: None,
            media_type: None,
        },
    );
    let cancel = types::CancelMessagesInput::new(["msg_1", "msg_2"]);
    assert_eq!(
        serde_json::to_value(&send).unwrap()["variables"],
        serde_json::json!({"nome": "Ana"})
    );
    assert_eq!(
        serde_json::to_value(&cancel).unwrap(),
        serde_json::json!({"messageIds": ["msg_1", "msg_2"]})
    );
}

#[test]
fn removing_the_wire_types_overlay_brings_back_upstream_strings() {
    let change = surface_change("10-wire-types.yaml");
    for expected in [
        "-  messageIds -> message_ids: Vec<String>",
        "+  messageIds -> message_ids: String",
        "-  variables: BTreeMap<String, String>",
        "+  variables: Option<String>",
    ] {
        assert!(
            change.contains(&expected.to_owned()),
            "missing {expected:?} in {change:#?}"
        );
    }
}

#[test]
fn removing_the_public_endpoints_overlay_sends_the_key_again() {
    let change = surface_change("30-public-endpoints.yaml");
    assert_eq!(
        change
            .iter()
            .filter(|line| *line == "-  auth    none (security: [])")
            .count(),
        3,
        "{change:#?}"
    );
    assert!(
        change.iter().all(|line| line.contains("auth")),
        "{change:#?}"
    );
}

#[test]
fn no_overlay_action_is_stale() {
    let stale = inputs().generate().unwrap().prepared.stale;
    assert!(stale.is_empty(), "stale overlay actions: {stale:#?}");
}

#[test]
fn every_overlay_action_states_its_evidence() {
    for overlay in inputs().overlays {
        for action in &overlay.actions {
            assert!(
                action.description.len() >= 40,
                "{}, action {}: the description should say why, with evidence",
                overlay.file,
                action.index
            );
        }
    }
}
