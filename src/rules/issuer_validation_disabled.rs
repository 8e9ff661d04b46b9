//! Issuer validation switched off.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "issuer-validation-disabled",
    doc: include_str!("../../rules/issuer-validation-disabled.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let setting = match app.framework {
        Framework::MicrosoftIdentityWeb => app
            .setting("TokenValidationParameters:ValidateIssuer")
            .filter(|s| s.is_false()),
        // The entra-id provider still checks the tenant against entra_id_allowed_tenants.
        Framework::Oauth2Proxy
            if app.values("entra_id_allowed_tenants").is_empty()
                || !app
                    .value("provider")
                    .is_some_and(|p| p.eq_ignore_ascii_case("entra-id")) =>
        {
            app.setting("insecure_oidc_skip_issuer_verification")
                .filter(|s| s.is_true())
        }
        Framework::Oauth2Proxy => None,
        _ => app.setting("ValidateIssuer").filter(|s| s.is_false()),
    };
    let Some(setting) = setting else {
        return;
    };
    let (consequence, help) = if app.framework == Framework::Oauth2Proxy {
        (
            "a token of any tenant signed by the discovered keys is accepted",
            "with provider = \"entra-id\", list the accepted tenants in entra_id_allowed_tenants; otherwise pin the tenant in oidc_issuer_url and verify the issuer",
        )
    } else {
        (
            "any token signed by the metadata's keys is accepted whatever tenant issued it, and a wrong authority no longer shows up as IDX10205 but as a puzzling IDX10503",
            "keep issuer validation on; for multi-tenant apps list the accepted tenants in ValidIssuers or use Microsoft.Identity.Web's issuer validator",
        )
    };
    out.push(
        RULE.at(
            setting,
            format!(
                "`{}` = {} turns issuer validation off: {consequence}",
                setting.key,
                setting.value.trim()
            ),
        )
        .with_help(help),
    );
}
