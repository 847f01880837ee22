//! Path parameters: each value becomes exactly one percent-encoded path segment.
//!
//! Only the generated code calls into this module, and only when the spec has path
//! parameters.
#![allow(dead_code)]

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes one path parameter. Used by the generated code in place of progenitor's
/// `encode_path`, which leaves `;`, `=`, `&`, `+`, `@`, `[`, `]` and others as they are.
///
/// An empty value, `.` or `..` is refused: URL parsers collapse such segments (even
/// percent-encoded ones), so the request would reach another endpoint.
#[allow(
    clippy::result_large_err,
    reason = "the error type is the generated code's, returned with `?` inside it"
)]
pub(crate) fn encode_path<E>(value: &str) -> Result<String, progenitor_client::Error<E>> {
    match value {
        "" => Err(progenitor_client::Error::InvalidRequest(
            "a path parameter is empty".to_owned(),
        )),
        "." | ".." => Err(progenitor_client::Error::InvalidRequest(format!(
            "a path parameter cannot be `{value}`"
        ))),
        _ => Ok(utf8_percent_encode(value, SEGMENT).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &str) -> Result<String, String> {
        encode_path::<()>(value).map_err(|error| error.to_string())
    }

    #[test]
    fn encodes_everything_but_unreserved_characters() {
        assert_eq!(encode("num_01HZX...").as_deref(), Ok("num_01HZX..."));
        assert_eq!(encode("a/b?c#d").as_deref(), Ok("a%2Fb%3Fc%23d"));
        assert_eq!(encode("+5511 9@g.us").as_deref(), Ok("%2B5511%209%40g.us"));
        assert_eq!(
            encode("a;b=c&d[0]%").as_deref(),
            Ok("a%3Bb%3Dc%26d%5B0%5D%25")
        );
        assert_eq!(encode("ação").as_deref(), Ok("a%C3%A7%C3%A3o"));
        assert_eq!(encode("~x-y_z").as_deref(), Ok("~x-y_z"));
    }

    #[test]
    fn refuses_segments_that_would_change_the_path() {
        for value in ["", ".", ".."] {
            let error = encode(value).unwrap_err();
            assert!(error.contains("path parameter"), "{value:?}: {error}");
        }
        assert_eq!(encode("...").as_deref(), Ok("..."));
    }
}
