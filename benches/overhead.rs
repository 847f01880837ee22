//! `cargo bench --bench overhead`: the time of one SDK call against a bare reqwest call to
//! the same loopback server, both decoding the same typed body.
//!
//! The SDK call adds the generated request building, the hooks (credentials, user agent,
//! timeout, tracing span, retry bookkeeping) and the error mapping.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use pilot_status::types;

#[path = "support/numbers_call.rs"]
mod numbers_call;

/// The two sides of the comparison, against one loopback server, on one runtime.
struct Sides {
    runtime: tokio::runtime::Runtime,
    sides: numbers_call::Sides,
}

impl Sides {
    fn new() -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let address = runtime.block_on(numbers_call::start());
        Self {
            sides: numbers_call::Sides::new(address),
            runtime,
        }
    }

    /// One call with reqwest alone.
    fn bare(&self) -> Vec<types::NumberListItem> {
        self.runtime.block_on(self.sides.bare())
    }

    /// The same call through the SDK.
    fn sdk(&self) -> Vec<types::NumberListItem> {
        self.runtime.block_on(self.sides.sdk())
    }
}

fn overhead(c: &mut Criterion) {
    let sides = Sides::new();
    let mut group = c.benchmark_group("get_numbers_loopback");
    group.bench_function("bare_reqwest", |b| b.iter(|| sides.bare()));
    group.bench_function("sdk", |b| b.iter(|| sides.sdk()));
    group.finish();
}

/// The ratio measured in pairs: rounds of `CALLS` bare calls and `CALLS` SDK calls, the order
/// alternating, so that a change in the machine's load between the two criterion groups above
/// does not count as overhead; prints the median of the rounds' ratios.
fn paired(_: &mut Criterion) {
    const ROUNDS: usize = 31;
    const CALLS: u32 = 2_000;
    let sides = Sides::new();
    let time = |call: &dyn Fn() -> Vec<types::NumberListItem>| {
        let start = Instant::now();
        for _ in 0..CALLS {
            std::hint::black_box(call());
        }
        start.elapsed()
    };
    // Warm both sides (connections, allocator, caches) before measuring.
    time(&|| sides.bare());
    time(&|| sides.sdk());
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut bare_total, mut sdk_total) = (Duration::ZERO, Duration::ZERO);
    for round in 0..ROUNDS {
        let (bare, sdk) = if round % 2 == 0 {
            let bare = time(&|| sides.bare());
            (bare, time(&|| sides.sdk()))
        } else {
            let sdk = time(&|| sides.sdk());
            (time(&|| sides.bare()), sdk)
        };
        bare_total += bare;
        sdk_total += sdk;
        ratios.push(sdk.as_secs_f64() / bare.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let per_call = |total: Duration| total.as_secs_f64() * 1e6 / f64::from(CALLS * ROUNDS as u32);
    println!(
        "get_numbers_loopback/paired: sdk / bare_reqwest = {:.3}x (median of {ROUNDS} rounds of \
         {CALLS} calls each; range {:.3}x to {:.3}x); mean per call: bare {:.1} µs, sdk {:.1} µs",
        ratios[ROUNDS / 2],
        ratios[0],
        ratios[ROUNDS - 1],
        per_call(bare_total),
        per_call(sdk_total),
    );
}

criterion_group!(benches, overhead, paired);
criterion_main!(benches);
