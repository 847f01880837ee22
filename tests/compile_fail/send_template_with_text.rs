// Refused by the API: docs POST /v1/messages/send: "Use exactly one of templateId (template send, with variables) or text (free-form)".
// Refused by the compiler: variant `SendContent::Template` has no field named `text`
use pilot_status::types::SendContent;

fn main() {
    let _ = SendContent::Template {
        template_id: "boas_vindas".into(),
        variables: Default::default(),
        media: None,
        media_type: None,
        text: "Oi".into(),
    };
}
