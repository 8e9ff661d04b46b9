//! The GitHub action's scripts run as the runner runs them (`bash -eo pipefail FILE`), with a
//! fake GITHUB_OUTPUT and RUNNER_TEMP: hostile inputs reach entralint as arguments, never as
//! shell code; a malformed `reports` line is an error; the outputs are always written; the
//! build fingerprint works without sha256sum (macOS runners).

mod common;

use common::{action_steps, project, root, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `run` script of the action's step named `name`.
fn script(name: &str) -> String {
    action_steps()
        .iter()
        .find(|s| s.as_mapping_get("name").and_then(|n| n.as_str()) == Some(name))
        .and_then(|s| s.as_mapping_get("run"))
        .and_then(|r| r.as_str())
        .unwrap_or_else(|| panic!("no step {name}"))
        .to_string()
}

/// A runner: a workspace, a temporary folder holding the entralint to run, an output file.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["workspace", "temp/entralint-bin/bin"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("output"), "").unwrap();
        Runner { dir }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    fn binary(&self) -> PathBuf {
        self.path("temp/entralint-bin/bin/entralint")
    }

    /// An entralint that records its arguments, NUL-separated, and exits 1.
    fn stub(&self) {
        let argv = self.path("argv");
        let stub = format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '{}'\nexit 1\n",
            argv.display()
        );
        std::fs::write(self.binary(), stub).unwrap();
        make_executable(&self.binary());
    }

    fn argv(&self) -> Option<Vec<String>> {
        let bytes = std::fs::read(self.path("argv")).ok()?;
        let text = String::from_utf8(bytes).unwrap();
        Some(
            text.strip_suffix('\0')
                .unwrap_or(&text)
                .split('\0')
                .map(str::to_string)
                .collect(),
        )
    }

    fn run(&self, workspace: &Path, inputs: &[(&str, &str)]) -> Output {
        let file = self.path("script.sh");
        std::fs::write(&file, script("Run entralint")).unwrap();
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .current_dir(workspace)
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_OUTPUT", self.path("output"));
        for (name, value) in inputs {
            command.env(name, value);
        }
        command.output().unwrap()
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(self.path("output")).unwrap()
    }
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Every file below `dir` whose name mentions `pwned`.
fn pwned(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(pwned(&path));
        } else if entry.file_name().to_string_lossy().contains("pwned") {
            found.push(path);
        }
    }
    found
}

#[test]
fn hostile_inputs_reach_entralint_as_arguments_only() {
    let runner = Runner::new();
    runner.stub();
    let workspace = runner.path("workspace");
    let output = runner.run(
        &workspace,
        &[
            ("ENTRALINT_PATHS", "src dir\n$(touch pwned)\n-leading\n"),
            ("ENTRALINT_ARGS", "--fail-on=warning\n`touch pwned-too`"),
            ("ENTRALINT_FORMAT", "github"),
            (
                "ENTRALINT_REPORTS",
                "junit=my report.xml\n$(touch pwned)=x\n",
            ),
            ("ENTRALINT_SARIF", "true"),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sarif = runner.path("temp/entralint.sarif");
    let sarif = sarif.to_str().unwrap();
    assert_eq!(
        runner.argv().expect("entralint ran"),
        [
            "check",
            "--format",
            "github",
            "--format",
            "junit",
            "--output-file",
            "my report.xml",
            "--format",
            "$(touch pwned)",
            "--output-file",
            "x",
            "--format",
            "sarif",
            "--output-file",
            sarif,
            "--fail-on=warning",
            "`touch pwned-too`",
            "--",
            "src dir",
            "$(touch pwned)",
            "-leading",
        ]
    );
    assert_eq!(pwned(runner.dir.path()), Vec::<PathBuf>::new());
    assert_eq!(
        runner.outputs(),
        format!("sarif-file={sarif}\nexit-code=1\n")
    );
}

#[test]
fn a_reports_line_without_format_and_path_is_an_error() {
    for reports in [
        "junit",
        "=entralint.xml",
        "junit=",
        "sarif=a.sarif\n$(touch pwned)",
    ] {
        let runner = Runner::new();
        runner.stub();
        let output = runner.run(
            &runner.path("workspace"),
            &[
                ("ENTRALINT_PATHS", "."),
                ("ENTRALINT_ARGS", ""),
                ("ENTRALINT_FORMAT", "github"),
                ("ENTRALINT_REPORTS", reports),
                ("ENTRALINT_SARIF", "false"),
            ],
        );
        assert_eq!(output.status.code(), Some(2), "{reports:?}");
        assert!(
            runner.argv().is_none(),
            "{reports:?}: entralint did not run"
        );
        let err = stderr(&output);
        assert!(
            err.contains("of the reports input is not format=path"),
            "{err}"
        );
        assert!(!err.contains("touch"), "the line is not echoed: {err}");
        assert_eq!(runner.outputs(), "sarif-file=\nexit-code=2\n");
        assert_eq!(pwned(runner.dir.path()), Vec::<PathBuf>::new());
    }
}

#[test]
fn the_real_binary_checks_a_folder_with_a_space_and_writes_its_reports() {
    let runner = Runner::new();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_entralint"), runner.binary()).unwrap();
    let repo = project(&[(
        "my api/appsettings.json",
        r#"{ "AzureAd": { "Instance": "https://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45", "Audience": "https://graph.microsoft.com" } }"#,
    )]);
    let output = runner.run(
        repo.path(),
        &[
            ("ENTRALINT_PATHS", "my api"),
            ("ENTRALINT_ARGS", ""),
            ("ENTRALINT_FORMAT", "concise"),
            ("ENTRALINT_REPORTS", "junit=entralint report.xml"),
            ("ENTRALINT_SARIF", "true"),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let log = String::from_utf8(output.stdout).unwrap();
    assert!(
        log.contains("my api/appsettings.json:") && log.contains("[graph-audience]"),
        "{log}"
    );
    assert!(repo.path().join("entralint report.xml").is_file());
    assert!(runner.path("temp/entralint.sarif").is_file());
    assert!(runner.outputs().ends_with("exit-code=1\n"));
}

/// The fingerprint step's digest with the tools in `tools` only on the PATH.
fn fingerprint(tools: &[&str]) -> String {
    let runner = Runner::new();
    let bin = runner.path("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in tools {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is not installed"));
        std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
    }
    let file = runner.path("script.sh");
    std::fs::write(&file, script("Fingerprint the entralint sources")).unwrap();
    let output = Command::new(bin.join("bash"))
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&file)
        .env_clear()
        .env("PATH", &bin)
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_OUTPUT", runner.path("output"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{tools:?}: {}",
        stderr(&output)
    );
    let outputs = runner.outputs();
    let digest = outputs.strip_prefix("digest=").unwrap().trim().to_string();
    assert_eq!(digest.len(), 16, "{outputs}");
    digest
}

#[test]
fn the_build_fingerprint_falls_back_to_shasum() {
    let common = ["bash", "find", "sort", "xargs", "cut", "perl"];
    let with_sha256sum = fingerprint(&[&common[..], &["sha256sum"]].concat());
    let with_shasum = fingerprint(&[&common[..], &["shasum"]].concat());
    assert_eq!(with_sha256sum, with_shasum);
}
