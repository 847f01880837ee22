//! The code-generation pipeline of the `pilot-status` SDK, shared by its `build.rs`, the CLI's and `cargo xtask`.
//!
//! ```text
//! openapi.json (upstream, OpenAPI 3.1) ─► overlays/ (reviewed corrections)
//!     ─► normalise (named rules) ─► design/ (names, resources, scopes) ─► preflight
//!     ─► openapiv3 model ─► codegen (progenitor + rewrite rules + prettyplease) ─► Rust
//! ```
//!
//! Every failure is a [`SpecError`] that names the place in the spec (a JSON pointer and,
//! under `paths`, the operation id), never a panic from inside the generator.

pub mod codegen;
#[cfg(feature = "report")]
pub mod contract;
pub mod design;
#[cfg(feature = "report")]
pub mod diff;
#[cfg(feature = "docs")]
pub mod docs;
pub mod document;
#[cfg(feature = "report")]
pub mod drift;
pub mod error;
pub mod events;
#[cfg(feature = "report")]
pub mod merge;
pub mod normalise;
pub mod overlay;
pub mod pointer;
pub mod preflight;
#[cfg(feature = "report")]
pub mod surface;
mod syntax;
pub mod walk;

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

pub use design::{Design, DesignReport};
pub use error::{Location, Result, SpecError};
pub use normalise::Note;
pub use overlay::{Overlay, StaleAction};

/// A spec ready for code generation.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The corrected, normalised document (OpenAPI 3.0, as JSON).
    pub document: Value,
    /// The same document in the model progenitor reads.
    pub openapi: OpenAPI,
    /// What the normaliser changed.
    pub notes: Vec<Note>,
    /// Overlay actions whose target matched nothing.
    pub stale: Vec<StaleAction>,
    /// Operations the design does not name, and design entries that match nothing.
    pub design: DesignReport,
    /// The webhook events: their payload types, from the spec's `webhooks` (after the
    /// overlays) and `design/events.yaml`.
    pub events: events::PreparedEvents,
}

/// Applies the overlays to an upstream document, normalises it, applies the design and
/// checks it can be generated.
pub fn prepare(upstream: &Value, overlays: &[Overlay], design: &Design) -> Result<Prepared> {
    let mut document = upstream.clone();
    let stale = overlay::apply(&mut document, overlays)?;
    let corrected = document.clone();
    let events = events::prepare(
        corrected.get("webhooks").unwrap_or(&Value::Null),
        &design.events,
    )?;
    let notes = normalise::normalise(&mut document).map_err(|e| e.locate(&corrected))?;
    let design = design::apply(&mut document, design).map_err(|e| e.locate(&document))?;
    preflight::check(&document).map_err(|e| e.locate(&document))?;
    let openapi = to_model(&document).map_err(|e| e.locate(&document))?;
    Ok(Prepared {
        document,
        openapi,
        notes,
        stale,
        design,
        events,
    })
}

/// Applies the overlays and the design, normalises, checks and generates the client source.
pub fn generate_client(upstream: &Value, overlays: &[Overlay], design: &Design) -> Result<String> {
    codegen::generate(&prepare(upstream, overlays, design)?)
}

/// The typed mocks (the SDK's `mock` feature) of one upstream document.
#[cfg(all(feature = "mock", feature = "report"))]
#[derive(Debug, Clone)]
pub struct GeneratedMocks {
    /// The Rust source `build.rs` writes when the feature is on.
    pub code: String,
    /// Each operation's mock call and the methods of its `When` and `Then`.
    pub surface: String,
}

/// Runs the whole pipeline and generates the typed mocks.
#[cfg(all(feature = "mock", feature = "report"))]
pub fn generate_mocks(
    upstream: &Value,
    overlays: &[Overlay],
    design: &Design,
) -> Result<GeneratedMocks> {
    let prepared = prepare(upstream, overlays, design)?;
    let client = codegen::generate_file(&prepared)?;
    let mocks = codegen::mock::generate_file(&prepared, &client)?;
    Ok(GeneratedMocks {
        surface: codegen::mock::surface(&prepared, &mocks)?,
        code: codegen::mock::render(&mocks),
    })
}

/// What the SDK's `build.rs` writes into `OUT_DIR`.
#[derive(Debug, Clone)]
pub struct BuildOutputs {
    /// The client (`client.rs`).
    pub client: String,
    /// Its typed mocks (`mock.rs`): with this crate's `mock` feature only.
    pub mocks: Option<String>,
    /// The command table of `pilot-status-cli` (`cli.rs`), as the definition of the macro
    /// the SDK exports and the CLI expands (`codegen::cli::MACRO`): with this crate's `cli`
    /// feature only.
    pub cli: Option<String>,
    /// The payload types of the webhook events (`events.rs`).
    pub events: String,
}

/// The inputs of a generation, as a repository holds them: `openapi.json`, `overlays/`
/// and `design/`.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// upstream's spec.
    pub spec: Value,
    /// The reviewed corrections, in order.
    pub overlays: Vec<Overlay>,
    /// The designed surface.
    pub design: Design,
}

impl Inputs {
    /// Reads `<root>/openapi.json`, `<root>/overlays/` and `<root>/design/`.
    pub fn read(root: &Path) -> Result<Self> {
        Ok(Self {
            spec: document::read(&root.join("openapi.json"))?,
            overlays: overlay::load_dir(&root.join("overlays"))?,
            design: Design::load_dir(&root.join("design"))?,
        })
    }

    /// Prepares these inputs once and generates what the SDK's `build.rs` writes: the
    /// client, plus its typed mocks and the CLI's command table when this crate's `mock` and
    /// `cli` features (which the SDK's features of those names turn on) are on.
    pub fn generate_for_build(&self) -> Result<BuildOutputs> {
        let prepared = prepare(&self.spec, &self.overlays, &self.design)?;
        let file = codegen::generate_file(&prepared)?;
        let client = codegen::render(&file);
        let events = events::generate(&prepared.events)?;
        #[cfg(feature = "mock")]
        let mocks = Some(codegen::mock::generate(&prepared, &file)?);
        #[cfg(not(feature = "mock"))]
        let mocks = None;
        #[cfg(feature = "cli")]
        let cli = Some(codegen::cli::generate(&prepared, &client)?);
        #[cfg(not(feature = "cli"))]
        let cli = None;
        Ok(BuildOutputs {
            client,
            mocks,
            cli,
            events,
        })
    }

    /// Runs the whole pipeline on these inputs.
    #[cfg(feature = "report")]
    pub fn generate(&self) -> Result<Generated> {
        generate(&self.spec, &self.overlays, &self.design)
    }

    /// Runs the whole pipeline on another upstream document with these corrections and
    /// this design.
    #[cfg(feature = "report")]
    pub fn generate_from(&self, upstream: &Value) -> Result<Generated> {
        generate(upstream, &self.overlays, &self.design)
    }

    /// The typed mocks of these inputs.
    #[cfg(all(feature = "mock", feature = "report"))]
    pub fn generate_mocks(&self) -> Result<GeneratedMocks> {
        generate_mocks(&self.spec, &self.overlays, &self.design)
    }

    /// The typed mocks of another upstream document with these corrections and this design.
    #[cfg(all(feature = "mock", feature = "report"))]
    pub fn generate_mocks_from(&self, upstream: &Value) -> Result<GeneratedMocks> {
        generate_mocks(upstream, &self.overlays, &self.design)
    }
}

/// Everything the pipeline makes of one upstream document.
#[cfg(feature = "report")]
#[derive(Debug, Clone)]
pub struct Generated {
    /// The corrected, normalised spec.
    pub prepared: Prepared,
    /// The Rust source `build.rs` writes.
    pub code: String,
    /// The public surface of that code.
    pub surface: surface::Surface,
    /// The payload types of the webhook events (`OUT_DIR/events.rs`).
    pub events_code: String,
    /// Their surface (`tests/snapshots/surface__events.snap`).
    pub events_surface: String,
}

/// Runs the whole pipeline: overlays, normalise, design, generate, extract the surface.
#[cfg(feature = "report")]
pub fn generate(upstream: &Value, overlays: &[Overlay], design: &Design) -> Result<Generated> {
    let prepared = prepare(upstream, overlays, design)?;
    let code = codegen::generate(&prepared)?;
    let surface = surface::extract(&prepared, &code)?;
    let events_code = events::generate(&prepared.events)?;
    let events_surface = events::surface(&prepared.events);
    Ok(Generated {
        prepared,
        code,
        surface,
        events_code,
        events_surface,
    })
}

/// Deserializes the normalised document into `openapiv3`'s model, reporting where it stops.
///
/// `openapiv3` flattens `paths` and `components`, which hides the position of an error
/// below them; when the whole document fails, each operation and component is tried on its
/// own to find the exact place.
fn to_model(document: &Value) -> Result<OpenAPI> {
    let error = match model_at::<OpenAPI>(document, "") {
        Ok(openapi) => return Ok(openapi),
        Err(error) => error,
    };
    let mut finer = walk::operations(document).find_map(|at| {
        model_at::<openapiv3::Operation>(at.operation, &pointer::operation(at.path, at.method))
            .err()
    });
    if finer.is_none()
        && let Some(schemas) = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
    {
        finer = schemas.iter().find_map(|(name, schema)| {
            model_at::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                schema,
                &pointer::join("/components/schemas", name),
            )
            .err()
        });
    }
    Err(finer.unwrap_or(error))
}

/// Deserializes `value` as `T`, turning an error into a [`SpecError::Model`] whose pointer
/// is `base` followed by the path where deserialization stopped.
fn model_at<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let pointer = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .fold(base.to_owned(), |pointer, token| {
                pointer::join(&pointer, &token)
            });
        SpecError::Model {
            location: Location::at(pointer),
            message: error.into_inner().to_string(),
        }
    })
}
