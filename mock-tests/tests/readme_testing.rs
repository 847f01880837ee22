// The README's "Testing your code" example, verbatim: it must compile and pass with only the
// README's dependencies (`pilot-status` with `mock`, `tokio`). Keep the two in step.

use std::time::Duration;

use pilot_status::mock::prelude::*;
use pilot_status::mock::webhooks::{SignedDelivery, inbound_message};
use pilot_status::types::{MessageStatus, SendMessageInput, SentMessage};
use pilot_status::webhooks::{Event, NumberWebhooks, signature_from};
use pilot_status::{Client, Error, ErrorKind};

/// Your code: answers a customer's first message with the welcome template.
async fn welcome_back(client: &Client, event: &Event) -> Result<Option<String>, Error> {
    let Event::MessageReceived(received) = event else {
        return Ok(None);
    };
    let sent = client
        .messages()
        .send(SendMessageInput {
            template_id: Some("boas_vindas".into()),
            destination_number: Some(received.from.clone()),
            ..Default::default()
        })
        .idempotency_key(format!("welcome-{}", received.message.id))
        .send()
        .await?;
    Ok(Some(sent.into_inner().id))
}

#[tokio::test]
async fn welcomes_the_sender_of_a_webhook() -> Result<(), Box<dyn std::error::Error>> {
    // A delivery signed as Pilot Status signs it, verified as your handler verifies it.
    let delivery = SignedDelivery::new("whsec_test", &Event::MessageReceived(inbound_message()));
    let event = NumberWebhooks::new("whsec_test")?
        .verify_and_parse(signature_from(&delivery.headers()), delivery.body())?;

    // The API, mocked with the spec's names and types.
    let server = MockServer::start_async().await;
    let client = pilot_status::mock::client(&server)?;
    let queued = SentMessage {
        id: "msg_1".into(),
        status: MessageStatus::Queued,
        ..Default::default()
    };
    let send = server.messages().send(|when, then| {
        when.destination_number("+5511988887777")
            .template_id("boas_vindas");
        then.accepted(&queued);
    });

    assert_eq!(
        welcome_back(&client, &event).await?,
        Some("msg_1".to_owned())
    );
    send.assert();
    Ok(())
}

#[tokio::test]
async fn retries_a_rate_limited_send_and_reports_api_errors()
-> Result<(), Box<dyn std::error::Error>> {
    let event = Event::MessageReceived(inbound_message());
    let server = MockServer::start_async().await;
    let client = pilot_status::mock::client(&server)?;

    // One 429 with `Retry-After: 1`, then the 202: the client waits and sends again (the
    // idempotency key makes the send repeatable).
    let limited = server.messages().send(|_, then| {
        then.rate_limited(Duration::from_secs(1)).up_to_n_times(1);
    });
    let queued = SentMessage {
        id: "msg_2".into(),
        status: MessageStatus::Queued,
        ..Default::default()
    };
    let mut accepted = server.messages().send(|_, then| {
        then.accepted(&queued);
    });
    assert_eq!(
        welcome_back(&client, &event).await?,
        Some("msg_2".to_owned())
    );
    limited.assert_calls(1);
    accepted.assert_calls(1);

    // An error the API documents, with its code.
    accepted.delete();
    server.messages().send(|_, then| {
        then.error(402, "INSUFFICIENT_FUNDS", "Saldo insuficiente");
    });
    let error = welcome_back(&client, &event).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Payment);
    assert_eq!(error.code(), Some("INSUFFICIENT_FUNDS"));
    Ok(())
}

#[test]
fn the_readme_shows_this_file() {
    let readme = include_str!("../../README.md");
    let this = include_str!("readme_testing.rs");
    let example: String = this
        .lines()
        .skip_while(|line| line.starts_with("//") || line.is_empty())
        .take_while(|line| !line.starts_with("#[test]"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        readme.contains(example.trim_end()),
        "README.md's \"Testing your code\" example and mock-tests/tests/readme_testing.rs differ"
    );
}
