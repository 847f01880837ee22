// Refused by the API: docs POST /v1/groups: `subject` and `participants` are required.
// Refused by the compiler: no function or associated item named `default` found for struct `CreateGroupInput` in the current scope
use pilot_status::types::CreateGroupInput;

fn main() {
    let _ = CreateGroupInput::default();
}
