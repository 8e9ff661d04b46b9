//! B2C through login.microsoftonline.com (tfp or ?p=), a host retired for B2C.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::hosts::HostKind;
use crate::domain::identity_url::Family;
use crate::fix::{Change, Fix};

pub static RULE: Rule = Rule {
    id: "b2c-legacy-host",
    doc: include_str!("../../rules/b2c-legacy-host.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let (Some(source), Some(url)) = (ctx.metadata_source(), ctx.inference.metadata_url()) else {
        return;
    };
    if url.family() != Family::B2c || url.info.kind != HostKind::EntraLogin {
        return;
    }
    let known_tenant = url.shape().tenant;
    let tenant = known_tenant
        .clone()
        .unwrap_or_else(|| "<tenant>.onmicrosoft.com".into());
    let label = tenant.split('.').next().unwrap_or("<tenant>").to_string();
    // Unsafe: the tenant's b2clogin.com host serves the same user flows, but a custom domain
    // may be what the team uses, and clients must follow.
    // The host is replaced where it is written: the value may be filled in from a template.
    let fix = known_tenant.map(|_| {
        let host = format!("{}.b2clogin.com", label.to_ascii_lowercase());
        Fix::unsafe_(
            format!("Use {host}"),
            vec![Change::part_of_value(source, &url.host, host)],
        )
    });
    let diagnostic = RULE.at(
            source,
            format!(
                "Azure AD B2C is reached through '{}', which Microsoft retired for B2C: metadata and sign-in requests stop working ({}, AADB2C errors)",
                url.host,
                ctx.error_for(Failure::Metadata)
            ),
        )
        .with_help(format!("use https://{label}.b2clogin.com/{tenant}/<policy>/v2.0 (or your B2C custom domain)"));
    out.push(diagnostic.with_fix(fix));
}
