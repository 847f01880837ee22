// Refused by the API: docs POST /v1/messages/send, `text`: "Free-form text (mutually exclusive with templateId)".
// Refused by the compiler: variant `SendContent::Text` has no field named `template_id`
use pilot_status::types::SendContent;

fn main() {
    let _ = SendContent::Text {
        text: "Oi".into(),
        buttons: Vec::new(),
        header: None,
        footer: None,
        template_id: "boas_vindas".into(),
    };
}
