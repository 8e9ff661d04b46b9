//! A tenant that is neither a GUID, a domain, nor common/organizations/consumers.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::{TenantKind, tenant_kind};

pub static RULE: Rule = Rule {
    id: "invalid-tenant",
    doc: include_str!("../../rules/invalid-tenant.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if !ctx.is_identity_web() || !ctx.inference.is_microsoft() {
        return;
    }
    let b2c = ctx.app.value("SignUpSignInPolicyId").is_some();
    let key = if b2c { "Domain" } else { "TenantId" };
    let Some(setting) = ctx.app.setting(key) else {
        return;
    };
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
