//! Reading a request body whose members come in mutually exclusive groups (a send's
//! destination and content): which alternative of a group the members given form.

/// A request body that does not hold exactly one alternative of a one-of group: two
/// destinations of a send, a template with free text, buttons on a list, or none of them.
///
/// Only reading a body can meet it (the CLI's `--body`, a mock, `serde_json::from_value`):
/// the SDK's own types hold one alternative per group by construction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{model}: {problem}")]
pub struct OneOfError {
    model: &'static str,
    group: &'static str,
    problem: String,
}

impl OneOfError {
    /// The request type (`SendMessageInput`).
    pub fn model(&self) -> &'static str {
        self.model
    }

    /// The group, as the type's member that holds it (`to`, `content`).
    pub fn group(&self) -> &'static str {
        self.group
    }

    /// A required member of the alternative chosen is missing.
    pub(crate) fn missing(model: &'static str, group: &'static str, member: &str) -> Self {
        Self {
            model,
            group,
            problem: format!("`{group}` lacks `{member}`"),
        }
    }
}

/// One alternative as the generated code lists it: its variant name, the members it
/// requires, and every member it may send.
pub(crate) type Alternative = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The index of the one alternative that the members given (`present`: each member of the
/// group and whether the body has it) form: all its required members given, and no member
/// it does not send.
pub(crate) fn choose(
    model: &'static str,
    group: &'static str,
    present: &[(&'static str, bool)],
    alternatives: &[Alternative],
) -> Result<usize, OneOfError> {
    let given: Vec<&str> = present
        .iter()
        .filter(|(_, given)| *given)
        .map(|(member, _)| *member)
        .collect();
    let error = |problem: String| OneOfError {
        model,
        group,
        problem,
    };
    let fits: Vec<usize> = alternatives
        .iter()
        .enumerate()
        .filter(|(_, (_, required, members))| {
            required.iter().all(|member| given.contains(member))
                && given.iter().all(|member| members.contains(member))
        })
        .map(|(index, _)| index)
        .collect();
    let described = || {
        alternatives
            .iter()
            .map(|(name, required, members)| {
                let optional: Vec<&str> = members
                    .iter()
                    .filter(|member| !required.contains(member))
                    .copied()
                    .collect();
                if optional.is_empty() {
                    format!("{name} ({})", required.join(" + "))
                } else {
                    format!(
                        "{name} ({}, optionally {})",
                        required.join(" + "),
                        optional.join(", ")
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match fits.as_slice() {
        [one] => Ok(*one),
        [] if given.is_empty() => Err(error(format!(
            "`{group}` is missing: give exactly one of {}",
            described()
        ))),
        [] => Err(error(format!(
            "`{group}` has {}, which is no single alternative: give exactly one of {}",
            given.join(", "),
            described()
        ))),
        several => Err(error(format!(
            "`{group}` has {}, which fits {} alternatives at once",
            given.join(", "),
            several.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: &[Alternative] = &[
        ("Template", &["templateId"], &["templateId", "media"]),
        ("Text", &["text"], &["text", "buttons"]),
        ("List", &["list", "text"], &["list", "text"]),
        ("Media", &["media"], &["media"]),
    ];

    fn pick(given: &[&'static str]) -> Result<usize, OneOfError> {
        let members = ["templateId", "media", "text", "buttons", "list"];
        let present: Vec<(&'static str, bool)> = members
            .iter()
            .map(|member| (*member, given.contains(member)))
            .collect();
        choose("SendMessageInput", "content", &present, CONTENT)
    }

    #[test]
    fn the_members_given_pick_exactly_one_alternative() {
        assert_eq!(pick(&["templateId", "media"]), Ok(0));
        assert_eq!(pick(&["text", "buttons"]), Ok(1));
        assert_eq!(pick(&["list", "text"]), Ok(2), "a list's body is its text");
        assert_eq!(pick(&["media"]), Ok(3));
    }

    #[test]
    fn two_alternatives_or_none_are_refused_by_name() {
        let both = pick(&["templateId", "text"]).unwrap_err();
        assert_eq!(both.group(), "content");
        assert!(
            both.to_string().starts_with(
                "SendMessageInput: `content` has templateId, text, which is no single alternative"
            ),
            "{both}"
        );
        let none = pick(&[]).unwrap_err();
        assert!(
            none.to_string().contains(
                "`content` is missing: give exactly one of Template (templateId, optionally media)"
            ),
            "{none}"
        );
        assert!(
            pick(&["list", "buttons", "text"]).is_err(),
            "a list has no buttons"
        );
        assert!(pick(&["list"]).is_err(), "a list needs its text");
    }
}
