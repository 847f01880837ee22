//! The program in `src/lib.rs`, tested the way a user tests theirs: every answer comes from
//! the typed mocks of `pilot_status::mock` on a local server (127.0.0.1), none from the API.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pilot_status::mock::prelude::*;
use pilot_status::mock::{UNMATCHED_CODE, UNMATCHED_STATUS};
use pilot_status::types::{
    Message, MessageHistoryPage, MessageStatus, Number, NumberSettingsPatch, SentMessage,
};
use pilot_status::{Client, ErrorKind, Nullable};
use pilot_status_mock_tests::{history_texts, keep_online, number_name, welcome};

const PHONE: &str = "+5511988887777";

fn client(server: &MockServer) -> Client {
    pilot_status::mock::client(server).expect("a client of the mock server")
}

fn queued(id: &str) -> SentMessage {
    SentMessage {
        id: id.to_owned(),
        correlation_id: "corr_1".to_owned(),
        status: MessageStatus::Queued,
        created_at: "2026-06-20T13:45:12.000Z".parse().ok(),
        origin: "API".to_owned(),
        ..Default::default()
    }
}

fn number(id: &str, name: &str) -> Number {
    Number {
        id: id.to_owned(),
        number: "+5511999999999".to_owned(),
        name: Some(name.to_owned()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_send_matches_its_members_and_gets_the_documented_202() {
    let server = MockServer::start_async().await;
    let send = server.messages().send(|when, then| {
        when.destination_number(PHONE)
            .template_id("boas_vindas")
            .variables(BTreeMap::from([("nome".to_owned(), "Ana".to_owned())]))
            .idempotency_key("welcome-+5511988887777");
        then.accepted(&queued("msg_1"));
    });

    let id = welcome(&client(&server), PHONE, "Ana").await.expect("sent");

    assert_eq!(id, "msg_1");
    send.assert();
}

#[tokio::test]
async fn a_send_the_mock_does_not_match_gets_no_answer_from_it() {
    let server = MockServer::start_async().await;
    let other = server.messages().send(|when, then| {
        when.destination_number("+5511900000000");
        then.accepted(&queued("msg_other"));
    });

    let error = welcome(&client(&server), PHONE, "Ana")
        .await
        .expect_err("no mock matches this destination");

    // Not a 404 a not-found test could mistake for the API's: 421 `MOCK_UNMATCHED`, naming
    // the request and what the closest mock expected.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(UNMATCHED_STATUS));
    assert_eq!(error.code(), Some(UNMATCHED_CODE));
    let message = error.message().unwrap_or_default();
    assert!(
        message.contains("no mock matched POST /v1/messages/send")
            && message.contains(
                "body member `destinationNumber` should be \"+5511900000000\" but is \"+5511988887777\""
            ),
        "{message}"
    );
    other.assert_calls(0);
}

fn history_page(page: i64, total_pages: i64, texts: &[&str]) -> MessageHistoryPage {
    let messages = texts
        .iter()
        .map(|text| Message {
            text: (*text).to_owned().into(),
            ..Message::new(format!("msg_{text}"))
        })
        .collect::<Vec<_>>();
    MessageHistoryPage {
        page: Some(page),
        page_size: Some(2),
        total_pages: Some(total_pages),
        ..MessageHistoryPage::new(messages)
    }
}

#[tokio::test]
async fn the_history_stream_reads_every_page_of_the_mocks() {
    let server = MockServer::start_async().await;
    let first = server.messages().history(|when, then| {
        when.page(1).page_size(2);
        then.ok(&history_page(1, 2, &["oi", "tudo bem?"]));
    });
    let second = server.messages().history(|when, then| {
        when.page(2).page_size(2);
        then.ok(&history_page(2, 2, &["tchau"]));
    });

    let texts = history_texts(&client(&server)).await.expect("the history");

    assert_eq!(texts, ["oi", "tudo bem?", "tchau"]);
    first.assert();
    second.assert();
}

#[tokio::test]
async fn a_settings_update_sends_a_value_and_a_null() {
    let server = MockServer::start_async().await;
    let update = server.numbers().update_settings(|when, then| {
        when.id("num_1").settings(NumberSettingsPatch {
            always_online: Nullable::Value(true),
            ignore_status: Nullable::Null,
            ..Default::default()
        });
        then.ok(&number("num_1", "Loja"));
    });

    let updated = keep_online(&client(&server), "num_1")
        .await
        .expect("updated");

    assert_eq!(updated.name.as_deref(), Some("Loja"));
    update.assert();
}

#[tokio::test]
async fn a_settings_update_the_mock_does_not_expect_is_not_answered() {
    let server = MockServer::start_async().await;
    let update = server.numbers().update(|when, then| {
        // The program resets `ignoreStatus` (null); this mock expects `false`.
        when.id("num_1").settings(NumberSettingsPatch {
            ignore_status: Nullable::Value(false),
            ..Default::default()
        });
        then.ok(&number("num_1", "Loja"));
    });

    let error = keep_online(&client(&server), "num_1")
        .await
        .expect_err("the body differs");

    assert_eq!(error.code(), Some(UNMATCHED_CODE));
    let message = error.message().unwrap_or_default();
    assert!(message.contains("`numbers.update` mock"), "{message}");
    update.assert_calls(0);
}

#[tokio::test]
async fn an_api_error_keeps_its_status_and_code() {
    let server = MockServer::start_async().await;
    server.messages().send(|when, then| {
        // Only the destination matters here: the other members may be anything.
        when.destination_number(PHONE).partial();
        then.error(402, "INSUFFICIENT_FUNDS", "Saldo insuficiente");
    });

    let error = welcome(&client(&server), PHONE, "Ana")
        .await
        .expect_err("402");

    assert_eq!(error.kind(), ErrorKind::Payment);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(402));
    assert_eq!(error.code(), Some("INSUFFICIENT_FUNDS"));
    assert_eq!(error.message(), Some("Saldo insuficiente"));
}

#[tokio::test]
async fn a_rate_limited_call_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start_async().await;
    let limited = server.numbers().get(|when, then| {
        when.id("num_1");
        then.rate_limited(Duration::from_secs(1)).up_to_n_times(1);
    });
    let found = server.numbers().get(|when, then| {
        when.id("num_1");
        then.ok(&number("num_1", "Loja"));
    });

    let started = Instant::now();
    let name = number_name(&client(&server), "num_1")
        .await
        .expect("the retry succeeds");

    assert_eq!(name.as_deref(), Some("Loja"));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not waited for"
    );
    limited.assert_calls(1);
    found.assert_calls(1);
}

#[tokio::test]
async fn a_rate_limited_send_with_an_idempotency_key_is_sent_again() {
    let server = MockServer::start_async().await;
    let limited = server.messages().send(|when, then| {
        when.idempotency_key("welcome-+5511988887777");
        then.rate_limited(Duration::ZERO).up_to_n_times(1);
    });
    let accepted = server.messages().send(|when, then| {
        when.idempotency_key("welcome-+5511988887777");
        then.accepted(&queued("msg_1"));
    });

    let id = welcome(&client(&server), PHONE, "Ana")
        .await
        .expect("sent on the retry");

    assert_eq!(id, "msg_1");
    limited.assert_calls(1);
    accepted.assert_calls(1);
}

#[tokio::test]
async fn a_wait_longer_than_the_policy_allows_fails_at_once_with_the_wait() {
    let server = MockServer::start_async().await;
    let limited = server.numbers().get(|when, then| {
        when.id("num_1");
        then.rate_limited(Duration::from_secs(600));
    });

    let error = number_name(&client(&server), "num_1")
        .await
        .expect_err("600 s is over the default 60 s");

    assert!(error.is_rate_limited());
    assert_eq!(error.code(), Some("RATE_LIMITED"));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(600)));
    limited.assert_calls(1);
}

#[tokio::test]
async fn path_values_match_as_the_client_encodes_them() {
    let server = MockServer::start_async().await;
    let dotted = server.numbers().get(|when, then| {
        when.id("num.1");
        then.ok(&number("num.1", "Com ponto"));
    });
    let spaced = server.numbers().get(|when, then| {
        when.id("num 1/2");
        then.ok(&number("num 1/2", "Com espaço"));
    });
    let client = client(&server);

    // `.` in the pattern is a dot, not any character.
    let error = number_name(&client, "numX1")
        .await
        .expect_err("no mock for numX1");
    assert_eq!(error.code(), Some(UNMATCHED_CODE));
    assert_eq!(
        number_name(&client, "num.1")
            .await
            .expect("num.1")
            .as_deref(),
        Some("Com ponto")
    );
    assert_eq!(
        number_name(&client, "num 1/2")
            .await
            .expect("num 1/2")
            .as_deref(),
        Some("Com espaço")
    );
    dotted.assert_calls(1);
    spaced.assert_calls(1);
}

#[tokio::test]
async fn a_route_with_a_parameter_leaves_its_literal_siblings_alone() {
    let server = MockServer::start_async().await;
    // Any message id: `GET /v1/messages/{id}` without `.id(..)`.
    let any_message = server.messages().get(|_, then| {
        then.not_found(&pilot_status::types::ApiError {
            code: Some("MESSAGE_NOT_FOUND".to_owned()),
            ..Default::default()
        });
    });
    let history = server.messages().history(|_, then| {
        then.ok(&history_page(1, 1, &["oi"]));
    });

    let texts = history_texts(&client(&server)).await.expect("the history");

    assert_eq!(texts, ["oi"]);
    history.assert_calls(1);
    any_message.assert_calls(0);
}

#[tokio::test]
async fn the_activation_audio_is_answered_as_bytes() {
    let server = MockServer::start_async().await;
    let audio = server.phone_lines().get_activation_audio(|when, then| {
        when.activation_id("act_1");
        then.ok("audio/ogg", b"OggS-recording");
    });

    let recording = client(&server)
        .phone_lines()
        .get_activation_audio("act_1")
        .send()
        .await
        .expect("the recording");

    assert_eq!(recording.content_type, "audio/ogg");
    assert_eq!(&recording.data[..], b"OggS-recording");
    audio.assert();
}

#[tokio::test]
async fn per_call_options_and_the_automatic_key_reach_the_mocks() {
    use pilot_status::{CallOptions, ResponseExt, RetryPolicy};

    let server = MockServer::start_async().await;
    let found = server.numbers().get(|when, then| {
        when.id("num_1")
            .into_inner()
            .header("x-request-id", "req-1");
        then.ok(&number("num_1", "Suporte"));
    });
    let send = server.messages().send(|when, then| {
        when.destination_number(PHONE)
            .text("Oi")
            .into_inner()
            .header_exists("idempotency-key");
        then.accepted(&queued("msg_1"));
    });
    let client = client(&server);

    let number = client
        .numbers()
        .get("num_1")
        .header("x-request-id", "req-1")
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .expect("the number");
    let sent = client
        .messages()
        .send(pilot_status::types::SendDestination::contact(PHONE).text("Oi"))
        .send()
        .await
        .expect("sent");

    assert_eq!(number.id, "num_1");
    assert_eq!(sent.id, "msg_1");
    assert!(sent.idempotency_key().is_some_and(|key| key.len() == 36));
    found.assert();
    send.assert();
}

#[tokio::test]
async fn a_body_is_matched_whole_unless_asked_otherwise() {
    // `keep_online` sends {"settings": {"alwaysOnline": true, "ignoreStatus": null}}.
    let server = MockServer::start_async().await;
    let only_online = server.numbers().update(|when, then| {
        when.id("num_1").settings(NumberSettingsPatch {
            always_online: Nullable::Value(true),
            ..Default::default()
        });
        then.ok(&number("num_1", "Loja"));
    });
    let error = keep_online(&client(&server), "num_1")
        .await
        .expect_err("the request also resets `ignoreStatus`");
    assert_eq!(error.code(), Some(UNMATCHED_CODE));
    only_online.assert_calls(0);

    // Asked to, the mock lets the other members be anything.
    let server = MockServer::start_async().await;
    let partial = server.numbers().update(|when, then| {
        when.id("num_1")
            .settings(NumberSettingsPatch {
                always_online: Nullable::Value(true),
                ignore_status: Nullable::Null,
                ..Default::default()
            })
            .partial();
        then.ok(&number("num_1", "Loja"));
    });
    keep_online(&client(&server), "num_1")
        .await
        .expect("matched");
    partial.assert();
}

#[tokio::test]
async fn matchers_take_what_the_client_takes() {
    let server = MockServer::start_async().await;
    let send = server.messages().send(|when, then| {
        // The same forms as `SendMessageInput::template(id, [("nome", "Ana")])`.
        when.destination_number(PHONE)
            .template_id("boas_vindas")
            .variables([("nome", "Ana")]);
        then.accepted(&queued("msg_1"));
    });
    let id = welcome(&client(&server), PHONE, "Ana").await.expect("sent");
    assert_eq!(id, "msg_1");
    send.assert();
}

#[tokio::test]
async fn a_call_no_mock_was_made_for_is_not_a_404() {
    // A not-found test must not pass because nothing was mocked.
    let server = MockServer::start_async().await;
    let client = client(&server);
    let error = number_name(&client, "num_404").await.expect_err("no mock");
    assert_ne!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(UNMATCHED_STATUS));
    let message = error.message().unwrap_or_default();
    assert!(
        message.contains("no mock matched GET /v1/numbers/num_404"),
        "{message}"
    );
}
