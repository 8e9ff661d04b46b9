//! Every rule has documentation, fixtures that must trigger it and fixtures that must stay
//! silent, and a golden file pinning what `check --format concise` prints for its fixtures.
//! Run with `ENTRALINT_BLESS=1` to rewrite the golden files after an intended change.

mod common;

use common::root;
use entralint::pipeline::analyse;
use entralint::report::concise;
use entralint::rules::{ALL, Check};
use std::path::Path;

fn concise_output(dir: &Path) -> (String, Vec<&'static str>) {
    let analysis = analyse(&[dir.to_path_buf()], &root()).expect("fixture folder exists");
    let rules = analysis.diagnostics.iter().map(|d| d.rule).collect();
    (
        concise::render(&analysis.sources, &analysis.diagnostics),
        rules,
    )
}

#[test]
fn every_rule_has_documentation_with_front_matter() {
    for rule in ALL {
        assert!(
            !rule.summary().is_empty(),
            "{}: rules/{}.md needs a `summary:` line",
            rule.id,
            rule.id
        );
        assert!(
            rule.doc.contains("\nseverity: "),
            "{}: rules/{}.md needs a `severity:` line",
            rule.id,
            rule.id
        );
        assert!(
            rule.body().starts_with(&format!("# {}", rule.id)),
            "{}: the doc must start with its id as title",
            rule.id
        );
        for section in [
            "## What it detects",
            "## Why it fails at run time",
            "## Example",
            "## How to fix",
        ] {
            assert!(
                rule.body().contains(section),
                "{}: the doc lacks '{section}'",
                rule.id
            );
        }
    }
}

#[test]
fn every_doc_file_belongs_to_a_rule() {
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let id = name.strip_suffix(".md").expect("only Markdown in rules/");
        assert!(
            ALL.iter().any(|r| r.id == id),
            "rules/{name} documents no registered rule"
        );
    }
}

#[test]
fn every_rule_fires_on_its_bad_fixtures_and_good_fixtures_are_clean() {
    let mut failures = Vec::new();
    for rule in ALL {
        let dir = root().join("fixtures").join(rule.id);
        let (bad, good) = (dir.join("bad"), dir.join("good"));
        if !bad.is_dir() || !good.is_dir() {
            failures.push(format!(
                "{}: fixtures/{}/bad and fixtures/{}/good are both required",
                rule.id, rule.id, rule.id
            ));
            continue;
        }
        let (_, fired) = concise_output(&bad);
        if !fired.contains(&rule.id) {
            failures.push(format!("{}: no diagnostic on its bad fixtures", rule.id));
        }
        let (output, _) = concise_output(&good);
        if !output.is_empty() {
            failures.push(format!(
                "{}: its good fixtures must be clean, but got:\n{output}",
                rule.id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn golden_output_of_every_rule_fixture() {
    let bless = std::env::var_os("ENTRALINT_BLESS").is_some();
    let mut failures = Vec::new();
    for rule in ALL {
        let dir = root().join("fixtures").join(rule.id);
        let (output, _) = concise_output(&dir);
        let golden = dir.join("expected.txt");
        if bless {
            std::fs::write(&golden, &output).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == output => {}
            Ok(expected) => failures.push(format!("{}: output differs from expected.txt\n--- expected\n{expected}--- actual\n{output}", rule.id)),
            Err(_) => failures.push(format!("{}: fixtures/{}/expected.txt is missing (run with ENTRALINT_BLESS=1)", rule.id, rule.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pipeline_rules_are_raised_by_the_pipeline_and_app_rules_by_apps() {
    let pipeline: Vec<&str> = ALL
        .iter()
        .filter(|r| matches!(r.check, Check::Pipeline))
        .map(|r| r.id)
        .collect();
    assert_eq!(
        pipeline,
        [
            "invalid-syntax",
            "unreadable-file",
            "skipped-file",
            "unused-suppression",
            "invalid-suppression",
            "helm-values-key-ignored"
        ]
    );
}
