//! `pilot-status`: the Pilot Status WhatsApp API from the command line (see the library,
//! `pilot_status_cli`).

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(pilot_status_cli::run(std::env::args_os()).code())
}
