//! A JWKS URI and an issuer configured side by side (Envoy, Istio's `jwksUri`) name different
//! tenants of the same family: one of the two is wrong.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::infer::UrlPurpose;

pub static RULE: Rule = Rule {
    id: "issuer-keys-mismatch",
    doc: include_str!("../../rules/issuer-keys-mismatch.md"),
    check: Check::App(check),
};

/// The tenant id (a GUID) a URL names, lower-cased.
fn tenant_id(url: &crate::domain::identity_url::IdentityUrl) -> Option<String> {
    let tenant = url.shape().tenant?;
    (tenant_kind(&tenant) == TenantKind::Guid).then(|| tenant.to_ascii_lowercase())
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    // Families that differ are b2c-entra-metadata's and ciam-entra-metadata's findings.
    for keys in ctx.urls_for(UrlPurpose::Keys) {
        let Some(keys_tenant) = tenant_id(&keys.url) else {
            continue;
        };
        for issuer in ctx
            .urls_for(UrlPurpose::Issuer)
            .filter(|issuer| issuer.url.family() == keys.url.family())
        {
            let Some(issuer_tenant) = tenant_id(&issuer.url) else {
                continue;
            };
            if issuer_tenant == keys_tenant {
                continue;
            }
            out.push(
                RULE.at(
                    &issuer.setting,
                    format!(
                        "`{}` names tenant {issuer_tenant}, but the keys come from tenant {keys_tenant} ('{}'): if {keys_tenant} is the tenant meant, every one of its tokens fails the issuer check ({}); if {issuer_tenant} is, its keys are not the ones configured",
                        issuer.setting.key,
                        keys.setting.value.trim(),
                        ctx.error_for(Failure::Issuer)
                    ),
                )
                .with_related(keys.setting.origin, "keys of another tenant")
                .with_help("name the same tenant in both: the issuer its tokens carry and that tenant's keys (https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys)"),
            );
        }
    }
}
