//! Instants: [`Timestamp`], what the API's ISO 8601 members and parameters are in Rust.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset, SecondsFormat, Timelike, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An instant, as the API writes it: an RFC 3339 date and time (the docs' "ISO 8601"), such
/// as `2026-06-21T12:00:00.000Z`.
///
/// What the SDK reads (`createdAt`, `deliveredAt`, webhook `createdAt`, ...) and what it
/// sends (`deliverAt`, the `startDate`/`endDate` filters, the calls cursor `before`) is a
/// `Timestamp`. Reading takes any RFC 3339 text, with `Z` or any offset and any number of
/// fractional digits, and keeps the instant (in UTC). Sending, [`Display`](fmt::Display)
/// and [`Timestamp::to_rfc3339`] write it the way the API does: UTC, `Z`, milliseconds
/// (`2026-06-21T12:00:00.000Z`), and more fractional digits only when the instant has them
/// (`.123456Z`, `.123456789Z`), so nothing is rounded away.
///
/// Build one from text ([`Timestamp::parse`], `"...".parse()`, `Timestamp::try_from("...")`),
/// from [`SystemTime`] ([`Timestamp::now`]), from Unix milliseconds, or from `chrono`'s
/// `DateTime` (re-exported as [`crate::chrono`], so no dependency of your own is needed);
/// [`Timestamp::to_chrono`] goes the other way.
///
/// A response or event value that is not an instant is not turned into one: the member reads
/// as `None` and a [`Deviation`](crate::Deviation) keeps the text that came.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

/// Text that is not an RFC 3339 instant (`2026-06-21T12:00:00Z`, `...+02:00`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an RFC 3339 instant (such as 2026-06-21T12:00:00.000Z): {reason}")]
pub struct TimestampError {
    text: String,
    reason: String,
}

impl TimestampError {
    /// The text that did not parse.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What a deserializer is told a [`Timestamp`] expects, and what a tolerant reading's
/// [`Deviation::expected`](crate::Deviation::expected) says.
pub(crate) const EXPECTED: &str = "an RFC 3339 instant (ISO 8601)";

impl Timestamp {
    /// Parses RFC 3339 text: a date, `T`, a time with optional fractional seconds, and `Z` or
    /// an offset (`+02:00`). A time without an offset names no instant and is refused.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        DateTime::parse_from_rfc3339(text)
            .map(|instant| Self(instant.with_timezone(&Utc)))
            .map_err(|error| TimestampError {
                text: text.to_owned(),
                reason: error.to_string(),
            })
    }

    /// The current instant, from the system clock.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// The instant `millis` milliseconds after 1970-01-01T00:00:00Z (before it, when
    /// negative); `None` beyond the range `chrono` represents.
    pub fn from_unix_millis(millis: i64) -> Option<Self> {
        DateTime::from_timestamp_millis(millis).map(Self)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z (negative before it), sub-milliseconds cut.
    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// The instant as `chrono`'s `DateTime<Utc>`.
    pub fn to_chrono(self) -> DateTime<Utc> {
        self.0
    }

    /// The text the SDK sends: UTC, `Z`, milliseconds, or microseconds or nanoseconds when
    /// the instant has them (`2026-06-21T12:00:00.000Z`).
    pub fn to_rfc3339(&self) -> String {
        let nanos = self.0.nanosecond() % 1_000_000_000;
        let precision = if nanos.is_multiple_of(1_000_000) {
            SecondsFormat::Millis
        } else if nanos.is_multiple_of(1_000) {
            SecondsFormat::Micros
        } else {
            SecondsFormat::Nanos
        };
        self.0.to_rfc3339_opts(precision, true)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl TryFrom<&String> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: &String) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Timestamp {
    type Error = TimestampError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Self(instant)
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(instant: DateTime<FixedOffset>) -> Self {
        Self(instant.with_timezone(&Utc))
    }
}

impl From<SystemTime> for Timestamp {
    fn from(instant: SystemTime) -> Self {
        Self(DateTime::<Utc>::from(instant))
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(instant: Timestamp) -> Self {
        instant.0
    }
}

impl From<Timestamp> for SystemTime {
    fn from(instant: Timestamp) -> Self {
        SystemTime::from(instant.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Timestamp::parse(text).map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// The name under which [`required`] asks for a required instant, so that the tolerant
/// reader (`crate::reading`) can tell a `null` the body has from a member it stands in for.
pub(crate) const REQUIRED_MARKER: &str = "pilot_status::RequiredInstant";

/// Reads a member the docs always give but that the SDK types as `Option<Timestamp>`:
/// there is no instant to stand in for a missing or unreadable one. Unlike a plain
/// `Option`, the strict decode refuses a body that leaves the member out or sends `null`
/// (so tolerant reading reads it, names the place as a deviation and reads `None`); an
/// instant reads as `Some`.
///
/// The generated code names it on every such member (`deserialize_with`).
#[doc(hidden)]
pub fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_newtype_struct(REQUIRED_MARKER, RequiredVisitor)
}

struct RequiredVisitor;

impl<'de> Visitor<'de> for RequiredVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        match Option::<Required>::deserialize(deserializer)? {
            Some(Required::Instant(instant)) => Ok(Some(instant)),
            Some(Required::StandIn) => Ok(None),
            None => Err(de::Error::invalid_type(de::Unexpected::Unit, &self)),
        }
    }

    /// Only the tolerant reader calls this: the member is missing, `null` or unreadable, and
    /// the reader has recorded the deviation.
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// What a required instant's text reads as: an instant, or the tolerant reader's stand-in
/// for nothing readable (`crate::reading::STAND_IN`, a string no body holds), which a
/// flattened member's required instant is shown where the body has none.
enum Required {
    Instant(Timestamp),
    StandIn,
}

impl<'de> Deserialize<'de> for Required {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Required;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Required, E> {
                if text == crate::reading::STAND_IN {
                    return Ok(Required::StandIn);
                }
                Timestamp::parse(text)
                    .map(Required::Instant)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_the_api_writes() {
        for (text, written) in [
            ("2026-06-21T12:00:00.000Z", "2026-06-21T12:00:00.000Z"),
            ("2026-06-21T12:00:00Z", "2026-06-21T12:00:00.000Z"),
            ("2026-06-21T14:00:00+02:00", "2026-06-21T12:00:00.000Z"),
            ("2026-06-21T12:00:00.5Z", "2026-06-21T12:00:00.500Z"),
            ("2026-06-21T12:00:00.123456Z", "2026-06-21T12:00:00.123456Z"),
            (
                "2026-06-21T12:00:00.123456789-03:30",
                "2026-06-21T15:30:00.123456789Z",
            ),
            ("2026-06-21t12:00:00z", "2026-06-21T12:00:00.000Z"),
        ] {
            let instant = Timestamp::parse(text).unwrap();
            assert_eq!(instant.to_string(), written, "{text}");
            assert_eq!(
                serde_json::to_value(instant).unwrap(),
                serde_json::json!(written)
            );
            let back: Timestamp = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(back, instant);
        }
    }

    #[test]
    fn refuses_what_names_no_instant() {
        for text in [
            "",
            "2026-06-21",
            "2026-06-21T12:00:00",
            "yesterday",
            "1750507200",
        ] {
            let error = Timestamp::parse(text).unwrap_err();
            assert_eq!(error.text(), text);
            let decoded = serde_json::from_value::<Timestamp>(serde_json::json!(text));
            assert!(decoded.unwrap_err().to_string().contains(EXPECTED));
        }
        assert!(serde_json::from_value::<Timestamp>(serde_json::json!(1)).is_err());
    }

    #[test]
    fn a_required_instant_is_refused_when_null_or_missing() {
        #[derive(Debug, Deserialize)]
        struct Sent {
            #[serde(rename = "createdAt", deserialize_with = "required")]
            created_at: Option<Timestamp>,
        }
        let sent: Sent =
            serde_json::from_value(serde_json::json!({"createdAt": "2026-06-20T10:00:00.000Z"}))
                .unwrap();
        assert_eq!(
            sent.created_at
                .map(|instant| instant.to_string())
                .as_deref(),
            Some("2026-06-20T10:00:00.000Z")
        );
        for body in [
            serde_json::json!({"createdAt": null}),
            serde_json::json!({}),
            serde_json::json!({"createdAt": "soon"}),
        ] {
            assert!(
                serde_json::from_value::<Sent>(body.clone()).is_err(),
                "{body}"
            );
        }
    }

    #[test]
    fn converts_both_ways() {
        let instant = Timestamp::from_unix_millis(1_750_507_200_123).unwrap();
        assert_eq!(instant.to_string(), "2025-06-21T12:00:00.123Z");
        assert_eq!(instant.unix_millis(), 1_750_507_200_123);
        assert_eq!(Timestamp::from(SystemTime::from(instant)), instant);
        assert_eq!(Timestamp::from(instant.to_chrono()), instant);
        assert!(Timestamp::now() > instant);
    }
}
