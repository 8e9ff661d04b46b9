//! The retired AzureAD.UI and AzureADB2C.UI packages. upstream: dotnet/aspnetcore
//! src/Azure/AzureAD/Authentication.AzureAD.UI/src/AzureADJwtBearerOptionsConfiguration.cs
//! (`Authority = new Uri(new Uri(Instance), TenantId)`, `Audience = ClientId`) and
//! src/Azure/AzureAD/Authentication.AzureADB2C.UI/src/ (`BuildAuthority`).

mod common;

use common::{entralint_in, find_app, inspect_apps, root, stdout};

const DIR: &str = "fixtures/azure-ad-ui";

#[test]
fn azure_ad_ui_uses_v1_metadata_and_only_the_client_id() {
    let apps = inspect_apps(DIR);
    let api = find_app(
        &apps,
        None,
        |f| f.ends_with("api/appsettings.json"),
        "the API",
    );
    assert_eq!(api["framework"], "aspnetcore-azuread-ui");
    assert_eq!(api["role"], "web-api");
    assert_eq!(
        api["metadata_address"],
        "https://login.microsoftonline.com/common/.well-known/openid-configuration"
    );
    assert_eq!(
        api["issuers"],
        serde_json::json!(["https://sts.windows.net/{tenantid}/"])
    );
    assert_eq!(
        api["audiences"],
        serde_json::json!(["6a1e2f3b-4c5d-4e7f-8a9b-0c1d2e3f4a5b"])
    );
    let web = find_app(
        &apps,
        None,
        |f| f.ends_with("b2c-web/appsettings.json"),
        "the B2C web app",
    );
    assert_eq!(web["framework"], "aspnetcore-azureadb2c-ui");
    assert_eq!(
        web["authority"],
        "https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/B2C_1_SiUpIn/v2.0"
    );
}

#[test]
fn findings_name_the_package() {
    let output = entralint_in(&root(), &["check", DIR, "--format", "concise"]);
    let text = stdout(&output);
    let rules: Vec<&str> = text.lines().map(|l| &l[l.rfind('[').unwrap()..]).collect();
    assert_eq!(
        rules,
        [
            "[multitenant-exact-issuer]",
            "[audience-ignored]",
            "[b2c-legacy-host]"
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "issuer template https://sts.windows.net/{tenantid}/, which AzureAD.UI compares"
        ),
        "{text}"
    );
    assert!(
        text.contains("`AzureAd:Audience` is not read by AzureAD.UI"),
        "{text}"
    );
}
