//! oauth2-proxy beyond `.cfg` files, end to end: Helm chart values (`config`, `extraArgs` as a
//! map or a list, `extraEnv`), the alpha configuration, and flags as container arguments
//! (docs/stacks-verified.md §8). `fixtures/stacks/oauth2-proxy/good` is clean and `inspect`
//! shows the discovery the proxy does; `bad/` raises each failure at the value to change.

mod common;

use common::{json_of, stdout};

const TID: &str = "3f1c2a7e-5b9d-4e8f-a1c3-7d2e9b4f6a10";

const CLIENT: &str = "8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d";

fn findings(dir: &str) -> Vec<(String, String, u64, String, String)> {
    let report = json_of(&["check", dir, "--format", "json", "--exit-zero"]);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn chart_values_and_alpha_configuration_are_clean_when_right() {
    assert_eq!(findings("fixtures/stacks/oauth2-proxy/good"), Vec::new());
}

#[test]
fn inspect_shows_the_discovery_of_values_and_alpha_providers() {
    let report = json_of(&[
        "inspect",
        "fixtures/stacks/oauth2-proxy/good",
        "--format",
        "json",
    ]);
    let apps = report["apps"].as_array().unwrap();
    let sections: Vec<&str> = apps
        .iter()
        .map(|a| a["section"].as_str().unwrap())
        .collect();
    assert_eq!(
        sections,
        [
            "alpha-config.yaml providers[0] 'entra'",
            "values.yaml (oauth2-proxy chart)"
        ]
    );
    for app in apps {
        assert_eq!(app["framework"], "oauth2-proxy");
        assert_eq!(
            app["metadata_address"],
            format!(
                "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(
            app["jwks_uri"],
            format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
        );
        assert_eq!(
            app["issuers"],
            serde_json::json!([format!("https://login.microsoftonline.com/{TID}/v2.0")])
        );
        assert_eq!(app["audiences"], serde_json::json!([CLIENT]));
    }
}

#[test]
fn every_failure_is_found_where_it_is_written() {
    let found = findings("fixtures/stacks/oauth2-proxy/bad");
    let summary: Vec<(&str, &str, u64, &str)> = found
        .iter()
        .map(|(rule, file, line, severity, _)| {
            (
                rule.as_str(),
                file.trim_start_matches("fixtures/stacks/oauth2-proxy/bad/"),
                *line,
                severity.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("impossible-issuer", "alpha/alpha-config.yaml", 6, "error"),
            ("graph-audience", "alpha/alpha-config.yaml", 8, "error"),
            // The image is older than 7.3.0: the open common sign-in, not a start-up failure.
            ("missing-required", "compose/docker-compose.yml", 5, "error"),
            // `extra_jwt_issuers` "issuer=audience": the audience part is Graph's.
            ("graph-audience", "extra-jwt/values.yaml", 10, "error"),
            // No tenant, no issuer: start-up failure since 7.3.0, common sign-in before.
            ("missing-required", "helm-azure/values.yaml", 7, "error"),
            (
                "oauth2-proxy-scope-separator",
                "helm-list/values.yaml",
                8,
                "error"
            ),
            // `--provider azure` as two arguments, image v7.6.0: a start-up failure.
            ("missing-required", "k8s/oauth2-proxy.yaml", 19, "error"),
        ]
    );
    let message = |i: usize| found[i].4.as_str();
    assert!(message(2).contains("older than 7.3.0"), "{}", message(2));
    assert!(message(2).contains("any Entra ID tenant"), "{}", message(2));
    assert!(
        message(3).contains("audience from claim aud"),
        "{}",
        message(3)
    );
    // No image: both outcomes are said.
    assert!(message(4).contains("missing required setting: issuer-url"));
    assert!(message(4).contains("any Entra ID tenant"));
    assert!(
        message(6).contains("v7.6.0' is 7.3.0 or later"),
        "{}",
        message(6)
    );
}

#[test]
fn chart_keys_in_the_wrong_case_are_reported() {
    let dir = common::project(&[(
        "deploy/values.yaml",
        "Config:\n  existingSecret: creds\nextraArgs:\n  provider: entra-id\n  oidc-issuer-url: https://login.microsoftonline.com/3f1c2a7e-5b9d-4e8f-a1c3-7d2e9b4f6a10/v2.0\n",
    )]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "deploy/values.yaml:1:1: error: the oauth2-proxy chart reads `config`, not `Config`"
        ),
        "{text}"
    );
}
