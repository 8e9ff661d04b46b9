//! A client asks for Graph scopes to call a non-Graph API, so the API receives a Graph token.

use super::support::url_of;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::graph::{is_graph_scope, is_oidc_scope};
use crate::domain::hosts::HostKind;

pub static RULE: Rule = Rule {
    id: "graph-scope-for-api",
    doc: include_str!("../../rules/graph-scope-for-api.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for api in ctx.app.downstream.iter() {
        let Some(base) = &api.base_url else { continue };
        // A proof-of-possession call (`ProtocolScheme: MTLS_POP`/`PoP`) sends a Graph-audience
        // token bound to the caller's key on purpose; the API validates the binding, not `aud`.
        let proof_of_possession = ctx
            .app
            .config
            .get(&format!("{}:ProtocolScheme", api.section))
            .and_then(|s| s.text())
            .is_some_and(|scheme| scheme.to_ascii_lowercase().contains("pop"));
        if proof_of_possession {
            continue;
        }
        let Some(url) = url_of(base) else { continue };
        if matches!(url.info.kind, HostKind::Graph | HostKind::AadGraph) {
            continue;
        }
        let resource_scopes: Vec<&(String, crate::model::Setting)> = api
            .scopes
            .iter()
            .filter(|(s, _)| !is_oidc_scope(s))
            .collect();
        if resource_scopes.is_empty() || !resource_scopes.iter().all(|(s, _)| is_graph_scope(s)) {
            continue;
        }
        let (scope, setting) = resource_scopes[0];
        out.push(
            RULE.at(
                setting,
                format!(
                    "`{}` asks for the Microsoft Graph scope '{scope}' to call '{}': the token is issued for Graph, and the API rejects it (IDX10511 signature invalid, IDX10214 audience)",
                    setting.key,
                    base.value.trim()
                ),
            )
            .with_related(base.origin, "the API these scopes are used for")
            .with_help("request a scope the API exposes, e.g. api://<api-client-id>/access_as_user or api://<api-client-id>/.default"),
        );
    }
}
