//! A committed configuration file holds a client secret's value. The value is never printed.

use super::support::is_secret_key;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::{is_guid, looks_like_secret_value, placeholder_reason};

pub static RULE: Rule = Rule {
    id: "secret-in-config",
    doc: include_str!("../../rules/secret-in-config.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings().filter(|s| is_secret_key(&s.key)) {
        let Some(value) = setting.text() else {
            continue;
        };
        // A placeholder (`EnterClientSecretHere`) is placeholder-value's finding, not a secret.
        if is_guid(value) || !looks_like_secret_value(value) || placeholder_reason(value).is_some()
        {
            continue;
        }
        out.push(
            RULE.at(setting, format!("`{}` holds a secret value in a committed file (value not shown)", setting.key))
                .with_help("rotate the secret, remove it from the file, and load it from user secrets, an environment variable or Key Vault"),
        );
    }
}
