//! A request body's mutually exclusive members, as reviewed data (`alternatives` of a model
//! in `design/models.yaml`): each group becomes a Rust enum held in one member of the type,
//! so a request with two alternatives of a group (or none) cannot be written.
//!
//! The table is checked in itself when it is read ([`Alternatives::parse`]) and against the
//! model's schema when it is applied ([`Alternatives::check`]): a member a group names that
//! upstream no longer has (or now requires, so it is no alternative) turns the groups off for
//! the model, which then generates flat, and is reported as stale; a member upstream adds that
//! is in no group and not `common` generates beside the groups and is reported for review.
//! What is applied is written on the model's schema as [`EXTENSION`], for the code generator.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The extension on a model's schema that carries its checked alternatives.
pub const EXTENSION: &str = "x-pilot-alternatives";

/// The name of the wire form of a model with alternatives: the flat struct upstream
/// documents, kept (hidden) for serialisation.
pub fn wire_name(model: &str) -> String {
    format!("{model}Wire")
}

/// The groups of mutually exclusive members of one request model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Alternatives {
    /// Members outside every group: options any request of this type may carry.
    #[serde(default)]
    pub common: Vec<String>,
    /// The groups, in the order the type holds them.
    pub groups: Vec<Group>,
}

/// One group: exactly one of its variants is sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The member of the Rust type that holds the group (`to`, `content`).
    pub field: String,
    /// The Rust enum's name (`SendDestination`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// The enum's rustdoc.
    pub description: String,
    /// The docs' sentence that makes these members exclusive.
    pub evidence: String,
    /// The alternatives, in the order the enum lists them.
    pub variants: Vec<Variant>,
}

/// One alternative of a group: the members it sends.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The enum variant's name (`Contact`).
    pub name: String,
    /// The variant's rustdoc.
    pub description: String,
    /// Wire members this alternative always sends (at least one).
    pub required: Vec<String>,
    /// Wire members it may also send.
    #[serde(default)]
    pub optional: Vec<String>,
}

impl Variant {
    /// Every member of the alternative: the required ones first.
    pub fn members(&self) -> impl Iterator<Item = &String> {
        self.required.iter().chain(&self.optional)
    }
}

impl Group {
    /// Every member some alternative of the group sends, each once, in table order.
    pub fn members(&self) -> Vec<&String> {
        let mut seen = BTreeSet::new();
        self.variants
            .iter()
            .flat_map(Variant::members)
            .filter(|member| seen.insert(member.as_str()))
            .collect()
    }
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !crate::design::operations::KEYWORDS.contains(&name)
}

impl Alternatives {
    /// Reads a model's `alternatives` entry and checks it in itself.
    pub fn parse(value: Value) -> Result<Self, String> {
        let table: Self =
            serde_json::from_value(value).map_err(|error| format!("`alternatives`: {error}"))?;
        if table.groups.is_empty() {
            return Err("`alternatives` has no `groups`".to_owned());
        }
        let mut grouped: BTreeSet<&str> = BTreeSet::new();
        let mut fields = BTreeSet::new();
        for group in &table.groups {
            let at = format!("`alternatives` group `{}`", group.field);
            if !is_field_name(&group.field) || !fields.insert(group.field.as_str()) {
                return Err(format!(
                    "{at}: `field` is a snake_case Rust member name, once per model"
                ));
            }
            if !is_type_name(&group.type_name) {
                return Err(format!("{at}: `type` is an UpperCamelCase Rust type name"));
            }
            if group.description.trim().is_empty() || group.evidence.trim().is_empty() {
                return Err(format!("{at}: needs a description and its evidence"));
            }
            if group.variants.len() < 2 {
                return Err(format!("{at}: a group has two alternatives or more"));
            }
            let mut names = BTreeSet::new();
            for variant in &group.variants {
                if !is_type_name(&variant.name) || !names.insert(variant.name.as_str()) {
                    return Err(format!(
                        "{at}: variant `{}` is an UpperCamelCase name, once per group",
                        variant.name
                    ));
                }
                if variant.description.trim().is_empty() {
                    return Err(format!(
                        "{at}: variant `{}` needs a description",
                        variant.name
                    ));
                }
                if variant.required.is_empty() {
                    return Err(format!(
                        "{at}: variant `{}` requires no member, so nothing tells it apart",
                        variant.name
                    ));
                }
                let members: Vec<&String> = variant.members().collect();
                let unique: BTreeSet<&String> = members.iter().copied().collect();
                if unique.len() != members.len() {
                    return Err(format!(
                        "{at}: variant `{}` names a member twice",
                        variant.name
                    ));
                }
            }
            // No two alternatives may send the same members: reading could not tell them apart.
            for (index, variant) in group.variants.iter().enumerate() {
                for other in &group.variants[index + 1..] {
                    if variant.required == other.required && variant.optional == other.optional {
                        return Err(format!(
                            "{at}: variants `{}` and `{}` send the same members",
                            variant.name, other.name
                        ));
                    }
                }
            }
            for member in group.members() {
                if !grouped.insert(member.as_str()) {
                    return Err(format!("{at}: member `{member}` is also in another group"));
                }
            }
        }
        for member in &table.common {
            if grouped.contains(member.as_str()) {
                return Err(format!(
                    "`alternatives`: `{member}` is both `common` and in a group"
                ));
            }
        }
        Ok(table)
    }

    /// Checks the groups against the model's schema (after upstream and the table's other
    /// differences). `Err` holds why the groups cannot apply (they are then left off);
    /// `Ok` holds what a reviewer should look at while they apply: members in no group and
    /// not `common`, and `common` members upstream no longer has.
    pub fn check(&self, schema: &Value) -> Result<Vec<String>, Vec<String>> {
        let properties: BTreeSet<&str> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| properties.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let required = super::required_names(schema.get("required"));
        let mut problems = Vec::new();
        let mut grouped = BTreeSet::new();
        for group in &self.groups {
            for member in group.members() {
                grouped.insert(member.as_str());
                if !properties.contains(member.as_str()) {
                    problems.push(format!(
                        "`alternatives` group `{}` names `{member}`, which upstream no longer \
                         documents: the groups are left off and the type is generated flat",
                        group.field
                    ));
                } else if required.contains(member.as_str()) {
                    problems.push(format!(
                        "`alternatives` group `{}` names `{member}`, which upstream now requires \
                         (so it is no alternative): the groups are left off and the type is \
                         generated flat",
                        group.field
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut notes = Vec::new();
        for member in &self.common {
            if !properties.contains(member.as_str()) {
                notes.push(format!(
                    "`alternatives.common` names `{member}`, which upstream no longer documents"
                ));
            }
        }
        for member in &properties {
            if !grouped.contains(member) && !self.common.iter().any(|c| c == member) {
                let groups: Vec<&str> = self.groups.iter().map(|g| g.field.as_str()).collect();
                notes.push(format!(
                    "member `{member}` is in no one-of group ({}) and not `common`: it is \
                     generated beside the groups; review whether it is another alternative",
                    groups.join(", ")
                ));
            }
        }
        Ok(notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table() -> Value {
        json!({
            "common": ["labels"],
            "groups": [{
                "field": "to", "type": "Destination", "description": "Who.", "evidence": "docs",
                "variants": [
                    {"name": "Contact", "description": "A contact.", "required": ["destinationNumber"]},
                    {"name": "Group", "description": "A group.", "required": ["groupId"]}
                ]
            }]
        })
    }

    #[test]
    fn a_checked_table_applies_and_names_what_it_does_not_cover() {
        let alternatives = Alternatives::parse(table()).unwrap();
        let schema = json!({"properties": {"destinationNumber": {}, "groupId": {}, "labels": {}}});
        assert_eq!(alternatives.check(&schema), Ok(vec![]));
        let grown = json!({"properties": {
            "destinationNumber": {}, "groupId": {}, "labels": {}, "channelId": {}
        }});
        let notes = alternatives.check(&grown).unwrap();
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("`channelId` is in no one-of group (to)"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_group_member_upstream_drops_or_requires_turns_the_groups_off() {
        let alternatives = Alternatives::parse(table()).unwrap();
        let dropped = json!({"properties": {"destinationNumber": {}, "labels": {}}});
        let problems = alternatives.check(&dropped).unwrap_err();
        assert!(problems[0].contains("`groupId`, which upstream no longer documents"));
        let required = json!({
            "properties": {"destinationNumber": {}, "groupId": {}, "labels": {}},
            "required": ["groupId"]
        });
        let problems = alternatives.check(&required).unwrap_err();
        assert!(problems[0].contains("upstream now requires"));
    }

    #[test]
    fn tables_that_cannot_tell_alternatives_apart_are_refused() {
        let mut one = table();
        one["groups"][0]["variants"][1]["required"] = json!(["destinationNumber"]);
        assert!(
            Alternatives::parse(one)
                .unwrap_err()
                .contains("send the same members")
        );
        let mut empty = table();
        empty["groups"][0]["variants"][1]["required"] = json!([]);
        assert!(
            Alternatives::parse(empty)
                .unwrap_err()
                .contains("requires no member")
        );
        let mut both = table();
        both["common"] = json!(["groupId"]);
        assert!(
            Alternatives::parse(both)
                .unwrap_err()
                .contains("both `common` and in a group")
        );
        let mut single = table();
        single["groups"][0]["variants"] = json!([
            {"name": "Contact", "description": "A contact.", "required": ["destinationNumber"]}
        ]);
        assert!(
            Alternatives::parse(single)
                .unwrap_err()
                .contains("two alternatives")
        );
    }
}
