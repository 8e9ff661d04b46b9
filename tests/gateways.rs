//! `fixtures/gateways/`: API Management policies (APIOps layout, named values, ARM), App
//! Service authentication (ARM, file-based, CLI output, v1) and oauth2-proxy (`.cfg`, variables,
//! flags). `good/` must be clean and `inspect` must show the documented addresses
//! (reference: gateways-and-other-stacks.md §1.2, §1.3, §2, §3.4); `bad/` must raise exactly
//! the findings of `expected.txt` (rewrite with `ENTRALINT_BLESS=1`).

mod common;

use common::{analyse_clean, find_app, inspect_apps, root};
use entralint::pipeline::analyse;
use entralint::report::{concise, inspect_json, json, sarif};
use serde_json::Value;

const TID: &str = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";
const API: &str = "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45";

fn app<'a>(apps: &'a [Value], path: &str, environment: Option<&str>) -> &'a Value {
    find_app(apps, environment, |f| f.ends_with(path), path)
}

#[test]
fn correct_gateways_are_clean() {
    analyse_clean("fixtures/gateways/good");
}

#[test]
fn every_gateway_builds_the_documented_metadata_address() {
    let apps = inspect_apps("fixtures/gateways/good");
    let cases = [
        (
            "apim-azure-ad-token/policy.xml",
            "apim-validate-azure-ad-token",
            format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration"),
            format!("https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"),
        ),
        (
            "easy-auth/file-based/auth.json",
            "app-service-auth",
            format!("https://sts.windows.net/{TID}/v2.0/.well-known/openid-configuration"),
            format!("https://sts.windows.net/{TID}/discovery/v2.0/keys"),
        ),
        (
            "easy-auth/v1/site.json",
            "app-service-auth",
            format!("https://sts.windows.net/{TID}/.well-known/openid-configuration"),
            format!("https://sts.windows.net/{TID}/discovery/keys"),
        ),
        (
            "easy-auth/cli-output/auth-show.json",
            "app-service-auth",
            format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration"),
            format!("https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"),
        ),
        (
            "oauth2-proxy-b2c-tfp/oauth2-proxy.cfg",
            "oauth2-proxy",
            format!(
                "https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/v2.0/.well-known/openid-configuration"
            ),
            format!("https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/discovery/v2.0/keys"),
        ),
        (
            "oauth2-proxy-flags/docker-compose.yml",
            "oauth2-proxy",
            format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration"),
            format!("https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"),
        ),
    ];
    for (path, framework, metadata, jwks) in cases {
        let found = app(&apps, path, None);
        assert_eq!(found["framework"], framework, "{path}");
        assert_eq!(found["role"], "gateway", "{path}");
        assert_eq!(found["metadata_address"], metadata.as_str(), "{path}");
        assert_eq!(found["jwks_uri"], jwks.as_str(), "{path}");
    }
    // Easy Auth: the client id is always an accepted audience; B2C tfp issuers keep their slash.
    let easy = app(&apps, "easy-auth/file-based/auth.json", None);
    assert_eq!(
        easy["audiences"],
        serde_json::json!([API, format!("api://{API}")])
    );
    let tfp = app(&apps, "oauth2-proxy-b2c-tfp/oauth2-proxy.cfg", None);
    assert_eq!(
        tfp["issuers"],
        serde_json::json!([format!(
            "https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/v2.0/"
        )])
    );
    // Flags win over variables: --provider=oidc, not OAUTH2_PROXY_PROVIDER=entra-id.
    assert_eq!(
        app(&apps, "oauth2-proxy-flags/docker-compose.yml", None)["family"],
        "entra"
    );
}

#[test]
fn named_values_are_resolved_per_environment() {
    let apps = inspect_apps("fixtures/gateways/bad/apiops");
    let base = app(&apps, "apiops/apis/orders/policy.xml", None);
    assert_eq!(
        base["metadata_address"],
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
            .as_str()
    );
    assert_eq!(base["audiences"], serde_json::json!([API]));
    let prod = app(
        &apps,
        "apiops/apis/orders/policy.xml",
        Some("prod via configuration.prod.yaml"),
    );
    assert_eq!(
        prod["audiences"],
        serde_json::json!(["https://graph.microsoft.com"])
    );
    // A secret named value is unknown, in every environment.
    for environment in [None, Some("prod via configuration.prod.yaml")] {
        let create = app(&apps, "operations/create/policy.xml", environment);
        assert_eq!(create["audiences"], serde_json::json!([]));
    }
}

#[test]
fn findings_name_rule_file_and_line() {
    let analysis = analyse(&[root().join("fixtures/gateways/bad")], &root()).unwrap();
    let found: Vec<(&str, String, usize, Option<&str>)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let source = analysis.sources.get(d.primary.file);
            let line = source.text[..d.primary.span.start].matches('\n').count() + 1;
            (
                d.rule,
                source.display.clone(),
                line,
                d.environment.as_deref(),
            )
        })
        .collect();
    for (rule, file, line, environment) in [
        (
            "graph-audience",
            "apiops/apis/orders/policy.xml",
            7,
            Some("prod via configuration.prod.yaml"),
        ),
        (
            "b2c-legacy-host",
            "apim-b2c/apis/legacy/policy.xml",
            4,
            None,
        ),
        (
            "b2c-missing-policy",
            "apim-b2c/apis/tenant-level/policy.xml",
            4,
            None,
        ),
        (
            "impossible-issuer",
            "apim-b2c/apis/issuer-slash/policy.xml",
            9,
            None,
        ),
        // Inside the policy embedded in an ARM string, and on the auth settings beside it.
        ("graph-audience", "arm/azuredeploy.json", 11, None),
        ("b2c-missing-policy", "arm/azuredeploy.json", 25, None),
        ("graph-audience", "arm/azuredeploy.json", 30, None),
        (
            "metadata-url-as-authority",
            "oauth2-proxy/metadata-as-issuer/oauth2-proxy.cfg",
            3,
            None,
        ),
        (
            "impossible-issuer",
            "oauth2-proxy/trailing-slash/oauth2-proxy.cfg",
            3,
            None,
        ),
        (
            "impossible-issuer",
            "oauth2-proxy/common-exact/oauth2-proxy.cfg",
            3,
            None,
        ),
        (
            "b2c-missing-policy",
            "oauth2-proxy/b2c-non-tfp/oauth2-proxy.cfg",
            3,
            None,
        ),
        (
            "issuer-validation-disabled",
            "oauth2-proxy/common-skip/oauth2-proxy.cfg",
            4,
            None,
        ),
        (
            "missing-required",
            "oauth2-proxy/missing-issuer/.env",
            1,
            None,
        ),
    ] {
        assert!(
            found.iter().any(|(r, f, l, e)| *r == rule
                && f.ends_with(file)
                && *l == line
                && *e == environment),
            "expected {rule} at {file}:{line} ({environment:?}) in {found:#?}"
        );
    }
    let golden = root().join("fixtures/gateways/expected.txt");
    let output = concise::render(&analysis.sources, &analysis.diagnostics);
    if std::env::var_os("ENTRALINT_BLESS").is_some() {
        std::fs::write(&golden, &output).unwrap();
    } else {
        assert_eq!(std::fs::read_to_string(&golden).unwrap(), output);
    }
}

#[test]
fn an_embedded_policy_finding_points_into_the_json_string() {
    let analysis = analyse(&[root().join("fixtures/gateways/bad/arm")], &root()).unwrap();
    let finding = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == "graph-audience" && d.key.as_deref() == Some("audience"))
        .expect("graph audience in the embedded policy");
    let source = analysis.sources.get(finding.primary.file);
    assert_eq!(
        &source.text[finding.primary.span.start..finding.primary.span.end],
        "https://graph.microsoft.com"
    );
}

#[test]
fn secret_named_values_are_never_printed() {
    let analysis = analyse(&[root().join("fixtures/gateways/bad/apiops")], &root()).unwrap();
    let secret = "Zm9yLXRlc3RzLW9ubHktbmV2ZXItcHJpbnRlZA==";
    let outputs = [
        concise::render(&analysis.sources, &analysis.diagnostics),
        json::render(&analysis.sources, &analysis.diagnostics),
        sarif::render(&analysis.sources, &analysis.diagnostics),
        inspect_json::render(&analysis.sources, &analysis.apps),
    ];
    for output in outputs {
        assert!(!output.contains(secret));
    }
}
