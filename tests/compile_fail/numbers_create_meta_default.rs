// Refused by the API: docs POST /v1/numbers/meta: `name`, `number`, `metaPhoneId`, `metaWabaId` and `metaAccessToken` are required.
use pilot_status::types::CreateMetaNumberInput;

fn main() {
    let _ = CreateMetaNumberInput::default();
}
