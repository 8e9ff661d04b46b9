//! Helpers the integration tests share: the repository root, running the binary, snapshots,
//! and `inspect` as JSON. Each test file uses some of them.
#![allow(dead_code)]

use entralint::pipeline::{Analysis, analyse};
use entralint::report::{Format, inspect_json};
use saphyr::LoadableYamlNode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `dir`, independent of the caller's `NO_COLOR`.
pub fn entralint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Runs the binary at the repository root.
pub fn entralint(args: &[&str]) -> Output {
    entralint_in(&root(), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

/// Compares `actual` with `tests/snapshots/<name>`, or rewrites it with `ENTRALINT_BLESS=1`.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("ENTRALINT_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing (run with ENTRALINT_BLESS=1)", path.display()));
    assert_eq!(expected, actual, "{name} differs from its snapshot");
}

/// The apps `inspect --format json` lists for `dir` (relative to the root).
/// The JSON the binary prints for `args` (run from the repository root).
pub fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(&entralint(args))).expect("JSON output")
}

/// The apps `inspect --format json` prints for `dir`, through the binary.
pub fn inspected(dir: &str) -> Vec<Value> {
    json_of(&["inspect", dir, "--format", "json"])["apps"]
        .as_array()
        .unwrap()
        .clone()
}

/// The app whose file ends with `file`.
pub fn app_in<'a>(apps: &'a [Value], file: &str) -> &'a Value {
    apps.iter()
        .find(|a| a["file"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no app in {file}: {apps:#?}"))
}

pub fn inspect_apps(dir: &str) -> Vec<Value> {
    let analysis = analyse(&[root().join(dir)], &root()).unwrap();
    let report: Value =
        serde_json::from_str(&inspect_json::render(&analysis.sources, &analysis.apps)).unwrap();
    report["apps"].as_array().unwrap().clone()
}

/// Analyses `dir` (relative to the root), asserting that it yields no finding.
pub fn analyse_clean(dir: &str) -> Analysis {
    let analysis = analyse(&[root().join(dir)], &root()).unwrap();
    assert!(
        analysis.diagnostics.is_empty(),
        "{:#?}",
        analysis.diagnostics
    );
    analysis
}

/// The app of `inspect --format json` whose file `file` accepts, in `environment`; `what`
/// names it when there is none.
pub fn find_app<'a>(
    apps: &'a [Value],
    environment: Option<&str>,
    file: impl Fn(&str) -> bool,
    what: &str,
) -> &'a Value {
    apps.iter()
        .find(|a| file(a["file"].as_str().unwrap()) && a["environment"].as_str() == environment)
        .unwrap_or_else(|| panic!("no app in {what} ({environment:?})"))
}

/// A scratch repository (it has a `.git` folder, so configuration discovery stops there) with
/// `files` (relative path, text).
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs the binary in `dir` with `input` on standard input.
pub fn entralint_with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("a piped standard input")
        .write_all(input)
        .expect("standard input is written");
    child.wait_with_output().expect("the binary ends")
}

/// Runs `command` (the binary with `args`) with its output piped, failing the test if it runs
/// past `limit`. Output is read on other threads so a full pipe cannot stall the child.
pub fn output_within(mut command: Command, args: &[&str], limit: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buffer).unwrap();
        buffer
    });
    let err = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buffer).unwrap();
        buffer
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("entralint {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Writes `bytes` to `dir/name`, creating the folders between.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Every output format of `check`.
pub const EVERY_FORMAT: [Format; 8] = [
    Format::Text,
    Format::Concise,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Azure,
    Format::Gitlab,
    Format::Junit,
];

/// The steps of the GitHub action (`runs.steps` of action.yml).
pub fn action_steps() -> Vec<saphyr::YamlOwned> {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = saphyr::YamlOwned::load_from_str(&text).unwrap();
    action[0]
        .as_mapping_get("runs")
        .and_then(|r| r.as_mapping_get("steps"))
        .and_then(|s| s.as_sequence())
        .expect("runs.steps")
        .clone()
}

/// An API whose audience is Microsoft Graph: one `graph-audience` finding.
pub const GRAPH_API: &str = r#"{
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93",
    "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45",
    "Audience": "https://graph.microsoft.com"
  }
}
"#;
