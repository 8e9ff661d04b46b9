//! `require-scheme` on a `validate-jwt` that reads a custom header: API Management ignores it.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "apim-require-scheme-ignored",
    doc: include_str!("../../rules/apim-require-scheme-ignored.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    if app.framework != Framework::ApimValidateJwt {
        return;
    }
    let (Some(scheme), Some(header)) = (app.setting("require-scheme"), app.value("header-name"))
    else {
        return;
    };
    if scheme.text().is_none() || header.eq_ignore_ascii_case("Authorization") {
        return;
    }
    out.push(
        RULE.at(
            scheme,
            format!(
                "`require-scheme` is ignored because the token is read from the custom header '{header}': only the Authorization header is checked for a scheme, so a token sent with or without '{}' is treated alike",
                scheme.value.trim()
            ),
        )
        .with_help("remove require-scheme, or read the token from header-name=\"Authorization\""),
    );
}
