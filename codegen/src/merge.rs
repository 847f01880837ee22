//! Merging per-page fragments into one OpenAPI document.
//!
//! Every page repeats `openapi`, `info`, `servers`, `security` and the security schemes:
//! identical repetitions are fine. Operations and components are merged by name; two
//! different definitions of the same one are a [`Conflict`] naming both pages.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::pointer;

/// One source document and where it came from.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// A page URL (or any name a person recognises).
    pub origin: &'a str,
    /// The document.
    pub document: &'a Value,
}

/// Two sources disagree about the same place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer} is defined differently by {first} and {second}")]
pub struct Conflict {
    /// The JSON pointer of the disputed member.
    pub pointer: String,
    /// The source that defined it first.
    pub first: String,
    /// The source that defined it differently.
    pub second: String,
}

/// Merges `sources` in order. `tags` are united by name and sorted; everything else is
/// merged member by member.
pub fn merge(sources: &[Source<'_>]) -> Result<Value, Conflict> {
    let mut merged = Map::new();
    // Who defined each pointer first, for conflict messages.
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut tags: BTreeMap<String, (Value, String)> = BTreeMap::new();
    for source in sources {
        let Some(document) = source.document.as_object() else {
            continue;
        };
        for (key, value) in document {
            match key.as_str() {
                "paths" | "webhooks" => {
                    merge_path_items(&mut merged, key, value, source.origin, &mut owners)?
                }
                "components" => merge_components(&mut merged, value, source.origin, &mut owners)?,
                "tags" => {
                    for tag in value.as_array().into_iter().flatten() {
                        let name = tag
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        match tags.get(&name) {
                            Some((existing, first)) if existing != tag => {
                                return Err(Conflict {
                                    pointer: format!("/tags ({name})"),
                                    first: first.clone(),
                                    second: source.origin.to_owned(),
                                });
                            }
                            Some(_) => {}
                            None => {
                                tags.insert(name, (tag.clone(), source.origin.to_owned()));
                            }
                        }
                    }
                }
                // `openapi`, `info`, `servers`, `security`, extensions: one value for all.
                _ => put(
                    &mut merged,
                    &pointer::join("", key),
                    key,
                    value,
                    source.origin,
                    &mut owners,
                )?,
            }
        }
    }
    if !tags.is_empty() {
        merged.insert(
            "tags".to_owned(),
            Value::Array(tags.into_values().map(|(tag, _)| tag).collect()),
        );
    }
    Ok(Value::Object(merged))
}

/// Inserts `key: value` into `target`, or checks it equals what is there.
fn put(
    target: &mut Map<String, Value>,
    at: &str,
    key: &str,
    value: &Value,
    origin: &str,
    owners: &mut BTreeMap<String, String>,
) -> Result<(), Conflict> {
    match target.get(key) {
        None => {
            target.insert(key.to_owned(), value.clone());
            owners.insert(at.to_owned(), origin.to_owned());
            Ok(())
        }
        Some(existing) if existing == value => Ok(()),
        Some(_) => Err(Conflict {
            pointer: at.to_owned(),
            first: owners.get(at).cloned().unwrap_or_default(),
            second: origin.to_owned(),
        }),
    }
}

fn child<'m>(target: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let entry = target
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(map) => map,
        _ => unreachable!("just made an object"),
    }
}

fn merge_path_items(
    merged: &mut Map<String, Value>,
    section: &str,
    value: &Value,
    origin: &str,
    owners: &mut BTreeMap<String, String>,
) -> Result<(), Conflict> {
    let Some(items) = value.as_object() else {
        return Ok(());
    };
    let target = child(merged, section);
    for (path, item) in items {
        let item_at = pointer::join(&format!("/{section}"), path);
        let Some(item) = item.as_object() else {
            put(
                target,
                &item_at,
                path,
                &Value::Object(Map::new()),
                origin,
                owners,
            )?;
            continue;
        };
        let target_item = child(target, path);
        for (key, value) in item {
            // Operations and shared path-item members (parameters, summary, ...) alike:
            // one definition per member.
            put(
                target_item,
                &pointer::join(&item_at, key),
                key,
                value,
                origin,
                owners,
            )?;
        }
    }
    Ok(())
}

fn merge_components(
    merged: &mut Map<String, Value>,
    value: &Value,
    origin: &str,
    owners: &mut BTreeMap<String, String>,
) -> Result<(), Conflict> {
    let Some(components) = value.as_object() else {
        return Ok(());
    };
    let target = child(merged, "components");
    for (section, entries) in components {
        let section_at = pointer::join("/components", section);
        match entries.as_object() {
            Some(entries) if !section.starts_with("x-") => {
                let target_section = child(target, section);
                for (name, entry) in entries {
                    put(
                        target_section,
                        &pointer::join(&section_at, name),
                        name,
                        entry,
                        origin,
                        owners,
                    )?;
                }
            }
            _ => put(target, &section_at, section, entries, origin, owners)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(path: &str, method: &str, operation_id: &str) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "Pilot Status API", "version": "1.0.0"},
            "servers": [{"url": "https://pilotstatus.com.br"}],
            "security": [{"apiKey": []}, {"apiKeyId": []}],
            "paths": {path: {method: {"operationId": operation_id, "tags": ["Numbers"]}}},
            "components": {"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}}}
        })
    }

    fn merge_pages(pages: &[(&str, &Value)]) -> Result<Value, Conflict> {
        let sources: Vec<Source<'_>> = pages
            .iter()
            .map(|&(origin, document)| Source { origin, document })
            .collect();
        merge(&sources)
    }

    #[test]
    fn merges_operations_and_accepts_identical_repetitions() {
        let a = page("/v1/numbers", "get", "get_numbers");
        let b = page("/v1/numbers", "post", "post_numbers");
        let c = page("/v1/numbers/{id}", "get", "get_numbers_id");
        let merged = merge_pages(&[("a.md", &a), ("b.md", &b), ("c.md", &c)]).unwrap();
        assert_eq!(
            merged["paths"]["/v1/numbers"]["get"]["operationId"],
            "get_numbers"
        );
        assert_eq!(
            merged["paths"]["/v1/numbers"]["post"]["operationId"],
            "post_numbers"
        );
        assert_eq!(
            merged["paths"]["/v1/numbers/{id}"]["get"]["operationId"],
            "get_numbers_id"
        );
        assert_eq!(merged["info"], a["info"]);
        assert_eq!(
            merged["components"]["securitySchemes"],
            a["components"]["securitySchemes"]
        );
    }

    #[test]
    fn two_definitions_of_one_operation_name_both_pages() {
        let a = page("/v1/numbers", "get", "get_numbers");
        let b = page("/v1/numbers", "get", "list_numbers");
        let conflict = merge_pages(&[("a.md", &a), ("b.md", &b)]).unwrap_err();
        assert_eq!(
            conflict.to_string(),
            "/paths/~1v1~1numbers/get is defined differently by a.md and b.md"
        );
    }

    #[test]
    fn conflicting_components_and_shared_members_are_refused() {
        let a = page("/v1/a", "get", "get_a");
        let mut b = page("/v1/b", "get", "get_b");
        b["components"]["securitySchemes"]["apiKey"]["name"] = json!("x-key");
        let conflict = merge_pages(&[("a.md", &a), ("b.md", &b)]).unwrap_err();
        assert_eq!(conflict.pointer, "/components/securitySchemes/apiKey");

        let mut c = page("/v1/c", "get", "get_c");
        c["info"]["version"] = json!("2.0.0");
        let conflict = merge_pages(&[("a.md", &a), ("c.md", &c)]).unwrap_err();
        assert_eq!(
            (
                conflict.pointer.as_str(),
                conflict.first.as_str(),
                conflict.second.as_str()
            ),
            ("/info", "a.md", "c.md")
        );
    }

    #[test]
    fn tags_are_united_by_name_and_sorted() {
        let mut a = page("/v1/a", "get", "get_a");
        a["tags"] = json!([{"name": "Numbers"}, {"name": "Calls"}]);
        let mut b = page("/v1/b", "get", "get_b");
        b["tags"] = json!([{"name": "Calls"}]);
        let merged = merge_pages(&[("a.md", &a), ("b.md", &b)]).unwrap();
        assert_eq!(
            merged["tags"],
            json!([{"name": "Calls"}, {"name": "Numbers"}])
        );
    }
}
