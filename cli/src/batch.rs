//! `pilot-status messages send-batch`: one message per input row, each sent exactly once,
//! through the SDK's `messages().send_batch(..)`, resumable from its journal.

use std::collections::HashMap;
use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use futures_util::StreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use pilot_status::batch::{BatchRow, BatchSummary, RowStatus, journal_batch_id};
use pilot_status::types::SendMessageInput;
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::call::{checked_body, to_json};
use crate::error::CliError;
use crate::output::Output;
use crate::table::{self, Body, Kind};

/// The resource command `send-batch` is added to.
pub const RESOURCE: &str = "messages";
/// The subcommand.
pub const SEND_BATCH: &str = "send-batch";
/// The operation each row is sent with.
const SEND: &str = "messages.send";
/// The member of an input row that names it (not sent).
pub const ROW_KEY: &str = "rowKey";

const INPUT: &str = "input";
const INPUT_FORMAT: &str = "input-format";
const JOURNAL: &str = "journal";
const CONCURRENCY: &str = "concurrency";
const BATCH_ID: &str = "batch-id";
const SHARD: &str = "shard";
const RETRY_REFUSED: &str = "retry-refused";

/// `messages send-batch`.
pub fn command() -> Command {
    Command::new(SEND_BATCH)
        .about("Send one message per input row, each exactly once, resumable from a journal")
        .long_about(
            "Send one message per input row, each exactly once, resumable from a journal.\n\n\
             Each row of --input is a send body as `messages send --body` takes it: a JSON \
             object per line (JSON lines), or a CSV file whose header names body members \
             (`variables.NAME` for a template variable; a list or object member as JSON). A \
             row may carry a `rowKey` (a member, or a column), its stable name; without one, \
             the row is named by its destination (destinationNumber, groupId or newsletterId). \
             Every row is checked before anything is sent.\n\n\
             Each row is sent under an idempotency key made from the batch id and the row key, \
             so a rerun, or another process running the same batch, cannot send it twice. \
             Each outcome (sent, refused, failed) is appended to --journal as it arrives; run \
             the same command again to resume: the rows the journal holds are skipped. Refusals \
             (400, 402, 403, ...) are recorded and the batch goes on. When the API answers 429, \
             every send waits out its Retry-After and the batch sends fewer at once, growing \
             back slowly.\n\n\
             Prints a progress bar on standard error when it is a terminal, each refusal on \
             standard error, and a summary as JSON on standard output. Exit status 0 when every \
             row has an outcome (sent, refused or skipped); 5 when some rows got no answer \
             after every attempt (run it again to resume).\n\n\
             Example: pilot-status messages send-batch --input promo.jsonl --journal \
             promo.journal.jsonl --batch-id promo-2026-12",
        )
        .arg(
            Arg::new(INPUT)
                .long("input")
                .value_name("FILE|-")
                .required(true)
                .help("The rows: JSON lines, or CSV (a .csv file, or --input-format csv); - for standard input"),
        )
        .arg(
            Arg::new(JOURNAL)
                .long("journal")
                .value_name("FILE")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Record each outcome here (JSON lines) and skip the rows it holds: the same file resumes the batch"),
        )
        .arg(
            Arg::new(CONCURRENCY)
                .long("concurrency")
                .value_name("N")
                .value_parser(clap::value_parser!(u16).range(1..=256))
                .default_value("8")
                .help("The most sends in flight at once (fewer while the API throttles)"),
        )
        .arg(
            Arg::new(BATCH_ID)
                .long("batch-id")
                .value_name("ID")
                .help("The batch's id, which with each row key makes its idempotency key [default: the journal's, else one made from the input's content]"),
        )
        .arg(
            Arg::new(SHARD)
                .long("shard")
                .value_name("I/N")
                .value_parser(clap::builder::ValueParser::new(parse_shard))
                .help("Send only shard I of N (1 to N): rows are split by their row key, the same way on every machine"),
        )
        .arg(
            Arg::new(INPUT_FORMAT)
                .long("input-format")
                .value_name("FORMAT")
                .value_parser(["jsonl", "csv"])
                .help("How --input is written [default: csv for a .csv file, else jsonl]"),
        )
        .arg(
            Arg::new(RETRY_REFUSED)
                .long("retry-refused")
                .action(ArgAction::SetTrue)
                .help("Send again the rows the journal holds as refused (after fixing why)"),
        )
}

/// `--shard I/N`: `(I, N)`, `1 <= I <= N`.
fn parse_shard(raw: &str) -> Result<(u64, u64), String> {
    let parsed = raw.split_once('/').and_then(|(index, count)| {
        Some((
            index.trim().parse::<u64>().ok()?,
            count.trim().parse::<u64>().ok()?,
        ))
    });
    match parsed {
        Some((index, count)) if count >= 1 && (1..=count).contains(&index) => Ok((index, count)),
        _ => Err(format!(
            "expected I/N with 1 <= I <= N (such as 2/4), got {raw:?}"
        )),
    }
}

/// The shard (0-based) of a row key among `count`: the first 8 bytes of its SHA-256, modulo
/// `count`. The same on every machine and in every order of the input.
pub fn shard_of(row_key: &str, count: u64) -> u64 {
    let digest = Sha256::digest(row_key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1)
}

/// One checked row, and where it came from.
struct Row {
    line: usize,
    key: String,
    body: SendMessageInput,
}

/// Runs `messages send-batch`.
pub fn run(matches: &ArgMatches, output: &Output) -> Result<(), CliError> {
    let operation = table::operations()
        .iter()
        .find(|operation| operation.name == SEND)
        .ok_or_else(|| CliError::Usage(format!("no operation {SEND} (a bug in pilot-status)")))?;
    let body = operation
        .body
        .as_ref()
        .ok_or_else(|| CliError::Usage(format!("{SEND} takes no body (a bug in pilot-status)")))?;
    let source = matches
        .get_one::<String>(INPUT)
        .ok_or_else(|| CliError::Usage("--input is required".to_owned()))?;
    let journal = matches
        .get_one::<PathBuf>(JOURNAL)
        .ok_or_else(|| CliError::Usage("--journal is required".to_owned()))?;
    let csv = match matches.get_one::<String>(INPUT_FORMAT).map(String::as_str) {
        Some(format) => format == "csv",
        None => Path::new(source)
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("csv")),
    };
    let text = read_input(source)?;
    let rows = if csv {
        csv_rows(source, &text, body)?
    } else {
        json_rows(source, &text, body)?
    };
    let rows = distinct(source, rows)?;
    let rows: Vec<Row> = match matches.get_one::<(u64, u64)>(SHARD) {
        Some((index, count)) => rows
            .into_iter()
            .filter(|row| shard_of(&row.key, *count) == index - 1)
            .collect(),
        None => rows,
    };
    let batch_id = batch_id(matches, journal, &text)?;
    let client = crate::credentials::client(matches, operation)?;
    let concurrency = matches.get_one::<u16>(CONCURRENCY).copied().unwrap_or(8);
    let total = rows.len() as u64;
    let batch = client
        .messages()
        .send_batch(
            batch_id.clone(),
            rows.into_iter()
                .map(|row| BatchRow::new(row.key, row.body))
                .collect::<Vec<_>>(),
        )
        .concurrency(usize::from(concurrency))
        .journal(journal)
        .retry_refused(matches.get_flag(RETRY_REFUSED));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let summary = runtime.block_on(async {
        let mut outcomes = batch.outcomes()?;
        let progress = progress(total);
        while let Some(outcome) = outcomes.next().await {
            let outcome = match outcome {
                Ok(outcome) => outcome,
                Err(error) => {
                    progress.abandon();
                    return Err(CliError::from(error));
                }
            };
            match &outcome.status {
                RowStatus::Refused(error) => {
                    progress.suspend(|| eprintln!("refused {}: {error}", outcome.row));
                }
                RowStatus::Failed(error) => {
                    progress.suspend(|| {
                        eprintln!(
                            "no answer for {} (sent again on a rerun): {error}",
                            outcome.row
                        );
                    });
                }
                _ => {}
            }
            progress.inc(1);
            progress.set_message(counts(&outcomes.summary()));
        }
        progress.finish_and_clear();
        Ok::<_, CliError>(outcomes.summary())
    })?;
    eprintln!("{}", counts(&summary));
    output.value(&json!({
        "batchId": batch_id,
        "journal": journal,
        "rows": summary.rows(),
        "sent": summary.sent,
        "replayed": summary.replayed,
        "refused": summary.refused,
        "skipped": summary.skipped,
        "failed": summary.failed,
    }))?;
    if summary.is_complete() {
        Ok(())
    } else {
        Err(CliError::Incomplete {
            failed: summary.failed,
        })
    }
}

/// `sent 12 (3 replayed), refused 1, skipped 40, failed 0`.
fn counts(summary: &BatchSummary) -> String {
    format!(
        "sent {} ({} replayed), refused {}, skipped {}, failed {}",
        summary.sent, summary.replayed, summary.refused, summary.skipped, summary.failed
    )
}

/// A bar of the rows on standard error when it is a terminal; hidden otherwise.
fn progress(rows: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{bar:30} {pos}/{len} rows ({elapsed}, {eta} left) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::new(rows).with_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// `--batch-id`, else the journal's, else `input-` and the first 16 hex digits of the
/// SHA-256 of the whole input (the same for every shard).
fn batch_id(matches: &ArgMatches, journal: &Path, input: &[u8]) -> Result<String, CliError> {
    if let Some(id) = matches.get_one::<String>(BATCH_ID) {
        if id.is_empty() {
            return Err(CliError::Usage("--batch-id is empty".to_owned()));
        }
        return Ok(id.clone());
    }
    if let Some(id) = journal_batch_id(journal)? {
        return Ok(id);
    }
    let digest = hex16(&Sha256::digest(input));
    Ok(format!("input-{digest}"))
}

fn hex16(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The whole input: a file, or standard input for `-`.
fn read_input(source: &str) -> Result<Vec<u8>, CliError> {
    if source == "-" {
        let mut text = Vec::new();
        std::io::stdin()
            .read_to_end(&mut text)
            .map_err(|error| CliError::Read {
                what: "the rows from standard input".to_owned(),
                source: error,
            })?;
        return Ok(text);
    }
    std::fs::read(source).map_err(|error| CliError::Read {
        what: format!("the input {source}"),
        source: error,
    })
}

fn row_error(source: &str, line: usize, message: impl Into<String>) -> CliError {
    CliError::Row {
        input: source.to_owned(),
        line,
        message: message.into(),
    }
}

/// Takes the row key out of a row's object (a string or a number), else names the row by
/// its destination.
fn row_key(source: &str, line: usize, object: &mut Map<String, Value>) -> Result<String, CliError> {
    match object.remove(ROW_KEY) {
        Some(Value::String(key)) if !key.is_empty() => return Ok(key),
        Some(Value::Number(number)) => return Ok(number.to_string()),
        Some(_) => {
            return Err(row_error(
                source,
                line,
                format!("`{ROW_KEY}` must be a non-empty string or a number"),
            ));
        }
        None => {}
    }
    ["destinationNumber", "groupId", "newsletterId"]
        .iter()
        .find_map(|member| object.get(*member).and_then(Value::as_str))
        .filter(|destination| !destination.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            row_error(
                source,
                line,
                format!(
                    "no `{ROW_KEY}` and no destination (destinationNumber, groupId or \
                     newsletterId) to name the row by"
                ),
            )
        })
}

/// A row's object, checked as `messages send --body` checks one.
fn checked_row(
    source: &str,
    line: usize,
    body: &Body,
    mut object: Map<String, Value>,
) -> Result<Row, CliError> {
    let key = row_key(source, line, &mut object)?;
    let body = checked_body(body, object).map_err(|message| row_error(source, line, message))?;
    Ok(Row { line, key, body })
}

/// JSON lines: one object per line; blank lines are skipped.
fn json_rows(source: &str, text: &[u8], body: &Body) -> Result<Vec<Row>, CliError> {
    let text = std::str::from_utf8(text)
        .map_err(|error| CliError::Usage(format!("--input {source} is not UTF-8: {error}")))?;
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                return Err(row_error(
                    source,
                    number,
                    "expected a JSON object (a send body)",
                ));
            }
            Err(error) => return Err(row_error(source, number, format!("not JSON: {error}"))),
        };
        rows.push(checked_row(source, number, body, object)?);
    }
    Ok(rows)
}

/// CSV with a header of body members: `rowKey`, `variables.NAME`, and any member of the
/// body (its value written as `messages send` takes it; a list or an object as JSON). An
/// empty cell leaves its member out.
fn csv_rows(source: &str, text: &[u8], body: &Body) -> Result<Vec<Row>, CliError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text);
    let header = reader
        .headers()
        .map_err(|error| row_error(source, 1, format!("cannot read the header: {error}")))?
        .clone();
    let members: HashMap<&str, Kind> = body
        .members
        .iter()
        .map(|member| (member.wire, member.kind))
        .collect();
    for column in &header {
        let known =
            column == ROW_KEY || column.starts_with("variables.") || members.contains_key(column);
        if !known {
            let mut names: Vec<&str> = members.keys().copied().collect();
            names.sort_unstable();
            return Err(row_error(
                source,
                1,
                format!(
                    "the column `{column}` is not a member of {}: use {ROW_KEY}, \
                     variables.NAME, or one of {}",
                    body.type_name,
                    names.join(", ")
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error
                .position()
                .map_or(0, |position| position.line() as usize);
            row_error(source, line, error.to_string())
        })?;
        let line = record
            .position()
            .map_or(0, |position| position.line() as usize);
        let mut object = Map::new();
        for (column, cell) in header.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            if column == ROW_KEY {
                object.insert(ROW_KEY.to_owned(), Value::String(cell.to_owned()));
            } else if let Some(name) = column.strip_prefix("variables.") {
                let variables = object
                    .entry("variables")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(variables) = variables {
                    variables.insert(name.to_owned(), Value::String(cell.to_owned()));
                }
            } else if let Some(kind) = members.get(column) {
                let value = cell_value(*kind, cell)
                    .map_err(|message| row_error(source, line, format!("{column}: {message}")))?;
                object.insert(column.to_owned(), value);
            }
        }
        rows.push(checked_row(source, line, body, object)?);
    }
    Ok(rows)
}

/// A CSV cell as the JSON of its member: a list as a JSON array (or one item), anything else
/// as `messages send` reads the option's value.
fn cell_value(kind: Kind, cell: &str) -> Result<Value, String> {
    match kind {
        Kind::List(_) if cell.trim_start().starts_with('[') => {
            serde_json::from_str(cell).map_err(|error| format!("not a JSON array: {error}"))
        }
        Kind::List(_) => to_json(kind, false, cell).map(|item| Value::Array(vec![item])),
        Kind::Map => {
            serde_json::from_str(cell).map_err(|error| format!("not a JSON object: {error}"))
        }
        _ => to_json(kind, true, cell),
    }
}

/// The rows with one row per key: a row repeating an earlier one (same key, same body) is
/// dropped with a warning; the same key with another body is an error. Only a digest of each
/// first body is kept, so this costs little beside the rows themselves.
fn distinct(source: &str, rows: Vec<Row>) -> Result<Vec<Row>, CliError> {
    let mut first: HashMap<String, (usize, [u8; 32])> = HashMap::new();
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        let digest = body_digest(&row.body)?;
        match first.get(&row.key) {
            Some((line, earlier)) if *earlier == digest => {
                eprintln!(
                    "warning: {source}, line {} repeats line {line} (row key {:?}): sent once",
                    row.line, row.key
                );
            }
            Some((line, _)) => {
                return Err(row_error(
                    source,
                    row.line,
                    format!(
                        "the row key {:?} of line {line} names another message here: give each \
                         row its own `{ROW_KEY}`",
                        row.key
                    ),
                ));
            }
            None => {
                first.insert(row.key.clone(), (row.line, digest));
                kept.push(row);
            }
        }
    }
    Ok(kept)
}

/// The SHA-256 of a body as it is sent (serde_json writes a type's members in one order).
fn body_digest(body: &SendMessageInput) -> Result<[u8; 32], CliError> {
    let bytes = serde_json::to_vec(body).map_err(CliError::Json)?;
    Ok(Sha256::digest(&bytes).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_key_into_exactly_one_and_evenly() {
        let keys: Vec<String> = (0..3000).map(|index| format!("+5511{index:09}")).collect();
        let mut sizes = [0usize; 3];
        for key in &keys {
            let shard = shard_of(key, 3);
            assert_eq!(shard, shard_of(key, 3), "stable");
            sizes[shard as usize] += 1;
        }
        assert_eq!(sizes.iter().sum::<usize>(), 3000);
        assert!(
            sizes.iter().all(|size| (900..1100).contains(size)),
            "{sizes:?}"
        );
        assert_eq!(shard_of("anything", 1), 0);
    }

    #[test]
    fn a_shard_is_i_of_n() {
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert_eq!(parse_shard(" 1 / 1 "), Ok((1, 1)));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
