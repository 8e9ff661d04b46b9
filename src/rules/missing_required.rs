//! Microsoft.Identity.Web refuses to start without ClientId, Instance + TenantId (or Authority),
//! and Domain for B2C: IDW10106.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "missing-required",
    doc: include_str!("../../rules/missing-required.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if ctx.app.framework == Framework::Oauth2Proxy {
        return proxy_issuer(ctx, out);
    }
    // A section that does not exist at all is reported once, by missing-section.
    if !ctx.is_identity_web() || !ctx.app.section_exists() {
        return;
    }
    let app = ctx.app;
    let mut required = vec!["ClientId"];
    if app.value("Authority").is_none() {
        required.push("Instance");
        let b2c = app.value("SignUpSignInPolicyId").is_some();
        required.push(if b2c { "Domain" } else { "TenantId" });
    }
    for key in required {
        if app.value(key).is_some() {
            continue;
        }
        let message = format!(
            "`{}:{key}` is missing: Microsoft.Identity.Web stops at startup with \"IDW10106: The '{key}' option must be provided.\"",
            app.section
        );
        // An empty value is usually a slot filled in at deployment (user secrets, environment
        // variables); an absent key is an omission.
        let diagnostic = match app.setting(key) {
            Some(empty) => RULE
                .at(empty, format!("{message} unless a layer outside this repository (environment variables, user secrets) supplies it"))
                .with_severity(Severity::Warning),
            None => RULE.diagnostic(app.location(), message).with_key(format!("{}:{key}", app.section)),
        };
        let help = match key {
            "Domain" => "B2C authorities are built from Domain (e.g. contoso.onmicrosoft.com) and SignUpSignInPolicyId".to_string(),
            "Instance" => "set Instance to the sign-in host, e.g. https://login.microsoftonline.com/, or set Authority".to_string(),
            _ => format!("set `{key}` in this section, or in the environment layer that supplies it"),
        };
        out.push(diagnostic.with_help(help));
    }
}

/// oauth2-proxy's entra-id and oidc providers verify tokens with the issuer's discovery
/// document: without `oidc_issuer_url` the proxy does not start.
fn proxy_issuer(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let Some(provider) = app.setting("provider") else {
        return;
    };
    let name = provider.value.trim().to_ascii_lowercase();
    // The azure provider needs it only since oauth2-proxy 7.3, and the version is not in the
    // configuration: older deployments still run without it.
    if !["entra-id", "oidc"].contains(&name.as_str()) || app.value("oidc_issuer_url").is_some() {
        return;
    }
    let message = format!(
        "provider '{name}' needs oidc_issuer_url: oauth2-proxy stops at startup with \"missing required setting: issuer-url\""
    );
    let diagnostic = match app.setting("oidc_issuer_url") {
        Some(empty) => RULE
            .at(
                empty,
                format!("{message} unless a flag or variable outside this repository supplies it"),
            )
            .with_severity(Severity::Warning),
        None => RULE.at(provider, message),
    };
    out.push(diagnostic.with_help("set oidc_issuer_url to the issuer, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0"));
}
