//! Printing results: pretty JSON on a terminal, one compact JSON document per line when
//! piped, and a progress line on standard error while `--all` pages.

use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use futures_util::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::call::Call;
use crate::error::CliError;

/// How JSON is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented, for people.
    Pretty,
    /// One document per line (JSON lines), for programs.
    Compact,
}

impl Format {
    /// `--format auto|pretty|compact`: `auto` is pretty when standard output is a
    /// terminal and compact otherwise.
    pub fn from_choice(choice: Option<&str>) -> Self {
        match choice {
            Some("pretty") => Self::Pretty,
            Some("compact") => Self::Compact,
            _ if std::io::stdout().is_terminal() => Self::Pretty,
            _ => Self::Compact,
        }
    }
}

/// Where results go: standard output, in one [`Format`].
#[derive(Debug, Clone, Copy)]
pub struct Output {
    format: Format,
}

impl Output {
    /// Prints in `format`.
    pub fn new(format: Format) -> Self {
        Self { format }
    }

    /// Prints one JSON document and a newline.
    pub fn value(&self, value: &Value) -> Result<(), CliError> {
        let mut text = match self.format {
            Format::Pretty => serde_json::to_string_pretty(value),
            Format::Compact => serde_json::to_string(value),
        }
        .map_err(CliError::Json)?;
        text.push('\n');
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|source| CliError::Write {
                what: "standard output".to_owned(),
                source,
            })
    }

    /// Awaits a call and prints what it produces. Items are printed as they arrive, so
    /// what was printed before an error stays printed.
    pub async fn emit(&self, call: Call) -> Result<(), CliError> {
        match call {
            Call::Response(response) => self.value(&response.await?),
            Call::Custom(custom) => match custom.await? {
                Some(summary) => self.value(&summary),
                None => Ok(()),
            },
            Call::Items(mut items) => {
                let progress = progress();
                let mut outcome = Ok(());
                while let Some(item) = items.next().await {
                    outcome = item.and_then(|item| progress.suspend(|| self.value(&item)));
                    if outcome.is_err() {
                        break;
                    }
                    progress.inc(1);
                }
                progress.finish_and_clear();
                outcome
            }
        }
    }
}

/// A spinner with the count of items, on standard error when it is a terminal.
fn progress() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {pos} items ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bar = ProgressBar::new_spinner().with_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
