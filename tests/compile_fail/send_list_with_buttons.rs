// Refused by the API: docs POST /v1/messages/send, `list`: "Excludes carousel, flow, templateId, buttons, header and direct media".
// Refused by the compiler: variant `SendContent::List` has no field named `buttons`
use pilot_status::types::{ListMessage, SendContent};

fn main() {
    let list: ListMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::List {
        list,
        text: "Escolha".into(),
        buttons: Vec::new(),
    };
}
