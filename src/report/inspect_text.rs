//! `inspect` for people: one block per app and environment.

use super::escape::{guard_lines, untrusted};
use crate::domain::secrets::masked_value;
use crate::infer::{AudienceCheck, Inference, IssuerCheck};
use crate::model::App;
use crate::source::SourceMap;
use std::fmt::Write;

pub fn render(sources: &SourceMap, apps: &[(App, Inference)]) -> String {
    let mut out = String::new();
    for (app, inference) in apps {
        out.push_str(&render_app(sources, app, inference));
        out.push('\n');
    }
    if apps.is_empty() {
        out.push_str("No apps found.\n");
    }
    guard_lines(out)
}

/// How an app is named wherever it is listed (`inspect`, `token`): `file :: section [environment]`,
/// escaped.
pub fn heading(file: &str, app: &App) -> String {
    let environment = app
        .environment
        .as_deref()
        .map(|e| format!(" [{}]", untrusted(e)))
        .unwrap_or_default();
    format!(
        "{} :: {}{environment}",
        untrusted(file),
        untrusted(&app.section)
    )
}

/// One app's block: its file, section and environment, then what its framework will use (the
/// language server's hover shows it too).
pub fn render_app(sources: &SourceMap, app: &App, inference: &Inference) -> String {
    let mut out = heading(&sources.get(app.file).display, app);
    out.push('\n');
    let unknown = "(unknown)".to_string();
    let rows: [(&str, String); 11] = [
        (
            "framework",
            format!("{} ({})", app.framework.id(), app.role.id()),
        ),
        ("family", inference.family.id().to_string()),
        ("cloud", inference.cloud.id().to_string()),
        (
            "tenant",
            inference.tenant.clone().unwrap_or_else(|| unknown.clone()),
        ),
        (
            "policy",
            inference.policy.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "endpoint",
            inference.version.unwrap_or("(unknown)").to_string(),
        ),
        (
            "authority",
            inference
                .authority
                .clone()
                .unwrap_or_else(|| unknown.clone()),
        ),
        (
            "metadata",
            match (&inference.metadata_address, &inference.jwks_uri) {
                (Some(address), _) => address.clone(),
                // Keys configured directly (Istio `jwksUri`, Envoy, Spring `jwk-set-uri`).
                (None, Some(_)) => "(none: keys from the signing-key URI)".into(),
                (None, None) => unknown.clone(),
            },
        ),
        (
            "signing keys",
            inference
                .jwks_uri
                .clone()
                .unwrap_or_else(|| unknown.clone()),
        ),
        (
            "issuers",
            match inference.issuer_check {
                IssuerCheck::Disabled => "(not validated)".into(),
                _ if inference.issuers.is_empty() => unknown.clone(),
                _ => inference.issuers.join(", "),
            },
        ),
        (
            "audiences",
            match inference.audience_check {
                AudienceCheck::Disabled => "(not validated)".into(),
                AudienceCheck::Nothing => "(none: every token fails)".into(),
                _ if inference.audiences.is_empty() => unknown.clone(),
                _ => inference.audiences.join(", "),
            },
        ),
    ];
    for (name, value) in rows {
        // An address may carry a secret in its query (`?client_secret=...`).
        let _ = writeln!(out, "  {name:<13} {}", untrusted(&masked_value(&value)));
    }
    out
}
