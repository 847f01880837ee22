//! Every hand-written helper that reads a response, on the docs' own example of its operation
//! (taken from `openapi.json` through the prepared spec, not written here): the media file,
//! the activation audio, pagination, the idempotent replay and the pairing status.

mod common;

use common::{API_KEY, documented_example, operation_named, text_message};
use futures_util::TryStreamExt as _;
use pilot_status::{Client, Paginated as _, ResponseExt as _};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_of(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("a valid configuration")
}

/// A server answering every request with the docs' example of `operation`, and a client.
async fn serving_example(
    operation: &str,
    status: u16,
    headers: &[(&str, &str)],
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let mut answer = ResponseTemplate::new(status).set_body_json(documented_example(operation));
    for (name, value) in headers {
        answer = answer.insert_header(*name, *value);
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = client_of(&server).await;
    (server, client)
}

#[tokio::test]
async fn the_documented_media_download_saves_as_the_pdf_it_is() {
    let example = documented_example("media.download");
    // The docs abbreviate the file with a trailing "..."; what precedes it is the base64 of
    // the start of a PDF, in a data URI.
    let base64 = example["base64"].as_str().expect("a string");
    assert!(
        base64.starts_with("data:application/pdf;base64,"),
        "{base64}"
    );
    let mut served = example.clone();
    served["base64"] = json!(base64.trim_end_matches("..."));
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&served))
        .mount(&server)
        .await;
    let client = client_of(&server).await;

    let media = client
        .media()
        .download("1234567890123456", "1234567890")
        .await
        .expect("the download");
    let file = media.file().expect("the data URI decodes");
    assert!(file.data.starts_with(b"%PDF-1.7"), "{:?}", &file.data[..16]);
    assert_eq!(file.mime_type, "application/pdf");
    assert_eq!(file.file_name, "fatura-junho-2026.pdf");
    let dir = std::env::temp_dir().join(format!("pilot-status-docs-media-{}", std::process::id()));
    let path = file.save_to(&dir).expect("saved");
    assert_eq!(path, dir.join("fatura-junho-2026.pdf"));
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_activation_audio_is_read_as_its_documented_media_type() {
    // The docs give the media type of the success and no example body.
    let (_, _, operation) = operation_named("phone_lines.get_activation_audio");
    let content = operation["responses"]["2XX"]["content"]
        .as_object()
        .expect("documented content");
    let media_type = content.keys().next().expect("one media type").clone();
    assert!(media_type.starts_with("audio/"), "{media_type}");
    let audio = b"OggS\x00\x02recording".to_vec();
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", media_type.as_str())
                .set_body_bytes(audio.clone()),
        )
        .mount(&server)
        .await;
    let recording = client_of(&server)
        .await
        .phone_lines()
        .get_activation_audio("act_1")
        .await
        .expect("the recording");
    assert_eq!(recording.content_type, media_type);
    assert_eq!(&recording.data[..], &audio[..]);
}

#[tokio::test]
async fn pagination_reads_the_documented_envelopes() {
    for (operation, items) in [
        ("messages.history", "messages"),
        ("messages.unread", "messages"),
        ("messages.group_history", "messages"),
        ("conversations.list", "conversations"),
        ("leads.list", "leads"),
        ("referrals.list", "referrals"),
    ] {
        let example = documented_example(operation);
        let count = example[items].as_array().map_or(0, Vec::len);
        assert!(count > 0, "{operation}: the example lists items");
        // The docs' example says which page of how many it is; it is served for every page.
        let total = example["totalPages"].as_i64().unwrap_or(1);
        let (server, client) = serving_example(operation, 200, &[]).await;
        let read: usize = match operation {
            "messages.history" => client
                .messages()
                .history()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
            "messages.unread" => client
                .messages()
                .unread()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
            "messages.group_history" => client
                .messages()
                .group_history()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
            "conversations.list" => client
                .conversations()
                .list()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
            "leads.list" => client
                .leads()
                .list()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
            _ => client
                .referrals()
                .list()
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len(),
        };
        let pages = server.received_requests().await.unwrap().len();
        assert_eq!(
            (read, pages),
            (count * total.max(1) as usize, total.max(1) as usize),
            "{operation}: every page of the documented envelope read once"
        );
    }
    // Calls page by the `createdAt` of the last call (the `before` cursor).
    let (server, client) = serving_example("calls.list", 200, &[]).await;
    let first = client
        .calls()
        .list()
        .pages()
        .try_next()
        .await
        .unwrap()
        .unwrap();
    let last = documented_example("calls.list")["calls"]
        .as_array()
        .and_then(|calls| calls.last().cloned())
        .unwrap_or(Value::Null);
    assert_eq!(
        first.items.len(),
        documented_example("calls.list")["calls"]
            .as_array()
            .unwrap()
            .len()
    );
    assert_eq!(
        first.next,
        Some(
            last["createdAt"]
                .as_str()
                .map(|text| pilot_status::Timestamp::parse(text).unwrap())
        )
    );
    assert!(first.deviations.is_empty());
    drop(server);
}

#[tokio::test]
async fn an_idempotent_replay_of_the_documented_send_is_recognised() {
    let (_server, client) =
        serving_example("messages.send", 202, &[("idempotent-replayed", "true")]).await;
    let sent = client
        .messages()
        .send(text_message())
        .idempotency_key("order-42")
        .await
        .expect("the documented 202");
    assert!(sent.idempotent_replayed());
    assert_eq!(sent.idempotency_key(), Some("order-42"));
    assert_eq!(sent.id, documented_example("messages.send")["id"]);
    assert!(sent.is_exact());
}

#[tokio::test]
async fn the_documented_pairing_status_says_connected() {
    let (_server, client) = serving_example("remote_pairing.get_status", 200, &[]).await;
    let status = client
        .remote_pairing()
        .get_status("rp_01HZX")
        .await
        .expect("the documented status");
    assert!(status.is_fully_connected);
    assert!(status.is_exact());
}
