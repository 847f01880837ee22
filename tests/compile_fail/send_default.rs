// Refused by the API: docs POST /v1/messages/send: a send has "exactly one of templateId ... or text" and "exactly one destination"; an empty body is neither.
use pilot_status::types::SendMessageInput;

fn main() {
    let _ = SendMessageInput::default();
}
