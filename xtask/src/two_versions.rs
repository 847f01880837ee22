//! `cargo xtask two-versions`: a user's dependency graph may hold two semver-incompatible
//! versions of the SDK (an app on the next major, a library it uses still on this one), so
//! the package must not claim anything only one copy per graph may have (`links`).
//!
//! The check packages `pilot-status-codegen` and `pilot-status` as `cargo publish` would
//! (`cargo package`), makes a copy of both re-versioned to a fake next major (`0.1.0` ->
//! `0.2.0`, the SDK's exact pin on its generator moved with it, as a release does), and
//! builds a scratch workspace whose library depends on this version and whose app depends on
//! the next one and on the library. Both come from `[patch.crates-io]`, so the requirements
//! are ordinary crates.io requirements (`=0.1.0`, `=0.2.0`). Everything else comes from the
//! local cargo cache (`--offline`: the repository's own builds fetched it), starting from the
//! repository's lockfile; the scratch build has its own target dir, wiped first (a clean debug
//! build without debug info, about three minutes on two cores) and removed once the check
//! passed. The app runs and prints both SDKs' user agents, which name their versions.
//!
//! Then a control: with `links = "pilot_status"` put back into both packaged manifests, cargo
//! must refuse the same graph, so the check fails if it ever stops testing what it claims to.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Why the check failed or could not run.
#[derive(Debug, thiserror::Error)]
pub enum TwoVersionsError {
    /// A file or directory of the scratch workspace could not be written or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A packaged manifest is not what `cargo package` writes.
    #[error("{path}: {message}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A command failed.
    #[error("`{command}` failed ({status}):\n{output}")]
    Command {
        /// The command line.
        command: String,
        /// How it ended.
        status: String,
        /// Its standard error (and output), for the log.
        output: String,
    },
    /// The scratch build ran but did not show two versions side by side.
    #[error("{0}")]
    Unexpected(String),
}

/// Where and how to run the check.
#[derive(Debug, Clone)]
pub struct TwoVersionsOptions {
    /// The repository (the crates to package).
    pub repository: PathBuf,
    /// The scratch directory (wiped first): packages, the workspace and its target dir.
    pub out: PathBuf,
}

/// What the check showed.
#[derive(Debug, Clone)]
pub struct TwoVersionsReport {
    /// The version in the repository.
    pub current: String,
    /// The fake next major.
    pub next: String,
    /// What the app printed: one user agent per SDK version.
    pub app_output: String,
    /// The clean `cargo build` of the scratch workspace.
    pub build: Duration,
    /// What cargo said when `links` was put back (the control).
    pub control: String,
}

const CODEGEN: &str = "pilot-status-codegen";
const SDK: &str = "pilot-status";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TwoVersionsError + '_ {
    move |source| TwoVersionsError::Io {
        path: path.to_owned(),
        source,
    }
}

fn manifest_error(path: &Path, message: impl Into<String>) -> TwoVersionsError {
    TwoVersionsError::Manifest {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Runs `command`; its output on success, an error carrying it otherwise.
fn run_command(mut command: Command) -> Result<Output, TwoVersionsError> {
    let line = format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("  $ {line}");
    let output = command.output().map_err(|source| TwoVersionsError::Io {
        path: PathBuf::from(command.get_program()),
        source,
    })?;
    if output.status.success() {
        return Ok(output);
    }
    Err(TwoVersionsError::Command {
        command: line,
        status: output.status.to_string(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    })
}

/// `cargo` in `dir`, without the caller's flags that would change what is built.
fn cargo(dir: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR");
    command
}

fn remove(path: &Path) -> Result<(), TwoVersionsError> {
    match std::fs::remove_dir_all(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io(path)(error)),
        _ => Ok(()),
    }
}

fn write(path: &Path, contents: &str) -> Result<(), TwoVersionsError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, contents).map_err(io(path))
}

/// The next semver-incompatible version: `0.1.0` -> `0.2.0`, `1.4.2` -> `2.0.0`.
pub fn next_major(version: &str) -> Option<String> {
    let mut parts = version.split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let minor: u64 = parts.next()?.parse().ok()?;
    let patch = parts.next()?;
    if parts.next().is_some() || patch.is_empty() {
        return None;
    }
    Some(if major == 0 {
        format!("0.{}.0", minor + 1)
    } else {
        format!("{}.0.0", major + 1)
    })
}

fn read_manifest(path: &Path) -> Result<toml::Table, TwoVersionsError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    text.parse::<toml::Table>()
        .map_err(|error| manifest_error(path, format!("does not parse: {error}")))
}

fn write_manifest(path: &Path, manifest: &toml::Table) -> Result<(), TwoVersionsError> {
    let text = toml::to_string(manifest)
        .map_err(|error| manifest_error(path, format!("cannot be written: {error}")))?;
    write(path, &text)
}

/// The `[package]` table of a manifest.
fn package<'a>(
    manifest: &'a mut toml::Table,
    path: &Path,
) -> Result<&'a mut toml::Table, TwoVersionsError> {
    manifest
        .get_mut("package")
        .and_then(toml::Value::as_table_mut)
        .ok_or_else(|| manifest_error(path, "has no [package] table"))
}

/// Sets the package's version to `version` and every requirement on the generator crate to
/// exactly `codegen_version` (the SDK pins its generator exactly; a release moves the pin).
fn reversion(path: &Path, version: &str, codegen_version: &str) -> Result<(), TwoVersionsError> {
    let mut manifest = read_manifest(path)?;
    package(&mut manifest, path)?.insert("version".to_owned(), version.into());
    for section in ["dependencies", "build-dependencies", "dev-dependencies"] {
        let Some(dependency) = manifest
            .get_mut(section)
            .and_then(toml::Value::as_table_mut)
            .and_then(|table| table.get_mut(CODEGEN))
        else {
            continue;
        };
        match dependency {
            toml::Value::Table(table) => {
                table.insert("version".to_owned(), format!("={codegen_version}").into());
            }
            other => *other = format!("={codegen_version}").into(),
        }
    }
    write_manifest(path, &manifest)
}

/// The version `cargo package` wrote into a packaged manifest.
fn version_of(path: &Path) -> Result<String, TwoVersionsError> {
    let mut manifest = read_manifest(path)?;
    package(&mut manifest, path)?
        .get("version")
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| manifest_error(path, "has no package.version"))
}

/// Copies a directory tree (the extracted packages: files and directories only).
fn copy_tree(from: &Path, to: &Path) -> Result<(), TwoVersionsError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io(&source))?.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(io(&source))?;
        }
    }
    Ok(())
}

/// The library still on this version, the app on the next one: the graph a user gets when
/// they upgrade before one of their dependencies does.
fn write_workspace(
    workspace: &Path,
    vendor: &Path,
    repository: &Path,
    current: &str,
    next: &str,
) -> Result<(), TwoVersionsError> {
    let patch = |name: &str, version: &str| {
        format!(
            "{:?}",
            vendor
                .join(format!("{name}-{version}"))
                .display()
                .to_string()
        )
    };
    write(
        &workspace.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [\"app\", \"library\"]\nresolver = \"3\"\n\n\
             # The packaged crates, as crates.io would serve them: this version and a fake next\n\
             # major (the same files, re-versioned).\n\
             [patch.crates-io]\n\
             {SDK} = {{ path = {} }}\n\
             {SDK}-next = {{ package = \"{SDK}\", path = {} }}\n\
             {CODEGEN} = {{ path = {} }}\n\
             {CODEGEN}-next = {{ package = \"{CODEGEN}\", path = {} }}\n",
            patch(SDK, current),
            patch(SDK, next),
            patch(CODEGEN, current),
            patch(CODEGEN, next),
        ),
    )?;
    write(
        &workspace.join("library/Cargo.toml"),
        &format!(
            "[package]\nname = \"library\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{SDK} = \"={current}\"\n"
        ),
    )?;
    write(
        &workspace.join("library/src/lib.rs"),
        &format!(
            "//! A library still on {SDK} {current}.\n\n\
             /// A client of {SDK} {current}.\n\
             pub fn client(key: &str) -> Result<pilot_status::Client, pilot_status::Error> {{\n    \
                 pilot_status::Client::new(key)\n\
             }}\n\n\
             /// The user agent of {SDK} {current}, which names its version.\n\
             pub fn user_agent() -> String {{\n    pilot_status::default_user_agent()\n}}\n"
        ),
    )?;
    write(
        &workspace.join("app/Cargo.toml"),
        &format!(
            "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{SDK} = \"={next}\"\nlibrary = {{ path = \"../library\" }}\n"
        ),
    )?;
    write(
        &workspace.join("app/src/main.rs"),
        "//! An app on the next major of the SDK that uses a library still on this one.\n\n\
         fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
             // Two distinct client types, one per version, in one program.\n    \
             let _from_library = library::client(\"ps_key\")?;\n    \
             let _own: pilot_status::Client = pilot_status::Client::new(\"ps_key\")?;\n    \
             println!(\"library: {}\", library::user_agent());\n    \
             println!(\"app: {}\", pilot_status::default_user_agent());\n    \
             Ok(())\n\
         }\n",
    )?;
    // Start from the repository's versions (all in the local cache); cargo trims the rest.
    let lockfile = repository.join("Cargo.lock");
    std::fs::copy(&lockfile, workspace.join("Cargo.lock")).map_err(io(&lockfile))?;
    Ok(())
}

/// Packages, re-versions, builds and runs; then the control.
pub fn run(options: &TwoVersionsOptions) -> Result<TwoVersionsReport, TwoVersionsError> {
    let out = &options.out;
    remove(out)?;
    let package_target = out.join("package-target");
    let vendor = out.join("vendor");
    let workspace = out.join("workspace");
    let target = out.join("target");
    std::fs::create_dir_all(&vendor).map_err(io(&vendor))?;

    eprintln!("packaging {CODEGEN} and {SDK} (as cargo publish would, without verifying)");
    let mut packaging = cargo(&options.repository);
    packaging
        .args([
            "package",
            "--no-verify",
            "--allow-dirty",
            "--locked",
            "--offline",
        ])
        .args([
            "--quiet",
            "--package",
            CODEGEN,
            "--package",
            SDK,
            "--target-dir",
        ])
        .arg(&package_target);
    run_command(packaging)?;

    let sdk_manifest = |version: &str| vendor.join(format!("{SDK}-{version}/Cargo.toml"));
    let codegen_manifest = |version: &str| vendor.join(format!("{CODEGEN}-{version}/Cargo.toml"));
    let packaged = package_target.join("package");
    let mut current = None;
    for name in [CODEGEN, SDK] {
        let crate_file = std::fs::read_dir(&packaged)
            .map_err(io(&packaged))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| {
                path.file_name()
                    .and_then(|file| file.to_str())
                    .and_then(|file| file.strip_prefix(&format!("{name}-")))
                    .and_then(|rest| rest.strip_suffix(".crate"))
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            })
            .ok_or_else(|| {
                TwoVersionsError::Unexpected(format!(
                    "cargo package wrote no {name}-<version>.crate in {}",
                    packaged.display()
                ))
            })?;
        let mut untar = Command::new("tar");
        untar.arg("-xzf").arg(&crate_file).arg("-C").arg(&vendor);
        run_command(untar)?;
        if name == SDK {
            let Some(file) = crate_file.file_stem().and_then(|stem| stem.to_str()) else {
                continue;
            };
            current = file.strip_prefix(&format!("{SDK}-")).map(str::to_owned);
        }
    }
    let current = current.ok_or_else(|| {
        TwoVersionsError::Unexpected(format!("no {SDK} package in {}", packaged.display()))
    })?;
    let stated = version_of(&sdk_manifest(&current))?;
    if stated != current {
        return Err(TwoVersionsError::Unexpected(format!(
            "{SDK}-{current}.crate says version {stated}"
        )));
    }
    let next = next_major(&current).ok_or_else(|| {
        TwoVersionsError::Unexpected(format!(
            "{SDK}'s version {current} is not major.minor.patch"
        ))
    })?;
    for name in [CODEGEN, SDK] {
        let from = vendor.join(format!("{name}-{current}"));
        let to = vendor.join(format!("{name}-{next}"));
        copy_tree(&from, &to)?;
    }
    reversion(&codegen_manifest(&next), &next, &next)?;
    reversion(&sdk_manifest(&next), &next, &next)?;
    eprintln!(
        "{SDK} {current} and a fake next major, {next}, in {}",
        vendor.display()
    );

    write_workspace(&workspace, &vendor, &options.repository, &current, &next)?;
    eprintln!("building the scratch workspace (its own target dir, offline)");
    let mut build = cargo(&workspace);
    build
        .args([
            "build",
            "--offline",
            "--quiet",
            "--package",
            "app",
            "--target-dir",
        ])
        .arg(&target)
        // A build made once and thrown away: no incremental caches, no debug info (the same
        // crates compile and link, in less time and space).
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    let started = Instant::now();
    run_command(build)?;
    let build_time = started.elapsed();

    let binary = target
        .join("debug")
        .join(format!("app{}", std::env::consts::EXE_SUFFIX));
    let app_output = String::from_utf8_lossy(&run_command(Command::new(&binary))?.stdout)
        .trim_end()
        .to_owned();
    for (who, version) in [("library", &current), ("app", &next)] {
        let expected = format!("{who}: pilot-status-rs/{version}");
        if !app_output.lines().any(|line| line == expected) {
            return Err(TwoVersionsError::Unexpected(format!(
                "the app printed\n{app_output}\nand not `{expected}`: the graph does not hold \
                 {SDK} {current} and {next} side by side"
            )));
        }
    }

    // Shown: the scratch build (a gigabyte) goes; on a failure it stays, to look into.
    remove(&target)?;

    // The control: what this check exists for must still fail it.
    for version in [&current, &next] {
        let path = sdk_manifest(version);
        let mut manifest = read_manifest(&path)?;
        package(&mut manifest, &path)?.insert("links".to_owned(), "pilot_status".into());
        write_manifest(&path, &manifest)?;
    }
    let mut metadata = cargo(&workspace);
    metadata.args(["metadata", "--offline", "--format-version", "1"]);
    let control = match run_command(metadata) {
        Ok(_) => {
            return Err(TwoVersionsError::Unexpected(format!(
                "control: with `links = \"pilot_status\"` in both packaged manifests cargo still \
                 resolved {SDK} {current} and {next} together, so this check no longer tests \
                 what it says"
            )));
        }
        Err(TwoVersionsError::Command { output, .. }) if output.contains("links") => output
            .lines()
            .find(|line| line.contains("links"))
            .unwrap_or_default()
            .trim()
            .to_owned(),
        Err(error) => return Err(error),
    };
    Ok(TwoVersionsReport {
        current,
        next,
        app_output,
        build: build_time,
        control,
    })
}

#[cfg(test)]
mod tests {
    use super::next_major;

    #[test]
    fn the_next_major_is_the_next_semver_incompatible_version() {
        assert_eq!(next_major("0.1.0").as_deref(), Some("0.2.0"));
        assert_eq!(next_major("0.9.3").as_deref(), Some("0.10.0"));
        assert_eq!(next_major("1.4.2").as_deref(), Some("2.0.0"));
        assert_eq!(next_major("1.4"), None);
        assert_eq!(next_major("1.4.2.1"), None);
    }
}
