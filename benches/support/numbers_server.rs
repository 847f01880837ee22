//! The loopback server of `overhead` and `call_profile`: `GET /v1/numbers` answers one
//! number, as the docs show it.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;

/// The body every call gets.
const BODY: &str = r#"[{"id":"num_01HZX","instanceName":"tenant-5511999999999","number":"5511999999999","name":"Suporte","provider":"PILOT_STATUS","apiKeys":[{"name":"Default","keyPrefix":"ps_abcd","keyLast4":"wxyz"}],"state":"OPEN","isFullyConnected":true,"createdAt":"2026-06-01T11:59:00.000Z","updatedAt":"2026-06-01T12:00:00.000Z"}]"#;

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
