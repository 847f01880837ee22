//! Reviewed corrections: OpenAPI Overlay 1.0 documents applied to upstream's spec.
//!
//! `openapi.json` stays exactly what upstream serves; every correction lives in an
//! `overlays/*.yaml` file as an action (a JSONPath `target`, then `update` or `remove`)
//! whose `description` carries its evidence. Files apply in name order, actions in order,
//! before normalisation (so targets name upstream's own structure).
//!
//! Merge semantics of `update` (Overlay 1.0): on an object, a member only in the update is
//! added, a primitive replaces a primitive, arrays concatenate (a value already there is not
//! repeated), objects merge recursively,
//! anything else is an error; on an array, the update is appended. `remove: true` deletes
//! every selected node. An action whose target selects nothing is *stale*: upstream fixed
//! or moved what it corrected; it is reported, not applied.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Result, SpecError};

/// One overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file name, for messages (`overlays/10-wire-types.yaml`).
    pub file: String,
    /// `info.title`.
    pub title: String,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// Its index in the file's `actions` (0-based).
    pub index: usize,
    /// The JSONPath target as written.
    pub target: String,
    path: JsonPath,
    /// Why, with the evidence.
    pub description: String,
    /// What it does.
    pub change: Change,
}

/// What an action does to the nodes it selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into each selected object (or append it to each selected array).
    Update(Value),
    /// Delete each selected node.
    Remove,
}

/// An action that selected nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleAction {
    /// The overlay file.
    pub file: String,
    /// The action's index in it.
    pub index: usize,
    /// Its target.
    pub target: String,
    /// Its description (the first line).
    pub summary: String,
}

impl fmt::Display for StaleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, action {}: target `{}` matches nothing (upstream fixed or moved it?): {}",
            self.file, self.index, self.target, self.summary
        )
    }
}

fn overlay_error(file: &str, index: Option<usize>, message: impl Into<String>) -> SpecError {
    SpecError::Overlay {
        file: file.to_owned(),
        action: index,
        message: message.into(),
    }
}

/// Parses an overlay document (YAML or JSON); `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Overlay> {
    let value: Value = yaml_serde::from_str(text)
        .map_err(|error| overlay_error(file, None, format!("not a YAML/JSON document: {error}")))?;
    let Some(root) = value.as_object() else {
        return Err(overlay_error(file, None, "an overlay must be an object"));
    };
    match root.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.0.") => {}
        Some(version) => {
            return Err(overlay_error(
                file,
                None,
                format!("unsupported overlay version `{version}` (expected 1.0.x)"),
            ));
        }
        None => return Err(overlay_error(file, None, "missing `overlay: 1.0.0`")),
    }
    let info = root.get("info").and_then(Value::as_object);
    let title = info
        .and_then(|info| info.get("title"))
        .and_then(Value::as_str)
        .ok_or_else(|| overlay_error(file, None, "missing `info.title`"))?
        .to_owned();
    if info
        .and_then(|info| info.get("version"))
        .and_then(Value::as_str)
        .is_none()
    {
        return Err(overlay_error(file, None, "missing `info.version`"));
    }
    for key in root.keys() {
        if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions")
            && !key.starts_with("x-")
        {
            return Err(overlay_error(file, None, format!("unknown member `{key}`")));
        }
    }
    let actions = match root.get("actions") {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        _ => {
            return Err(overlay_error(
                file,
                None,
                "`actions` must be a non-empty list",
            ));
        }
    };
    let actions = actions
        .iter()
        .enumerate()
        .map(|(index, action)| parse_action(file, index, action))
        .collect::<Result<Vec<_>>>()?;
    Ok(Overlay {
        file: file.to_owned(),
        title,
        actions,
    })
}

fn parse_action(file: &str, index: usize, action: &Value) -> Result<Action> {
    let error = |message: String| overlay_error(file, Some(index), message);
    let Some(action) = action.as_object() else {
        return Err(error("an action must be an object".to_owned()));
    };
    for key in action.keys() {
        if !matches!(key.as_str(), "target" | "description" | "update" | "remove")
            && !key.starts_with("x-")
        {
            return Err(error(format!("unknown member `{key}`")));
        }
    }
    let target = action
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| error("missing `target`".to_owned()))?
        .to_owned();
    let path = JsonPath::parse(&target)
        .map_err(|parse| error(format!("JSONPath `{target}` does not parse: {parse}")))?;
    let description = action
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .ok_or_else(|| {
            error("missing `description`: every correction states its evidence".to_owned())
        })?
        .to_owned();
    let change = match (action.get("remove"), action.get("update")) {
        (Some(Value::Bool(true)), _) => Change::Remove,
        (Some(Value::Bool(false)) | None, Some(update)) => Change::Update(update.clone()),
        (Some(Value::Bool(false)) | None, None) => {
            return Err(error(
                "the action has neither `update` nor `remove: true`".to_owned(),
            ));
        }
        (Some(other), _) => {
            return Err(error(format!("`remove` must be a boolean, found {other}")));
        }
    };
    Ok(Action {
        index,
        target,
        path,
        description,
        change,
    })
}

/// Reads every `*.yaml`, `*.yml` and `*.json` file of `dir`, in name order. A missing
/// directory means no overlays.
pub fn load_dir(dir: &Path) -> Result<Vec<Overlay>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(SpecError::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
                path: path.clone(),
                source,
            })?;
            let name = match (dir.file_name(), path.file_name()) {
                (Some(dir), Some(file)) => {
                    format!("{}/{}", dir.to_string_lossy(), file.to_string_lossy())
                }
                _ => path.display().to_string(),
            };
            parse(&name, &text)
        })
        .collect()
}

/// Applies `overlays` to `doc` in order; returns the actions that matched nothing.
pub fn apply(doc: &mut Value, overlays: &[Overlay]) -> Result<Vec<StaleAction>> {
    let mut stale = Vec::new();
    for overlay in overlays {
        for action in &overlay.actions {
            stale.extend(apply_action(doc, overlay, action)?);
        }
    }
    Ok(stale)
}

/// The pointers of the nodes an action selects in `doc`.
fn selected(doc: &Value, action: &Action) -> Vec<String> {
    action
        .path
        .query_located(doc)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect()
}

/// Applies one action; returns it as stale when it selects nothing.
fn apply_action(
    doc: &mut Value,
    overlay: &Overlay,
    action: &Action,
) -> Result<Option<StaleAction>> {
    let pointers = selected(doc, action);
    if pointers.is_empty() {
        return Ok(Some(StaleAction {
            file: overlay.file.clone(),
            index: action.index,
            target: action.target.clone(),
            summary: action
                .description
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
        }));
    }
    let error = |message: String| overlay_error(&overlay.file, Some(action.index), message);
    match &action.change {
        Change::Remove => {
            // Deepest and last first, so removing one node never moves another.
            let mut pointers = pointers;
            pointers.sort_by(|a, b| compare_pointers(b, a));
            for pointer in pointers {
                if pointer.is_empty() {
                    return Err(error(
                        "`remove` cannot delete the whole document".to_owned(),
                    ));
                }
                remove_at(doc, &pointer);
            }
        }
        Change::Update(update) => {
            for pointer in pointers {
                let Some(node) = doc.pointer_mut(&pointer) else {
                    continue;
                };
                match node {
                    Value::Object(object) => {
                        let Value::Object(update) = update else {
                            return Err(error(format!(
                                "target {pointer} is an object, so `update` must be an object"
                            )));
                        };
                        merge(object, update).map_err(|at| {
                            error(format!(
                                "`update` is incompatible with the target at {pointer}{at}"
                            ))
                        })?;
                    }
                    Value::Array(items) => items.push(update.clone()),
                    _ => {
                        return Err(error(format!(
                            "target {pointer} is a primitive; target its parent object instead"
                        )));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// An upstream change that an overlay action covers up: the action sets (or removes)
/// something upstream changed, so the correction still applies over upstream's new word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedChange {
    /// The overlay file.
    pub file: String,
    /// The action's index in it.
    pub index: usize,
    /// Where upstream changed (a JSON pointer into the document).
    pub pointer: String,
    /// What upstream had there before, compactly (`absent` when nothing).
    pub before: String,
    /// What it has now.
    pub after: String,
    /// Upstream retyped a response member the action types: the generated type (the
    /// action's) no longer fits what the API sends, which breaks SDK users.
    pub retyped_response: Option<Retyped>,
}

/// A response member upstream retyped under an overlay action that types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retyped {
    /// `METHOD /path` of the operation.
    pub route: (String, String),
    /// The member below the response body: `readAt`, `messages[].readAt`.
    pub member: String,
    /// The type the action gives it (what the SDK decodes).
    pub declared: String,
    /// The type upstream now documents.
    pub upstream: String,
}

impl fmt::Display for MaskedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, action {}: upstream changed {} from {} to {}, where the action still applies: ",
            self.file, self.index, self.pointer, self.before, self.after
        )?;
        match &self.retyped_response {
            Some(retyped) => write!(
                f,
                "the action's {} no longer fits what the API sends ({}): correct the action",
                retyped.declared, retyped.upstream
            ),
            None => f.write_str("review"),
        }
    }
}

impl fmt::Display for Retyped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response member `{}`: upstream now sends {} where an overlay types it as {}: the \
             generated type no longer fits what the API sends",
            self.member, self.upstream, self.declared
        )
    }
}

/// The operation and the member of a pointer into a response body schema
/// (`/paths/~1v1~1x/get/responses/200/content/application~1json/schema/properties/a/type`):
/// `(GET, /v1/x)` and `a`.
fn response_member(pointer: &str) -> Option<((String, String), String)> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(crate::pointer::unescape)
        .collect();
    if tokens.first().map(String::as_str) != Some("paths")
        || tokens.get(3).map(String::as_str) != Some("responses")
        || !tokens.get(4).is_some_and(|status| status.starts_with('2'))
    {
        return None;
    }
    let (path, method) = (tokens.get(1)?, tokens.get(2)?);
    let schema = tokens.iter().position(|token| token == "schema")?;
    let mut member = String::new();
    let mut rest = tokens[schema + 1..].iter();
    while let Some(token) = rest.next() {
        match token.as_str() {
            "properties" => {
                let name = rest.next()?;
                if !member.is_empty() {
                    member.push('.');
                }
                member.push_str(name);
            }
            "items" => member.push_str("[]"),
            "additionalProperties" => member.push_str("{}"),
            _ => break,
        }
    }
    (!member.is_empty()).then(|| ((method.to_ascii_uppercase(), path.clone()), member))
}

/// A compact type name (`"string"` → `string`).
fn type_name(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(name)) => name.clone(),
        Some(other) => other.to_string(),
        None => "untyped".to_owned(),
    }
}

/// The upstream changes between `old` and `new` that some action of `overlays` covers: for
/// each action, the values it sets (every leaf of an `update`) or the nodes it removes are
/// compared in both documents as they stand when the action runs.
///
/// Most of upstream's responses document only an example; there, upstream's shape is the
/// schema inferred from it (as the normaliser infers it), and an action that declares a
/// member covers up the example dropping that member, or showing it with another type. A
/// member's nullability or a keyword the example cannot show is not compared there: one
/// sample says nothing about them.
pub fn masked_changes(old: &Value, new: &Value, overlays: &[Overlay]) -> Vec<MaskedChange> {
    let (mut old, _) = crate::normalise::with_example_schemas(old);
    let (mut new, example_only) = crate::normalise::with_example_schemas(new);
    let mut masked = Vec::new();
    let mut named_in_examples = std::collections::BTreeSet::new();
    let show = |value: Option<&Value>| value.map_or_else(|| "absent".to_owned(), compact);
    for overlay in overlays {
        for action in &overlay.actions {
            let before = selected(&old, action);
            for pointer in selected(&new, action) {
                if !before.contains(&pointer) {
                    continue;
                }
                let leaves = match &action.change {
                    Change::Update(update) => update_leaves(update, &pointer),
                    Change::Remove => vec![(pointer.clone(), None)],
                };
                for (leaf, set) in leaves {
                    if let Some(schema) = example_only.iter().find(|at| leaf.starts_with(*at)) {
                        // One line per member, however many of its values the action sets.
                        if let Some((pointer, before, after)) =
                            example_change(&old, &new, schema, &leaf, set)
                            && named_in_examples.insert(pointer.clone())
                        {
                            let retyped_response = retyped(&pointer, set, new.pointer(&pointer));
                            masked.push(MaskedChange {
                                file: overlay.file.clone(),
                                index: action.index,
                                pointer,
                                before,
                                after,
                                retyped_response,
                            });
                        }
                        continue;
                    }
                    let (was, is) = (old.pointer(&leaf), new.pointer(&leaf));
                    // Upstream now says what the action sets: nothing is covered up.
                    let agrees = set.is_some() && is == set;
                    if was != is && !agrees {
                        let retyped_response = if was.is_some() && is.is_some() {
                            retyped(&leaf, set, is)
                        } else {
                            None
                        };
                        masked.push(MaskedChange {
                            file: overlay.file.clone(),
                            index: action.index,
                            pointer: leaf.clone(),
                            before: show(was),
                            after: show(is),
                            retyped_response,
                        });
                    }
                }
            }
            // Both documents move on as the real run does; what fails here fails there too.
            let _ = apply_action(&mut old, overlay, action);
            let _ = apply_action(&mut new, overlay, action);
        }
    }
    masked
}

/// A response member's `type` the action sets (`set`) where upstream now documents another
/// (`now`, at `pointer`, a `.../type`).
fn retyped(pointer: &str, set: Option<&Value>, now: Option<&Value>) -> Option<Retyped> {
    let set = set?;
    let now = now?;
    if !pointer.ends_with("/type") || set == now {
        return None;
    }
    let (route, member) = response_member(pointer)?;
    Some(Retyped {
        route,
        member,
        declared: type_name(Some(set)),
        upstream: type_name(Some(now)),
    })
}

/// What upstream's example changed at `leaf`, a value an action sets in the schema inferred
/// from that example (`schema`): the member holding it no longer shown, or its type changed.
/// The pointer of the member (or of the type) with its shape before and after.
fn example_change(
    old: &Value,
    new: &Value,
    schema: &str,
    leaf: &str,
    set: Option<&Value>,
) -> Option<(String, String, String)> {
    let tokens: Vec<&str> = leaf[schema.len()..].split('/').collect();
    // The outermost member below the schema that the old example showed and the new does not.
    for end in 2..=tokens.len() {
        if tokens[end - 2] != "properties" {
            continue;
        }
        let member = format!("{schema}{}", tokens[..end].join("/"));
        if let (Some(was), None) = (old.pointer(&member), new.pointer(&member)) {
            return Some((
                member,
                format!("{} (upstream's example)", compact(was)),
                "absent (no longer in upstream's example)".to_owned(),
            ));
        }
    }
    if tokens.last() != Some(&"type") {
        return None;
    }
    match (old.pointer(leaf), new.pointer(leaf)) {
        (Some(was), Some(is)) if was != is && Some(is) != set => Some((
            leaf.to_owned(),
            format!("{} (upstream's example)", compact(was)),
            format!("{} (upstream's example)", compact(is)),
        )),
        _ => None,
    }
}

/// A value in at most 80 characters.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

/// The pointers of the values an `update` sets below `base` (each primitive and array; the
/// objects it merges into, member by member), with the value it sets there.
fn update_leaves<'a>(update: &'a Value, base: &str) -> Vec<(String, Option<&'a Value>)> {
    match update {
        Value::Object(members) => members
            .iter()
            .flat_map(|(key, value)| update_leaves(value, &crate::pointer::join(base, key)))
            .collect(),
        _ => vec![(base.to_owned(), Some(update))],
    }
}

/// Orders pointers so that array indexes compare as numbers.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |p: &str| -> Vec<(u8, usize, String)> {
        p.split('/')
            .map(|t| match t.parse::<usize>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_owned()),
            })
            .collect()
    };
    split(a).cmp(&split(b))
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some(split) = pointer.rfind('/') else {
        return;
    };
    let (parent, token) = (
        &pointer[..split],
        crate::pointer::unescape(&pointer[split + 1..]),
    );
    match doc.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.remove(&token);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = token.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
        }
        _ => {}
    }
}

/// Overlay 1.0 recursive merge of `update` into `target`; on conflict, the relative pointer.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
) -> std::result::Result<(), String> {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (None, value) => {
                target.insert(key.clone(), value.clone());
            }
            (Some(Value::Object(existing)), Value::Object(value)) => {
                merge(existing, value)
                    .map_err(|at| format!("/{}{at}", crate::pointer::escape(key)))?;
            }
            (Some(Value::Array(existing)), Value::Array(value)) => {
                // Concatenated, without repeating a value already there: an `enum` upstream
                // now declares itself must not list a value twice (the generator would refuse
                // the duplicate variant).
                for item in value {
                    if !existing.contains(item) {
                        existing.push(item.clone());
                    }
                }
            }
            (Some(existing), value) if is_primitive(existing) && is_primitive(value) => {
                *existing = value.clone();
            }
            (Some(_), _) => {
                return Err(format!(
                    "/{} (an object, array and primitive do not merge)",
                    crate::pointer::escape(key)
                ));
            }
        }
    }
    Ok(())
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: &str) -> Result<Overlay> {
        parse(
            "overlays/test.yaml",
            &format!("overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n{actions}"),
        )
    }

    #[test]
    fn an_upstream_change_an_action_covers_is_named() {
        let overlay = overlay(
            "  - target: $.paths['/v1/x'].get.responses['200'].content['application/json']\n\
             \x20   description: the status values (evidence)\n\
             \x20   update: {schema: {properties: {status: {type: string, enum: [A, B]}}}}\n",
        )
        .unwrap();
        let document = |schema: Value| json!({"paths": {"/v1/x": {"get": {"responses": {"200": {"content": {"application/json": schema}}}}}}});
        let old = document(json!({"example": {"status": "A"}}));
        assert!(masked_changes(&old, &old, std::slice::from_ref(&overlay)).is_empty());
        // Upstream now declares its own value set: the action still sets (here: appends) its
        // own. Its `type` agrees with the action's, which covers nothing up.
        let new = document(
            json!({"example": {"status": "A"}, "schema": {"properties": {"status": {"type": "string", "enum": ["A", "B", "C"]}}}}),
        );
        let masked = masked_changes(&old, &new, &[overlay]);
        assert_eq!(
            masked.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "overlays/test.yaml, action 0: upstream changed /paths/~1v1~1x/get/responses/200/content/application~1json/schema/properties/status/enum from absent to [\"A\",\"B\",\"C\"], where the action still applies: review",
            ]
        );
    }

    #[test]
    fn an_example_dropping_a_member_an_action_declares_is_named() {
        let overlay = overlay(
            "  - target: $.paths['/v1/x'].get.responses['200'].content['application/json']\n\
             \x20   description: readAt is a nullable string (evidence)\n\
             \x20   update: {schema: {type: object, properties: {readAt: {type: string, nullable: true}}}}\n",
        )
        .unwrap();
        let document = |example: Value| json!({"paths": {"/v1/x": {"get": {"responses": {"200": {"content": {"application/json": {"example": example}}}}}}}});
        let named = |new: Value| {
            masked_changes(
                &document(json!({"id": "m1", "readAt": "2026-06-20T10:05:00Z"})),
                &document(new),
                std::slice::from_ref(&overlay),
            )
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
        };
        let at =
            "/paths/~1v1~1x/get/responses/200/content/application~1json/schema/properties/readAt";
        assert_eq!(
            named(json!({"id": "m1"})),
            [format!(
                "overlays/test.yaml, action 0: upstream changed {at} from {{\"type\":\"string\"}} \
                 (upstream's example) to absent (no longer in upstream's example), where the \
                 action still applies: review"
            )]
        );
        assert_eq!(
            named(json!({"id": "m1", "readAt": 1_750_000_000})),
            [format!(
                "overlays/test.yaml, action 0: upstream changed {at}/type from \"string\" \
                 (upstream's example) to \"integer\" (upstream's example), where the action \
                 still applies: the action's string no longer fits what the API sends \
                 (integer): correct the action"
            )]
        );
        // A retyped response member is breaking: the report says so for its operation.
        let masked = masked_changes(
            &document(json!({"id": "m1", "readAt": "2026-06-20T10:05:00Z"})),
            &document(json!({"id": "m1", "readAt": 1_750_000_000})),
            std::slice::from_ref(&overlay),
        );
        let retyped = masked[0]
            .retyped_response
            .as_ref()
            .expect("a retyped response");
        assert_eq!(retyped.route, ("GET".to_owned(), "/v1/x".to_owned()));
        assert_eq!(
            retyped.to_string(),
            "response member `readAt`: upstream now sends integer where an overlay types it \
             as string: the generated type no longer fits what the API sends"
        );
        // One sample says nothing about nullability: a null where a value was is no change.
        assert!(named(json!({"id": "m2", "readAt": null})).is_empty());
        assert!(named(json!({"id": "m1", "readAt": "later", "seen": true})).is_empty());
    }

    #[test]
    fn updates_merge_and_removals_delete() {
        let overlay = overlay(
            "  - target: $.paths['/v1/x'].post.requestBody.content['application/json'].schema.properties.ids\n\
             \x20   description: the SDK sends a list (evidence)\n\
             \x20   update: {type: array, items: {type: string}}\n\
             \x20 - target: $.paths['/v1/x'].post.requestBody.content['application/json'].schema.properties.ids.example\n\
             \x20   description: the example was a string\n\
             \x20   remove: true\n\
             \x20 - target: $.paths['/v1/x'].post.tags\n\
             \x20   description: appended to a list\n\
             \x20   update: Extra\n",
        )
        .unwrap();
        let mut doc = json!({"paths": {"/v1/x": {"post": {"tags": ["X"], "requestBody": {"content": {"application/json": {"schema": {
            "properties": {"ids": {"type": "string", "example": "[\"a\"]", "description": "ids"}}
        }}}}}}}});
        let stale = apply(&mut doc, &[overlay]).unwrap();
        assert!(stale.is_empty());
        assert_eq!(
            doc["paths"]["/v1/x"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
                ["ids"],
            json!({"type": "array", "items": {"type": "string"}, "description": "ids"})
        );
        assert_eq!(doc["paths"]["/v1/x"]["post"]["tags"], json!(["X", "Extra"]));
    }

    #[test]
    fn filters_select_many_nodes() {
        let overlay = overlay(
            "  - target: $.paths.*.*.parameters[?@.name == 'limit'].schema\n\
             \x20   description: limits are integers\n\
             \x20   update: {type: integer}\n",
        )
        .unwrap();
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [{"name": "limit", "schema": {"type": "string"}}, {"name": "q", "schema": {"type": "string"}}]}},
            "/b": {"get": {"parameters": [{"name": "limit", "schema": {"type": "string"}}]}}
        }});
        apply(&mut doc, &[overlay]).unwrap();
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"]["type"],
            "integer"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][1]["schema"]["type"],
            "string"
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0]["schema"]["type"],
            "integer"
        );
    }

    #[test]
    fn removing_several_array_items_removes_the_right_ones() {
        let overlay = overlay(
            "  - target: $.list[?@ > 1]\n    description: drop big ones\n    remove: true\n",
        )
        .unwrap();
        let mut doc = json!({"list": [1, 2, 3, 1, 4]});
        apply(&mut doc, &[overlay]).unwrap();
        assert_eq!(doc["list"], json!([1, 1]));
    }

    #[test]
    fn an_action_that_matches_nothing_is_stale() {
        let overlay = overlay("  - target: $.paths['/v1/gone'].get\n    description: fixed upstream?\n    update: {x-a: 1}\n").unwrap();
        let mut doc = json!({"paths": {}});
        let stale = apply(&mut doc, &[overlay]).unwrap();
        assert_eq!(
            stale[0].to_string(),
            "overlays/test.yaml, action 0: target `$.paths['/v1/gone'].get` matches nothing (upstream fixed or moved it?): fixed upstream?"
        );
        assert_eq!(doc, json!({"paths": {}}));
    }

    #[test]
    fn malformed_overlays_name_the_file_and_action() {
        let error =
            overlay("  - target: $.paths[\n    description: d\n    remove: true\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("overlays/test.yaml, action 0: JSONPath `$.paths[` does not parse"),
            "{error}"
        );
        let error = overlay("  - target: $.a\n    description: d\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "overlays/test.yaml, action 0: the action has neither `update` nor `remove: true`"
        );
        let error = overlay("  - target: $.a\n    update: {}\n").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("every correction states its evidence"),
            "{error}"
        );
        let error = overlay("  - target: $.a\n    description: d\n    updates: {}\n").unwrap_err();
        assert!(
            error.to_string().contains("unknown member `updates`"),
            "{error}"
        );
        let error = parse(
            "overlays/x.yaml",
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "overlays/x.yaml: unsupported overlay version `2.0.0` (expected 1.0.x)"
        );
    }

    #[test]
    fn incompatible_updates_are_errors() {
        let overlay =
            overlay("  - target: $.a\n    description: d\n    update: {b: [1]}\n").unwrap();
        let mut doc = json!({"a": {"b": "text"}});
        let error = apply(&mut doc, &[overlay]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "overlays/test.yaml, action 0: `update` is incompatible with the target at /a/b (an object, array and primitive do not merge)"
        );
    }
}
