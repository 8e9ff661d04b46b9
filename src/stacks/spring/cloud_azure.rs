//! Spring Cloud Azure's Entra ID and B2C starters (`spring.cloud.azure.active-directory`,
//! `...active-directory.b2c`) and azure-spring-boot 3.x (`azure.activedirectory`,
//! `azure.activedirectory.b2c`). The extractor gives both generations the same option names
//! (`tenant-id`, `client-id`, `app-id-uri`, `base-uri`, `user-flows:<key>`, `login-flow`).
//!
//! upstream: Azure/azure-sdk-for-java sdk/spring/spring-cloud-azure-autoconfigure/src/main/java/com/azure/spring/cloud/autoconfigure/implementation/
//! aad/configuration/properties/AadAuthenticationProperties.java (`afterPropertiesSet`: a blank
//! tenant becomes `common`), aad/configuration/AadResourceServerConfiguration.java (`jwtDecoder`:
//! keys at `<endpoint><tenant>/discovery/v2.0/keys`, no discovery; `createDefaultValidator`:
//! audiences = app-id-uri and client-id when set, issuer in `AadTrustedIssuerRepository`),
//! aad/security/jwt/AadTrustedIssuerRepository.java (login.microsoftonline.com, sts.windows.net,
//! sts.chinacloudapi.cn, each `<tenant>/` and `<tenant>/v2.0`), aadb2c/security/AadB2cTrustedIssuerRepository.java
//! (scheme and host of `base-uri` only; `<tenant-id>/v2.0/` and `tfp/<tenant-id>/<flow>/v2.0/`),
//! aadb2c/implementation/AadB2cUrl.java (the web app's keys at `<base-uri>/discovery/v2.0/keys?p=<flow>`),
//! aadb2c/configuration/properties/AadB2cProperties.java (login flow key defaults to
//! `sign-up-or-sign-in`); sdk/spring/azure-spring-boot/.../aad/AADJwtIssuerValidator.java
//! (3.x: an issuer passes when it starts with one of the three hosts, any tenant).

use super::security::{is_written, set};
use crate::domain::hosts::Cloud;
use crate::domain::identity_url::{Family, IdentityUrl};
use crate::infer::url_setting;
use crate::infer::{AudienceCheck, Inference, IssuerCheck, UrlPurpose, derive, texts};
use crate::model::{App, Setting};

/// The hosts whose issuers Spring Cloud Azure trusts for Entra ID tokens.
const TRUSTED_ISSUER_HOSTS: &[&str] = &[
    "login.microsoftonline.com",
    "sts.windows.net",
    "sts.chinacloudapi.cn",
];

/// The default login flow key of the B2C starter.
const DEFAULT_LOGIN_FLOW: &str = "sign-up-or-sign-in";

/// `app-id-uri` and `client-id`, the audiences every generation accepts (none set: no check).
fn audiences(app: &App, inference: Inference) -> Inference {
    let audience_settings: Vec<Setting> = ["app-id-uri", "client-id"]
        .iter()
        .filter_map(|k| set(app, k).cloned())
        .collect();
    let audiences = texts(&audience_settings);
    let checked = ["app-id-uri", "client-id"]
        .iter()
        .any(|k| is_written(app, k));
    Inference {
        audience_check: if !checked {
            AudienceCheck::Disabled
        } else {
            AudienceCheck::Exact
        },
        audiences,
        audience_settings,
        ..inference
    }
}

/// The Entra ID login endpoint: `active-directory-endpoint` (a slash added), else the cloud's
/// `activeDirectoryEndpointUrl`. upstream: AadProfileEnvironmentProperties.updatePropertiesByCloudType,
/// and azure-core's AzureEnvironment (AZURE_CHINA `https://login.chinacloudapi.cn/`,
/// AZURE_US_GOVERNMENT `https://login.microsoftonline.us/`).
fn endpoint(app: &App) -> String {
    if let Some(written) = app.value("active-directory-endpoint") {
        return format!("{}/", written.trim_end_matches('/'));
    }
    match (app.value("cloud-type").map(str::to_ascii_uppercase)).as_deref() {
        Some("AZURE_CHINA") => "https://login.chinacloudapi.cn/",
        Some("AZURE_US_GOVERNMENT") => "https://login.microsoftonline.us/",
        _ => "https://login.microsoftonline.com/",
    }
    .to_string()
}

/// `spring.cloud.azure.active-directory` as a resource server. A tenant written as a
/// placeholder nothing resolves (an empty value) is unknown; one not written is `common`.
pub fn active_directory(app: &App) -> Inference {
    let tenant_setting = app.setting("tenant-id");
    let Some(tenant) = tenant_setting.map_or(Some("common"), Setting::text) else {
        let inference = Inference {
            family: Family::Entra,
            metadata_sources: tenant_setting.cloned().into_iter().collect(),
            ..derive(None).into_inference()
        };
        return audiences(app, inference);
    };
    let endpoint = endpoint(app);
    // The document this tenant and endpoint would publish: family, cloud and version.
    let derived = derive(Some(&format!(
        "{endpoint}{tenant}/v2.0/.well-known/openid-configuration"
    )));
    let issuers = TRUSTED_ISSUER_HOSTS
        .iter()
        .flat_map(|host| {
            [
                format!("https://{host}/{tenant}/"),
                format!("https://{host}/{tenant}/v2.0"),
            ]
        })
        .collect();
    let urls = set(app, "active-directory-endpoint")
        .and_then(|s| url_setting(UrlPurpose::Instance, s))
        .into_iter()
        .collect();
    let inference = Inference {
        authority: Some(format!("{endpoint}{tenant}")),
        jwks_uri: Some(format!("{endpoint}{tenant}/discovery/v2.0/keys")),
        metadata_sources: tenant_setting.cloned().into_iter().collect(),
        issuer_check: IssuerCheck::Exact,
        issuers,
        urls,
        ..derived.into_inference()
    };
    audiences(app, inference)
}

/// azure-spring-boot 3.x `azure.activedirectory`: the issuer is checked by host only, so any
/// tenant's token passes; where 3.x takes its keys from was not verified, so none is claimed.
pub fn legacy_active_directory(app: &App) -> Inference {
    let tenant = set(app, "tenant-id");
    let base = set(app, "base-uri");
    let cloud = base
        .and_then(|s| IdentityUrl::parse(&s.value))
        .map_or(Cloud::Public, |u| u.info.cloud);
    let inference = Inference {
        family: Family::Entra,
        cloud,
        tenant: tenant.and_then(Setting::text).map(str::to_string),
        issuer_check: IssuerCheck::Disabled,
        metadata_sources: tenant.cloned().into_iter().collect(),
        urls: base
            .and_then(|s| url_setting(UrlPurpose::Instance, s))
            .into_iter()
            .collect(),
        ..derive(None).into_inference()
    };
    audiences(app, inference)
}

/// The user flows by key, as written (`user-flows:<key>`).
fn user_flows(app: &App) -> Vec<(&str, &Setting)> {
    app.bound
        .iter()
        .filter_map(|(k, s)| {
            let key = k.strip_prefix("user-flows:")?;
            s.text().is_some().then_some((key, s))
        })
        .collect()
}

/// The policy of the login flow: `user-flows[login-flow]`, keys compared as Spring binds map
/// keys (letters and digits, any case).
pub fn login_policy(app: &App) -> Option<&str> {
    let key = app.value("login-flow").unwrap_or(DEFAULT_LOGIN_FLOW);
    let wanted = super::binding::canonical(key);
    user_flows(app)
        .into_iter()
        .rev()
        .find(|(k, _)| super::binding::canonical(k) == wanted)
        .and_then(|(_, s)| s.text())
}

/// Both B2C starters. With a tenant id the resource server trusts the issuers built from the
/// host of `base-uri` and loads the login flow's document for the plain issuer; without one
/// only the web app runs, and takes its keys from `<base-uri>/discovery/v2.0/keys?p=<flow>`.
pub fn b2c(app: &App) -> Inference {
    let base = set(app, "base-uri");
    let base_url = base.and_then(|s| IdentityUrl::parse(&s.value));
    let tenant = set(app, "tenant-id").and_then(Setting::text);
    let policy = login_policy(app);
    let urls = base
        .and_then(|s| url_setting(UrlPurpose::Instance, s))
        .into_iter()
        .collect();
    let metadata_sources: Vec<Setting> = base.cloned().into_iter().collect();
    let inference = match (&base_url, tenant) {
        (Some(url), Some(tenant)) => {
            let origin = url.origin();
            let policy_path = policy.map(|p| format!("{p}/")).unwrap_or_default();
            let metadata =
                format!("{origin}/{tenant}/{policy_path}v2.0/.well-known/openid-configuration");
            let derived = derive(Some(&metadata));
            let issuers = std::iter::once(format!("{origin}/{tenant}/v2.0/"))
                .chain(user_flows(app).into_iter().filter_map(|(_, s)| {
                    Some(format!(
                        "{origin}/tfp/{tenant}/{}/v2.0/",
                        s.text()?.to_ascii_lowercase()
                    ))
                }))
                .collect();
            Inference {
                authority: Some(format!("{origin}/{tenant}/{policy_path}v2.0")),
                metadata_address: Some(metadata),
                metadata_sources,
                issuers,
                urls,
                ..derived.into_inference()
            }
        }
        (Some(_), None) => {
            let base_text = base.and_then(Setting::text).unwrap_or_default();
            let trimmed = base_text.trim_end_matches('/');
            let keys = match policy {
                Some(p) => format!("{trimmed}/discovery/v2.0/keys?p={p}"),
                None => format!("{trimmed}/discovery/v2.0/keys"),
            };
            let key_url = IdentityUrl::parse(&keys);
            let shape = key_url.as_ref().map(IdentityUrl::shape).unwrap_or_default();
            Inference {
                authority: Some(trimmed.to_string()),
                jwks_uri: Some(keys.clone()),
                metadata_sources,
                family: key_url
                    .as_ref()
                    .map_or(Family::Unknown, IdentityUrl::family),
                cloud: key_url.as_ref().map_or(Cloud::Unknown, |u| u.info.cloud),
                tenant: shape.tenant,
                policy: policy.map(str::to_string),
                urls,
                ..derive(None).into_inference()
            }
        }
        (None, _) => derive(None).into_inference(),
    };
    audiences(app, inference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn resource_server_keys_and_trusted_issuers_of_the_tenant() {
        // upstream: AadResourceServerConfiguration.jwtDecoder, AadTrustedIssuerRepository
        let app = gateway_app(
            Framework::SpringCloudAzureAad,
            &[
                ("tenant-id", TID),
                ("client-id", "c"),
                ("app-id-uri", "api://c"),
            ],
        );
        let inference = active_directory(&app);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.issuers.len(), 6);
        assert!(
            inference
                .issuers
                .contains(&format!("https://sts.windows.net/{TID}/"))
        );
        assert!(
            inference
                .issuers
                .contains(&format!("https://login.microsoftonline.com/{TID}/v2.0"))
        );
        assert_eq!(inference.audiences, ["api://c", "c"]);
        assert_eq!(inference.family, Family::Entra);
    }

    #[test]
    fn a_blank_tenant_is_common_and_no_audience_means_no_check() {
        // upstream: AadAuthenticationProperties.afterPropertiesSet (blank tenant → common)
        let app = gateway_app(Framework::SpringCloudAzureAad, &[("enabled", "true")]);
        let inference = active_directory(&app);
        assert_eq!(inference.tenant.as_deref(), Some("common"));
        assert_eq!(inference.audience_check, AudienceCheck::Disabled);
    }

    #[test]
    fn an_unresolved_tenant_is_unknown_not_common() {
        let app = gateway_app(Framework::SpringCloudAzureAad, &[("tenant-id", "")]);
        let inference = active_directory(&app);
        assert_eq!((inference.tenant, inference.jwks_uri), (None, None));
    }

    #[test]
    fn cloud_type_picks_the_national_login_host() {
        // upstream: AadProfileEnvironmentProperties.updatePropertiesByCloudType
        let app = gateway_app(
            Framework::SpringCloudAzureAad,
            &[("tenant-id", TID), ("cloud-type", "AZURE_US_GOVERNMENT")],
        );
        let inference = active_directory(&app);
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.cloud, Cloud::UsGov);
    }

    #[test]
    fn china_keys_come_from_its_active_directory_endpoint() {
        let app = gateway_app(
            Framework::SpringCloudAzureAad,
            &[("tenant-id", TID), ("cloud-type", "azure_china")],
        );
        let inference = active_directory(&app);
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.chinacloudapi.cn/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.cloud, Cloud::China);
    }

    #[test]
    fn b2c_resource_server_trusts_issuers_on_the_base_uri_host() {
        // upstream: AadB2cTrustedIssuerRepository (host of base-uri only, tfp issuers per flow)
        let app = gateway_app(
            Framework::SpringCloudAzureAadB2c,
            &[
                (
                    "base-uri",
                    "https://contoso.b2clogin.com/contoso.onmicrosoft.com/",
                ),
                ("tenant-id", TID),
                ("user-flows:sign-up-or-sign-in", "B2C_1_susi"),
            ],
        );
        let inference = b2c(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!(
                "https://contoso.b2clogin.com/{TID}/B2C_1_susi/v2.0/.well-known/openid-configuration"
            ))
        );
        assert_eq!(
            inference.issuers,
            [
                format!("https://contoso.b2clogin.com/{TID}/v2.0/"),
                format!("https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/v2.0/"),
            ]
        );
        assert_eq!(inference.family, Family::B2c);
        assert_eq!(inference.policy.as_deref(), Some("B2C_1_susi"));
    }

    #[test]
    fn b2c_web_app_keys_come_from_the_base_uri_with_the_login_flow() {
        // upstream: AadB2cUrl (jwkSetUri: <base-uri>/discovery/v2.0/keys?p=<flow>)
        let app = gateway_app(
            Framework::AzureSpringBootAadB2c,
            &[
                (
                    "base-uri",
                    "https://login.microsoftonline.com/tfp/contoso.onmicrosoft.com/",
                ),
                ("login-flow", "signin"),
                ("user-flows:signin", "B2C_1_signin"),
            ],
        );
        let inference = b2c(&app);
        assert_eq!(
            inference.jwks_uri.as_deref(),
            Some(
                "https://login.microsoftonline.com/tfp/contoso.onmicrosoft.com/discovery/v2.0/keys?p=B2C_1_signin"
            )
        );
        assert_eq!(inference.family, Family::B2c);
    }

    #[test]
    fn a_login_flow_missing_from_user_flows_leaves_the_document_without_a_policy() {
        // upstream: AadB2cProperties.afterPropertiesSet ("Sign in user flow key ... is not in 'user-flows' map.")
        let app = gateway_app(
            Framework::SpringCloudAzureAadB2c,
            &[
                ("base-uri", "https://contoso.b2clogin.com/"),
                ("tenant-id", TID),
                ("user-flows:profile-edit", "B2C_1_edit"),
            ],
        );
        assert_eq!(login_policy(&app), None);
        let inference = b2c(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!(
                "https://contoso.b2clogin.com/{TID}/v2.0/.well-known/openid-configuration"
            ))
        );
    }

    #[test]
    fn legacy_starter_checks_no_tenant_in_the_issuer() {
        // upstream: azure-spring-boot AADJwtIssuerValidator (host prefix only)
        let app = gateway_app(
            Framework::AzureSpringBootAad,
            &[("tenant-id", TID), ("client-id", "c")],
        );
        let inference = legacy_active_directory(&app);
        assert_eq!(inference.issuer_check, IssuerCheck::Disabled);
        assert_eq!(inference.audiences, ["c"]);
        assert_eq!(inference.jwks_uri, None);
    }
}
