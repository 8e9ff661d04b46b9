//! A tenant that is neither a GUID, a domain, nor common/organizations/consumers.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::{TenantKind, tenant_kind};
use crate::model::Setting;

pub static RULE: Rule = Rule {
    id: "invalid-tenant",
    doc: include_str!("../../rules/invalid-tenant.md"),
    check: Check::App(check),
};

/// The settings that name the app's tenant: Microsoft.Identity.Web's `TenantId` (`Domain` for
/// B2C); for the other frameworks every tenant option they read, and web.config's `ida:Tenant`
/// / `ida:TenantId` under their own names.
fn tenant_settings<'a>(ctx: &'a AppContext) -> Vec<&'a Setting> {
    let app = ctx.app;
    if ctx.is_identity_web() {
        let b2c = app.value("SignUpSignInPolicyId").is_some();
        let key = if b2c { "Domain" } else { "TenantId" };
        return app.setting(key).into_iter().collect();
    }
    let mut found: Vec<&Setting> = Vec::new();
    // `tenant_id`: fastapi-azure-auth's setting; `tenant-id`: Spring Cloud Azure's.
    let named = ["TenantId", "Tenant", "tenant_id", "tenant-id"]
        .into_iter()
        .filter_map(|k| app.setting(k));
    let web_config = ["ida:Tenant", "ida:TenantId"]
        .into_iter()
        .filter(|_| app.flat)
        .filter_map(|k| app.config.get(k));
    for setting in named.chain(web_config) {
        if !found.iter().any(|f| f.origin == setting.origin) {
            found.push(setting);
        }
    }
    found
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if !ctx.inference.is_microsoft() {
        return;
    }
    for setting in tenant_settings(ctx) {
        report(setting, out);
    }
}

fn report(setting: &Setting, out: &mut Vec<Diagnostic>) {
    let Some(value) = usable(setting) else { return };
    if tenant_kind(value) != TenantKind::Invalid {
        return;
    }
    let hint = if value.contains("://") {
        "a URL is not a tenant: use the Directory (tenant) ID GUID or a domain such as contoso.onmicrosoft.com".to_string()
    } else if !value.contains('.') {
        format!("did you mean '{value}.onmicrosoft.com', or the Directory (tenant) ID GUID?")
    } else {
        "use the Directory (tenant) ID GUID, a verified domain, or common / organizations / consumers".to_string()
    };
    out.push(
        RULE.at(
            setting,
            format!("`{}` '{value}' is not a tenant Entra ID knows: the metadata request fails (AADSTS90002 \"Tenant not found\", IDX20803)", setting.key),
        )
        .with_help(hint),
    );
}
