// Refused by the API: docs POST /v1/phone-lines/verification: `documentType`, `documentNumber`, `contactEmail`, `contactWhatsapp` and `document` are required.
// Refused by the compiler: missing field `document` in initializer of `StartVerificationInput`
use pilot_status::types::{DocumentType, StartVerificationInput};

fn main() {
    let _ = StartVerificationInput {
        document_type: DocumentType::Cpf,
        document_number: "12345678909".into(),
        contact_email: "ana@acme.com".into(),
        contact_whatsapp: "+5511999999999".into(),
        extra: Default::default(),
    };
}
