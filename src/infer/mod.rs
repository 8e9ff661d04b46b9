//! Stage 5: infer. For every app, what its framework will really do: authority, metadata
//! address, signing keys, token family, cloud, tenant, policy, accepted issuers and audiences.
//! Each framework model lives in its stack's folder (`crate::stacks`); this module holds
//! what they share.

use crate::domain::hosts::Cloud;
use crate::domain::identity_url::{Family, IdentityUrl, document_issuer_of, jwks_uri_of};
use crate::model::{App, Setting};

/// How the framework compares a token's `iss` with what it expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssuerCheck {
    /// Microsoft.Identity.Web's `AadIssuerValidator`: `{tenantid}` templates, v1 and v2 issuers.
    AadIssuerValidator,
    /// IdentityModel's ordinal comparison with the metadata issuer and `ValidIssuer(s)`.
    Exact,
    /// `ValidateIssuer` is false.
    Disabled,
    /// The expected issuer is a `{tenantid}` template and how the framework matches it is not
    /// documented (API Management on common/organizations metadata without `<issuers>`).
    Undocumented,
}

/// Whether the framework compares a token's `aud` with anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudienceCheck {
    /// `aud` must equal one of `audiences`.
    Exact,
    /// No audience is validated: a token issued to any application passes.
    Disabled,
    /// Validation is on with nothing to compare: every token fails (IDX10214 against an
    /// empty list, IDX10208 when there is no list).
    Nothing,
}

/// What a URL-valued setting is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlPurpose {
    Instance,
    Authority,
    MetadataAddress,
    Issuer,
    DownstreamApi,
    Scope,
    /// A JWKS URI read as it is, without discovery (Envoy, Istio's `jwksUri`).
    Keys,
}

impl UrlPurpose {
    /// The purpose decides where signing keys come from.
    pub fn is_sign_in(self) -> bool {
        matches!(
            self,
            UrlPurpose::Instance
                | UrlPurpose::Authority
                | UrlPurpose::MetadataAddress
                | UrlPurpose::Keys
        )
    }
}

#[derive(Clone, Debug)]
pub struct UrlSetting {
    pub purpose: UrlPurpose,
    pub setting: Setting,
    pub url: IdentityUrl,
}

#[derive(Clone, Debug)]
pub struct Inference {
    /// The authority the framework ends up with (after `/v2.0` enforcement where it applies).
    pub authority: Option<String>,
    pub metadata_address: Option<String>,
    /// The settings that decided the metadata address, most decisive first.
    pub metadata_sources: Vec<Setting>,
    pub jwks_uri: Option<String>,
    pub family: Family,
    pub cloud: Cloud,
    pub tenant: Option<String>,
    pub policy: Option<String>,
    /// `v1.0` or `v2.0`: which endpoint's metadata (and so which issuer) is used.
    pub version: Option<&'static str>,
    pub issuer_check: IssuerCheck,
    pub issuers: Vec<String>,
    pub audience_check: AudienceCheck,
    pub audiences: Vec<String>,
    /// The settings that list expected issuers and audiences.
    pub issuer_settings: Vec<Setting>,
    pub audience_settings: Vec<Setting>,
    /// Every URL-valued setting of the app, parsed.
    pub urls: Vec<UrlSetting>,
    /// The framework refuses metadata and keys over http (unless a setting allows it).
    pub https_required: bool,
}

impl Inference {
    /// Where signing keys are read from: the metadata address, else a JWKS URI configured
    /// without discovery (Envoy, Istio's `jwksUri`).
    pub fn metadata_url(&self) -> Option<IdentityUrl> {
        match &self.metadata_address {
            Some(address) => IdentityUrl::parse(address),
            None => self.jwks_uri.as_deref().and_then(IdentityUrl::parse),
        }
    }

    /// The app talks to Microsoft's identity platform, or nothing says otherwise. Apps that
    /// validate tokens of another provider (Keycloak, Auth0, a local test server) are listed
    /// by `inspect` but not held to Entra's rules.
    pub fn is_microsoft(&self) -> bool {
        self.family != Family::Unknown || !self.urls.iter().any(|u| u.purpose.is_sign_in())
    }
}

/// The framework model of `app`: its stack's.
pub fn infer(app: &App) -> Inference {
    crate::stacks::infer(app)
}

/// Fills the fields every framework derives the same way from the metadata address.
pub(crate) struct Derived {
    pub jwks_uri: Option<String>,
    pub family: Family,
    pub cloud: Cloud,
    pub tenant: Option<String>,
    pub policy: Option<String>,
    pub version: Option<&'static str>,
    pub document_issuer: Option<String>,
}

impl Derived {
    /// An inference holding these facts and nothing else: models fill in what they decide with
    /// `Inference { ..., ..derived.into_inference() }`.
    pub(crate) fn into_inference(self) -> Inference {
        Inference {
            authority: None,
            metadata_address: None,
            metadata_sources: Vec::new(),
            jwks_uri: self.jwks_uri,
            family: self.family,
            cloud: self.cloud,
            tenant: self.tenant,
            policy: self.policy,
            version: self.version,
            issuer_check: IssuerCheck::Exact,
            issuers: Vec::new(),
            audience_check: AudienceCheck::Exact,
            audiences: Vec::new(),
            issuer_settings: Vec::new(),
            audience_settings: Vec::new(),
            urls: Vec::new(),
            https_required: true,
        }
    }
}

/// The trimmed, non-empty values of `settings`.
pub(crate) fn texts(settings: &[Setting]) -> Vec<String> {
    settings
        .iter()
        .filter_map(|s| s.text().map(str::to_string))
        .collect()
}

pub(crate) fn derive(metadata_address: Option<&str>) -> Derived {
    // Parsed once: every fact below is read from the same address.
    let url = metadata_address.and_then(IdentityUrl::parse);
    let shape = url.as_ref().map(IdentityUrl::shape).unwrap_or_default();
    let family = url
        .as_ref()
        .map_or(Family::Unknown, |u| u.family_of(&shape));
    Derived {
        jwks_uri: url.as_ref().and_then(|u| jwks_uri_of(u, &shape)),
        family,
        cloud: url.as_ref().map_or(Cloud::Unknown, |u| u.info.cloud),
        version: match (&url, family) {
            (Some(_), Family::Unknown) | (None, _) => None,
            _ if shape.v2_segments > 0 => Some("v2.0"),
            _ => Some("v1.0"),
        },
        document_issuer: url.as_ref().and_then(|u| document_issuer_of(u, &shape)),
        tenant: shape
            .tenant
            .filter(|t| !t.is_empty() && family != Family::Unknown),
        policy: shape.policy.filter(|_| family == Family::B2c),
    }
}

/// OpenID discovery from an issuer as Go stacks do it (oauth2-proxy, istiod): the issuer without
/// its trailing slash, then the well-known path. No policy, no `?appid=` is added.
pub fn discovery_from_issuer(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim().trim_end_matches('/')
    )
}

/// The facts of a JWKS URI configured without discovery: those of the document that publishes
/// it (family, cloud, tenant, policy, version), and the URI itself as the keys. No document
/// issuer: nothing reads the document.
pub(crate) fn derive_from_jwks(jwks_uri: &str) -> Derived {
    let document = crate::domain::identity_url::metadata_for_keys(jwks_uri);
    Derived {
        jwks_uri: Some(jwks_uri.trim().to_string()),
        document_issuer: None,
        ..derive(document.as_deref())
    }
}

/// The facts an issuer tells when keys are given inline (family, cloud, tenant, policy,
/// version): nothing is fetched, so no JWKS URI.
pub(crate) fn derive_from_issuer(issuer: Option<&str>) -> Derived {
    let document = issuer.map(discovery_from_issuer);
    Derived {
        jwks_uri: None,
        document_issuer: None,
        ..derive(document.as_deref())
    }
}

/// The app sets the list option `name` (`name:0`, ...), even to values a template writes.
pub(crate) fn has_list(app: &App, name: &str) -> bool {
    app.bound.iter().any(|(key, _)| {
        key.len() > name.len()
            && key.as_bytes()[name.len()] == b':'
            && key[..name.len()].eq_ignore_ascii_case(name)
    })
}

/// A URL-valued setting with its purpose, when it holds a URL.
pub(crate) fn url_setting(purpose: UrlPurpose, setting: &Setting) -> Option<UrlSetting> {
    IdentityUrl::parse(&setting.value).map(|url| UrlSetting {
        purpose,
        setting: setting.clone(),
        url,
    })
}

/// Rule 1.1 of ASP.NET Core and Katana: `Authority` + `/` (unless present) + `.well-known/openid-configuration`.
pub fn metadata_from_authority(authority: &str) -> String {
    if authority.ends_with('/') {
        format!("{authority}.well-known/openid-configuration")
    } else {
        format!("{authority}/.well-known/openid-configuration")
    }
}

/// The options that locate signing keys, in the order frameworks consult them.
pub(crate) const SIGN_IN_KEYS: &[(&str, UrlPurpose)] = &[
    ("Instance", UrlPurpose::Instance),
    ("Authority", UrlPurpose::Authority),
    ("MetadataAddress", UrlPurpose::MetadataAddress),
];

/// Collects the URL-valued settings of an app.
pub(crate) fn url_settings(
    app: &App,
    sign_in: &[(&str, UrlPurpose)],
    issuers: &[Setting],
) -> Vec<UrlSetting> {
    fn push(urls: &mut Vec<UrlSetting>, purpose: UrlPurpose, setting: &Setting, text: &str) {
        if let Some(url) = IdentityUrl::parse(text) {
            urls.push(UrlSetting {
                purpose,
                setting: setting.clone(),
                url,
            });
        }
    }
    let mut urls = Vec::new();
    for (key, purpose) in sign_in {
        if let Some(setting) = app.setting(key) {
            push(&mut urls, *purpose, setting, &setting.value);
        }
    }
    for setting in issuers {
        push(&mut urls, UrlPurpose::Issuer, setting, &setting.value);
    }
    for api in app.downstream.iter() {
        if let Some(base) = &api.base_url {
            push(&mut urls, UrlPurpose::DownstreamApi, base, &base.value);
        }
        for (scope, setting) in &api.scopes {
            push(&mut urls, UrlPurpose::Scope, setting, scope);
        }
    }
    urls
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::model::{App, Framework, Layer, Setting};
    use crate::source::{FileId, Location, Span};

    /// A string setting of the base layer at the start of file 0.
    pub fn setting(key: &str, value: &str) -> Setting {
        Setting {
            key: key.to_string(),
            value: value.to_string(),
            origin: Location {
                file: FileId(0),
                span: Span::default(),
            },
            key_span: Span::default(),
            layer: Layer::Base,
            is_string: true,
        }
    }

    /// A gateway app whose options are `(key, value)` pairs, as the assembler builds them.
    pub fn gateway_app(framework: Framework, options: &[(&str, &str)]) -> App {
        let bound = options
            .iter()
            .map(|(key, value)| (key.to_string(), setting(key, value)))
            .collect();
        App::from_options(
            framework,
            crate::model::Role::Gateway,
            framework.id().to_string(),
            None,
            Location {
                file: FileId(0),
                span: Span::default(),
            },
            bound,
        )
    }

    /// An app of `framework` reading `section` of one appsettings JSON, in a project targeting
    /// `target` (a moniker such as `net8.0`) when given; a web API (tests set `role`/`code` on
    /// the result as needed).
    pub fn section_app(
        framework: Framework,
        section: &str,
        json: &str,
        target: Option<&str>,
    ) -> App {
        use crate::model::{ConfigLayer, ConfigView, ProjectFacts, Role};
        use crate::stacks::dotnet::appsettings::flatten;
        use std::sync::Arc;
        let root = crate::read::json::parse(json).unwrap().unwrap();
        let (layer, _): (ConfigLayer, _) = flatten(&root, FileId(0), Layer::Base);
        let at = Location {
            file: FileId(1),
            span: Span::default(),
        };
        App {
            framework,
            role: Role::WebApi,
            section: section.into(),
            environment: None,
            file: FileId(0),
            config: Arc::new(ConfigView::from_layers([Arc::new(layer)])),
            downstream: Arc::new(Vec::new()),
            bound: Vec::new(),
            flat: false,
            standalone: false,
            code: None,
            anchor: None,
            project: target.map(|t| {
                Arc::new(ProjectFacts {
                    target_frameworks: vec![(t.to_string(), at)],
                    packages: Vec::new(),
                })
            }),
            unresolved: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_1_1_concatenates_without_doubling_slashes() {
        assert_eq!(
            metadata_from_authority("https://login.microsoftonline.com/T/v2.0/"),
            "https://login.microsoftonline.com/T/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(
            metadata_from_authority("https://login.microsoftonline.com/T/v2.0"),
            "https://login.microsoftonline.com/T/v2.0/.well-known/openid-configuration"
        );
    }
}
