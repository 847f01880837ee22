//! The call `overhead` times and `call_profile` profiles: `GET /v1/numbers` against a loopback
//! server that answers one number (as the docs show it), made through the SDK and with bare
//! reqwest sending the same request.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;
use pilot_status::{Client, RetryPolicy, types};

/// The body every call gets.
const BODY: &str = r#"[{"id":"num_01HZX","instanceName":"tenant-5511999999999","number":"5511999999999","name":"Suporte","provider":"PILOT_STATUS","apiKeys":[{"name":"Default","keyPrefix":"ps_abcd","keyLast4":"wxyz"}],"state":"OPEN","isFullyConnected":true,"createdAt":"2026-06-01T11:59:00.000Z","updatedAt":"2026-06-01T12:00:00.000Z"}]"#;

/// The credential both sides send.
const KEY: &str = "ps_bench_key";

/// Starts the server on a loopback port of the current runtime; its address.
pub async fn start() -> SocketAddr {
    let app = Router::new().route(
        "/v1/numbers",
        get(|| async { ([("content-type", "application/json")], BODY) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// The two sides of the comparison, against the server at one address.
pub struct Sides {
    http: reqwest::Client,
    url: String,
    user_agent: String,
    client: Client,
}

impl Sides {
    /// Both sides for the server at `address`; the SDK's client as a user builds it.
    pub fn new(address: SocketAddr) -> Self {
        let base = format!("http://{address}");
        let client = Client::builder()
            .api_key(KEY)
            .base_url(&base)
            .retry_policy(RetryPolicy::default())
            .build()
            .expect("a client");
        Self {
            http: reqwest::Client::new(),
            url: format!("{base}/v1/numbers"),
            user_agent: pilot_status::default_user_agent(),
            client,
        }
    }

    /// One call with reqwest alone: the same request on the wire (the credential, the SDK's
    /// `user-agent`, `accept`), the same typed decoding.
    pub async fn bare(&self) -> Vec<types::NumberListItem> {
        let response = self
            .http
            .get(&self.url)
            .header("x-api-key", KEY)
            .header("user-agent", &self.user_agent)
            .header("accept", "application/json")
            .send()
            .await
            .expect("a response");
        let bytes = response.bytes().await.expect("a body");
        serde_json::from_slice::<Vec<types::NumberListItem>>(&bytes).expect("numbers")
    }

    /// The same call through the SDK.
    pub async fn sdk(&self) -> Vec<types::NumberListItem> {
        self.client
            .numbers()
            .list()
            .send()
            .await
            .expect("numbers")
            .into_inner()
    }
}
