//! The calls of operations the SDK writes by hand (`hand-written` in
//! `design/operations.yaml`): the generated table points here, by
//! `<resource>_<method>`.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;

use clap::Arg;
use pilot_status::Client;
use serde_json::json;

use crate::call::{Call, Input};
use crate::error::CliError;

const OUTPUT: &str = "output";

/// Completes the JSON body of `operation` with what its own options give (`messages send
/// --media-file`), before it is checked against its type.
pub fn complete_body(
    operation: &str,
    matches: &clap::ArgMatches,
    body: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), CliError> {
    match operation {
        "messages.send" => crate::files::complete_send_body(matches, body),
        _ => Ok(()),
    }
}

/// The call of `operation` as its own options change it (`media download --output` writes
/// the file instead of printing the answer).
pub fn finish(operation: &str, matches: &clap::ArgMatches, call: Call) -> Result<Call, CliError> {
    match operation {
        "media.download" => crate::files::save_download(matches, call),
        _ => Ok(call),
    }
}

/// The options a command has besides its parameters and body members: the hand-written
/// ones' own, and the files generated commands read or write.
pub fn options(operation: &str) -> Vec<Arg> {
    match operation {
        "messages.send" => vec![crate::files::media_file_option()],
        "media.download" => vec![crate::files::download_output_option()],
        "phone_lines.get_activation_audio" => vec![
            Arg::new(OUTPUT)
                .long("output")
                .short('o')
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write the audio to FILE and print what was written as JSON [default: standard output, when it is not a terminal]"),
        ],
        _ => Vec::new(),
    }
}

/// `phone-lines get-activation-audio <ACTIVATION_ID>`: the recording, to `--output FILE`
/// or to standard output (never to a terminal).
pub fn phone_lines_get_activation_audio(
    client: &Client,
    input: &Input<'_>,
) -> Result<Call, CliError> {
    let activation_id: String = input.required("activationId")?;
    let output = input.matches().get_one::<PathBuf>(OUTPUT).cloned();
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::Usage(
            "the activation audio is binary: pass --output FILE, or redirect standard output"
                .to_owned(),
        ));
    }
    let phone_lines = client.phone_lines();
    Ok(Call::Custom(Box::pin(async move {
        let audio = phone_lines
            .get_activation_audio(activation_id)
            .send()
            .await?;
        match output {
            Some(path) => {
                std::fs::write(&path, &audio.data).map_err(|source| CliError::Write {
                    what: path.display().to_string(),
                    source,
                })?;
                Ok(Some(json!({
                    "path": path,
                    "contentType": audio.content_type,
                    "fileName": audio.file_name,
                    "bytes": audio.data.len(),
                })))
            }
            None => {
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(&audio.data)
                    .and_then(|()| stdout.flush())
                    .map_err(|source| CliError::Write {
                        what: "standard output".to_owned(),
                        source,
                    })?;
                Ok(None)
            }
        }
    })))
}
