//! The README's everyday flows run: the first Rust block under `## Everyday flows` is the file
//! `tests/readme_flows/everyday_flows.rs`, word for word, and this test runs its flows against
//! the typed mocks (one mock a call, each hit exactly as often as the flows make it), then
//! its webhook handler on a signed delivery. CI also builds the block alone, with only the
//! README's dependencies (`cargo xtask readme-snippets`).

use pilot_status::mock::prelude::*;
use pilot_status::mock::webhooks::{SignedDelivery, inbound_message};
use pilot_status::types::{
    DownloadedMedia, MessageDetails, MessageStatus, NumberListItem, RegeneratedApiKey,
    RemotePairingResult, RemotePairingStatus, SentMessage,
};

include!("readme_flows/everyday_flows.rs");

const README: &str = include_str!("../README.md");
const FLOWS: &str = include_str!("readme_flows/everyday_flows.rs");

/// The first Rust block under `## Everyday flows`.
fn readme_block() -> &'static str {
    let section = &README[README.find("## Everyday flows").expect("the section")..];
    let start = section.find("```rust").expect("a Rust block");
    let code = &section[section[start..].find('\n').expect("a fence line") + start + 1..];
    &code[..code.find("```").expect("the block ends")]
}

#[test]
fn the_readme_shows_the_flows_this_test_runs() {
    assert_eq!(
        readme_block(),
        FLOWS,
        "README.md's everyday flows and tests/readme_flows/everyday_flows.rs differ: \
         copy the file into the README's block"
    );
}

#[tokio::test]
async fn the_everyday_flows_run_against_the_mocks() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start_async().await;
    let queued = SentMessage {
        id: "msg_1".into(),
        status: MessageStatus::Queued,
        ..Default::default()
    };
    let template = server.messages().send(|when, then| {
        when.destination_number("+5511988887777")
            .template_id("boas_vindas")
            .idempotency_key("order-42")
            .partial();
        then.accepted(&queued);
    });
    let text = server.messages().send(|when, then| {
        when.destination_number("+5511988887777")
            .text("Oi, Ana!")
            .partial();
        then.accepted(&queued);
    });
    let status = server.messages().get(|when, then| {
        when.id("msg_1");
        then.ok(&MessageDetails {
            id: "msg_1".into(),
            status: MessageStatus::Delivered,
            ..Default::default()
        });
    });
    let list = server.numbers().list(|_, then| {
        then.ok(&vec![NumberListItem {
            id: "num_01HZX".into(),
            name: "Suporte".into(),
            is_fully_connected: true,
            ..Default::default()
        }]);
    });
    let settings = server.numbers().update_settings(|when, then| {
        when.id("num_01HZX");
        then.ok(&Default::default());
    });
    let key = server.api_keys().regenerate_number(|when, then| {
        when.number_id("num_01HZX");
        then.created(&RegeneratedApiKey {
            key_prefix: "ps_live_ab".into(),
            ..Default::default()
        });
    });
    let missing = server.numbers().get(|when, then| {
        when.id("num_unknown");
        then.error(404, "NOT_FOUND", "Number not found");
    });
    let pairing = server.numbers().remote_pairing(|when, then| {
        when.name("Cliente Acme").number("5511988887777").partial();
        then.created(&RemotePairingResult {
            remote_pairing_url: Some("https://pilotstatus.com.br/p/rp_1".into()),
            remote_pairing_token: Some("rp_1".into()),
            ..Default::default()
        });
    });
    let connected = server.remote_pairing().get_status(|when, then| {
        when.token("rp_1");
        then.ok(&RemotePairingStatus {
            is_fully_connected: true,
            state: "open".into(),
            ..Default::default()
        });
    });
    let media = server.media().download(|when, then| {
        when.media_id("1234567890123456")
            .meta_phone_id("123456789012345");
        then.ok(&DownloadedMedia {
            base64: "data:application/pdf;base64,JVBERi0xLjcK".into(),
            file_name: Some("readme-flows-fatura.pdf".into()),
            media_id: "1234567890123456".into(),
            mime_type: "application/pdf".into(),
            ..Default::default()
        });
    });

    let client = pilot_status::mock::client(&server)?;
    everyday_flows(&client).await?;

    for (name, mock) in [
        ("the template send", &template),
        ("the text send", &text),
        ("the message's status", &status),
        ("the numbers' list", &list),
        ("the settings", &settings),
        ("the new key", &key),
        ("the unknown number", &missing),
        ("the pairing link", &pairing),
        ("the pairing's state", &connected),
        ("the media download", &media),
    ] {
        assert_eq!(mock.calls_async().await, 1, "{name}");
    }
    let saved = std::env::temp_dir().join("readme-flows-fatura.pdf");
    assert_eq!(std::fs::read(&saved)?, b"%PDF-1.7\n");
    std::fs::remove_file(saved)?;

    let hook = NumberWebhooks::new("whsec_readme")?;
    let delivery = SignedDelivery::new("whsec_readme", &Event::MessageReceived(inbound_message()));
    on_webhook(&hook, &delivery.headers(), delivery.body())?;
    let forged = SignedDelivery::new("whsec_other", &Event::MessageReceived(inbound_message()));
    assert!(on_webhook(&hook, &forged.headers(), forged.body()).is_err());
    Ok(())
}

#[test]
fn the_flows_are_as_rustfmt_prints_them() {
    // `cargo fmt` does not reach a file that is only `include!`d.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/readme_flows/everyday_flows.rs"
    );
    let checked = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check", path])
        .output()
        .expect("rustfmt runs (rustup component add rustfmt)");
    assert!(
        checked.status.success(),
        "rustfmt would change the flows:\n{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}

/// Lines that are neither blank nor a comment (`//` in Rust, `#` in Python).
fn code_lines(text: &str, comment: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with(comment))
        .count()
}

#[test]
fn the_readme_states_the_flows_line_counts_as_they_are() {
    // A measurement, not a target: the README states both counts, and they stay true.
    let python = include_str!("../docs/everyday-flows.py");
    let stated = format!("the block is {} lines of Rust", code_lines(FLOWS, "//"));
    let against = format!("against {} lines of Python", code_lines(python, "#"));
    let readme = README.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains(&stated) && readme.contains(&against),
        "update the README's line counts: {stated} {against}"
    );
}
