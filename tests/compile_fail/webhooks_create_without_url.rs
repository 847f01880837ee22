// Refused by the API: docs POST /v1/webhooks: `name` and `url` are required.
// Refused by the compiler: missing field `url` in initializer of `CreateWebhookInput`
use pilot_status::types::CreateWebhookInput;

fn main() {
    let _ = CreateWebhookInput {
        name: "n8n".into(),
        events: Vec::new(),
        number_id: None,
        extra: Default::default(),
    };
}
