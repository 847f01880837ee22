//! The README's everyday flows stay as short as the official SDK's: the Rust block, as rustfmt
//! prints it, has at most 1.3 times the non-blank lines of the same ten flows with the official
//! Python SDK (`docs/everyday-flows.py`). CI builds the block itself (`cargo xtask
//! readme-snippets`).

const README: &str = include_str!("../README.md");
const OFFICIAL: &str = include_str!("../docs/everyday-flows.py");

/// The first Rust block under `## Everyday flows`.
fn flows() -> &'static str {
    let section = &README[README.find("## Everyday flows").expect("the section")..];
    let start = section.find("```rust").expect("a Rust block");
    let code = &section[section[start..].find('\n').expect("a fence line") + start + 1..];
    &code[..code.find("```").expect("the block ends")]
}

fn code_lines(text: &str) -> usize {
    text.lines().filter(|line| !line.trim().is_empty()).count()
}

#[test]
fn the_everyday_flows_take_at_most_1_3_times_the_official_sdks_lines() {
    let (rust, python) = (code_lines(flows()), code_lines(OFFICIAL));
    // The Python file opens with a comment naming what it is; the README's block does not.
    let python = python - 2;
    let ratio = rust as f64 / python as f64;
    assert!(
        ratio <= 1.3,
        "the README's flows take {rust} lines, the official SDK's {python}: {ratio:.2} times"
    );
    assert!(
        README.contains(&format!(
            "take {rust} lines here (rustfmt'd) and {python} with the official Python SDK"
        )),
        "the README states other counts than {rust} and {python}"
    );
    assert!(README.contains(&format!("{ratio:.2} times")), "{ratio:.2}");
}

#[test]
fn the_everyday_flows_are_as_rustfmt_prints_them() {
    let file = std::env::temp_dir().join(format!("pilot-status-flows-{}.rs", std::process::id()));
    std::fs::write(&file, flows()).expect("a scratch file");
    let checked = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .arg(&file)
        .output()
        .expect("rustfmt runs (rustup component add rustfmt)");
    let _ = std::fs::remove_file(&file);
    assert!(
        checked.status.success(),
        "rustfmt would change the README's flows:\n{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}
