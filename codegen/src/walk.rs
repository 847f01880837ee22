//! Visiting every Schema Object and Media Type Object of a document, with its pointer.
//!
//! The walker knows where OpenAPI (3.0 and 3.1) puts schemas: components, path-item and
//! operation parameters, request bodies, responses and their headers, and every subschema
//! keyword of JSON Schema. A visitor sees each node before its children, so it may reshape
//! a node (for example turn `type: [a, b]` into `anyOf`) and still have the result visited.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::pointer::{self, HTTP_METHODS};

/// Callbacks of [`walk`]; both default to doing nothing.
pub trait Visitor {
    /// Called on every Schema Object (including `$ref` objects) before its subschemas.
    fn schema(&mut self, _schema: &mut Map<String, Value>, _at: &str) -> Result<()> {
        Ok(())
    }

    /// Called on every Media Type Object (`content/<media type>`) before its schema.
    fn media_type(
        &mut self,
        _media_type: &str,
        _object: &mut Map<String, Value>,
        _at: &str,
    ) -> Result<()> {
        Ok(())
    }
}

/// Subschema keywords whose value is one schema.
const SINGLE: [&str; 10] = [
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "items",
];
/// Subschema keywords whose value is a list of schemas.
const LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Subschema keywords whose value is a map of schemas.
const MAPS: [&str; 4] = [
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// Walks the whole document.
pub fn walk<V: Visitor>(doc: &mut Value, visitor: &mut V) -> Result<()> {
    let Some(root) = doc.as_object_mut() else {
        return Ok(());
    };
    if let Some(Value::Object(components)) = root.get_mut("components") {
        type Visit<V> = fn(&mut V, &mut Value, &str) -> Result<()>;
        let sections: [(&str, Visit<V>); 5] = [
            ("schemas", visit_schema),
            ("parameters", visit_parameter),
            ("headers", visit_parameter),
            ("requestBodies", visit_content_holder),
            ("responses", visit_response),
        ];
        for (section, visit) in sections {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (name, entry) in entries.iter_mut() {
                    let at = pointer::join(&format!("/components/{section}"), name);
                    visit(visitor, entry, &at)?;
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let item_at = pointer::join("/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            visit_parameter_list(visitor, item.get_mut("parameters"), &item_at)?;
            for method in HTTP_METHODS {
                if let Some(operation) = item.get_mut(method) {
                    visit_operation(visitor, operation, &pointer::join(&item_at, method))?;
                }
            }
        }
    }
    Ok(())
}

fn visit_operation<V: Visitor>(visitor: &mut V, operation: &mut Value, at: &str) -> Result<()> {
    let Some(operation) = operation.as_object_mut() else {
        return Ok(());
    };
    visit_parameter_list(visitor, operation.get_mut("parameters"), at)?;
    if let Some(body) = operation.get_mut("requestBody") {
        visit_content_holder(visitor, body, &format!("{at}/requestBody"))?;
    }
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        for (status, response) in responses.iter_mut() {
            let response_at = pointer::join(&format!("{at}/responses"), status);
            visit_response(visitor, response, &response_at)?;
        }
    }
    Ok(())
}

fn visit_parameter_list<V: Visitor>(
    visitor: &mut V,
    parameters: Option<&mut Value>,
    at: &str,
) -> Result<()> {
    if let Some(Value::Array(parameters)) = parameters {
        for (index, parameter) in parameters.iter_mut().enumerate() {
            visit_parameter(visitor, parameter, &format!("{at}/parameters/{index}"))?;
        }
    }
    Ok(())
}

/// A Parameter Object or Header Object: a `schema` or a `content` map.
fn visit_parameter<V: Visitor>(visitor: &mut V, parameter: &mut Value, at: &str) -> Result<()> {
    if let Some(schema) = parameter.get_mut("schema") {
        visit_schema(visitor, schema, &format!("{at}/schema"))?;
    }
    visit_content_holder(visitor, parameter, at)
}

fn visit_response<V: Visitor>(visitor: &mut V, response: &mut Value, at: &str) -> Result<()> {
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            visit_parameter(
                visitor,
                header,
                &pointer::join(&format!("{at}/headers"), name),
            )?;
        }
    }
    visit_content_holder(visitor, response, at)
}

/// Anything with a `content` map of Media Type Objects.
fn visit_content_holder<V: Visitor>(visitor: &mut V, holder: &mut Value, at: &str) -> Result<()> {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for (media_type, object) in content.iter_mut() {
            let media_at = pointer::join(&format!("{at}/content"), media_type);
            if let Some(object) = object.as_object_mut() {
                visitor.media_type(media_type, object, &media_at)?;
                if let Some(schema) = object.get_mut("schema") {
                    visit_schema(visitor, schema, &format!("{media_at}/schema"))?;
                }
            }
        }
    }
    Ok(())
}

/// Visits a schema, then every subschema under it.
pub fn visit_schema<V: Visitor>(visitor: &mut V, schema: &mut Value, at: &str) -> Result<()> {
    let Some(object) = schema.as_object_mut() else {
        return Ok(());
    };
    visitor.schema(object, at)?;
    for keyword in SINGLE {
        match object.get_mut(keyword) {
            Some(child @ Value::Object(_)) => {
                visit_schema(visitor, child, &format!("{at}/{keyword}"))?;
            }
            // Draft-4 tuple form of `items`.
            Some(Value::Array(children)) if keyword == "items" => {
                for (index, child) in children.iter_mut().enumerate() {
                    visit_schema(visitor, child, &format!("{at}/items/{index}"))?;
                }
            }
            _ => {}
        }
    }
    for keyword in LISTS {
        if let Some(Value::Array(children)) = object.get_mut(keyword) {
            for (index, child) in children.iter_mut().enumerate() {
                visit_schema(visitor, child, &format!("{at}/{keyword}/{index}"))?;
            }
        }
    }
    for keyword in MAPS {
        if let Some(Value::Object(children)) = object.get_mut(keyword) {
            for (name, child) in children.iter_mut() {
                visit_schema(
                    visitor,
                    child,
                    &pointer::join(&format!("{at}/{keyword}"), name),
                )?;
            }
        }
    }
    Ok(())
}

/// Calls `f` on every operation with its path, method and pointer.
pub fn for_each_operation(
    doc: &mut Value,
    mut f: impl FnMut(&str, &str, &mut Map<String, Value>, &str) -> Result<()>,
) -> Result<()> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in HTTP_METHODS {
            if let Some(Value::Object(operation)) = item.get_mut(method) {
                f(path, method, operation, &pointer::operation(path, method))?;
            }
        }
    }
    Ok(())
}

/// One operation of a document, as [`operations`] yields it.
#[derive(Clone, Copy)]
pub(crate) struct OperationAt<'a> {
    /// The path template (`/v1/numbers/{id}`).
    pub path: &'a str,
    /// The Path Item Object the operation is in.
    pub item: &'a Value,
    /// The lower-case HTTP method (`get`).
    pub method: &'static str,
    /// The Operation Object.
    pub operation: &'a Value,
}

/// Every operation of a document, path by path in document order, then by method in the
/// order of [`HTTP_METHODS`].
pub(crate) fn operations(document: &Value) -> impl Iterator<Item = OperationAt<'_>> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            HTTP_METHODS.iter().filter_map(move |method| {
                item.get(*method).map(|operation| OperationAt {
                    path,
                    item,
                    method,
                    operation,
                })
            })
        })
}

/// The parameters an operation declares: its path item's, then its own (unresolved;
/// an operation's parameter overrides the path item's of the same name and location).
pub(crate) fn declared_parameters<'a>(
    item: &'a Value,
    operation: &'a Value,
) -> impl Iterator<Item = &'a Value> {
    [item, operation].into_iter().flat_map(|owner| {
        owner
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Recorder {
        schemas: Vec<String>,
        media: Vec<String>,
    }

    impl Visitor for Recorder {
        fn schema(&mut self, _: &mut Map<String, Value>, at: &str) -> Result<()> {
            self.schemas.push(at.to_owned());
            Ok(())
        }
        fn media_type(&mut self, _: &str, _: &mut Map<String, Value>, at: &str) -> Result<()> {
            self.media.push(at.to_owned());
            Ok(())
        }
    }

    #[test]
    fn visits_every_schema_site() {
        let mut doc = json!({
            "components": {
                "schemas": {"A": {"type": "object", "properties": {"b": {"type": "array", "items": {"type": "string"}}}}},
                "responses": {"R": {"content": {"application/json": {"schema": {"anyOf": [{"type": "string"}]}}}}}
            },
            "paths": {"/v1/x/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"additionalProperties": {"type": "string"}}}}},
                    "responses": {"201": {
                        "headers": {"X-A": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"example": {}}}
                    }}
                }
            }}
        });
        let mut recorder = Recorder::default();
        walk(&mut doc, &mut recorder).unwrap();
        assert_eq!(
            recorder.schemas,
            [
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/b/items",
                "/components/responses/R/content/application~1json/schema",
                "/components/responses/R/content/application~1json/schema/anyOf/0",
                "/paths/~1v1~1x~1{id}/parameters/0/schema",
                "/paths/~1v1~1x~1{id}/post/parameters/0/schema",
                "/paths/~1v1~1x~1{id}/post/requestBody/content/application~1json/schema",
                "/paths/~1v1~1x~1{id}/post/requestBody/content/application~1json/schema/additionalProperties",
                "/paths/~1v1~1x~1{id}/post/responses/201/headers/X-A/schema",
            ]
        );
        assert_eq!(
            recorder.media,
            [
                "/components/responses/R/content/application~1json",
                "/paths/~1v1~1x~1{id}/post/requestBody/content/application~1json",
                "/paths/~1v1~1x~1{id}/post/responses/201/content/application~1json",
            ]
        );
    }
}
