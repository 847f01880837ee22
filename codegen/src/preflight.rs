//! Checks, after normalisation, for what progenitor would otherwise panic on or reject with
//! a message that names no place in the spec.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Result, SpecError};
use crate::normalise::is_json_media_type;
use crate::pointer::{self, HTTP_METHODS};

/// Runs every check; the first failure is returned.
pub fn check(doc: &Value) -> Result<()> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(SpecError::invalid("/paths", "the spec has no `paths`"));
    };
    for (path, item) in paths {
        let item_at = pointer::join("/paths", path);
        let Some(item) = item.as_object() else {
            return Err(SpecError::invalid(item_at, "a path item must be an object"));
        };
        if item.contains_key("$ref") {
            return Err(SpecError::invalid(
                item_at,
                "path items that are `$ref`s are not supported by the generator",
            ));
        }
        let template = template_names(path, &item_at)?;
        let shared = parameters(doc, item, &item_at)?;
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let at = pointer::operation(path, method);
            if !operation.get("operationId").is_some_and(Value::is_string) {
                return Err(SpecError::invalid(at, "operation has no operationId"));
            }
            let mut declared = shared.clone();
            declared.extend(parameters(doc, operation, &at)?);
            let in_path: BTreeSet<&str> = declared
                .iter()
                .filter(|p| p.location == "path")
                .map(|p| p.name.as_str())
                .collect();
            if in_path != template.iter().map(String::as_str).collect() {
                return Err(SpecError::invalid(
                    format!("{at}/parameters"),
                    format!(
                        "the path template names {{{}}} but the path parameters are {{{}}}",
                        template.iter().cloned().collect::<Vec<_>>().join(", "),
                        in_path.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            for parameter in &declared {
                parameter.check()?;
            }
            if let Some(body) = operation.get("requestBody") {
                request_body(doc, body, &format!("{at}/requestBody"))?;
            }
        }
    }
    Ok(())
}

/// `{name}` placeholders of a path template.
fn template_names(path: &str, at: &str) -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            return Err(SpecError::invalid(
                at,
                format!("unclosed `{{` in path `{path}`"),
            ));
        };
        let name = &rest[start + 1..start + length];
        if name.is_empty() || !names.insert(name.to_owned()) {
            return Err(SpecError::invalid(
                at,
                format!("empty or repeated placeholder in path `{path}`"),
            ));
        }
        rest = &rest[start + length + 1..];
    }
    Ok(names)
}

/// Follows a local `$ref` (`#/...`) once; other values are returned as they are.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value, at: &str) -> Result<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        None => Ok(value),
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer))
            .ok_or_else(|| {
                SpecError::invalid(
                    at,
                    format!("`$ref: {reference}` does not resolve inside the document"),
                )
            }),
    }
}

#[derive(Clone)]
struct Parameter {
    at: String,
    name: String,
    location: String,
    style: Option<String>,
    has_schema: bool,
}

impl Parameter {
    fn check(&self) -> Result<()> {
        let expected_style = match self.location.as_str() {
            "path" | "header" => "simple",
            "query" => "form",
            "cookie" => {
                return Err(SpecError::invalid(
                    &self.at,
                    format!(
                        "cookie parameter `{}` is not supported by the generator",
                        self.name
                    ),
                ));
            }
            other => {
                return Err(SpecError::invalid(
                    &self.at,
                    format!(
                        "parameter `{}` has unknown location `in: {other}`",
                        self.name
                    ),
                ));
            }
        };
        if let Some(style) = &self.style
            && style != expected_style
        {
            return Err(SpecError::invalid(
                &self.at,
                format!(
                    "{} parameter `{}` uses `style: {style}`; the generator supports only `{expected_style}`",
                    self.location, self.name
                ),
            ));
        }
        if !self.has_schema {
            return Err(SpecError::invalid(
                &self.at,
                format!(
                    "parameter `{}` has no `schema` (a `content` map is not supported)",
                    self.name
                ),
            ));
        }
        Ok(())
    }
}

fn parameters(doc: &Value, holder: &Map<String, Value>, at: &str) -> Result<Vec<Parameter>> {
    let Some(list) = holder.get("parameters") else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array() else {
        return Err(SpecError::invalid(
            format!("{at}/parameters"),
            "`parameters` must be a list",
        ));
    };
    list.iter()
        .enumerate()
        .map(|(index, parameter)| {
            let at = format!("{at}/parameters/{index}");
            let parameter = resolve(doc, parameter, &at)?;
            let text = |key: &str| {
                parameter
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            Ok(Parameter {
                name: text("name")
                    .ok_or_else(|| SpecError::invalid(&at, "parameter has no `name`"))?,
                location: text("in")
                    .ok_or_else(|| SpecError::invalid(&at, "parameter has no `in`"))?,
                style: text("style"),
                has_schema: parameter.get("schema").is_some(),
                at,
            })
        })
        .collect()
}

fn request_body(doc: &Value, body: &Value, at: &str) -> Result<()> {
    let body = resolve(doc, body, at)?;
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Ok(());
    };
    if content.len() > 1 {
        return Err(SpecError::invalid(
            format!("{at}/content"),
            "a request body must offer one media type",
        ));
    }
    for (name, media) in content {
        let media_at = pointer::join(&format!("{at}/content"), name);
        let supported = is_json_media_type(name)
            || name == "application/octet-stream"
            || name == "application/x-www-form-urlencoded"
            || name.starts_with("text/");
        if !supported {
            return Err(SpecError::invalid(
                media_at,
                format!("request bodies of type `{name}` are not supported by the generator"),
            ));
        }
        if media.get("schema").is_none() {
            return Err(SpecError::invalid(
                media_at,
                "the request body has no schema",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(path: &str, operation: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {path: {"get": operation}}})
    }

    #[test]
    fn accepts_matching_path_parameters() {
        let op = json!({"operationId": "get_x", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]});
        check(&doc("/v1/x/{id}", op)).unwrap();
    }

    #[test]
    fn refuses_a_template_without_its_parameter() {
        let message = check(&doc("/v1/x/{id}", json!({"operationId": "get_x"})))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "/paths/~1v1~1x~1{id}/get/parameters: the path template names {id} but the path parameters are {}"
        );
    }

    #[test]
    fn refuses_unsupported_parameters_and_bodies() {
        let cookie = json!({"operationId": "get_x", "parameters": [{"name": "s", "in": "cookie", "schema": {}}]});
        assert!(
            check(&doc("/x", cookie))
                .unwrap_err()
                .to_string()
                .contains("cookie parameter `s`")
        );

        let deep = json!({"operationId": "get_x", "parameters": [{"name": "f", "in": "query", "style": "deepObject", "schema": {}}]});
        assert!(
            check(&doc("/x", deep))
                .unwrap_err()
                .to_string()
                .contains("`style: deepObject`")
        );

        let multipart = json!({"operationId": "get_x", "requestBody": {"content": {"multipart/form-data": {"schema": {}}}}});
        assert!(
            check(&doc("/x", multipart))
                .unwrap_err()
                .to_string()
                .contains("multipart/form-data")
        );
    }

    #[test]
    fn resolves_parameter_references() {
        let mut spec = doc(
            "/x/{id}",
            json!({"operationId": "get_x", "parameters": [{"$ref": "#/components/parameters/Id"}]}),
        );
        spec["components"] = json!({"parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {}}}});
        check(&spec).unwrap();
        spec["paths"]["/x/{id}"]["get"]["parameters"][0]["$ref"] =
            json!("#/components/parameters/Nope");
        assert!(
            check(&spec)
                .unwrap_err()
                .to_string()
                .contains("does not resolve")
        );
    }
}
