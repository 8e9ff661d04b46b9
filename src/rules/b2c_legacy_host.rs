//! B2C through login.microsoftonline.com (tfp or ?p=), a host retired for B2C.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::hosts::HostKind;
use crate::domain::identity_url::Family;

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
    let tenant = url
        .shape()
        .tenant
        .unwrap_or_else(|| "<tenant>.onmicrosoft.com".into());
    let label = tenant.split('.').next().unwrap_or("<tenant>").to_string();
    out.push(
        RULE.at(
            source,
            format!(
                "Azure AD B2C is reached through '{}', which Microsoft retired for B2C: metadata and sign-in requests stop working ({}, AADB2C errors)",
                url.host,
                ctx.error_for(Failure::Metadata)
            ),
        )
        .with_help(format!("use https://{label}.b2clogin.com/{tenant}/<policy>/v2.0 (or your B2C custom domain)")),
    );
}
