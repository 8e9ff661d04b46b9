//! Spring Security's JWT resource server and OAuth 2.0 client, as Spring Boot configures them.
//!
//! upstream: spring-projects/spring-boot
//! module/spring-boot-security-oauth2-resource-server/.../autoconfigure/JwtDecoderConfiguration.java
//! (`jwk-set-uri` wins and skips discovery; otherwise `issuer-uri` is discovered lazily; an
//! `issuer-uri` always adds `JwtIssuerValidator`; a non-empty `audiences` adds an any-of `aud`
//! check), module/spring-boot-security-oauth2-client/.../OAuth2ClientPropertiesMapper.java
//! (a provider's `issuer-uri` is discovered at start-up), and spring-projects/spring-security
//! oauth2/oauth2-jose/.../jwt/JwtDecoderProviderConfigurationUtils.java (discovery at
//! `<issuer>/.well-known/openid-configuration` first; the document's `issuer` must equal the
//! configured one).

use crate::infer::url_setting;
use crate::infer::{AudienceCheck, Inference, IssuerCheck, UrlPurpose, derive, texts};
use crate::model::{App, Setting};

/// The first discovery URL Spring tries for an issuer. The path is concatenated and Spring's
/// `UriComponentsBuilder` collapses a doubled slash, so a trailing slash on the issuer still
/// reaches the same document (and then fails the exact comparison).
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim().trim_end_matches('/')
    )
}

/// The option `name` when it holds a value.
pub fn set<'a>(app: &'a App, name: &str) -> Option<&'a Setting> {
    app.setting(name).filter(|s| s.text().is_some())
}

/// The option `name` (or an item of the list `name`) is written, even as a placeholder nothing
/// resolves: Spring then adds its validator, whose expected value is unknown.
pub fn is_written(app: &App, name: &str) -> bool {
    app.bound.iter().any(|(key, _)| {
        key.eq_ignore_ascii_case(name)
            || key
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|index| index.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Where keys and issuers come from for `issuer-uri` and `jwk-set-uri`, shared by the resource
/// server and the client's provider.
fn keys_and_issuer(app: &App) -> Inference {
    let issuer = set(app, "issuer-uri");
    let jwk_set = set(app, "jwk-set-uri");
    let issuer_text = issuer.and_then(Setting::text);
    let discovery = issuer_text.map(discovery_url);
    let derived = derive(discovery.as_deref());
    let (metadata_address, jwks_uri, metadata_sources) = match jwk_set {
        Some(keys) => (None, keys.text().map(str::to_string), vec![keys.clone()]),
        None => (
            discovery,
            derived.jwks_uri.clone(),
            issuer.cloned().into_iter().collect(),
        ),
    };
    let issuer_purpose = if jwk_set.is_some() {
        UrlPurpose::Issuer
    } else {
        UrlPurpose::Authority
    };
    let urls = issuer
        .and_then(|s| url_setting(issuer_purpose, s))
        .into_iter()
        .chain(jwk_set.and_then(|s| url_setting(UrlPurpose::Keys, s)))
        .collect();
    let issuers: Vec<String> = issuer_text.map(str::to_string).into_iter().collect();
    Inference {
        authority: issuer_text
            .filter(|_| jwk_set.is_none())
            .map(str::to_string),
        metadata_address,
        metadata_sources,
        jwks_uri,
        // Without issuer-uri Spring adds no issuer validator.
        issuer_check: if !is_written(app, "issuer-uri") {
            IssuerCheck::Disabled
        } else {
            IssuerCheck::Exact
        },
        issuers,
        issuer_settings: issuer.cloned().into_iter().collect(),
        urls,
        ..derived.into_inference()
    }
}

/// `spring.security.oauth2.resourceserver.jwt`.
pub fn resource_server(app: &App) -> Inference {
    let audience_settings: Vec<Setting> = app.values("audiences").into_iter().cloned().collect();
    let audiences = texts(&audience_settings);
    Inference {
        audience_check: if !is_written(app, "audiences") {
            AudienceCheck::Disabled
        } else {
            AudienceCheck::Exact
        },
        audiences,
        audience_settings,
        ..keys_and_issuer(app)
    }
}

/// A client registration with its provider: ID tokens are for the client id.
pub fn client(app: &App) -> Inference {
    Inference {
        audiences: app
            .value("client-id")
            .map(str::to_string)
            .into_iter()
            .collect(),
        ..keys_and_issuer(app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn server(options: &[(&str, &str)]) -> Inference {
        resource_server(&gateway_app(Framework::SpringResourceServer, options))
    }

    #[test]
    fn issuer_uri_is_discovered_and_compared_exactly() {
        // upstream: spring-security JwtDecoderProviderConfigurationUtils (oidc(issuer) first,
        // validateIssuer equality) and spring-boot JwtDecoderConfiguration (JwtIssuerValidator)
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let inference = server(&[("issuer-uri", &issuer), ("audiences:0", "api://orders")]);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(format!("{issuer}/.well-known/openid-configuration").as_str())
        );
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.issuers, [issuer]);
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(inference.audiences, ["api://orders"]);
        assert_eq!(inference.audience_check, AudienceCheck::Exact);
    }

    #[test]
    fn a_trailing_slash_reaches_the_same_document_but_stays_the_expected_issuer() {
        // upstream: spring-framework UriComponentsBuilder (FullPathComponentBuilder collapses //)
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0/");
        let inference = server(&[("issuer-uri", &issuer)]);
        assert_eq!(
            inference.metadata_address,
            Some(format!(
                "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
            ))
        );
        assert_eq!(inference.issuers, [issuer]);
    }

    #[test]
    fn jwk_set_uri_skips_discovery_and_issuer_uri_is_still_checked() {
        // upstream: spring-boot JwtDecoderConfiguration (JwkSetUriCondition; getValidator adds
        // JwtIssuerValidator whenever issuer-uri is set)
        let keys = format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys");
        let inference = server(&[
            ("jwk-set-uri", &keys),
            ("issuer-uri", "https://contoso.b2clogin.com/x/v2.0/"),
        ]);
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.jwks_uri.as_deref(), Some(keys.as_str()));
        assert_eq!(inference.issuers, ["https://contoso.b2clogin.com/x/v2.0/"]);
        assert_eq!(inference.metadata_sources[0].key, "jwk-set-uri");
        let purposes: Vec<UrlPurpose> = inference.urls.iter().map(|u| u.purpose).collect();
        assert_eq!(purposes, [UrlPurpose::Issuer, UrlPurpose::Keys]);
    }

    #[test]
    fn without_audiences_or_issuer_nothing_is_compared() {
        // upstream: spring-boot JwtDecoderConfiguration (audiences empty: no aud validator)
        let inference = server(&[(
            "jwk-set-uri",
            "https://login.microsoftonline.com/t/discovery/v2.0/keys",
        )]);
        assert_eq!(inference.audience_check, AudienceCheck::Disabled);
        assert_eq!(inference.issuer_check, IssuerCheck::Disabled);
        assert!(inference.issuers.is_empty());
    }

    #[test]
    fn unresolved_placeholders_leave_the_checks_on_with_unknown_values() {
        // `audiences: ${A}, ${B}` and `issuer-uri: .../${TENANT_ID}/v2.0`, blanked by extraction.
        let inference = server(&[("issuer-uri", ""), ("audiences:0", "")]);
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(inference.audience_check, AudienceCheck::Exact);
        assert!(inference.issuers.is_empty() && inference.audiences.is_empty());
    }

    #[test]
    fn common_issuer_uri_loads_the_template_document() {
        let inference = server(&[(
            "issuer-uri",
            "https://login.microsoftonline.com/common/v2.0",
        )]);
        assert_eq!(inference.tenant.as_deref(), Some("common"));
        assert_eq!(
            inference.issuers,
            ["https://login.microsoftonline.com/common/v2.0"]
        );
    }

    #[test]
    fn clients_expect_their_client_id() {
        // upstream: spring-boot OAuth2ClientPropertiesMapper (provider issuer-uri discovery)
        let app = gateway_app(
            Framework::SpringOauth2Client,
            &[
                (
                    "issuer-uri",
                    &format!("https://login.microsoftonline.com/{TID}/v2.0"),
                ),
                ("client-id", "c"),
            ],
        );
        let inference = client(&app);
        assert_eq!(inference.audiences, ["c"]);
        assert!(inference.metadata_address.is_some());
    }
}
