//! Generates the client from `openapi.json`, the corrections in `overlays/` and the
//! designed surface in `design/` into `OUT_DIR/client.rs`.
//!
//! All the work is in the `pilot-status-spec` crate, which `cargo xtask` shares, so the
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
    let generated = pilot_status_spec::Inputs::read(Path::new(".")).and_then(|inputs| {
        pilot_status_spec::generate_client(&inputs.spec, &inputs.overlays, &inputs.design)
    });
    let source = match generated {
        Ok(source) => source,
        Err(error) => {
            eprintln!(
                "error: cannot generate the Pilot Status client from openapi.json, overlays/ and design/"
            );
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
