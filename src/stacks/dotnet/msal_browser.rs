//! MSAL.js in a Blazor WebAssembly app (`wwwroot/appsettings.json`): a client.

use crate::infer::{Inference, SIGN_IN_KEYS, derive, metadata_from_authority, url_settings};
use crate::model::App;

/// A Blazor WebAssembly client: MSAL.js signs in at `Authority` (used as written) and asks
/// for tokens; it validates none, so no issuer or audience is expected. upstream:
/// dotnet/aspnetcore src/Components/WebAssembly/Authentication.Msal/src/Models/MsalAuthenticationOptions.cs
/// (`Authority`, `ClientId`, `ValidateAuthority` handed to MSAL.js), and
/// AzureAD/microsoft-authentication-library-for-js lib/msal-common/src/authority/Authority.ts
/// (`defaultOpenIdConfigurationEndpoint`: Microsoft authorities are discovered at `v2.0/`).
pub fn infer(app: &App) -> Inference {
    let authority = app.value("Authority").map(str::to_string);
    let metadata = authority.as_deref().map(|a| {
        let a = a.trim_end_matches('/');
        if a.contains("/v2.0") {
            metadata_from_authority(a)
        } else {
            metadata_from_authority(&format!("{a}/v2.0"))
        }
    });
    let derived = derive(metadata.as_deref());
    Inference {
        authority,
        metadata_address: metadata,
        metadata_sources: app.setting("Authority").cloned().into_iter().collect(),
        urls: url_settings(app, &SIGN_IN_KEYS[1..2], &[]),
        ..derived.into_inference()
    }
}
