// Refused by the API: docs POST /v1/webhooks: `name` and `url` are required.
use pilot_status::types::CreateWebhookInput;

fn main() {
    let _ = CreateWebhookInput {
        name: "n8n".into(),
        events: Vec::new(),
        whatsapp_number_id: None,
        extra: Default::default(),
    };
}
