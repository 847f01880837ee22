//! `--jq EXPR`: a jq filter, run in-process by jaq on each JSON document the command
//! prints (no `jq` binary needed).

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Native, Vars, data};
use jaq_json::Val;
use serde_json::Value;

use crate::error::CliError;

type Data = data::JustLut<Val>;

/// A compiled jq filter.
pub struct Jq {
    filter: jaq_core::compile::Filter<Native<Data>>,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

impl Jq {
    /// Parses and compiles `code`, with jq's standard library (jaq's `core`, `std` and
    /// `json` definitions). A filter that does not parse or names an undefined filter is a
    /// usage error, before anything is sent.
    pub fn new(code: &str) -> Result<Self, CliError> {
        let invalid = |message: String| CliError::Usage(format!("--jq {code:?}: {message}"));
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| {
                let messages: Vec<String> = errors
                    .into_iter()
                    .flat_map(|(_, error)| load_error(code, error))
                    .collect();
                invalid(messages.join("; "))
            })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let messages: Vec<String> = errors
                    .into_iter()
                    .flat_map(|(_, undefined)| undefined)
                    .map(|(name, kind)| format!("undefined {} `{name}`", kind.as_str()))
                    .collect();
                invalid(messages.join("; "))
            })?;
        Ok(Self { filter })
    }

    /// The values the filter yields for `input`, in order. A runtime error (`.a` of a
    /// number, `error("...")`) fails the command with jq's message.
    pub fn run(&self, input: &Value) -> Result<Vec<Value>, CliError> {
        let text = serde_json::to_vec(input).map_err(CliError::Json)?;
        let input = jaq_json::read::parse_single(&text)
            .map_err(|error| CliError::Jq(format!("cannot read the input: {error}")))?;
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        let mut out = Vec::new();
        for result in self.filter.id.run((ctx, input)) {
            let value = result.map_err(|exception| match exception.get_err() {
                Ok(error) => CliError::Jq(error.to_string()),
                Err(_) => CliError::Jq("the filter halted".to_owned()),
            })?;
            let value = serde_json::from_str(&value.to_string()).map_err(|error| {
                CliError::Jq(format!("the filter yielded what is not JSON: {error}"))
            })?;
            out.push(value);
        }
        Ok(out)
    }
}

/// The messages of one module's load error.
fn load_error(code: &str, error: jaq_core::load::Error<&str>) -> Vec<String> {
    use jaq_core::load::Error;
    let at = |found: &str| {
        let offset = code.len().saturating_sub(found.len());
        if found.is_empty() {
            "at the end".to_owned()
        } else {
            format!("at character {}", code[..offset].chars().count() + 1)
        }
    };
    match error {
        Error::Io(errors) => errors
            .into_iter()
            .map(|(path, message)| format!("{path}: {message}"))
            .collect(),
        Error::Lex(errors) => errors
            .into_iter()
            .map(|(expected, found)| format!("expected {} {}", expected.as_str(), at(found)))
            .collect(),
        Error::Parse(errors) => errors
            .into_iter()
            .map(|(expected, found)| format!("expected {} {}", expected.as_str(), at(found)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_filter_yields_its_values() {
        let jq = Jq::new(".messages[] | select(.status == \"READ\") | .id").expect("compiles");
        let input = json!({"messages": [
            {"id": "m1", "status": "READ"},
            {"id": "m2", "status": "SENT"},
            {"id": "m3", "status": "READ"}
        ]});
        assert_eq!(
            jq.run(&input).expect("runs"),
            vec![json!("m1"), json!("m3")]
        );
        let keys = Jq::new("keys | length").expect("the standard library is there");
        assert_eq!(keys.run(&input).expect("runs"), vec![json!(1)]);
        let dates = Jq::new("\"2026-06-20T13:45:12Z\" | fromdate").expect("time functions");
        assert_eq!(dates.run(&input).expect("runs"), vec![json!(1781963112)]);
    }

    #[test]
    fn bad_filters_are_usage_errors_and_runtime_errors_say_why() {
        let error = Jq::new(".messages[").expect_err("does not parse");
        assert!(error.to_string().contains("expected"), "{error}");
        let error = Jq::new("frobnicate").expect_err("undefined");
        assert!(
            error.to_string().contains("undefined filter `frobnicate`"),
            "{error}"
        );
        let error = Jq::new(".a.b")
            .expect("compiles")
            .run(&json!({"a": 1}))
            .expect_err("cannot index a number");
        assert!(error.to_string().starts_with("jq: "), "{error}");
    }
}
