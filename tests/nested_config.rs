//! The nearest configuration applies per file, as ruff applies it: a folder below a checked
//! path that holds its own entralint.toml takes it, and no file is checked twice when checked
//! paths overlap. Through `check`, `inspect` and `token`.

mod common;

use common::{GRAPH_API, entralint_in, project, stderr, stdout};
use serde_json::Value;

fn repository() -> tempfile::TempDir {
    project(&[
        (
            "infra/entralint.toml",
            "ignore = [\"graph-audience\"]\nextend-exclude = [\"legacy/**\"]\n",
        ),
        ("infra/api/appsettings.json", GRAPH_API),
        ("infra/legacy/appsettings.json", GRAPH_API),
        ("web/appsettings.json", GRAPH_API),
    ])
}

fn concise(dir: &tempfile::TempDir, paths: &[&str]) -> Vec<String> {
    let mut args = vec!["check", "--format", "concise"];
    args.extend_from_slice(paths);
    let output = entralint_in(dir.path(), &args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
    stdout(&output).lines().map(str::to_string).collect()
}

#[test]
fn check_applies_the_nested_configuration_and_checks_each_file_once() {
    let dir = repository();
    let whole = concise(&dir, &["."]);
    for paths in [
        &["."][..],
        &[".", "infra"],
        &["infra", "."],
        &["web", "infra", "."],
    ] {
        let lines = concise(&dir, paths);
        assert_eq!(lines, whole, "{paths:?}");
    }
    let graph: Vec<&String> = whole
        .iter()
        .filter(|l| l.contains("graph-audience"))
        .collect();
    assert_eq!(graph.len(), 1, "{whole:#?}");
    assert!(graph[0].starts_with("web/appsettings.json:"), "{whole:#?}");
    // infra/entralint.toml excludes legacy/ and ignores graph-audience for infra/.
    assert!(!whole.iter().any(|l| l.starts_with("infra/")), "{whole:#?}");
    let mut unique = whole.clone();
    unique.dedup();
    assert_eq!(unique, whole, "no finding twice");
}

#[test]
fn the_cli_selection_applies_to_nested_configurations_too() {
    let dir = repository();
    let output = entralint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "graph-audience",
            ".",
        ],
    );
    let found = stdout(&output);
    assert!(found.contains("web/appsettings.json"), "{found}");
    assert!(!found.contains("infra/"), "{found}");
    assert!(
        found.lines().all(|l| l.contains("graph-audience")),
        "{found}"
    );
}

fn files(report: &Value) -> Vec<String> {
    let mut files: Vec<String> = report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn inspect_lists_each_app_once_under_overlapping_paths() {
    let dir = repository();
    for paths in [&["."][..], &[".", "infra"], &["infra/api", "infra", "."]] {
        let mut args = vec!["inspect", "--format", "json"];
        args.extend_from_slice(paths);
        let output = entralint_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            files(&report),
            ["infra/api/appsettings.json", "web/appsettings.json"],
            "{paths:?}"
        );
    }
}

#[test]
fn token_judges_each_app_once_under_overlapping_paths() {
    let dir = repository();
    // An unsigned-looking token is enough: no --keys, and verdicts do not depend on it.
    let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJhdWQiOiJ4In0.c2ln";
    std::fs::write(dir.path().join("token.txt"), token).unwrap();
    for paths in [&["."][..], &[".", "infra"], &["infra", "."]] {
        let mut args = vec!["token", "--token-file", "token.txt", "--format", "json"];
        args.extend_from_slice(paths);
        let output = entralint_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(
            files(&report),
            ["infra/api/appsettings.json", "web/appsettings.json"],
            "{paths:?}"
        );
    }
}
