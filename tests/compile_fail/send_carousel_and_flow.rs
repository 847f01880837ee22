// Refused by the API: docs POST /v1/messages/send, `list`: "Excludes carousel, flow, ..."; `carousel` and `flow`: "Same exclusions as list".
// Refused by the compiler: variant `SendContent::Carousel` has no field named `flow`
use pilot_status::types::{CarouselMessage, SendContent};

fn main() {
    let carousel: CarouselMessage = serde_json::from_str("{}").unwrap();
    let _ = SendContent::Carousel {
        carousel,
        text: None,
        flow: None,
    };
}
