//! A docs site served on 127.0.0.1 for sync tests, built from the offline mirror.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::fetch::FetchOptions;
use xtask::sync::{Progress, SyncError, SyncOptions, sync};

/// The host the mirror's links name.
pub const LIVE_HOST: &str = "https://docs.pilotstatus.com.br";

pub fn repository() -> PathBuf {
    xtask::repository_root()
}

pub fn mirror() -> PathBuf {
    repository().join("xtask/fixtures/docs")
}

/// Every file of a directory, by its `/`-separated path.
pub fn files_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A site: files by path, served with links pointing at the server itself.
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    /// The offline mirror.
    pub fn mirror() -> Self {
        Self {
            files: files_of(&mirror()),
        }
    }

    /// Replaces (or adds) a file.
    pub fn with(mut self, path: &str, text: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_owned(), text.into());
        self
    }

    /// A copy of the site with one file replaced.
    pub fn clone_with(&self, path: &str, text: impl Into<Vec<u8>>) -> Self {
        Self {
            files: self.files.clone(),
        }
        .with(path, text)
    }

    /// Text of a file.
    pub fn text(&self, path: &str) -> String {
        String::from_utf8(self.files[path].clone()).unwrap()
    }

    /// Starts the server. Extra mocks (flaky pages) can be mounted on it afterwards with
    /// a higher priority than the files' ones.
    pub async fn serve(&self) -> MockServer {
        let server = MockServer::start().await;
        for (file, bytes) in &self.files {
            let body = match std::str::from_utf8(bytes) {
                Ok(text) => text.replace(LIVE_HOST, &server.uri()).into_bytes(),
                Err(_) => bytes.clone(),
            };
            Mock::given(method("GET"))
                .and(path(format!("/{file}")))
                .respond_with(ResponseTemplate::new(200).set_body_bytes(body))
                .with_priority(10)
                .mount(&server)
                .await;
        }
        server
    }
}

/// Sync options for a spec in `dir`, reading the index of `server`, with fast retries.
pub fn options(dir: &Path, server: &MockServer) -> SyncOptions {
    let mut options = SyncOptions::for_repository(dir);
    options.index = Url::parse(&format!("{}/llms.txt", server.uri())).unwrap();
    options.progress = Progress::Quiet;
    options.fetch = FetchOptions {
        concurrency: 4,
        timeout: Duration::from_millis(1500),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(5),
        ..FetchOptions::default()
    };
    options
}

/// A scratch directory holding a copy of the vendored spec files.
pub fn scratch_with_vendored_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["openapi.json", "openapi.sources.json"] {
        std::fs::copy(repository().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// The bytes of every file in `dir`, to prove a failed sync left it untouched.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_of(dir)
}

/// The repository's `openapi.json`.
pub fn vendored_spec() -> Vec<u8> {
    std::fs::read(repository().join("openapi.json")).unwrap()
}

/// Runs a sync that must fail, and checks it left the scratch directory untouched.
pub async fn failing_sync(site: Site, tweak: impl FnOnce(&mut SyncOptions)) -> SyncError {
    let server = site.serve().await;
    failing_sync_on(&server, tweak).await
}

pub async fn failing_sync_on(
    server: &wiremock::MockServer,
    tweak: impl FnOnce(&mut SyncOptions),
) -> SyncError {
    let dir = scratch_with_vendored_spec();
    let mut options = options(dir.path(), server);
    tweak(&mut options);
    let before = snapshot(dir.path());
    let error = sync(&options).await.expect_err("the sync should fail");
    let after = snapshot(dir.path());
    let touched: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|name| before.get(*name) != after.get(*name))
        .collect();
    assert!(
        touched.is_empty(),
        "a failed sync touched {touched:?}: {error}"
    );
    assert!(
        std::fs::read(dir.path().join("openapi.json")).unwrap() == vendored_spec(),
        "openapi.json changed"
    );
    error
}
