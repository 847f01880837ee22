//! Receives Pilot Status webhooks: each handler takes a verified, typed event.
//!
//! ```sh
//! export PILOT_STATUS_WEBHOOK_SECRET=...            # the number webhook's signing secret
//! export PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET=... # optional: plwh_..., for /webhooks/phone-lines
//! export PILOT_STATUS_WEBHOOK_ADDR=127.0.0.1:3000   # optional
//! cargo run --example webhook_receiver --features axum
//! ```
//!
//! Exits with status 2 when a secret is unset or empty. Answers 200 once an event is
//! accepted (process slow work later: deliveries can be retried, so deduplicate by the
//! message or lead id), 401 for a bad signature, 400 for a body that is not an event, 413
//! for a body over 1 MiB; refusals are logged on stderr.

use std::process::ExitCode;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use pilot_status::webhooks::{
    Event, NumberWebhooks, PhoneLineEvent, PhoneLineEventKind, PhoneLineWebhooks, SecretError,
    VerifiedEvent,
};

const NUMBER_SECRET: &str = "PILOT_STATUS_WEBHOOK_SECRET";
const PHONE_LINE_SECRET: &str = "PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let numbers = match NumberWebhooks::from_env(NUMBER_SECRET) {
        Ok(numbers) => numbers,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // The phone-line route exists only when its secret is set; set but empty is an error.
    let phone_lines = match PhoneLineWebhooks::from_env(PHONE_LINE_SECRET) {
        Ok(phone_lines) => Some(phone_lines),
        Err(SecretError::EnvNotSet { .. }) => None,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };

    // Each verifier is the state of its route; `VerifiedEvent` takes it from there.
    let mut app = Router::new()
        .route("/webhooks/pilot-status", post(number_event))
        .with_state(numbers);
    if let Some(phone_lines) = phone_lines {
        app = app.merge(
            Router::new()
                .route("/webhooks/phone-lines", post(phone_line_event))
                .with_state(phone_lines),
        );
    }

    let address =
        std::env::var("PILOT_STATUS_WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(bound) => println!("listening on http://{bound}/webhooks/pilot-status"),
        Err(error) => eprintln!("listening on {address} ({error})"),
    }
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn number_event(VerifiedEvent { event, deviations }: VerifiedEvent<Event>) -> StatusCode {
    // A signed event that differs from the documented shape is still delivered, read as far
    // as it fits: say where, and handle it.
    for deviation in &deviations {
        eprintln!(
            "{} differs from its documented shape: {deviation}",
            event.name()
        );
    }
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

async fn phone_line_event(
    VerifiedEvent { event, .. }: VerifiedEvent<PhoneLineEvent>,
) -> StatusCode {
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
