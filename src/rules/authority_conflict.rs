//! Authority and Instance/TenantId both set: signing keys follow Authority, MSAL follows
//! Instance/TenantId.

use super::support::url_of;
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "authority-conflict",
    doc: include_str!("../../rules/authority-conflict.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if !ctx.is_identity_web() {
        return;
    }
    let app = ctx.app;
    let Some(authority) = app.setting("Authority").filter(|s| s.text().is_some()) else {
        return;
    };
    let instance = app.setting("Instance").filter(|s| s.text().is_some());
    let tenant = app.setting("TenantId").filter(|s| s.text().is_some());
    if instance.is_none() && tenant.is_none() {
        return;
    }
    let authority_url = url_of(authority);
    let host_differs = match (&authority_url, instance.and_then(url_of)) {
        (Some(a), Some(i)) => a.host != i.host,
        _ => false,
    };
    let authority_tenant = authority_url.as_ref().and_then(|u| u.shape().tenant);
    let tenant_differs = match (&authority_tenant, tenant.and_then(|t| t.text())) {
        (Some(a), Some(t)) => !a.eq_ignore_ascii_case(t),
        _ => false,
    };
    let clouds = match (&authority_url, instance.and_then(url_of)) {
        (Some(a), Some(i)) if a.info.cloud != i.info.cloud => format!(
            " ({} against {})",
            a.info.cloud.display_name(),
            i.info.cloud.display_name()
        ),
        _ => String::new(),
    };
    let mut diagnostic = if host_differs || tenant_differs {
        let what = if host_differs {
            format!("host{clouds}")
        } else {
            "tenant".to_string()
        };
        RULE.at(
            authority,
            format!(
                "`{}` and Instance/TenantId name a different {what}: signing keys and issuers come from Authority while MSAL (sign-in, on-behalf-of, downstream calls) uses Instance/TenantId, so tokens from one fail validation against the other (IDX40001, IDX10205)",
                authority.key
            ),
        )
        .with_severity(Severity::Error)
    } else {
        RULE.at(
            authority,
            format!(
                "`{}` is set together with Instance/TenantId: token validation uses Authority while MSAL ignores it (\"Authority ... is being ignored because Instance ... and/or TenantId ... are already configured\")",
                authority.key
            ),
        )
    };
    for other in [instance, tenant].into_iter().flatten() {
        diagnostic = diagnostic.with_related(other.origin, "also configures the authority");
    }
    out.push(diagnostic.with_help("keep either Authority or Instance + TenantId, not both"));
}
