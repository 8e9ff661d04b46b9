//! A client secret that is GUID-shaped: the secret's id was copied, not its value.

use super::support::is_secret_key;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::is_guid;

pub static RULE: Rule = Rule {
    id: "secret-id-as-secret",
    doc: include_str!("../../rules/secret-id-as-secret.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings().filter(|s| is_secret_key(&s.key)) {
        if setting.text().is_some_and(is_guid) {
            out.push(
                RULE.at(
                    setting,
                    format!("`{}` is GUID-shaped: that is the secret's ID, not its value, so token requests fail with AADSTS7000215 \"Invalid client secret provided\"", setting.key),
                )
                .with_help("copy the secret's Value (shown once when it is created) and keep it out of committed files"),
            );
        }
    }
}
