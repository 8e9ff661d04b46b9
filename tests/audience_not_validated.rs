//! `audience-not-validated` end to end, one case per stack: the rule, file, line and severity,
//! and the stack's own words for the settings to write (`Failure::NoAudience`).

mod common;

use common::{entralint, stdout};
use serde_json::Value;

const DIR: &str = "fixtures/audience-not-validated";

/// (file, line, severity, help) of each `audience-not-validated` finding under `dir`.
fn findings(dir: &str) -> Vec<(String, u64, String, String)> {
    let output = entralint(&["check", dir, "--format", "json", "--exit-zero"]);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "audience-not-validated")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_stack_is_reported_where_its_configuration_starts_in_its_own_words() {
    let found = findings(&format!("{DIR}/bad"));
    let expected = [
        (
            "bad/aad-api/src/main/resources/application.properties",
            1,
            "warning",
            "set `credential.client-id` (v2.0 tokens) and `app-id-uri` (v1.0 tokens) to this API's client id and App ID URI",
        ),
        // No issuer either: any tenant's token passes.
        (
            "bad/mesh/envoy.yaml",
            15,
            "error",
            "set the provider's `audiences` (or `provider_and_audiences` in the rules that require it) to this API's client id and App ID URI, and configure your tenant's issuer so that it is checked",
        ),
        (
            "bad/mesh/requestauthentication.yaml",
            8,
            "warning",
            "set the JWT rule's `audiences` to this API's client id and App ID URI",
        ),
        (
            "bad/orders-api/src/main/resources/application.yml",
            6,
            "warning",
            "set `spring.security.oauth2.resourceserver.jwt.audiences` to this API's client id and App ID URI",
        ),
    ];
    let expected: Vec<(String, u64, String, String)> = expected
        .iter()
        .map(|(file, line, severity, help)| {
            (
                format!("{DIR}/{file}"),
                *line,
                severity.to_string(),
                help.to_string(),
            )
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn audiences_in_every_stack_and_spring_s_singular_key_are_silent() {
    assert_eq!(findings(&format!("{DIR}/good")), Vec::new());
}
