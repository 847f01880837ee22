// Refused by the API: docs POST /v1/messages/send, `buttons[]`: `type` and `label` are required.
// Refused by the compiler: no function or associated item named `default` found for struct `MessageButton` in the current scope
use pilot_status::types::MessageButton;

fn main() {
    let _ = MessageButton::default();
}
