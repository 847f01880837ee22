//! `llms.txt`: the docs site's Markdown index (a title, a blockquote, `##` sections of
//! `- [title](url): description` items), and which of its pages hold operations.

use std::fmt;

/// A parsed `llms.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    /// The `# ` title.
    pub title: Option<String>,
    /// The `> ` blockquote under the title.
    pub summary: Option<String>,
    /// Every link, in order, with the section it is listed under.
    pub links: Vec<Link>,
}

/// One `- [title](url): description` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The `## ` section it is listed under (empty before the first section).
    pub section: String,
    /// The link text.
    pub title: String,
    /// The URL, resolved against the index's URL.
    pub url: url::Url,
    /// The text after `: `, if any.
    pub description: Option<String>,
}

/// What a linked page is, judged from its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKind {
    /// `/playground/<tag>/<slug>`: an operation page, carrying a `yaml openapi.json` block.
    Operation,
    /// A page under a language prefix (`/pt-BR/...`): its blocks use `openapi.pt.json`.
    Translation,
    /// The webhook events page (`/api/webhooks/events`): the events and their bodies.
    Events,
    /// Guides, concepts, API prose: no block.
    Prose,
    /// Another host.
    External,
}

impl fmt::Display for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Operation => "operation page",
            Self::Translation => "translation",
            Self::Events => "webhook events page",
            Self::Prose => "prose page",
            Self::External => "external link",
        })
    }
}

impl Index {
    /// Parses `text`, resolving relative links against `base` (the index's own URL).
    /// Lines that are not part of the link-list format are ignored.
    pub fn parse(text: &str, base: &url::Url) -> Self {
        let mut index = Self::default();
        let mut section = String::new();
        let mut summary: Vec<&str> = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            if let Some(title) = line.strip_prefix("# ") {
                if index.title.is_none() {
                    index.title = Some(title.trim().to_owned());
                }
            } else if let Some(name) = line.strip_prefix("## ") {
                section = name.trim().to_owned();
            } else if let Some(quote) = line.strip_prefix('>') {
                if index.links.is_empty() && section.is_empty() {
                    summary.push(quote.trim());
                }
            } else if let Some(item) = line
                .trim_start()
                .strip_prefix("- ")
                .or_else(|| line.trim_start().strip_prefix("* "))
                && let Some((title, target, rest)) = markdown_link(item.trim_start())
                && let Ok(url) = base.join(target)
            {
                let description = rest
                    .trim_start()
                    .strip_prefix(':')
                    .map(str::trim)
                    .filter(|text| !text.is_empty())
                    .map(str::to_owned);
                index.links.push(Link {
                    section: section.clone(),
                    title: title.to_owned(),
                    url,
                    description,
                });
            }
        }
        if !summary.is_empty() {
            index.summary = Some(summary.join(" "));
        }
        index
    }
}

/// `[title](target)rest` at the start of `text`.
fn markdown_link(text: &str) -> Option<(&str, &str, &str)> {
    let text = text.strip_prefix('[')?;
    let mut depth = 0usize;
    let mut title_end = None;
    for (index, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => {
                title_end = Some(index);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let title_end = title_end?;
    let after = text[title_end + 1..].strip_prefix('(')?;
    let mut depth = 0usize;
    for (index, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                let target = after[..index].trim();
                let target = target.split_whitespace().next().unwrap_or(target);
                let target = target.trim_start_matches('<').trim_end_matches('>');
                return Some((&text[..title_end], target, &after[index + 1..]));
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A language prefix such as `pt-BR` or `es` (English pages have none).
fn is_language_prefix(segment: &str) -> bool {
    let (language, region) = match segment.split_once('-') {
        Some((language, region)) => (language, Some(region)),
        None => (segment, None),
    };
    language.len() == 2
        && language.chars().all(|c| c.is_ascii_lowercase())
        && language != "en"
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
}

impl Link {
    /// What the page is, judged from its URL relative to the index's host.
    pub fn kind(&self, site: &url::Url) -> PageKind {
        classify(&self.url, site)
    }
}

/// What the page at `url` is, for a docs site whose index is at `site`.
pub fn classify(url: &url::Url, site: &url::Url) -> PageKind {
    if url.host_str() != site.host_str()
        || url.port_or_known_default() != site.port_or_known_default()
    {
        return PageKind::External;
    }
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    match segments.first() {
        Some(first) if is_language_prefix(first) => PageKind::Translation,
        _ if segments.contains(&"playground") => PageKind::Operation,
        _ if segments.ends_with(&["webhooks", "events"])
            || segments.ends_with(&["webhooks", "events.md"]) =>
        {
            PageKind::Events
        }
        _ => PageKind::Prose,
    }
}

/// The URL of a page's Markdown source: `.md` appended to extension-less links, fragment
/// and query dropped.
pub fn markdown_url(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url.set_query(None);
    let path = url.path().trim_end_matches('/').to_owned();
    if !path.ends_with(".md") {
        url.set_path(&format!("{path}.md"));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> url::Url {
        url::Url::parse("https://docs.pilotstatus.com.br/llms.txt").unwrap()
    }

    #[test]
    fn parses_the_link_list_format() {
        let text = "# Pilot Status\n\n> WhatsApp API for developers.\n> Second line.\n\nIntro paragraph.\n\n\
            ## API Reference\n\n\
            - [Send message](https://docs.pilotstatus.com.br/playground/messages/send-message.md): Enqueues a message.\n\
            - [List numbers](/playground/numbers/list-numbers)\n\
            * [Overview](api/overview.md):\n\
            ## Optional\n\
            - [Listar números](https://docs.pilotstatus.com.br/pt-BR/playground/numbers/listar-n-meros.md): Lista\n\
            - [Status page (beta)](https://status.pilotstatus.com.br/): External\n\
            - not a link\n";
        let index = Index::parse(text, &base());
        assert_eq!(index.title.as_deref(), Some("Pilot Status"));
        assert_eq!(
            index.summary.as_deref(),
            Some("WhatsApp API for developers. Second line.")
        );
        let links: Vec<(&str, &str, &str, Option<&str>)> = index
            .links
            .iter()
            .map(|l| {
                (
                    l.section.as_str(),
                    l.title.as_str(),
                    l.url.as_str(),
                    l.description.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            links,
            [
                (
                    "API Reference",
                    "Send message",
                    "https://docs.pilotstatus.com.br/playground/messages/send-message.md",
                    Some("Enqueues a message.")
                ),
                (
                    "API Reference",
                    "List numbers",
                    "https://docs.pilotstatus.com.br/playground/numbers/list-numbers",
                    None
                ),
                (
                    "API Reference",
                    "Overview",
                    "https://docs.pilotstatus.com.br/api/overview.md",
                    None
                ),
                (
                    "Optional",
                    "Listar números",
                    "https://docs.pilotstatus.com.br/pt-BR/playground/numbers/listar-n-meros.md",
                    Some("Lista")
                ),
                (
                    "Optional",
                    "Status page (beta)",
                    "https://status.pilotstatus.com.br/",
                    Some("External")
                ),
            ]
        );
        let kinds: Vec<PageKind> = index.links.iter().map(|l| l.kind(&base())).collect();
        assert_eq!(
            kinds,
            [
                PageKind::Operation,
                PageKind::Operation,
                PageKind::Prose,
                PageKind::Translation,
                PageKind::External
            ]
        );
    }

    #[test]
    fn the_webhook_events_page_is_its_own_kind() {
        for (link, kind) in [
            (
                "https://docs.pilotstatus.com.br/api/webhooks/events.md",
                PageKind::Events,
            ),
            (
                "https://docs.pilotstatus.com.br/api/webhooks/events",
                PageKind::Events,
            ),
            (
                "https://docs.pilotstatus.com.br/concepts/webhooks.md",
                PageKind::Prose,
            ),
            (
                "https://docs.pilotstatus.com.br/pt-BR/api/webhooks/events.md",
                PageKind::Translation,
            ),
        ] {
            assert_eq!(
                classify(&url::Url::parse(link).unwrap(), &base()),
                kind,
                "{link}"
            );
        }
    }

    #[test]
    fn markdown_urls_end_in_md() {
        for (link, expected) in [
            (
                "https://d.x/playground/a/b",
                "https://d.x/playground/a/b.md",
            ),
            (
                "https://d.x/playground/a/b.md",
                "https://d.x/playground/a/b.md",
            ),
            (
                "https://d.x/playground/a/b/#x",
                "https://d.x/playground/a/b.md",
            ),
        ] {
            assert_eq!(
                markdown_url(&url::Url::parse(link).unwrap()).as_str(),
                expected
            );
        }
    }

    #[test]
    fn language_prefixes() {
        assert!(is_language_prefix("pt-BR"));
        assert!(is_language_prefix("es"));
        assert!(!is_language_prefix("en"));
        assert!(!is_language_prefix("api"));
        assert!(!is_language_prefix("playground"));
    }
}
