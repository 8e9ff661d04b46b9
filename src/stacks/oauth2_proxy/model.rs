//! oauth2-proxy's `azure`, `entra-id` and `oidc` providers (reference:
//! gateways-and-other-stacks.md §3).

use crate::infer::url_setting;
use crate::infer::{Inference, IssuerCheck, UrlPurpose, derive, discovery_from_issuer};
use crate::model::{App, Setting};

/// `extra_jwt_issuers` entries, `issuer=audience`, split at the first `=`.
pub fn extra_jwt_issuers(app: &App) -> Vec<(&str, &str, &Setting)> {
    app.values("extra_jwt_issuers")
        .into_iter()
        .filter_map(|s| {
            let (issuer, audience) = s.text()?.split_once('=')?;
            Some((issuer.trim(), audience.trim(), s))
        })
        .collect()
}

pub fn infer(app: &App) -> Inference {
    let issuer = app
        .setting("oidc_issuer_url")
        .filter(|s| s.text().is_some());
    let issuer_text = issuer.and_then(Setting::text);
    let discovery = issuer_text.map(discovery_from_issuer);
    let derived = derive(discovery.as_deref());
    let skip_discovery = app.is_on("skip_oidc_discovery");
    let issuer_check = if app.is_on("insecure_oidc_skip_issuer_verification") {
        IssuerCheck::Disabled
    } else {
        IssuerCheck::Exact
    };
    let (metadata_address, jwks_uri) = if skip_discovery {
        (None, app.value("oidc_jwks_url").map(str::to_string))
    } else {
        (discovery, derived.jwks_uri.clone())
    };
    let extra = extra_jwt_issuers(app);
    let mut issuers: Vec<String> = Vec::new();
    if issuer_check != IssuerCheck::Disabled {
        // An extra issuer that repeats the provider's is one accepted issuer.
        for issuer in issuer_text
            .into_iter()
            .chain(extra.iter().map(|(i, _, _)| *i))
        {
            if !issuers.iter().any(|known| known == issuer) {
                issuers.push(issuer.to_string());
            }
        }
    }
    // Each extra_jwt_issuers entry's parts, as settings of their own (at the entry).
    let part = |setting: &Setting, value: &str| Setting {
        value: value.to_string(),
        ..setting.clone()
    };
    let mut audience_settings: Vec<Setting> = app
        .values("oidc_extra_audiences")
        .into_iter()
        .cloned()
        .collect();
    audience_settings.extend(extra.iter().map(|(_, audience, s)| part(s, audience)));
    let audiences = app
        .value("client_id")
        .into_iter()
        .chain(audience_settings.iter().filter_map(Setting::text))
        .map(str::to_string)
        .collect();
    let urls = issuer
        .and_then(|s| url_setting(UrlPurpose::Authority, s))
        .into_iter()
        .collect();
    Inference {
        authority: issuer_text.map(str::to_string),
        metadata_address,
        metadata_sources: issuer.cloned().into_iter().collect(),
        jwks_uri,
        issuer_check,
        issuers,
        audiences,
        // The configured issuers must equal the discovered ones character for character.
        issuer_settings: match issuer_check {
            IssuerCheck::Disabled => Vec::new(),
            _ => issuer
                .cloned()
                .into_iter()
                .chain(extra.iter().map(|(i, _, s)| part(s, i)))
                .collect(),
        },
        audience_settings,
        urls,
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of gateways-and-other-stacks.md §3.4.
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn an_extra_issuer_repeating_the_providers_is_listed_once() {
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let app = gateway_app(
            Framework::Oauth2Proxy,
            &[
                ("provider", "entra-id"),
                ("oidc_issuer_url", &issuer),
                ("client_id", "C"),
                ("extra_jwt_issuers:0", &format!("{issuer}=api://orders")),
            ],
        );
        assert_eq!(infer(&app).issuers, [issuer]);
    }

    #[test]
    fn entra_id_provider_public_v2() {
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let app = gateway_app(
            Framework::Oauth2Proxy,
            &[
                ("provider", "entra-id"),
                ("oidc_issuer_url", &issuer),
                ("client_id", "C"),
            ],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!("{issuer}/.well-known/openid-configuration"))
        );
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.issuers, vec![issuer]);
        assert_eq!(inference.audiences, vec!["C".to_string()]);
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
    }

    #[test]
    fn b2c_tfp_issuer_drops_the_trailing_slash_for_discovery() {
        let issuer = format!("https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/v2.0/");
        let app = gateway_app(
            Framework::Oauth2Proxy,
            &[("provider", "oidc"), ("oidc_issuer_url", &issuer)],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!(
                "https://contoso.b2clogin.com/tfp/{TID}/b2c_1_susi/v2.0/.well-known/openid-configuration"
            ))
        );
        assert_eq!(inference.issuers, vec![issuer]);
        assert_eq!(inference.policy.as_deref(), Some("b2c_1_susi"));
    }

    #[test]
    fn us_government_with_the_generic_provider() {
        let issuer = format!("https://login.microsoftonline.us/{TID}/v2.0");
        let app = gateway_app(
            Framework::Oauth2Proxy,
            &[("provider", "oidc"), ("oidc_issuer_url", &issuer)],
        );
        let inference = infer(&app);
        assert_eq!(inference.cloud, crate::domain::hosts::Cloud::UsGov);
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"
            ))
        );
    }

    #[test]
    fn skipped_discovery_takes_keys_from_the_jwks_url_and_skipped_issuer_checks_nothing() {
        let jwks = format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys?appid=C");
        let app = gateway_app(
            Framework::Oauth2Proxy,
            &[
                ("provider", "oidc"),
                (
                    "oidc_issuer_url",
                    "https://login.microsoftonline.com/common/v2.0",
                ),
                ("skip_oidc_discovery", "true"),
                ("oidc_jwks_url", &jwks),
                ("insecure_oidc_skip_issuer_verification", "true"),
                (
                    "extra_jwt_issuers:0",
                    "https://sts.windows.net/x/=api://orders",
                ),
            ],
        );
        let inference = infer(&app);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.jwks_uri, Some(jwks));
        assert_eq!(inference.issuer_check, IssuerCheck::Disabled);
        assert!(inference.issuers.is_empty());
        assert_eq!(inference.audiences, vec!["api://orders".to_string()]);
    }
}
