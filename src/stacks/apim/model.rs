//! API Management's `validate-jwt` and `validate-azure-ad-token` policies
//! (reference: gateways-and-other-stacks.md §1.2, §1.3).

use crate::domain::values::tenant_kind;
use crate::infer::url_setting;
use crate::infer::{Derived, Inference, IssuerCheck, UrlPurpose, UrlSetting, derive, texts};
use crate::model::{App, Framework, Setting};

/// The public cloud, which `validate-azure-ad-token` uses without `authentication-endpoint`.
const DEFAULT_ENDPOINT: &str = "https://login.microsoftonline.com";

/// `validate-azure-ad-token` builds its metadata address from the cloud's sign-in endpoint and
/// the tenant: `{endpoint}/{tenant}/v2.0/.well-known/openid-configuration`. The tenant may be
/// written as a URL (`https://contoso.onmicrosoft.com`); the `https://` of the endpoint is optional.
pub fn azure_ad_token_metadata(endpoint: Option<&str>, tenant: &str) -> String {
    let endpoint = endpoint
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .unwrap_or(DEFAULT_ENDPOINT);
    let endpoint = endpoint.trim_end_matches('/');
    let endpoint = if endpoint.contains("://") {
        endpoint.to_string()
    } else {
        format!("https://{endpoint}")
    };
    let tenant = tenant.trim().trim_end_matches('/');
    let tenant = tenant.rsplit('/').next().unwrap_or(tenant);
    format!("{endpoint}/{tenant}/v2.0/.well-known/openid-configuration")
}

fn parsed(purpose: UrlPurpose, settings: &[&Setting]) -> Vec<UrlSetting> {
    settings
        .iter()
        .filter_map(|s| url_setting(purpose, s))
        .collect()
}

/// The facts of a URL that holds named values (`https://login.microsoftonline.com/{{tid}}/v2.0/...`):
/// host, cloud, family and version from its literal parts; the tenant and policy a named value
/// writes, and so the issuer the document states, stay unknown.
fn literal_facts(written: &str) -> Derived {
    let derived = derive(Some(written));
    let literal = |part: Option<String>| part.filter(|p| !p.contains("{{"));
    Derived {
        tenant: literal(derived.tenant),
        policy: literal(derived.policy),
        document_issuer: None,
        ..derived
    }
}

pub fn infer(app: &App) -> Inference {
    let owned = |list: Vec<&Setting>| -> Vec<Setting> { list.into_iter().cloned().collect() };
    let audience_settings = owned(app.values("ValidAudiences"));
    match app.framework {
        Framework::ApimValidateAzureAdToken => {
            let tenant = app.value("TenantId");
            let metadata = tenant.map(|t| azure_ad_token_metadata(app.value("Instance"), t));
            let derived = derive(metadata.as_deref());
            let mut audience_settings = audience_settings;
            audience_settings.extend(owned(app.values("BackendApplicationIds")));
            let mut urls = parsed(
                UrlPurpose::Instance,
                &app.setting("Instance").into_iter().collect::<Vec<_>>(),
            );
            urls.extend(parsed(
                UrlPurpose::Authority,
                &app.setting("TenantId")
                    .into_iter()
                    .filter(|s| s.value.contains("://"))
                    .collect::<Vec<_>>(),
            ));
            Inference {
                authority: metadata.as_deref().map(|m| {
                    m.trim_end_matches("/.well-known/openid-configuration")
                        .to_string()
                }),
                metadata_sources: ["TenantId", "Instance"]
                    .iter()
                    .filter_map(|k| app.setting(k).cloned())
                    .collect(),
                metadata_address: metadata,
                // The policy is made for Entra tokens: v1 and v2 issuers of the tenant, and
                // any tenant's for common/organizations, as Microsoft.Identity.Web's validator.
                issuer_check: IssuerCheck::AadIssuerValidator,
                issuers: derived.document_issuer.clone().into_iter().collect(),
                audiences: texts(&audience_settings),
                audience_settings,
                urls,
                ..derived.into_inference()
            }
        }
        _ => {
            let metadata_setting = app.setting("MetadataAddress").cloned();
            let known = metadata_setting
                .as_ref()
                .and_then(|s| s.text().map(str::to_string));
            // A named value in the URL: what its literal parts say is still known.
            let written = app
                .unresolved("MetadataAddress")
                .filter(|_| known.is_none());
            let derived = match written {
                Some(written) => literal_facts(written),
                None => derive(known.as_deref()),
            };
            let metadata = known.or(written.map(str::to_string));
            let issuer_settings = owned(app.values("ValidIssuers"));
            // `<issuers>`, when given, replaces the issuer of the metadata document.
            let issuers: Vec<String> = if issuer_settings.is_empty() {
                derived.document_issuer.clone().into_iter().collect()
            } else {
                texts(&issuer_settings)
            };
            let mut urls = parsed(
                UrlPurpose::MetadataAddress,
                &metadata_setting.iter().collect::<Vec<_>>(),
            );
            urls.extend(parsed(
                UrlPurpose::Issuer,
                &issuer_settings.iter().collect::<Vec<_>>(),
            ));
            // The docs say the document supplies the issuer; on common/organizations it states a
            // `{tenantid}` template, and whether the policy fills it in is not documented
            // (docs/stacks-verified.md §9).
            let multi_tenant = derived
                .tenant
                .as_deref()
                .is_some_and(|t| tenant_kind(t).is_multi_tenant());
            let issuer_check = if issuer_settings.is_empty() && multi_tenant {
                IssuerCheck::Undocumented
            } else {
                IssuerCheck::Exact
            };
            Inference {
                metadata_address: metadata,
                metadata_sources: metadata_setting.into_iter().collect(),
                issuer_check,
                issuers,
                audiences: texts(&audience_settings),
                issuer_settings,
                audience_settings,
                urls,
                ..derived.into_inference()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of gateways-and-other-stacks.md §1.2 and §1.3.
    use super::*;
    use crate::infer::tests_support::gateway_app;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// docs/stacks-verified.md §9: a named value in the URL hides the tenant, not the cloud.
    #[test]
    fn a_named_value_in_the_metadata_url_keeps_what_the_literal_parts_say() {
        let mut app = gateway_app(
            Framework::ApimValidateJwt,
            &[
                ("MetadataAddress", ""),
                ("ValidAudiences:0", "api://orders"),
            ],
        );
        let written =
            "https://login.microsoftonline.us/{{tenant-id}}/v2.0/.well-known/openid-configuration";
        app.unresolved = vec![("MetadataAddress".into(), written.into())];
        let inference = infer(&app);
        assert_eq!(inference.metadata_address.as_deref(), Some(written));
        assert_eq!(inference.cloud, crate::domain::hosts::Cloud::UsGov);
        assert_eq!(inference.family, crate::domain::identity_url::Family::Entra);
        assert_eq!(inference.version, Some("v2.0"));
        assert_eq!(inference.tenant, None);
        assert!(inference.issuers.is_empty());
        assert_eq!(
            inference.jwks_uri.as_deref(),
            Some("https://login.microsoftonline.us/{{tenant-id}}/discovery/v2.0/keys")
        );
    }

    /// docs/stacks-verified.md §9: common metadata without `<issuers>`: undocumented matching.
    #[test]
    fn common_metadata_without_issuers_is_an_undocumented_check() {
        let common = gateway_app(
            Framework::ApimValidateJwt,
            &[(
                "MetadataAddress",
                "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
            )],
        );
        assert_eq!(infer(&common).issuer_check, IssuerCheck::Undocumented);
        let listed = gateway_app(
            Framework::ApimValidateJwt,
            &[
                (
                    "MetadataAddress",
                    "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
                ),
                ("ValidIssuers:0", "https://login.microsoftonline.com/t/v2.0"),
            ],
        );
        assert_eq!(infer(&listed).issuer_check, IssuerCheck::Exact);
    }

    #[test]
    fn validate_jwt_single_tenant_v2() {
        let metadata = format!(
            "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
        );
        let app = gateway_app(
            Framework::ApimValidateJwt,
            &[
                ("MetadataAddress", &metadata),
                ("ValidAudiences:0", "api-client-id"),
            ],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(metadata.as_str())
        );
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(
            inference.issuers,
            vec![format!("https://login.microsoftonline.com/{TID}/v2.0")]
        );
        assert_eq!(inference.audiences, vec!["api-client-id".to_string()]);
        assert_eq!(inference.version, Some("v2.0"));
    }

    #[test]
    fn validate_jwt_listed_issuers_replace_the_document_issuer() {
        let app = gateway_app(
            Framework::ApimValidateJwt,
            &[
                (
                    "MetadataAddress",
                    "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration",
                ),
                (
                    "ValidIssuers:0",
                    "https://contoso.b2clogin.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/",
                ),
            ],
        );
        let inference = infer(&app);
        assert_eq!(inference.policy.as_deref(), Some("B2C_1_susi"));
        assert_eq!(
            inference.issuers,
            vec![
                "https://contoso.b2clogin.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/"
                    .to_string()
            ]
        );
    }

    #[test]
    fn azure_ad_token_defaults_to_the_public_cloud() {
        assert_eq!(
            azure_ad_token_metadata(None, TID),
            format!(
                "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(
            azure_ad_token_metadata(
                Some("login.microsoftonline.us"),
                "https://contoso.onmicrosoft.com"
            ),
            "https://login.microsoftonline.us/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
        );
    }

    #[test]
    fn azure_ad_token_in_a_national_cloud() {
        let app = gateway_app(
            Framework::ApimValidateAzureAdToken,
            &[
                ("TenantId", TID),
                ("Instance", "https://login.microsoftonline.us"),
                (
                    "BackendApplicationIds:0",
                    "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45",
                ),
            ],
        );
        let inference = infer(&app);
        assert_eq!(inference.cloud, crate::domain::hosts::Cloud::UsGov);
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(
            inference.audiences,
            vec!["5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45".to_string()]
        );
    }
}
