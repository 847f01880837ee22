//! `cargo xtask`: maintenance commands of the pilot-status repository.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use url::Url;
use xtask::fetch::{DEFAULT_CONCURRENCY, DEFAULT_MAX_PAGE_SIZE, FetchOptions};
use xtask::sync::{DEFAULT_INDEX, EVENTS_SNAPSHOT, Progress, SURFACE_SNAPSHOT, SyncOptions};

/// Exit status of a command that failed (bad input, network, conflicts).
const FAILURE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintenance commands of pilot-status-rs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rebuild openapi.json from the docs site's llms.txt and report what changed.
    ///
    /// Exit status: 0 done (or nothing to do), 1 with --check when the spec would change or
    /// a reviewed overlay action or design entry no longer matches upstream, 2 on any error
    /// (nothing is written then, except with --write-unbuildable).
    SyncSpec {
        /// The docs index (llms.txt).
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: Url,
        /// Read the site from an offline mirror directory (llms.txt + pages) instead.
        #[arg(long, value_name = "DIR")]
        from_dir: Option<PathBuf>,
        /// Write nothing; exit 1 when openapi.json (or its provenance) would change, or an
        /// overlay action or design entry no longer matches upstream.
        #[arg(long)]
        check: bool,
        /// Pages fetched at once.
        #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..))]
        concurrency: u16,
        /// Seconds allowed for each request.
        #[arg(long, value_name = "S", default_value_t = FetchOptions::default().timeout.as_secs_f64())]
        timeout: f64,
        /// Fail (writing nothing) when an overlay action or a design entry no longer matches
        /// anything.
        #[arg(long)]
        strict: bool,
        /// Write the synced spec even when it does not generate a client (still exit 2,
        /// naming why), so that a scheduled job can propose the change and show the failure.
        #[arg(long, conflicts_with = "check")]
        write_unbuildable: bool,
        /// Retries per page after the first attempt.
        #[arg(long, default_value_t = FetchOptions::default().retries)]
        retries: u32,
        /// The largest page (or index) accepted, in bytes; a larger one fails the sync.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_PAGE_SIZE, value_parser = clap::value_parser!(u64).range(1..))]
        max_page_size: u64,
        /// The spec file to rewrite.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
    },
    /// Build every Rust snippet of README.md in scratch crates whose only dependencies are
    /// the README's own TOML blocks (what a user copying them gets).
    ///
    /// Exit status: 0 all build, 2 otherwise.
    ReadmeSnippets {
        /// Where to write the scratch crates.
        #[arg(long, value_name = "DIR", default_value = "target/readme-snippets")]
        out: PathBuf,
        /// Write the crates without building them.
        #[arg(long)]
        no_build: bool,
    },
    /// Measure what the SDK costs a user's build: a one-call app on the SDK against the same
    /// app on reqwest alone, clean build, clean check and target size, in fresh target dirs,
    /// alternating (minutes per round). Prints a Markdown table of medians.
    ///
    /// Exit status: 0 measured, 2 when a build fails.
    BenchBuild {
        /// Rounds (each builds both apps twice: check, then build).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        rounds: u16,
        /// Also time `cargo install --locked` of the CLI (a release build, minutes more).
        #[arg(long)]
        install: bool,
        /// Build without the network (every crate already fetched).
        #[arg(long)]
        offline: bool,
        /// Where to put the apps and their target dirs (wiped first).
        #[arg(long, value_name = "DIR", default_value = "target/bench-build")]
        out: PathBuf,
    },
    /// Show that a user's build can hold this SDK and its next major side by side: package
    /// the generator and the SDK, re-version a copy to a fake next major, build (offline, in
    /// its own target dir) and run a scratch workspace whose library uses this version and
    /// whose app uses the next; then check that cargo refuses the same graph with `links`.
    ///
    /// Exit status: 0 shown, 2 otherwise (the cargo output is printed).
    TwoVersions {
        /// The scratch directory (wiped first).
        #[arg(long, value_name = "DIR", default_value = "target/two-versions")]
        out: PathBuf,
    },
    /// Print the public surface of the client generated from openapi.json (what the
    /// surface snapshot pins).
    Surface {
        /// Print the whole generated code instead.
        #[arg(long, conflicts_with_all = ["notes", "normalised"])]
        code: bool,
        /// Print the corrected, normalised document the generator reads instead.
        #[arg(long, conflicts_with = "notes")]
        normalised: bool,
        /// Print what the normaliser changed instead, rule by rule.
        #[arg(long)]
        notes: bool,
        /// Print the README's table of operations (resource, method, route, key) instead.
        #[arg(long, conflicts_with_all = ["code", "normalised", "notes"])]
        table: bool,
        /// Print the webhook events and their payload types (what the events snapshot pins)
        /// instead; with --code, their generated code.
        #[arg(long, conflicts_with_all = ["normalised", "notes", "table"])]
        events: bool,
        /// The spec file to read (default: openapi.json; overlays/ always applies).
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::SyncSpec {
            index,
            from_dir,
            check,
            strict,
            write_unbuildable,
            concurrency,
            timeout,
            retries,
            max_page_size,
            spec,
        } => {
            let root = xtask::repository_root();
            let mut options = SyncOptions::for_repository(&root);
            if let Some(spec) = spec {
                options.sources_path = spec.with_file_name("openapi.sources.json");
                options.spec_path = spec;
            }
            options.index = index;
            options.from_dir = from_dir;
            options.check = check;
            options.strict = strict;
            options.write_unbuildable = write_unbuildable;
            options.fetch.concurrency = usize::from(concurrency);
            options.fetch.retries = retries;
            options.fetch.max_page_size = max_page_size;
            match Duration::try_from_secs_f64(timeout) {
                Ok(timeout) if !timeout.is_zero() => options.fetch.timeout = timeout,
                _ => {
                    eprintln!("error: --timeout must be a positive number of seconds");
                    return ExitCode::from(FAILURE);
                }
            }
            options.progress = if std::io::stderr().is_terminal() {
                Progress::Bar
            } else {
                Progress::Lines
            };
            sync_spec(&options)
        }
        Command::ReadmeSnippets { out, no_build } => readme_snippets(&out, !no_build),
        Command::BenchBuild {
            rounds,
            install,
            offline,
            out,
        } => {
            let repository = xtask::repository_root();
            let options = xtask::bench_build::BenchOptions {
                out: repository.join(out),
                repository,
                rounds: usize::from(rounds),
                install,
                offline,
            };
            match xtask::bench_build::run(&options) {
                Ok(result) => {
                    print!("{}", result.table());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(FAILURE)
                }
            }
        }
        Command::TwoVersions { out } => {
            let repository = xtask::repository_root();
            let options = xtask::two_versions::TwoVersionsOptions {
                out: repository.join(out),
                repository,
            };
            match xtask::two_versions::run(&options) {
                Ok(report) => {
                    println!("{}", report.app_output);
                    println!(
                        "pilot-status {} and {} resolved and built side by side \
                         (clean build {:.1} s, offline, own target dir)",
                        report.current,
                        report.next,
                        report.build.as_secs_f64()
                    );
                    println!("control, with links put back: {}", report.control);
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(FAILURE)
                }
            }
        }
        Command::Surface {
            code,
            normalised,
            notes,
            table,
            events,
            spec,
        } => {
            let generated = pilot_status_codegen::Inputs::read(&xtask::repository_root()).and_then(
                |mut inputs| {
                    if let Some(path) = &spec {
                        inputs.spec = pilot_status_codegen::document::read(path)?;
                    }
                    inputs.generate()
                },
            );
            let generated = match generated {
                Ok(generated) => generated,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(FAILURE);
                }
            };
            if events && code {
                print!("{}", generated.events_code);
            } else if events {
                print!("{}", generated.events_surface);
            } else if table {
                print!("{}", generated.surface.operations_table());
            } else if code {
                print!("{}", generated.code);
            } else if normalised {
                print!(
                    "{}",
                    pilot_status_codegen::document::to_canonical_string(
                        &generated.prepared.document
                    )
                );
            } else if notes {
                for note in &generated.prepared.notes {
                    println!("{:<26} {}  {}", note.rule, note.pointer, note.message);
                }
                for stale in &generated.prepared.stale {
                    println!("warning: {stale}");
                }
                for stale in generated
                    .prepared
                    .design
                    .stale
                    .iter()
                    .chain(&generated.prepared.events.stale)
                {
                    println!("warning: {stale}");
                }
                for unnamed in &generated.prepared.design.unnamed {
                    println!("unnamed: {unnamed}");
                }
                match pilot_status_codegen::design::Design::load_dir(
                    &xtask::repository_root().join("design"),
                ) {
                    Ok(design) => {
                        for derived in generated.surface.derived_names(&design.models) {
                            println!("derived name: {derived}");
                        }
                    }
                    Err(error) => println!("warning: {error}"),
                }
            } else {
                print!("{}", generated.surface);
            }
            ExitCode::SUCCESS
        }
    }
}

fn readme_snippets(out: &std::path::Path, build: bool) -> ExitCode {
    let root = xtask::repository_root();
    let out = root.join(out);
    let readme = match std::fs::read_to_string(root.join("README.md")) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read README.md: {error}");
            return ExitCode::from(FAILURE);
        }
    };
    let manifests = xtask::readme::parse(&readme)
        .and_then(|readme| xtask::readme::write_crates(&readme, &root, &out));
    let manifests = match manifests {
        Ok(manifests) => manifests,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(FAILURE);
        }
    };
    for manifest in &manifests {
        println!("wrote {}", manifest.display());
        if !build {
            continue;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = std::process::Command::new(cargo);
        command
            .args(["build", "--offline", "--bins", "--manifest-path"])
            .arg(manifest);
        // One checkout, one target dir: the scratch crates reuse this repository's builds.
        if std::env::var_os("CARGO_TARGET_DIR").is_none() {
            command.env("CARGO_TARGET_DIR", root.join("target"));
        }
        match command.status() {
            Ok(status) if status.success() => println!("built {}", manifest.display()),
            Ok(_) => {
                eprintln!(
                    "error: a README snippet does not build with only the README's dependencies \
                     (the binary snippet_l<N> is the snippet at README.md line N)"
                );
                return ExitCode::from(FAILURE);
            }
            Err(error) => {
                eprintln!("error: cannot run cargo: {error}");
                return ExitCode::from(FAILURE);
            }
        }
    }
    ExitCode::SUCCESS
}

fn sync_spec(options: &SyncOptions) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(FAILURE);
        }
    };
    let outcome = match runtime.block_on(xtask::sync::sync(options)) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("nothing was written");
            return ExitCode::from(FAILURE);
        }
    };
    print!("{}", outcome.summary);
    if let Some(problem) = &outcome.previous_problem {
        println!("(no previous surface to compare with: {problem})");
    }
    println!();
    print!("{}", outcome.report);
    if outcome.needs_review() || !outcome.unnamed.is_empty() || !outcome.derived.is_empty() {
        println!();
        println!("to review:");
    }
    for stale in &outcome.stale {
        println!("  overlay: {stale}");
    }
    for masked in &outcome.masked {
        println!("  overlay: {masked}");
    }
    for stale in &outcome.stale_design {
        println!("  design: {stale}");
    }
    for unnamed in &outcome.unnamed {
        println!("  unnamed: {unnamed}");
    }
    for derived in &outcome.derived {
        println!("  derived name: {derived} (name it in design/models.yaml)");
    }
    if !outcome.surface_diff.is_empty() {
        println!();
        println!("{SURFACE_SNAPSHOT} will change:");
        print!("{}", outcome.surface_diff);
    }
    if !outcome.events_diff.is_empty() {
        println!();
        println!("{EVENTS_SNAPSHOT} will change:");
        print!("{}", outcome.events_diff);
    }
    println!();
    let spec = options.spec_path.display();
    match (outcome.changed(), options.check, outcome.written) {
        (false, true, _) if outcome.needs_review() => {
            println!(
                "{spec} is up to date with the docs, but reviewed entries above no longer \
                 match it (--check)."
            );
            return ExitCode::from(1);
        }
        (false, _, _) => println!("{spec} is up to date with the docs."),
        (true, true, _) => {
            println!("{spec} is out of date with the docs (--check: nothing written).");
            return ExitCode::from(1);
        }
        (true, false, true) => {
            for (changed, path) in [
                (outcome.spec_changed, &options.spec_path),
                (outcome.sources_changed, &options.sources_path),
            ] {
                if changed {
                    println!("wrote {}", path.display());
                }
            }
            if outcome.snapshots.is_empty() {
                println!("the generated client does not change; commit the spec files.");
            } else {
                println!("snapshots that will change:");
                for snapshot in &outcome.snapshots {
                    println!("  {snapshot}");
                }
                println!(
                    "next: review them with `cargo insta test --review` (or `cargo test` then \
                     `cargo insta review`), then commit openapi.json, openapi.sources.json and the snapshots."
                );
            }
        }
        (true, false, false) => {}
    }
    ExitCode::SUCCESS
}
