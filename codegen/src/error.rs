//! The one error type of the spec library, and the place in the spec it points at.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

use crate::pointer;

/// A place in the spec: a JSON pointer and, when it lies under an operation, that
/// operation's id as upstream wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// RFC 6901 JSON pointer into the document (`""` is the whole document).
    pub pointer: String,
    /// The `operationId` of the operation the pointer lies under, if any.
    pub operation: Option<String>,
}

impl Location {
    /// A location known only by its pointer; [`SpecError::locate`] fills in the operation.
    pub fn at(pointer: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            operation: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        match &self.operation {
            Some(operation) => write!(f, "operation `{operation}` at {pointer}"),
            None => write!(f, "{pointer}"),
        }
    }
}

/// Everything that can stop the spec from becoming a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The input is not JSON.
    #[error("{origin} is not valid JSON: {source}")]
    Json {
        /// Where the text came from (a path or a description).
        origin: String,
        /// The parser's complaint, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// The document breaks a rule of OpenAPI or one the generator needs.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong, and when possible what to do about it.
        message: String,
    },
    /// The normalised document does not fit the OpenAPI 3.0 model the generator reads.
    #[error("{location}: does not fit the OpenAPI 3.0 model: {message}")]
    Model {
        /// Where the deserializer stopped.
        location: Location,
        /// The deserializer's message.
        message: String,
    },
    /// progenitor refused (or panicked on) the document.
    #[error("code generation failed for {location}: {message}")]
    Generate {
        /// The operation (or components) the generator failed on.
        location: Location,
        /// The generator's message.
        message: String,
    },
    /// An overlay file is malformed or cannot be applied.
    #[error("{file}{}: {message}", action.map(|index| format!(", action {index}")).unwrap_or_default())]
    Overlay {
        /// The overlay file.
        file: String,
        /// The index of the action at fault, if one is.
        action: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// `design/` (the designed surface) is malformed or inconsistent.
    #[error("{file}{}: {message}", if key.is_empty() { String::new() } else { format!(", entry `{key}`") })]
    Design {
        /// The table file.
        file: String,
        /// The entry at fault (empty for the whole file).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A post-processing rule did not find the generated code it expects; this means the
    /// generator changed shape and the rule must be reviewed.
    #[error("post-processing rule `{rule}` failed: {message}")]
    Rewrite {
        /// The rule's name.
        rule: &'static str,
        /// What it expected and did not find.
        message: String,
    },
}

impl SpecError {
    /// Shorthand for [`SpecError::Invalid`] at a pointer.
    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            location: Location::at(pointer),
            message: message.into(),
        }
    }

    /// The location this error points at, if it has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Invalid { location, .. }
            | Self::Model { location, .. }
            | Self::Generate { location, .. } => Some(location),
            _ => None,
        }
    }

    /// Fills in the operation id of the error's location from `doc`.
    pub fn locate(mut self, doc: &Value) -> Self {
        if let Self::Invalid { location, .. }
        | Self::Model { location, .. }
        | Self::Generate { location, .. } = &mut self
            && location.operation.is_none()
        {
            location.operation = pointer::operation_id_at(doc, &location.pointer);
        }
        self
    }
}

/// Result alias of the spec library.
pub type Result<T, E = SpecError> = std::result::Result<T, E>;
