//! `cargo bench --bench overhead`: the time of one SDK call against a bare reqwest call to
//! the same loopback server, both decoding the same typed body.
//!
//! The SDK call adds the generated request building, the hooks (credentials, user agent,
//! timeout, tracing span, retry bookkeeping) and the error mapping.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use pilot_status::{Client, RetryPolicy, types};

const BODY: &str = r#"[{"id":"num_01HZX","instanceName":"tenant-5511999999999","number":"5511999999999","name":"Suporte","provider":"PILOT_STATUS","apiKeys":[{"name":"Default","keyPrefix":"ps_abcd","keyLast4":"wxyz"}],"state":"OPEN","isFullyConnected":true,"createdAt":"2026-06-01T11:59:00.000Z","updatedAt":"2026-06-01T12:00:00.000Z"}]"#;

async fn server() -> SocketAddr {
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

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let address = runtime.block_on(server());
    let base = format!("http://{address}");
    let http = reqwest::Client::new();
    let client = Client::builder()
        .api_key("ps_bench_key")
        .base_url(&base)
        .retry_policy(RetryPolicy::default())
        .build()
        .expect("a client");
    let url = format!("{base}/v1/numbers");

    let mut group = c.benchmark_group("get_numbers_loopback");
    group.bench_function("bare_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = http
                    .get(&url)
                    .header("x-api-key", "ps_bench_key")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .expect("a response");
                let bytes = response.bytes().await.expect("a body");
                serde_json::from_slice::<Vec<types::NumberListItem>>(&bytes).expect("numbers")
            })
        });
    });
    group.bench_function("sdk", |b| {
        b.iter(|| {
            runtime.block_on(async {
                client
                    .numbers()
                    .list()
                    .send()
                    .await
                    .expect("numbers")
                    .into_inner()
            })
        });
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
