//! A driver for profiling the overhead bench's call under callgrind, not a timing: N calls of
//! `GET /v1/numbers` to a loopback axum server, through the SDK (`sdk`) or bare reqwest
//! (`bare`), on a current-thread runtime (the server runs on a thread of its own, so
//! callgrind's `--separate-threads=yes` shows the client's instructions apart).
//!
//! ```text
//! cargo bench --bench call_profile --no-run
//! for side in bare sdk; do for calls in 200 1200; do
//!   valgrind --tool=callgrind --separate-threads=yes \
//!     --callgrind-out-file=cg.$side.$calls.%p target/release/deps/call_profile-<hash> $side $calls
//! done; done
//! ```
//!
//! The instructions of one call are the difference between the two runs of a side (thread 1,
//! the client) divided by 1,000; setup costs cancel out. With `MT=1` the client runs on a
//! multi-thread runtime instead, and with `PER_CALL=1` each call is a `block_on` of its own
//! (the future moved into the runtime each time), both as in `benches/overhead.rs`.

#[path = "support/numbers_call.rs"]
mod numbers_call;

fn main() {
    let side = std::env::args().nth(1).unwrap_or_else(|| "sdk".to_owned());
    let calls: usize = std::env::args()
        .nth(2)
        .map_or(Ok(1_200), |calls| calls.parse())
        .expect("the number of calls is a whole number");
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let address = server.block_on(numbers_call::start());
    let client_runtime = if std::env::var_os("MT").is_some() {
        tokio::runtime::Runtime::new()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
    .expect("the client's runtime");
    let sides = numbers_call::Sides::new(address);
    if std::env::var_os("PER_CALL").is_some() {
        for _ in 0..calls {
            let numbers = if side == "sdk" {
                client_runtime.block_on(sides.sdk())
            } else {
                client_runtime.block_on(sides.bare())
            };
            std::hint::black_box(numbers);
        }
        return;
    }
    client_runtime.block_on(async {
        for _ in 0..calls {
            let numbers = if side == "sdk" {
                sides.sdk().await
            } else {
                sides.bare().await
            };
            std::hint::black_box(numbers);
        }
    });
}
