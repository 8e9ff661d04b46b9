//! Istio `RequestAuthentication` end to end: `fixtures/stacks/istio/good` is clean and `inspect`
//! shows what istiod and Envoy really use (docs/stacks-verified.md §6, §11); `bad/` raises each
//! seed failure at the value to change, in Envoy's words.

mod common;

use common::{find_app, json_of, stdout};
use serde_json::Value;

const TID: &str = "3f1c2a7e-5b9d-4e8f-a1c3-7d2e9b4f6a10";

fn findings(dir: &str) -> Vec<(String, String, u64)> {
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
            )
        })
        .collect()
}

#[test]
fn clean_manifests_and_helm_templates_raise_nothing() {
    assert_eq!(findings("fixtures/stacks/istio/good"), Vec::new());
}

#[test]
fn inspect_shows_the_keys_issuer_and_audiences_each_rule_uses() {
    let report = json_of(&["inspect", "fixtures/stacks/istio/good", "--format", "json"]);
    let apps = report["apps"].as_array().unwrap();
    let orders = apps
        .iter()
        .find(|a| a["section"] == "RequestAuthentication 'shop/orders-jwt' jwtRules[0]")
        .expect("the orders rule");
    assert_eq!(orders["framework"], "istio-request-authentication");
    assert_eq!(
        orders["metadata_address"],
        Value::Null,
        "a jwksUri: no discovery"
    );
    assert_eq!(
        orders["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    assert_eq!(
        orders["issuers"],
        serde_json::json!([format!("https://login.microsoftonline.com/{TID}/v2.0")])
    );
    assert_eq!(
        orders["audiences"],
        serde_json::json!([
            "8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d",
            "api://8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d"
        ])
    );
    // upstream: istio/istio pilot/pkg/model/jwks_resolver.go `resolveJwksURIUsingOpenID`.
    let payments = apps
        .iter()
        .find(|a| a["section"] == "RequestAuthentication 'shop/payments-jwt' jwtRules[0]")
        .expect("the payments rule");
    assert_eq!(
        payments["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
    assert_eq!(
        payments["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    // A Helm template is read, not judged: its values are unknown until rendered.
    let chart = find_app(
        apps,
        None,
        |f| f.ends_with("templates/requestauthentication.yaml"),
        "the chart's rule",
    );
    assert_eq!(chart["issuers"], serde_json::json!([]));
    assert_eq!(chart["jwks_uri"], Value::Null);
}

#[test]
fn every_seed_failure_is_found_at_the_value_to_change() {
    let dir = "fixtures/stacks/istio/bad/deploy";
    let expected = [
        (
            "b2c-entra-metadata",
            "b2c-orders/requestauthentication.yaml",
            11,
        ),
        ("graph-audience", "graph/requestauthentication.yaml", 11),
        (
            "insecure-metadata",
            "insecure/requestauthentication.yaml",
            9,
        ),
        (
            "metadata-url-as-authority",
            "insecure/requestauthentication.yaml",
            13,
        ),
        (
            "impossible-issuer",
            "multitenant/requestauthentication.yaml",
            9,
        ),
        (
            "issuer-keys-mismatch",
            "multitenant/requestauthentication.yaml",
            13,
        ),
    ];
    let found = findings(dir);
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(rule, file, line)| (rule.to_string(), format!("{dir}/{file}"), *line))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn messages_name_envoys_own_errors() {
    let report = json_of(&[
        "check",
        "fixtures/stacks/istio/bad",
        "--format",
        "json",
        "--exit-zero",
    ]);
    let message = |rule: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule)
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(message("impossible-issuer").contains("401 \"Jwt issuer is not configured\""));
    assert!(message("graph-audience").contains("403 \"Audiences in Jwt are not allowed\""));
    assert!(
        message("b2c-entra-metadata")
            .contains("\"Jwks doesn't have key to match kid or alg from Jwt\"")
    );
}

#[test]
fn a_broken_manifest_is_reported_and_a_broken_template_is_not() {
    let dir = common::project(&[
        (
            "deploy/broken.yaml",
            "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nspec:\n  jwtRules: [\n",
        ),
        (
            "chart/templates/ra.yaml",
            "kind: RequestAuthentication\nspec:\n  jwtRules:\n  {{ toYaml .Values.rules }}: [\n",
        ),
    ]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    assert!(
        text.contains("deploy/broken.yaml:5:1: error:")
            && text.contains("istiod cannot load this file [invalid-syntax]"),
        "{text}"
    );
    assert!(!text.contains("ra.yaml"), "{text}");
}
