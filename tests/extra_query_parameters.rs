//! Microsoft.Identity.Web web apps add `ExtraQueryParameters` to the metadata address built
//! from `Authority`: the documented way to load an app's SAML/custom signing keys with
//! `?appid=` (upstream: AzureAD/microsoft-identity-web
//! src/Microsoft.Identity.Web/WebAppExtensions/MicrosoftIdentityWebAppAuthenticationBuilderExtensions.cs).

mod common;

use common::{analyse_clean, inspect_apps};

#[test]
fn a_web_app_loads_its_own_keys_through_extra_query_parameters() {
    analyse_clean("fixtures/extra-query-parameters");
    let apps = inspect_apps("fixtures/extra-query-parameters");
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["role"], "web-app");
    assert_eq!(
        apps[0]["metadata_address"],
        "https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/.well-known/openid-configuration?appid=6a1e2f3b-4c5d-4e7f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(
        apps[0]["jwks_uri"],
        "https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/discovery/v2.0/keys?appid=6a1e2f3b-4c5d-4e7f-8a9b-0c1d2e3f4a5b"
    );
}
