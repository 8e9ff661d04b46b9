//! A B2C host used without a user flow: B2C publishes metadata per policy only.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::{Family, is_b2c_policy_name};
use crate::domain::values::placeholder_reason;

pub static RULE: Rule = Rule {
    id: "b2c-missing-policy",
    doc: include_str!("../../rules/b2c-missing-policy.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let (Some(source), Some(url)) = (ctx.metadata_source(), ctx.inference.metadata_url()) else {
        return;
    };
    if url.family() != Family::B2c {
        return;
    }
    if let Some(policy) = url.shape().policy {
        if !is_b2c_policy_name(&policy) && placeholder_reason(&policy).is_none() {
            let setting = ctx
                .app
                .setting("SignUpSignInPolicyId")
                .filter(|s| s.text().is_some())
                .unwrap_or(source);
            out.push(
                RULE.at(
                    setting,
                    format!("'{policy}' is not a B2C policy name (user flows start with B2C_1_, custom policies with B2C_1A_): no such metadata document exists ({})", ctx.error_for(Failure::Metadata)),
                )
                .with_help("copy the user flow's name from the B2C portal, e.g. B2C_1_susi"),
            );
        }
        return;
    }
    let metadata = ctx.metadata_address();
    let help = if ctx.is_identity_web() && ctx.app.value("SignUpSignInPolicyId").is_none() {
        "set SignUpSignInPolicyId (e.g. B2C_1_susi): without it Microsoft.Identity.Web treats the section as Entra ID and builds {Instance}/{TenantId}/v2.0"
    } else {
        "name the user flow: https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<policy>/v2.0/.well-known/openid-configuration"
    };
    // A layer that blanks the policy is where the fix goes.
    let blanked = ctx
        .app
        .setting("SignUpSignInPolicyId")
        .filter(|s| s.text().is_none());
    out.push(
        RULE.at(
            blanked.unwrap_or(source),
            format!("the metadata address '{metadata}' names no B2C user flow (policy): B2C has no tenant-level document, so the request fails ({})", ctx.error_for(Failure::Metadata)),
        )
        .with_help(help),
    );
}
