//! The offline docs mirror is what its README says it is.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> std::path::PathBuf {
    xtask::repository_root().join("xtask/fixtures")
}

/// Every Markdown page of the mirror (the README excepted), relative to the mirror.
fn pages() -> BTreeSet<String> {
    let mirror = root().join("docs");
    let mut pages = BTreeSet::new();
    let mut stack = vec![mirror.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && path.file_name().is_some_and(|n| n != "README.md")
            {
                pages.insert(
                    path.strip_prefix(&mirror)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    pages
}

/// The README's page table: (page, origin).
fn table() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join("docs/README.md")).unwrap();
    readme
        .lines()
        .filter(|line| line.starts_with("| `playground/"))
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            assert_eq!(cells.len(), 4, "a page row has four cells: {line}");
            (
                cells[0]
                    .trim_start_matches("| ")
                    .trim_matches('`')
                    .to_owned(),
                cells[2].to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_readme_lists_every_operation_page_once() {
    let operation_pages: BTreeSet<String> = pages()
        .into_iter()
        .filter(|p| p.starts_with("playground/"))
        .collect();
    let listed: Vec<String> = table().into_iter().map(|(page, _)| page).collect();
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(listed.len(), unique.len(), "a page is listed twice");
    assert_eq!(unique, operation_pages);
    assert_eq!(operation_pages.len(), 87);
}

#[test]
fn live_beginnings_are_kept_byte_for_byte() {
    let partials = root().join("live-partial");
    let mut checked = 0;
    for entry in std::fs::read_dir(&partials).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".partial.md") else {
            continue;
        };
        let (tag, slug) = stem.split_once("__").unwrap();
        let page = format!("playground/{tag}/{slug}.md");
        let beginning = std::fs::read(&path).unwrap();
        let text = std::fs::read(root().join("docs").join(&page)).unwrap_or_default();
        assert!(
            text.starts_with(&beginning),
            "{page} does not start with {name}"
        );
        let origin = table()
            .into_iter()
            .find(|(p, _)| *p == page)
            .map(|(_, o)| o);
        assert_eq!(
            origin.as_deref(),
            Some("starts from a live beginning"),
            "{page}"
        );
        checked += 1;
    }
    assert_eq!(checked, 35);
}

#[test]
fn the_seed_page_is_the_only_verbatim_one() {
    let verbatim: Vec<String> = table()
        .into_iter()
        .filter(|(_, origin)| origin.contains("verbatim"))
        .map(|(page, _)| page)
        .collect();
    assert_eq!(
        verbatim,
        ["playground/numbers/remote-pairing-connection-link.md"]
    );
    let page = Path::new("docs/playground/numbers/remote-pairing-connection-link.md");
    let text = std::fs::read_to_string(root().join(page)).unwrap();
    assert!(text.contains("````yaml openapi.json POST /v1/numbers/remote-pairing"));
}

#[test]
fn the_index_links_every_page() {
    let index = std::fs::read_to_string(root().join("docs/llms.txt")).unwrap();
    for page in pages() {
        assert!(
            index.contains(&format!("(https://docs.pilotstatus.com.br/{page})")),
            "{page} is not in llms.txt"
        );
    }
}
