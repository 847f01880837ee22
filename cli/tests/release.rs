//! The prebuilt binaries: every archive the release workflow attaches is the one
//! `cargo binstall` looks for, by the binstall metadata of this package.

use std::path::Path;

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The value of `key = "..."` in the TOML section that starts with `header`.
fn toml_value(manifest: &str, header: &str, key: &str) -> Option<String> {
    let section = manifest.split(header).nth(1)?;
    let section = section.split("\n[").next()?;
    section.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        (name.trim() == key).then(|| value.trim().trim_matches('"').to_owned())
    })
}

#[test]
fn binstall_finds_every_archive_the_release_attaches() {
    let manifest = read("Cargo.toml");
    let workflow = read("../.github/workflows/release.yml");
    let base = "[package.metadata.binstall]\n";
    let default_url = toml_value(&manifest, base, "pkg-url").expect("pkg-url");
    let bin_dir = toml_value(&manifest, base, "bin-dir").expect("bin-dir");
    assert_eq!(bin_dir, "pilot-status-{ target }/{ bin }{ binary-ext }");

    let targets: Vec<(&str, &str)> = workflow
        .lines()
        .filter_map(|line| {
            let target = line.split("target: ").nth(1)?.split(',').next()?.trim();
            let archive = line.split("archive: ").nth(1)?.split(' ').next()?.trim();
            Some((target, archive))
        })
        .collect();
    let names: Vec<&str> = targets.iter().map(|(target, _)| *target).collect();
    for platform in ["linux", "apple-darwin", "windows"] {
        assert!(
            names.iter().any(|name| name.contains(platform)),
            "no {platform} build: {names:?}"
        );
    }
    for (target, archive) in targets {
        let header = format!("[package.metadata.binstall.overrides.{target}]\n");
        let url = toml_value(&manifest, &header, "pkg-url").unwrap_or_else(|| default_url.clone());
        let format = toml_value(&manifest, &header, "pkg-fmt")
            .or_else(|| toml_value(&manifest, base, "pkg-fmt"))
            .expect("pkg-fmt");
        let file = url
            .replace("{ target }", target)
            .rsplit('/')
            .next()
            .map(str::to_owned)
            .expect("a file name");
        // The workflow writes `pilot-status-$TARGET.$ARCHIVE`.
        assert_eq!(file, format!("pilot-status-{target}.{archive}"), "{target}");
        let expected_format = if archive == "zip" { "zip" } else { "tgz" };
        assert_eq!(format, expected_format, "{target}");
        assert!(
            url.starts_with("{ repo }/releases/download/v{ version }/"),
            "{url}"
        );
    }
    assert!(workflow.contains("gh release upload \"$GITHUB_REF_NAME\" \"dist/$name.$ARCHIVE\""));
}
