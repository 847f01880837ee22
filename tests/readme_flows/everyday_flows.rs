use std::time::Duration;

use pilot_status::prelude::*;
use pilot_status::types::{NumberSettingsPatch, SendDestination};
use pilot_status::webhooks::{Event, HeaderMap, NumberWebhooks, WebhookError, signature_from};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // PILOT_STATUS_API_KEY, and optionally PILOT_STATUS_NUMBER_ID and PILOT_STATUS_BASE_URL.
    let client = Client::from_env()?;
    everyday_flows(&client).await
}

async fn everyday_flows(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let (messages, numbers) = (client.messages(), client.numbers());
    let ana = SendDestination::contact("+5511988887777");

    // 1. A template, safe to send again under its key.
    let welcome = ana.clone().template("boas_vindas", [("nome", "Ana")]);
    let sent = messages.send(welcome).idempotency_key("order-42").await?;
    // 2. Free text.
    messages.send(ana.text("Oi, Ana!")).await?;
    // 3. Where a message stands.
    println!("{}", messages.get(&sent.id).await?.status);
    // 4. Every number.
    for number in numbers.list().await?.iter() {
        println!("{} {}", number.id, number.is_fully_connected);
    }
    // 5. One setting on, one back to the provider's default.
    let settings = NumberSettingsPatch {
        always_online: true.into(),
        reject_call: Nullable::Null,
        ..Default::default()
    };
    numbers.update_settings("num_01HZX", settings).await?;
    // 6. A new key for a number.
    let key = client.api_keys().regenerate_number("num_01HZX").await?;
    println!("{}", key.key_prefix);
    // 7. A number that does not exist.
    match numbers.get("num_unknown").await {
        Ok(number) => println!("found {}", number.id),
        Err(error) if error.kind() == ErrorKind::NotFound => println!("no such number: {error}"),
        Err(error) => return Err(error.into()),
    }
    // 8. A connection link for someone else's number, then its state until connected.
    let link = numbers
        .remote_pairing()
        .name("Cliente Acme")
        .number("5511988887777")
        .await?;
    let (Some(url), Some(token)) = (&link.remote_pairing_url, &link.remote_pairing_token) else {
        return Err("the link came without its URL or its token".into());
    };
    println!("for the number's owner: {url}");
    let pairing = client.remote_pairing();
    while !pairing.get_status(token).await?.is_fully_connected {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    // 10. A received document (its Meta media id, and the Meta phone id that received it).
    let media = client
        .media()
        .download("1234567890123456", "123456789012345")
        .await?;
    let path = media.file()?.save_to(std::env::temp_dir())?;
    println!("saved {}", path.display());
    Ok(())
}

// 9. A webhook delivery: its signature checked, then its event.
fn on_webhook(hook: &NumberWebhooks, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
    let event = hook.verify_and_parse(signature_from(headers), body)?.event;
    if let Event::MessageReceived(received) = event {
        println!("{} {:?}", received.from, received.message.content);
    }
    Ok(())
}
