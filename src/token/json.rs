//! `token --format json`: the versioned contract of the README.
//! `{ "version": 1, "token": { "header", "claims", "kind", "family", "token_version",
//! "graph" }, "apps": [ { "file", "section", "environment", "framework", "role", "verdict",
//! "reasons": [ { "rule", "message" } ] } ] }`

use super::{NOT_APPLICABLE, Report, Verdict};
use serde_json::{Value, json};

pub const VERSION: u32 = 1;

/// Each reason; a sign-in web app's one reason says why it has no verdict.
fn reasons(verdict: &Verdict) -> Vec<Value> {
    if !verdict.applicable {
        return vec![json!({ "rule": null, "message": NOT_APPLICABLE })];
    }
    verdict
        .reasons
        .iter()
        .map(|r| json!({ "rule": r.rule, "message": r.message }))
        .collect()
}

pub fn render(report: &Report) -> String {
    let token = report.token;
    let apps: Vec<Value> = report
        .verdicts
        .iter()
        .map(|verdict| {
            let app = verdict.app;
            json!({
                "file": verdict.file,
                "section": app.section,
                "environment": app.environment,
                "framework": app.framework.id(),
                "role": app.role.id(),
                "verdict": verdict.id(),
                "reasons": reasons(verdict),
            })
        })
        .collect();
    let document = json!({
        "version": VERSION,
        "token": {
            "header": report.jws.header,
            "claims": report.jws.claims,
            "kind": token.kind.id(),
            "family": token.family.id(),
            "token_version": token.version,
            "token_version_inferred": token.version_inferred,
            "graph": token.graph,
        },
        "apps": apps,
        "not_judged": report.not_judged.iter().map(|n| json!({
            "rule": n.rule,
            "file": n.file,
            "line": n.line,
            "message": n.message,
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
