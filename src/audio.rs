//! The one binary download: the recording of a phone-line activation call.

use std::fmt;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};

use crate::Error;
use crate::resources::PhoneLinesResource;

const OPERATION: &str = crate::generated::operation::PHONE_LINES_GET_ACTIVATION_AUDIO;

/// The audio of a phone-line activation call, read whole.
///
/// The recording speaks the activation code, a credential: `Debug` shows its size and type,
/// never the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ActivationAudio {
    /// The media type (`audio/ogg`, `audio/mpeg`, ...); `application/octet-stream` when the
    /// response names none.
    pub content_type: String,
    /// The declared length, when the response declares one.
    pub content_length: Option<u64>,
    /// The file name from `Content-Disposition`, when given.
    pub file_name: Option<String>,
    /// The audio.
    pub data: Bytes,
}

impl fmt::Debug for ActivationAudio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivationAudio")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("file_name", &self.file_name)
            .field(
                "data",
                &format_args!("<{} bytes, not shown>", self.data.len()),
            )
            .finish()
    }
}

impl PhoneLinesResource {
    /// Downloads the recording of a phone-line activation call (the `audioUrl` of the
    /// `phone_line.audio_received` webhook): `.send().await` reads it whole.
    ///
    /// - Route: `GET /v1/phone-lines/activations/{activationId}/audio` (upstream operation
    ///   `get_phone-lines_activations_activationId_audio`)
    /// - Key: an account-wide (tenant-scoped) key
    /// - Permission: `phone_lines:read`
    ///
    /// Sends `Accept: audio/*, application/json`; errors (404 `ACTIVATION_NOT_FOUND`, ...)
    /// come back as [`Error::Api`] like any other call.
    pub fn get_activation_audio(&self, activation_id: impl Into<String>) -> GetActivationAudio {
        GetActivationAudio {
            call: self
                .client
                .phone_lines_get_activation_audio()
                .activation_id(activation_id.into()),
        }
    }
}

/// A download of a phone-line activation recording, made by
/// [`phone_lines().get_activation_audio(id)`](PhoneLinesResource::get_activation_audio): take the
/// per-call options ([`CallOptions`](crate::CallOptions)), then `.send().await`. It owns a
/// clone of the client, so it can be stored, cloned and moved into a task.
#[derive(Debug, Clone)]
pub struct GetActivationAudio {
    call: crate::builder::PhoneLinesGetActivationAudio,
}

impl GetActivationAudio {
    /// Sends the request and reads the recording whole.
    ///
    /// # Errors
    /// As any call, plus [`Error::Network`] when the body breaks off.
    pub async fn send(self) -> Result<ActivationAudio, Error> {
        let response = self.call.send().await?;
        let headers = response.headers().clone();
        let mut body = BytesMut::new();
        let mut stream = response.into_inner_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|source| Error::from_reqwest(OPERATION, source))?;
            body.extend_from_slice(&chunk);
        }
        Ok(ActivationAudio::from_parts(&headers, body.freeze()))
    }
}

/// `call.await` sends the call: the same as `call.send().await`.
impl std::future::IntoFuture for GetActivationAudio {
    type Output = Result<ActivationAudio, Error>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl crate::options::sealed::Call for GetActivationAudio {
    fn client_mut(&mut self) -> &mut crate::Client {
        crate::options::sealed::Call::client_mut(&mut self.call)
    }
}

impl ActivationAudio {
    fn from_parts(headers: &HeaderMap, data: Bytes) -> Self {
        let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
        Self {
            content_type: text(CONTENT_TYPE)
                .map(str::to_owned)
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            content_length: text(CONTENT_LENGTH).and_then(|v| v.trim().parse().ok()),
            file_name: text(CONTENT_DISPOSITION).and_then(file_name),
            data,
        }
    }
}

/// The file name of a `Content-Disposition` value: `filename*=UTF-8''...` (RFC 6266 /
/// RFC 8187) wins over `filename="..."` or a bare `filename=...`.
pub(crate) fn file_name(disposition: &str) -> Option<String> {
    let mut plain = None;
    for parameter in split_parameters(disposition).into_iter().skip(1) {
        let Some((name, value)) = parameter.split_once('=') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        if name == "filename*" {
            if let Some(decoded) = extended_value(value) {
                return Some(decoded);
            }
        } else if name == "filename" && plain.is_none() {
            plain = Some(unquote(value));
        }
    }
    plain.filter(|name| !name.is_empty())
}

/// Splits on `;` outside quoted strings.
fn split_parameters(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (index, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&value[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => value.to_owned(),
    }
}

/// `UTF-8'lang'percent%20encoded` → its text (UTF-8 and ISO-8859-1 charsets).
fn extended_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.to_ascii_lowercase();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    match charset.as_str() {
        "utf-8" => String::from_utf8(bytes).ok(),
        "iso-8859-1" => Some(bytes.into_iter().map(char::from).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_in_every_form() {
        assert_eq!(
            file_name("attachment; filename=\"activation.ogg\"").as_deref(),
            Some("activation.ogg")
        );
        assert_eq!(
            file_name("attachment; filename=activation.mp3").as_deref(),
            Some("activation.mp3")
        );
        assert_eq!(
            file_name(
                "attachment; filename=\"fallback.ogg\"; filename*=UTF-8''ativa%C3%A7%C3%A3o%201.ogg"
            )
            .as_deref(),
            Some("ativação 1.ogg")
        );
        assert_eq!(
            file_name("inline; filename=\"a \\\"quoted\\\"; name.ogg\"").as_deref(),
            Some("a \"quoted\"; name.ogg")
        );
        assert_eq!(
            file_name("attachment; filename*=iso-8859-1'pt'a%E7%E3o.ogg").as_deref(),
            Some("ação.ogg")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"\""), None);
    }

    #[test]
    fn debug_never_shows_the_audio() {
        let audio = ActivationAudio {
            content_type: "audio/ogg".to_owned(),
            content_length: Some(4),
            file_name: None,
            data: Bytes::from_static(b"1234"),
        };
        let printed = format!("{audio:?}");
        assert!(printed.contains("<4 bytes, not shown>"), "{printed}");
        assert!(!printed.contains("49, 50"), "{printed}");
    }
}
