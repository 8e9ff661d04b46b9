//! Envoy `jwt_authn` end to end: bootstrap YAML and Istio `EnvoyFilter` patches.
//! `fixtures/stacks/envoy/good` is clean and `inspect` shows the provider's keys, issuer and
//! audiences (no discovery: docs/stacks-verified.md §7, §11); `bad/` raises each failure at the
//! value to change, in Envoy's words.

mod common;

use common::{json_of, stdout};
use serde_json::Value;

const TID: &str = "3f1c2a7e-5b9d-4e8f-a1c3-7d2e9b4f6a10";

fn findings(dir: &str) -> Vec<(String, String, u64, String)> {
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
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_clean_bootstrap_raises_nothing() {
    assert_eq!(findings("fixtures/stacks/envoy/good"), Vec::new());
}

#[test]
fn inspect_shows_the_provider_without_discovery() {
    let report = json_of(&["inspect", "fixtures/stacks/envoy/good", "--format", "json"]);
    let apps = report["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    let entra = &apps[0];
    assert_eq!(entra["section"], "jwt_authn provider 'entra'");
    assert_eq!(entra["framework"], "envoy-jwt-authn");
    assert_eq!(entra["metadata_address"], Value::Null);
    assert_eq!(
        entra["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    assert_eq!(entra["tenant"], TID);
    assert_eq!(
        entra["issuers"],
        serde_json::json!([format!("https://login.microsoftonline.com/{TID}/v2.0")])
    );
    assert_eq!(
        entra["audiences"],
        serde_json::json!([
            "8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d",
            "api://8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d"
        ])
    );
}

#[test]
fn every_failure_is_found_at_the_value_to_change_in_envoys_words() {
    let found = findings("fixtures/stacks/envoy/bad");
    let summary: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|(rule, file, line, _)| (rule.as_str(), file.as_str(), *line))
        .collect();
    let envoy = "fixtures/stacks/envoy/bad/envoy/envoy.yaml";
    let filter = "fixtures/stacks/envoy/bad/gateway/envoyfilter.yaml";
    assert_eq!(
        summary,
        [
            ("b2c-entra-metadata", envoy, 22),
            ("graph-audience", envoy, 29),
            ("metadata-url-as-authority", envoy, 32),
            ("audience-not-validated", filter, 19),
            ("impossible-issuer", filter, 20),
            ("insecure-metadata", filter, 23),
        ]
    );
    let texts = [
        "401 \"Jwks doesn't have key to match kid or alg from Jwt\"",
        "403 \"Audiences in Jwt are not allowed\"",
        "401 \"Jwks doesn't have key to match kid or alg from Jwt\"",
        "checks no audience",
        "401 \"Jwt issuer is not configured\"",
        "over http",
    ];
    for ((rule, _, _, message), text) in found.iter().zip(texts) {
        assert!(message.contains(text), "{rule}: {message}");
    }
}

#[test]
fn unrelated_yaml_is_not_envoys() {
    let dir = common::project(&[(
        "ci/pipeline.yaml",
        "steps:\n- run: echo JwtAuthentication is documented elsewhere\n  with: [\n",
    )]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    assert_eq!(stdout(&output), "");
}
