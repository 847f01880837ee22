// Refused by the API: docs DELETE /v1/messages/cancel: `messageIds` is required.
// Refused by the compiler: no function or associated item named `default` found for struct `CancelMessagesInput` in the current scope
use pilot_status::types::CancelMessagesInput;

fn main() {
    let _ = CancelMessagesInput::default();
}
