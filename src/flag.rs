//! On/off query parameters.

use serde::{Serialize, Serializer};

/// A query parameter that is a switch, such as `refresh` on `numbers().get(..)`: set it
/// with `true`/`false`; `true` sends `name=1` (what the API expects), `false` leaves the
/// parameter out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flag(pub bool);

impl From<bool> for Flag {
    fn from(on: bool) -> Self {
        Self(on)
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 {
            serializer.serialize_str("1")
        } else {
            serializer.serialize_none()
        }
    }
}
