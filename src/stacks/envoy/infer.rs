//! What Envoy's `jwt_authn` filter does with one provider: no discovery (the URI must be the
//! key set itself), `issuer` compared exactly when set and not at all when empty, audiences
//! any-of when set and not checked when empty.
//! upstream: envoyproxy/envoy api/envoy/extensions/filters/http/jwt_authn/v3/config.proto
//! (`JwtProvider.issuer`, `.audiences`, `RemoteJwks.http_uri`); google/jwt_verify_lib
//! src/verify.cc via envoy source/extensions/filters/http/jwt_authn/authenticator.cc (empty
//! allowed audiences = success). Notes: docs/stacks-verified.md §7.

use crate::infer::{
    AudienceCheck, Inference, IssuerCheck, UrlPurpose, derive_from_issuer, derive_from_jwks,
    has_list, texts, url_setting,
};
use crate::model::{App, Setting};

pub fn infer(app: &App) -> Inference {
    let issuer = app.setting("issuer");
    let issuer_text = issuer.and_then(Setting::text);
    let keys = app.setting("remote_jwks").filter(|s| s.text().is_some());
    let derived = match keys.and_then(Setting::text) {
        Some(keys) => derive_from_jwks(keys),
        None => derive_from_issuer(issuer_text),
    };
    let mut audience_settings: Vec<Setting> =
        app.values("audiences").into_iter().cloned().collect();
    audience_settings.extend(app.values("route_audiences").into_iter().cloned());
    let urls = [(UrlPurpose::Issuer, issuer), (UrlPurpose::Keys, keys)]
        .into_iter()
        .filter_map(|(purpose, setting)| url_setting(purpose, setting?))
        .collect();
    // An issuer a template writes is unknown, but compared.
    let audiences_listed = has_list(app, "audiences") || has_list(app, "route_audiences");
    provider_checks(
        issuer,
        issuer.is_some(),
        audience_settings,
        audiences_listed,
        Inference {
            metadata_sources: keys.cloned().into_iter().collect(),
            urls,
            ..derived.into_inference()
        },
    )
}

/// What an Envoy `JwtProvider` checks, laid over what its keys tell (`keys`): the issuer exactly
/// when `issuer_checked`, the audiences any-of when listed, none otherwise. Istio's JWT rules
/// become such providers (istio/istio pilot/pkg/security/authn/policy_applier.go), so both
/// stacks fill these fields here.
pub fn provider_checks(
    issuer: Option<&Setting>,
    issuer_checked: bool,
    audience_settings: Vec<Setting>,
    audiences_listed: bool,
    keys: Inference,
) -> Inference {
    Inference {
        issuer_check: if issuer_checked {
            IssuerCheck::Exact
        } else {
            IssuerCheck::Disabled
        },
        issuers: (issuer.and_then(Setting::text))
            .map(str::to_string)
            .into_iter()
            .collect(),
        issuer_settings: (issuer.filter(|s| s.text().is_some()))
            .cloned()
            .into_iter()
            .collect(),
        audience_check: if audiences_listed {
            AudienceCheck::Exact
        } else {
            AudienceCheck::Disabled
        },
        audiences: texts(&audience_settings),
        audience_settings,
        // Both schemes are fetched as written (`jwksUri`: http or https; `http_uri.uri`).
        https_required: false,
        ..keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identity_url::Family;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn provider(options: &[(&str, &str)]) -> Inference {
        infer(&gateway_app(Framework::EnvoyJwtAuthn, options))
    }

    /// config.proto `JwtProvider`: "If specified, ... the `iss` field must match"; remote_jwks
    /// fetches the URI itself (no OpenID discovery).
    #[test]
    fn remote_keys_are_the_uri_itself_and_the_issuer_is_exact() {
        let keys = format!("https://login.microsoftonline.com/{TID}/discovery/keys");
        let issuer = format!("https://sts.windows.net/{TID}/");
        let inference = provider(&[
            ("issuer", &issuer),
            ("remote_jwks", &keys),
            ("audiences:0", "api://orders"),
            ("route_audiences:0", "api://admin"),
        ]);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.jwks_uri, Some(keys));
        assert_eq!(inference.version, Some("v1.0"));
        assert_eq!(inference.family, Family::Entra);
        assert_eq!(inference.issuers, vec![issuer]);
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(inference.audiences, ["api://orders", "api://admin"]);
        assert_eq!(inference.audience_check, AudienceCheck::Exact);
    }

    /// config.proto: an empty `issuer` is not checked, empty `audiences` are not checked.
    #[test]
    fn no_issuer_and_no_audiences_check_nothing() {
        let inference = provider(&[(
            "remote_jwks",
            "https://login.microsoftonline.com/common/discovery/v2.0/keys",
        )]);
        assert_eq!(inference.issuer_check, IssuerCheck::Disabled);
        assert!(inference.issuers.is_empty());
        assert_eq!(inference.audience_check, AudienceCheck::Disabled);
        assert_eq!(inference.tenant.as_deref(), Some("common"));
    }

    #[test]
    fn audiences_a_template_writes_are_still_checked() {
        let inference = provider(&[("issuer", ""), ("audiences:0", "")]);
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(inference.audience_check, AudienceCheck::Exact);
        assert!(inference.audiences.is_empty());
    }

    #[test]
    fn local_keys_fetch_nothing() {
        let issuer = format!("https://login.microsoftonline.us/{TID}/v2.0");
        let inference = provider(&[("issuer", &issuer), ("local_jwks", "/etc/envoy/jwks.json")]);
        assert_eq!(inference.jwks_uri, None);
        assert_eq!(inference.cloud, crate::domain::hosts::Cloud::UsGov);
        assert!(inference.metadata_sources.is_empty());
    }
}
