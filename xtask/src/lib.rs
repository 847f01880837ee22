//! The library behind `cargo xtask` (a library so that tests and benchmarks drive it).

pub mod bench_build;
pub mod fetch;
pub mod readme;
pub mod sync;
pub mod two_versions;

use std::path::PathBuf;

/// The repository root (the parent of this crate's directory).
pub fn repository_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
