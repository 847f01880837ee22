// Refused by the API: docs POST /v1/messages/send: "Use exactly one of templateId (template send, with variables) or text (free-form)".
// Refused by the compiler: mismatched types
use pilot_status::types::SendDestination;

fn main() {
    let client = pilot_status::Client::new("ps_test").unwrap();
    let _ = client.messages().send(SendDestination::contact("+5511988887777"));
}
