// Refused by the API: docs POST /v1/phone-lines/verification: `documentType`, `documentNumber`, `contactEmail`, `contactWhatsapp` and `document` are required.
// Refused by the compiler: no method named `build` found for struct `StartVerificationInputBuilder<String, String, pilot_status::Missing, String, DocumentType>` in the current scope
use pilot_status::types::{DocumentType, StartVerificationInput};

fn main() {
    let _ = StartVerificationInput::builder()
        .document_type(DocumentType::Cpf)
        .document_number("12345678909")
        .contact_email("ana@acme.com")
        .contact_whatsapp("+5511999999999")
        .build();
}
