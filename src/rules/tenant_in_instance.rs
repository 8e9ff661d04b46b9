//! Instance already holds a tenant and TenantId (or Domain) adds another.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::placeholder_reason;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::fix::{Change, Fix};
use crate::infer::UrlPurpose;
use crate::infer::UrlSetting;
use crate::model::Setting;

pub static RULE: Rule = Rule {
    id: "tenant-in-instance",
    doc: include_str!("../../rules/tenant-in-instance.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if !ctx.is_identity_web() {
        return;
    }
    let b2c = ctx.app.value("SignUpSignInPolicyId").is_some();
    let Some(tenant) = ctx
        .app
        .setting(if b2c { "Domain" } else { "TenantId" })
        .filter(|s| s.text().is_some())
    else {
        return;
    };
    for url in ctx.urls_for(UrlPurpose::Instance) {
        let Some(segment) = url
            .url
            .segments()
            .into_iter()
            .find(|s| !s.eq_ignore_ascii_case("tfp") && tenant_kind(s) != TenantKind::Invalid)
        else {
            continue;
        };
        let built = ctx.inference.authority.clone().unwrap_or_default();
        let fix = split(url, segment, tenant);
        let diagnostic = RULE.at(
                &url.setting,
                format!(
                    "`{}` already names tenant '{segment}' and `{}` adds another: the authority becomes '{built}' and the metadata request fails (AADSTS90002, IDX20803)",
                    url.setting.key, tenant.key
                ),
            )
            .with_related(tenant.origin, "the tenant added after the Instance")
            .with_help(format!("set Instance to the host only: '{}/'", url.url.origin()));
        out.push(diagnostic.with_fix(fix));
    }
}

/// Instance reduced to its host, the tenant it held kept in TenantId (or Domain): when that
/// already names the same tenant, or is a sample placeholder. Two different tenants, or an
/// Instance with more path than the tenant, leave the choice to a person.
fn split(url: &UrlSetting, segment: &str, tenant: &Setting) -> Option<Fix> {
    if url.url.segments().len() != 1 || url.url.query.is_some() {
        return None;
    }
    let instance = Change::value(&url.setting, format!("{}/", url.url.origin()));
    let written = tenant.value.trim();
    if written.eq_ignore_ascii_case(segment) {
        return Some(Fix::safe("Keep only the host in Instance", vec![instance]));
    }
    placeholder_reason(written)?;
    Some(Fix::safe(
        format!("Move '{segment}' from Instance to {}", tenant.name()),
        vec![instance, Change::value(tenant, segment)],
    ))
}
