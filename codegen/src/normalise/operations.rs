//! Operation-level rules: names, path parameters, request bodies.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Notes, Rule, is_json_media_type};
use crate::error::{Result, SpecError};
use crate::walk::for_each_operation;

/// The extension that keeps upstream's operation id after [`OPERATION_IDS`] renamed it.
pub const UPSTREAM_OPERATION_ID: &str = "x-upstream-operation-id";

/// Upstream's ids keep hyphens and camelCase (`post_numbers_remote-pairing`,
/// `get_media_mediaId`); they become snake_case identifiers (`post_numbers_remote_pairing`,
/// `get_media_media_id`), which are the method names of the client. The original is kept
/// in `x-upstream-operation-id`. An operation without an id gets one in upstream's style
/// (`<method>_<path segments>`). Two operations that end up with the same id are an error.
pub const OPERATION_IDS: Rule = Rule {
    name: "operation_ids",
    summary: "make every operationId a snake_case identifier, keeping upstream's in an extension",
    apply: operation_ids,
};

fn operation_ids(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for_each_operation(doc, |path, method, operation, at| {
        let upstream = match operation.get("operationId") {
            Some(Value::String(id)) => id.clone(),
            Some(_) => {
                return Err(SpecError::invalid(
                    format!("{at}/operationId"),
                    "operationId must be a string",
                ));
            }
            None => {
                let derived = derive_operation_id(path, method);
                notes.add(at, format!("no operationId: derived `{derived}`"));
                derived
            }
        };
        let id = snake_case(&upstream);
        if id.is_empty() {
            return Err(SpecError::invalid(
                format!("{at}/operationId"),
                format!("operationId `{upstream}` has no letters or digits"),
            ));
        }
        if let Some(other) = seen.insert(id.clone(), at.to_owned()) {
            return Err(SpecError::invalid(
                format!("{at}/operationId"),
                format!("operationId `{upstream}` becomes `{id}`, which {other} already uses"),
            ));
        }
        if id != upstream {
            notes.add(at, format!("operationId `{upstream}` -> `{id}`"));
            operation.insert(UPSTREAM_OPERATION_ID.to_owned(), Value::String(upstream));
        }
        operation.insert("operationId".to_owned(), Value::String(id));
        Ok(())
    })
}

/// `post /v1/remote-pairing/{token}/connect` → `post_remote-pairing_token_connect`, the
/// convention upstream's ids follow (the version prefix is not part of it).
fn derive_operation_id(path: &str, method: &str) -> String {
    let segments = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .skip_while(|segment| is_version_segment(segment))
        .map(|segment| segment.trim_start_matches('{').trim_end_matches('}'));
    std::iter::once(method)
        .chain(segments)
        .collect::<Vec<_>>()
        .join("_")
}

fn is_version_segment(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with('v')
        && segment[1..].chars().all(|c| c.is_ascii_digit())
}

/// snake_case of any identifier-ish text: separators become `_`, camelCase humps split
/// (`mediaId` → `media_id`, `HTTPServer` → `http_server`), a leading digit gets `op_`.
pub fn snake_case(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && index > 0 && !out.ends_with('_') && !out.is_empty() {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "op_");
    }
    out
}

/// OpenAPI requires path parameters to be `required: true`, and progenitor asserts it. A
/// path parameter that says otherwise (or says nothing) is marked required: the URL cannot
/// be built without it, so this changes nothing on the wire.
pub const PATH_PARAMETERS_REQUIRED: Rule = Rule {
    name: "path_parameters_required",
    summary: "mark every path parameter `required: true`",
    apply: |doc, notes| {
        let mark = |parameters: Option<&mut Value>, at: &str, notes: &mut Notes| {
            if let Some(Value::Array(parameters)) = parameters {
                for (index, parameter) in parameters.iter_mut().enumerate() {
                    if parameter.get("in").and_then(Value::as_str) == Some("path")
                        && parameter.get("required") != Some(&Value::Bool(true))
                        && let Some(parameter) = parameter.as_object_mut()
                    {
                        parameter.insert("required".to_owned(), Value::Bool(true));
                        notes.add(
                            format!("{at}/parameters/{index}"),
                            "path parameter marked required",
                        );
                    }
                }
            }
        };
        if let Some(Value::Object(paths)) = doc.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let at = crate::pointer::join("/paths", path);
                mark(item.get_mut("parameters"), &at, notes);
            }
        }
        for_each_operation(doc, |_, _, operation, at| {
            mark(operation.get_mut("parameters"), at, notes);
            Ok(())
        })
    },
};

/// A client sends one body format. When a request body offers several media types the JSON
/// one is kept (the others are noted); several non-JSON ones are an error. `encoding`,
/// which only means something for multipart and form bodies, is dropped from JSON media
/// types (progenitor panics on it).
pub const REQUEST_MEDIA_TYPES: Rule = Rule {
    name: "request_media_types",
    summary: "keep one (the JSON) media type per request body; drop `encoding` on JSON",
    apply: |doc, notes| {
        for_each_operation(doc, |_, _, operation, at| {
            let Some(Value::Object(content)) = operation
                .get_mut("requestBody")
                .and_then(|body| body.get_mut("content"))
            else {
                return Ok(());
            };
            let at = format!("{at}/requestBody/content");
            if content.len() > 1 {
                let Some(json) = content
                    .keys()
                    .find(|name| is_json_media_type(name))
                    .cloned()
                else {
                    return Err(SpecError::invalid(
                        at,
                        format!(
                            "the request body offers several non-JSON media types ({}); \
                             choose one with an overlay",
                            content.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                };
                let dropped: Vec<String> =
                    content.keys().filter(|k| **k != json).cloned().collect();
                content.retain(|name, _| *name == json);
                notes.add(&at, format!("kept {json}, dropped {}", dropped.join(", ")));
            }
            for (name, media) in content.iter_mut() {
                if is_json_media_type(name)
                    && let Some(media) = media.as_object_mut()
                    && media.remove("encoding").is_some()
                {
                    notes.add(
                        crate::pointer::join(&at, name),
                        "dropped `encoding` (meaningless for JSON)",
                    );
                }
            }
            Ok(())
        })
    },
};

/// The extension on a request body that the client sends as a multipart form: the media
/// type upstream declares (`multipart/form-data`).
pub const MULTIPART: &str = "x-pilot-multipart";

/// progenitor generates no `multipart/form-data` body. A request body whose one media type is
/// `multipart/form-data` is generated as its JSON twin: the same schema under
/// `application/json`, so the call takes the same typed body, and the body is marked
/// [`MULTIPART`]; the client sends it as a multipart form (`src/multipart.rs`: each member a
/// part, a `format: binary` member a file part), from the generated `MULTIPART_BODIES`. The
/// surface and the change report show the declared media type. `encoding` is dropped (the
/// client follows OpenAPI's default encoding of each member).
pub const MULTIPART_BODIES: Rule = Rule {
    name: "multipart_bodies",
    summary: "generate a multipart/form-data body as its JSON twin, marked to be sent as a form",
    apply: |doc, notes| {
        for_each_operation(doc, |_, _, operation, at| {
            let Some(body) = operation
                .get_mut("requestBody")
                .and_then(Value::as_object_mut)
            else {
                return Ok(());
            };
            let Some(Value::Object(content)) = body.get_mut("content") else {
                return Ok(());
            };
            let multipart = match content.keys().collect::<Vec<_>>().as_slice() {
                [only] if is_multipart(only) => (*only).clone(),
                _ => return Ok(()),
            };
            let Some(mut media) = content.remove(&multipart) else {
                return Ok(());
            };
            if let Some(media) = media.as_object_mut() {
                media.remove("encoding");
            }
            content.insert("application/json".to_owned(), media);
            body.insert(MULTIPART.to_owned(), Value::from(multipart.as_str()));
            notes.add(
                format!("{at}/requestBody"),
                format!("{multipart} generated as application/json, sent as a multipart form"),
            );
            Ok(())
        })
    },
};

/// `multipart/form-data`, with or without parameters.
pub fn is_multipart(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("multipart/form-data"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_support::{fail, run};
    use serde_json::json;

    #[test]
    fn snake_cases_upstream_ids() {
        for (input, expected) in [
            ("post_numbers_remote-pairing", "post_numbers_remote_pairing"),
            ("get_media_mediaId", "get_media_media_id"),
            ("get_api-keys", "get_api_keys"),
            (
                "post_calls_callId_pre-accept",
                "post_calls_call_id_pre_accept",
            ),
            ("getHTTPServer", "get_http_server"),
            ("already_snake", "already_snake"),
            ("--x--", "x"),
            ("2fa_check", "op_2fa_check"),
        ] {
            assert_eq!(snake_case(input), expected, "{input}");
        }
    }

    #[test]
    fn renames_and_keeps_the_upstream_id() {
        let mut doc = json!({"paths": {
            "/v1/numbers/remote-pairing": {"post": {"operationId": "post_numbers_remote-pairing"}},
            "/v1/remote-pairing/{token}/connect": {"post": {}}
        }});
        let notes = run(&OPERATION_IDS, &mut doc);
        let paths = &doc["paths"];
        assert_eq!(
            paths["/v1/numbers/remote-pairing"]["post"],
            json!({"operationId": "post_numbers_remote_pairing",
                   "x-upstream-operation-id": "post_numbers_remote-pairing"})
        );
        assert_eq!(
            paths["/v1/remote-pairing/{token}/connect"]["post"]["operationId"],
            "post_remote_pairing_token_connect"
        );
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn refuses_ids_that_collide_after_renaming() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "get_a-b"}},
            "/b": {"get": {"operationId": "get_a_b"}}
        }});
        let message = fail(&OPERATION_IDS, &mut doc);
        assert!(
            message.contains("becomes `get_a_b`, which /paths/~1a/get already uses"),
            "{message}"
        );
    }

    #[test]
    fn path_parameters_become_required() {
        let mut doc = json!({"paths": {"/v1/x/{id}": {
            "parameters": [{"name": "id", "in": "path"}],
            "get": {"parameters": [{"name": "id", "in": "path", "required": false},
                                   {"name": "q", "in": "query"}]}
        }}});
        assert_eq!(run(&PATH_PARAMETERS_REQUIRED, &mut doc).len(), 2);
        assert_eq!(
            doc["paths"]["/v1/x/{id}"]["parameters"][0]["required"],
            true
        );
        assert_eq!(
            doc["paths"]["/v1/x/{id}"]["get"]["parameters"][0]["required"],
            true
        );
        assert!(
            doc["paths"]["/v1/x/{id}"]["get"]["parameters"][1]
                .get("required")
                .is_none()
        );
    }

    #[test]
    fn keeps_the_json_request_media_type() {
        let mut doc = json!({"paths": {"/x": {"post": {"requestBody": {"content": {
            "application/x-www-form-urlencoded": {"schema": {}},
            "application/json": {"schema": {}, "encoding": {"a": {}}}
        }}}}}});
        assert_eq!(run(&REQUEST_MEDIA_TYPES, &mut doc).len(), 2);
        assert_eq!(
            doc["paths"]["/x"]["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {}}})
        );

        let mut doc = json!({"paths": {"/x": {"post": {"requestBody": {"content": {
            "text/plain": {}, "application/octet-stream": {}
        }}}}}});
        assert!(fail(&REQUEST_MEDIA_TYPES, &mut doc).contains("several non-JSON media types"));
    }

    #[test]
    fn a_multipart_body_is_generated_as_its_json_twin_and_marked() {
        let schema = json!({"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "caption": {"type": "string"}
        }});
        let mut doc = json!({"paths": {"/v1/media": {"post": {"requestBody": {"content": {
            "multipart/form-data": {"schema": schema, "encoding": {"file": {"contentType": "image/png"}}}
        }}}}}});
        let notes = run(&MULTIPART_BODIES, &mut doc);
        assert_eq!(
            doc["paths"]["/v1/media"]["post"]["requestBody"],
            json!({"content": {"application/json": {"schema": schema}}, MULTIPART: "multipart/form-data"})
        );
        assert_eq!(notes.len(), 1);

        // JSON bodies, and a body that offers more than one media type, are left alone.
        let mut doc = json!({"paths": {"/v1/x": {"post": {"requestBody": {"content": {
            "application/json": {"schema": {}}
        }}}}}});
        assert!(run(&MULTIPART_BODIES, &mut doc).is_empty());
    }
}
