//! oauth2-proxy's `scope` written as a comma-separated list: it is sent as it is.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "oauth2-proxy-scope-separator",
    doc: include_str!("../../rules/oauth2-proxy-scope-separator.md"),
    check: Check::App(check),
};

/// upstream: oauth2-proxy/oauth2-proxy providers/util.go (`params.Add("scope", p.Scope)`: the
/// option is the query parameter as written); RFC 6749 §3.3 (scopes are space-delimited).
fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if ctx.app.framework != Framework::Oauth2Proxy {
        return;
    }
    let Some(setting) = ctx.app.setting("scope") else {
        return;
    };
    let Some(value) = setting.text() else { return };
    if !value.contains(',') {
        return;
    }
    let spaced = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    out.push(
        RULE.at(
            setting,
            format!(
                "`{}` '{value}' joins scopes with commas: oauth2-proxy sends it as written, and Entra ID splits scopes at spaces only (OAuth 2.0), so it reads scope names that contain commas, which no resource defines, and sign-in fails with an invalid-scope (AADSTS) error",
                setting.key
            ),
        )
        .with_help(format!("separate the scopes with spaces: '{spaced}'")),
    );
}
