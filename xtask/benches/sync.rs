//! `cargo bench -p xtask --bench sync`: sync of a 100-page docs site served on 127.0.0.1.
//!
//! Two figures: reading the site (index, 100 pages fetched with the default concurrency,
//! blocks extracted), and the whole sync (also merge, generate the client to check it,
//! extract the surface, write).

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::fetch::FetchOptions;
use xtask::sync::{Progress, SyncOptions, read_site, sync};

const PAGES: usize = 100;
const SEED: &str =
    include_str!("../fixtures/docs/playground/numbers/remote-pairing-connection-link.md");

/// A site whose index lists `PAGES` operation pages, each the seed page moved to its own
/// path and operation id.
async fn site() -> MockServer {
    let server = MockServer::start().await;
    let mut index = String::from("# Bench\n\n## API Reference\n\n");
    for page in 0..PAGES {
        let route = format!("/v1/bench{page}/remote-pairing");
        let text = SEED.replace("/v1/numbers/remote-pairing", &route).replace(
            "post_numbers_remote-pairing",
            &format!("post_bench{page}_remote-pairing"),
        );
        let file = format!("/playground/bench/page-{page}.md");
        index.push_str(&format!(
            "- [Page {page}]({}{file}): bench page\n",
            server.uri()
        ));
        Mock::given(method("GET"))
            .and(path(file))
            .respond_with(ResponseTemplate::new(200).set_body_string(text))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/llms.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_string(index))
        .mount(&server)
        .await;
    server
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(site());
    let dir = tempfile::tempdir().expect("a scratch directory");
    let mut options = SyncOptions::for_repository(dir.path());
    options.index = Url::parse(&format!("{}/llms.txt", server.uri())).expect("a URL");
    options.progress = Progress::Quiet;
    options.fetch = FetchOptions::default();

    let mut group = c.benchmark_group("sync_100_pages");
    group.throughput(Throughput::Elements(PAGES as u64));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("read_site", |b| {
        b.iter(|| {
            runtime
                .block_on(read_site(&options))
                .expect("the site reads")
        });
    });
    group.bench_function("full_sync", |b| {
        b.iter(|| {
            // From an empty directory each time: fetch, merge, generate, write.
            let _ = std::fs::remove_file(&options.spec_path);
            let _ = std::fs::remove_file(&options.sources_path);
            runtime.block_on(sync(&options)).expect("the sync succeeds")
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
