//! Attacks a pull request can make on a CI run, each through the real binary on a temporary
//! tree: writes through links, reads outside the checked tree, forged CI commands and terminal
//! control, unbounded time and memory, leaked secrets, and overlapping path arguments.

mod common;

use common::{output_within, write};
use serde_json::Value;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `entralint` with `args` in `dir` and `env`, with its address space limited to
/// `memory_mib` (so a blow-up fails instead of swapping), failing the test past `limit`.
fn run_limited(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: Duration,
    memory_mib: u64,
) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" \"$@\"",
            memory_mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    output_within(command, args, limit)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_limited(dir, args, &[], Duration::from_secs(60), 4096)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit 0 or 1: the run finished, whatever it found.
fn assert_finished(output: &Output) {
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        output.status,
        text(&output.stderr)
    );
}

/// An app with one finding whose message quotes the instance (`malformed-authority`).
fn app_settings(instance: &str) -> String {
    format!(
        r#"{{"AzureAd": {{"Instance": "{instance}", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"}}}}"#
    )
}

/// A scratch tree holding one app (`app_settings("http://x/")`) at `file`.
fn tree_with_app(file: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), file, app_settings("http://x/"));
    repo
}

/// Makes `dir/name` a symbolic link to `target`, creating the folders between.
fn link(dir: &Path, name: &str, target: impl AsRef<Path>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    symlink(target, path).unwrap();
}

fn diagnostics(output: &Output) -> Vec<Value> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    report["diagnostics"].as_array().unwrap().clone()
}

// 1. Writes through links, over checked files.

#[test]
fn output_file_replaces_a_committed_link_instead_of_writing_through_it() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("runner-script.sh");
    std::fs::write(&target, "echo original\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
    let repo = tree_with_app("api/appsettings.json");
    for (link, args) in [
        (
            "entralint.sarif",
            vec![
                "check",
                ".",
                "--format",
                "sarif",
                "--output-file",
                "entralint.sarif",
            ],
        ),
        (
            "baseline.json",
            vec!["check", ".", "--write-baseline", "baseline.json"],
        ),
    ] {
        self::link(repo.path(), link, &target);
        let output = run(repo.path(), &args);
        assert_finished(&output);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "echo original\n");
        let written = std::fs::symlink_metadata(repo.path().join(link)).unwrap();
        assert!(
            written.file_type().is_file(),
            "{link} is now a regular file"
        );
        assert_eq!(
            written.permissions().mode() & 0o111,
            0,
            "{link} is not executable"
        );
        let content = std::fs::read_to_string(repo.path().join(link)).unwrap();
        assert!(content.contains("insecure-metadata"), "{content}");
    }
}

#[test]
fn output_or_baseline_naming_a_checked_file_is_a_usage_error() {
    let repo = tempfile::tempdir().unwrap();
    let settings = app_settings("http://x/");
    write(repo.path(), "api/appsettings.json", &settings);
    for args in [
        vec![
            "check",
            ".",
            "--format",
            "json",
            "-o",
            "api/appsettings.json",
        ],
        vec![
            "check",
            ".",
            "--format",
            "json",
            "-o",
            "./api/../api/appsettings.json",
        ],
        vec!["check", ".", "--write-baseline", "api/appsettings.json"],
    ] {
        let output = run(repo.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains("is a file being checked"),
            "{}",
            text(&output.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(repo.path().join("api/appsettings.json")).unwrap(),
            settings
        );
    }
}

// 2. Reads outside the checked tree.

#[test]
fn links_out_of_the_tree_are_skipped_without_reading_the_target() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.json",
        app_settings("http://outside-marker.example/x"),
    );
    let repo = tree_with_app("inside/appsettings.json");
    link(
        repo.path(),
        "api-appsettings.json",
        outside.path().join("secret.json"),
    );
    link(repo.path(), "proc/appsettings.json", "/proc/self/status");
    // A link inside the tree is still read through.
    link(
        repo.path(),
        "linked/appsettings.json",
        "../inside/appsettings.json",
    );
    for format in ["json", "text", "concise"] {
        let output = run(repo.path(), &["check", ".", "--format", format]);
        assert_finished(&output);
        let shown = text(&output.stdout);
        assert!(!shown.contains("outside-marker"), "{shown}");
        assert!(!shown.contains("VmRSS"), "{shown}");
        assert!(!shown.contains(outside.path().to_str().unwrap()), "{shown}");
    }
    let found = diagnostics(&run(repo.path(), &["check", ".", "--format", "json"]));
    for link in ["api-appsettings.json", "proc/appsettings.json"] {
        let finding = found
            .iter()
            .find(|d| d["file"] == link)
            .unwrap_or_else(|| panic!("no finding for {link}: {found:#?}"));
        assert_eq!(finding["rule"], "skipped-file");
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains("outside the checked folder"),
            "{finding}"
        );
    }
    assert!(
        found
            .iter()
            .any(|d| d["file"] == "linked/appsettings.json" && d["rule"] == "insecure-metadata"),
        "{found:#?}"
    );
}

#[test]
fn a_linked_configuration_outside_the_tree_is_not_echoed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "token.toml", "ghp_outsidemarker = \"x\"\n");
    let repo = tree_with_app("api/appsettings.json");
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    link(
        repo.path(),
        "entralint.toml",
        outside.path().join("token.toml"),
    );
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(output.status.code(), Some(2));
    let said = text(&output.stderr);
    assert!(!said.contains("outsidemarker"), "{said}");
    assert!(said.contains("entralint.toml"), "{said}");
}

#[test]
fn configuration_and_baseline_must_be_regular_files_within_the_limit() {
    let repo = tree_with_app("api/appsettings.json");
    let fifo = repo.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for args in [
        vec!["check", ".", "--config", "pipe"],
        vec!["check", ".", "--baseline", "pipe"],
        vec!["check", ".", "--baseline", "/proc/self/pagemap"],
        vec!["check", ".", "--config", "/proc/self/pagemap"],
        vec!["check", ".", "--baseline", "/dev/zero"],
    ] {
        let output = run_limited(repo.path(), &args, &[], Duration::from_secs(20), 1024);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let said = text(&output.stderr);
        assert!(
            ["not a regular file", "byte limit", "cannot be read"]
                .iter()
                .any(|why| said.contains(why)),
            "{args:?}: {said}"
        );
    }
}

// 3. Forged CI commands and terminal control.

/// No line can start a GitHub workflow command or hold an Azure Pipelines logging command.
fn assert_no_forged_command(output: &str, what: &str) {
    for line in output.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line starts a workflow command: {line:?}"
        );
        assert!(
            !line.contains("##[") && !line.contains("##vso["),
            "{what}: a line holds a logging command: {line:?}"
        );
    }
}

/// No control character, line or paragraph separator, or bidi control but newline and tab.
fn assert_no_control(output: &str, what: &str) {
    for c in output.chars() {
        let bidi = matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            c == '\n'
                || c == '\t'
                || !(c.is_control() || c == '\u{2028}' || c == '\u{2029}' || bidi),
            "{what}: raw {c:?} in {output:?}"
        );
    }
}

fn hostile_tree() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    for folder in [
        "a\n::error title=forged::pwned\n",
        "b\n  ::add-mask::x",
        "c\n::stop-commands::abc",
        "d ##[error]forged",
        "e ##vso[task.setvariable variable=x]y",
        "::warning::start",
    ] {
        write(
            &repo.path().join(folder),
            "appsettings.json",
            app_settings(
                r"http://login.microsoftonline.com/\u001b]0;title\u0007\u001b[2J\u202e\u2028::error::v\n::notice::w\r##vso[x]",
            ),
        );
    }
    write(
        repo.path(),
        "keys/appsettings.json",
        "{\"AzureAd\u{1b}[31m\\n::error::key\": {\"Instance\": \"http://h/\", \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\", \"ClientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"}}\n\u{1b}]8;;http://evil\u{7}\u{202e}\n",
    );
    repo
}

#[test]
fn human_formats_escape_control_characters_and_forge_no_command() {
    let repo = hostile_tree();
    for args in [
        vec!["check", ".", "--format", "text"],
        vec!["check", ".", "--format", "text", "--color", "never"],
        vec!["check", ".", "--format", "concise"],
        vec!["check", ".", "--statistics"],
        vec!["inspect", "."],
    ] {
        let output = run(repo.path(), &args);
        assert_finished(&output);
        let shown = text(&output.stdout);
        assert!(!shown.is_empty(), "{args:?}");
        assert_no_control(&shown, &format!("{args:?}"));
        assert_no_forged_command(&shown, &format!("{args:?}"));
        assert_no_control(&text(&output.stderr), "stderr");
        assert_no_forged_command(&text(&output.stderr), "stderr");
    }
    let concise = text(&run(repo.path(), &["check", ".", "--format", "concise"]).stdout);
    assert!(
        concise.contains(r"a\n::error title=forged::pwned\n/appsettings.json"),
        "{concise}"
    );
    assert!(concise.contains(r"\u{1b}]0;title\u{7}"), "{concise}");
    assert!(concise.contains(r"\u{202e}"), "{concise}");
}

#[test]
fn machine_formats_forge_no_command() {
    let repo = hostile_tree();
    for format in ["json", "sarif", "gitlab", "junit", "github", "azure"] {
        let output = run(repo.path(), &["check", ".", "--format", format]);
        assert_finished(&output);
        let shown = text(&output.stdout);
        for line in shown.lines() {
            let own_command = match format {
                "github" => ["::error file=", "::warning file=", "::notice file="]
                    .iter()
                    .any(|c| line.starts_with(c)),
                _ => false,
            };
            assert!(
                own_command || !line.trim_start().starts_with("::"),
                "{format}: {line:?}"
            );
            let rest = match format {
                "azure" => line.strip_prefix("##vso[task.logissue ").expect(line),
                _ => line,
            };
            assert!(
                !rest.contains("##[") && !rest.contains("##vso["),
                "{format}: {line:?}"
            );
            if matches!(format, "github" | "azure") {
                assert_no_control(rest, format);
            }
        }
    }
    for format in ["json", "sarif", "gitlab"] {
        let output = run(repo.path(), &["check", ".", "--format", format]);
        serde_json::from_slice::<Value>(&output.stdout).expect("still valid JSON");
    }
}

#[test]
fn under_github_actions_human_output_is_fenced_with_a_random_token() {
    let repo = hostile_tree();
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let output = run_limited(
            repo.path(),
            &["check", ".", "--format", "concise"],
            &[("GITHUB_ACTIONS", "true")],
            Duration::from_secs(60),
            4096,
        );
        let shown = text(&output.stdout);
        let lines: Vec<&str> = shown.lines().collect();
        let token = lines[0]
            .strip_prefix("::stop-commands::")
            .unwrap_or_else(|| panic!("fenced: {shown}"))
            .to_string();
        assert!(token.len() >= 32, "{token}");
        assert_eq!(lines[lines.len() - 1], format!("::{token}::"));
        assert_no_forged_command(&lines[1..lines.len() - 1].join("\n"), "fenced");
        tokens.push(token);
    }
    assert_ne!(tokens[0], tokens[1], "a new token each run");
    // Machine formats are not fenced: their consumers parse them.
    let json = run_limited(
        repo.path(),
        &["check", ".", "--format", "json"],
        &[("GITHUB_ACTIONS", "true")],
        Duration::from_secs(60),
        4096,
    );
    serde_json::from_slice::<Value>(&json.stdout).expect("unfenced JSON");
}

// 4. Time and memory.

#[test]
fn doubling_fields_in_code_stay_small() {
    let repo = tempfile::tempdir().unwrap();
    let mut code = String::from(
        "public class Startup {\n static string f0 = \"https://login.microsoftonline.com/\";\n",
    );
    for i in 1..64 {
        code.push_str(&format!(" static string f{i} = f{} + f{};\n", i - 1, i - 1));
    }
    code.push_str(" static string g = string.Format(\"{0}{0}{0}{0}{0}{0}{0}{0}\", f12);\n");
    code.push_str(" public void ConfigureServices(IServiceCollection services) {\n  services.AddAuthentication().AddJwtBearer(o => { o.Authority = f63; o.MetadataAddress = g; });\n }\n}\n");
    write(repo.path(), "api/Startup.cs", code);
    write(repo.path(), "api/appsettings.json", "{}");
    for args in [vec!["check", "."], vec!["inspect", "."]] {
        let output = run_limited(repo.path(), &args, &[], Duration::from_secs(20), 1024);
        assert_finished(&output);
    }
}

/// `check . --format concise` in `dir` within `limit` and `memory_mib` of address space: it
/// must finish.
fn check_finishes_within(dir: &Path, limit: Duration, memory_mib: u64) {
    let args = ["check", ".", "--format", "concise"];
    assert_finished(&run_limited(dir, &args, &[], limit, memory_mib));
}

/// Runs `check` on the tree `make(n)` writes for two sizes; the larger must not take more than
/// `ratio` times as long as the smaller (linear growth gives about 4 for four times the input).
fn assert_scales_linearly(name: &str, small: usize, make: impl Fn(&Path, usize)) {
    let mut seconds = Vec::new();
    for n in [small, small * 4] {
        let repo = tempfile::tempdir().unwrap();
        make(repo.path(), n);
        let started = Instant::now();
        check_finishes_within(repo.path(), Duration::from_secs(60), 2048);
        seconds.push(started.elapsed().as_secs_f64());
    }
    // A floor for start-up noise on small inputs.
    let (a, b) = (seconds[0].max(0.05), seconds[1]);
    assert!(
        b < a * 10.0,
        "{name}: {seconds:?} grows faster than linearly"
    );
}

#[test]
fn many_keys_in_one_section_and_one_long_line_are_linear() {
    assert_scales_linearly("keys in a section, one line", 20_000, |dir, n| {
        let mut json = String::from(r#"{"AzureAd": {"Instance": "http://x/", "TenantId": "t""#);
        for i in 0..n {
            json.push_str(&format!(
                r#", "Key{i}": "https://login.microsoftonline.com/ "#
            ));
            json.push('"');
        }
        json.push_str("}}");
        write(dir, "appsettings.json", json);
    });
}

#[test]
fn many_apps_and_findings_on_one_minified_line_are_linear() {
    assert_scales_linearly("apps on one line", 1_000, |dir, n| {
        let apps: Vec<String> = (0..n)
            .map(|i| format!(r#""App{i}": {{"Instance": "http://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45", "MetadataAddress": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration?appid=x"}}"#))
            .collect();
        write(dir, "appsettings.json", format!("{{{}}}", apps.join(",")));
    });
}

#[test]
fn many_environments_transforms_and_settings_are_linear() {
    assert_scales_linearly("environments", 200, |dir, n| {
        write(
            dir,
            "appsettings.json",
            app_settings("https://login.microsoftonline.com/"),
        );
        for i in 0..n {
            write(
                dir,
                &format!("appsettings.Env{i}.json"),
                r#"{"AzureAd": {"Instance": "http://x/"}}"#,
            );
        }
    });
    // Each build configuration is checked on its own: time grows with settings times
    // transforms, so each is doubled alone; memory stays flat (one configuration at a time).
    let web_config = |dir: &Path, settings: usize, transforms: usize| {
        let mut config = String::from("<configuration><appSettings>");
        for i in 0..settings {
            config.push_str(&format!(r#"<add key="k{i}" value="v" />"#));
        }
        config.push_str(r#"<add key="ida:AADInstance" value="http://login.microsoftonline.com/{0}" /></appSettings></configuration>"#);
        write(dir, "Web.config", config);
        for i in 0..transforms {
            write(
                dir,
                &format!("Web.T{i}.config"),
                r#"<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform"><appSettings><add key="ida:Tenant" value="t" xdt:Transform="SetAttributes" xdt:Locator="Match(key)" /><remove key="k1" /></appSettings></configuration>"#,
            );
        }
    };
    assert_scales_linearly("web.config settings", 2_000, |dir, n| {
        web_config(dir, n, 20)
    });
    assert_scales_linearly("web.config transforms", 100, |dir, n| {
        web_config(dir, 20, n)
    });
    let repo = tempfile::tempdir().unwrap();
    web_config(repo.path(), 2_000, 1_000);
    check_finishes_within(repo.path(), Duration::from_secs(120), 512);
    assert_scales_linearly("web.config file= and remove", 2_000, |dir, n| {
        let mut config = String::from(r#"<configuration><appSettings file="extra.config">"#);
        let mut extra = String::from("<appSettings>");
        for i in 0..n {
            config.push_str(&format!(
                r#"<add key="k{i}" value="v" /><remove key="k{i}" />"#
            ));
            extra.push_str(&format!(r#"<add key="k{i}" value="w" />"#));
        }
        config.push_str("</appSettings></configuration>");
        extra.push_str("</appSettings>");
        write(dir, "Web.config", config);
        write(dir, "extra.config", extra);
    });
    assert_scales_linearly("suppressions", 1_000, |dir, n| {
        let apps: Vec<String> = (0..n)
            .map(|i| format!("  \"App{i}\": {{\n    // entralint-ignore insecure-metadata: generated\n    \"Instance\": \"http://login.microsoftonline.com/\", \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\", \"ClientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"\n  }}"))
            .collect();
        write(
            dir,
            "appsettings.json",
            format!("{{\n{}\n}}\n", apps.join(",\n")),
        );
    });
    assert_scales_linearly("named values", 2_000, |dir, n| {
        let mut policy = String::from(
            "<policies><inbound><validate-jwt header-name=\"Authorization\"><openid-config url=\"",
        );
        for i in 0..n {
            policy.push_str(&format!("{{{{nv{i}}}}}"));
        }
        policy.push_str("\" /></validate-jwt></inbound></policies>");
        write(dir, "apim/policy.xml", policy);
        let mut values = String::from("namedValues:\n");
        for i in 0..n {
            values.push_str(&format!(
                "  - name: nv{i}\n    properties:\n      displayName: nv{i}\n      value: x\n"
            ));
        }
        write(dir, "apim/configuration.prod.yaml", values);
    });
}

// 5. Secrets in snippets and messages.

/// Every format of `check` and `inspect` over `dir`.
fn every_output(dir: &Path) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for format in [
        "text", "concise", "json", "sarif", "github", "azure", "gitlab", "junit",
    ] {
        let output = run(dir, &["check", ".", "--format", format]);
        assert_finished(&output);
        outputs.push((
            format.to_string(),
            text(&output.stdout) + &text(&output.stderr),
        ));
    }
    for format in ["text", "json"] {
        let output = run(dir, &["inspect", ".", "--format", format]);
        outputs.push((format!("inspect {format}"), text(&output.stdout)));
    }
    let diff: &[&str] = &["check", ".", "--diff"];
    let unsafe_diff: &[&str] = &["check", ".", "--diff", "--unsafe-fixes"];
    for args in [diff, unsafe_diff] {
        let output = run(dir, args);
        outputs.push((args.join(" "), text(&output.stdout) + &text(&output.stderr)));
    }
    outputs
}

#[test]
fn secrets_are_masked_by_shape_and_in_files_that_fail_to_parse() {
    let repo = tempfile::tempdir().unwrap();
    // Each file puts a finding on the secret's line or the next, so a snippet shows it.
    write(
        repo.path(),
        "broken/appsettings.json",
        "{\"AzureAd\": {\"Instance\": \"http://x/\", \"ClientSecret\": \"BrokenSecret1x\" \"TenantId\": \n",
    );
    write(
        repo.path(),
        "conn/appsettings.json",
        "{\"AzureAd\": {\"Instance\": \"http://x/\", \"TenantId\": \"t\", \"ClientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"},\n \"ConnectionStrings\": {\"Db\": \"Server=s;Password=ConnPassword1x;\", \"Sb\": \"Endpoint=sb://x/;SharedAccessKey=SasKeyValue1x=\", \"St\": \"DefaultEndpointsProtocol=https;AccountKey=AccountKey1x==\", \"Old\": \"uid=a;Pwd=PwdValue1x\"}, \"Certificate\": {\"Base64Value\": \"Q2VydFZhbHVlMXg=\", \"CertificatePassword\": \"CertPassword1x\"}, \"Api\": {\"ApiKey\": \"ApiKeyValue1x\"}}\n",
    );
    write(
        repo.path(),
        "dup/appsettings.json",
        "{\"AzureAd\": {\"Instance\": \"http://x/\", \"TenantId\": \"t\", \"ClientSecret\": \"DupFirst1x\",\n \"ClientSecret\": \"DupSecond1x\", \"ClientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"}}\n",
    );
    write(
        repo.path(),
        "arm/azuredeploy.json",
        "{\"resources\": [{\"type\": \"Microsoft.Web/sites/config\", \"name\": \"authsettingsV2\", \"properties\": {\"identityProviders\": {\"azureActiveDirectory\": {\"registration\": {\"openIdIssuer\": \"http://sts.windows.net/t/\", \"clientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\", \"clientSecret\": \"ArmSecret1x\"}}}}}]}\n",
    );
    write(
        repo.path(),
        "apim/policy.xml",
        "<policies><inbound><validate-jwt header-name=\"Authorization\"><openid-config url=\"http://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration\" />\n<issuer-signing-keys><key>SigningKey1xAAAA</key></issuer-signing-keys><decryption-keys><key>DecryptKey1xAAAA</key></decryption-keys><audiences><audience>{{secret-nv}}</audience></audiences></validate-jwt></inbound></policies>\n",
    );
    write(
        repo.path(),
        "apim/configuration.prod.yaml",
        "namedValues:\n  - name: secret-nv\n    properties:\n      displayName: secret-nv\n      secret: true\n      value: NamedSecret1x\n",
    );
    // A fixable value (padded, http) beside secrets, and a secret in an address's query.
    write(
        repo.path(),
        "fixable/appsettings.json",
        "{\"AzureAd\": {\"Instance\": \"https://login.microsoftonline.com/\", \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\",\n \"ClientSecret\": \"DiffSecret1x\",\n \"ClientId\": \" 5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\",\n \"MetadataAddress\": \"http://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/.well-known/openid-configuration?client_secret=QuerySecret1x\"}}\n",
    );
    write(
        repo.path(),
        "code/Startup.cs",
        "public class Startup {\n public void ConfigureServices(IServiceCollection services) {\n  services.AddAuthentication().AddOpenIdConnect(o => { o.Authority = \"http://login.microsoftonline.com/t/v2.0\";\n o.ClientSecret = \"CodeSecret1x\"; });\n }\n}\n",
    );
    let secrets = [
        "BrokenSecret1x",
        "ConnPassword1x",
        "SasKeyValue1x",
        "AccountKey1x",
        "PwdValue1x",
        "Q2VydFZhbHVlMXg",
        "CertPassword1x",
        "ApiKeyValue1x",
        "DupFirst1x",
        "DupSecond1x",
        "ArmSecret1x",
        "SigningKey1x",
        "DecryptKey1x",
        "NamedSecret1x",
        "CodeSecret1x",
        "DiffSecret1x",
        "QuerySecret1x",
    ];
    for (format, output) in every_output(repo.path()) {
        for secret in secrets {
            assert!(
                !output.contains(secret),
                "{format} prints {secret}:\n{output}"
            );
        }
    }
}

// 6. Overlapping path arguments.

#[test]
fn overlapping_path_arguments_are_read_once() {
    let repo = tree_with_app("a/appsettings.json");
    let absolute = repo.path().join("a");
    let absolute = absolute.to_str().unwrap();
    let once = diagnostics(&run(repo.path(), &["check", "a", "--format", "json"]));
    for args in [
        vec!["check", "a", "./a", absolute, "--format", "json"],
        vec!["check", "a/appsettings.json", "a", "--format", "json"],
        vec!["check", ".", "a", "--format", "json"],
    ] {
        let found = diagnostics(&run(repo.path(), &args));
        assert_eq!(found.len(), once.len(), "{args:?}: {found:#?}");
    }
}

#[test]
fn standard_input_replaces_its_file_however_it_is_named() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "a/appsettings.json",
        app_settings("https://login.microsoftonline.com/"),
    );
    for name in ["a/appsettings.json", "./a/appsettings.json"] {
        for paths in [vec!["-"], vec!["-", "."], vec![".", "-"]] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_entralint"))
                .arg("check")
                .args(&paths)
                .args(["--stdin-filename", name, "--format", "json"])
                .current_dir(repo.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            std::io::Write::write_all(
                &mut child.stdin.take().unwrap(),
                app_settings("http://x/").as_bytes(),
            )
            .unwrap();
            let found = diagnostics(&child.wait_with_output().unwrap());
            let files: Vec<&str> = found.iter().map(|d| d["file"].as_str().unwrap()).collect();
            assert!(
                found.iter().any(|d| d["rule"] == "insecure-metadata"),
                "{name} {paths:?}: the text from standard input is checked: {found:#?}"
            );
            assert!(
                files.iter().all(|f| *f == "a/appsettings.json"),
                "{files:?}"
            );
            let unique: std::collections::HashSet<String> =
                found.iter().map(|d| d.to_string()).collect();
            assert_eq!(unique.len(), found.len(), "each finding once: {found:#?}");
        }
    }
}
