//! Media received on Meta numbers, as files: [`MediaFile`], from
//! [`DownloadedMedia::file`](crate::types::DownloadedMedia::file).

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use bytes::Bytes;

use crate::types::DownloadedMedia;

/// A downloaded media file: its bytes (decoded), its MIME type and a file name that is safe
/// to join onto a directory.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// The file's bytes.
    pub data: Bytes,
    /// Its MIME type, as the API gives it (`image/jpeg`, `audio/ogg; codecs=opus`, ...).
    pub mime_type: String,
    /// A file name without directories, `..` or control characters: the API's `fileName`
    /// cleaned, or `<media id>.<extension of the MIME type>` when it gives none.
    pub file_name: String,
}

impl fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaFile")
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .field("mime_type", &self.mime_type)
            .field("file_name", &self.file_name)
            .finish()
    }
}

/// Why a media download cannot become a file, or the file cannot be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The `base64` member is not valid base64 (bare, or in a `data:` URI).
    #[error("media {media_id}: the body's base64 does not decode: {source}")]
    Base64 {
        /// The media id.
        media_id: String,
        /// The decoder's complaint.
        #[source]
        source: base64::DecodeError,
    },
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

impl DownloadedMedia {
    /// The media as a file: the decoded bytes, the MIME type and a safe file name.
    ///
    /// `base64` is read as the docs give it, a data URI (`data:application/pdf;base64,...`),
    /// or as bare base64; padding may be left out and line breaks are ignored. The MIME type
    /// is `mimeType`, or the data URI's when `mimeType` is empty.
    ///
    /// ```no_run
    /// # async fn run(client: pilot_status::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let media = client.media().download("wamid.media", "1234567890").send().await?;
    /// let path = media.file()?.save_to("downloads")?;
    /// println!("saved {}", path.display());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`MediaError::Base64`] when `base64` does not decode.
    pub fn file(&self) -> Result<MediaFile, MediaError> {
        let (uri_type, encoded) = data_uri(self.base64.trim());
        let encoded: Vec<u8> = encoded
            .bytes()
            .filter(|byte| !byte.is_ascii_whitespace())
            .collect();
        let data = LENIENT
            .decode(encoded)
            .map_err(|source| MediaError::Base64 {
                media_id: self.media_id.clone(),
                source,
            })?;
        let mime_type = match (self.mime_type.trim(), uri_type) {
            ("", Some(uri_type)) => uri_type.to_owned(),
            _ => self.mime_type.clone(),
        };
        Ok(MediaFile {
            data: Bytes::from(data),
            file_name: safe_file_name(self.file_name.as_deref(), &self.media_id, &mime_type),
            mime_type,
        })
    }
}

impl MediaFile {
    /// Writes the file into `dir` (created when missing) under [`MediaFile::file_name`] and
    /// returns its path. An existing file of that name is replaced. Blocking: from async
    /// code, call it in `tokio::task::spawn_blocking` for large files.
    ///
    /// # Errors
    /// [`MediaError::Write`] when the directory or the file cannot be written.
    pub fn save_to(&self, dir: impl AsRef<Path>) -> Result<PathBuf, MediaError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| MediaError::Write {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(&self.file_name);
        std::fs::write(&path, &self.data).map_err(|source| MediaError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

/// Standard base64 that takes its padding or leaves it out.
pub(crate) const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// The MIME type and the base64 of a `data:<type>;base64,<data>` URI (RFC 2397), or no type
/// and `text` itself when it is bare base64.
pub(crate) fn data_uri(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text
        .get(..5)
        .filter(|scheme| scheme.eq_ignore_ascii_case("data:"))
        .map(|_| &text[5..])
    else {
        return (None, text);
    };
    let Some((header, data)) = rest.split_once(',') else {
        return (None, text);
    };
    let mime_type = header
        .split(';')
        .next()
        .map(str::trim)
        .filter(|mime_type| !mime_type.is_empty());
    (mime_type, data)
}

/// The last path component of `given`, without control characters, reserved characters or a
/// leading dot; `<media id>.<extension>` when nothing usable is left.
fn safe_file_name(given: Option<&str>, media_id: &str, mime_type: &str) -> String {
    let clean = |text: &str| -> String {
        let last = text.rsplit(['/', '\\']).next().unwrap_or_default();
        let kept: String = last
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
            .collect();
        kept.trim().trim_start_matches('.').trim().to_owned()
    };
    if let Some(name) = given.map(clean).filter(|name| !name.is_empty()) {
        return name;
    }
    let stem = clean(media_id);
    let stem = if stem.is_empty() {
        "media".to_owned()
    } else {
        stem
    };
    format!("{stem}.{}", extension(mime_type))
}

/// A file extension for a MIME type (`bin` when unknown).
fn extension(mime_type: &str) -> &'static str {
    let essence = mime_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "audio/ogg" | "audio/opus" => "ogg",
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/aac" => "aac",
        "audio/amr" => "amr",
        "audio/mp4" => "m4a",
        "video/mp4" => "mp4",
        "video/3gpp" => "3gp",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(file_name: Option<&str>) -> DownloadedMedia {
        DownloadedMedia {
            base64: "T2xhIQ==".to_owned(),
            file_name: file_name.map(str::to_owned),
            media_id: "wamid.123".to_owned(),
            mime_type: "image/jpeg".to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_download_becomes_bytes_and_a_safe_name() {
        let file = download(Some("foto.jpg")).file().unwrap();
        assert_eq!(&file.data[..], b"Ola!");
        assert_eq!(file.mime_type, "image/jpeg");
        assert_eq!(file.file_name, "foto.jpg");
        for (given, expected) in [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("/abs/path/x.png", "x.png"),
            (".hidden", "hidden"),
            ("..", "wamid.123.jpg"),
            ("a\u{0}b\nc.txt", "abc.txt"),
            ("c:evil?.jpg", "cevil.jpg"),
            ("", "wamid.123.jpg"),
        ] {
            assert_eq!(
                download(Some(given)).file().unwrap().file_name,
                expected,
                "{given:?}"
            );
        }
        assert_eq!(download(None).file().unwrap().file_name, "wamid.123.jpg");
    }

    #[test]
    fn a_data_uri_decodes_as_its_base64() {
        let mut pdf = download(Some("fatura.pdf"));
        pdf.base64 = "data:application/pdf;base64,JVBERi0xLjcK".to_owned();
        pdf.mime_type = String::new();
        let file = pdf.file().unwrap();
        assert_eq!(&file.data[..], b"%PDF-1.7\n");
        assert_eq!(file.mime_type, "application/pdf");
        // Unpadded and wrapped base64, and an upper-case scheme.
        pdf.base64 = "DATA:application/pdf;base64,JVBERi\n0xLjcKJQ".to_owned();
        assert_eq!(&pdf.file().unwrap().data[..], b"%PDF-1.7\n%");
        // The member's own MIME type wins over the URI's.
        pdf.mime_type = "application/x-pdf".to_owned();
        assert_eq!(pdf.file().unwrap().mime_type, "application/x-pdf");
    }

    #[test]
    fn bad_base64_is_an_error_naming_the_media() {
        let mut broken = download(None);
        broken.base64 = "not base64!".to_owned();
        let error = broken.file().unwrap_err();
        assert!(
            error.to_string().starts_with("media wamid.123: "),
            "{error}"
        );
    }

    #[test]
    fn a_file_is_saved_inside_the_directory() {
        let dir = std::env::temp_dir().join(format!("pilot-status-media-{}", std::process::id()));
        let path = download(Some("../escape.jpg"))
            .file()
            .unwrap()
            .save_to(&dir)
            .unwrap();
        assert_eq!(path, dir.join("escape.jpg"));
        assert_eq!(std::fs::read(&path).unwrap(), b"Ola!");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
