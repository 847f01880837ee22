// Refused by the API: docs POST /v1/messages/send, `media`: "direct-media mode (media + mediaType, without templateId and without text)".
// Refused by the compiler: variant `SendContent::Media` has no field named `text`
use pilot_status::types::SendContent;

fn main() {
    let _ = SendContent::Media {
        media: "https://cdn.acme.com/a.png".into(),
        media_type: None,
        text: "Oi".into(),
    };
}
