//! An authority, instance or metadata address whose shape makes the framework build a
//! metadata URL that does not exist.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::{Endpoint, IdentityUrl};
use crate::domain::values::{TenantKind, tenant_kind};
use crate::fix::{Change, Fix};
use crate::infer::{UrlPurpose, UrlSetting};
use crate::model::Framework;
use crate::model::Setting;

pub static RULE: Rule = Rule {
    id: "malformed-authority",
    doc: include_str!("../../rules/malformed-authority.md"),
    check: Check::App(check),
};

const REPEATS_V2: &str = "repeats /v2.0";

const FAILS: &str = "the metadata request fails (IDX20803: Unable to obtain configuration)";

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for key in ["Instance", "Authority", "MetadataAddress"] {
        let Some(setting) = ctx.app.setting(key) else {
            continue;
        };
        let Some(value) = usable(setting) else {
            continue;
        };
        if IdentityUrl::parse(value).is_none() {
            let consequence = if ctx.is_identity_web() && key == "Instance" {
                "Microsoft.Identity.Web cannot build an authority from it (UriFormatException at startup)"
            } else {
                "the app throws at startup \"The MetadataAddress or Authority must use HTTPS ...\""
            };
            out.push(
                RULE.at(
                    setting,
                    format!(
                        "`{}` '{value}' is not an absolute URL: {consequence}",
                        setting.key
                    ),
                )
                .with_help(format!(
                    "write it with its scheme: 'https://{}'",
                    value.trim_start_matches('/')
                )),
            );
        }
    }
    // A JWKS URI is a key set, not an authority (a document URL there: metadata-url-as-authority).
    for url in ctx.sign_in_urls().filter(|u| u.purpose != UrlPurpose::Keys) {
        if let Some((problem, help)) = problem(ctx, url) {
            let diagnostic = RULE
                .at(
                    &url.setting,
                    format!("`{}` {problem}: {FAILS}", url.setting.key),
                )
                .with_help(help);
            let fix = (problem == REPEATS_V2)
                .then(|| single_v2(&url.setting))
                .flatten();
            out.push(diagnostic.with_fix(fix));
        }
    }
}

/// The value with a `/v2.0/v2.0` written once; `None` when the repeats are apart (which one is
/// meant is not known).
fn single_v2(setting: &Setting) -> Option<Fix> {
    const TWICE: &str = "/v2.0/v2.0";
    let at = setting.value.to_ascii_lowercase().find(TWICE)?;
    let mut fixed = setting.value.clone();
    fixed.replace_range(at + "/v2.0".len()..at + TWICE.len(), "");
    Some(Fix::safe(
        "Write /v2.0 once",
        vec![Change::value(setting, fixed)],
    ))
}

fn problem(ctx: &AppContext, url: &UrlSetting) -> Option<(String, String)> {
    let raw = url.setting.value.trim();
    // A placeholder is reported as one; what it would build is beside the point.
    if crate::domain::values::placeholder_reason(raw).is_some() {
        return None;
    }
    let shape = url.url.shape();
    let microsoft = url.url.is_microsoft_identity();
    if raw.contains('{') || raw.contains('}') {
        return Some((
            "holds a format placeholder such as {0}, which nothing in this framework fills in".into(),
            "write the value out in full; {0}/{1} templates belong to web.config code that calls string.Format".into(),
        ));
    }
    if url.purpose == UrlPurpose::MetadataAddress {
        let ws_federation = matches!(
            ctx.app.framework,
            Framework::OwinAzureAdBearer | Framework::OwinWsFederation
        );
        let federation_document = shape.endpoint == Some(Endpoint::FederationMetadata);
        if ws_federation {
            return (microsoft && !federation_document).then(|| {
                (
                    "is not WS-Federation metadata, which this middleware reads as XML (an OpenID Connect document fails to parse at the first request)".into(),
                    "use https://login.microsoftonline.com/<tenant>/federationmetadata/2007-06/federationmetadata.xml".into(),
                )
            });
        }
        if microsoft && federation_document {
            return Some((
                "is WS-Federation metadata (XML), but this framework reads OpenID Connect metadata (JSON)".into(),
                "use https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration".into(),
            ));
        }
        if microsoft && !url.url.is_metadata_url() {
            return Some((
                "is not a discovery document URL (it must end with /.well-known/openid-configuration)".into(),
                format!("use '{}'", crate::infer::metadata_from_authority(raw.split('?').next().unwrap_or(raw).trim_end_matches('/'))),
            ));
        }
        return None;
    }
    if !microsoft || shape.endpoint == Some(Endpoint::WellKnown) {
        return None;
    }
    if let Some(
        endpoint @ (Endpoint::OAuth2
        | Endpoint::Discovery
        | Endpoint::FederationMetadata
        | Endpoint::Protocol),
    ) = shape.endpoint
    {
        let what = match endpoint {
            Endpoint::OAuth2 => "an OAuth 2.0 endpoint path (/oauth2/...)",
            Endpoint::Discovery => "a signing-key path (/discovery/...)",
            Endpoint::FederationMetadata => "a federation metadata path",
            _ => "a protocol endpoint path",
        };
        return Some((
            format!("holds {what}, not an authority"),
            "keep only the host, tenant (and policy) and /v2.0".into(),
        ));
    }
    if shape.tenant.as_deref() == Some("") {
        return Some((
            "has an empty tenant segment (//)".into(),
            "put the tenant between the slashes".into(),
        ));
    }
    if shape.v2_segments > 1 {
        return Some((REPEATS_V2.into(), "write /v2.0 once".into()));
    }
    let identity_web = ctx.is_identity_web();
    if url.purpose == UrlPurpose::Authority {
        if identity_web
            && raw
                .trim_end_matches('/')
                .to_ascii_lowercase()
                .ends_with("v2.0")
            && !raw.trim_end_matches('/').ends_with("v2.0")
        {
            return Some((
                "ends with a capitalised V2.0, so Microsoft.Identity.Web appends another /v2.0"
                    .into(),
                "write v2.0 in lower case".into(),
            ));
        }
        let path_less_ciam = identity_web && url.url.host.ends_with(".ciamlogin.com");
        if shape.tenant.is_none() && !path_less_ciam {
            return Some((
                "names no tenant".into(),
                "add the tenant, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0".into(),
            ));
        }
        if ctx.app.framework != Framework::MicrosoftIdentityWeb
            && url.url.query.is_some()
            && url.url.query_param("appid").is_none()
        {
            return Some((
                "has a query string, so the well-known path is appended after it".into(),
                "move the query to MetadataAddress: {authority}/.well-known/openid-configuration?{query}".into(),
            ));
        }
    }
    if url.purpose == UrlPurpose::Instance && identity_web {
        let path = url.url.path.as_str();
        let holds_tenant = url
            .url
            .segments()
            .iter()
            .any(|s| tenant_kind(s) != TenantKind::Invalid);
        if !path.is_empty() && path != "/" && !path.ends_with('/') && !holds_tenant {
            let built = IdentityUrl::parse(raw)
                .map(|u| u.segments().last().map(|s| s.to_string()))
                .unwrap_or_default()
                .unwrap_or_default();
            return Some((
                format!(
                    "has a path without a trailing slash, so Microsoft.Identity.Web glues '{built}' to the tenant"
                ),
                format!("end the Instance with a slash: '{raw}/'"),
            ));
        }
    }
    None
}
