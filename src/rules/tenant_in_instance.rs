//! Instance already holds a tenant and TenantId (or Domain) adds another.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::infer::UrlPurpose;

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
        out.push(
            RULE.at(
                &url.setting,
                format!(
                    "`{}` already names tenant '{segment}' and `{}` adds another: the authority becomes '{built}' and the metadata request fails (AADSTS90002, IDX20803)",
                    url.setting.key, tenant.key
                ),
            )
            .with_related(tenant.origin, "the tenant added after the Instance")
            .with_help(format!("set Instance to the host only: '{}/'", url.url.origin())),
        );
    }
}
