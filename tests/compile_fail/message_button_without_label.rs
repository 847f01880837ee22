// Refused by the API: docs POST /v1/messages/send, `buttons[]`: `type` and `label` are required.
use pilot_status::types::MessageButton;

fn main() {
    let _ = MessageButton::default();
}
