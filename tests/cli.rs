//! The command line end to end: formats (golden snapshots of the demo), exit codes, the JSON
//! contracts, `rules` and `explain`, and that no output ever contains a secret.
//! Run with `ENTRALINT_BLESS=1` to rewrite the snapshots after an intended change.

mod common;

use common::{assert_snapshot, entralint, root, stdout};
use serde_json::Value;
use std::path::Path;

#[test]
fn demo_in_every_check_format() {
    for (format, snapshot) in [
        ("text", "demo.text"),
        ("concise", "demo.concise"),
        ("json", "demo.json"),
    ] {
        let output = entralint(&["check", "fixtures/demo", "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "errors in the demo exit 1 ({format})"
        );
        assert_snapshot(snapshot, &stdout(&output));
    }
}

#[test]
fn demo_inspect_in_both_formats() {
    for (format, snapshot) in [("text", "demo.inspect.text"), ("json", "demo.inspect.json")] {
        let output = entralint(&["inspect", "fixtures/demo", "--format", format]);
        assert_eq!(output.status.code(), Some(0));
        assert_snapshot(snapshot, &stdout(&output));
    }
}

#[test]
fn concise_is_the_default_off_a_terminal() {
    let output = entralint(&["check", "fixtures/demo"]);
    let first = stdout(&output)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        first.starts_with("fixtures/demo/deploy/oauth2-proxy.cfg:7:21: error: "),
        "{first}"
    );
    assert!(first.ends_with("[graph-token-forwarded]"), "{first}");
}

#[test]
fn check_json_follows_the_contract() {
    let output = entralint(&["check", "fixtures/demo", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["errors"], 7);
    assert_eq!(report["summary"]["warnings"], 2);
    assert_eq!(report["summary"]["infos"], 0);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let graph = diagnostics
        .iter()
        .find(|d| d["rule"] == "graph-audience")
        .unwrap();
    assert_eq!(
        graph["file"],
        "fixtures/demo/src/Contoso.Orders.Api/appsettings.Production.json"
    );
    assert_eq!(
        (graph["line"].as_u64(), graph["column"].as_u64()),
        (Some(4), Some(17))
    );
    assert_eq!(
        (graph["end_line"].as_u64(), graph["end_column"].as_u64()),
        (Some(4), Some(46))
    );
    assert_eq!(graph["key"], "AzureAd:Audience");
    assert_eq!(graph["environment"], "Production");
    assert_eq!(graph["severity"], "error");
    let saml = diagnostics
        .iter()
        .find(|d| d["rule"] == "saml-appid-missing")
        .unwrap();
    assert_eq!(
        saml["environment"],
        Value::Null,
        "found in every environment"
    );
    assert_eq!(
        saml["related"][0]["file"],
        "fixtures/demo/infra/app-registrations/orders-api.sp.json"
    );
    assert_eq!(saml["related"][0]["line"], 5);
    for d in diagnostics {
        for field in [
            "rule",
            "severity",
            "message",
            "help",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "key",
            "environment",
            "related",
        ] {
            assert!(d.get(field).is_some(), "diagnostic lacks `{field}`: {d}");
        }
    }
}

#[test]
fn inspect_json_follows_the_contract_and_pins_metadata_addresses() {
    let output = entralint(&["inspect", "fixtures/demo", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["version"], 1);
    let apps = report["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 7);
    let gateway = apps
        .iter()
        .find(|a| a["framework"] == "apim-validate-jwt")
        .unwrap();
    assert_eq!(gateway["role"], "gateway");
    assert_eq!(
        gateway["metadata_address"],
        "https://contososhop.b2clogin.com/contososhop.onmicrosoft.com/v2.0/.well-known/openid-configuration"
    );
    let shop = apps.iter().find(|a| a["section"] == "AzureAdB2C").unwrap();
    assert_eq!(shop["family"], "b2c");
    assert_eq!(shop["policy"], "B2C_1_signup_signin");
    assert_eq!(
        shop["metadata_address"],
        "https://login.microsoftonline.com/tfp/contososhop.onmicrosoft.com/B2C_1_signup_signin/v2.0/.well-known/openid-configuration"
    );
    let reports = apps
        .iter()
        .find(|a| a["framework"] == "aspnetcore-jwt-bearer")
        .unwrap();
    assert_eq!(
        reports["jwks_uri"],
        "https://login.microsoftonline.com/organizations/discovery/v2.0/keys"
    );
    assert_eq!(reports["role"], "web-api");
    for app in apps {
        for field in [
            "file",
            "section",
            "environment",
            "stack",
            "framework",
            "role",
            "family",
            "cloud",
            "tenant",
            "policy",
            "authority",
            "metadata_address",
            "jwks_uri",
            "issuers",
            "audiences",
        ] {
            assert!(app.get(field).is_some(), "app lacks `{field}`: {app}");
        }
    }
}

#[test]
fn exit_codes() {
    assert_eq!(
        entralint(&["check", "fixtures/graph-audience/good"])
            .status
            .code(),
        Some(0),
        "clean"
    );
    assert_eq!(
        entralint(&["check", "fixtures/secret-in-config/bad"])
            .status
            .code(),
        Some(0),
        "warnings only"
    );
    assert_eq!(
        entralint(&["check", "fixtures/graph-audience/bad"])
            .status
            .code(),
        Some(1),
        "errors"
    );
    let missing = entralint(&["check", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2), "a path that does not exist");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/folder"));
    assert_eq!(
        entralint(&["check", "--format", "yaml"]).status.code(),
        Some(2),
        "usage error"
    );
    assert_eq!(
        entralint(&["explain", "no-such-rule"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_named_file_is_checked_alone_and_text_ends_with_a_summary() {
    let output = entralint(&[
        "check",
        "fixtures/graph-audience/bad/identity-web/appsettings.json",
        "--format",
        "text",
    ]);
    let text = stdout(&output);
    assert!(text.contains("graph-audience"));
    assert!(
        text.contains("╭─[fixtures/graph-audience/bad/identity-web/appsettings.json:6:17]"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("Found 2 errors, 0 warnings in 1 file (1 app)."),
        "{text}"
    );
    let clean = stdout(&entralint(&[
        "check",
        "fixtures/graph-audience/good/appsettings.json",
        "--format",
        "text",
    ]));
    assert_eq!(clean, "No problems found in 1 file (1 app).\n");
}

#[test]
fn rules_and_explain_come_from_the_rule_docs() {
    let listing = stdout(&entralint(&["rules"]));
    assert_eq!(listing.lines().count(), entralint::rules::ALL.len());
    assert!(listing.lines().any(|l| l.starts_with("graph-audience")
        && l.contains("error")
        && l.contains("Microsoft Graph audience")));
    let json: Value =
        serde_json::from_str(&stdout(&entralint(&["rules", "--format", "json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), entralint::rules::ALL.len());
    let doc = stdout(&entralint(&["explain", "saml-appid-missing"]));
    assert!(doc.starts_with("# saml-appid-missing"));
    assert!(doc.contains("IDX10503"));
    let unknown = entralint(&["explain", "graph"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean"));
}

/// Values of secret-holding keys in the files under `dir`, in every syntax the fixtures use
/// (connection-string parts, certificates and API keys too; tests/hardening.rs has a tree of
/// every shape, broken files included):
/// JSON (`"ClientSecret": "..."`), web.config (`key="ida:AppKey" value="..."`), `.cfg`
/// (`client_secret = "..."`), `.env` and YAML (`OAUTH2_PROXY_CLIENT_SECRET=...`, `AzureAd__ClientSecret: ...`).
fn secrets_in(dir: &Path) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let lower = line.to_ascii_lowercase();
            let Some(at) = [
                "clientsecret",
                "client_secret",
                "appkey",
                "cookie_secret",
                "password",
                "pwd",
                "accountkey",
                "sharedaccesskey",
                "apikey",
                "base64value",
            ]
            .iter()
            .filter_map(|k| lower.find(k).map(|i| i + k.len()))
            // The key itself ends there (not `ResetPasswordPolicyId`).
            .find(|end| lower[*end..].starts_with(['"', '\'', ' ', '=', ':'])) else {
                continue;
            };
            if lower.contains("settingname") {
                continue;
            }
            let rest = &line[at..];
            let rest = rest.split_once("value=").map_or(rest, |(_, v)| v);
            let value = rest
                .trim_start_matches(|c: char| c == '"' || c == ':' || c == '=' || c.is_whitespace())
                .split(['"', ',', ';'])
                .next()
                .unwrap_or_default()
                .trim();
            // A GUID in a secret's place is the secret's id (secret-id-as-secret), not a secret.
            let guid = value.len() == 36 && value.bytes().filter(|b| *b == b'-').count() == 4;
            if value.len() >= 8 && !value.contains(' ') && !guid {
                secrets.push(value.to_string());
            }
        }
    }
    secrets
}

#[test]
fn no_output_format_prints_a_secret() {
    let secrets = secrets_in(&root().join("fixtures"));
    assert!(
        secrets.len() >= 5,
        "the fixtures hold secrets to look for: {secrets:?}"
    );
    for format in [
        "text", "concise", "json", "sarif", "github", "azure", "gitlab", "junit",
    ] {
        let output = stdout(&entralint(&["check", "fixtures", "--format", format]));
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "{format} output prints the secret {secret}"
            );
        }
    }
    let inspect = stdout(&entralint(&["inspect", "fixtures", "--format", "json"]));
    for secret in &secrets {
        assert!(
            !inspect.contains(secret.as_str()),
            "inspect prints {secret}"
        );
    }
}

#[test]
fn build_output_and_dependencies_are_skipped() {
    let report: Value = serde_json::from_str(&stdout(&entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "json",
    ])))
    .unwrap();
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert!(files.iter().all(|f| !f.contains("/bin/")), "{files:?}");
}

#[test]
fn readme_rule_table_matches_the_rule_docs() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let rows: String = entralint::rules::ALL
        .iter()
        .map(|rule| {
            format!(
                "| [`{}`](rules/{}.md) | {} | {} |\n",
                rule.id,
                rule.id,
                rule.default_severity().as_str(),
                rule.summary()
            )
        })
        .collect();
    let header = "| rule | severity | fires when |\n|---|---|---|\n";
    let start = readme.find(header).expect("the README has a rule table") + header.len();
    let end = start
        + readme[start..]
            .find("\n<!-- /rules -->")
            .expect("the table ends with <!-- /rules -->")
        + 1;
    if std::env::var_os("ENTRALINT_BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{}{rows}{}", &readme[..start], &readme[end..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        rows,
        "README's rule table is out of date (ENTRALINT_BLESS=1 cargo test)"
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    for format in ["concise", "json", "sarif"] {
        let one = stdout(&entralint(&[
            "check",
            "fixtures",
            "--format",
            format,
            "--threads",
            "1",
        ]));
        let four = stdout(&entralint(&[
            "check",
            "fixtures",
            "--format",
            format,
            "--threads",
            "4",
        ]));
        assert!(!one.is_empty());
        assert_eq!(one, four, "{format}");
    }
}
