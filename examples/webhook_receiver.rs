//! Receives Pilot Status webhooks: verifies each signature, parses the event, dispatches it.
//!
//! ```sh
//! export PILOT_STATUS_WEBHOOK_SECRET=...            # the number webhook's signing secret
//! export PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET=... # optional: plwh_..., for /webhooks/phone-lines
//! export PILOT_STATUS_WEBHOOK_ADDR=127.0.0.1:3000   # optional
//! cargo run --example webhook_receiver
//! ```
//!
//! Answers 200 once an event is accepted (process slow work later: deliveries can be
//! retried, so deduplicate by the message or lead id), 401 for a bad signature, 400 for a
//! body that is not an event.

use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use pilot_status::webhooks::{
    Event, NumberWebhooks, PhoneLineEventKind, PhoneLineWebhooks, WebhookError, signature_from,
};

struct Receivers {
    numbers: NumberWebhooks,
    phone_lines: Option<PhoneLineWebhooks>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(secret) = std::env::var("PILOT_STATUS_WEBHOOK_SECRET") else {
        eprintln!(
            "PILOT_STATUS_WEBHOOK_SECRET is not set: export your number webhook's signing secret"
        );
        return ExitCode::from(2);
    };
    let receivers = Arc::new(Receivers {
        numbers: NumberWebhooks::new(secret),
        phone_lines: std::env::var("PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET")
            .ok()
            .map(PhoneLineWebhooks::new),
    });
    let address =
        std::env::var("PILOT_STATUS_WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let app = Router::new()
        .route("/webhooks/pilot-status", post(numbers))
        .route("/webhooks/phone-lines", post(phone_lines))
        .with_state(receivers);
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on http://{address}/webhooks/pilot-status");
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn refused(error: &WebhookError) -> StatusCode {
    eprintln!("refused a delivery: {error}");
    match error {
        WebhookError::Signature(_) => StatusCode::UNAUTHORIZED,
        WebhookError::Parse(_) => StatusCode::BAD_REQUEST,
    }
}

async fn numbers(
    State(receivers): State<Arc<Receivers>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let event = match receivers
        .numbers
        .verify_and_parse(signature_from(&headers), &body)
    {
        Ok(event) => event,
        Err(error) => return refused(&error),
    };
    match event {
        Event::MessageReceived(message) => {
            println!(
                "{} wrote to {}: {:?}",
                message.from, message.message.to, message.message.content
            );
        }
        Event::MessageFailed(failed) => {
            println!(
                "message {} failed: {} ({:?})",
                failed.message.id, failed.error, failed.error_code
            );
        }
        Event::MessageDelivered(update) | Event::MessageRead(update) => {
            println!(
                "message {} reached {}",
                update.message.id, update.message.to
            );
        }
        Event::NumberDisconnected(number) => {
            println!("number {} disconnected: {:?}", number.phone, number.error)
        }
        Event::LeadReceived(lead) => {
            println!("lead {} from form {}", lead.leadgen_id, lead.form_id)
        }
        Event::CallRinging(call) => println!("call from {:?}", call.from),
        Event::Unknown { event, .. } => println!("an event this version does not know: {event}"),
        other => println!("{}", other.name()),
    }
    StatusCode::OK
}

async fn phone_lines(
    State(receivers): State<Arc<Receivers>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(phone_lines) = &receivers.phone_lines else {
        return StatusCode::NOT_FOUND;
    };
    let event = match phone_lines.verify_and_parse(signature_from(&headers), &body) {
        Ok(event) => event,
        Err(error) => return refused(&error),
    };
    match event.kind {
        // The code is a credential: never log it.
        PhoneLineEventKind::CodeReceived(code) => {
            println!("code received for activation {}", code.activation_id)
        }
        PhoneLineEventKind::AudioReceived(audio) => {
            println!("activation {} recorded", audio.activation_id)
        }
        PhoneLineEventKind::VerificationUpdated(update) => {
            println!("verification is now {:?}", update.status)
        }
        other => println!("phone-line event {}: {other:?}", event.id),
    }
    StatusCode::OK
}
