//! `fixtures/stacks/spring/`: Spring Boot services in a Maven layout (Spring Security resource
//! servers and clients, Spring Cloud Azure and azure-spring-boot starters, profile files and
//! documents, `SPRING_*` variables in compose and Kubernetes). Through the binary: `good/` is
//! clean and `inspect --format json` shows what Spring really uses (docs/stacks-verified.md
//! §1, §2, §11); `bad/` raises each finding at its file and line, with Spring's own error text.

mod common;

use common::{entralint_in, find_app, inspected, json_of, project, stdout};
use serde_json::Value;

const TID: &str = "8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94";
const API: &str = "3f9a1c2e-7b4d-4e8f-a6c5-1d2b3e4f5a6b";
const B2C: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

fn app<'a>(apps: &'a [Value], path: &str, environment: Option<&str>) -> &'a Value {
    find_app(apps, environment, |f| f.ends_with(path), path)
}

#[test]
fn correct_spring_services_are_clean() {
    let report = json_of(&["check", "fixtures/stacks/spring/good", "--format", "json"]);
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
}

#[test]
fn inspect_shows_what_each_spring_framework_really_uses() {
    let apps = inspected("fixtures/stacks/spring/good");
    let orders = "orders-api/src/main/resources/application.yml";
    // Resource server: discovery from issuer-uri, exact issuer, the audiences as written.
    let server = app(&apps, orders, None);
    assert_eq!(server["framework"], "spring-security-resource-server");
    assert_eq!(
        server["section"],
        "spring.security.oauth2.resourceserver.jwt"
    );
    assert_eq!(
        server["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
    assert_eq!(
        server["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    assert_eq!(
        server["issuers"],
        serde_json::json!([format!("https://login.microsoftonline.com/{TID}/v2.0")])
    );
    assert_eq!(
        server["audiences"],
        serde_json::json!([API, format!("api://{API}")])
    );
    // application-prod.yml lays its audiences over the base: a list replaces the list. The
    // layered app is listed under the file that makes it.
    let prod = app(
        &apps,
        "orders-api/src/main/resources/application-prod.yml",
        Some("prod"),
    );
    assert_eq!(prod["audiences"], serde_json::json!([API]));
    assert_eq!(prod["issuers"], server["issuers"]);
    // The compose service's SPRING_* variables refine the project its build context names.
    let compose = app(
        &apps,
        "docker-compose.yml",
        Some("docker-compose.yml service 'orders-api'"),
    );
    assert_eq!(compose["metadata_address"], server["metadata_address"]);
    // Spring Cloud Azure: keys of the tenant without discovery, the trusted issuer set.
    let aad = app(&apps, "aad-api/src/main/resources/application.yml", None);
    assert_eq!(aad["framework"], "spring-cloud-azure-active-directory");
    assert_eq!(aad["metadata_address"], Value::Null);
    assert_eq!(
        aad["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    assert_eq!(aad["issuers"].as_array().unwrap().len(), 6);
    assert_eq!(
        aad["audiences"],
        serde_json::json!([format!("api://{API}"), API])
    );
    // B2C starter: the login flow's document on the host of base-uri.
    let b2c = app(&apps, "b2c-api/src/main/resources/application.yml", None);
    assert_eq!(b2c["family"], "b2c");
    assert_eq!(
        b2c["metadata_address"],
        format!(
            "https://fabrikam.b2clogin.com/{B2C}/B2C_1_susi/v2.0/.well-known/openid-configuration"
        )
    );
    assert_eq!(
        b2c["issuers"],
        serde_json::json!([
            format!("https://fabrikam.b2clogin.com/{B2C}/v2.0/"),
            format!("https://fabrikam.b2clogin.com/tfp/{B2C}/b2c_1_susi/v2.0/"),
        ])
    );
    // Client: the provider's issuer through the registration that names it, from .properties.
    let client = app(
        &apps,
        "web-portal/src/main/resources/application.properties",
        None,
    );
    assert_eq!(client["framework"], "spring-security-oauth2-client");
    assert_eq!(
        client["section"],
        "spring.security.oauth2.client.registration.azure"
    );
    assert_eq!(
        client["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
}

#[test]
fn each_broken_setting_is_reported_at_its_line_with_springs_error() {
    let report = json_of(&[
        "check",
        "fixtures/stacks/spring/bad",
        "--format",
        "json",
        "--exit-zero",
    ]);
    let found: Vec<(String, String, u64)> = report["diagnostics"]
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
        .collect();
    let expected = [
        (
            "b2c-legacy-host",
            "b2c-api/src/main/resources/application.yml",
            7,
        ),
        (
            "invalid-tenant",
            "billing-api/src/main/resources/application.yml",
            7,
        ),
        (
            "graph-audience",
            "billing-api/src/main/resources/application.yml",
            10,
        ),
        ("impossible-issuer", "docker-compose.yml", 6),
        (
            "b2c-entra-metadata",
            "inventory-api/src/main/resources/application.properties",
            3,
        ),
        ("graph-audience", "k8s/inventory-api.yaml", 13),
        (
            "cloud-mismatch",
            "ledger-api/src/main/resources/application.yaml",
            3,
        ),
        (
            "insecure-metadata",
            "ledger-api/src/main/resources/application.yaml",
            10,
        ),
        (
            "spring-cloud-azure-tenant",
            "legacy-api/src/main/resources/application.yml",
            3,
        ),
        (
            "placeholder-value",
            "legacy-api/src/main/resources/application.yml",
            3,
        ),
        (
            "placeholder-value",
            "legacy-api/src/main/resources/application.yml",
            4,
        ),
        (
            "b2c-missing-policy",
            "legacy-b2c-web/src/main/resources/application.yml",
            4,
        ),
        (
            "impossible-issuer",
            "orders-api/src/main/resources/application-prod.yml",
            6,
        ),
        (
            "impossible-issuer",
            "orders-api/src/main/resources/application.yml",
            9,
        ),
        (
            "graph-audience",
            "orders-api/src/main/resources/application.yml",
            10,
        ),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(rule, file, line)| {
            (
                rule.to_string(),
                format!("fixtures/stacks/spring/bad/{file}"),
                *line,
            )
        })
        .collect();
    assert_eq!(found, expected);
    let message = |rule: &str, file: &str| -> String {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule && d["file"].as_str().unwrap().ends_with(file))
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        message(
            "graph-audience",
            "orders-api/src/main/resources/application.yml"
        )
        .contains("\"The aud claim is not valid\"")
    );
    assert!(
        message(
            "impossible-issuer",
            "orders-api/src/main/resources/application.yml"
        )
        .contains("ends with a slash")
    );
    assert!(
        message(
            "impossible-issuer",
            "orders-api/src/main/resources/application.yml"
        )
        .contains("The iss claim is not valid")
    );
    assert!(
        message("b2c-entra-metadata", "application.properties")
            .contains("Another algorithm expected, or no matching key(s) found")
    );
}

#[test]
fn both_variable_spellings_bind_and_lay_over_the_profile_files_folder() {
    // upstream: spring-boot SystemEnvironmentPropertyMapper (uniform ISSUERURI, legacy ISSUER_URI)
    for name in [
        "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI",
        "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI",
    ] {
        let compose = format!(
            "services:\n  api:\n    build: ./api\n    environment:\n      {name}: https://login.microsoftonline.com/common/v2.0\n"
        );
        let dir = project(&[
            ("docker-compose.yml", &compose),
            (
                "api/src/main/resources/application.yml",
                &format!(
                    "spring.security.oauth2.resourceserver.jwt:\n  issuer-uri: https://login.microsoftonline.com/{TID}/v2.0\n  audiences: {API}\n"
                ),
            ),
        ]);
        let output = entralint_in(dir.path(), &["inspect", ".", "--format", "json"]);
        let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let apps = report["apps"].as_array().unwrap();
        let layered = find_app(
            apps,
            Some("docker-compose.yml service 'api'"),
            |f| f.ends_with("docker-compose.yml"),
            name,
        );
        assert_eq!(layered["tenant"], "common", "{name}");
        assert_eq!(layered["audiences"], serde_json::json!([API]), "{name}");
    }
}

#[test]
fn unresolved_placeholders_are_unknown_not_wrong() {
    let dir = project(&[(
        "src/main/resources/application.properties",
        "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.microsoftonline.com/${TENANT_ID}/v2.0\nspring.security.oauth2.resourceserver.jwt.audiences=${API_CLIENT_ID}\n",
    )]);
    let output = entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    let output = entralint_in(dir.path(), &["inspect", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["apps"][0]["metadata_address"], Value::Null);
}

#[test]
fn unrelated_spring_and_msal_files_are_not_claimed() {
    let dir = project(&[
        (
            "src/main/resources/application.yml",
            "server:\n  port: 8080\n",
        ),
        (
            "src/main/resources/authentication.properties",
            "aad.authority=https://login.microsoftonline.com/common/\naad.clientId=Enter_the_Application_Id_here\n",
        ),
        (
            "src/main/resources/application.properties",
            "aad.authority=https://login.microsoftonline.com/common/\n",
        ),
    ]);
    let output = entralint_in(dir.path(), &["inspect", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["apps"], serde_json::json!([]));
}

#[test]
fn broken_yaml_in_a_spring_file_is_reported_and_the_run_goes_on() {
    let dir = project(&[
        (
            "a/src/main/resources/application.yml",
            "spring:\n  security:\n    oauth2: [unclosed\n",
        ),
        (
            "b/src/main/resources/application.yml",
            "spring.security.oauth2.resourceserver.jwt.audiences: https://graph.microsoft.com\n",
        ),
    ]);
    let output = entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["invalid-syntax", "graph-audience"]);
}

mod hostile_input {
    use super::common::project;
    use entralint::pipeline::analyse;
    use entralint::read::properties;
    use proptest::prelude::*;

    const SPRING: &str = "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.microsoftonline.com/t/v2.0\\\n  x\nspring.security.oauth2.resourceserver.jwt.audiences[0]=\\u0041pi\n#---\nspring.config.activate.on-profile=prod\n";

    /// Spring text with bytes replaced, inserted or cut at random places.
    fn mutated() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec((0..SPRING.len(), any::<char>()), 0..8),
            0..=SPRING.len(),
        )
            .prop_map(|(edits, cut)| {
                let mut text: Vec<char> = SPRING[..cut].chars().collect();
                for (at, c) in edits {
                    let at = at.min(text.len());
                    text.insert(at, c);
                }
                text.into_iter().collect()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn properties_reader_keeps_spans_inside_the_text(input in prop_oneof![any::<String>(), mutated()]) {
            for p in properties::parse(&input) {
                prop_assert!(p.key_span.end <= input.len() && p.value_span.end <= input.len());
                prop_assert!(input.is_char_boundary(p.key_span.start) && input.is_char_boundary(p.value_span.end));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_pipeline_takes_any_spring_file(input in prop_oneof![any::<String>(), mutated()]) {
            let yaml = input.replace('=', ": ");
            let dir = project(&[
                ("src/main/resources/application.properties", &input),
                ("src/main/resources/application-prod.yml", &yaml),
            ]);
            prop_assert!(analyse(&[dir.path().to_path_buf()], dir.path()).is_ok());
        }
    }
}

#[test]
fn a_comment_line_in_a_properties_file_suppresses_the_next_line() {
    let dir = project(&[(
        "src/main/resources/application.properties",
        "# entralint-ignore graph-audience: the gateway swaps tokens\nspring.security.oauth2.resourceserver.jwt.audiences=https://graph.microsoft.com\nspring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.microsoftonline.com/common/v2.0\n",
    )]);
    let output = entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found: Vec<(&str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [("impossible-issuer", 3)]);
}
