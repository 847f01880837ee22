// Refused by the API: docs POST /v1/messages/send: a send has "exactly one of templateId ... or text" and "exactly one destination"; an empty body is neither.
// Refused by the compiler: no function or associated item named `default` found for struct `SendMessageInput` in the current scope
use pilot_status::types::SendMessageInput;

fn main() {
    let _ = SendMessageInput::default();
}
