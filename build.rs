//! Generates the client from `openapi.json`, the corrections in `overlays/` and the
//! designed surface in `design/` into `OUT_DIR/client.rs`, and the payload types of the
//! webhook events (the spec's `webhooks`, `design/events.yaml`) into `OUT_DIR/events.rs`;
//! with the `mock` feature, its typed
//! mocks into `OUT_DIR/mock.rs`; with the `cli` feature, the command table of
//! `pilot-status-cli` into `OUT_DIR/cli.rs`, as a doc-hidden exported macro
//! (`pilot_status::__cli_commands!`) that the CLI expands in its own crate: the CLI is
//! generated from this package's inputs, the one copy of the spec, and needs no build script.
//!
//! All the work is in the `pilot-status-codegen` crate, which `cargo xtask` shares, so the
//! snapshots show exactly what is compiled here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // The spec, its corrections and the design are the only inputs: unchanged, they never
    // re-run generation.
    println!("cargo:rerun-if-changed=openapi.json");
    println!("cargo:rerun-if-changed=overlays");
    println!("cargo:rerun-if-changed=design");

    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: cargo did not set OUT_DIR");
        return ExitCode::FAILURE;
    };
    // The features `mock` and `cli` turn on the generator crate's features of those names,
    // which add the mocks and the command table to its output (and compile their generators).
    let outputs = match pilot_status_codegen::Inputs::read(Path::new("."))
        .and_then(|inputs| inputs.generate_for_build())
    {
        Ok(outputs) => outputs,
        Err(error) => {
            eprintln!(
                "error: cannot generate the Pilot Status client from openapi.json, overlays/ and design/"
            );
            eprintln!("  {error}");
            return ExitCode::FAILURE;
        }
    };
    let files = [
        ("client.rs", Some(outputs.client)),
        ("events.rs", Some(outputs.events)),
        ("mock.rs", outputs.mocks),
        ("cli.rs", outputs.cli),
    ];
    for (name, source) in files {
        let Some(source) = source else { continue };
        let target = out_dir.join(name);
        if let Err(error) = std::fs::write(&target, source) {
            eprintln!("error: cannot write {}: {error}", target.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
