// The README's "Testing with mocks" example, verbatim: it must compile and pass with only the
// README's dependencies (`pilot-status` with `mock`, `tokio`). Keep the two in step.

use pilot_status::mock::prelude::*;
use pilot_status::types::{MessageStatus, SendDestination, SentMessage};

const NO_VARIABLES: [(&str, &str); 0] = [];

#[tokio::test]
async fn sends_the_welcome() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start_async().await;
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

    let client = pilot_status::mock::client(&server)?;
    let welcome =
        SendDestination::contact("+5511988887777").template("boas_vindas", [("nome", "Ana")]);
    let error = client.messages().send(welcome).await.unwrap_err();
    // Not matched: the mock expects no variables. The answer is 421 `MOCK_UNMATCHED`, naming
    // the closest mock's mismatch, never a 404 a not-found test could mistake for the API's.
    assert_eq!(error.code(), Some("MOCK_UNMATCHED"));
    let sent = client
        .messages()
        .send(SendDestination::contact("+5511988887777").template("boas_vindas", NO_VARIABLES))
        .await?;
    assert_eq!(sent.id, "msg_1");
    send.assert();
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
        "README.md's \"Testing with mocks\" example and mock-tests/tests/readme_testing.rs differ"
    );
}
