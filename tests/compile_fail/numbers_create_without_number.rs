// Refused by the API: Python SDK 1.15.0 numbers.create and docs POST /v1/numbers: a number is created with its `name` and `number` (design/models.yaml `required`).
// Refused by the compiler: missing field `number` in initializer of `CreateNumberInput`
use pilot_status::types::CreateNumberInput;

fn main() {
    let _ = CreateNumberInput {
        name: "Suporte".into(),
        link_to_api_key: None,
        settings: None,
        extra: Default::default(),
    };
}
