//! `cargo xtask sync-spec` against a docs site served on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::{
    Site, failing_sync, failing_sync_on, mirror, options, repository, scratch_with_vendored_spec,
    snapshot, vendored_spec,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};
use xtask::fetch::FetchError;
use xtask::sync::{SyncError, sync};

const SEED: &str = "playground/numbers/remote-pairing-connection-link.md";

#[tokio::test]
async fn reproduces_the_vendored_spec_from_the_loopback_site() {
    let server = Site::mirror().serve().await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert!(outcome.written && outcome.spec_changed);
    assert_eq!(
        std::fs::read(dir.path().join("openapi.json")).unwrap(),
        vendored_spec()
    );
    assert!(outcome.summary.operations >= 1);
}

#[tokio::test]
async fn a_second_run_changes_nothing() {
    let server = Site::mirror().serve().await;
    let dir = tempfile::tempdir().unwrap();
    sync(&options(dir.path(), &server)).await.unwrap();
    let first = snapshot(dir.path());
    let again = sync(&options(dir.path(), &server)).await.unwrap();
    assert!(!again.changed() && !again.written, "{again:?}");
    assert!(again.report.is_empty());
    assert!(again.snapshots.is_empty());
    assert_eq!(snapshot(dir.path()), first);
}

#[tokio::test]
async fn the_vendored_spec_is_in_sync_with_the_mirror() {
    // `--from-dir` against the repository's own files, in `--check` mode.
    let mut options = xtask::sync::SyncOptions::for_repository(&repository());
    options.from_dir = Some(mirror());
    options.check = true;
    let outcome = sync(&options).await.unwrap();
    assert!(
        !outcome.changed(),
        "openapi.json or openapi.sources.json differ from the mirror: run `cargo xtask sync-spec --from-dir xtask/fixtures/docs`"
    );
}

#[tokio::test]
async fn check_mode_writes_nothing_and_reports_the_change() {
    let server = Site::mirror().serve().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.json"), "{}\n").unwrap();
    let before = snapshot(dir.path());
    let mut options = options(dir.path(), &server);
    options.check = true;
    let outcome = sync(&options).await.unwrap();
    assert!(outcome.spec_changed && !outcome.written);
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn a_changed_page_is_reported_with_its_breaking_changes() {
    let site = Site::mirror();
    let page = site
        .text(SEED)
        .replace("                numberId: num_01HZX...\n", "")
        .replace(
            "                name:\n                  type: string",
            "                fullName:\n                  type: string",
        )
        .replace(
            "              name: Cliente Acme",
            "              fullName: Cliente Acme",
        );
    let server = site.with(SEED, page).serve().await;
    let dir = scratch_with_vendored_spec();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert!(outcome.written);
    let report = outcome.report.to_string();
    assert!(
        report.contains("~ struct PostNumbersRemotePairingBody"),
        "{report}"
    );
    assert!(
        report.contains("- field name: Option<String>  [BREAKING]"),
        "{report}"
    );
    assert!(
        report.contains("+ field fullName -> full_name: Option<String>"),
        "{report}"
    );
    assert!(
        report.contains("~ struct PostNumbersRemotePairingResponse"),
        "{report}"
    );
    assert!(
        report.contains("- field numberId -> number_id: Option<String>  [BREAKING]"),
        "{report}"
    );
    assert!(
        report.contains("breaking changes for SDK users: 2"),
        "{report}"
    );
    assert_eq!(
        outcome.snapshots,
        [
            "tests/snapshots/surface__surface.snap",
            "tests/snapshots/surface__generated_code.snap"
        ]
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("openapi.json")).unwrap()).unwrap();
    let operation = &written["paths"]["/v1/numbers/remote-pairing"]["post"];
    let body = &operation["requestBody"]["content"]["application/json"]["schema"]["properties"];
    assert!(
        body.get("fullName").is_some() && body.get("name").is_none(),
        "{body}"
    );
    let created = &operation["responses"]["201"]["content"]["application/json"]["example"];
    assert!(created.get("numberId").is_none(), "{created}");
}

#[tokio::test]
async fn an_unreachable_index_is_an_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = failing_sync(Site::mirror(), |options| {
        options.index = format!("http://{address}/llms.txt").parse().unwrap();
    })
    .await;
    assert!(
        matches!(
            error,
            SyncError::Index {
                source: FetchError::Connect { attempts: 3, .. },
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().starts_with(&format!(
        "cannot get the docs index http://{address}/llms.txt"
    )));
}

#[tokio::test]
async fn an_index_without_operation_pages_is_an_error() {
    let site = Site::mirror().with(
        "llms.txt",
        "# Pilot Status\n\n## Docs\n\n- [Overview](https://docs.pilotstatus.com.br/api/overview.md): prose\n",
    );
    let error = failing_sync(site, |_| {}).await;
    assert!(
        matches!(error, SyncError::NoOperationPages { links: 1, .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("lists no operation page (of 1 links: 1 prose page)"),
        "{error}"
    );
}

#[tokio::test]
async fn a_page_that_stays_missing_or_broken_is_an_error() {
    let site = Site::mirror();
    let server = site.serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(404))
        .with_priority(1)
        .mount(&server)
        .await;
    let error = failing_sync_on(&server, |_| {}).await;
    let SyncError::Pages { failures } = &error else {
        panic!("{error}")
    };
    assert!(
        matches!(failures[0].1, FetchError::Status { attempts: 1, .. }),
        "404 is not retried: {error}"
    );
    assert!(
        error
            .to_string()
            .contains("HTTP 404 Not Found (after 1 attempt)"),
        "{error}"
    );

    let server = site.serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(500))
        .with_priority(1)
        .expect(3)
        .mount(&server)
        .await;
    let error = failing_sync_on(&server, |_| {}).await;
    assert!(
        error
            .to_string()
            .contains("HTTP 500 Internal Server Error (after 3 attempts)"),
        "{error}"
    );
}

#[tokio::test]
async fn malformed_yaml_is_an_error() {
    let site = Site::mirror();
    let page = site.text(SEED).replace(
        "      operationId: post_numbers_remote-pairing\n",
        "      operationId: [unclosed\n",
    );
    let error = failing_sync(site.with(SEED, page), |_| {}).await;
    assert!(
        matches!(
            error,
            SyncError::Page(pilot_status_codegen::docs::DocsError::Yaml { .. })
        ),
        "{error}"
    );
    assert!(error.to_string().contains("is not valid YAML"), "{error}");
}

#[tokio::test]
async fn a_fence_that_disagrees_with_its_content_is_an_error() {
    let site = Site::mirror();
    let page = site.text(SEED).replace(
        "````yaml openapi.json POST /v1/numbers/remote-pairing",
        "````yaml openapi.json POST /v1/numbers/pairing",
    );
    let error = failing_sync(site.with(SEED, page), |_| {}).await;
    assert!(
        error.to_string().contains(
            "names `POST /v1/numbers/pairing` but the block holds POST /v1/numbers/remote-pairing"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_truncated_page_is_an_error() {
    let site = Site::mirror();
    let text = site.text(SEED);
    let truncated = &text[..text.find("components:").unwrap()];
    let error = failing_sync(site.clone_with(SEED, truncated), |_| {}).await;
    assert!(
        error
            .to_string()
            .contains("is never closed (truncated page?)"),
        "{error}"
    );
}

#[tokio::test]
async fn conflicting_fragments_name_both_pages() {
    let site = Site::mirror();
    let twin = "playground/numbers/remote-pairing-copy.md";
    let copy = site.text(SEED).replace(
        "summary: Remote pairing (connection link)",
        "summary: Remote pairing (copy)",
    );
    let index = site.text("llms.txt")
        + &format!(
            "- [Copy](https://docs.pilotstatus.com.br/{twin}): the same operation, described differently\n"
        );
    let error = failing_sync(site.with(twin, copy).with("llms.txt", index), |_| {}).await;
    let message = error.to_string();
    assert!(message.starts_with("conflicting fragments: /paths/~1v1~1numbers~1remote-pairing/post is defined differently by"), "{message}");
    assert!(
        message.contains("remote-pairing-connection-link.md")
            && message.contains("remote-pairing-copy.md"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_an_error() {
    let mut bytes = Site::mirror().files[SEED].clone();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let error = failing_sync(Site::mirror().with(SEED, bytes), |_| {}).await;
    assert!(error.to_string().contains("is not UTF-8 text"), "{error}");
}

/// The mirror with one schema type misspelt (`strnig`): a spec that does not generate.
fn with_an_unknown_schema_type() -> Site {
    let site = Site::mirror();
    let page = site.text(SEED).replace(
        "                    type: string\n                  code:",
        "                    type: strnig\n                  code:",
    );
    site.with(SEED, page)
}

#[tokio::test]
async fn a_spec_that_does_not_generate_is_not_written() {
    let error = failing_sync(with_an_unknown_schema_type(), |_| {}).await;
    let message = error.to_string();
    assert!(message.starts_with("the synced spec cannot be generated: operation `post_numbers_remote-pairing` at /paths/"), "{message}");
    assert!(
        message.contains("unknown schema type \"strnig\""),
        "{message}"
    );
}

#[tokio::test]
async fn a_spec_that_does_not_generate_still_names_and_classifies_upstreams_change() {
    // A body the generator has no rule for: the sync stops, and says what upstream changed.
    let site = Site::mirror();
    let page = site.text(SEED).replacen(
        "        content:\n          application/json:\n            schema:",
        "        content:\n          multipart/mixed:\n            schema:",
        1,
    );
    let error = failing_sync(site.with(SEED, page), |_| {}).await;
    let message = error.to_string();
    assert!(
        message.contains("request bodies of type `multipart/mixed` are not supported"),
        "{message}"
    );
    assert!(
        message.contains(
            "upstream changes to its operations (from the documents alone):\n  ~ POST \
             /v1/numbers/remote-pairing (post_numbers_remote-pairing): body application/json \
             -> multipart/mixed  [BREAKING]\n"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn with_write_unbuildable_a_spec_that_does_not_generate_is_written_and_still_fails() {
    let server = with_an_unknown_schema_type().serve().await;
    let dir = scratch_with_vendored_spec();
    let mut options = options(dir.path(), &server);
    options.write_unbuildable = true;
    let error = xtask::sync::sync(&options)
        .await
        .expect_err("an unbuildable spec still fails the sync");
    assert!(
        matches!(error, xtask::sync::SyncError::GenerateWritten(..)),
        "{error}"
    );
    assert!(error.to_string().contains("written anyway"), "{error}");
    let written = std::fs::read_to_string(dir.path().join("openapi.json")).expect("openapi.json");
    assert!(
        written.contains("\"strnig\""),
        "the unbuildable spec was not written"
    );
    assert_ne!(written.as_bytes(), vendored_spec().as_slice());
}

#[tokio::test]
async fn a_flaky_page_is_retried() {
    let server = Site::mirror().serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert_eq!(outcome.summary.retries, 1);
    assert_eq!(
        std::fs::read(dir.path().join("openapi.json")).unwrap(),
        vendored_spec()
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_it_asks_for() {
    let server = Site::mirror().serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "did not wait for Retry-After"
    );
    assert_eq!(outcome.summary.retries, 1);
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_is_an_error() {
    let server = Site::mirror().serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .with_priority(1)
        .mount(&server)
        .await;
    let error = failing_sync_on(&server, |_| {}).await;
    assert!(
        error
            .to_string()
            .contains("retry after 3600s, longer than the 5s allowed"),
        "{error}"
    );
}

#[tokio::test]
async fn a_slow_page_times_out_and_is_retried() {
    let site = Site::mirror();
    let server = site.serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert_eq!(outcome.summary.retries, 1);

    let server = site.serve().await;
    Mock::given(method("GET"))
        .and(path(format!("/{SEED}")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .with_priority(1)
        .mount(&server)
        .await;
    let error = failing_sync_on(&server, |options| options.fetch.retries = 1).await;
    assert!(
        error
            .to_string()
            .contains("timed out after 1.5s (after 2 attempts)"),
        "{error}"
    );
}

#[tokio::test]
async fn pages_without_a_block_are_skipped_and_counted() {
    let site = Site::mirror();
    let empty = "playground/guides/what-is-a-playground.md";
    let index = site.text("llms.txt")
        + &format!(
            "- [About the playground](https://docs.pilotstatus.com.br/{empty}): prose under /playground\n"
        );
    let server = site
        .with(
            empty,
            "# About the playground\n\nTry calls from the browser.\n",
        )
        .with("llms.txt", index)
        .serve()
        .await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = sync(&options(dir.path(), &server)).await.unwrap();
    assert_eq!(outcome.summary.without_block.len(), 1);
    assert!(outcome.summary.without_block[0].ends_with(empty));
    assert!(
        outcome
            .summary
            .to_string()
            .contains("skipped 1 page(s) without an openapi.json block")
    );
    assert_eq!(
        std::fs::read(dir.path().join("openapi.json")).unwrap(),
        vendored_spec()
    );
}

#[tokio::test]
async fn portuguese_blocks_never_enter_the_spec() {
    // A pt-BR block on an English page is ignored as well as the pt-BR pages themselves.
    let site = Site::mirror();
    let pt = site.text("pt-BR/playground/numbers/pareamento-remoto-link-de-conex-o.md");
    let block = &pt[pt.find("````yaml").unwrap()..];
    let page = format!("{}\n{block}", site.text(SEED));
    let server = site.with(SEED, page).serve().await;
    let dir = tempfile::tempdir().unwrap();
    sync(&options(dir.path(), &server)).await.unwrap();
    let written = std::fs::read_to_string(dir.path().join("openapi.json")).unwrap();
    assert!(!written.contains("API Pilot Status") && !written.contains("Números"));
    assert_eq!(written.as_bytes(), vendored_spec());
}

#[tokio::test]
async fn relative_and_extensionless_links_are_followed() {
    let site = Site::mirror();
    let index = site.text("llms.txt").replace(
        "https://docs.pilotstatus.com.br/playground/numbers/remote-pairing-connection-link.md",
        "/playground/numbers/remote-pairing-connection-link",
    );
    let server = site.with("llms.txt", index).serve().await;
    let dir = tempfile::tempdir().unwrap();
    sync(&options(dir.path(), &server)).await.unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("openapi.json")).unwrap(),
        vendored_spec()
    );
}

#[tokio::test]
async fn a_stale_overlay_is_a_warning_and_with_strict_an_error() {
    let server = Site::mirror().serve().await;
    let dir = tempfile::tempdir().unwrap();
    events_table_in(dir.path());
    let overlays = dir.path().join("overlays");
    std::fs::create_dir(&overlays).unwrap();
    std::fs::write(
        overlays.join("99-gone.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/v1/fixed-upstream'].get\n    description: upstream fixed this one\n    update: {x-note: 1}\n",
    )
    .unwrap();
    let mut options = options(dir.path(), &server);
    options.overlays_dir = overlays.clone();
    let outcome = sync(&options).await.unwrap();
    assert_eq!(outcome.stale.len(), 1);
    assert_eq!(
        outcome.stale[0].to_string(),
        "overlays/99-gone.yaml, action 0: target `$.paths['/v1/fixed-upstream'].get` matches nothing (upstream fixed or moved it?): upstream fixed this one"
    );

    let before = snapshot(dir.path());
    std::fs::remove_file(dir.path().join("openapi.json")).unwrap();
    let before_without_spec = snapshot(dir.path());
    options.strict = true;
    let error = sync(&options).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("1 overlay action no longer matches anything (--strict)"),
        "{error}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before_without_spec,
        "nothing written with --strict"
    );
    assert!(before.contains_key("openapi.json"));
}

#[tokio::test]
async fn a_malformed_overlay_names_its_file_and_action() {
    let error = failing_sync(Site::mirror(), |options| {
        let overlays = options.spec_path.parent().unwrap().join("overlays");
        std::fs::create_dir_all(&overlays).unwrap();
        std::fs::write(
            overlays.join("01-bad.yaml"),
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    description: broken JSONPath\n    remove: true\n",
        )
        .unwrap();
        options.overlays_dir = overlays;
    })
    .await;
    assert!(
        error.to_string().starts_with("cannot read the overlays: overlays/01-bad.yaml, action 0: JSONPath `$.paths[` does not parse"),
        "{error}"
    );
}

/// The repository's design table, copied into `dir` so a test can edit it (with the events
/// table, which the mirror's events page needs).
fn design_in(dir: &std::path::Path) -> std::path::PathBuf {
    let design = events_table_in(dir);
    std::fs::copy(
        repository().join("design/operations.yaml"),
        design.join("operations.yaml"),
    )
    .unwrap();
    design
}

/// `dir/design` holding the repository's `events.yaml` alone: without it, every event the
/// mirror's events page names would be an event the table does not list.
fn events_table_in(dir: &std::path::Path) -> std::path::PathBuf {
    let design = dir.join("design");
    std::fs::create_dir_all(&design).unwrap();
    std::fs::copy(
        repository().join("design/events.yaml"),
        design.join("events.yaml"),
    )
    .unwrap();
    design
}

#[tokio::test]
async fn an_added_operation_is_generated_under_a_derived_name_and_reported_unnamed() {
    let site = Site::mirror();
    let page = site
        .text("playground/templates/delete-template.md")
        .replace("/v1/templates/{id}", "/v1/contacts/{id}")
        .replace("delete_templates_id", "delete_contacts_id")
        .replace("Delete template", "Delete contact");
    let index = site.text("llms.txt").replace(
        "- [Delete template]",
        "- [Delete contact](https://docs.pilotstatus.com.br/playground/contacts/delete-contact.md): Removes a contact.\n- [Delete template]",
    );
    let server = site
        .with("playground/contacts/delete-contact.md", page)
        .with("llms.txt", index)
        .serve()
        .await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(dir.path(), &server);
    options.overlays_dir = repository().join("overlays");
    options.design_dir = design_in(dir.path());
    let outcome = sync(&options).await.unwrap();
    assert!(
        outcome.written,
        "the spec with the new operation is written"
    );
    assert_eq!(
        outcome
            .unnamed
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "operation `delete_contacts_id` (DELETE /v1/contacts/{id}) has no entry in \
          design/operations.yaml: generated as `contacts.delete_contacts_id`"
        ]
    );
    assert!(
        outcome.stale_design.is_empty(),
        "{:?}",
        outcome.stale_design
    );
    let report = outcome.report.to_string();
    assert!(
        report.contains("DELETE /v1/contacts/{id} (contacts.delete_contacts_id"),
        "{report}"
    );
    // --strict is about stale entries: a new operation is never an error.
    options.strict = true;
    options.check = true;
    sync(&options).await.unwrap();
}

#[tokio::test]
async fn a_removed_operation_leaves_a_stale_design_entry() {
    let site = Site::mirror();
    let index: String = site
        .text("llms.txt")
        .lines()
        .filter(|line| !line.contains("playground/templates/delete-template.md"))
        .map(|line| format!("{line}\n"))
        .collect();
    let server = site.with("llms.txt", index).serve().await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(dir.path(), &server);
    options.overlays_dir = repository().join("overlays");
    options.design_dir = design_in(dir.path());
    let outcome = sync(&options).await.unwrap();
    assert_eq!(
        outcome
            .stale_design
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "design/operations.yaml, entry `delete_templates_id`: no operation has this upstream id \
          any more (it named `templates.delete`)"
        ]
    );
    assert!(outcome.unnamed.is_empty());

    std::fs::remove_file(dir.path().join("openapi.json")).unwrap();
    let before = snapshot(dir.path());
    options.strict = true;
    let error = sync(&options).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("1 design entry no longer matches anything (--strict)"),
        "{error}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "nothing written with --strict"
    );
}

/// The command on a mirror where upstream changed a modelled member: the report names the
/// model, the members, their old and new shapes and the class; the design entry that still
/// declares the removed member is named for review; `--check` exits 1 and writes nothing.
#[test]
fn the_command_reports_a_changed_modelled_member_and_check_fails() {
    let site = Site::mirror();
    let page = site
        .text(SEED)
        .replace(
            "                externalRef:\n                  type: string\n                  description: Optional external reference for correlation (META).\n                  example: customer-42\n",
            "",
        )
        .replace(
            "                sendViaWhatsApp:\n                  type: boolean",
            "                sendViaWhatsApp:\n                  type: string",
        );
    let mirror = tempfile::tempdir().unwrap();
    for (file, bytes) in &site.with(SEED, page).files {
        let to = mirror.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let dir = scratch_with_vendored_spec();
    let before = snapshot(dir.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["sync-spec", "--check", "--from-dir"])
        .arg(mirror.path())
        .arg("--spec")
        .arg(dir.path().join("openapi.json"))
        .output()
        .expect("the xtask binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for line in [
        "upstream changes at modelled places: 1 model (2 breaking changes for SDK users)",
        "  ~ RemotePairingInput (request: post_numbers_remote-pairing body)",
        "      ~ member `sendViaWhatsApp`: boolean -> string  [BREAKING]",
        "      - member `externalRef` (string, optional); models.yaml still declares it: review  [BREAKING]",
        "      - field externalRef -> external_ref: Option<String>  [BREAKING]",
        "      ~ field `sendViaWhatsApp`: Option<bool> -> Option<String>  [BREAKING]",
        "  design: design/models.yaml, entry `RemotePairingInput`: upstream removed `externalRef` from RemotePairingInput (no place documents it); models.yaml still declares it: review",
        "tests/snapshots/surface__surface.snap will change:",
        "-  externalRef -> external_ref: Option<String>",
        "+  sendViaWhatsApp -> send_via_whats_app: Option<String>",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing {line:?} in:\n{stdout}"
        );
    }
    assert_eq!(snapshot(dir.path()), before, "--check writes nothing");
}
