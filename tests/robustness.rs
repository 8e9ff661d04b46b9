//! Hostile input: whatever the files hold, entralint reports what it could not read and goes on.
//! No panic, no hang, no unbounded output; every case runs the real binary on a temporary tree.

mod common;

use common::{output_within, write};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// Runs `entralint` with `args` in `dir`, failing the test if it runs past `limit`.
fn run_in(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_entralint"));
    command.args(args).current_dir(dir);
    output_within(command, args, limit)
}

/// `check --format json` over `dir`: exit code 0 or 1 (never a crash), and the findings.
fn check(dir: &Path) -> Vec<Value> {
    let output = run_in(
        dir,
        &["check", ".", "--format", "json"],
        Duration::from_secs(60),
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("valid JSON report");
    report["diagnostics"].as_array().unwrap().clone()
}

fn finding<'a>(found: &'a [Value], file: &str) -> &'a Value {
    found
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no finding for {file} in {found:#?}"))
}

/// The finding is of `rule` and its message says `words`.
fn assert_says(finding: &Value, rule: &str, words: &str) {
    assert_eq!(finding["rule"], rule, "{finding:#}");
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
}

/// A valid file of every format this tool reads, by name.
const SAMPLES: &[(&str, &str)] = &[
    (
        "api/appsettings.json",
        r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"}}"#,
    ),
    (
        "legacy/Web.config",
        r#"<configuration><appSettings><add key="ida:Tenant" value="contoso.onmicrosoft.com" /></appSettings></configuration>"#,
    ),
    (
        "apim/policy.xml",
        r#"<policies><inbound><validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration" /></validate-jwt></inbound></policies>"#,
    ),
    (
        "deploy/docker-compose.yml",
        "services:\n  api:\n    environment:\n      AzureAd__TenantId: t\n",
    ),
    (
        "proxy/oauth2-proxy.cfg",
        "provider = \"oidc\"\noidc_issuer_url = \"https://login.microsoftonline.com/t/v2.0\"\n",
    ),
    (
        "legacy/Startup.Auth.cs",
        "public partial class Startup { public void ConfigureAuth(IAppBuilder app) { app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { Authority = \"https://login.microsoftonline.com/t/v2.0\" }); } }",
    ),
    ("api/.env", "AzureAd__ClientId=x\n"),
    (
        "api/Properties/launchSettings.json",
        r#"{"profiles": {"https": {"environmentVariables": {"ASPNETCORE_ENVIRONMENT": "Development"}}}}"#,
    ),
];

#[test]
fn truncated_and_random_bytes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (i, (name, text)) in SAMPLES.iter().enumerate() {
        // Every prefix length class of the valid file, and random bytes under the same name.
        for cut in [1, text.len() / 3, text.len() / 2, text.len() - 1] {
            write(
                dir.path(),
                &format!("cut{i}-{cut}/{name}"),
                &text.as_bytes()[..cut],
            );
        }
        let random: Vec<u8> = (0..4096).map(|_| (next() % 256) as u8).collect();
        write(dir.path(), &format!("random{i}/{name}"), random);
        let printable: Vec<u8> = (0..4096)
            .map(|_| b" {}[]<>\"'=:,\n\t@$#/\\ax"[(next() % 21) as usize])
            .collect();
        write(dir.path(), &format!("symbols{i}/{name}"), printable);
    }
    check(dir.path());
}

#[test]
fn binary_files_and_encodings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "binary/appsettings.json",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
    );
    let utf16: Vec<u8> = r#"{"AzureAd": {}}"#.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(dir.path(), "utf16/appsettings.json", utf16);
    write(dir.path(), "latin1/web.config", b"<configuration><appSettings><add key=\"ida:Tenant\" value=\"caf\xe9\" /></appSettings></configuration>");
    let found = check(dir.path());
    let binary = finding(&found, "binary/appsettings.json");
    assert_eq!(binary["rule"], "skipped-file");
    let utf16 = finding(&found, "utf16/appsettings.json");
    assert_says(utf16, "invalid-syntax", "byte-order mark");
}

#[test]
fn deep_nesting_in_every_format() {
    const DEPTH: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let nest = |open: &str, close: &str| format!("{}{}", open.repeat(DEPTH), close.repeat(DEPTH));
    write(
        dir.path(),
        "json/appsettings.json",
        format!("{{\"AzureAd\": {}}}", nest("[", "]")),
    );
    write(
        dir.path(),
        "xml/web.config",
        format!("<configuration>{}</configuration>", nest("<a>", "</a>")),
    );
    write(
        dir.path(),
        "policy/policy.xml",
        format!(
            "<policies><validate-jwt>{}</validate-jwt></policies>",
            nest("<a>", "</a>")
        ),
    );
    write(
        dir.path(),
        "yaml/docker-compose.yml",
        format!("services:\n  x:\n    environment: {}\n", nest("[", "]")),
    );
    write(
        dir.path(),
        "cfg/oauth2-proxy.cfg",
        format!("provider = \"oidc\"\nupstreams = {}\n", nest("[", "]")),
    );
    write(
        dir.path(),
        "cs/Startup.cs",
        format!(
            "class S {{ void C(IAppBuilder app) {{ app.UseOpenIdConnectAuthentication({}); }} }}",
            nest("(", ")")
        ),
    );
    let found = check(dir.path());
    for file in [
        "json/appsettings.json",
        "xml/web.config",
        "yaml/docker-compose.yml",
        "cfg/oauth2-proxy.cfg",
    ] {
        assert_eq!(finding(&found, file)["rule"], "invalid-syntax", "{file}");
    }
}

#[test]
fn large_files_are_skipped_and_long_lines_stay_short_in_output() {
    let dir = tempfile::tempdir().unwrap();
    let huge = format!(
        "{{\"AzureAd\": {{\"TenantId\": \"{}\"}}}}",
        "x".repeat(50 * 1024 * 1024)
    );
    write(dir.path(), "huge/appsettings.json", huge);
    let line = |length: usize| {
        format!(
            "{{\"AzureAd\": {{\"ClientId\": \"{}\"}}}}",
            "y".repeat(length)
        )
    };
    write(
        dir.path(),
        "long/appsettings.json",
        line(10 * 1024 * 1024 - 64),
    );
    write(dir.path(), "short/appsettings.json", line(400));
    let found = check(dir.path());
    let skipped = finding(&found, "huge/appsettings.json");
    assert_says(skipped, "skipped-file", "byte limit");
    // The same findings about a 10 MB value and a 400-byte one take about the same room.
    for format in [
        "text", "concise", "json", "sarif", "github", "azure", "gitlab", "junit",
    ] {
        let size = |folder: &str| {
            run_in(
                dir.path(),
                &["check", folder, "--format", format],
                Duration::from_secs(60),
            )
            .stdout
            .len()
        };
        let (long, short) = (size("long"), size("short"));
        assert!(
            long < short + 16 * 1024,
            "{format}: {long} bytes against {short}"
        );
    }
}

#[test]
fn entity_and_alias_bombs_are_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let mut entities = String::from("<!ENTITY a \"aaaaaaaaaa\">");
    for level in 1..10 {
        let previous = format!("&e{};", level - 1).replace("&e0;", "&a;");
        entities.push_str(&format!("<!ENTITY e{level} \"{}\">", previous.repeat(10)));
    }
    write(
        dir.path(),
        "xml/web.config",
        format!(
            "<?xml version=\"1.0\"?><!DOCTYPE c [{entities}]><configuration><appSettings><add key=\"ida:Tenant\" value=\"&e9;\" /></appSettings></configuration>"
        ),
    );
    let mut aliases = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10u8 {
        let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        aliases.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 10].join(", ")
        ));
    }
    write(
        dir.path(),
        "yaml/docker-compose.yml",
        format!("services:\n  x:\n    environment:\n      A: b\n{aliases}"),
    );
    let output = run_in(
        dir.path(),
        &["inspect", ".", "--format", "json"],
        Duration::from_secs(20),
    );
    assert!(output.stdout.len() < 64 * 1024);
    check(dir.path());
}

#[cfg(unix)]
#[test]
fn links_pipes_and_directories_where_files_belong() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("loop/up")).unwrap();
    std::os::unix::fs::symlink("missing.json", dir.path().join("loop/appsettings.json")).unwrap();
    std::fs::create_dir_all(dir.path().join("dir/appsettings.json")).unwrap();
    let fifo = dir.path().join("pipe/appsettings.Production.json");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Links found by the walk are looked at before they are opened: one to a pipe must not
    // block, one to a file is read through.
    std::fs::create_dir_all(dir.path().join("linked-pipe")).unwrap();
    std::os::unix::fs::symlink(&fifo, dir.path().join("linked-pipe/appsettings.json")).unwrap();
    write(
        dir.path(),
        "shared/appsettings.json",
        r#"{"AzureAd": {"Instance": "http://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"}}"#,
    );
    std::fs::create_dir_all(dir.path().join("linked-file")).unwrap();
    std::os::unix::fs::symlink(
        "../shared/appsettings.json",
        dir.path().join("linked-file/appsettings.json"),
    )
    .unwrap();
    let found = check(dir.path());
    assert_eq!(
        finding(&found, "loop/appsettings.json")["rule"],
        "unreadable-file"
    );
    let pipe = finding(&found, "linked-pipe/appsettings.json");
    assert_says(pipe, "skipped-file", "not a regular file");
    assert_eq!(
        finding(&found, "linked-file/appsettings.json")["rule"],
        "insecure-metadata"
    );
    let named = run_in(
        dir.path(),
        &[
            "check",
            "pipe/appsettings.Production.json",
            "--format",
            "json",
        ],
        Duration::from_secs(20),
    );
    let report: Value = serde_json::from_slice(&named.stdout).unwrap();
    assert_says(
        &report["diagnostics"][0],
        "skipped-file",
        "not a regular file",
    );
}

#[test]
fn duplicate_keys_are_reported_as_dotnet_does() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "appsettings.json",
        r#"{"AzureAd": {"ClientId": "a", "clientid": "b"}}"#,
    );
    let found = check(dir.path());
    let duplicate = found
        .iter()
        .find(|d| d["rule"] == "invalid-syntax")
        .expect("a duplicate key finding");
    assert_says(duplicate, "invalid-syntax", "duplicate key");
}

/// A value that every output format must carry without breaking its syntax.
const NASTY: &str = "a\\\"b::c%0A%d]]>e\\nf ü 日本 <tag> & ##vso[task.complete]";

#[test]
fn every_output_format_escapes_what_it_must() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "appsettings.json",
        format!(
            r#"{{"AzureAd": {{"Instance": "https://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "{NASTY}"}}}}"#
        ),
    );
    for format in ["json", "sarif", "gitlab"] {
        let output = run_in(
            dir.path(),
            &["check", ".", "--format", format],
            Duration::from_secs(20),
        );
        let parsed: Value =
            serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(
            parsed.to_string().contains("日本"),
            "{format} keeps non-ASCII text"
        );
    }
    let junit = run_in(
        dir.path(),
        &["check", ".", "--format", "junit"],
        Duration::from_secs(20),
    );
    let text = String::from_utf8(junit.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("junit is not well-formed XML: {error}\n{text}"),
        }
    }
    // One command per line, and a value never starts another command.
    let github = run_in(
        dir.path(),
        &["check", ".", "--format", "github"],
        Duration::from_secs(20),
    );
    for line in String::from_utf8(github.stdout).unwrap().lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
    }
    let azure = run_in(
        dir.path(),
        &["check", ".", "--format", "azure"],
        Duration::from_secs(20),
    );
    for line in String::from_utf8(azure.stdout).unwrap().lines() {
        assert!(line.starts_with("##vso[task.logissue "), "{line}");
        assert_eq!(line.matches("##vso[").count(), 1, "{line}");
    }
}
