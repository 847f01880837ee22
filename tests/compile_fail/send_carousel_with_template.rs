// Refused by the API: docs POST /v1/messages/send, `carousel`: "Same exclusions as list" (list: "Excludes carousel, flow, templateId, buttons, header and direct media").
// Refused by the compiler: variant `SendContent::Carousel` has no field named `template_id`
use pilot_status::types::{CarouselMessage, SendContent};

fn main() {
    let carousel: CarouselMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::Carousel {
        carousel,
        text: None,
        template_id: "promo".into(),
    };
}
