//! Generates the client from `openapi.json`, the corrections in `overlays/` and the
//! designed surface in `design/` into `OUT_DIR/client.rs`; with the `mock` feature, its typed
//! mocks into `OUT_DIR/mock.rs`; with the `cli` feature, the command table of
//! `pilot-status-cli` into `OUT_DIR/cli.rs`, whose path it hands to that crate's build script
//! (`DEP_PILOT_STATUS_CLI_COMMANDS`): the CLI is generated from this package's inputs, the one
//! copy of the spec.
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
    // The generator crate compiles the mock and CLI generators only when the features of
    // those names ask (they enable its features of the same names).
    let inputs = match pilot_status_codegen::Inputs::read(Path::new(".")) {
        Ok(inputs) => inputs,
        Err(error) => return fail("read openapi.json, overlays/ and design/", &error),
    };
    #[cfg(feature = "mock")]
    let (client, mocks) = match pilot_status_codegen::generate_client_and_mocks(
        &inputs.spec,
        &inputs.overlays,
        &inputs.design,
    ) {
        Ok((client, mocks)) => (client, Some(mocks)),
        Err(error) => return fail(GENERATE_CLIENT, &error),
    };
    #[cfg(not(feature = "mock"))]
    let (client, mocks) =
        match pilot_status_codegen::generate_client(&inputs.spec, &inputs.overlays, &inputs.design)
        {
            Ok(client) => (client, None),
            Err(error) => return fail(GENERATE_CLIENT, &error),
        };
    #[cfg(feature = "cli")]
    let cli = match pilot_status_codegen::generate_cli(&inputs) {
        Ok(source) => {
            println!(
                "cargo::metadata=cli_commands={}",
                out_dir.join("cli.rs").display()
            );
            Some(source)
        }
        Err(error) => return fail("generate the pilot-status commands", &error),
    };
    #[cfg(not(feature = "cli"))]
    let cli: Option<String> = None;
    let files = [
        ("client.rs", Some(client)),
        ("mock.rs", mocks),
        ("cli.rs", cli),
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

const GENERATE_CLIENT: &str =
    "generate the Pilot Status client from openapi.json, overlays/ and design/";

/// Prints why generation failed; the build fails.
fn fail(what: &str, error: &pilot_status_codegen::SpecError) -> ExitCode {
    eprintln!("error: cannot {what}");
    eprintln!("  {error}");
    ExitCode::FAILURE
}
