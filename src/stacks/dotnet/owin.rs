//! ASP.NET 4.x: Katana middleware and Microsoft.Identity.Web.OWIN
//! (reference: dotnet-frameworks.md §4 and §2.11).

use super::identity_web::validator_issuers;
use crate::domain::identity_url::Family;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::infer::{
    Inference, IssuerCheck, SIGN_IN_KEYS, derive, metadata_from_authority, texts, url_settings,
};
use crate::model::{App, Framework, Setting};

/// The WS-Federation metadata `UseWindowsAzureActiveDirectoryBearerAuthentication` reads when
/// only `Tenant` is set: always the public-cloud alias, whatever cloud the tenant lives in.
pub fn azure_ad_bearer_metadata(tenant: &str) -> String {
    format!("https://login.windows.net/{tenant}/federationmetadata/2007-06/federationmetadata.xml")
}

/// Microsoft.Identity.Web.OWIN: `Instance + TenantId + "/v2.0"`, plain concatenation.
pub fn identity_web_owin_authority(instance: &str, tenant: &str) -> String {
    format!("{instance}{tenant}/v2.0")
}

fn tvp_values(app: &App, name: &str) -> Vec<Setting> {
    let mut found: Vec<Setting> = app
        .values(&format!("TokenValidationParameters:{name}"))
        .into_iter()
        .cloned()
        .collect();
    found.extend(
        app.values(&format!("TokenValidationParameters:{name}s"))
            .into_iter()
            .cloned(),
    );
    found
}

pub fn infer(app: &App) -> Inference {
    let value = |key: &str| app.value(key).map(str::to_string);
    let (authority, metadata, sources): (Option<String>, Option<String>, Vec<&str>) =
        match app.framework {
            Framework::MicrosoftIdentityWebOwin => {
                let authority = value("Instance")
                    .zip(value("TenantId"))
                    .map(|(i, t)| identity_web_owin_authority(&i, &t));
                let metadata = authority.as_deref().map(metadata_from_authority);
                (authority, metadata, vec!["Instance", "TenantId"])
            }
            Framework::OwinAzureAdBearer => match value("MetadataAddress") {
                Some(m) => (None, Some(m), vec!["MetadataAddress"]),
                None => (
                    None,
                    value("Tenant").map(|t| azure_ad_bearer_metadata(&t)),
                    vec!["Tenant"],
                ),
            },
            _ => match value("MetadataAddress") {
                Some(m) => (value("Authority"), Some(m), vec!["MetadataAddress"]),
                None => (
                    value("Authority"),
                    value("Authority").as_deref().map(metadata_from_authority),
                    vec!["Authority"],
                ),
            },
        };
    let derived = derive(metadata.as_deref());
    let metadata_sources: Vec<Setting> = sources
        .iter()
        .filter_map(|k| app.setting(k).cloned())
        .collect();

    let issuer_settings = tvp_values(app, "ValidIssuer");
    let mut audience_settings = tvp_values(app, "ValidAudience");
    audience_settings.extend(app.setting("Audience").cloned());
    let disabled = app
        .setting("TokenValidationParameters:ValidateIssuer")
        .is_some_and(Setting::is_false);
    let configured_issuers = issuer_settings
        .iter()
        .filter_map(|s| s.text().map(str::to_string));
    let (issuer_check, issuers): (IssuerCheck, Vec<String>) = if disabled {
        (IssuerCheck::Disabled, Vec::new())
    } else {
        match app.framework {
            Framework::MicrosoftIdentityWebOwin => (
                IssuerCheck::AadIssuerValidator,
                configured_issuers
                    .chain(validator_issuers(
                        derived.family,
                        derived.cloud,
                        derived.tenant.as_deref(),
                        None,
                    ))
                    .collect(),
            ),
            Framework::OwinAzureAdBearer | Framework::OwinWsFederation => {
                // WS-Federation metadata names the v1.0 issuer.
                let tenant = derived.tenant.as_deref().unwrap_or_default();
                let id = if tenant_kind(tenant) == TenantKind::Guid {
                    tenant.to_ascii_lowercase()
                } else {
                    "{tenantid}".to_string()
                };
                let v1 = (derived.family == Family::Entra)
                    .then(|| format!("https://{}/{id}/", derived.cloud.v1_issuer_host()));
                (
                    IssuerCheck::Exact,
                    v1.into_iter().chain(configured_issuers).collect(),
                )
            }
            _ => (
                IssuerCheck::Exact,
                derived
                    .document_issuer
                    .clone()
                    .into_iter()
                    .chain(configured_issuers)
                    .collect(),
            ),
        }
    };

    let mut audiences: Vec<String> = texts(&audience_settings);
    if audiences.is_empty() {
        let default = match app.framework {
            Framework::OwinOpenIdConnect | Framework::MicrosoftIdentityWebOwin => value("ClientId"),
            Framework::OwinWsFederation => value("Wtrealm"),
            _ => None,
        };
        audiences.extend(default);
    }
    let urls = url_settings(app, SIGN_IN_KEYS, &issuer_settings);
    let tenant = match app.framework {
        Framework::OwinAzureAdBearer => value("Tenant").or(derived.tenant.clone()),
        _ => derived.tenant.clone(),
    };
    Inference {
        authority,
        metadata_address: metadata,
        metadata_sources,
        tenant,
        issuer_check,
        issuers,
        audiences,
        issuer_settings,
        audience_settings,
        urls,
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of dotnet-frameworks.md §4.5 and §2.11.
    use super::*;
    use crate::domain::identity_url::jwks_uri;
    use crate::infer::derive;

    #[test]
    fn azure_ad_bearer_always_uses_public_ws_federation_metadata() {
        let metadata = azure_ad_bearer_metadata("contoso.onmicrosoft.com");
        assert_eq!(
            metadata,
            "https://login.windows.net/contoso.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml"
        );
        assert_eq!(
            jwks_uri(&metadata),
            None,
            "WS-Federation metadata carries certificates, not a JWKS URI"
        );
        assert_eq!(derive(Some(&metadata)).version, Some("v1.0"));
    }

    #[test]
    fn openid_connect_v1_from_the_aad_instance_template() {
        let metadata =
            metadata_from_authority("https://login.microsoftonline.com/contoso.onmicrosoft.com");
        assert_eq!(
            metadata,
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration"
        );
        assert_eq!(
            derive(Some(&metadata)).document_issuer.as_deref(),
            Some("https://sts.windows.net/{tenantid}/")
        );
    }

    #[test]
    fn identity_web_owin_concatenates() {
        assert_eq!(
            identity_web_owin_authority(
                "https://login.microsoftonline.com/",
                "contoso.onmicrosoft.com"
            ),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
        );
        // An `ida:AADInstance` with `{0}` is copied literally by the bridge.
        assert_eq!(
            identity_web_owin_authority("https://login.microsoftonline.com/{0}/", "t"),
            "https://login.microsoftonline.com/{0}/t/v2.0"
        );
    }

    #[test]
    fn b2c_web_app_and_api_metadata_are_used_verbatim() {
        let web = "https://fabrikamb2c.b2clogin.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration";
        let api = "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration";
        for metadata in [web, api] {
            let derived = derive(Some(metadata));
            assert_eq!(derived.family, Family::B2c);
            assert_eq!(derived.policy.as_deref(), Some("b2c_1_susi"));
        }
        assert_eq!(
            jwks_uri(web).as_deref(),
            Some(
                "https://fabrikamb2c.b2clogin.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/discovery/v2.0/keys"
            )
        );
    }
}
