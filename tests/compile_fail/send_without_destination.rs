// Refused by the API: docs POST /v1/messages/send: "exactly one destination: destinationNumber (E.164), groupId (…@g.us) or newsletterId (…@newsletter)".
// Refused by the compiler: the trait bound `SendDestination: From<SendContent>` is not satisfied
use pilot_status::types::{SendContent, SendMessageInput};

fn main() {
    let _ = SendMessageInput::new(SendContent::text("Oi"));
}
