//! A request member that can be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A member that may be left out, be `null`, or have a value: three different things on the
/// wire.
///
/// Every optional member that upstream documents as nullable in a type a request sends is
/// one: there `null` resets or clears something. In `numbers().update_settings(..)`,
/// `always_online: Nullable::Null` puts the setting back to the provider's default,
/// `Nullable::Value(true)` turns it on, and `Nullable::Absent` (the default) leaves it as it
/// is. Types only responses carry use `Option` instead (absent and `null` are both `None`).
/// It reads like an `Option` ([`value`](Self::value), [`map`](Self::map),
/// [`as_deref`](Self::as_deref), [`unwrap_or`](Self::unwrap_or), ...), and a decoded value
/// re-serialises to the same JSON.
///
/// ```
/// use pilot_status::Nullable;
///
/// let reset: Nullable<bool> = Nullable::Null;
/// let on: Nullable<bool> = true.into();
/// assert_eq!(serde_json::to_string(&on).unwrap(), "true");
/// assert_eq!(serde_json::to_string(&reset).unwrap(), "null");
/// assert!(Nullable::<bool>::default().is_absent());
/// let name: Nullable<String> = "Acme".into();
/// assert_eq!(name, Nullable::Value("Acme".to_owned()));
/// assert_eq!(name.as_deref().map(str::len), Nullable::Value(4));
/// assert_eq!(Nullable::<bool>::Null.unwrap_or(true), true);
/// let unset: Nullable<String> = None::<String>.into();
/// assert!(unset.is_absent(), "None is left out; Nullable::Null sends null");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Left out of the JSON: the API keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`: the API resets or clears it.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the member is left out (what `skip_serializing_if` asks).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// True when the member is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Borrows the value: `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(value),
        }
    }

    /// The value, if there is one, consuming `self`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// True when there is a value (neither absent nor `null`).
    pub fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// Mutably borrows the value: `Nullable<&mut T>`.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(value),
        }
    }

    /// Maps the value, keeping `Absent` and `Null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_value().unwrap_or(default)
    }

    /// The value, or what `default` makes when absent or `null`.
    pub fn unwrap_or_else(self, default: impl FnOnce() -> T) -> T {
        self.into_value().unwrap_or_else(default)
    }

    /// The value, or `T::default()` when absent or `null`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_value().unwrap_or_default()
    }
}

impl<T: std::ops::Deref> Nullable<T> {
    /// Borrows the value as its target: `Nullable<&str>` from `Nullable<String>`.
    pub fn as_deref(&self) -> Nullable<&T::Target> {
        self.as_ref().map(|value| &**value)
    }
}

impl<T> From<Nullable<T>> for Option<T> {
    /// The value; `None` for both `Absent` and `Null`.
    fn from(nullable: Nullable<T>) -> Self {
        nullable.into_value()
    }
}

impl<T> From<T> for Nullable<T> {
    /// A value: `true.into()`.
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` is a value; `None` is [`Nullable::Absent`] (left out), never `null`: say
    /// [`Nullable::Null`] to send `null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Absent,
        }
    }
}

impl From<&str> for Nullable<String> {
    /// A text value: `"Acme".into()`.
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// `null` for [`Nullable::Null`] (and for `Absent`, which the generated types never
    /// serialise: they skip it), the value otherwise.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` is [`Nullable::Null`]; a missing member is `Absent` through
    /// `#[serde(default)]` on the field.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}
