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
    let key = match ctx.app.framework {
        Framework::MicrosoftIdentityWeb => "TokenValidationParameters:ValidateIssuer",
        _ => "ValidateIssuer",
    };
    let Some(setting) = ctx.app.setting(key).filter(|s| s.is_false()) else {
        return;
    };
    out.push(
        RULE.at(
            setting,
            format!(
                "`{}` is false: any token signed by the metadata's keys is accepted whatever tenant issued it, and a wrong authority no longer shows up as IDX10205 but as a puzzling IDX10503",
                setting.key
            ),
        )
        .with_help("keep issuer validation on; for multi-tenant apps list the accepted tenants in ValidIssuers or use Microsoft.Identity.Web's issuer validator"),
    );
}
