//! The retired `Microsoft.AspNetCore.Authentication.AzureAD.UI` and `AzureADB2C.UI` packages
//! (reference: dotnet-frameworks.md §5). upstream: dotnet/aspnetcore
//! src/Azure/AzureAD/Authentication.AzureAD.UI/src/AzureADJwtBearerOptionsConfiguration.cs and
//! AzureADOpenIdConnectOptionsConfiguration.cs: `Authority = new Uri(new Uri(Instance),
//! TenantId)`, `Audience = ClientId`; src/Azure/AzureAD/Authentication.AzureADB2C.UI/src/
//! AzureADB2COpenIdConnectOptionsConfiguration.cs `BuildAuthority`: Instance's path without its
//! trailing `/`, then `/{Domain}/{SignUpSignInPolicyId}/v2.0`. Nothing else in the section is
//! read: no `Authority`, `Audience` or `TokenValidationParameters`.

use super::aspnetcore::metadata_address;
use crate::infer::{Inference, IssuerCheck, SIGN_IN_KEYS, derive, url_settings};
use crate::model::{App, Framework, Setting};

/// `new Uri(new Uri(instance), tenant)`: RFC 3986 resolution, so the tenant replaces whatever
/// follows the Instance's last `/` (a path without a trailing slash loses its last segment).
pub fn azure_ad_authority(instance: &str, tenant: &str) -> String {
    let instance = instance.trim();
    let after_scheme = instance.find("://").map_or(0, |i| i + 3);
    let base = match instance[after_scheme..].find('/') {
        None => format!("{instance}/"),
        Some(_) => instance[..=instance.rfind('/').unwrap_or(instance.len() - 1)].to_string(),
    };
    format!("{base}{}", tenant.trim())
}

/// AzureADB2C.UI's `BuildAuthority`: `…/tfp` and `…/tfp/` both keep their path.
pub fn b2c_authority(instance: &str, domain: &str, policy: &str) -> String {
    let instance = instance.trim().trim_end_matches('/');
    format!("{instance}/{}/{}/v2.0", domain.trim(), policy.trim())
}

pub fn infer(app: &App) -> Inference {
    let authority = match app.framework {
        Framework::AzureAdB2cUi => Some(b2c_authority(
            app.value("Instance").unwrap_or_default(),
            app.value("Domain").unwrap_or_default(),
            app.value("SignUpSignInPolicyId").unwrap_or_default(),
        ))
        .filter(|_| app.value("Instance").is_some()),
        _ => app
            .value("Instance")
            .zip(app.value("TenantId"))
            .map(|(instance, tenant)| azure_ad_authority(instance, tenant)),
    };
    let metadata = metadata_address(authority.as_deref(), None);
    let derived = derive(metadata.as_deref());
    let metadata_sources: Vec<Setting> = ["Instance", "TenantId", "Domain", "SignUpSignInPolicyId"]
        .iter()
        .filter_map(|k| app.setting(k).cloned())
        .collect();
    // The handlers compare the token's issuer with the metadata's, character for character.
    let issuers = derived.document_issuer.clone().into_iter().collect();
    let audience_settings: Vec<Setting> = app.setting("ClientId").cloned().into_iter().collect();
    let audiences = crate::infer::texts(&audience_settings);
    let urls = url_settings(app, &SIGN_IN_KEYS[..1], &[]);
    Inference {
        authority,
        metadata_address: metadata,
        metadata_sources,
        issuer_check: IssuerCheck::Exact,
        issuers,
        audiences,
        audience_settings,
        urls,
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: AzureADJwtBearerOptionsConfiguration.cs, `new Uri(new Uri(Instance), TenantId)`.
    #[test]
    fn azure_ad_ui_resolves_the_tenant_against_the_instance() {
        assert_eq!(
            azure_ad_authority(
                "https://login.microsoftonline.com/",
                "contoso.onmicrosoft.com"
            ),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com"
        );
        assert_eq!(
            azure_ad_authority("https://login.microsoftonline.com", "common"),
            "https://login.microsoftonline.com/common"
        );
        // A path without a trailing slash loses its last segment, as System.Uri does.
        assert_eq!(
            azure_ad_authority("https://login.microsoftonline.com/v2.0", "common"),
            "https://login.microsoftonline.com/common"
        );
        assert_eq!(
            metadata_address(
                Some(&azure_ad_authority(
                    "https://login.microsoftonline.com/",
                    "common"
                )),
                None
            )
            .as_deref(),
            Some("https://login.microsoftonline.com/common/.well-known/openid-configuration"),
            "v1 metadata: the package never adds /v2.0"
        );
    }

    // upstream: AzureADB2COpenIdConnectOptionsConfiguration.cs `BuildAuthority`; the sample
    // src/Azure/AzureAD/samples/AzureADB2CSample/appsettings.json.
    #[test]
    fn azure_ad_b2c_ui_keeps_the_instance_path() {
        for instance in [
            "https://login.microsoftonline.com/tfp/",
            "https://login.microsoftonline.com/tfp",
        ] {
            assert_eq!(
                b2c_authority(instance, "jacalvarb2c.onmicrosoft.com", "B2C_1_SiUpIn"),
                "https://login.microsoftonline.com/tfp/jacalvarb2c.onmicrosoft.com/B2C_1_SiUpIn/v2.0"
            );
        }
    }
}
