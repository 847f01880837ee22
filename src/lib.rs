//! Typed Rust client for the [Pilot Status](https://pilotstatus.com.br) WhatsApp API.
//!
//! The API is reached through [`Client`]'s resources, `client.<resource>().<method>(..)`:
//! [`messages`](Client::messages), [`numbers`](Client::numbers), [`calls`](Client::calls),
//! [`templates`](Client::templates), [`webhooks`](Client::webhooks), ... (one page per
//! resource in [`resources`]). A method takes what the operation requires as arguments and
//! returns the call's builder ([`builder`]), which takes the optional parameters and body
//! members (and per-call options, [`CallOptions`]);
//! `.send().await` makes the call and returns [`ResponseValue<T>`](ResponseValue): it
//! dereferences to the typed body ([`types`]) and keeps the status and headers.
//!
//! ```no_run
//! use pilot_status::prelude::*;
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::new(std::env::var("PILOT_STATUS_API_KEY").expect("PILOT_STATUS_API_KEY"))?;
//! let link = client
//!     .numbers()
//!     .remote_pairing()
//!     .name("Cliente Acme")
//!     .number("5511988887777")
//!     .send()
//!     .await?;
//! println!("{:?}", link.remote_pairing_url);
//! # Ok(()) }
//! ```
//!
//! The 87 operations and their types are generated at build time from the vendored upstream
//! spec (`openapi.json`), its reviewed corrections (`overlays/`) and the designed surface
//! (`design/`: names, resources, key scopes) by progenitor. A small hand-written layer adds
//! credentials and settings ([`ClientBuilder`]), one error type ([`Error`], classified by
//! [`ErrorKind`]), retries ([`RetryPolicy`]), tracing spans, pagination streams
//! ([`Paginated`]), batch sends ([`batch`]: every row exactly once, a journal, concurrency that
//! adapts to the rate limit), the binary activation audio
//! ([`PhoneLines::get_activation_audio`](resources::PhoneLines::get_activation_audio)) and
//! [`webhooks`] (signatures and typed events).
//!
//! A call that compiles has every argument the spec requires:
//!
//! ```compile_fail,E0061
//! # async fn run(client: pilot_status::Client) {
//! // error[E0061]: `get` takes the number id.
//! let number = client.numbers().get().send().await;
//! # }
//! ```
//!
//! ```compile_fail,E0061
//! # async fn run(client: pilot_status::Client) {
//! // error[E0061]: `cancel` takes the ids of the messages to cancel (its required body).
//! let cancelled = client.messages().cancel().send().await;
//! # }
//! ```
//!
//! ```compile_fail,E0061
//! # async fn run(client: pilot_status::Client) {
//! // error[E0061]: `create_checkout` takes its required body.
//! let checkout = client.billing().create_checkout().send().await;
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The generated code names the SDK's own types as `::pilot_status::..` (`x-rust-type`).
extern crate self as pilot_status;

mod audio;
pub mod batch;
mod client;
mod error;
mod flag;
mod idempotency;
mod media;
#[cfg(feature = "mock")]
pub mod mock;
mod nullable;
mod options;
mod pagination;
mod path;
mod reading;
mod response;
mod retry;
mod send;
mod throttle;
pub mod webhooks;

/// The code progenitor generated from `openapi.json` (see `build.rs`).
#[allow(
    missing_docs,
    unused_imports,
    unused_mut,
    unused_qualifications,
    clippy::all,
    clippy::pedantic
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use audio::{ActivationAudio, GetActivationAudio};
pub use client::{
    ClientBuilder, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, MAX_REDIRECTS, NUMBER_HEADER,
    default_user_agent,
};
pub use error::{Error, ErrorKind, ErrorResponse, MAX_KEPT_BODY, UndecodedResponse};
pub use flag::Flag;
pub use generated::{Client, DEFAULT_BASE_URL, SPEC_VERSION, builder, resources, types};
pub use idempotency::{IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY_LEN};
pub use media::{MediaError, MediaFile};
pub use nullable::Nullable;
pub use options::CallOptions;
pub use pagination::{Chunk, Pages, Paginated};
pub use reading::Deviation;
pub use response::{IDEMPOTENT_REPLAYED, ResponseExt, ResponseValue};
pub use retry::RetryPolicy;

/// What most programs need: `use pilot_status::prelude::*;`.
///
/// It also brings `futures_util`'s [`StreamExt`](futures_util::StreamExt) and
/// [`TryStreamExt`](futures_util::TryStreamExt), which read the pagination streams
/// (`stream.try_next().await`), so a program needs no `futures-util` dependency of its own.
pub mod prelude {
    pub use crate::{
        CallOptions, Client, Error, ErrorKind, Nullable, Paginated, ResponseExt, ResponseValue,
        types,
    };
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}

/// Compiles the README's Rust examples as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
