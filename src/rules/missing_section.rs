//! Startup code binds a configuration section that no configuration layer defines.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule {
    id: "missing-section",
    doc: include_str!("../../rules/missing-section.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let Some(code) = &app.code else { return };
    if !code.section_required || app.section_exists() {
        return;
    }
    let identity_sections: Vec<String> = app
        .config
        .sections()
        .into_iter()
        .filter(|(_, keys)| {
            keys.iter()
                .any(|k| k == "clientid" || k == "instance" || k == "authority")
        })
        .map(|(path, _)| format!("'{path}'"))
        .collect();
    let help = if identity_sections.is_empty() {
        format!(
            "add a '{}' section to appsettings.json, or bind the section that holds the settings",
            app.section
        )
    } else {
        format!(
            "the configuration has {}: bind that section, or rename it",
            identity_sections.join(", ")
        )
    };
    out.push(
        RULE.diagnostic(
            code.section_named_at,
            format!(
                "{} binds the configuration section '{}', which no configuration file of this project defines: the app stops with \"IDW10106: The 'ClientId' option must be provided.\"",
                app.framework.display_name(),
                app.section
            ),
        )
        .with_key(app.section.clone())
        .with_help(help),
    );
}
