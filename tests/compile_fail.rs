//! Requests the API refuses do not compile: every case in `tests/compile_fail/` is a request
//! the docs forbid (its first line quotes the sentence that does), and each must fail to
//! compile with the error committed beside it (`<case>.stderr`), which names what is wrong;
//! its second line names that error, so a case that fails for another reason fails here.
//!
//! After a deliberate change to an error's wording, `TRYBUILD=overwrite cargo test --test
//! compile_fail` rewrites the `.stderr` files; review them like snapshots.

use std::path::Path;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compile_fail");

#[test]
fn requests_the_api_refuses_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}

#[test]
fn every_case_quotes_the_docs_that_forbid_it() {
    let mut count = 0;
    for entry in std::fs::read_dir(Path::new(CASES)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// Refused by the API: ") && first.len() > 40,
            "{}: the first line quotes the docs that forbid the request",
            path.display()
        );
        // The error the case is about, so that a rewritten `.stderr` with another error
        // (a case broken by an unrelated rename) does not pass.
        let expected = text
            .lines()
            .nth(1)
            .and_then(|line| line.strip_prefix("// Refused by the compiler: "))
            .unwrap_or_else(|| panic!("{}: the second line names the error", path.display()));
        let stderr = std::fs::read_to_string(path.with_extension("stderr")).unwrap_or_else(|_| {
            panic!("{}: no committed compiler error beside it", path.display())
        });
        assert!(
            stderr
                .lines()
                .next()
                .is_some_and(|first| first.ends_with(expected)),
            "{}: the compiler's first error is not `{expected}`",
            path.display()
        );
    }
    assert!(
        count >= 20,
        "the suite has {count} cases; it keeps 20 or more"
    );
}
