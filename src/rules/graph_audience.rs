//! An API accepts a Microsoft Graph audience: Graph tokens can only be validated by Graph.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::graph::is_graph_audience;
use crate::fix::{Change, Fix};

pub static RULE: Rule = Rule {
    id: "graph-audience",
    doc: include_str!("../../rules/graph-audience.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in &ctx.inference.audience_settings {
        let Some(value) = setting.text() else {
            continue;
        };
        if !is_graph_audience(value) {
            continue;
        }
        let own = ctx
            .client_id()
            .map_or("api://<client-id>".to_string(), |id| {
                format!("{id} or api://{id}")
            });
        let diagnostic = RULE.at(
                setting,
                format!(
                    "`{}` is the Microsoft Graph audience '{value}': only Graph can validate Graph tokens, so this API fails with {}",
                    setting.key,
                    ctx.error_or(
                        Failure::Audience,
                        "IDX10511 (signature invalid) or IDX10214 (audience)"
                    )
                ),
            )
            .with_help(format!("expect this API's own audience ({own}) and have clients request this API's scope, not a Graph scope"));
        // Unsafe: clients must then request this API's scope, or their tokens stop passing.
        let fix = ctx.client_id().map(|id| {
            let audience = format!("api://{id}");
            Fix::unsafe_(
                format!("Expect '{audience}'"),
                vec![Change::value(setting, audience)],
            )
        });
        out.push(diagnostic.with_fix(fix));
    }
}
