//! Fixes end to end: every fixture under fixtures/fixes/<rule>/<case>/ is fixed through the
//! binary and must equal its `after` byte for byte (encoding, BOM, line endings, comments),
//! parse, and re-check clean for the rule; every rule's documented `fix:` property matches the
//! fixes it produces; `--diff` writes nothing; SARIF carries the fixes.

mod common;

use common::{entralint_in, root, stdout};
use entralint::fix::Applicability;
use entralint::pipeline::analyse;
use entralint::rules::ALL;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Every (rule id, case folder) under fixtures/fixes.
fn cases() -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for rule in std::fs::read_dir(root().join("fixtures/fixes")).unwrap() {
        let rule = rule.unwrap();
        for case in std::fs::read_dir(rule.path()).unwrap() {
            found.push((
                rule.file_name().into_string().unwrap(),
                case.unwrap().path(),
            ));
        }
    }
    found.sort();
    found
}

#[test]
fn every_fix_fixture_is_fixed_to_its_after_files_and_rechecks_clean() {
    let cases = cases();
    assert!(cases.len() >= 8, "{cases:?}");
    for (rule, case) in cases {
        let work = tempfile::tempdir().unwrap();
        copy_tree(&case.join("before"), work.path());
        let before = entralint_in(work.path(), &["check", "--format", "concise", "."]);
        assert!(
            stdout(&before).contains(&format!("[{rule}]")),
            "{}: the before files do not trigger {rule}",
            case.display()
        );
        let mut args = vec!["check", "--fix", "--format", "concise", "."];
        if entralint::rules::find(&rule).unwrap().fix() == Some(Applicability::Unsafe) {
            args.push("--unsafe-fixes");
        }
        let fixed = entralint_in(work.path(), &args);
        let remaining = stdout(&fixed);
        assert!(
            !remaining.contains(&format!("[{rule}]")) && !remaining.contains("[invalid-syntax]"),
            "{}: after --fix:\n{remaining}",
            case.display()
        );
        // The exit code follows what remains.
        let errors_remain = remaining.contains(": error: ");
        assert_eq!(
            fixed.status.code(),
            Some(i32::from(errors_remain)),
            "{remaining}"
        );
        let after = case.join("after");
        for expected in files_under(&after) {
            let relative = expected.strip_prefix(&after).unwrap();
            assert_eq!(
                std::fs::read(work.path().join(relative)).unwrap(),
                std::fs::read(&expected).unwrap(),
                "{}: {} differs from after/",
                case.display(),
                relative.display()
            );
        }
        let written: Vec<PathBuf> = files_under(work.path())
            .into_iter()
            .map(|p| p.strip_prefix(work.path()).unwrap().to_path_buf())
            .collect();
        let expected: Vec<PathBuf> = files_under(&after)
            .into_iter()
            .map(|p| p.strip_prefix(&after).unwrap().to_path_buf())
            .collect();
        assert_eq!(written, expected, "no file is added or left behind");
        // The after files themselves parse and are clean for the rule.
        let analysis = analyse(std::slice::from_ref(&after), &root()).unwrap();
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| d.rule != rule && d.rule != "invalid-syntax"),
            "{}: {:?}",
            after.display(),
            analysis.diagnostics
        );
    }
}

#[test]
fn the_documented_fix_property_matches_the_fixes_each_rule_produces() {
    for rule in ALL {
        let mut dirs = vec![root().join("fixtures").join(rule.id).join("bad")];
        let fix_dir = root().join("fixtures/fixes").join(rule.id);
        if fix_dir.is_dir() {
            dirs.extend(
                std::fs::read_dir(&fix_dir)
                    .unwrap()
                    .map(|c| c.unwrap().path().join("before")),
            );
        }
        let mut produced = BTreeSet::new();
        for dir in dirs {
            let analysis = analyse(&[dir], &root()).unwrap();
            produced.extend(
                (analysis.diagnostics.iter())
                    .filter(|d| d.rule == rule.id)
                    .filter_map(|d| d.fix.as_ref())
                    .filter(|f| !f.edits.is_empty())
                    .map(|f| f.applicability),
            );
        }
        let documented: BTreeSet<Applicability> = rule.fix().into_iter().collect();
        assert_eq!(
            produced,
            documented,
            "{}: rules/{}.md says `fix: {}`",
            rule.id,
            rule.id,
            rule.fix().map_or("none", Applicability::as_str)
        );
        assert!(
            rule.doc.contains(&format!(
                "\nfix: {}\n",
                rule.fix().map_or("none", Applicability::as_str)
            )),
            "{}: the `fix:` line must be none, safe or unsafe",
            rule.id
        );
        if rule.fix().is_some() {
            assert!(
                fix_dir.is_dir(),
                "{}: fixtures/fixes/{} is needed",
                rule.id,
                rule.id
            );
        }
    }
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let case = root().join("fixtures/fixes/insecure-metadata/crlf/before");
    copy_tree(&case, work.path());
    let original = std::fs::read(work.path().join("appsettings.json")).unwrap();
    let output = entralint_in(work.path(), &["check", "--diff", "."]);
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- a/appsettings.json\n+++ b/appsettings.json\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+    \"Authority\": \"https://login.microsoftonline.com/"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read(work.path().join("appsettings.json")).unwrap(),
        original
    );
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let work = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("fixtures/fixes/graph-audience/jsonc-comments/before"),
        work.path(),
    );
    let original = std::fs::read(work.path().join("appsettings.json")).unwrap();
    let output = entralint_in(work.path(), &["check", "--fix", "--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("[graph-audience]"));
    assert_eq!(
        std::fs::read(work.path().join("appsettings.json")).unwrap(),
        original
    );
    let alone = entralint_in(work.path(), &["check", "--unsafe-fixes", "."]);
    assert_eq!(alone.status.code(), Some(2));
}

#[test]
fn sarif_carries_fixes_as_replacements() {
    let case = root().join("fixtures/fixes/whitespace-in-value/jsonc-comments/before");
    let output = entralint_in(&case, &["check", "--format", "sarif", "."]);
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let trimmed = results
        .iter()
        .find(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
        .expect("the padded TenantId is reported");
    let change = &trimmed["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "appsettings.json");
    // `"TenantId": " 3c8f…93 "`: the whole padded value is replaced by the trimmed one.
    let replacement = &change["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["startLine"], 5);
    assert_eq!(replacement["deletedRegion"]["startColumn"], 18);
    assert_eq!(
        replacement["insertedContent"]["text"],
        "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93"
    );
}

#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_link() {
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("tree");
    copy_tree(
        &root().join("fixtures/fixes/insecure-metadata/crlf/before"),
        &tree.join("real"),
    );
    // A link inside the tree to a file outside it, and one to a file inside it.
    let outside = work.path().join("outside");
    copy_tree(&tree.join("real"), &outside);
    std::fs::create_dir(tree.join("linked")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("appsettings.json"),
        tree.join("linked/appsettings.json"),
    )
    .unwrap();
    std::fs::create_dir(tree.join("alias")).unwrap();
    std::os::unix::fs::symlink(
        tree.join("real/appsettings.json"),
        tree.join("alias/appsettings.json"),
    )
    .unwrap();
    let before = std::fs::read(outside.join("appsettings.json")).unwrap();
    let output = entralint_in(&tree, &["check", "--fix", "--format", "concise", "."]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        std::fs::read(outside.join("appsettings.json")).unwrap(),
        before
    );
    assert!(
        std::fs::symlink_metadata(tree.join("alias/appsettings.json"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let fixed = std::fs::read_to_string(tree.join("real/appsettings.json")).unwrap();
    assert!(fixed.contains("\"https://login"), "{fixed}\n{stderr}");
    // Each refusal is said once, and only the fix that landed is counted.
    assert_eq!(
        stderr.matches("alias/appsettings.json: not fixed").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed 1 finding(s) in 1 file(s)"),
        "{stderr}"
    );
}
