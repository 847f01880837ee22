// Refused by the API: docs POST /v1/templates: `name`, `category` and `body` are required.
// Refused by the compiler: no function or associated item named `default` found for struct `CreateTemplateInput` in the current scope
use pilot_status::types::CreateTemplateInput;

fn main() {
    let _ = CreateTemplateInput::default();
}
