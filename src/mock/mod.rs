//! Test doubles for code that uses this crate; compiled with the `mock` feature (off by
//! default), so enable it in your `[dev-dependencies]` only.
//!
//! - [`webhooks`]: realistic webhook events, signed like Pilot Status signs them, to feed to
//!   your handlers.

pub mod webhooks;
