//! `cargo xtask bench-build`: what the SDK costs a user's build. Two one-call apps, one on
//! the SDK (`client.messages().get(id)`) and one on reqwest alone (the SDK's reqwest
//! features, serde, tokio), are built side by side, alternating, each in a fresh target dir:
//! clean `cargo build`, clean `cargo check`, the target dir's size, and the `pilot-status`
//! crate alone (its build script and library, rebuilt non-incrementally after
//! `cargo clean -p pilot-status`). With `--install`, also `cargo install --locked` of the CLI.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file of the scratch apps could not be written or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The client could not be generated (to count its lines).
    #[error("cannot generate the client: {0}")]
    Generate(#[from] pilot_status_codegen::SpecError),
    /// A cargo command failed.
    #[error("`{command}` failed ({status}); its output is above")]
    Cargo {
        /// The command line.
        command: String,
        /// How it ended.
        status: String,
    },
}

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The repository (the SDK the app depends on).
    pub repository: PathBuf,
    /// Where the apps and their target dirs go (wiped first).
    pub out: PathBuf,
    /// Pairs of measurements per figure (the median is reported).
    pub rounds: usize,
    /// Also time `cargo install --locked` of the CLI.
    pub install: bool,
    /// Pass `--offline` to cargo.
    pub offline: bool,
}

/// The two apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum App {
    Sdk,
    Reqwest,
}

impl App {
    fn name(self) -> &'static str {
        match self {
            App::Sdk => "sdk-app",
            App::Reqwest => "reqwest-app",
        }
    }
}

/// One app's measurements, one per round (the table shows their medians).
#[derive(Debug, Clone, Default)]
struct Figures {
    build: Vec<Duration>,
    check: Vec<Duration>,
    target_bytes: Vec<u64>,
}

/// Everything measured.
#[derive(Debug, Clone)]
pub struct BenchResult {
    sdk: Figures,
    reqwest: Figures,
    sdk_crate_alone: Vec<Duration>,
    install: Option<Duration>,
    generated_lines: usize,
}

/// The SDK app: one call, as the README's first lines make it.
const SDK_MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = pilot_status::Client::new(std::env::var("PILOT_STATUS_API_KEY")?)?;
    let message = client.messages().get("msg_01").await?;
    println!("{} {}", message.id, message.status);
    Ok(())
}
"#;

/// The same call on reqwest alone: the request, the key header and a typed body.
const REQWEST_MAIN: &str = r#"#[derive(serde::Deserialize)]
struct Message {
    id: String,
    status: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("PILOT_STATUS_API_KEY")?;
    let message: Message = reqwest::Client::new()
        .get("https://pilotstatus.com.br/v1/messages/msg_01")
        .header("x-api-key", key)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{} {}", message.id, message.status);
    Ok(())
}
"#;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BenchError + '_ {
    move |source| BenchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes both apps under `options.out`, each its own workspace starting from the
/// repository's lockfile (cargo trims it to the app and keeps its versions), so both build
/// the same versions of what they share.
fn write_apps(options: &BenchOptions) -> Result<(), BenchError> {
    let lockfile = options.repository.join("Cargo.lock");
    let lock = std::fs::read(&lockfile).map_err(io(&lockfile))?;
    let sdk_dependency = format!(
        "pilot-status = {{ path = {:?} }}",
        options.repository.display().to_string()
    );
    // The SDK's own reqwest features (the workspace's reqwest line, plus its default TLS).
    let reqwest_dependency = "reqwest = { version = \"0.13.5\", default-features = false, \
         features = [\"json\", \"query\", \"stream\", \"http2\", \"charset\", \"rustls\"] }";
    for (app, dependency, main) in [
        (App::Sdk, sdk_dependency.as_str(), SDK_MAIN),
        (
            App::Reqwest,
            &format!(
                "{reqwest_dependency}\nserde = {{ version = \"1\", features = [\"derive\"] }}"
            ),
            REQWEST_MAIN,
        ),
    ] {
        let dir = options.out.join(app.name());
        let src = dir.join("src");
        std::fs::create_dir_all(&src).map_err(io(&src))?;
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{dependency}\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n\
             # Its own workspace, not the repository's.\n[workspace]\n",
            app.name()
        );
        for (path, contents) in [
            (dir.join("Cargo.toml"), manifest.into_bytes()),
            (src.join("main.rs"), main.as_bytes().to_vec()),
            (dir.join("Cargo.lock"), lock.clone()),
        ] {
            std::fs::write(&path, contents).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// Runs `cargo <args>` in `dir` with `target` as its target dir and returns the wall time.
fn cargo(
    options: &BenchOptions,
    dir: &Path,
    target: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<Duration, BenchError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    if options.offline {
        command.arg("--offline");
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let line = format!("cargo {}", args.join(" "));
    eprintln!("  {} $ {line}", dir.display());
    let start = Instant::now();
    let status = command.status().map_err(|source| BenchError::Io {
        path: PathBuf::from("cargo"),
        source,
    })?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(BenchError::Cargo {
            command: line,
            status: status.to_string(),
        });
    }
    Ok(elapsed)
}

fn remove(path: &Path) -> Result<(), BenchError> {
    match std::fs::remove_dir_all(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io(path)(error)),
        _ => Ok(()),
    }
}

/// The bytes of every file under `path`.
fn size_of(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => size_of(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

/// Builds the apps `options.rounds` times each, alternating which goes first.
pub fn run(options: &BenchOptions) -> Result<BenchResult, BenchError> {
    remove(&options.out)?;
    write_apps(options)?;
    let mut sdk = Figures::default();
    let mut reqwest = Figures::default();
    let mut sdk_crate_alone = Vec::new();
    for round in 0..options.rounds {
        let order = if round % 2 == 0 {
            [App::Sdk, App::Reqwest]
        } else {
            [App::Reqwest, App::Sdk]
        };
        for app in order {
            let dir = options.out.join(app.name());
            let target = options.out.join(format!("{}-target", app.name()));
            let figures = if app == App::Sdk {
                &mut sdk
            } else {
                &mut reqwest
            };
            eprintln!("round {} of {}: {}", round + 1, options.rounds, app.name());
            remove(&target)?;
            figures
                .check
                .push(cargo(options, &dir, &target, &["check"], &[])?);
            remove(&target)?;
            figures
                .build
                .push(cargo(options, &dir, &target, &["build"], &[])?);
            figures.target_bytes.push(size_of(&target));
            if app == App::Sdk {
                cargo(
                    options,
                    &dir,
                    &target,
                    &["clean", "--package", "pilot-status"],
                    &[],
                )?;
                sdk_crate_alone.push(cargo(
                    options,
                    &dir,
                    &target,
                    &["build"],
                    &[("CARGO_INCREMENTAL", "0")],
                )?);
            }
            remove(&target)?;
        }
    }
    let install = if options.install {
        let target = options.out.join("install-target");
        let root = options.out.join("install-root");
        let cli = options.repository.join("cli");
        let path = cli.display().to_string();
        let root_arg = root.display().to_string();
        let took = cargo(
            options,
            &options.repository,
            &target,
            &["install", "--locked", "--path", &path, "--root", &root_arg],
            &[],
        )?;
        remove(&target)?;
        Some(took)
    } else {
        None
    };
    let generated_lines = pilot_status_codegen::Inputs::read(&options.repository)?
        .generate_for_build()?
        .client
        .lines()
        .count();
    Ok(BenchResult {
        sdk,
        reqwest,
        sdk_crate_alone,
        install,
        generated_lines,
    })
}

fn median<T: Copy + Ord>(values: &[T]) -> Option<T> {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied()
}

fn seconds(duration: Option<Duration>) -> String {
    duration.map_or("-".to_owned(), |d| format!("{:.1} s", d.as_secs_f64()))
}

fn ratio(sdk: Option<f64>, reqwest: Option<f64>) -> String {
    match (sdk, reqwest) {
        (Some(sdk), Some(reqwest)) if reqwest > 0.0 => format!("{:.2}", sdk / reqwest),
        _ => "-".to_owned(),
    }
}

impl BenchResult {
    /// The figures as a Markdown table (medians), for the maintainers' guide.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let time = |values: &[Duration]| median(values);
        let secs = |values: &[Duration]| time(values).map(|d| d.as_secs_f64());
        let mib = |values: &[u64]| median(values).map(|b| b as f64 / (1024.0 * 1024.0));
        let _ = writeln!(out, "| measure | SDK app | reqwest app | ratio |");
        let _ = writeln!(out, "|---|---|---|---|");
        for (label, sdk, reqwest) in [
            (
                "clean `cargo build` (debug)",
                &self.sdk.build,
                &self.reqwest.build,
            ),
            ("clean `cargo check`", &self.sdk.check, &self.reqwest.check),
        ] {
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} |",
                seconds(time(sdk)),
                seconds(time(reqwest)),
                ratio(secs(sdk), secs(reqwest))
            );
        }
        let (sdk_mib, reqwest_mib) = (mib(&self.sdk.target_bytes), mib(&self.reqwest.target_bytes));
        let _ = writeln!(
            out,
            "| target dir after the build | {} | {} | {} |",
            sdk_mib.map_or("-".to_owned(), |m| format!("{m:.0} MiB")),
            reqwest_mib.map_or("-".to_owned(), |m| format!("{m:.0} MiB")),
            ratio(sdk_mib, reqwest_mib)
        );
        let _ = writeln!(
            out,
            "| the `pilot-status` crate alone, non-incremental | {} | - | - |",
            seconds(time(&self.sdk_crate_alone))
        );
        if let Some(install) = self.install {
            let _ = writeln!(
                out,
                "| `cargo install --locked` of the CLI | {} | - | - |",
                seconds(Some(install))
            );
        }
        let _ = writeln!(
            out,
            "\n{} rounds, medians; generated client: {} lines.",
            self.sdk.build.len(),
            self.generated_lines
        );
        out
    }
}
