//! A value is a sample or template placeholder that was never replaced.

use super::support::is_secret_key;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::placeholder_reason;

pub static RULE: Rule = Rule {
    id: "placeholder-value",
    doc: include_str!("../../rules/placeholder-value.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings() {
        let Some(reason) = placeholder_reason(&setting.value) else {
            continue;
        };
        let shown = if is_secret_key(&setting.key) {
            String::new()
        } else {
            format!(" '{}'", setting.value.trim())
        };
        out.push(
            RULE.at(
                setting,
                format!(
                    "`{}`{shown} is a placeholder ({reason}): the app starts, then sign-in fails with AADSTS700016 / AADSTS90002 or token validation fails (IDX10214, IDX20803)",
                    setting.key
                ),
            )
            .with_help("replace it with the value from the app registration, or supply it from an environment layer or a secret store"),
        );
    }
    for api in ctx.app.downstream.iter() {
        for (scope, setting) in &api.scopes {
            if let Some(reason) = placeholder_reason(scope) {
                out.push(
                    RULE.at(setting, format!("scope '{scope}' of `{}` is a placeholder ({reason}): token requests fail with AADSTS70011", api.section))
                        .with_help("use a scope of the API you call, e.g. api://<api-client-id>/.default"),
                );
            }
        }
    }
}
