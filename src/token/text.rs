//! `token` for people: what the token is, then one block per app with its verdict and reasons.
//! Every value from the token or the configuration is printed with control characters escaped,
//! so no claim can act as a terminal or CI command.

use super::classify::{Lifetime, duration, utc};
use super::keys::SignatureCheck;
use super::{NO_API, NOT_APPLICABLE, Report, judge};
use crate::report::escape::{guard_lines, untrusted};
use std::fmt::Write;

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        untrusted(&items.join(" ")).into_owned()
    }
}

pub fn render(report: &Report) -> String {
    let token = report.token;
    let jws = report.jws;
    let mut out = String::new();
    let version = token
        .version
        .as_deref()
        .map(|v| {
            let inferred = if token.version_inferred {
                " (inferred from the issuer: no 'ver' claim)"
            } else {
                ""
            };
            format!(", version {}{inferred}", untrusted(v))
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Token: {} (family {}{version})",
        token.kind.display_name(),
        token.family.id()
    );
    let times = |at: Option<i64>| at.map(utc).unwrap_or_else(|| "-".to_string());
    let expiry = match token.lifetime {
        Lifetime::Expired(ago) => {
            format!("{} (expired {} ago)", times(token.expires), duration(ago))
        }
        Lifetime::NotYetValid(until) => format!(
            "{} (not valid for another {})",
            times(token.expires),
            duration(until)
        ),
        Lifetime::Valid(left) => format!(
            "{} (valid for {} more)",
            times(token.expires),
            duration(left)
        ),
        Lifetime::NoExpiry => "- (no exp claim)".to_string(),
    };
    let key = [("alg", "alg"), ("kid", "kid"), ("x5t", "x5t")]
        .iter()
        .filter_map(|(name, label)| {
            jws.header_text(name)
                .map(|v| format!("{label} {}", untrusted(v)))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let signature = match report.signature {
        SignatureCheck::NotChecked => {
            "not checked (give the app's saved JWKS with --keys)".to_string()
        }
        SignatureCheck::Verified { key, file } => {
            format!(
                "verified with key '{}' from {}",
                untrusted(key),
                untrusted(file)
            )
        }
        SignatureCheck::Failed { key, file } => format!(
            "does NOT verify with key '{}' from {}",
            untrusted(key),
            untrusted(file)
        ),
        SignatureCheck::KeyAbsent { searched, .. } => {
            format!("its key is not among the {searched} saved key(s)")
        }
        SignatureCheck::Unsupported { alg } => {
            format!("not checked: signed with '{}', not RS256", untrusted(alg))
        }
    };
    let client = token
        .client
        .as_ref()
        .map(|(claim, id)| format!("{} ({claim})", untrusted(id)))
        .unwrap_or_else(|| "-".to_string());
    let mut rows: Vec<(&str, String)> = vec![
        (
            "issuer",
            untrusted(token.issuer.as_deref().unwrap_or("-")).into_owned(),
        ),
        (
            "tenant",
            untrusted(token.tenant.as_deref().unwrap_or("-")).into_owned(),
        ),
        ("audience", list(&token.audiences)),
        ("client", client),
        ("scopes", list(&token.scopes)),
        ("roles", list(&token.roles)),
        ("issued", times(token.issued_at)),
        ("not before", times(token.not_before)),
        ("expires", expiry),
        ("key", if key.is_empty() { "-".to_string() } else { key }),
        ("signature", signature),
    ];
    if let Some(policy) = &token.policy {
        rows.insert(2, ("policy", untrusted(policy).into_owned()));
    }
    for (name, value) in rows {
        let _ = writeln!(out, "  {name:<11} {value}");
    }
    if token.graph {
        out.push_str("  This is a Microsoft Graph token: only Graph can validate it.\n");
    }
    out.push('\n');

    for verdict in &report.verdicts {
        let app = verdict.app;
        let _ = writeln!(
            out,
            "{} ({}, {})",
            crate::report::inspect_text::heading(verdict.file, app),
            app.framework.id(),
            app.role.id()
        );
        if !verdict.applicable {
            let _ = writeln!(out, "  not applicable: {NOT_APPLICABLE}");
        } else if verdict.accepted() {
            out.push_str("  accepted: nothing in the configuration rejects this token\n");
        } else {
            out.push_str("  rejected\n");
            for reason in &verdict.reasons {
                let rule = reason.rule.map(|r| format!(" [{r}]")).unwrap_or_default();
                let _ = writeln!(out, "  - {}{rule}", untrusted(&reason.message));
            }
        }
        if let Some(assumed) = judge::assumption(app.framework).filter(|_| verdict.applicable) {
            let _ = writeln!(out, "  assumed: {assumed}");
        }
        out.push('\n');
    }
    let accepting = report.verdicts.iter().filter(|v| v.accepted()).count();
    let applicable = report.verdicts.iter().filter(|v| v.applicable).count();
    let sign_in = report.verdicts.len() - applicable;
    if applicable == 0 {
        let _ = writeln!(out, "Not judged: {NO_API}.");
    } else {
        let _ = writeln!(
            out,
            "{accepting} of {applicable} app configuration(s) accept the token."
        );
    }
    if sign_in > 0 {
        let _ = writeln!(
            out,
            "{sign_in} sign-in web app configuration(s) are not applicable: they validate ID tokens."
        );
    }
    let files = not_judged_files(report);
    if files > 0 {
        let _ = writeln!(
            out,
            "{files} file(s) were not judged: they could not be read or parsed (see the notes on standard error)."
        );
    }
    // No line may start a workflow command, whatever field it came from.
    guard_lines(out)
}

/// How many distinct files could not be read or parsed.
pub fn not_judged_files(report: &Report) -> usize {
    let mut files: Vec<&str> = report.not_judged.iter().map(|n| n.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    files.len()
}
