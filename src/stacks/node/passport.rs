//! passport-azure-ad's `BearerStrategy` (web APIs) and `OIDCStrategy` (web apps): what they do
//! with their options. upstream: AzureAD/passport-azure-ad `0fd15d1e` (v4.3.0) lib/bearerstrategy.js,
//! lib/oidcstrategy.js, lib/aadutils.js (`concatUrl`), lib/jsonWebToken.js; see
//! docs/stacks-verified.md §3.

use crate::domain::identity_url::IdentityUrl;
use crate::infer::{AudienceCheck, Inference, IssuerCheck, UrlPurpose, UrlSetting, derive};
use crate::model::{App, Framework, Setting};

/// The metadata address the strategy loads: `identityMetadata`, then (B2C) `p=<policyName>`
/// joined with `&` when a query is already there (`aadutils.concatUrl`). The library's telemetry
/// parameters (`x-client-SKU`, `x-client-Ver`) are left out: they do not change the document.
pub fn metadata_address(identity_metadata: &str, b2c_policy: Option<&str>) -> String {
    let metadata = identity_metadata.trim();
    match b2c_policy {
        Some(policy) => {
            let separator = if metadata.contains('?') { '&' } else { '?' };
            format!("{metadata}{separator}p={}", policy.trim())
        }
        None => metadata.to_string(),
    }
}

/// Only the substring `/common/` makes the endpoint "common" (`options._isCommonEndpoint`);
/// `organizations` and `consumers` are tenant-specific to the library.
pub fn is_common_endpoint(identity_metadata: &str) -> bool {
    identity_metadata.contains("/common/")
}

fn present(setting: Option<&Setting>) -> Option<&Setting> {
    setting.filter(|s| s.text().is_some())
}

pub fn infer(app: &App) -> Inference {
    let metadata_setting = present(app.setting("identityMetadata"));
    let identity_metadata = metadata_setting.and_then(Setting::text);
    // `isB2C !== true` is false: only a real `true` turns B2C on. The bearer strategy appends
    // `policyName`; the OIDC strategy appends the policy each sign-in request names, unknown here.
    let b2c = app.is_on("isB2C");
    let policy = b2c.then(|| app.value("policyName")).flatten();
    let per_request_policy = b2c && app.framework == Framework::PassportOidc;
    let metadata = identity_metadata
        .filter(|_| !per_request_policy)
        .map(|m| metadata_address(m, policy));
    let derived = derive(metadata.as_deref());
    let validate_issuer = !app.setting("validateIssuer").is_some_and(Setting::is_false);
    let issuer_settings: Vec<Setting> = app.values("issuer").into_iter().cloned().collect();
    let common = identity_metadata.is_some_and(is_common_endpoint);
    let (issuer_check, issuers) = if !validate_issuer {
        (IssuerCheck::Disabled, Vec::new())
    } else if !issuer_settings.is_empty() {
        (IssuerCheck::Exact, crate::infer::texts(&issuer_settings))
    } else if common {
        // The request fails before any comparison: the library needs `issuer` on /common/.
        (IssuerCheck::Exact, Vec::new())
    } else {
        (
            IssuerCheck::Exact,
            derived.document_issuer.clone().into_iter().collect(),
        )
    };
    // Set but unknown (read from the environment) is kept: it is not the same as missing.
    let client_setting = app.setting("clientID");
    let client_id = present(client_setting);
    let audience_settings: Vec<Setting> = match app.framework {
        // ID tokens: `options.audience` is forced to the client id.
        Framework::PassportOidc => client_setting.cloned().into_iter().collect(),
        _ => {
            let configured: Vec<Setting> = app.values("audience").into_iter().cloned().collect();
            if configured.is_empty() {
                client_setting.cloned().into_iter().collect()
            } else {
                configured
            }
        }
    };
    let audiences = audiences(app, &audience_settings);
    let mut urls: Vec<UrlSetting> = Vec::new();
    let mut push = |purpose: UrlPurpose, setting: &Setting| {
        if let Some(url) = setting.text().and_then(IdentityUrl::parse) {
            urls.push(UrlSetting {
                purpose,
                setting: setting.clone(),
                url,
            });
        }
    };
    if let Some(setting) = metadata_setting {
        push(UrlPurpose::MetadataAddress, setting);
    }
    for setting in &issuer_settings {
        push(UrlPurpose::Issuer, setting);
    }
    Inference {
        authority: None,
        metadata_address: metadata,
        metadata_sources: metadata_setting.cloned().into_iter().collect(),
        issuer_check,
        issuers,
        // Without any client id the strategy refuses to start; one set from the environment is
        // only unknown here.
        audience_check: if audience_settings.is_empty() {
            AudienceCheck::Nothing
        } else {
            AudienceCheck::Exact
        },
        audiences,
        issuer_settings: if validate_issuer {
            issuer_settings
        } else {
            Vec::new()
        },
        audience_settings,
        urls,
        client_id: client_id.cloned(),
        // Only the bearer strategy's constructor insists on https (lib/bearerstrategy.js).
        https_required: app.framework == Framework::PassportBearer,
        b2c_settings: if b2c {
            (app.setting("isB2C").into_iter())
                .chain(present(app.setting("policyName")))
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
        ..derived.into_inference()
    }
}

/// A configured `audience` (string or array) is used as given; without one the bearer strategy
/// accepts `clientID` and `spn:<clientID>`.
fn audiences(app: &App, settings: &[Setting]) -> Vec<String> {
    let values = crate::infer::texts(settings);
    let defaulted = app.framework == Framework::PassportBearer
        && !app.values("audience").iter().any(|s| s.text().is_some());
    if defaulted {
        values
            .into_iter()
            .flat_map(|id| [format!("spn:{id}"), id])
            .rev()
            .collect()
    } else {
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const CLIENT: &str = "6e74172b-be56-4843-9ff4-e66a39bb12e3";

    fn bearer(options: &[(&str, &str)]) -> Inference {
        infer(&gateway_app(Framework::PassportBearer, options))
    }

    #[test]
    fn tenant_metadata_checks_the_document_issuer_and_defaults_the_audience_to_the_client_id() {
        // upstream: lib/bearerstrategy.js (audience default `[clientID, 'spn:' + clientID]`,
        // issuer from `metadata.oidc.issuer` when validating without `issuer`).
        let metadata = format!(
            "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
        );
        let inference = bearer(&[("identityMetadata", &metadata), ("clientID", CLIENT)]);
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
        assert_eq!(
            inference.audiences,
            vec![CLIENT.to_string(), format!("spn:{CLIENT}")]
        );
    }

    #[test]
    fn a_string_audience_is_used_alone() {
        // upstream: lib/bearerstrategy.js `options.audience = [options.audience]`.
        let inference = bearer(&[
            (
                "identityMetadata",
                "https://login.microsoftonline.com/T/v2.0/.well-known/openid-configuration",
            ),
            ("clientID", CLIENT),
            ("audience", "api://orders"),
        ]);
        assert_eq!(inference.audiences, vec!["api://orders".to_string()]);
    }

    #[test]
    fn b2c_appends_the_policy_as_a_query_parameter() {
        // upstream: lib/bearerstrategy.js `concatUrl(params.metadataURL, \`p=${policyName}\`)`.
        let inference = bearer(&[
            (
                "identityMetadata",
                "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/v2.0/.well-known/openid-configuration",
            ),
            ("clientID", CLIENT),
            ("isB2C", "true"),
            ("policyName", "B2C_1_susi"),
        ]);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi"
            )
        );
        assert_eq!(inference.family, crate::domain::identity_url::Family::B2c);
        assert_eq!(
            metadata_address(
                "https://x/.well-known/openid-configuration?appid=A",
                Some("b2c_1_x")
            ),
            "https://x/.well-known/openid-configuration?appid=A&p=b2c_1_x"
        );
    }

    #[test]
    fn a_policy_without_is_b2c_is_ignored() {
        let inference = bearer(&[
            (
                "identityMetadata",
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
            ),
            ("clientID", CLIENT),
            ("policyName", "B2C_1_susi"),
        ]);
        assert!(!inference.metadata_address.unwrap().contains("p="));
    }

    #[test]
    fn only_slash_common_slash_is_common() {
        // upstream: lib/bearerstrategy.js `identityMetadata.indexOf('/common/') != -1`.
        assert!(is_common_endpoint(
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
        ));
        assert!(!is_common_endpoint(
            "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
        ));
        let common = bearer(&[
            (
                "identityMetadata",
                "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
            ),
            ("clientID", CLIENT),
        ]);
        assert!(common.issuers.is_empty());
        let organizations = bearer(&[
            (
                "identityMetadata",
                "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
            ),
            ("clientID", CLIENT),
        ]);
        assert_eq!(
            organizations.issuers,
            vec!["https://login.microsoftonline.com/{tenantid}/v2.0".to_string()]
        );
    }

    #[test]
    fn configured_issuers_and_switched_off_validation() {
        let metadata =
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";
        let listed = bearer(&[
            ("identityMetadata", metadata),
            ("clientID", CLIENT),
            ("issuer:0", "https://login.microsoftonline.com/a/v2.0"),
            ("issuer:1", "https://login.microsoftonline.com/b/v2.0"),
        ]);
        assert_eq!(listed.issuers.len(), 2);
        assert_eq!(listed.issuer_settings.len(), 2);
        let off = bearer(&[
            ("identityMetadata", metadata),
            ("clientID", CLIENT),
            ("validateIssuer", "false"),
            ("issuer", "https://login.microsoftonline.com/a/v2.0"),
        ]);
        assert_eq!(off.issuer_check, IssuerCheck::Disabled);
        assert!(off.issuers.is_empty() && off.issuer_settings.is_empty());
    }

    #[test]
    fn oidc_strategy_takes_the_b2c_policy_from_each_request() {
        // upstream: lib/oidcstrategy.js `metadataUrl.concat(\`&p=${params.policy}\`)`.
        let inference = infer(&gateway_app(
            Framework::PassportOidc,
            &[
                (
                    "identityMetadata",
                    "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/v2.0/.well-known/openid-configuration",
                ),
                ("clientID", CLIENT),
                ("isB2C", "true"),
                ("policyName", "B2C_1_susi"),
            ],
        ));
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.metadata_sources.len(), 1);
    }

    #[test]
    fn oidc_strategy_expects_its_client_id() {
        // upstream: lib/oidcstrategy.js `options.audience = options.clientID` (ID tokens).
        let inference = infer(&gateway_app(
            Framework::PassportOidc,
            &[
                (
                    "identityMetadata",
                    "https://login.microsoftonline.com/T/v2.0/.well-known/openid-configuration",
                ),
                ("clientID", CLIENT),
                ("audience", "api://ignored"),
            ],
        ));
        assert_eq!(inference.audiences, vec![CLIENT.to_string()]);
    }
}
