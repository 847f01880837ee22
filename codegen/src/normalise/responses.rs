//! Response rules: one shared error type, one success type per operation.

use serde_json::{Map, Value, json};

use super::{Notes, Rule, is_json_media_type, shape};
use crate::error::{Result, SpecError};
use crate::pointer;
use crate::walk::for_each_operation;

/// The name of the shared error component.
pub const API_ERROR: &str = "ApiError";
/// The extension listing the success statuses upstream documented for an operation.
pub const DOCUMENTED_STATUSES: &str = "x-documented-statuses";

/// The shared error schema: upstream's inline `{error, code}`, with our descriptions.
fn api_error_schema() -> Value {
    json!({
        "type": "object",
        "description": "The body of a failed call: a human-readable message and, usually, a machine-readable code.",
        "properties": {
            "error": {
                "type": "string",
                "description": "Human-readable message (sometimes bilingual, e.g. `Not found | Nao encontrado`)."
            },
            "code": {
                "type": "string",
                "description": "Machine-readable error code, such as `VALIDATION_ERROR` or `RATE_LIMITED`."
            }
        }
    })
}

fn api_error_ref() -> Value {
    json!({"$ref": format!("#/components/schemas/{API_ERROR}")})
}

/// Every operation repeats the same inline `{error, code}` schema for each error status,
/// and progenitor names each after the operation, the very name it gives the success type,
/// so errors decoded as the success struct. Every error response (4xx, 5xx, `default`) now
/// refers to one `ApiError` component. A body with extra members (`retryAfterSeconds`,
/// `details`) still fits it (the extras stay in the raw body the client keeps); an error
/// response without a JSON body gets `ApiError` too, because the API sends that shape on
/// every failure and the client decodes every failure the same way. A body whose `error` or
/// `code` is not a string is an error.
pub const SHARED_API_ERROR: Rule = Rule {
    name: "shared_api_error",
    summary: "make every error response refer to one `ApiError {error, code}` component",
    apply: shared_api_error,
};

fn shared_api_error(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let Some(root) = doc.as_object_mut() else {
        return Ok(());
    };
    let schemas = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .and_then(|components| {
            components
                .entry("schemas")
                .or_insert_with(|| json!({}))
                .as_object_mut()
        })
        .ok_or_else(|| {
            SpecError::invalid("/components", "`components.schemas` must be an object")
        })?;
    match schemas.get(API_ERROR) {
        None => {
            schemas.insert(API_ERROR.to_owned(), api_error_schema());
        }
        Some(existing) if shape(existing) == shape(&api_error_schema()) => {}
        Some(_) => {
            return Err(SpecError::invalid(
                format!("/components/schemas/{API_ERROR}"),
                format!(
                    "the spec defines its own `{API_ERROR}`, which is not the `{{error, code}}` shape the client decodes failures into"
                ),
            ));
        }
    }
    for_each_operation(doc, |_, _, operation, at| {
        let Some(Value::Object(responses)) = operation.get_mut("responses") else {
            return Ok(());
        };
        for (status, response) in responses.iter_mut() {
            if !is_error_status(status) {
                continue;
            }
            let response_at = pointer::join(&format!("{at}/responses"), status);
            if let Some(response) = response.as_object_mut()
                && !response.contains_key("$ref")
            {
                error_response(response, &response_at, notes)?;
            }
        }
        Ok(())
    })
}

fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

fn error_response(response: &mut Map<String, Value>, at: &str, notes: &mut Notes) -> Result<()> {
    let content = response.entry("content").or_insert_with(|| json!({}));
    let Some(content) = content.as_object_mut() else {
        return Err(SpecError::invalid(
            format!("{at}/content"),
            "`content` must be an object",
        ));
    };
    let non_json: Vec<String> = content
        .keys()
        .filter(|name| !is_json_media_type(name))
        .cloned()
        .collect();
    if !non_json.is_empty() {
        content.retain(|name, _| is_json_media_type(name));
        notes.add(
            at,
            format!(
                "non-JSON error body ({}) described as ApiError",
                non_json.join(", ")
            ),
        );
    }
    if content.is_empty() {
        content.insert(
            "application/json".to_owned(),
            json!({"schema": api_error_ref()}),
        );
        notes.add(at, "no error body documented: described as ApiError");
        return Ok(());
    }
    for (name, media) in content.iter_mut() {
        let media_at = pointer::join(&format!("{at}/content"), name);
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
        if schema == api_error_ref() {
            continue;
        }
        let extras = api_error_extras(&schema).ok_or_else(|| {
            SpecError::invalid(
                format!("{media_at}/schema"),
                format!(
                    "error body {} does not fit `ApiError {{error: string, code: string}}`; \
                     correct it with an overlay",
                    shape(&schema)
                ),
            )
        })?;
        media.insert("schema".to_owned(), api_error_ref());
        if extras.is_empty() {
            notes.add(&media_at, "inline {error, code} -> ApiError");
        } else {
            notes.add(
                &media_at,
                format!(
                    "inline error body -> ApiError; extra members kept in the raw body: {}",
                    extras.join(", ")
                ),
            );
        }
    }
    Ok(())
}

/// When `schema` fits `ApiError`, the names of its members beyond `error` and `code`.
fn api_error_extras(schema: &Value) -> Option<Vec<String>> {
    let schema = schema.as_object()?;
    if schema.contains_key("$ref")
        || ["anyOf", "oneOf", "allOf", "items"]
            .iter()
            .any(|k| schema.contains_key(*k))
    {
        return None;
    }
    match schema.get("type").and_then(Value::as_str) {
        None | Some("object") => {}
        Some(_) => return None,
    }
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut extras = Vec::new();
    for (name, property) in properties {
        if name == "error" || name == "code" {
            let is_string = matches!(
                property.get("type").and_then(Value::as_str),
                None | Some("string")
            ) && !property.as_object().is_some_and(|p| p.contains_key("$ref"));
            if !is_string {
                return None;
            }
        } else {
            extras.push(name.clone());
        }
    }
    Some(extras)
}

/// progenitor needs exactly one success type per operation, and it matches success
/// statuses exactly, so a 200 from an API documented as answering 201 would be reported as
/// an unexpected response, even though the call succeeded (for a send, the caller may
/// then send again). All 2xx responses of an operation become one `2XX` response (any
/// success status decodes into the type); the statuses upstream documented are kept in
/// `x-documented-statuses`. Success responses with different bodies are an error: a person
/// decides with an overlay.
pub const SINGLE_SUCCESS_RESPONSE: Rule = Rule {
    name: "single_success_response",
    summary: "fold every 2xx response of an operation into one `2XX` response",
    apply: |doc, notes| {
        for_each_operation(doc, |_, _, operation, at| {
            let Some(Value::Object(responses)) = operation.get_mut("responses") else {
                return Ok(());
            };
            single_success(responses, &format!("{at}/responses"), notes)
        })
    },
};

/// What a success response carries, as far as the generated type is concerned.
#[derive(Debug, PartialEq)]
enum Body {
    Empty,
    Json(Value),
    Other(Vec<String>),
}

fn body_of(response: &Value) -> Body {
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Body::Empty;
    };
    if content.is_empty() {
        return Body::Empty;
    }
    match content.iter().find(|(name, _)| is_json_media_type(name)) {
        Some((_, media)) => Body::Json(shape(media.get("schema").unwrap_or(&json!({})))),
        None => Body::Other(content.keys().cloned().collect()),
    }
}

fn single_success(responses: &mut Map<String, Value>, at: &str, notes: &mut Notes) -> Result<()> {
    let mut statuses: Vec<String> = responses
        .keys()
        .filter(|status| status.starts_with('2'))
        .cloned()
        .collect();
    statuses.sort();
    if statuses.is_empty() || statuses == ["2XX"] {
        return Ok(());
    }
    if let Some(status) = statuses
        .iter()
        .find(|status| responses[status.as_str()].get("$ref").is_some())
    {
        return Err(SpecError::invalid(
            pointer::join(at, status),
            "a `$ref` success response cannot be folded into one type; inline it with an overlay",
        ));
    }
    let first = body_of(&responses[statuses[0].as_str()]);
    for status in &statuses[1..] {
        let body = body_of(&responses[status.as_str()]);
        if body != first {
            return Err(SpecError::invalid(
                at,
                format!(
                    "success responses {} and {status} have different bodies ({first:?} vs {body:?}); \
                     the client needs one success type, so give them one schema with an overlay",
                    statuses[0]
                ),
            ));
        }
    }
    let mut merged = responses[statuses[0].as_str()].clone();
    if statuses.len() > 1 {
        let description = statuses
            .iter()
            .map(|status| {
                let text = responses[status.as_str()]
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                format!("{status}: {text}")
            })
            .collect::<Vec<_>>()
            .join("; ");
        merged["description"] = Value::String(description);
    }
    let documented: Vec<Value> = statuses
        .iter()
        .filter(|status| *status != "2XX")
        .map(|status| Value::String(status.clone()))
        .collect();
    merged[DOCUMENTED_STATUSES] = Value::Array(documented);
    for status in &statuses {
        responses.remove(status.as_str());
    }
    responses.insert("2XX".to_owned(), merged);
    notes.add(at, format!("success {} -> 2XX", statuses.join(", ")));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::{fail, one_operation, run};

    fn error_body() -> Value {
        json!({"type": "object", "properties": {"error": {"type": "string"}, "code": {"type": "string"}}})
    }

    #[test]
    fn identical_inline_error_bodies_share_one_component() {
        let mut doc = one_operation(json!({"responses": {
            "201": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "bad", "content": {"application/json": {"schema": error_body(), "example": {"error": "Validation error"}}}},
            "401": {"description": "unauth", "content": {"application/json": {"schema": error_body()}}},
            "429": {"description": "slow down", "content": {"application/json": {"schema": error_body()}}}
        }}));
        let notes = run(&SHARED_API_ERROR, &mut doc);
        let responses = &doc["paths"]["/v1/x"]["post"]["responses"];
        for status in ["400", "401", "429"] {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"],
                api_error_ref()
            );
        }
        assert_eq!(
            responses["400"]["content"]["application/json"]["example"],
            json!({"error": "Validation error"})
        );
        assert_eq!(
            responses["201"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert_eq!(doc["components"]["schemas"][API_ERROR], api_error_schema());
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn error_bodies_with_extra_members_or_none_still_fit() {
        let mut doc = one_operation(json!({"responses": {
            "404": {"description": "missing"},
            "429": {"description": "slow", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "string"}, "retryAfterSeconds": {"type": "integer"}}
            }}}},
            "502": {"description": "proxy", "content": {"text/html": {}}}
        }}));
        let notes = run(&SHARED_API_ERROR, &mut doc);
        let responses = &doc["paths"]["/v1/x"]["post"]["responses"];
        for status in ["404", "429", "502"] {
            assert_eq!(
                responses[status]["content"],
                json!({"application/json": {"schema": api_error_ref()}}),
                "{status}"
            );
        }
        assert!(
            notes
                .iter()
                .any(|n| n.message.contains("retryAfterSeconds"))
        );
    }

    #[test]
    fn refuses_error_bodies_of_another_shape() {
        let mut doc = one_operation(
            json!({"responses": {"400": {"description": "bad", "content": {
                "application/json": {"schema": {"type": "object", "properties": {"error": {"type": "object"}}}}
            }}}}),
        );
        let message = fail(&SHARED_API_ERROR, &mut doc);
        assert!(message.contains("does not fit `ApiError"), "{message}");
    }

    #[test]
    fn refuses_a_conflicting_api_error_component() {
        let mut doc =
            json!({"components": {"schemas": {"ApiError": {"type": "string"}}}, "paths": {}});
        assert!(fail(&SHARED_API_ERROR, &mut doc).contains("defines its own `ApiError`"));
    }

    #[test]
    fn success_statuses_fold_into_2xx() {
        let mut doc = one_operation(json!({"responses": {
            "201": {"description": "created", "content": {"application/json": {"schema": {"type": "object", "description": "a"}}}},
            "200": {"description": "replayed", "content": {"application/json": {"schema": {"type": "object"}}}},
            "400": {"description": "bad"}
        }}));
        run(&SINGLE_SUCCESS_RESPONSE, &mut doc);
        let responses = &doc["paths"]["/v1/x"]["post"]["responses"];
        assert_eq!(
            responses,
            &json!({
                "2XX": {"description": "200: replayed; 201: created",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                        "x-documented-statuses": ["200", "201"]},
                "400": {"description": "bad"}
            })
        );
    }

    #[test]
    fn refuses_success_statuses_with_different_bodies() {
        let mut doc = one_operation(json!({"responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "204": {"description": "nothing"}
        }}));
        let message = fail(&SINGLE_SUCCESS_RESPONSE, &mut doc);
        assert!(
            message.starts_with("/paths/~1v1~1x/post/responses: success responses 200 and 204"),
            "{message}"
        );
    }
}
