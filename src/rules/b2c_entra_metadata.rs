//! A B2C app loads its signing keys from Entra ID (workforce) metadata, or an Entra issuer is
//! expected from B2C metadata. Entra ID and B2C sign with different keys.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::infer::UrlPurpose;

pub static RULE: Rule = Rule {
    id: "b2c-entra-metadata",
    doc: include_str!("../../rules/b2c-entra-metadata.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(source) = ctx.metadata_source() else {
        return;
    };
    let metadata = ctx.keys_address();
    match ctx.metadata_family() {
        Family::Entra => {
            let signals = ctx.b2c_signals();
            if signals.is_empty() {
                return;
            }
            let policy_missing =
                ctx.is_identity_web() && ctx.app.value("SignUpSignInPolicyId").is_none();
            let mut diagnostic = RULE.at(
                source,
                format!(
                    "this Azure AD B2C app loads its signing keys from Entra ID metadata '{metadata}': B2C tokens are signed with other keys and carry another issuer, so validation fails ({})",
                    ctx.error_or(
                        Failure::KeyNotFound,
                        "IDX10501/IDX10503 unable to match key, IDX40001, IDX10205"
                    )
                ),
            );
            for signal in signals {
                diagnostic =
                    diagnostic.with_related(signal.origin, "says the app is for Azure AD B2C");
            }
            let help = if policy_missing {
                "Microsoft.Identity.Web only treats a section as B2C when SignUpSignInPolicyId is set: add it, with Instance https://<tenant>.b2clogin.com/ and Domain <tenant>.onmicrosoft.com"
            } else {
                "point the authority at the user flow: https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<policy>/v2.0"
            };
            out.push(diagnostic.with_help(help));
        }
        Family::B2c => {
            for issuer in ctx
                .urls_for(UrlPurpose::Issuer)
                .filter(|u| u.url.family() == Family::Entra)
            {
                out.push(
                    RULE.at(
                        &issuer.setting,
                        format!(
                            "`{}` expects an Entra ID issuer, but keys come from Azure AD B2C metadata '{metadata}': B2C tokens never carry this issuer and Entra tokens fail signature validation ({})",
                            issuer.setting.key,
                            ctx.error_or(Failure::KeyNotFound, "IDX10205, IDX10503")
                        ),
                    )
                    .with_related(source.origin, "loads B2C metadata")
                    .with_help("use the issuer the B2C user flow's metadata states, e.g. https://<tenant>.b2clogin.com/<tenant-id>/v2.0/"),
                );
            }
        }
        _ => {}
    }
}
