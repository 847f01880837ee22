// Refused by the API: docs POST /v1/numbers/meta: `name`, `number`, `metaPhoneId`, `metaWabaId` and `metaAccessToken` are required.
// Refused by the compiler: no function or associated item named `default` found for struct `CreateMetaNumberInput` in the current scope
use pilot_status::types::CreateMetaNumberInput;

fn main() {
    let _ = CreateMetaNumberInput::default();
}
