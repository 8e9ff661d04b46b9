//! An expected issuer no real token can carry.

use super::support::{Failure, url_of};
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::hosts::HostKind;
use crate::domain::identity_url::IdentityUrl;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::infer::IssuerCheck;

pub static RULE: Rule = Rule {
    id: "impossible-issuer",
    doc: include_str!("../../rules/impossible-issuer.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let exact = ctx.inference.issuer_check == IssuerCheck::Exact;
    for setting in &ctx.inference.issuer_settings {
        let Some(url) = url_of(setting) else { continue };
        // A discovery document URL is reported by metadata-url-as-authority.
        if url.path.to_ascii_lowercase().contains("/.well-known/") {
            continue;
        }
        if ctx.inference.issuer_check == IssuerCheck::AadIssuerValidator && is_b2c_tfp_issuer(&url)
        {
            out.push(
                RULE.at(
                    setting,
                    format!(
                        "`{}` is a B2C issuer in the tfp form, which Microsoft.Identity.Web's AadIssuerValidator refuses before comparing: every token with this issuer fails with \"IDX40002: Microsoft.IdentityModel does not support a B2C issuer with 'tfp' in the URI.\"",
                        setting.key
                    ),
                )
                .with_help("in the user flow's Properties, set the token compatibility setting (Issuer claim) to https://<domain>/<tenant-id>/v2.0/, and list that issuer"),
            );
            continue;
        }
        let Some((problem, help)) = problem(&url, setting.value.trim(), exact) else {
            continue;
        };
        let consequence = if exact {
            format!(
                "no token matches it, so issuer validation fails ({})",
                ctx.error_for(Failure::Issuer)
            )
        } else {
            "no token matches it; only the issuers derived from the authority are accepted (IDX40001 otherwise)".to_string()
        };
        let severity = if exact {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            RULE.at(
                setting,
                format!("`{}` {problem}: {consequence}", setting.key),
            )
            .with_severity(severity)
            .with_help(help),
        );
    }
}

/// `https://{t}.b2clogin.com/tfp/{tenant-id}/{policy}/v2.0/`: upstream
/// AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
/// src/Microsoft.IdentityModel.Validators/AadIssuerValidator/AadIssuerValidator.cs throws IDX40002
/// for an issuer whose first of five segments is `tfp`.
fn is_b2c_tfp_issuer(url: &IdentityUrl) -> bool {
    let segments = url.segments();
    segments.len() == 4 && segments[0].eq_ignore_ascii_case("tfp")
}

fn problem(url: &IdentityUrl, raw: &str, exact: bool) -> Option<(String, String)> {
    let segments = url.segments();
    let tenant = segments.first().copied().unwrap_or_default();
    let trailing_slash = url.path.ends_with('/');
    if exact && raw.to_ascii_lowercase().contains("{tenantid}") {
        return Some((
            "is a {tenantid} template, which only Microsoft.Identity.Web's issuer validator fills in".into(),
            "list each accepted tenant's issuer with its tenant id".into(),
        ));
    }
    match url.info.kind {
        HostKind::EntraIssuer => {
            if segments.iter().any(|s| s.eq_ignore_ascii_case("v2.0")) {
                return Some((
                    format!(
                        "is a v1.0 issuer host ({}) with /v2.0: v1.0 tokens carry https://{}/<tenant-id>/ and v2.0 tokens https://login.microsoftonline.com/<tenant-id>/v2.0",
                        url.host, url.host
                    ),
                    format!(
                        "use https://{}/{tenant}/ for v1.0 tokens or https://login.microsoftonline.com/{tenant}/v2.0 for v2.0 tokens",
                        url.host
                    ),
                ));
            }
            tenant_problem(tenant).or_else(|| {
                (!trailing_slash).then(|| {
                    (
                        "lacks the trailing slash v1.0 issuers end with".into(),
                        format!("write '{raw}/'"),
                    )
                })
            })
        }
        HostKind::EntraLogin => {
            if let Some(found) = tenant_problem(tenant) {
                return Some(found);
            }
            if !segments.iter().any(|s| s.eq_ignore_ascii_case("v2.0")) {
                return Some((
                    "is neither a v2.0 issuer (https://login.microsoftonline.com/<tenant-id>/v2.0) nor a v1.0 issuer (https://sts.windows.net/<tenant-id>/)".into(),
                    format!("use https://{}/{tenant}/v2.0", url.host),
                ));
            }
            trailing_slash.then(|| {
                (
                    "ends with a slash, which v2.0 issuers do not".into(),
                    format!("write '{}'", raw.trim_end_matches('/')),
                )
            })
        }
        HostKind::B2c => {
            if tenant.eq_ignore_ascii_case("tfp") {
                return None;
            }
            if tenant_kind(tenant) == TenantKind::Domain {
                return Some((
                    format!(
                        "names the tenant by its domain '{tenant}', but B2C issuers carry the tenant id"
                    ),
                    format!("use https://{}/<tenant-id>/v2.0/", url.host),
                ));
            }
            (!trailing_slash).then(|| {
                (
                    "lacks the trailing slash B2C issuers end with".into(),
                    format!("write '{raw}/'"),
                )
            })
        }
        _ => None,
    }
}

fn tenant_problem(tenant: &str) -> Option<(String, String)> {
    match tenant_kind(tenant) {
        TenantKind::Domain => Some((
            format!(
                "names the tenant by its domain '{tenant}', but tokens carry the tenant id (a GUID)"
            ),
            "use the Directory (tenant) ID from the tenant's Overview page".into(),
        )),
        TenantKind::Common | TenantKind::Organizations => Some((
            format!(
                "names '{tenant}', but every token carries the id of the tenant that issued it"
            ),
            "list the accepted tenants' issuers, each with its tenant id".into(),
        )),
        _ => None,
    }
}
