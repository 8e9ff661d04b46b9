//! The Node stack end to end: passport-azure-ad strategies and MSAL clients in JSON files,
//! `.env` variables and JavaScript/TypeScript modules (`fixtures/stacks/node/`). `good/` is
//! clean and `inspect` shows what passport and MSAL really load (docs/stacks-verified.md §3,
//! §4, §11); each file of `bad/` raises its rule at its line, worded with passport's errors.

mod common;

use common::{app_in, inspected, json_of, stdout};
use serde_json::Value;

const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const API: &str = "6e74172b-be56-4843-9ff4-e66a39bb12e3";

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn clean_node_repositories_have_no_finding() {
    let report = json_of(&["check", "fixtures/stacks/node/good", "--format", "json"]);
    assert_eq!(
        report["diagnostics"],
        Value::Array(Vec::new()),
        "{report:#}"
    );
}

#[test]
fn inspect_shows_what_passport_loads() {
    let apps = inspected("fixtures/stacks/node/good");
    // A module exporting the options: the document issuer, clientID as the audience.
    let api = app_in(&apps, "todo-api/config.js");
    assert_eq!(api["framework"], "passport-azure-ad-bearer");
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
        strings(&api["issuers"]),
        [format!("https://login.microsoftonline.com/{TID}/v2.0")]
    );
    assert_eq!(strings(&api["audiences"]), [API]);
    // The B2C sample convention: b2clogin from the tenant name, `p=` appended by the library,
    // default audiences with the `spn:` form; the JSON's login.microsoftonline.com is unused.
    let b2c = app_in(&apps, "b2c-api/config.json");
    assert_eq!(
        b2c["metadata_address"],
        "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration?p=B2C_1_susi"
    );
    assert_eq!(b2c["family"], "b2c");
    assert_eq!(
        strings(&b2c["audiences"]),
        [API.to_string(), format!("spn:{API}")]
    );
    // MSAL: a client, discovered below its user flow.
    let spa = app_in(&apps, "spa/src/authConfig.js");
    assert_eq!(spa["framework"], "msal-js");
    assert_eq!(spa["role"], "client");
    assert_eq!(
        spa["authority"],
        "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi"
    );
    assert_eq!(
        spa["metadata_address"],
        "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
    );
}

#[test]
fn broken_node_repositories_raise_their_rules_at_their_lines() {
    let report = json_of(&[
        "check",
        "fixtures/stacks/node/bad",
        "--format",
        "json",
        "--exit-zero",
    ]);
    let found: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let short = file
                .trim_start_matches("fixtures/stacks/node/bad/")
                .to_string();
            (
                d["rule"].as_str().unwrap().to_string(),
                short,
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("b2c-legacy-host", "b2c-api/auth.js", 5),
        ("insecure-metadata", "env-api/.env", 2),
        ("graph-audience", "graph-api/src/authConfig.ts", 6),
        ("multitenant-exact-issuer", "org-api/passport.json", 3),
        ("impossible-issuer", "sample-api/authConfig.json", 3),
        ("graph-scope-for-api", "spa/src/authConfig.js", 13),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(found, expected, "{report:#}");
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // passport-azure-ad's own errors (lib/bearerstrategy.js, lib/jsonWebToken.js).
    assert!(messages[1].contains(
        "In BearerStrategy constructor: identityMetadata must be provided and must be a https url"
    ));
    assert!(messages[2].contains("\"jwt audience is invalid\""));
    assert!(messages[3].contains("\"jwt issuer is invalid\""));
    assert!(messages[4].contains("\"jwt issuer is invalid\""));
}

#[test]
fn passport_on_the_common_endpoint_needs_an_issuer() {
    let dir = common::project(&[(
        "api/config.json",
        r#"{ "identityMetadata": "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", "clientID": "6e74172b-be56-4843-9ff4-e66a39bb12e3" }"#,
    )]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    assert!(
        text.starts_with("api/config.json:1:23: error: 'common' metadata")
            && text.contains("issuer or tenantIdOrName must be provided in order to validate issuer on common endpoint")
            && text.contains("[multitenant-exact-issuer]"),
        "{text}"
    );
}

#[test]
fn modules_that_configure_nothing_are_not_apps() {
    let dir = common::project(&[
        (
            "web/src/app.js",
            "export const routes = { home: '/', authority: 'https://example.com' };",
        ),
        (
            "web/src/utils.js",
            "export const identityMetadata = 'never read: not a plausible name';",
        ),
        (
            "web/config.js",
            "module.exports = { port: 3000, identityMetadata: process.env.IDENTITY_METADATA, clientID: process.env.CLIENT_ID };",
        ),
    ]);
    let output = common::entralint_in(dir.path(), &["inspect", ".", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let apps = report["apps"].as_array().unwrap();
    // Only config.js configures passport; its options come from the environment: unknown.
    assert_eq!(apps.len(), 1, "{report:#}");
    assert_eq!(apps[0]["file"], "web/config.js");
    assert_eq!(apps[0]["metadata_address"], Value::Null);
}

#[test]
fn facts_about_the_registration_and_the_tenant_apply_to_passport() {
    let dir = common::project(&[
        (
            "entralint.toml",
            "[[apps]]\nclient-id = \"6e74172b-be56-4843-9ff4-e66a39bb12e3\"\nsaml-signing = true\n",
        ),
        (
            "saml-api/config.js",
            "module.exports = {\n  identityMetadata: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration',\n  clientID: '6e74172b-be56-4843-9ff4-e66a39bb12e3',\n};\n",
        ),
        (
            "sample-api/authConfig.json",
            "{\n  \"credentials\": { \"tenantID\": \"contoso\", \"clientID\": \"3f2b6a0e-1c4d-4e8f-9a7b-2d5c8e1f4a6b\" },\n  \"metadata\": { \"authority\": \"login.microsoftonline.com\", \"discovery\": \".well-known/openid-configuration\", \"version\": \"v2.0\" }\n}\n",
        ),
    ]);
    let output = common::entralint_in(dir.path(), &["check", ".", "--format", "concise"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("saml-api/config.js:2:21: error:")
                && l.contains("We did not receive a token we know how to validate")
                && l.ends_with("[saml-appid-missing]")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("sample-api/authConfig.json:2:32: error:")
                && l.ends_with("[invalid-tenant]")),
        "{text}"
    );
}
