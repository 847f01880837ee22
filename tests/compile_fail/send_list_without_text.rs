// Refused by the API: docs POST /v1/messages/send, `list`: "Single-select interactive list: text is the body and buttonText opens the sections".
use pilot_status::types::{ListMessage, SendContent};

fn main() {
    let list: ListMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::List { list };
}
