//! Blazor WebAssembly's `wwwroot/appsettings.json` configures MSAL.js in the browser: a client
//! that asks for tokens and validates none (upstream: dotnet/aspnetcore
//! src/Components/WebAssembly/Authentication.Msal/src/Models/MsalAuthenticationOptions.cs).

mod common;

use common::{entralint_in, inspect_apps, root, stdout};

const DIR: &str = "fixtures/blazor-wasm";

#[test]
fn a_browser_client_is_judged_on_what_it_asks_for_not_on_validation() {
    let output = entralint_in(&root(), &["check", DIR, "--format", "concise"]);
    let text = stdout(&output);
    // A `common` authority is right for a client: no multitenant-exact-issuer.
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("fixtures/blazor-wasm/Client/wwwroot/appsettings.json:9:15: error:")
            && text.trim_end().ends_with("[graph-scope-for-api]"),
        "{text}"
    );
    let apps = inspect_apps(DIR);
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["framework"], "msal-browser");
    assert_eq!(apps[0]["role"], "client");
    assert_eq!(
        apps[0]["metadata_address"],
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    );
    assert_eq!(apps[0]["issuers"], serde_json::json!([]));
}
