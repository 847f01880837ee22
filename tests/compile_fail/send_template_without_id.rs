// Refused by the API: docs POST /v1/messages/send, `templateId`: "Template id or name"; a template send is "templateId (template send, with variables)".
// Refused by the compiler: missing field `template_id` in initializer of `SendContent`
use pilot_status::types::SendContent;

fn main() {
    let _ = SendContent::Template {
        variables: Default::default(),
        media: None,
        media_type: None,
    };
}
