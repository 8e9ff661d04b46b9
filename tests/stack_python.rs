//! The Python stack end to end: the `identity` package's web apps and fastapi-azure-auth APIs
//! from `.env` variables and the samples' `aad.config.json` (`fixtures/stacks/python/`).
//! `good/` is clean and `inspect` shows what MSAL Python and fastapi-azure-auth really load
//! (docs/stacks-verified.md §5, §11); each file of `bad/` raises its rule at its line.

mod common;

use common::{app_in, json_of, stdout};
use serde_json::Value;

const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const API: &str = "6e74172b-be56-4843-9ff4-e66a39bb12e3";

#[test]
fn clean_python_repositories_have_no_finding() {
    let report = json_of(&["check", "fixtures/stacks/python/good", "--format", "json"]);
    assert_eq!(
        report["diagnostics"],
        Value::Array(Vec::new()),
        "{report:#}"
    );
}

#[test]
fn inspect_shows_what_the_python_packages_load() {
    let report = json_of(&["inspect", "fixtures/stacks/python/good", "--format", "json"]);
    let apps = report["apps"].as_array().unwrap();
    // A .env of generic names (a Node or .NET app's) is no Python app.
    assert_eq!(apps.len(), 3, "{report:#}");
    assert!(
        !apps
            .iter()
            .any(|a| a["file"].as_str().unwrap().contains("node-neighbour"))
    );
    // identity: `https://<t>.b2clogin.com/<t>.onmicrosoft.com/<flow>`, discovered by MSAL
    // Python below `/v2.0`.
    let flask = app_in(apps, "flask-b2c/.env");
    assert_eq!(flask["framework"], "python-identity");
    assert_eq!(flask["environment"], ".env");
    assert_eq!(
        flask["authority"],
        "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi"
    );
    assert_eq!(
        flask["metadata_address"],
        "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
    );
    // fastapi-azure-auth: the tenant's public v2 document, its issuer, the client id alone.
    let api = app_in(apps, "fastapi-api/.env");
    assert_eq!(api["framework"], "fastapi-azure-auth");
    assert_eq!(api["role"], "web-api");
    assert_eq!(
        api["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
    assert_eq!(
        api["jwks_uri"],
        format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys")
    );
    assert_eq!(
        api["issuers"],
        serde_json::json!([format!("https://login.microsoftonline.com/{TID}/v2.0")])
    );
    assert_eq!(api["audiences"], serde_json::json!([API]));
    let django = app_in(apps, "django-sign-in/aad.config.json");
    assert_eq!(django["section"], "client");
    assert_eq!(
        django["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
}

#[test]
fn broken_python_repositories_raise_their_rules_at_their_lines() {
    let report = json_of(&[
        "check",
        "fixtures/stacks/python/bad",
        "--format",
        "json",
        "--exit-zero",
    ]);
    let found: Vec<(&str, &str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            (
                d["rule"].as_str().unwrap(),
                file.trim_start_matches("fixtures/stacks/python/bad/"),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("cloud-mismatch", "django-sign-in/aad.config.json", 12),
            ("multitenant-exact-issuer", "fastapi-api/.env", 3),
            ("placeholder-value", "fastapi-b2c/.env", 2),
            ("b2c-missing-policy", "flask-b2c/.env", 1),
        ],
        "{report:#}"
    );
    // fastapi-azure-auth's own 401 detail (fastapi_azure_auth/auth.py).
    let common_tenant = report["diagnostics"][1]["message"].as_str().unwrap();
    assert!(
        common_tenant.contains("401 \"Token contains invalid claims\""),
        "{common_tenant}"
    );
}

#[test]
fn compose_variables_configure_a_fastapi_service() {
    let dir = common::project(&[(
        "docker-compose.yml",
        "services:\n  api:\n    image: todo-api\n    environment:\n      APP_CLIENT_ID: https://graph.microsoft.com\n      OPENAPI_CLIENT_ID: 3f2b6a0e-1c4d-4e8f-9a7b-2d5c8e1f4a6b\n      TENANT_ID: 72f988bf-86f1-41af-91ab-2d7cd011db47\n",
    )]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    assert!(
        text.contains(
            "docker-compose.yml:5:22: error: `APP_CLIENT_ID` is the Microsoft Graph audience"
        ) && text.contains("[graph-audience]"),
        "{text}"
    );
}

#[test]
fn a_fastapi_tenant_that_entra_id_does_not_know() {
    let dir = common::project(&[(
        "api/.env",
        "APP_CLIENT_ID=6e74172b-be56-4843-9ff4-e66a39bb12e3\nOPENAPI_CLIENT_ID=3f2b6a0e-1c4d-4e8f-9a7b-2d5c8e1f4a6b\nTENANT_ID=contoso\n",
    )]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "api/.env:3:11: error: `TENANT_ID` 'contoso' is not a tenant Entra ID knows"
        ) && text.contains("[invalid-tenant]"),
        "{text}"
    );
}
