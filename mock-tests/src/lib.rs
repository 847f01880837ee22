//! A small program on the SDK, written as a user writes one: the code that
//! `tests/typed_mocks.rs` checks with `pilot_status::mock`, without calling the API.

use pilot_status::Nullable;
use pilot_status::prelude::*;
use pilot_status::types::{Number, NumberSettingsPatch, SendDestination};

/// Sends the `boas_vindas` template to `phone`, greeting `name`; returns the message id.
/// The idempotency key makes a retried send go out once.
pub async fn welcome(client: &Client, phone: &str, name: &str) -> Result<String, Error> {
    let sent = client
        .messages()
        .send(SendDestination::contact(phone).template("boas_vindas", [("nome", name)]))
        .idempotency_key(format!("welcome-{phone}"))
        .send()
        .await?;
    Ok(sent.into_inner().id)
}

/// The text of every message in the history, every page, oldest page first.
pub async fn history_texts(client: &Client) -> Result<Vec<String>, Error> {
    client
        .messages()
        .history()
        .page_size(2)
        .stream()
        .map_ok(|message| message.text.unwrap_or_default())
        .try_collect()
        .await
}

/// Keeps the number shown as online and puts its status-update setting back to the
/// provider's default; returns the number as the API now has it.
pub async fn keep_online(client: &Client, number_id: &str) -> Result<Number, Error> {
    let patch = NumberSettingsPatch {
        always_online: Nullable::Value(true),
        ignore_status: Nullable::Null,
        ..Default::default()
    };
    let number = client
        .numbers()
        .update_settings(number_id, patch)
        .send()
        .await?;
    Ok(number.into_inner())
}

/// The display name of a number, if it has one.
pub async fn number_name(client: &Client, number_id: &str) -> Result<Option<String>, Error> {
    Ok(client
        .numbers()
        .get(number_id)
        .send()
        .await?
        .into_inner()
        .name)
}
