//! The batch journal: a file of JSON lines, one per row outcome, appended and written to the
//! operating system as each outcome arrives, so a batch started again skips the rows it has.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BatchError;

/// The first line of a journal: which batch it belongs to.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    /// The journal format; 1.
    #[serde(rename = "pilotStatusBatchJournal")]
    version: u32,
    /// The batch id.
    #[serde(rename = "batchId")]
    batch_id: String,
}

/// The journal format this version writes and reads.
const VERSION: u32 = 1;

/// One row's outcome, as a line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JournalEntry {
    /// The caller's row key.
    pub row: String,
    /// The `Idempotency-Key` the row was sent with (derived from the batch id and row key).
    pub idempotency_key: String,
    /// What happened.
    pub outcome: JournalOutcome,
    /// The message id, when the API accepted the send and its answer named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// True when the API answered with the stored result of an earlier attempt (run or
    /// process) under the same key (`idempotent-replayed: true`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
    /// The HTTP status of a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The API's code of a refusal (`PAYMENT_FAILED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What went wrong, for a refusal or a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What happened to a row, as the journal records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum JournalOutcome {
    /// The API accepted the send. Final.
    Sent,
    /// The API refused it on purpose (a 4xx). Final, unless the batch retries refusals.
    Refused,
    /// No answer after every attempt (network, 5xx, 429). Not final: a batch started again
    /// sends the row again, under the same key.
    Failed,
}

/// The batch id the journal at `path` records; `None` when there is no journal there yet
/// (no file, or an empty one). For a program that resumes a batch from its journal alone.
///
/// # Errors
/// [`BatchError::Journal`] when the file cannot be read, [`BatchError::CorruptJournal`] when
/// its first line is not a journal header.
pub fn journal_batch_id(path: &Path) -> Result<Option<String>, BatchError> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(BatchError::Journal {
                path: path.to_owned(),
                action: "read",
                source,
            });
        }
    };
    let Some(end) = text.iter().position(|byte| *byte == b'\n') else {
        // Empty, or a header cut short: `open` starts it again.
        return Ok(None);
    };
    serde_json::from_slice::<Header>(&text[..end])
        .map(|header| Some(header.batch_id))
        .map_err(|_| BatchError::CorruptJournal {
            path: path.to_owned(),
            line: 1,
            problem: "not a batch journal header".to_owned(),
        })
}

/// An open journal, appending.
pub(crate) struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Opens (or creates) the journal of `batch_id` at `path` and reads the final outcomes it
    /// holds, by row key. A last line cut short by a crash is removed; any other line that
    /// cannot be read, or a journal of another batch, is an error.
    pub(crate) fn open(
        path: &Path,
        batch_id: &str,
    ) -> Result<(Self, HashMap<String, JournalEntry>), BatchError> {
        let failed = |action: &'static str| {
            move |source| BatchError::Journal {
                path: path.to_owned(),
                action,
                source,
            }
        };
        let corrupt = |line: usize, problem: String| BatchError::CorruptJournal {
            path: path.to_owned(),
            line,
            problem,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(failed("open"))?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(failed("read"))?;
        // A crash can cut the last line short: keep only whole lines.
        let whole = text
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(0, |end| end + 1);
        if whole < text.len() {
            file.set_len(whole as u64).map_err(failed("repair"))?;
            text.truncate(whole);
        }
        let mut done = HashMap::new();
        if text.is_empty() {
            // A new journal (or one whose header a crash cut short).
            let header = Header {
                version: VERSION,
                batch_id: batch_id.to_owned(),
            };
            let mut journal = Self {
                path: path.to_owned(),
                file,
            };
            journal.write_line(&header)?;
            return Ok((journal, done));
        }
        let mut lines = text.split(|byte| *byte == b'\n').enumerate();
        let header: Header = lines
            .next()
            .and_then(|(_, line)| serde_json::from_slice(line).ok())
            .ok_or_else(|| corrupt(1, "not a batch journal header".to_owned()))?;
        if header.version != VERSION {
            return Err(corrupt(
                1,
                format!(
                    "journal format {} (this version reads {VERSION})",
                    header.version
                ),
            ));
        }
        if header.batch_id != batch_id {
            return Err(BatchError::OtherBatch {
                path: path.to_owned(),
                found: header.batch_id,
                expected: batch_id.to_owned(),
            });
        }
        for (index, line) in lines {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let entry: JournalEntry = serde_json::from_slice(line)
                .map_err(|error| corrupt(index + 1, error.to_string()))?;
            match entry.outcome {
                JournalOutcome::Sent => {
                    done.insert(entry.row.clone(), entry);
                }
                JournalOutcome::Refused => {
                    let sent = done
                        .get(&entry.row)
                        .is_some_and(|kept| kept.outcome == JournalOutcome::Sent);
                    if !sent {
                        done.insert(entry.row.clone(), entry);
                    }
                }
                JournalOutcome::Failed => {}
            }
        }
        Ok((
            Self {
                path: path.to_owned(),
                file,
            },
            done,
        ))
    }

    /// Appends one outcome, written to the operating system before this returns.
    pub(crate) fn append(&mut self, entry: &JournalEntry) -> Result<(), BatchError> {
        self.write_line(entry)
    }

    /// Asks the operating system to put what was written on disk (at the end of a batch).
    pub(crate) fn sync(&mut self) -> Result<(), BatchError> {
        self.file.sync_data().map_err(|source| BatchError::Journal {
            path: self.path.clone(),
            action: "sync",
            source,
        })
    }

    /// One line, in one write.
    fn write_line(&mut self, value: &impl Serialize) -> Result<(), BatchError> {
        let mut line = serde_json::to_vec(value).map_err(|error| BatchError::Journal {
            path: self.path.clone(),
            action: "write",
            source: std::io::Error::other(error),
        })?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.flush())
            .map_err(|source| BatchError::Journal {
                path: self.path.clone(),
                action: "write",
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(row: &str, outcome: JournalOutcome) -> JournalEntry {
        JournalEntry {
            row: row.to_owned(),
            idempotency_key: format!("batch-{row}"),
            outcome,
            message_id: None,
            replayed: false,
            status: None,
            code: None,
            error: None,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "pilot-status-journal-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&dir);
        dir
    }

    #[test]
    fn a_journal_keeps_final_outcomes_and_drops_a_torn_last_line() {
        let path = scratch("torn");
        {
            let (mut journal, done) = Journal::open(&path, "b1").unwrap();
            assert!(done.is_empty());
            journal.append(&entry("r1", JournalOutcome::Sent)).unwrap();
            journal
                .append(&entry("r2", JournalOutcome::Refused))
                .unwrap();
            journal
                .append(&entry("r3", JournalOutcome::Failed))
                .unwrap();
        }
        // A crash in the middle of a write.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"row":"r4","idempot"#).unwrap();
        drop(file);
        let (mut journal, done) = Journal::open(&path, "b1").unwrap();
        assert_eq!(done.len(), 2, "{done:?}");
        assert_eq!(done["r1"].outcome, JournalOutcome::Sent);
        assert_eq!(done["r2"].outcome, JournalOutcome::Refused);
        journal.append(&entry("r2", JournalOutcome::Sent)).unwrap();
        drop(journal);
        let (_, done) = Journal::open(&path, "b1").unwrap();
        assert_eq!(
            done["r2"].outcome,
            JournalOutcome::Sent,
            "a later send wins"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 5, "the torn line is gone:\n{text}");
        assert!(matches!(
            Journal::open(&path, "b2"),
            Err(BatchError::OtherBatch { .. })
        ));
        assert_eq!(journal_batch_id(&path).unwrap().as_deref(), Some("b1"));
        assert_eq!(journal_batch_id(&scratch("none")).unwrap(), None);
        std::fs::write(
            &path,
            "{\"pilotStatusBatchJournal\":1,\"batchId\":\"b1\"}\nnot json\n{}\n",
        )
        .unwrap();
        assert!(matches!(
            Journal::open(&path, "b1"),
            Err(BatchError::CorruptJournal { line: 2, .. })
        ));
        let _ = std::fs::remove_file(&path);
    }
}
