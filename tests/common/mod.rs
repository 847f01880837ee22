//! Shared helpers of the wire tests: every test talks to a server it starts on 127.0.0.1.
#![allow(dead_code)]

use pilot_status::Client;
use wiremock::MockServer;

/// The API key the tests use; no test output may contain it.
pub const API_KEY: &str = "ps_test_0123456789abcdef";

/// A client for `server`, authenticated with [`API_KEY`].
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .expect("a valid test configuration")
}

/// Header names of the one request `server` received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// A loopback address nothing listens on.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}
