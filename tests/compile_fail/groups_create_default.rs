// Refused by the API: docs POST /v1/groups: `subject` and `participants` are required.
use pilot_status::types::CreateGroupInput;

fn main() {
    let _ = CreateGroupInput::default();
}
