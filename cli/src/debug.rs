//! `--debug`: the SDK's tracing (one span per request with its operation, method, path,
//! idempotency key, status, attempts and latency; an event per attempt and per retry) on
//! standard error, with every credential the command holds replaced by `<redacted>` in
//! whatever is written.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The secrets this command holds, to be redacted from debug output.
fn secrets() -> &'static Mutex<Vec<String>> {
    static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Marks `secret` as never to be written by `--debug`.
pub fn redact(secret: &str) {
    if secret.is_empty() {
        return;
    }
    if let Ok(mut secrets) = secrets().lock()
        && !secrets.iter().any(|known| known == secret)
    {
        secrets.push(secret.to_owned());
    }
}

/// Sends the SDK's (and this tool's) tracing at debug level to standard error. Called once,
/// before any call; a second call does nothing.
pub fn enable() {
    let filter = Targets::new()
        .with_target("pilot_status", tracing::Level::TRACE)
        .with_target("pilot_status_cli", tracing::Level::TRACE)
        .with_default(tracing::Level::WARN);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(|| Redacting(std::io::stderr()))
        .with_span_events(FmtSpan::CLOSE)
        .with_target(true);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

/// Standard error, with every known secret replaced.
struct Redacting<W>(W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let mut text = text.into_owned();
        if let Ok(secrets) = secrets().lock() {
            for secret in secrets.iter() {
                text = text.replace(secret.as_str(), "<redacted>");
            }
        }
        self.0.write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_secret_is_never_written() {
        redact("ps_live_secret_for_redaction");
        let mut out = Redacting(Vec::new());
        out.write_all(b"x-api-key: ps_live_secret_for_redaction\n")
            .expect("written");
        assert_eq!(
            String::from_utf8(out.0).expect("text"),
            "x-api-key: <redacted>\n"
        );
    }
}
