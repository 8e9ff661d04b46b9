//! The accepted audiences do not include the `aud` the app registration's token version puts in
//! tokens: v2.0 access tokens carry the client id, v1.0 tokens the App ID URI requested.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    id: "audience-token-version",
    doc: include_str!("../../rules/audience-token-version.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(client_id) = ctx.client_id() else {
        return;
    };
    let Some(facts) = ctx.registration() else {
        return;
    };
    let Some(version) = facts.token_version else {
        return;
    };
    let accepted = &ctx.inference.audiences;
    let Some(setting) = ctx.inference.audience_settings.first() else {
        return;
    };
    let accepts = |aud: &str| {
        accepted.iter().any(|a| {
            a.trim_end_matches('/')
                .eq_ignore_ascii_case(aud.trim_end_matches('/'))
        })
    };
    let (missing, severity, expected) = match version {
        2 if !accepts(client_id) => (client_id.to_string(), Severity::Error, "the client id"),
        1 if !facts.identifier_uris.is_empty()
            && !facts.identifier_uris.iter().any(|u| accepts(u))
            && !accepts(client_id) =>
        {
            (
                facts.identifier_uris.join(", "),
                Severity::Warning,
                "the App ID URI the client asked for",
            )
        }
        _ => return,
    };
    let mut diagnostic = RULE
        .at(
            setting,
            format!(
                "the app registration issues v{version}.0 access tokens, whose audience is {expected} ('{missing}'), but `{}` does not accept it: every token fails with IDX10214 (audience validation failed)",
                setting.key
            ),
        )
        .with_severity(severity)
        .with_help(format!("accept '{missing}' (ValidAudiences), or change the registration's requestedAccessTokenVersion"));
    if let Some(origin) = facts.origin {
        diagnostic = diagnostic.with_related(origin, format!("the registration of {client_id}"));
    }
    out.push(diagnostic);
}
