// Refused by the API: docs POST /v1/messages/send: "exactly one destination: destinationNumber (E.164), groupId (…@g.us) or newsletterId (…@newsletter)".
// Refused by the compiler: no field `group_id` on type `SendMessageInput`
use pilot_status::types::SendDestination;

fn main() {
    let mut body = SendDestination::contact("+5511988887777").text("Oi");
    body.group_id = Some("120363@g.us".to_owned());
}
