// Refused by the API: docs POST /v1/messages/send, `flow`: "Same exclusions as list" (list: "Excludes ... direct media").
// Refused by the compiler: variant `SendContent::Flow` has no field named `media`
use pilot_status::types::{FlowMessage, SendContent};

fn main() {
    let flow: FlowMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::Flow {
        flow,
        text: None,
        media: "https://cdn.acme.com/a.png".into(),
    };
}
