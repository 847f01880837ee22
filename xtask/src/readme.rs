//! `cargo xtask readme-snippets`: builds every Rust snippet of the README the way a user
//! would, in scratch crates whose only dependencies are the README's own TOML blocks.
//!
//! The README's doctests compile against the repository's dev-dependencies, which can hide
//! a snippet that needs a crate the README never tells users to add. Here, snippets before
//! the first ```` ```toml ```` block holding `[dev-dependencies]` compile in a crate with
//! only the `[dependencies]` block; snippets after it in a crate with both (the testing
//! section). The `pilot-status` entry points at this checkout (`path`), keeping its
//! features. Each snippet is a binary (`snippet_l<line>`, its line in the README); one
//! without `fn main` gets an empty one. Lines hidden from rustdoc (`# ...`) are kept.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What can go wrong reading the README or writing the scratch crates.
#[derive(Debug, thiserror::Error)]
pub enum ReadmeError {
    /// The README has no `[dependencies]` block for users.
    #[error("the README has no ```toml block with [dependencies]")]
    NoDependencies,
    /// A TOML block does not parse.
    #[error("README line {line}: the toml block does not parse: {message}")]
    Toml {
        /// Its first line in the README.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// The dependencies do not name `pilot-status`.
    #[error("the README's [dependencies] block does not name pilot-status")]
    NoSdk,
    /// A scratch file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// One fenced block of the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line of its opening fence (1-based).
    pub line: usize,
    /// The code, hidden lines shown.
    pub code: String,
    /// Whether it comes after the README's `[dev-dependencies]` block.
    pub testing: bool,
}

/// The README's dependency blocks and Rust snippets.
#[derive(Debug, Clone)]
pub struct Readme {
    /// `[dependencies]` of the first block that has them.
    pub dependencies: toml::Table,
    /// `[dev-dependencies]` of the first block that has them.
    pub dev_dependencies: toml::Table,
    /// Rust blocks that rustdoc would compile (not `ignore`, not `compile_fail`).
    pub snippets: Vec<Snippet>,
}

/// Reads the fenced blocks of a README.
pub fn parse(text: &str) -> Result<Readme, ReadmeError> {
    let mut dependencies = None;
    let mut dev_dependencies = None;
    let mut snippets = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for (_, line) in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        let attributes: Vec<&str> = info.split(',').map(str::trim).collect();
        match attributes.first().copied() {
            Some("toml") => {
                let table: toml::Table =
                    body.parse()
                        .map_err(|error: toml::de::Error| ReadmeError::Toml {
                            line: index + 1,
                            message: error.message().to_owned(),
                        })?;
                if let Some(toml::Value::Table(deps)) = table.get("dependencies")
                    && dependencies.is_none()
                {
                    dependencies = Some(deps.clone());
                }
                if let Some(toml::Value::Table(deps)) = table.get("dev-dependencies")
                    && dev_dependencies.is_none()
                {
                    dev_dependencies = Some(deps.clone());
                }
            }
            Some("rust")
                if !attributes
                    .iter()
                    .any(|a| matches!(*a, "ignore" | "compile_fail" | "text")) =>
            {
                snippets.push(Snippet {
                    line: index + 1,
                    code: unhide(&body),
                    testing: dev_dependencies.is_some(),
                });
            }
            _ => {}
        }
    }
    Ok(Readme {
        dependencies: dependencies.ok_or(ReadmeError::NoDependencies)?,
        dev_dependencies: dev_dependencies.unwrap_or_default(),
        snippets,
    })
}

/// Rustdoc's hidden lines (`# code`, `#`) as plain code.
fn unhide(code: &str) -> String {
    code.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed == "#" {
                ""
            } else if let Some(rest) = trimmed.strip_prefix("# ") {
                rest
            } else {
                line
            }
        })
        .fold(String::new(), |mut out, line| {
            out.push_str(line);
            out.push('\n');
            out
        })
}

/// `dependencies` with `pilot-status` pointing at `repository` (features kept).
fn local_sdk(dependencies: &toml::Table, repository: &Path) -> Result<toml::Table, ReadmeError> {
    let mut out = dependencies.clone();
    let sdk = out.get_mut("pilot-status").ok_or(ReadmeError::NoSdk)?;
    let mut local = toml::Table::new();
    local.insert(
        "path".to_owned(),
        toml::Value::String(repository.display().to_string()),
    );
    if let toml::Value::Table(entry) = sdk {
        for key in ["features", "default-features"] {
            if let Some(value) = entry.get(key) {
                local.insert(key.to_owned(), value.clone());
            }
        }
    }
    *sdk = toml::Value::Table(local);
    Ok(out)
}

/// `base` plus `extra`, merging the `features` of a crate both name.
fn merged(base: &toml::Table, extra: &toml::Table) -> toml::Table {
    let mut out = base.clone();
    for (name, value) in extra {
        let features = |value: &toml::Value| -> Vec<toml::Value> {
            value
                .get("features")
                .and_then(toml::Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        match (out.get_mut(name), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(_)) => {
                let mut all = features(&toml::Value::Table(existing.clone()));
                for feature in features(value) {
                    if !all.contains(&feature) {
                        all.push(feature);
                    }
                }
                existing.insert("features".to_owned(), toml::Value::Array(all));
            }
            _ => {
                out.insert(name.clone(), value.clone());
            }
        }
    }
    out
}

/// Writes the scratch crates under `out` (`app/` and, when the README has a testing
/// section, `testing/`) and returns their manifests.
pub fn write_crates(
    readme: &Readme,
    repository: &Path,
    out: &Path,
) -> Result<Vec<PathBuf>, ReadmeError> {
    let app = local_sdk(&readme.dependencies, repository)?;
    let testing = local_sdk(
        &merged(&readme.dependencies, &readme.dev_dependencies),
        repository,
    )?;
    let mut manifests = Vec::new();
    for (name, dependencies, testing_section) in [("app", app, false), ("testing", testing, true)] {
        let snippets: Vec<&Snippet> = readme
            .snippets
            .iter()
            .filter(|snippet| snippet.testing == testing_section)
            .collect();
        if snippets.is_empty() {
            continue;
        }
        let dir = out.join(name);
        let bins = dir.join("src/bin");
        // A snippet is named by its README line: the ones of an earlier README go, or a
        // rerun after an edit would build them too.
        match std::fs::remove_dir_all(&bins) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ReadmeError::Write {
                    path: bins.clone(),
                    source,
                });
            }
        }
        create_dir(&bins)?;
        let mut manifest = format!(
            "# Generated by `cargo xtask readme-snippets`: the README's snippets, built with only\n\
             # the README's dependencies.\n[package]\nname = \"readme-{name}\"\nversion = \"0.0.0\"\n\
             edition = \"2024\"\npublish = false\n\n[workspace]\n\n"
        );
        let mut table = toml::Table::new();
        table.insert("dependencies".to_owned(), toml::Value::Table(dependencies));
        let _ = write!(manifest, "{table}");
        write(&dir.join("Cargo.toml"), &manifest)?;
        if let Ok(lock) = std::fs::read(repository.join("Cargo.lock")) {
            // The repository's resolution, so the build needs no network.
            write(&dir.join("Cargo.lock"), &String::from_utf8_lossy(&lock))?;
        }
        for snippet in snippets {
            let mut code = format!(
                "// README.md line {}\n#![allow(dead_code, unused_imports, unused_variables)]\n",
                snippet.line
            );
            code.push_str(&snippet.code);
            if !snippet.code.contains("fn main(") {
                code.push_str("\nfn main() {}\n");
            }
            write(&bins.join(format!("snippet_l{}.rs", snippet.line)), &code)?;
        }
        manifests.push(dir.join("Cargo.toml"));
    }
    Ok(manifests)
}

fn create_dir(path: &Path) -> Result<(), ReadmeError> {
    std::fs::create_dir_all(path).map_err(|source| ReadmeError::Write {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, text: &str) -> Result<(), ReadmeError> {
    std::fs::write(path, text).map_err(|source| ReadmeError::Write {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = r#"# x

```toml
[dependencies]
pilot-status = { git = "https://example.com/x" }
tokio = { version = "1", features = ["macros"] }
```

```rust,no_run
# use std::io;
fn main() {}
```

```rust,ignore
not compiled
```

```toml
[dev-dependencies]
pilot-status = { version = "0.1", features = ["mock"] }
tower = "0.5"
```

```rust
fn handler() {}
```
"#;

    #[test]
    fn blocks_are_sorted_into_the_app_and_the_testing_crates() {
        let readme = parse(README).unwrap();
        assert_eq!(readme.snippets.len(), 2);
        assert_eq!(readme.snippets[0].line, 9);
        assert_eq!(readme.snippets[0].code, "use std::io;\nfn main() {}\n");
        assert!(!readme.snippets[0].testing);
        assert!(readme.snippets[1].testing);
        let dir = tempfile::tempdir().unwrap();
        let manifests = write_crates(&readme, Path::new("/repo"), dir.path()).unwrap();
        assert_eq!(manifests.len(), 2);
        let app = std::fs::read_to_string(&manifests[0]).unwrap();
        assert!(app.contains("path = \"/repo\""), "{app}");
        assert!(!app.contains("tower"), "{app}");
        assert!(!app.contains("git ="), "{app}");
        let testing = std::fs::read_to_string(&manifests[1]).unwrap();
        assert!(testing.contains("features = [\"mock\"]"), "{testing}");
        assert!(testing.contains("tower"), "{testing}");
        let fragment =
            std::fs::read_to_string(dir.path().join("testing/src/bin/snippet_l24.rs")).unwrap();
        assert!(fragment.ends_with("fn main() {}\n"), "{fragment}");
    }

    #[test]
    fn a_rerun_keeps_only_the_snippets_of_this_readme() {
        let readme = parse(README).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join("app/src/bin/snippet_l200.rs");
        std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
        std::fs::write(&stale, "a snippet of an earlier README").unwrap();
        write_crates(&readme, Path::new("/repo"), dir.path()).unwrap();
        assert!(
            !stale.exists(),
            "an earlier README's snippet would be built too"
        );
        assert!(dir.path().join("app/src/bin/snippet_l9.rs").exists());
    }

    #[test]
    fn a_readme_without_dependencies_is_an_error() {
        assert!(matches!(
            parse("```rust\nfn main() {}\n```\n"),
            Err(ReadmeError::NoDependencies)
        ));
    }
}
