//! A client (application) id that is not a GUID.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::is_guid;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "invalid-client-id",
    doc: include_str!("../../rules/invalid-client-id.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if ctx.app.framework == Framework::AspnetcoreJwtBearer || !ctx.inference.is_microsoft() {
        return;
    }
    let Some(setting) = ctx.app.setting("ClientId") else {
        return;
    };
    let Some(value) = usable(setting) else { return };
    if is_guid(value) {
        return;
    }
    let hint = if value.to_ascii_lowercase().starts_with("api://") || value.contains("://") {
        "this looks like an App ID URI; ClientId takes the Application (client) ID GUID"
    } else {
        "copy the Application (client) ID from the app registration's Overview page"
    };
    out.push(
        RULE.at(setting, format!("`{}` '{value}' is not a GUID: Entra ID rejects the sign-in with AADSTS700016 and tokens never match it (IDX10214)", setting.key))
            .with_help(hint),
    );
}
