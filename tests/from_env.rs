//! `Client::from_env()` reads the variables the command line reads. One test in its own
//! binary: the environment is the process's.

use pilot_status::{
    API_KEY_ID_VARIABLE, API_KEY_VARIABLE, BASE_URL_VARIABLE, Client, ErrorKind, NUMBER_ID_VARIABLE,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "ps_from_env_test_key";

#[tokio::test]
async fn the_environment_configures_a_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/numbers"))
        .and(header("x-api-key", KEY))
        .and(header("x-whatsapp-number-id", "num_env"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    // SAFETY (edition 2024 marks these unsafe): this binary has this one test, and nothing
    // else reads or writes the environment while it runs.
    unsafe {
        std::env::set_var(API_KEY_VARIABLE, format!("  {KEY}\n"));
        std::env::set_var(API_KEY_ID_VARIABLE, "key_id_ignored_when_a_key_is_set");
        std::env::set_var(NUMBER_ID_VARIABLE, "num_env");
        std::env::set_var(BASE_URL_VARIABLE, server.uri());
    }
    let client = Client::from_env().expect("configured from the environment");
    assert_eq!(client.number_id(), Some("num_env"));
    assert_eq!(client.base_url(), server.uri());
    let numbers = client.numbers().list().await.expect("the call succeeds");
    assert!(numbers.is_empty());

    // Without a credential: a configuration error naming the variables, not their values.
    unsafe {
        std::env::set_var(API_KEY_VARIABLE, "   ");
        std::env::remove_var(API_KEY_ID_VARIABLE);
    }
    let error = Client::from_env().expect_err("no credential");
    assert_eq!(error.kind(), ErrorKind::Config);
    let message = error.to_string();
    assert!(
        message.contains(API_KEY_VARIABLE) && message.contains(API_KEY_ID_VARIABLE),
        "{message}"
    );
    assert!(
        !message.contains("num_env") && !message.contains(KEY),
        "{message}"
    );
}
