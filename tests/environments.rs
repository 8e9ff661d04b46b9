//! What each environment really runs with: appsettings.{Environment}.json, launch profiles,
//! `.env` files, docker-compose services, Kubernetes workloads (with ConfigMaps) and App Service
//! settings, each layered over the base file as .NET layers them.

mod common;

use common::{analyse_clean, root};
use entralint::pipeline::analyse;
use entralint::report::{concise, inspect_json};
use serde_json::Value;

const TID: &str = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";

#[test]
fn every_source_of_overrides_is_its_own_environment() {
    let analysis = analyse_clean("fixtures/environments");
    let report: Value =
        serde_json::from_str(&inspect_json::render(&analysis.sources, &analysis.apps)).unwrap();
    let apps = report["apps"].as_array().unwrap();
    let metadata = |environment: &str| -> String {
        let app = apps
            .iter()
            .find(|a| a["environment"] == environment)
            .unwrap_or_else(|| panic!("no app for {environment}: {apps:#?}"));
        assert_eq!(
            app["file"], "fixtures/environments/api/appsettings.json",
            "the base file defines the app"
        );
        app["metadata_address"].as_str().unwrap().to_string()
    };
    assert_eq!(
        metadata("Development"),
        format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration")
    );
    assert_eq!(
        metadata("Development via launchSettings.json profile 'https'"),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
    );
    // The compose service selects Staging, takes its tenant from its env_file and its host from `environment`.
    assert_eq!(
        metadata("Staging via docker-compose.yml service 'api'"),
        format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration")
    );
    // The Deployment takes its tenant from a ConfigMap through envFrom.
    assert_eq!(
        metadata("Production via deployment.yaml Deployment 'orders-api' container 'api'"),
        "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
    );
    assert_eq!(
        metadata("Production via appservice-settings.json (App Service settings)"),
        format!(
            "https://login.partner.microsoftonline.cn/{TID}/v2.0/.well-known/openid-configuration"
        )
    );
    assert_eq!(apps.len(), 5);
}

fn concise_of(dir: &str) -> String {
    let analysis = analyse(&[root().join(dir)], &root()).unwrap();
    concise::render(&analysis.sources, &analysis.diagnostics)
}

#[test]
fn findings_point_at_the_layer_that_introduced_the_value() {
    let compose = concise_of("fixtures/graph-audience/bad/compose");
    assert!(
        compose.starts_with("fixtures/graph-audience/bad/compose/docker-compose.yml:5:26: error:"),
        "{compose}"
    );
    assert!(
        compose.contains(
            "(environment: Production via docker-compose.yml service 'api') [graph-audience]"
        ),
        "{compose}"
    );
    let launch = concise_of("fixtures/insecure-metadata/bad/launch-settings");
    assert!(launch.starts_with("fixtures/insecure-metadata/bad/launch-settings/api/Properties/launchSettings.json:6:30: error: `AzureAd:Instance` is http"), "{launch}");
    let dotenv = concise_of("fixtures/placeholder-value/bad/dotenv");
    assert!(dotenv.starts_with("fixtures/placeholder-value/bad/dotenv/api/.env:1:19: error: `AzureAd:ClientId` '<your-client-id>' is a placeholder"), "{dotenv}");
}

#[test]
fn values_wrong_on_their_own_are_reported_even_without_an_app() {
    let kubernetes = concise_of("fixtures/graph-audience/bad/kubernetes");
    assert!(kubernetes.starts_with("fixtures/graph-audience/bad/kubernetes/deployment.yaml:12:22: error: `AzureAd:Audience` is the Microsoft Graph audience"), "{kubernetes}");
    let analysis = analyse(
        &[root().join("fixtures/graph-audience/bad/kubernetes")],
        &root(),
    )
    .unwrap();
    assert!(
        analysis.apps.is_empty(),
        "variables without a project are not listed as apps"
    );
}

#[test]
fn appid_requests_are_evidence_across_projects() {
    // Two projects, assembled and checked apart: the web app's `?appid=` is still evidence
    // that the API with the same client id needs it too.
    let dir = "fixtures/saml-appid-missing/bad/cross-project";
    let analysis = analyse(&[root().join(dir)], &root()).unwrap();
    let [finding] = analysis.diagnostics.as_slice() else {
        panic!("one finding: {:?}", analysis.diagnostics);
    };
    let file = |location: entralint::source::Location| {
        let source = analysis.sources.get(location.file);
        (
            source.display.clone(),
            source.position(location.span.start).line,
        )
    };
    assert_eq!(finding.rule, "saml-appid-missing");
    assert_eq!(
        file(finding.primary),
        (format!("{dir}/orders-api/appsettings.json"), 3)
    );
    let [request] = finding.related.as_slice() else {
        panic!("the request is the related location: {finding:?}");
    };
    assert_eq!(
        file(request.location),
        (format!("{dir}/orders-web/appsettings.json"), 7)
    );
}

#[test]
fn cross_layer_rules() {
    let saml = concise_of("fixtures/saml-appid-missing/bad/cross-layer");
    assert_eq!(
        saml.lines().count(),
        1,
        "only the environment that drops ?appid=: {saml}"
    );
    assert!(
        saml.starts_with(
            "fixtures/saml-appid-missing/bad/cross-layer/appsettings.Production.json:3:24: error:"
        ),
        "{saml}"
    );
    assert!(saml.contains("(environment: Production) [saml-appid-missing]"));
    let conflict = concise_of("fixtures/authority-conflict/bad/app-service");
    assert!(conflict.starts_with("fixtures/authority-conflict/bad/app-service/appservice.json:2:44: error: `AzureAd:Authority` and Instance/TenantId name a different tenant"), "{conflict}");
    let cloud = concise_of("fixtures/cloud-mismatch/bad/config-map");
    // The Instance beside the variables' Authority is one cause: reported once, naming both clouds.
    assert!(cloud.contains("config-map/deploy.yaml:6:23: error: `AzureAd:Authority` and Instance/TenantId name a different host (the public cloud against Azure US Government)"), "{cloud}");
    assert!(!cloud.contains("[cloud-mismatch]"), "{cloud}");
    assert!(
        cloud.contains("Production via deploy.yaml Deployment 'api' container 'api'"),
        "{cloud}"
    );
    let policy = concise_of("fixtures/b2c-missing-policy/bad/environment-drops-policy");
    assert!(policy.starts_with("fixtures/b2c-missing-policy/bad/environment-drops-policy/appsettings.Production.json:2:43: error:"), "{policy}");
}
