//! Client-wide throttling on the wire: a 429 to one call pauses every call of the client and
//! of its clones for the wait the API asked for, instead of each finding the limit itself.

mod common;
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::API_KEY;
use pilot_status::{CallOptions as _, Client, ErrorKind, RetryPolicy};
use support::{Reply, Server};

/// A server that answers the first request 429 with `Retry-After: 1`, the others 200, and
/// keeps each request's arrival time.
async fn throttling_once() -> (Server, Arc<Mutex<Vec<Instant>>>) {
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let server = Server::start({
        let arrivals = Arc::clone(&arrivals);
        move |index, _| {
            arrivals.lock().expect("the arrivals").push(Instant::now());
            if index == 0 {
                Reply::json(429, r#"{"code":"RATE_LIMITED"}"#).with_header("retry-after", "1")
            } else {
                Reply::json(200, common::NUMBER_LIST)
            }
        }
    })
    .await;
    (server, arrivals)
}

fn client(server: &Server) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.url())
        .build()
        .expect("a valid configuration")
}

#[tokio::test]
async fn a_429_to_one_call_pauses_the_other_calls_of_the_client_and_its_clones() {
    let (server, arrivals) = throttling_once().await;
    let client = client(&server);
    let sibling = client.with_number("num_2");
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.numbers().list().send().await }
    });
    // Let the first call meet the 429, then start another on a clone.
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    sibling
        .numbers()
        .list()
        .send()
        .await
        .expect("the second call succeeds after the pause");
    let waited = started.elapsed();
    first
        .await
        .expect("the task")
        .expect("the first call succeeds on its retry");
    assert!(
        waited >= Duration::from_millis(850),
        "the clone waited out the same Retry-After: {waited:?}"
    );
    let arrivals = arrivals.lock().expect("the arrivals").clone();
    assert_eq!(arrivals.len(), 3, "one 429, then one attempt each");
    assert!(
        arrivals[1] - arrivals[0] >= Duration::from_millis(950),
        "nothing reached the server during the pause"
    );
}

#[tokio::test]
async fn a_call_that_does_not_retry_its_429_still_pauses_the_others() {
    let (server, arrivals) = throttling_once().await;
    let client = client(&server);
    let error = client
        .numbers()
        .list()
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .expect_err("the 429 is returned at once");
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    let started = Instant::now();
    client
        .clone()
        .numbers()
        .list()
        .send()
        .await
        .expect("the next call goes after the pause");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(arrivals.lock().expect("the arrivals").len(), 2);
}

#[tokio::test]
async fn separate_clients_do_not_share_a_pause() {
    let (server, _) = throttling_once().await;
    let throttled = client(&server);
    throttled
        .numbers()
        .list()
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .expect_err("the 429");
    let started = Instant::now();
    client(&server)
        .numbers()
        .list()
        .send()
        .await
        .expect("another client is not paused");
    assert!(started.elapsed() < Duration::from_millis(500));
}
