//! Printing results: JSON (indented on a terminal), JSON lines when piped, or a table;
//! filtered by `--jq`, after the status and headers with `--include`; and a progress line on
//! standard error while long work runs on a terminal.

use std::io::{IsTerminal as _, Write as _};
use std::rc::Rc;
use std::time::Duration;

use futures_util::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::call::{Answer, Call, Head};
use crate::error::CliError;
use crate::jq::Jq;
use crate::tabular;

/// The choices of `--format`: `auto` and the two older names, `pretty` (now `json`) and
/// `compact` (now `jsonl`), which keep working.
pub const FORMATS: [&str; 6] = ["auto", "json", "jsonl", "table", "pretty", "compact"];

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented JSON, one document after another (`--format json`, or `pretty`).
    Json,
    /// One compact JSON document per line (`--format jsonl`, or `compact`).
    Jsonl,
    /// Columns: one row per item of a list, or one per member of an object.
    Table,
}

impl Format {
    /// `--format auto|json|jsonl|table` (and `pretty`, `compact`): `auto` is `json` when
    /// standard output is a terminal and `jsonl` otherwise.
    pub fn from_choice(choice: Option<&str>) -> Self {
        match choice {
            Some("json" | "pretty") => Self::Json,
            Some("jsonl" | "compact") => Self::Jsonl,
            Some("table") => Self::Table,
            _ if std::io::stdout().is_terminal() => Self::Json,
            _ => Self::Jsonl,
        }
    }
}

/// Where results go: standard output, in one [`Format`], through `--jq` when given.
#[derive(Debug, Clone)]
pub struct Output {
    format: Format,
    jq: Option<Rc<Jq>>,
    include: bool,
}

impl Output {
    /// Prints in `format`, each document through `jq` when given; `include` prints a
    /// response's status and headers before its body.
    pub fn new(format: Format, jq: Option<Jq>, include: bool) -> Self {
        Self {
            format,
            jq: jq.map(Rc::new),
            include,
        }
    }

    /// What `--jq` makes of a document (the document itself without it).
    fn filtered(&self, value: &Value) -> Result<Vec<Value>, CliError> {
        match &self.jq {
            Some(jq) => jq.run(value),
            None => Ok(vec![value.clone()]),
        }
    }

    /// Prints one document (through `--jq`): JSON or a table.
    pub fn value(&self, value: &Value) -> Result<(), CliError> {
        if self.format == Format::Table && self.jq.is_none() {
            return write(&tabular::render(value));
        }
        let values = self.filtered(value)?;
        match self.format {
            Format::Table => write(&tabular::rows(&values)),
            _ => values.iter().try_for_each(|value| self.document(value)),
        }
    }

    /// One document as JSON (a string `--jq` yields, as its text: `--jq .id` prints
    /// `msg_1`, as `gh` and `jq -r` do).
    fn document(&self, value: &Value) -> Result<(), CliError> {
        let mut text = match (value, &self.jq) {
            (Value::String(text), Some(_)) => text.clone(),
            _ if self.format == Format::Json => {
                serde_json::to_string_pretty(value).map_err(CliError::Json)?
            }
            _ => serde_json::to_string(value).map_err(CliError::Json)?,
        };
        text.push('\n');
        write(&text)
    }

    /// The status line and headers of `--include`, then an empty line.
    fn head(&self, head: &Head) -> Result<(), CliError> {
        if !self.include {
            return Ok(());
        }
        let mut text = format!("HTTP {} {}\n", head.status, head.reason);
        for (name, value) in &head.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push('\n');
        write(&text)
    }

    /// Prints a head with `--include` (an answer without a JSON body).
    pub fn head_only(&self, head: &Head) -> Result<(), CliError> {
        self.head(head)
    }

    /// Prints an answer: its head with `--include`, then its body.
    pub fn answer(&self, answer: &Answer) -> Result<(), CliError> {
        if let Some(head) = &answer.head {
            self.head(head)?;
        }
        self.value(&answer.value)
    }

    /// Awaits a call and prints what it produces. Items are printed as they arrive (a table
    /// once they all have), so what was printed before an error stays printed.
    pub async fn emit(&self, call: Call) -> Result<(), CliError> {
        match call {
            Call::Response(response) => self.answer(&response.await?),
            Call::Custom(custom) => {
                let spinner = Progress::spinner("downloading");
                let summary = custom.await;
                spinner.finish();
                match summary? {
                    Some(summary) => self.value(&summary),
                    None => Ok(()),
                }
            }
            Call::Items(mut items) => {
                let progress = Progress::items();
                let mut rows = Vec::new();
                let mut outcome = Ok(());
                while let Some(item) = items.next().await {
                    outcome = item.and_then(|item| match self.format {
                        Format::Table => self.filtered(&item).map(|values| rows.extend(values)),
                        _ => progress.suspend(|| self.value(&item)),
                    });
                    if outcome.is_err() {
                        break;
                    }
                    progress.inc();
                }
                progress.finish();
                if self.format == Format::Table {
                    write(&tabular::rows(&rows))?;
                }
                outcome
            }
        }
    }
}

/// Writes `text` on standard output and flushes it.
pub fn write(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|source| CliError::Write {
            what: "standard output".to_owned(),
            source,
        })
}

/// A progress line on standard error while long work runs: only when standard error is a
/// terminal, so nothing is drawn into a pipe or a log file.
pub struct Progress(ProgressBar);

impl Progress {
    fn new(template: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(ProgressBar::hidden());
        }
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::new_spinner().with_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }

    /// A spinner with the count of items (`--all`).
    pub fn items() -> Self {
        Self::new("{spinner} {pos} items ({elapsed})")
    }

    /// A spinner saying what is being waited for (a download).
    pub fn spinner(what: &str) -> Self {
        Self::new(&format!("{{spinner}} {what} ({{elapsed}})"))
    }

    /// A bar of `total` steps (`webhooks trigger` of many events).
    pub fn bar(total: u64, what: &str) -> Self {
        let progress = Self::new(&format!("{{spinner}} {what} {{pos}}/{{len}} ({{elapsed}})"));
        progress.0.set_length(total);
        progress
    }

    /// One more step.
    pub fn inc(&self) {
        self.0.inc(1);
    }

    /// Runs `print` with the line hidden, so output does not mix with it.
    pub fn suspend<T>(&self, print: impl FnOnce() -> T) -> T {
        self.0.suspend(print)
    }

    /// Removes the line.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
