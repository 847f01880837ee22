// Refused by the API: docs POST /v1/templates: `name`, `category` and `body` are required.
use pilot_status::types::CreateTemplateInput;

fn main() {
    let _ = CreateTemplateInput::default();
}
