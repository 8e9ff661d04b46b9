//! The metadata's `?appid=` names another application than the app's client id.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule {
    id: "appid-mismatch",
    doc: include_str!("../../rules/appid-mismatch.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(client_id) = ctx.client_id() else {
        return;
    };
    for url in ctx.sign_in_urls() {
        let Some(appid) = url.url.query_param("appid").map(str::trim) else {
            continue;
        };
        let accepted = |aud: &String| {
            aud.eq_ignore_ascii_case(appid) || aud.eq_ignore_ascii_case(&format!("api://{appid}"))
        };
        if appid.eq_ignore_ascii_case(client_id) || ctx.inference.audiences.iter().any(accepted) {
            continue;
        }
        let mut diagnostic = RULE.at(
            &url.setting,
            format!(
                "`{}` asks for the signing keys of application '{appid}', but this app's ClientId is '{client_id}': tokens for this app are signed with its own keys (IDX10503 / IDX10501: unable to match key)",
                url.setting.key
            ),
        );
        if let Some(setting) = ctx.app.setting("ClientId") {
            diagnostic = diagnostic.with_related(setting.origin, "the app's client id");
        }
        out.push(diagnostic.with_help(format!("use appid={client_id}")));
    }
}
