//! Audience, lifetime or signature validation switched off.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule {
    id: "validation-disabled",
    doc: include_str!("../../rules/validation-disabled.md"),
    check: Check::App(check),
};

const CHECKS: &[(&str, &str)] = &[
    (
        "ValidateAudience",
        "tokens issued for any other application are accepted",
    ),
    ("ValidateLifetime", "expired tokens are accepted"),
    ("ValidateIssuerSigningKey", "the signing key is not checked"),
    ("RequireSignedTokens", "unsigned tokens are accepted"),
    (
        "RequireExpirationTime",
        "tokens that never expire are accepted",
    ),
    ("RequireAudience", "tokens without an audience are accepted"),
];

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for (key, consequence) in CHECKS {
        let Some(setting) = ctx.validation_switched_off(key) else {
            continue;
        };
        out.push(
            RULE.at(setting, format!("`{}` is false: {consequence}", setting.key))
                .with_help("remove the setting; if tokens are rejected, fix the configuration the error names instead"),
        );
    }
}
