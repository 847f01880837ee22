//! `cargo bench --bench send_batch [-- --runs 5 --limit 200 --latency-ms 25 --rows 2000
//! --concurrency 8]`: a batch against a stand-in of the send endpoint on 127.0.0.1 that
//! enforces a rate limit, and how close the batch comes to it.
//!
//! The server's limit is a token bucket of `--limit` requests a second with a burst of one
//! second's worth, full at the start; a request over it gets 429 with `Retry-After` in whole
//! seconds (and the exact wait as `retryAfterSeconds`). Each send takes `--latency-ms`. The
//! client is the default one (default retry policy), the batch has `--concurrency` at most.
//!
//! Printed per run and as medians:
//! - **of the limit**: the fastest time the limit allows for the rows, `(rows − burst) /
//!   limit`, over the time the batch took (1.0: as fast as the limit allows);
//! - **throttled**: of the requests that arrived after the first second, the share answered
//!   429.

use std::time::{Duration, Instant};

use pilot_status::batch::BatchRow;
use pilot_status::types::SendDestination;
use pilot_status::{Client, RetryPolicy};
use pilot_status_send_server::{Answer, SendServer, Settings};

struct Options {
    runs: usize,
    limit: u32,
    latency: Duration,
    rows: usize,
    concurrency: usize,
}

impl Options {
    fn from_args() -> Result<Self, String> {
        let mut options = Self {
            runs: 3,
            limit: 200,
            latency: Duration::from_millis(25),
            rows: 2000,
            concurrency: 8,
        };
        let mut arguments = std::env::args().skip(1);
        while let Some(argument) = arguments.next() {
            let mut value = |name: &str| {
                arguments
                    .next()
                    .and_then(|value| value.parse::<u64>().ok())
                    .ok_or_else(|| format!("{name} takes a whole number"))
            };
            match argument.as_str() {
                "--runs" => options.runs = value("--runs")? as usize,
                "--limit" => options.limit = value("--limit")? as u32,
                "--latency-ms" => options.latency = Duration::from_millis(value("--latency-ms")?),
                "--rows" => options.rows = value("--rows")? as usize,
                "--concurrency" => options.concurrency = value("--concurrency")? as usize,
                // What `cargo bench` passes to every bench target.
                "--bench" => {}
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if options.limit == 0 || options.rows <= options.limit as usize {
            return Err("--rows must be more than --limit, and --limit more than 0".to_owned());
        }
        Ok(options)
    }
}

/// One run's figures.
struct Figures {
    elapsed: Duration,
    of_limit: f64,
    throttled_after_first_second: f64,
    requests: usize,
    throttled: usize,
}

async fn run(options: &Options, index: usize) -> Figures {
    let server = SendServer::start(Settings {
        rate_limit: Some(options.limit),
        latency: options.latency,
        seed: index as u64,
        ..Settings::default()
    })
    .await;
    let client = Client::builder()
        .api_key("ps_bench_key")
        .base_url(server.url())
        .retry_policy(RetryPolicy::default())
        .build()
        .expect("a client");
    let rows: Vec<BatchRow> = (0..options.rows)
        .map(|row| {
            let body = SendDestination::contact(format!("+5511{row:09}"))
                .template("promo_dez", [("nome", "Ana")]);
            BatchRow::new(format!("row-{row}"), body)
        })
        .collect();
    let started = Instant::now();
    let summary = client
        .messages()
        .send_batch(format!("bench-{index}"), rows)
        .concurrency(options.concurrency)
        .run()
        .await
        .expect("the batch runs");
    let elapsed = started.elapsed();
    assert_eq!(summary.sent, options.rows as u64, "{summary:?}");
    assert_eq!(server.applied(), options.rows as u64);
    let log = server.log();
    let later: Vec<_> = log
        .iter()
        .filter(|record| record.at >= Duration::from_secs(1))
        .collect();
    let throttled_later = later
        .iter()
        .filter(|record| record.answer == Answer::Throttled)
        .count();
    let fastest = (options.rows - options.limit as usize) as f64 / f64::from(options.limit);
    Figures {
        elapsed,
        of_limit: fastest / elapsed.as_secs_f64(),
        throttled_after_first_second: throttled_later as f64 / later.len().max(1) as f64,
        requests: log.len(),
        throttled: log
            .iter()
            .filter(|record| record.answer == Answer::Throttled)
            .count(),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

fn main() {
    let options = match Options::from_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("send_batch: {message}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    println!(
        "send_batch: {} rows, limit {}/s (burst {}), {} ms a send, concurrency {}, {} runs",
        options.rows,
        options.limit,
        options.limit,
        options.latency.as_millis(),
        options.concurrency,
        options.runs
    );
    let mut all = Vec::new();
    for index in 0..options.runs {
        let figures = runtime.block_on(run(&options, index));
        println!(
            "run {}: {:.2} s, {:.3} of the limit, {} requests, {} throttled ({:.2} % after the first second)",
            index + 1,
            figures.elapsed.as_secs_f64(),
            figures.of_limit,
            figures.requests,
            figures.throttled,
            100.0 * figures.throttled_after_first_second
        );
        all.push(figures);
    }
    println!(
        "median: {:.3} of the limit, {:.2} % throttled after the first second",
        median(all.iter().map(|f| f.of_limit).collect()),
        100.0 * median(all.iter().map(|f| f.throttled_after_first_second).collect())
    );
}
