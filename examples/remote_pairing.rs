//! Creates a remote-pairing link, so someone else connects their own WhatsApp number.
//!
//! ```sh
//! export PILOT_STATUS_API_KEY=ps_...              # required
//! export PILOT_STATUS_BASE_URL=http://127.0.0.1:8080  # optional
//! cargo run --example remote_pairing -- "Cliente Acme" 5511988887777   # QR pairing link
//! cargo run --example remote_pairing -- --meta https://app.acme.com/done # Meta Embedded Signup
//! ```

use std::process::ExitCode;

use pilot_status::{Client, types};

const USAGE: &str =
    "usage: remote_pairing <name> <number>\n       remote_pairing --meta [redirect-url]";

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(api_key) = std::env::var("PILOT_STATUS_API_KEY") else {
        eprintln!(
            "PILOT_STATUS_API_KEY is not set: export your ps_ API key \
             (and PILOT_STATUS_BASE_URL to use another server)"
        );
        return ExitCode::from(2);
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let body = match args.as_slice() {
        [flag, rest @ ..] if flag == "--meta" && rest.len() <= 1 => types::RemotePairingInput {
            provider: Some("META".to_owned()),
            redirect_url: rest.first().cloned(),
            ..Default::default()
        },
        [name, number] => types::RemotePairingInput {
            name: Some(name.clone()),
            number: Some(number.clone()),
            ..Default::default()
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut builder = Client::builder().api_key(api_key);
    if let Ok(base_url) = std::env::var("PILOT_STATUS_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };

    match client.numbers().remote_pairing().body(body).send().await {
        Ok(link) => {
            println!(
                "link:  {}",
                link.remote_pairing_url.as_deref().unwrap_or("(none)")
            );
            println!(
                "token: {}",
                link.remote_pairing_token.as_deref().unwrap_or("(none)")
            );
            if let Some(number_id) = &link.number_id {
                println!("number id: {number_id}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
