// Refused by the API: Python SDK 1.15.0 numbers.create and docs POST /v1/numbers: a number is created with its `name` and `number` (design/models.yaml `required`).
// Refused by the compiler: no method named `build` found for struct `CreateNumberInputBuilder<String, pilot_status::Missing>` in the current scope
use pilot_status::types::CreateNumberInput;

fn main() {
    let _ = CreateNumberInput::builder().name("Suporte").build();
}
