//! The command tree against the spec: every operation, and every `also` method, is a
//! subcommand; nothing else is, besides `api`, `auth`, `messages send-batch`, `webhooks verify`,
//! `webhooks trigger`, `webhooks listen` and `completions`.

mod support;

use std::collections::BTreeSet;

use clap::Command;
use serde_json::Value;

/// `pilot-status <words..>` of a designed method: `phone_lines.verification` +
/// `confirm_contact` is `phone-lines verification confirm-contact`.
fn words(resource: &str, method: &str) -> String {
    resource
        .split('.')
        .chain([method])
        .map(|word| word.replace('_', "-"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The designed methods of the spec: each operation's, and its `also` methods.
fn designed() -> (usize, BTreeSet<String>) {
    let operations = support::operations();
    let mut methods = BTreeSet::new();
    for (_, _, operation) in &operations {
        let resource = operation["x-pilot-resource"]
            .as_str()
            .expect("every operation has a designed resource");
        let method = operation["x-pilot-method"]
            .as_str()
            .expect("every operation has a designed method");
        assert!(methods.insert(words(resource, method)));
        for also in operation
            .get("x-pilot-also")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let alias = also["method"].as_str().expect("an also method has a name");
            assert!(methods.insert(words(resource, alias)));
        }
    }
    (operations.len(), methods)
}

/// Every leaf of the tree, as its words after `pilot-status`.
fn leaves(command: &Command, prefix: &str, out: &mut BTreeSet<String>) {
    for sub in command.get_subcommands() {
        let words = if prefix.is_empty() {
            sub.get_name().to_owned()
        } else {
            format!("{prefix} {}", sub.get_name())
        };
        if sub.has_subcommands() {
            leaves(sub, &words, out);
        } else {
            out.insert(words);
        }
    }
}

#[test]
fn every_operation_and_also_method_is_a_subcommand() {
    let (operations, expected) = designed();
    assert_eq!(operations, 87, "the spec has 87 operations");
    let also = expected.len() - operations;
    assert!(also >= 1, "numbers.update_settings is an also method");

    let mut found = BTreeSet::new();
    leaves(&pilot_status_cli::command(), "", &mut found);
    let own: BTreeSet<String> = [
        "api",
        "auth login",
        "auth logout",
        "auth status",
        "completions",
        "messages send-batch",
        "webhooks listen",
        "webhooks trigger",
        "webhooks verify",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let calls: BTreeSet<String> = found.difference(&own).cloned().collect();
    assert!(own.is_subset(&found), "{found:#?}");

    let missing: Vec<_> = expected.difference(&calls).collect();
    let extra: Vec<_> = calls.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, not in the spec {extra:?}"
    );
    assert_eq!(calls.len(), operations + also);
    assert_eq!(pilot_status_cli::operations().count(), operations + also);
}

#[test]
fn the_command_tree_is_consistent() {
    // clap's own checks: no two arguments with one name, positional order, conflicts.
    pilot_status_cli::command().debug_assert();
}

#[test]
fn the_webhooks_group_has_the_api_methods_and_verify() {
    let command = pilot_status_cli::command();
    let webhooks = command
        .find_subcommand("webhooks")
        .expect("a webhooks command");
    let names: BTreeSet<&str> = webhooks.get_subcommands().map(Command::get_name).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "create", "delete", "get", "list", "listen", "logs", "trigger", "update", "verify"
        ])
    );
}

#[test]
fn all_is_offered_exactly_where_the_sdk_pages() {
    let mut paginated = BTreeSet::new();
    let command = pilot_status_cli::command();
    fn walk(command: &Command, prefix: &str, out: &mut BTreeSet<String>) {
        for sub in command.get_subcommands() {
            let words = format!("{prefix} {}", sub.get_name()).trim().to_owned();
            if sub.get_arguments().any(|arg| arg.get_long() == Some("all")) {
                out.insert(words.clone());
            }
            walk(sub, &words, out);
        }
    }
    walk(&command, "", &mut paginated);
    assert_eq!(
        paginated,
        [
            "calls list",
            "conversations list",
            "leads list",
            "messages group-history",
            "messages history",
            "messages unread",
            "referrals list",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
    );
}

/// One line per subcommand, then one per argument: what a reviewer reads when the spec or
/// the design changes what the command line takes.
fn listing(command: &Command, prefix: &str, out: &mut String) {
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        let words = format!("{prefix} {}", sub.get_name()).trim().to_owned();
        if sub.has_subcommands() {
            listing(sub, &words, out);
            continue;
        }
        out.push_str(&words);
        out.push('\n');
        for arg in sub
            .get_arguments()
            .filter(|arg| !arg.is_global_set() && arg.get_id() != "help")
        {
            let value = arg
                .get_value_names()
                .map(|names| format!(" <{}>", names.join(" ")))
                .unwrap_or_default();
            let many =
                if arg.is_positional() && arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
                    "..."
                } else {
                    ""
                };
            let name = match arg.get_long() {
                Some(long) => format!("--{long}{value}"),
                None => format!("{}{many}", value.trim()),
            };
            let heading = match arg.get_help_heading() {
                Some(heading) => heading,
                None if arg.is_positional() => "Arguments",
                None => "Options",
            };
            let required = if arg.is_required_set() {
                " (required)"
            } else {
                ""
            };
            out.push_str(&format!("    {name}{required}  [{heading}]\n"));
        }
    }
}

#[test]
fn the_command_line_surface() {
    let mut command = pilot_status_cli::command();
    command.build();
    let mut out = String::new();
    listing(&command, "", &mut out);
    insta::assert_snapshot!("commands", out);
}

#[test]
fn a_body_member_named_like_an_option_of_the_tool_gets_a_body_prefix() {
    let command = pilot_status_cli::command();
    let longs = |words: &[&str]| -> BTreeSet<String> {
        let mut current = &command;
        for word in words {
            current = current.find_subcommand(word).expect("the subcommand");
        }
        current
            .get_arguments()
            .filter_map(|arg| arg.get_long().map(str::to_owned))
            .collect()
    };
    // `number` of RemotePairingInput is its own option: the global one is --number-id.
    let pairing = longs(&["numbers", "remote-pairing"]);
    assert!(pairing.contains("number") && !pairing.contains("body-number"));
    // `body` of UpdateTemplateInput meets --body.
    let template = longs(&["templates", "update"]);
    assert!(template.contains("body-body") && template.contains("body"));
}

#[test]
fn a_credential_in_a_body_is_never_an_option() {
    let command = pilot_status_cli::command();
    let create_meta = command
        .find_subcommand("numbers")
        .and_then(|numbers| numbers.find_subcommand("create-meta"))
        .expect("numbers create-meta");
    let longs: Vec<&str> = create_meta
        .get_arguments()
        .filter_map(|a| a.get_long())
        .collect();
    assert!(
        longs.contains(&"meta-waba-id") && longs.contains(&"body"),
        "{longs:?}"
    );
    assert!(
        !longs.iter().any(|long| long.contains("token")),
        "metaAccessToken goes only in --body: {longs:?}"
    );
}

#[test]
fn two_alternatives_of_a_send_are_refused_while_parsing() {
    let parse = |words: &[&str]| {
        pilot_status_cli::command()
            .try_get_matches_from(["pilot-status", "messages", "send"].iter().chain(words))
    };
    // One destination and one content: parsed.
    parse(&["--destination-number", "+5511988887777", "--text", "Oi"]).expect("one of each");
    // A list's body is its text: they go together.
    parse(&["--group-id", "1@g.us", "--text", "Oi", "--list", "{}"]).expect("a list with its text");
    // A template's media goes with it; direct media goes alone.
    parse(&[
        "--newsletter-id",
        "1@newsletter",
        "--template-id",
        "t",
        "--media",
        "https://x/a.png",
    ])
    .expect("a template with its media");
    for (words, first, second) in [
        (
            &["--destination-number", "+55", "--group-id", "1@g.us"][..],
            "--destination-number",
            "--group-id",
        ),
        (
            &["--template-id", "t", "--text", "Oi"][..],
            "--template-id",
            "--text",
        ),
        (
            &["--list", "{}", "--buttons", "{}"][..],
            "--list",
            "--buttons",
        ),
        (
            &["--carousel", "{}", "--flow", "{}"][..],
            "--carousel",
            "--flow",
        ),
    ] {
        let error = parse(words).expect_err("two alternatives of one group");
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::ArgumentConflict,
            "{words:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains(first) && text.contains(second),
            "{words:?}: {text}"
        );
    }
}
