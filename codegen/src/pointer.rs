//! RFC 6901 JSON pointers: building them and finding the operation one points into.

use serde_json::Value;

/// The HTTP methods an OpenAPI path item may hold, in the order the spec lists them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer.
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// The pointer of an operation: `/paths/<path>/<method>`.
pub fn operation(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", escape(path))
}

/// Splits a pointer into unescaped tokens.
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect::<Vec<_>>()
}

/// The `operationId` of the operation `pointer` lies under, if any.
pub fn operation_id_at(doc: &Value, pointer: &str) -> Option<String> {
    let tokens = tokens(pointer);
    match tokens.as_slice() {
        [paths, path, method, ..]
            if paths == "paths" && HTTP_METHODS.contains(&method.as_str()) =>
        {
            doc.get("paths")?
                .get(path)?
                .get(method)?
                .get("operationId")?
                .as_str()
                .map(str::to_owned)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_and_unescapes_tokens() {
        assert_eq!(escape("/v1/a~b"), "~1v1~1a~0b");
        assert_eq!(unescape("~1v1~1a~0b"), "/v1/a~b");
        assert_eq!(
            operation("/v1/numbers/{id}", "get"),
            "/paths/~1v1~1numbers~1{id}/get"
        );
    }

    #[test]
    fn finds_the_operation_under_a_pointer() {
        let doc = json!({"paths": {"/v1/x": {"post": {"operationId": "post_x"}}}});
        assert_eq!(
            operation_id_at(&doc, "/paths/~1v1~1x/post/responses/201").as_deref(),
            Some("post_x")
        );
        assert_eq!(operation_id_at(&doc, "/components/schemas/A"), None);
        assert_eq!(operation_id_at(&doc, "/paths/~1v1~1x/parameters/0"), None);
    }
}
