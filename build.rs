//! Generates the client from `openapi.json` into `OUT_DIR/client.rs`.
//!
//! All the work is in the `pilot-status-spec` crate, which `cargo xtask` shares, so the
//! snapshots show exactly what is compiled here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Only the spec is an input: an unchanged spec never re-runs generation.
    println!("cargo:rerun-if-changed=openapi.json");

    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: cargo did not set OUT_DIR");
        return ExitCode::FAILURE;
    };
    let source = match pilot_status_spec::generate_client_from_file(Path::new("openapi.json")) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("error: cannot generate the Pilot Status client from openapi.json");
            eprintln!("  {error}");
            return ExitCode::FAILURE;
        }
    };
    let target = out_dir.join("client.rs");
    if let Err(error) = std::fs::write(&target, source) {
        eprintln!("error: cannot write {}: {error}", target.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
