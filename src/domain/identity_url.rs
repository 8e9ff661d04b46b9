//! Parsing of authority, instance, metadata and issuer URLs into the parts the frameworks and
//! Entra care about: host and cloud, tenant, B2C policy, endpoint version, endpoint suffixes.
//!
//! The parser keeps the text as written (no percent-encoding, no case folding of the path), so
//! `{0}` placeholders, doubled slashes and trailing slashes stay visible to the rules.

use super::hosts::{Cloud, HostInfo, HostKind, classify_host};
use super::values::{CONSUMERS_TENANT_ID, TenantKind, tenant_kind};
use serde::Serialize;

pub const WELL_KNOWN_SUFFIX: &str = "/.well-known/openid-configuration";

/// Which token issuer a configuration talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Entra,
    B2c,
    Ciam,
    Unknown,
}

impl Family {
    pub fn id(self) -> &'static str {
        match self {
            Family::Entra => "entra",
            Family::B2c => "b2c",
            Family::Ciam => "ciam",
            Family::Unknown => "unknown",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Family::Entra => "Entra ID (workforce)",
            Family::B2c => "Azure AD B2C",
            Family::Ciam => "Entra External ID",
            Family::Unknown => "an unknown issuer",
        }
    }
}

/// What follows the tenant (and policy, and `v2.0`) in a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// `/.well-known/openid-configuration`
    WellKnown,
    /// `/oauth2/...` (authorize, token)
    OAuth2,
    /// `/discovery/...` (keys)
    Discovery,
    /// `/federationmetadata/...` (WS-Federation metadata)
    FederationMetadata,
    /// `/saml2`, `/wsfed`
    Protocol,
    /// Something else.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityUrl {
    pub scheme: String,
    /// Lower-cased host name without port.
    pub host: String,
    pub port: Option<String>,
    pub info: HostInfo,
    /// The path as written, starting with `/` (empty when the URL has no path).
    pub path: String,
    /// The query as written, without `?`.
    pub query: Option<String>,
}

/// The meaning of a path on an identity host.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PathShape {
    pub tfp: bool,
    /// The tenant segment; `Some("")` for an empty segment (`//`).
    pub tenant: Option<String>,
    /// The B2C policy, from the path or the `p` query parameter.
    pub policy: Option<String>,
    pub policy_in_query: bool,
    /// How many `v2.0` segments follow the tenant (and policy).
    pub v2_segments: usize,
    /// A `v1.0` segment follows the tenant.
    pub v1_segment: bool,
    pub endpoint: Option<Endpoint>,
    /// `.well-known` appears more than once.
    pub repeated_well_known: bool,
}

const KEYWORD_SEGMENTS: &[&str] = &[
    "v2.0",
    "v1.0",
    ".well-known",
    "oauth2",
    "discovery",
    "federationmetadata",
    "saml2",
    "wsfed",
    "openid-configuration",
];

fn is_keyword(segment: &str) -> bool {
    KEYWORD_SEGMENTS
        .iter()
        .any(|k| segment.eq_ignore_ascii_case(k))
}

/// B2C user flows and custom policies are named `B2C_1_...` and `B2C_1A_...`.
pub fn is_b2c_policy_name(value: &str) -> bool {
    starts_with_longer(value, "b2c_1_") || starts_with_longer(value, "b2c_1a_")
}

/// Custom policies (`B2C_1A_`) sign with the keys their policy names; user flows with the tenant's.
pub fn is_b2c_custom_policy(policy: &str) -> bool {
    starts_with_longer(policy, "b2c_1a_")
}

/// `value` starts with the ASCII `prefix` (any case) and goes on. Compared as bytes: a
/// multi-byte character may sit where the prefix ends.
fn starts_with_longer(value: &str, prefix: &str) -> bool {
    value.len() > prefix.len()
        && value.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl IdentityUrl {
    /// Parses an absolute `scheme://host[:port][/path][?query][#fragment]` URL; `None` otherwise.
    pub fn parse(text: &str) -> Option<IdentityUrl> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://")?;
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return None;
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') && p.bytes().all(|b| b.is_ascii_digit()) => {
                (h, Some(p.to_string()))
            }
            _ => (host_port, None),
        };
        if host.is_empty() {
            return None;
        }
        let after = &rest[authority_end..];
        let after = after.split_once('#').map_or(after, |(a, _)| a);
        let (path, query) = match after.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (after, None),
        };
        let host = host.to_ascii_lowercase();
        Some(IdentityUrl {
            scheme: scheme.to_ascii_lowercase(),
            info: classify_host(&host),
            host,
            port,
            path: path.to_string(),
            query,
        })
    }

    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    pub fn is_loopback(&self) -> bool {
        self.host == "localhost" || self.host.starts_with("127.") || self.host == "[::1]"
    }

    /// `scheme://host[:port]`
    pub fn origin(&self) -> String {
        match &self.port {
            Some(port) => format!("{}://{}:{}", self.scheme, self.host, port),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// Path segments; a trailing slash adds no segment, a doubled slash adds an empty one.
    pub fn segments(&self) -> Vec<&str> {
        let path = self.path.strip_prefix('/').unwrap_or(&self.path);
        let path = path.strip_suffix('/').unwrap_or(path);
        if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').collect()
        }
    }

    pub fn query_pairs(&self) -> Vec<(&str, &str)> {
        self.query
            .as_deref()
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect()
    }

    /// The value of a query parameter, compared case-insensitively (`appid`, `appId`).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The path ends with `/.well-known/openid-configuration`.
    pub fn is_metadata_url(&self) -> bool {
        let path = self.path.trim_end_matches('/');
        path.len() >= WELL_KNOWN_SUFFIX.len()
            && path[path.len() - WELL_KNOWN_SUFFIX.len()..].eq_ignore_ascii_case(WELL_KNOWN_SUFFIX)
    }

    pub fn shape(&self) -> PathShape {
        let segments = self.segments();
        let mut shape = PathShape::default();
        let mut i = 0;
        if segments
            .first()
            .is_some_and(|s| s.eq_ignore_ascii_case("tfp"))
        {
            shape.tfp = true;
            i += 1;
        }
        if let Some(segment) = segments.get(i)
            && !is_keyword(segment)
        {
            shape.tenant = Some(segment.to_string());
            i += 1;
        }
        if let Some(segment) = segments.get(i) {
            let policy_position = shape.tfp
                || matches!(self.info.kind, HostKind::B2c | HostKind::Other)
                || is_b2c_policy_name(segment);
            if !is_keyword(segment) && policy_position && shape.tenant.is_some() {
                shape.policy = Some(segment.to_string());
                i += 1;
            }
        }
        while segments
            .get(i)
            .is_some_and(|s| s.eq_ignore_ascii_case("v2.0"))
        {
            shape.v2_segments += 1;
            i += 1;
        }
        if shape.v2_segments == 0
            && segments
                .get(i)
                .is_some_and(|s| s.eq_ignore_ascii_case("v1.0"))
        {
            shape.v1_segment = true;
            i += 1;
        }
        shape.endpoint = segments
            .get(i)
            .map(|s| match s.to_ascii_lowercase().as_str() {
                ".well-known" => Endpoint::WellKnown,
                "oauth2" => Endpoint::OAuth2,
                "discovery" => Endpoint::Discovery,
                "federationmetadata" => Endpoint::FederationMetadata,
                "saml2" | "wsfed" => Endpoint::Protocol,
                _ => Endpoint::Other,
            });
        shape.repeated_well_known = segments
            .iter()
            .filter(|s| s.eq_ignore_ascii_case(".well-known"))
            .count()
            > 1;
        if shape.policy.is_none()
            && let Some(p) = self.query_param("p")
        {
            shape.policy = Some(p.to_string());
            shape.policy_in_query = true;
        }
        shape
    }

    /// The token family this URL points at, judged from the host and the path.
    pub fn family(&self) -> Family {
        self.family_of(&self.shape())
    }

    /// [`IdentityUrl::family`] with the path's shape already worked out.
    pub fn family_of(&self, shape: &PathShape) -> Family {
        let b2c_path = shape.tfp
            || shape.policy_in_query
            || shape.policy.as_deref().is_some_and(is_b2c_policy_name);
        match self.info.kind {
            HostKind::B2c => Family::B2c,
            HostKind::Ciam => Family::Ciam,
            HostKind::EntraLogin | HostKind::EntraIssuer if b2c_path => Family::B2c,
            HostKind::EntraLogin | HostKind::EntraIssuer => Family::Entra,
            HostKind::Other if b2c_path => Family::B2c,
            _ => Family::Unknown,
        }
    }

    /// The host belongs to Microsoft's identity platform, or the path is unmistakably B2C's
    /// (a custom domain in front of a user flow).
    pub fn is_microsoft_identity(&self) -> bool {
        self.info.is_identity_host() || self.family() == Family::B2c
    }
}

/// The signing-key URI a discovery document at `metadata_address` publishes:
/// `{prefix}/v2.0/.well-known/openid-configuration?{q}` has keys at
/// `{prefix}/discovery/v2.0/keys?{q}`, and the v1 document at `{prefix}/discovery/keys?{q}`.
/// `None` when no such document exists or the host is not Microsoft's.
pub fn jwks_uri(metadata_address: &str) -> Option<String> {
    let url = IdentityUrl::parse(metadata_address)?;
    jwks_uri_of(&url, &url.shape())
}

/// [`jwks_uri`] of a parsed address and its shape: callers that need several facts of one
/// address parse it once.
pub fn jwks_uri_of(url: &IdentityUrl, shape: &PathShape) -> Option<String> {
    let family = url.family_of(shape);
    let microsoft = url.info.is_identity_host() || family == Family::B2c;
    if !url.is_metadata_url() || !microsoft {
        return None;
    }
    if shape.repeated_well_known
        || shape.tenant.as_deref().is_none_or(str::is_empty)
        || shape.v2_segments > 1
    {
        return None;
    }
    if family == Family::B2c && shape.policy.is_none() {
        return None;
    }
    let path = url.path.trim_end_matches('/');
    let prefix = &path[..path.len() - WELL_KNOWN_SUFFIX.len()];
    let keys = match prefix.strip_suffix("/v2.0") {
        Some(base) => format!("{base}/discovery/v2.0/keys"),
        None if family == Family::Entra => format!("{prefix}/discovery/keys"),
        None => return None,
    };
    let query = url
        .query
        .as_deref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    Some(format!("{}{keys}{query}", url.origin()))
}

/// The discovery document whose `jwks_uri` is `keys`: the inverse of [`jwks_uri`], for stacks
/// configured with a JWKS URI and no discovery (Envoy, Istio's `jwksUri`), so the keys' family,
/// cloud, tenant, policy and version are known. A metadata URL given where keys are expected is
/// returned as it is.
pub fn metadata_for_keys(keys: &str) -> Option<String> {
    let url = IdentityUrl::parse(keys)?;
    if !url.is_microsoft_identity() {
        return None;
    }
    if url.is_metadata_url() {
        return Some(keys.trim().to_string());
    }
    let path = url.path.trim_end_matches('/');
    let lower = path.to_ascii_lowercase();
    let prefix = if lower.ends_with("/discovery/v2.0/keys") {
        format!(
            "{}/v2.0",
            &path[..path.len() - "/discovery/v2.0/keys".len()]
        )
    } else if lower.ends_with("/discovery/keys") {
        path[..path.len() - "/discovery/keys".len()].to_string()
    } else {
        return None;
    };
    let query = url
        .query
        .as_deref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    Some(format!(
        "{}{prefix}{WELL_KNOWN_SUFFIX}{query}",
        url.origin()
    ))
}

/// The `issuer` a Microsoft discovery document at `metadata_address` states. A tenant known only
/// by its domain, and the multi-tenant template, are written `{tenantid}`.
pub fn document_issuer(metadata_address: &str) -> Option<String> {
    let url = IdentityUrl::parse(metadata_address)?;
    document_issuer_of(&url, &url.shape())
}

/// [`document_issuer`] of a parsed address and its shape.
pub fn document_issuer_of(url: &IdentityUrl, shape: &PathShape) -> Option<String> {
    jwks_uri_of(url, shape)?;
    let tenant = shape.tenant.as_deref().unwrap_or_default();
    let tenant_id = match tenant_kind(tenant) {
        TenantKind::Guid => tenant.to_ascii_lowercase(),
        TenantKind::Consumers => CONSUMERS_TENANT_ID.to_string(),
        _ => "{tenantid}".to_string(),
    };
    let cloud = url.info.cloud;
    Some(match url.family_of(shape) {
        Family::Entra if shape.v2_segments == 1 => {
            format!("https://{}/{tenant_id}/v2.0", cloud.v2_issuer_host())
        }
        Family::Entra => format!("https://{}/{tenant_id}/", cloud.v1_issuer_host()),
        Family::B2c if url.info.kind == HostKind::EntraLogin => {
            format!("https://{}/{tenant_id}/v2.0/", url.host)
        }
        Family::B2c => format!("https://{}/{tenant_id}/v2.0/", url.host),
        Family::Ciam => format!("https://{tenant_id}.ciamlogin.com/{tenant_id}/v2.0"),
        Family::Unknown => return None,
    })
}

/// The cloud a URL's host belongs to; `Unknown` for custom domains and other providers.
pub fn cloud_of(text: &str) -> Cloud {
    IdentityUrl::parse(text).map_or(Cloud::Unknown, |u| u.info.cloud)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_beside_multi_byte_characters() {
        // Found by tests/stack_spring.rs property tests: a BOM where the prefix ends.
        assert!(!is_b2c_policy_name("v2.0\u{feff}"));
        assert!(!is_b2c_custom_policy("b2c_1\u{e9}x"));
        assert!(is_b2c_policy_name("B2C_1_susi"));
        assert!(is_b2c_custom_policy("B2C_1A_signin"));
    }

    const TID: &str = "e21bbca2-1b75-4dea-9e34-d3d95d2ec661";
    const APPID: &str = "06051593-1954-4e1f-a75f-7e5de243aeff";

    #[test]
    fn jwks_uris_from_the_issue_table() {
        let cases = [
            (
                "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration".to_string(),
                "https://login.microsoftonline.com/common/discovery/v2.0/keys".to_string(),
            ),
            (
                format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"),
                format!("https://login.microsoftonline.com/{TID}/discovery/v2.0/keys"),
            ),
            (
                format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration?appid={APPID}"),
                format!("https://login.microsoftonline.us/{TID}/discovery/v2.0/keys?appid={APPID}"),
            ),
            (
                "https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration"
                    .to_string(),
                "https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/b2c_1_susi/discovery/v2.0/keys".to_string(),
            ),
        ];
        for (metadata, keys) in cases {
            assert_eq!(
                jwks_uri(&metadata).as_deref(),
                Some(keys.as_str()),
                "{metadata}"
            );
        }
    }

    #[test]
    fn keys_lead_back_to_their_document() {
        let documents = [
            format!("https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"),
            format!("https://login.microsoftonline.com/{TID}/.well-known/openid-configuration"),
            format!("https://login.microsoftonline.us/{TID}/v2.0/.well-known/openid-configuration?appid={APPID}"),
            "https://t.b2clogin.com/t.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration".to_string(),
            "https://t.b2clogin.com/t.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi".to_string(),
        ];
        for document in documents {
            let keys = jwks_uri(&document).unwrap();
            assert_eq!(
                metadata_for_keys(&keys).as_deref(),
                Some(document.as_str()),
                "{keys}"
            );
        }
        let metadata = format!(
            "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(metadata_for_keys(&metadata), Some(metadata.clone()));
        assert_eq!(
            metadata_for_keys("https://www.googleapis.com/oauth2/v3/certs"),
            None
        );
        assert_eq!(
            metadata_for_keys(&format!(
                "https://login.microsoftonline.com/{TID}/oauth2/v2.0/token"
            )),
            None
        );
    }

    #[test]
    fn jwks_for_v1_and_policy_query_documents() {
        assert_eq!(
            jwks_uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/.well-known/openid-configuration").as_deref(),
            Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/discovery/keys")
        );
        assert_eq!(
            jwks_uri("https://t.b2clogin.com/t.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi").as_deref(),
            Some("https://t.b2clogin.com/t.onmicrosoft.com/discovery/v2.0/keys?p=B2C_1_susi")
        );
    }

    #[test]
    fn no_jwks_for_documents_that_do_not_exist() {
        // B2C without a policy, a doubled well-known path, an authority in a query, another provider.
        assert_eq!(
            jwks_uri(
                "https://t.b2clogin.com/t.onmicrosoft.com/v2.0/.well-known/openid-configuration"
            ),
            None
        );
        assert_eq!(
            jwks_uri(&format!(
                "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration/.well-known/openid-configuration"
            )),
            None
        );
        assert_eq!(
            jwks_uri(&format!(
                "https://login.microsoftonline.com/{TID}/v2.0?appid={APPID}/.well-known/openid-configuration"
            )),
            None
        );
        assert_eq!(
            jwks_uri("https://accounts.google.com/.well-known/openid-configuration"),
            None
        );
    }

    #[test]
    fn shapes_of_b2c_paths() {
        let url = IdentityUrl::parse(
            "https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/",
        )
        .unwrap();
        let shape = url.shape();
        assert!(shape.tfp);
        assert_eq!(shape.tenant.as_deref(), Some("fabrikamb2c.onmicrosoft.com"));
        assert_eq!(shape.policy.as_deref(), Some("B2C_1_susi"));
        assert_eq!(shape.v2_segments, 1);
        assert_eq!(url.family(), Family::B2c);

        let custom =
            IdentityUrl::parse("https://login.contoso.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0")
                .unwrap();
        assert_eq!(custom.family(), Family::B2c);
        let query = IdentityUrl::parse("https://login.microsoftonline.com/t.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=b2c_1_x").unwrap();
        assert!(query.shape().policy_in_query);
        assert_eq!(query.family(), Family::B2c);
    }

    #[test]
    fn shapes_of_entra_paths() {
        let url = IdentityUrl::parse(&format!(
            "https://login.microsoftonline.com/{TID}/oauth2/v2.0/authorize"
        ))
        .unwrap();
        assert_eq!(url.shape().endpoint, Some(Endpoint::OAuth2));
        assert_eq!(url.family(), Family::Entra);
        let doubled = IdentityUrl::parse(&format!(
            "https://login.microsoftonline.com/{TID}/v2.0/v2.0"
        ))
        .unwrap();
        assert_eq!(doubled.shape().v2_segments, 2);
        let empty = IdentityUrl::parse("https://login.microsoftonline.com//v2.0").unwrap();
        assert_eq!(empty.shape().tenant.as_deref(), Some(""));
        let bare = IdentityUrl::parse("https://login.microsoftonline.com/").unwrap();
        assert_eq!(bare.shape().tenant, None);
    }

    #[test]
    fn keeps_placeholders_and_ports_as_written() {
        let url = IdentityUrl::parse("https://login.microsoftonline.com/{0}").unwrap();
        assert_eq!(url.path, "/{0}");
        let local = IdentityUrl::parse("http://localhost:5000/realms/x").unwrap();
        assert_eq!(local.origin(), "http://localhost:5000");
        assert!(local.is_loopback());
        assert_eq!(IdentityUrl::parse("not a url"), None);
    }

    #[test]
    fn issuers_stated_by_documents() {
        let v2 = format!(
            "https://login.microsoftonline.com/{TID}/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(
            document_issuer(&v2),
            Some(format!("https://login.microsoftonline.com/{TID}/v2.0"))
        );
        let v1 =
            format!("https://login.microsoftonline.com/{TID}/.well-known/openid-configuration");
        assert_eq!(
            document_issuer(&v1),
            Some(format!("https://sts.windows.net/{TID}/"))
        );
        let common =
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";
        assert_eq!(
            document_issuer(common).as_deref(),
            Some("https://login.microsoftonline.com/{tenantid}/v2.0")
        );
        let china =
            format!("https://login.chinacloudapi.cn/{TID}/v2.0/.well-known/openid-configuration");
        assert_eq!(
            document_issuer(&china),
            Some(format!(
                "https://login.partner.microsoftonline.cn/{TID}/v2.0"
            ))
        );
        let ciam =
            format!("https://contoso.ciamlogin.com/{TID}/v2.0/.well-known/openid-configuration");
        assert_eq!(
            document_issuer(&ciam),
            Some(format!("https://{TID}.ciamlogin.com/{TID}/v2.0"))
        );
    }
}
