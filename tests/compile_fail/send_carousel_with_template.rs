// Refused by the API: docs POST /v1/messages/send, `carousel`: "Same exclusions as list" (list: "Excludes carousel, flow, templateId, buttons, header and direct media").
use pilot_status::types::{CarouselMessage, SendContent};

fn main() {
    let carousel: CarouselMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::Carousel {
        carousel,
        text: None,
        template_id: "promo".into(),
    };
}
