//! `fixtures/frameworks/` holds one correct project per framework model. They must be clean,
//! and `inspect` must show the metadata address each framework really builds
//! (reference: dotnet-frameworks.md §2.11, §4.4, §4.5).

mod common;

use common::{analyse_clean, find_app, inspect_apps};
use serde_json::Value;

fn app<'a>(apps: &'a [Value], folder: &str, environment: Option<&str>) -> &'a Value {
    find_app(
        apps,
        environment,
        |f| f.contains(&format!("/{folder}/")),
        folder,
    )
}

#[test]
fn framework_fixtures_are_clean() {
    analyse_clean("fixtures/frameworks");
}

#[test]
fn every_framework_builds_the_documented_metadata_address() {
    const TID: &str = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";
    let apps = inspect_apps("fixtures/frameworks");
    let cases: Vec<(&str, Option<&str>, &str, &str, String)> = vec![
        (
            "aad-v1-web-app",
            None,
            "owin-openid-connect",
            "web-app",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration".into(),
        ),
        (
            "aad-v2-web-app",
            None,
            "owin-openid-connect",
            "web-app",
            format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"),
        ),
        (
            "azure-ad-bearer-api",
            None,
            "owin-azure-ad-bearer",
            "web-api",
            "https://login.windows.net/contoso.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml".into(),
        ),
        (
            "b2c-web-app",
            None,
            "owin-openid-connect",
            "web-app",
            "https://fabrikamb2c.b2clogin.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration".into(),
        ),
        (
            "b2c-api",
            None,
            "owin-jwt-bearer",
            "web-api",
            "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration".into(),
        ),
        (
            "b2c-api-without-code",
            None,
            "owin-jwt-bearer",
            "unknown",
            "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi".into(),
        ),
        (
            "us-gov-web-app",
            None,
            "owin-openid-connect",
            "web-app",
            "https://login.microsoftonline.us/contoso.onmicrosoft.us/.well-known/openid-configuration".into(),
        ),
        (
            "transformed",
            None,
            "owin-openid-connect",
            "web-app",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration".into(),
        ),
        (
            "transformed",
            Some("Release"),
            "owin-openid-connect",
            "web-app",
            "https://login.microsoftonline.com/fabrikam.onmicrosoft.com/.well-known/openid-configuration".into(),
        ),
        (
            "external-app-settings",
            None,
            "owin-openid-connect",
            "web-app",
            "https://login.microsoftonline.com/fabrikam.onmicrosoft.com/.well-known/openid-configuration".into(),
        ),
        (
            "utf16-without-code",
            None,
            "owin-openid-connect",
            "unknown",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration".into(),
        ),
        (
            "identity-web-owin-api",
            None,
            "microsoft-identity-web-owin",
            "web-api",
            format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"),
        ),
        (
            "aspnetcore-b2c-api",
            None,
            "microsoft-identity-web",
            "web-api",
            "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration".into(),
        ),
        (
            "aspnetcore-jwt-in-code",
            None,
            "aspnetcore-jwt-bearer",
            "web-api",
            format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"),
        ),
    ];
    for (folder, environment, framework, role, metadata) in cases {
        let found = app(&apps, folder, environment);
        assert_eq!(found["framework"], framework, "{folder}");
        assert_eq!(found["role"], role, "{folder}");
        assert_eq!(
            found["metadata_address"],
            metadata.as_str(),
            "{folder} {environment:?}"
        );
    }
    assert_eq!(
        apps.len(),
        14,
        "one app per project and build configuration"
    );
}

#[test]
fn issuers_and_audiences_follow_each_framework() {
    let apps = inspect_apps("fixtures/frameworks");
    let bearer = app(&apps, "azure-ad-bearer-api", None);
    assert_eq!(
        bearer["issuers"],
        serde_json::json!(["https://sts.windows.net/{tenantid}/"])
    );
    assert_eq!(
        bearer["audiences"],
        serde_json::json!(["https://contoso.onmicrosoft.com/TodoListService"])
    );
    let owin = app(&apps, "identity-web-owin-api", None);
    assert_eq!(
        owin["tenant"], "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93",
        "appsettings.json overrides the bridged ida:TenantId"
    );
    assert_eq!(
        owin["audiences"],
        serde_json::json!(["5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"])
    );
    let jwt = app(&apps, "aspnetcore-jwt-in-code", None);
    assert_eq!(
        jwt["audiences"],
        serde_json::json!(["5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"]),
        "assigned in code"
    );
}
