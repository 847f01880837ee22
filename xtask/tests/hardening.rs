//! `cargo xtask sync-spec` against a misbehaving docs site on 127.0.0.1: pages redirected to
//! another origin (a second port stands for another host), pages over the size limit, YAML
//! nested deep enough to stall the parser. Each fails the sync, names the cause and leaves
//! openapi.json untouched.

mod common;

use std::time::{Duration, Instant};

use common::{Site, failing_sync_on, options, scratch_with_vendored_spec, snapshot};
use pilot_status_codegen::docs::DocsError;
use pilot_status_codegen::docs::nesting::MAX_FLOW_DEPTH;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::fetch::FetchError;
use xtask::sync::{SyncError, sync};

const SEED: &str = "playground/numbers/remote-pairing-connection-link.md";

/// Answers `GET /<file>` on `server` with a redirect to `location`, before the site's files.
async fn redirect(server: &MockServer, file: &str, location: String) {
    Mock::given(method("GET"))
        .and(path(format!("/{file}")))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location))
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_page_redirected_to_another_origin_is_refused_and_named() {
    let site = Site::mirror();
    let server = site.serve().await;
    // The other origin serves the very same page: only where it comes from is wrong.
    let elsewhere = site.serve().await;
    let location = format!("{}/{SEED}", elsewhere.uri());
    redirect(&server, SEED, location.clone()).await;

    let error = failing_sync_on(&server, |_| {}).await;

    let SyncError::Pages { failures } = &error else {
        panic!("{error}")
    };
    assert!(
        matches!(&failures[0].1, FetchError::OffSite { location: l, .. } if *l == location),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("served from {location}, outside {}", server.uri())),
        "{message}"
    );
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin was asked"
    );
}

#[tokio::test]
async fn an_index_redirected_to_another_origin_is_refused() {
    let site = Site::mirror();
    let server = site.serve().await;
    let elsewhere = site.serve().await;
    redirect(&server, "llms.txt", format!("{}/llms.txt", elsewhere.uri())).await;

    let error = failing_sync_on(&server, |_| {}).await;

    assert!(
        matches!(
            error,
            SyncError::Index {
                source: FetchError::OffSite { .. },
                ..
            }
        ),
        "{error}"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_redirect_within_the_docs_site_is_followed() {
    let site = Site::mirror();
    let moved = "playground/numbers/moved.md";
    let server = site.clone_with(moved, site.text(SEED)).serve().await;
    redirect(&server, SEED, format!("/{moved}")).await;
    let dir = scratch_with_vendored_spec();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert!(!outcome.spec_changed, "{outcome:?}");
    assert!(outcome.summary.retries == 0 && outcome.summary.operations >= 1);
}

#[tokio::test]
async fn a_page_over_the_size_limit_is_refused() {
    let site = Site::mirror();
    let padded = site.text(SEED) + "\n" + &"Padding prose.\n".repeat(10_000);
    let server = site.with(SEED, padded).serve().await;
    // Within the default limit the padded page is fine.
    let dir = scratch_with_vendored_spec();
    assert!(
        !sync(&options(dir.path(), &server))
            .await
            .unwrap()
            .spec_changed
    );

    let error = failing_sync_on(&server, |options| {
        options.fetch.max_page_size = 64 * 1024;
    })
    .await;

    let SyncError::Pages { failures } = &error else {
        panic!("{error}")
    };
    assert_eq!(failures.len(), 1, "{error}");
    assert!(failures[0].0.path().ends_with(SEED), "{error}");
    assert!(
        matches!(failures[0].1, FetchError::TooLarge { limit: 65536 }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("larger than the limit of 65536 bytes (--max-page-size)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_mirror_file_over_the_size_limit_is_refused() {
    let mirror = tempfile::tempdir().unwrap();
    for (file, bytes) in Site::mirror().files {
        let target = mirror.path().join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let page = mirror.path().join(SEED);
    let padded = std::fs::read_to_string(&page).unwrap() + "\n" + &"Padding.\n".repeat(10_000);
    std::fs::write(&page, padded).unwrap();
    let dir = scratch_with_vendored_spec();
    let before = snapshot(dir.path());
    let mut options = xtask::sync::SyncOptions::for_repository(dir.path());
    options.overlays_dir = common::repository().join("overlays");
    options.from_dir = Some(mirror.path().to_path_buf());
    options.fetch.max_page_size = 64 * 1024;

    let error = sync(&options).await.expect_err("the sync should fail");

    assert!(
        error
            .to_string()
            .contains("larger than the limit of 65536 bytes"),
        "{error}"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn deeply_nested_yaml_is_refused_before_parsing() {
    let site = Site::mirror();
    let deep = format!(
        "      operationId: post_numbers_remote-pairing\n      x-deep: {}\n",
        "[".repeat(40_000)
    );
    let page = site
        .text(SEED)
        .replace("      operationId: post_numbers_remote-pairing\n", &deep);
    let server = site.with(SEED, page).serve().await;

    let started = Instant::now();
    let error = failing_sync_on(&server, |_| {}).await;

    assert!(
        matches!(
            error,
            SyncError::Page(DocsError::TooDeep {
                limit: MAX_FLOW_DEPTH,
                ..
            })
        ),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("nests flow collections ([ or {) more than 64 levels deep"),
        "{error}"
    );
    // Parsing it would take many seconds; the pre-scan takes milliseconds.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// The command line: an off-site redirect exits with status 2, says why and that nothing
/// was written, and leaves the files as they were.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_exits_with_status_2_and_writes_nothing() {
    let site = Site::mirror();
    let server = site.serve().await;
    let elsewhere = site.serve().await;
    let location = format!("{}/{SEED}", elsewhere.uri());
    redirect(&server, SEED, location.clone()).await;
    let dir = scratch_with_vendored_spec();
    let before = snapshot(dir.path());
    let spec = dir.path().join("openapi.json");
    let index = format!("{}/llms.txt", server.uri());

    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["sync-spec", "--retries", "0", "--index", &index, "--spec"])
            .arg(&spec)
            .output()
    })
    .await
    .unwrap()
    .expect("the xtask binary runs");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&location), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
