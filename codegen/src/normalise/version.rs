//! `openapi_version`: OpenAPI 3.1 documents become 3.0.3 documents.

use serde_json::Value;

use super::{Notes, Rule};
use crate::error::{Result, SpecError};

/// progenitor accepts only `openapi: 3.0.x`. The schema-level differences between 3.1 and
/// 3.0 are handled by the `json_schema` rules; this rule sets the version and drops the
/// 3.1-only top-level members a client never uses (`webhooks` describes calls the API makes
/// to you, `jsonSchemaDialect`, `info.summary`, `info.license.identifier`,
/// `components.pathItems`).
pub const OPENAPI_VERSION: Rule = Rule {
    name: "openapi_version",
    summary: "set `openapi: 3.0.3` on 3.1 documents and drop 3.1-only top-level members",
    apply,
};

fn apply(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let version = match doc.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(_) => return Err(SpecError::invalid("/openapi", "`openapi` must be a string")),
        None => {
            return Err(SpecError::invalid(
                "",
                "missing `openapi` field: this is not an OpenAPI document",
            ));
        }
    };
    if version.starts_with("3.0.") {
        return Ok(());
    }
    if !version.starts_with("3.1.") {
        return Err(SpecError::invalid(
            "/openapi",
            format!("unsupported OpenAPI version `{version}`: expected 3.0.x or 3.1.x"),
        ));
    }
    doc["openapi"] = Value::String("3.0.3".to_owned());
    notes.add("/openapi", format!("{version} -> 3.0.3"));

    let removals: [(&str, &[&str]); 5] = [
        ("/webhooks", &["webhooks"]),
        ("/jsonSchemaDialect", &["jsonSchemaDialect"]),
        ("/info/summary", &["info", "summary"]),
        (
            "/info/license/identifier",
            &["info", "license", "identifier"],
        ),
        ("/components/pathItems", &["components", "pathItems"]),
    ];
    for (pointer, path) in removals {
        let (last, parents) = path.split_last().unwrap_or((&"", &[]));
        let mut node = Some(&mut *doc);
        for key in parents {
            node = node.and_then(|n| n.get_mut(*key));
        }
        if let Some(Value::Object(parent)) = node
            && parent.remove(*last).is_some()
        {
            notes.add(pointer, "removed: OpenAPI 3.1 only, not used by a client");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::{fail, run};
    use serde_json::json;

    #[test]
    fn sets_3_0_3_and_drops_3_1_members() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1.0.0", "summary": "s",
                     "license": {"name": "n", "identifier": "MIT"}},
            "webhooks": {"x": {}},
            "paths": {}
        });
        let notes = run(&OPENAPI_VERSION, &mut doc);
        assert_eq!(
            doc,
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0",
                   "license": {"name": "n"}}, "paths": {}})
        );
        assert_eq!(notes.len(), 5);
    }

    #[test]
    fn leaves_3_0_alone() {
        let mut doc = json!({"openapi": "3.0.1", "webhooks": {}});
        assert!(run(&OPENAPI_VERSION, &mut doc).is_empty());
        assert_eq!(doc["openapi"], "3.0.1");
    }

    #[test]
    fn refuses_other_versions() {
        let message = fail(&OPENAPI_VERSION, &mut json!({"openapi": "2.0"}));
        assert!(
            message.contains("unsupported OpenAPI version `2.0`"),
            "{message}"
        );
        let message = fail(&OPENAPI_VERSION, &mut json!({"swagger": "2.0"}));
        assert!(message.contains("missing `openapi`"), "{message}");
    }
}
