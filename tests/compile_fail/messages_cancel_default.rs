// Refused by the API: docs DELETE /v1/messages/cancel: `messageIds` is required.
use pilot_status::types::CancelMessagesInput;

fn main() {
    let _ = CancelMessagesInput::default();
}
