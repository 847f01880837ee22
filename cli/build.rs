//! Copies the command table of `pilot-status` into `OUT_DIR/commands.rs`. The SDK's build
//! script generates it (feature `cli`) from the SDK's `openapi.json`, `overlays/` and
//! `design/`, the same inputs, pipeline and builder types as the client, and names the file
//! in `DEP_PILOT_STATUS_CLI_COMMANDS`: this package carries no copy of the spec.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rerun-if-env-changed=DEP_PILOT_STATUS_CLI_COMMANDS");
    let Some(source) = std::env::var_os("DEP_PILOT_STATUS_CLI_COMMANDS").map(PathBuf::from) else {
        eprintln!(
            "error: the pilot-status dependency did not generate the command table \
             (DEP_PILOT_STATUS_CLI_COMMANDS is unset: is its `cli` feature on?)"
        );
        return ExitCode::FAILURE;
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: cargo did not set OUT_DIR");
        return ExitCode::FAILURE;
    };
    println!("cargo::rerun-if-changed={}", source.display());
    let target = out_dir.join("commands.rs");
    if let Err(error) = std::fs::copy(&source, &target) {
        eprintln!(
            "error: cannot copy {} to {}: {error}",
            source.display(),
            target.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
