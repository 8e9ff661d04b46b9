//! `token --format json`: the versioned contract of docs/token.md.
//! `{ "version": 1, "token": { "header", "claims", "kind", "family", "token_version",
//! "token_version_inferred", "graph", "issuer", "tenant", "policy", "client", "scopes",
//! "roles", "lifetime", "signature" }, "apps": [ { "file", "section", "environment",
//! "framework", "role", "verdict", "reasons": [ { "rule", "message" } ] } ], "not_judged" }`

use super::classify::{CLOCK_SKEW_SECONDS, Lifetime, TokenFacts};
use super::keys::SignatureCheck;
use super::{NOT_APPLICABLE, Report, Verdict, judge};
use serde_json::{Value, json};

pub const VERSION: u32 = 1;

/// Where the token stands against the clock, with the skew the comparison allowed.
fn lifetime(token: &TokenFacts) -> Value {
    let (status, seconds) = match token.lifetime {
        Lifetime::Valid(left) => ("valid", Some(left)),
        Lifetime::Expired(ago) => ("expired", Some(ago)),
        Lifetime::NotYetValid(until) => ("not-yet-valid", Some(until)),
        Lifetime::NoExpiry => ("no-expiry", None),
    };
    json!({
        "status": status,
        "seconds": seconds,
        "issued_at": token.issued_at,
        "not_before": token.not_before,
        "expires": token.expires,
        "clock_skew_seconds": CLOCK_SKEW_SECONDS,
    })
}

/// The result of checking the signature against the saved keys.
fn signature(check: &SignatureCheck) -> Value {
    match check {
        SignatureCheck::Verified { key, file } => {
            json!({ "status": "verified", "key": key, "file": file })
        }
        SignatureCheck::Failed { key, file } => {
            json!({ "status": "failed", "key": key, "file": file })
        }
        SignatureCheck::KeyAbsent { kid, x5t, searched } => {
            json!({ "status": "key-absent", "kid": kid, "x5t": x5t, "searched": searched })
        }
        SignatureCheck::NotChecked => json!({
            "status": "not-checked",
            "reason": "no key set was given (--keys)",
        }),
        SignatureCheck::Unsupported { alg } => json!({
            "status": "not-checked",
            "reason": format!("signed with '{alg}', not RS256"),
        }),
    }
}

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
                "assumption": judge::assumption(app.framework).filter(|_| verdict.applicable),
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
            "issuer": token.issuer,
            "tenant": token.tenant,
            "policy": token.policy,
            "client": token.client.as_ref().map(|(claim, id)| json!({ "claim": claim, "id": id })),
            "scopes": token.scopes,
            "roles": token.roles,
            "lifetime": lifetime(token),
            "signature": signature(report.signature),
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
