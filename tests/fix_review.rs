//! Review fixes of `--fix`, `--diff` and the language server's neighbours: fixes that must not
//! be offered, passes that must not be half-applied, diffs that must not print raw bytes.

mod common;

use common::{entralint_in, root, stderr, stdout};
use std::path::Path;

fn copy_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_padded_key_beside_its_trimmed_name_gets_no_fix() {
    let work = tempfile::tempdir().unwrap();
    copy_files(
        &root().join("fixtures/no-fix/whitespace-in-value/duplicate-key"),
        work.path(),
    );
    let file = work.path().join("appsettings.json");
    let before = std::fs::read(&file).unwrap();
    let output = entralint_in(work.path(), &["check", "--fix", "--format", "concise", "."]);
    // Trimming `"TenantId "` would give the object `tenantid` twice, which .NET refuses.
    assert_eq!(std::fs::read(&file).unwrap(), before, "{}", stderr(&output));
    assert!(
        stdout(&output).contains("appsettings.json:5:5: warning: the key 'TenantId '"),
        "{}",
        stdout(&output)
    );
    let sarif = entralint_in(work.path(), &["check", "--format", "sarif", "."]);
    assert!(!stdout(&sarif).contains("\"fixes\""), "{}", stdout(&sarif));
}

#[cfg(unix)]
#[test]
fn diff_shows_repository_bytes_escaped_and_commands_broken() {
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("api\u{1b}[2J\nforged");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("appsettings.json"),
        "{\n  \"AzureAd\": {\n    \"Instance\": \"https://login.microsoftonline.com/\",\n    \"TenantId\": \" 3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\",\n/*\n::error file=x::forged\n##[group]x\n*/\n    \"ClientId\": \"6b0e1c4d-2f3a-4b5c-8d9e-0a1b2c3d4e5f\"\n  }\n}\n",
    )
    .unwrap();
    let output = entralint_in(work.path(), &["check", "--diff", "."]);
    let diff = stdout(&output);
    assert!(
        diff.starts_with(
            "--- a/api\\u{1b}[2J\\nforged/appsettings.json\n+++ b/api\\u{1b}[2J\\nforged/appsettings.json\n"
        ),
        "{diff}"
    );
    assert!(diff.contains("\n \\u{3a}:error file=x::forged\n"), "{diff}");
    assert!(diff.contains("\n #\\u{23}[group]x\n"), "{diff}");
    assert!(
        diff.contains("+    \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\",\n"),
        "{diff}"
    );
    for line in diff.lines() {
        let after_marker = line.get(1..).unwrap_or_default().trim_start();
        assert!(!after_marker.starts_with("::"), "{line:?}");
        assert!(!line.contains("##["), "{line:?}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
}

/// The Instance holds the tenant and the Development layer's TenantId is a placeholder: the
/// fix moves the tenant across both files.
#[cfg(unix)]
#[test]
fn a_fix_spanning_a_refused_file_is_applied_to_neither() {
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let base = tree.join("appsettings.json");
    let base_text = "{\n  \"AzureAd\": {\n    \"Instance\": \"https://login.microsoftonline.com/contoso.onmicrosoft.com/\",\n    \"ClientId\": \"7c3e9d21-4b8a-4f06-b2d5-e1a9c3f70d68\"\n  }\n}\n";
    std::fs::write(&base, base_text).unwrap();
    // A link to a file inside the tree (one outside it is not read at all).
    std::fs::create_dir(tree.join("settings")).unwrap();
    let shared = tree.join("settings/development.json");
    let development_text =
        "{\n  \"AzureAd\": {\n    \"TenantId\": \"Enter_the_Tenant_Info_Here\"\n  }\n}\n";
    std::fs::write(&shared, development_text).unwrap();
    std::os::unix::fs::symlink(&shared, tree.join("appsettings.Development.json")).unwrap();
    // The fix changes both files: the case is the one meant.
    let diff = stdout(&entralint_in(&tree, &["check", "--diff", "."]));
    assert!(diff.contains("+++ b/appsettings.json"), "{diff}");
    assert!(
        diff.contains("+++ b/appsettings.Development.json"),
        "{diff}"
    );

    let output = entralint_in(&tree, &["check", "--fix", "--format", "concise", "."]);
    let notes = stderr(&output);
    assert_eq!(
        std::fs::read_to_string(&base).unwrap(),
        base_text,
        "{notes}"
    );
    assert_eq!(std::fs::read_to_string(&shared).unwrap(), development_text);
    assert!(
        notes.contains("appsettings.Development.json: not fixed: it is a link"),
        "{notes}"
    );
    assert!(
        notes.contains("appsettings.json: not fixed: \"Move 'contoso.onmicrosoft.com' from Instance to TenantId\" also changes ")
            && notes.contains("appsettings.Development.json, which cannot be written"),
        "{notes}"
    );
    assert!(
        stdout(&output).contains("[tenant-in-instance]"),
        "{}",
        stdout(&output)
    );
}

/// Suppression comments in the comment syntax of `.env`, YAML and APIM policy files.
#[test]
fn inline_suppressions_work_in_env_yaml_and_policy_files() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    std::fs::write(
        dir.join("appsettings.json"),
        "{\"AzureAd\": {\"Instance\": \"https://login.microsoftonline.com/\", \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\", \"ClientId\": \"7c3e9d21-4b8a-4f06-b2d5-e1a9c3f70d68\", \"Audience\": \"api://x\"}}",
    )
    .unwrap();
    let env = "# entralint-ignore graph-audience: a Graph proxy\nAzureAd__Audience=https://graph.microsoft.com\n";
    let compose = "services:\n  api:\n    environment:\n      AzureAd__Audience: https://graph.microsoft.com # entralint-ignore graph-audience: same proxy\n";
    let policy = std::fs::read_to_string(root().join("fixtures/apim-require-scheme-ignored/bad/policy.xml"))
        .unwrap()
        .replace(
            "    <validate-jwt",
            "    <!-- entralint-ignore apim-require-scheme-ignored: the header is ours -->\n    <validate-jwt",
        );
    std::fs::write(
        dir.join(".env"),
        env.replacen("# entralint-ignore", "# entralint-ignored", 1),
    )
    .unwrap();
    std::fs::write(
        dir.join("docker-compose.yml"),
        compose.replace(" # entralint", " #x entralint"),
    )
    .unwrap();
    std::fs::write(
        dir.join("policy.xml"),
        policy.replace("<!-- entralint", "<!-- x entralint"),
    )
    .unwrap();
    let unsuppressed = stdout(&entralint_in(dir, &["check", "--format", "concise", "."]));
    for rule in ["graph-audience", "apim-require-scheme-ignored"] {
        assert!(
            unsuppressed.contains(&format!("[{rule}]")),
            "{unsuppressed}"
        );
    }
    std::fs::write(dir.join(".env"), env).unwrap();
    std::fs::write(dir.join("docker-compose.yml"), compose).unwrap();
    std::fs::write(dir.join("policy.xml"), policy).unwrap();
    let output = entralint_in(dir, &["check", "--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
}
