// Refused by the API: docs POST /v1/messages/send, `text`: "Free-form text (mutually exclusive with templateId)".
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
