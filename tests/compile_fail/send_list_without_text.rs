// Refused by the API: docs POST /v1/messages/send, `list`: "Single-select interactive list: text is the body and buttonText opens the sections".
// Refused by the compiler: missing field `text` in initializer of `SendContent`
use pilot_status::types::{ListMessage, SendContent};

fn main() {
    let list: ListMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::List { list };
}
