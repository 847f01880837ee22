//! Generates the client from `openapi.json`, the corrections in `overlays/` and the
//! designed surface in `design/` into `OUT_DIR/client.rs`, and, with the `mock` feature,
//! its typed mocks into `OUT_DIR/mock.rs`.
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
    // Cargo sets CARGO_FEATURE_<NAME> for each enabled feature (and re-runs the script when
    // the set changes).
    let mocks = std::env::var_os("CARGO_FEATURE_MOCK").is_some();
    let generated = pilot_status_codegen::Inputs::read(Path::new(".")).and_then(|inputs| {
        if mocks {
            pilot_status_codegen::generate_client_and_mocks(
                &inputs.spec,
                &inputs.overlays,
                &inputs.design,
            )
            .map(|(client, mocks)| (client, Some(mocks)))
        } else {
            pilot_status_codegen::generate_client(&inputs.spec, &inputs.overlays, &inputs.design)
                .map(|client| (client, None))
        }
    });
    let (client, mocks) = match generated {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!(
                "error: cannot generate the Pilot Status client from openapi.json, overlays/ and design/"
            );
            eprintln!("  {error}");
            return ExitCode::FAILURE;
        }
    };
    let files = [("client.rs", Some(client)), ("mock.rs", mocks)];
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
