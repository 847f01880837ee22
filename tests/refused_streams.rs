//! HTTP/2 streams the server refuses unread (`REFUSED_STREAM`) are retried by the client's
//! policy, whatever the request, and by it alone: reqwest's own retry layer is off, so the
//! policy's count of attempts is what goes on the wire.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{API_KEY, documented_example};
use pilot_status::{Client, RetryPolicy};

/// An HTTP/2 (prior knowledge) server on 127.0.0.1 that resets the first `refusals` streams
/// with `reason` and answers the others 200 with `body`; it counts the streams.
async fn h2_server(
    refusals: usize,
    reason: h2::Reason,
    body: Vec<u8>,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let streams = Arc::new(AtomicUsize::new(0));
    let counted = streams.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let counted = counted.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    if counted.fetch_add(1, Ordering::SeqCst) < refusals {
                        respond.send_reset(reason);
                        continue;
                    }
                    let response = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(())
                        .expect("a response head");
                    if let Ok(mut stream) = respond.send_response(response, false) {
                        let _ = stream.send_data(body.clone().into(), true);
                    }
                }
            });
        }
    });
    (address, streams)
}

fn client(address: SocketAddr) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://{address}"))
        .configure_http(|http| http.http2_prior_knowledge())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("a valid configuration")
}

fn check_answer() -> Vec<u8> {
    serde_json::to_vec(&documented_example("numbers.check")).expect("JSON")
}

#[tokio::test]
async fn a_post_the_server_refused_unread_is_sent_again() {
    // `numbers().check(..)` is a POST without an idempotency key: never sent twice, except
    // when the server says it did not read it.
    let (address, streams) = h2_server(1, h2::Reason::REFUSED_STREAM, check_answer()).await;
    let checked = client(address)
        .numbers()
        .check("5511988887777")
        .await
        .expect("the second attempt is answered");
    assert_eq!(checked.status(), 200);
    assert_eq!(streams.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn refusals_are_retried_by_the_policy_alone() {
    // Refused every time: 1 + 2 retries of the default policy, and no more (with reqwest's own
    // layer on, each of those would have been tried up to 3 times).
    let (address, streams) =
        h2_server(usize::MAX, h2::Reason::REFUSED_STREAM, check_answer()).await;
    let error = client(address)
        .numbers()
        .check("5511988887777")
        .await
        .expect_err("refused every time");
    assert!(error.is_network(), "{error}");
    assert_eq!(streams.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_post_reset_for_another_reason_is_sent_once() {
    // INTERNAL_ERROR says nothing about whether the server acted: not sent again.
    let (address, streams) = h2_server(1, h2::Reason::INTERNAL_ERROR, check_answer()).await;
    let error = client(address)
        .numbers()
        .check("5511988887777")
        .await
        .expect_err("reset");
    assert!(error.is_network(), "{error}");
    assert_eq!(streams.load(Ordering::SeqCst), 1);
}
