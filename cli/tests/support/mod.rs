//! The spec the commands were generated from, read the way `build.rs` reads it.

#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

/// The corrected, normalised, designed document.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let inputs = pilot_status_codegen::Inputs::read(&root).expect("the spec reads");
        pilot_status_codegen::prepare(&inputs.spec, &inputs.overlays, &inputs.design)
            .expect("the spec prepares")
            .document
    })
}

/// Every operation of the document: `(http method, path, operation)`.
pub fn operations() -> Vec<(String, String, &'static Value)> {
    let mut out = Vec::new();
    for (path, item) in document()["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if operation.get("operationId").is_some() {
                out.push((method.to_ascii_uppercase(), path.clone(), operation));
            }
        }
    }
    out
}

/// The documented success example of an operation, by its designed name (`numbers.get`).
pub fn example(name: &str) -> Value {
    let (_, _, operation) = operations()
        .into_iter()
        .find(|(_, _, operation)| {
            format!(
                "{}.{}",
                operation["x-pilot-resource"].as_str().unwrap_or_default(),
                operation["x-pilot-method"].as_str().unwrap_or_default()
            ) == name
        })
        .unwrap_or_else(|| panic!("no operation {name}"));
    operation["responses"]
        .as_object()
        .and_then(|responses| {
            responses
                .iter()
                .find(|(status, _)| status.starts_with('2'))
                .and_then(|(_, response)| response.pointer("/content/application~1json/example"))
        })
        .cloned()
        .unwrap_or_else(|| panic!("{name} has no JSON success example"))
}
