//! Generates the command table and the call functions of `pilot-status` into
//! `OUT_DIR/commands.rs`, from the repository's `openapi.json`, `overlays/` and `design/`:
//! the same inputs, pipeline and builder types as the SDK's own `build.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        eprintln!("error: cargo did not set CARGO_MANIFEST_DIR");
        return ExitCode::FAILURE;
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: cargo did not set OUT_DIR");
        return ExitCode::FAILURE;
    };
    // The SDK's inputs, one directory up.
    let root = manifest_dir.join("..");
    for input in ["openapi.json", "overlays", "design"] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    let generated = pilot_status_codegen::Inputs::read(Path::new(&root))
        .and_then(|inputs| pilot_status_codegen::generate_cli(&inputs));
    let source = match generated {
        Ok(source) => source,
        Err(error) => {
            eprintln!(
                "error: cannot generate the pilot-status commands from openapi.json, overlays/ and design/"
            );
            eprintln!("  {error}");
            return ExitCode::FAILURE;
        }
    };
    let target = out_dir.join("commands.rs");
    if let Err(error) = std::fs::write(&target, source) {
        eprintln!("error: cannot write {}: {error}", target.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
