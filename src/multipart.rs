//! Request bodies the spec sends as `multipart/form-data`.
//!
//! progenitor generates no multipart body, so the generator gives such a call its body's JSON
//! twin (the same typed body; the normaliser rule `multipart_bodies`) and lists the operation
//! in the generated `MULTIPART_BODIES`. Before the request leaves, the client turns the JSON
//! body into a form with reqwest's multipart support, following OpenAPI's default encoding of
//! each member:
//!
//! - a string, number or boolean is a text part (its JSON text for a number or boolean);
//! - an object is a part with its JSON (`application/json`);
//! - an array is one part per item, each encoded as above (an object item as JSON);
//! - a member the spec types as a file (`format: binary`) is a file part: a `data:` URI
//!   (`data:image/png;base64,...`, as [`MediaFile`](crate::MediaFile) and the docs write
//!   media) gives its bytes and type, any other text is sent as its bytes
//!   (`application/octet-stream`); the part's file name is the member's name;
//! - `null` members are left out.
//!
//! The form is built in memory, so a retried call sends the same bytes again.

use base64::Engine as _;
use futures_util::TryStreamExt as _;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::generated::MULTIPART_BODIES;

/// Turns the JSON body of a multipart operation into its form; other operations are left
/// as they are.
pub(crate) async fn encode(request: &mut reqwest::Request, operation: &str) -> Result<(), String> {
    let Some((_, files)) = MULTIPART_BODIES.iter().find(|(id, _)| *id == operation) else {
        return Ok(());
    };
    encode_with(request, files).await
}

/// Turns `request`'s JSON body into a `multipart/form-data` body whose `files` members are
/// file parts.
async fn encode_with(request: &mut reqwest::Request, files: &[&str]) -> Result<(), String> {
    let body = match request.body().and_then(reqwest::Body::as_bytes) {
        Some(bytes) => serde_json::from_slice::<Value>(bytes)
            .map_err(|error| format!("the body of a multipart call is not JSON: {error}"))?,
        None => return Ok(()),
    };
    let Value::Object(members) = body else {
        return Err("the body of a multipart call is not an object".to_owned());
    };
    let mut form = Form::new();
    for (name, value) in members {
        let file = files.contains(&name.as_str());
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            if let Some(part) = part(&name, item, file)? {
                form = form.part(name.clone(), part);
            }
        }
    }
    let content_type = format!("multipart/form-data; boundary={}", form.boundary());
    let bytes: Vec<u8> = form
        .into_stream()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .map_err(|error| format!("cannot build the multipart body: {error}"))?;
    let content_type = HeaderValue::from_str(&content_type)
        .map_err(|_| "the multipart boundary is not a header value".to_owned())?;
    request.headers_mut().insert(CONTENT_TYPE, content_type);
    *request.body_mut() = Some(bytes.into());
    Ok(())
}

/// One part for one value (an item of an array member counts as a value).
fn part(name: &str, value: Value, file: bool) -> Result<Option<Part>, String> {
    let part = match value {
        Value::Null => return Ok(None),
        Value::String(text) if file => file_part(name, &text)?,
        Value::String(text) => Part::text(text),
        Value::Bool(_) | Value::Number(_) => Part::text(value.to_string()),
        Value::Object(_) | Value::Array(_) => Part::text(value.to_string())
            .mime_str("application/json")
            .map_err(|error| format!("member `{name}`: {error}"))?,
    };
    Ok(Some(part))
}

/// A file part from a `data:` URI, or from the bytes of any other text.
fn file_part(name: &str, text: &str) -> Result<Part, String> {
    let (mime_type, data) = match crate::media::data_uri(text) {
        (Some(mime_type), data) if text.len() > data.len() => (mime_type.to_owned(), {
            crate::media::LENIENT
                .decode(data.trim())
                .map_err(|error| format!("member `{name}`: the data URI is not base64: {error}"))?
        }),
        _ => (
            "application/octet-stream".to_owned(),
            text.as_bytes().to_vec(),
        ),
    };
    Part::bytes(data)
        .file_name(name.to_owned())
        .mime_str(&mime_type)
        .map_err(|error| format!("member `{name}`: `{mime_type}` is not a MIME type: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::extract::Multipart;
    use axum::routing::post;

    /// Each part the server read: name, file name, content type and content.
    type Parts = Vec<(String, Option<String>, Option<String>, String)>;

    /// Reads the form with axum's multipart extractor (multer), as a server would.
    async fn read_form(mut form: Multipart) -> String {
        let mut parts = Vec::new();
        while let Ok(Some(field)) = form.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.unwrap_or_default();
            parts.push((
                name,
                file_name,
                content_type,
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
        serde_json::to_string(&parts).unwrap_or_default()
    }

    #[tokio::test]
    async fn a_json_body_leaves_as_the_form_a_server_reads() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = axum::Router::new().route("/v1/upload", post(read_form));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let http = reqwest::Client::new();
        let body = serde_json::json!({
            "caption": "Olá",
            "count": 2,
            "urgent": true,
            "tags": ["a", "b"],
            "meta": {"k": "v"},
            "skipped": null,
            "file": "data:image/png;base64,iVBORw0K",
            "raw": "plain bytes",
        });
        let mut request = http
            .post(format!("http://{address}/v1/upload"))
            .json(&body)
            .build()
            .unwrap();
        encode_with(&mut request, &["file", "raw"]).await.unwrap();
        let content_type = request.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        // The body is bytes, so a retry can send it again.
        assert!(request.try_clone().is_some());

        let parts: Parts = http.execute(request).await.unwrap().json().await.unwrap();
        let text = |name: &str, value: &str| (name.to_owned(), None, None, value.to_owned());
        let mut expected = vec![
            text("caption", "Olá"),
            text("count", "2"),
            (
                "file".to_owned(),
                Some("file".to_owned()),
                Some("image/png".to_owned()),
                String::from_utf8_lossy(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a]).into_owned(),
            ),
            (
                "meta".to_owned(),
                None,
                Some("application/json".to_owned()),
                r#"{"k":"v"}"#.to_owned(),
            ),
            (
                "raw".to_owned(),
                Some("raw".to_owned()),
                Some("application/octet-stream".to_owned()),
                "plain bytes".to_owned(),
            ),
            text("tags", "a"),
            text("tags", "b"),
            text("urgent", "true"),
        ];
        let mut parts = parts;
        parts.sort();
        expected.sort();
        assert_eq!(parts, expected);
    }

    #[tokio::test]
    async fn other_operations_and_bodies_are_left_alone() {
        let http = reqwest::Client::new();
        let mut request = http
            .post("http://127.0.0.1:9/v1/x")
            .json(&serde_json::json!({"a": 1}))
            .build()
            .unwrap();
        encode(&mut request, "messages.send").await.unwrap();
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");

        let mut request = http
            .post("http://127.0.0.1:9/v1/x")
            .json(&serde_json::json!([1]))
            .build()
            .unwrap();
        assert_eq!(
            encode_with(&mut request, &[]).await.unwrap_err(),
            "the body of a multipart call is not an object"
        );
    }
}
