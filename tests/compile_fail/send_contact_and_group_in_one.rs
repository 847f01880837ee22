// Refused by the API: docs POST /v1/messages/send: "exactly one destination: destinationNumber (E.164), groupId (…@g.us) or newsletterId (…@newsletter)".
// Refused by the compiler: this enum variant takes 1 argument but 2 arguments were supplied
use pilot_status::types::SendDestination;

fn main() {
    let _ = SendDestination::Contact("+5511988887777".into(), "120363@g.us".into());
}
