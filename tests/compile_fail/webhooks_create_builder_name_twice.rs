// Refused by the API: docs POST /v1/webhooks: `name` and `url` are required (a second `name` in place of the `url` leaves the webhook without one).
// Refused by the compiler: no method named `name` found for struct `CreateWebhookInputBuilder<String, pilot_status::Missing>` in the current scope
use pilot_status::types::CreateWebhookInput;

fn main() {
    let _ = CreateWebhookInput::builder().name("n8n").name("https://hooks.acme.com").build();
}
