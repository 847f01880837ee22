//! Typed Rust client for the [Pilot Status](https://pilotstatus.com.br) WhatsApp API.
//!
//! The 87 operations and their types are generated at build time from the vendored upstream
//! spec (`openapi.json`) and its reviewed corrections (`overlays/`) by progenitor; this
//! crate adds a small hand-written layer: credentials and settings ([`ClientBuilder`]), one
//! error type ([`Error`], classified by [`ErrorKind`]), retries ([`RetryPolicy`]), tracing
//! spans, pagination streams ([`Paginated`]), the binary activation audio
//! ([`Client::activation_audio`]) and [`webhooks`] (signatures and typed events).
//!
//! ```no_run
//! use pilot_status::prelude::*;
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new(std::env::var("PILOT_STATUS_API_KEY").unwrap_or_default())?;
//! let link = client
//!     .post_numbers_remote_pairing()
//!     .body_map(|body| body.name("Cliente Acme".to_owned()).number("5511988887777".to_owned()))
//!     .send()
//!     .await?;
//! println!("{:?}", link.remote_pairing_url);
//! # Ok(()) }
//! ```
//!
//! Each call returns [`ResponseValue<T>`](ResponseValue): it dereferences to the typed body
//! and keeps the status and headers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod audio;
mod client;
mod error;
mod pagination;
mod path;
mod response;
mod retry;
pub mod webhooks;

/// The code progenitor generated from `openapi.json` (see `build.rs`).
#[allow(
    missing_docs,
    unused_imports,
    unused_mut,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    rustdoc::all
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use audio::ActivationAudio;
pub use client::{
    ClientBuilder, ClientState, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, MAX_REDIRECTS,
    NUMBER_HEADER, default_user_agent,
};
pub use error::{Error, ErrorKind, ErrorResponse, MAX_KEPT_BODY};
pub use generated::{
    ByteStream, Client, DEFAULT_BASE_URL, ResponseValue, SPEC_VERSION, builder, types,
};
pub use pagination::{Chunk, Paginated};
pub use response::{IDEMPOTENT_REPLAYED, ResponseExt};
pub use retry::RetryPolicy;

/// What most programs need: `use pilot_status::prelude::*;`.
pub mod prelude {
    pub use crate::{Client, Error, ErrorKind, Paginated, ResponseExt, ResponseValue, types};
}

/// Compiles the README's Rust examples as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
