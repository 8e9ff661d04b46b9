//! What istiod and Envoy do with one JWT rule.
//! upstream: istio/istio pilot/pkg/security/authn/policy_applier.go (`convertToEnvoyJwtConfig`:
//! issuer and audiences copied verbatim into an Envoy `JwtProvider`), pilot/pkg/model/jwks_resolver.go
//! (`resolveJwksURIUsingOpenID`: the issuer without its trailing slash + the well-known path; the
//! document's `issuer` is never compared). Notes: docs/stacks-verified.md §6.

use crate::infer::{
    Inference, UrlPurpose, derive, derive_from_issuer, derive_from_jwks, discovery_from_issuer,
    has_list, url_setting,
};
use crate::model::{App, Setting};
use crate::stacks::envoy::infer::provider_checks;

pub fn infer(app: &App) -> Inference {
    let issuer = app.setting("issuer").filter(|s| s.text().is_some());
    let keys = app.setting("jwksUri").filter(|s| s.text().is_some());
    let inline_keys = app.setting("jwks").is_some_and(|s| s.text().is_some());
    let issuer_text = issuer.and_then(Setting::text);
    // istiod discovers the keys only when the rule names none.
    let discovery = (keys.is_none() && !inline_keys)
        .then(|| issuer_text.map(discovery_from_issuer))
        .flatten();
    let derived = match (keys.and_then(Setting::text), &discovery) {
        (Some(keys), _) => derive_from_jwks(keys),
        (None, Some(document)) => derive(Some(document)),
        // Inline keys: the issuer still tells the family, cloud and tenant.
        (None, None) => derive_from_issuer(issuer_text),
    };
    let audience_settings: Vec<Setting> = app.values("audiences").into_iter().cloned().collect();
    // With discovery the issuer decides where keys come from.
    let issuer_purpose = if discovery.is_some() {
        UrlPurpose::Authority
    } else {
        UrlPurpose::Issuer
    };
    let urls = [(issuer_purpose, issuer), (UrlPurpose::Keys, keys)]
        .into_iter()
        .filter_map(|(purpose, setting)| url_setting(purpose, setting?))
        .collect();
    // Envoy compares `iss` with the rule's issuer character for character (a rule always has
    // one); no audiences: Envoy checks none.
    provider_checks(
        issuer,
        true,
        audience_settings,
        has_list(app, "audiences"),
        Inference {
            authority: discovery.as_ref().and(issuer_text).map(str::to_string),
            metadata_address: discovery.clone(),
            metadata_sources: keys
                .or(discovery.as_ref().and(issuer))
                .cloned()
                .into_iter()
                .collect(),
            urls,
            ..derived.into_inference()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identity_url::Family;
    use crate::infer::tests_support::gateway_app;
    use crate::infer::{AudienceCheck, IssuerCheck};
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn rule(options: &[(&str, &str)]) -> Inference {
        infer(&gateway_app(Framework::IstioRequestAuthentication, options))
    }

    /// upstream: istio/istio pilot/pkg/model/jwks_resolver.go `resolveJwksURIUsingOpenID`
    /// (`strings.TrimSuffix(issuer, "/")` + "/.well-known/openid-configuration").
    #[test]
    fn without_jwks_uri_istiod_discovers_from_the_issuer_without_its_slash() {
        let issuer = format!("https://sts.windows.net/{TID}/");
        let inference = rule(&[("issuer", &issuer), ("audiences:0", "api://orders")]);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                format!("https://sts.windows.net/{TID}/.well-known/openid-configuration").as_str()
            )
        );
        assert_eq!(inference.issuers, vec![issuer]);
        assert_eq!(inference.audiences, vec!["api://orders".to_string()]);
        assert_eq!(inference.audience_check, AudienceCheck::Exact);
        assert_eq!(inference.urls[0].purpose, UrlPurpose::Authority);
    }

    /// upstream: istio/istio pilot/pkg/security/authn/policy_applier.go `convertToEnvoyJwtConfig`
    /// (a `jwksUri` is used as written; audiences copied, none = no check).
    #[test]
    fn a_jwks_uri_is_used_as_written_and_no_audiences_check_nothing() {
        let keys = format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys");
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let inference = rule(&[("issuer", &issuer), ("jwksUri", &keys)]);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.jwks_uri, Some(keys));
        assert_eq!(inference.family, Family::Entra);
        assert_eq!(inference.version, Some("v2.0"));
        assert_eq!(inference.tenant.as_deref(), Some(TID));
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(inference.audience_check, AudienceCheck::Disabled);
        assert_eq!(inference.metadata_sources[0].key, "jwksUri");
        let purposes: Vec<UrlPurpose> = inference.urls.iter().map(|u| u.purpose).collect();
        assert_eq!(purposes, [UrlPurpose::Issuer, UrlPurpose::Keys]);
    }

    #[test]
    fn b2c_issuer_with_entra_keys_keeps_both_families_visible() {
        let inference = rule(&[
            (
                "issuer",
                "https://contoso.b2clogin.com/11111111-2222-3333-4444-555555555555/v2.0/",
            ),
            (
                "jwksUri",
                &format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"),
            ),
        ]);
        assert_eq!(inference.family, Family::Entra, "the keys' family");
        assert_eq!(inference.urls[0].url.family(), Family::B2c);
    }

    #[test]
    fn inline_keys_fetch_nothing() {
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let inference = rule(&[("issuer", &issuer), ("jwks", "{\"keys\": []}")]);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.jwks_uri, None);
        assert_eq!(inference.family, Family::Entra);
        assert!(inference.metadata_sources.is_empty());
    }
}
