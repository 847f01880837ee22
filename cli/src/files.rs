//! Files in and out of calls that carry them as base64 in JSON: `messages send
//! --media-file PATH` (a data URI built from a local file, its size checked first) and
//! `media download ... --output DIR|FILE` (the decoded file written to disk).

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use clap::{Arg, ArgMatches};
use pilot_status::types::DownloadedMedia;
use serde_json::{Map, Value, json};

use crate::call::{Call, member_id};
use crate::error::CliError;

/// The clap id (and long name) of `--media-file`.
pub const MEDIA_FILE: &str = "media-file";
/// The clap id (and long name) of `--output`.
pub const OUTPUT: &str = "output";

const MIB: u64 = 1024 * 1024;

/// The largest file of each `mediaType` WhatsApp takes, as Meta documents it for the Cloud
/// API ("Supported media types": images 5 MB, audio and video 16 MB, documents 100 MB,
/// stickers 500 KB animated and 100 KB static). Pilot Status's own docs state no limit for
/// `messages send` and forward media to Meta (or to an Evolution connection, whose limits are
/// not lower), so these are the documented limits a send meets.
pub const MEDIA_LIMITS: [(&str, u64); 6] = [
    ("image", 5 * MIB),
    ("video", 16 * MIB),
    ("audio", 16 * MIB),
    ("voice", 16 * MIB),
    ("document", 100 * MIB),
    ("sticker", 500 * 1024),
];

/// `--media-file PATH` of `messages send`.
pub fn media_file_option() -> Arg {
    Arg::new(MEDIA_FILE)
        .long(MEDIA_FILE)
        .value_name("PATH")
        .value_parser(clap::value_parser!(PathBuf))
        .conflicts_with(member_id("media"))
        .help_heading("Files")
        .help(
            "Send this local file as the media: its MIME type from the file name, its \
             mediaType (image, video, audio, document, sticker) from that unless \
             --media-type says, and WhatsApp's size limit of that type checked before \
             anything is sent (image 5 MiB, audio, voice and video 16 MiB, document 100 MiB, \
             sticker 500 KiB)",
        )
}

/// `--output DIR|FILE` of `media download`.
pub fn download_output_option() -> Arg {
    Arg::new(OUTPUT)
        .long(OUTPUT)
        .short('o')
        .value_name("DIR|FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help_heading("Files")
        .help(
            "Write the decoded file into DIR (an existing directory, or a path ending with \
             /) under its sanitised name, or to FILE, and print what was written as JSON; \
             - writes the bytes to standard output [default: print the JSON answer]",
        )
}

/// The `mediaType` of a MIME type: `image/webp` is a sticker, other images images, and so on;
/// anything else a document.
fn media_type_of(mime: &str) -> &'static str {
    match mime.split('/').next().unwrap_or_default() {
        _ if mime == "image/webp" => "sticker",
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        _ => "document",
    }
}

/// Puts `--media-file`'s data URI in `messages send`'s body (`media`, and `mediaType` when
/// the body has none), after checking the file's size against its type's limit: a file too
/// large is a usage error and nothing is read or sent.
pub fn complete_send_body(
    matches: &ArgMatches,
    body: &mut Map<String, Value>,
) -> Result<(), CliError> {
    let Some(path) = matches.try_get_one::<PathBuf>(MEDIA_FILE).ok().flatten() else {
        return Ok(());
    };
    let read_error = |source| CliError::Read {
        what: format!("the --media-file {}", path.display()),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    let mime = mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream");
    let media_type = match body.get("mediaType") {
        Some(Value::String(given)) => given.clone(),
        _ => media_type_of(mime).to_owned(),
    };
    if let Some((_, limit)) = MEDIA_LIMITS.iter().find(|(kind, _)| *kind == media_type)
        && size > *limit
    {
        return Err(CliError::Usage(format!(
            "--media-file {}: {} is larger than WhatsApp takes for a{} {media_type} ({}); \
             nothing was sent",
            path.display(),
            bytes(size),
            if media_type.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "n"
            } else {
                ""
            },
            bytes(*limit),
        )));
    }
    let data = std::fs::read(path).map_err(read_error)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
    body.insert(
        "media".to_owned(),
        Value::String(format!("data:{mime};base64,{encoded}")),
    );
    body.insert("mediaType".to_owned(), Value::String(media_type));
    Ok(())
}

/// `5.0 MiB`, `500 KiB`, `12 bytes`.
fn bytes(size: u64) -> String {
    if size >= MIB {
        format!("{:.1} MiB", size as f64 / MIB as f64)
    } else if size >= 1024 {
        format!("{:.0} KiB", size as f64 / 1024.0)
    } else {
        format!("{size} bytes")
    }
}

/// `media download ... --output DIR|FILE`: the call's answer decoded and written instead of
/// printed; without `--output`, the call as it is.
pub fn save_download(matches: &ArgMatches, call: Call) -> Result<Call, CliError> {
    let Some(output) = matches
        .try_get_one::<PathBuf>(OUTPUT)
        .ok()
        .flatten()
        .cloned()
    else {
        return Ok(call);
    };
    let Call::Response(response) = call else {
        return Ok(call);
    };
    if output == Path::new("-") && std::io::stdout().is_terminal() {
        return Err(CliError::Usage(
            "the media is binary: give --output DIR or FILE, or redirect standard output"
                .to_owned(),
        ));
    }
    Ok(Call::Custom(Box::pin(async move {
        let answer = response.await?;
        let download: DownloadedMedia = serde_json::from_value(answer.value).map_err(|error| {
            CliError::Usage(format!("the answer is not a media download: {error}"))
        })?;
        let file = download
            .file()
            .map_err(|error| CliError::Media(error.to_string()))?;
        if output == Path::new("-") {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&file.data)
                .and_then(|()| stdout.flush())
                .map_err(|source| CliError::Write {
                    what: "standard output".to_owned(),
                    source,
                })?;
            return Ok(None);
        }
        let into_directory = output.is_dir()
            || output
                .as_os_str()
                .to_string_lossy()
                .ends_with(std::path::is_separator);
        let path = if into_directory {
            file.save_to(&output)
                .map_err(|error| CliError::Media(error.to_string()))?
        } else {
            std::fs::write(&output, &file.data).map_err(|source| CliError::Write {
                what: output.display().to_string(),
                source,
            })?;
            output
        };
        Ok(Some(json!({
            "path": path,
            "mimeType": file.mime_type,
            "fileName": file.file_name,
            "bytes": file.data.len(),
        })))
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mime_type_names_its_media_type() {
        assert_eq!(media_type_of("image/jpeg"), "image");
        assert_eq!(media_type_of("image/webp"), "sticker");
        assert_eq!(media_type_of("audio/ogg"), "audio");
        assert_eq!(media_type_of("video/mp4"), "video");
        assert_eq!(media_type_of("application/pdf"), "document");
        assert_eq!(bytes(5 * MIB), "5.0 MiB");
        assert_eq!(bytes(500 * 1024), "500 KiB");
    }
}
