//! The app signs with SAML or custom keys, but its metadata address lacks `?appid=`.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix};

pub static RULE: Rule = Rule {
    id: "saml-appid-missing",
    doc: include_str!("../../rules/saml-appid-missing.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    // The registration says so (an export, entralint.toml), or another layer, environment or
    // project asks for this app's keys with ?appid=.
    let evidence = ctx
        .registration()
        .and_then(|f| f.custom_signing_keys)
        .map(|at| {
            (
                at,
                "the app registration signs tokens with SAML / custom keys",
            )
        })
        .or_else(|| {
            let id = ctx.client_id()?.to_ascii_lowercase();
            let at = *ctx.facts.appid_requested.get(&id)?;
            // An ?appid= the app's own Authority carries, and loses, is appid-dropped's finding.
            let own = ["Authority", "MetadataAddress"].iter().any(|k| {
                ctx.app
                    .setting(k)
                    .is_some_and(|s| s.value.to_ascii_lowercase().contains("appid="))
            });
            (!own).then_some((
                at,
                "another layer, environment or project asks for this app's keys with ?appid=",
            ))
        });
    let Some((fact, why)) = evidence else {
        return;
    };
    let client_id = ctx.client_id().unwrap_or("<client-id>");
    let Some(url) = ctx.inference.metadata_url() else {
        return;
    };
    if url.query_param("appid").is_some() || !url.info.is_identity_host() {
        return;
    }
    let metadata = ctx.metadata_address();
    let separator = if url.query.is_some() { '&' } else { '?' };
    let diagnostic = match ctx.metadata_source() {
        Some(source) => RULE.at(
            source,
            message(
                metadata,
                ctx.error_or(
                    Failure::KeyNotFound,
                    "IDX10503 / IDX10501: unable to match key",
                ),
            ),
        ),
        None => RULE.diagnostic(
            ctx.app.location(),
            message(
                metadata,
                ctx.error_or(
                    Failure::KeyNotFound,
                    "IDX10503 / IDX10501: unable to match key",
                ),
            ),
        ),
    };
    let diagnostic = diagnostic.with_related(fact, why).with_help(format!(
        "set MetadataAddress to '{metadata}{separator}appid={client_id}'"
    ));
    // Only a written MetadataAddress can take the query; an app that derives its metadata from
    // its authority needs a new key, which is a person's choice of layer.
    let fix = ctx
        .metadata_source()
        .filter(|s| s.name().eq_ignore_ascii_case("MetadataAddress") && ctx.client_id().is_some())
        .map(|source| {
            let written = source.value.trim_end();
            let separator = if written.contains('?') { '&' } else { '?' };
            let fixed = format!(
                "{written}{separator}appid={client_id}{}",
                &source.value[written.len()..]
            );
            Fix::unsafe_(
                format!("Add {separator}appid={client_id} to the metadata address"),
                vec![Change::value(source, fixed)],
            )
        });
    out.push(diagnostic.with_fix(fix));
}

fn message(metadata: &str, failure: &str) -> String {
    format!(
        "the app signs its tokens with its own SAML/custom certificate, whose key is only published with ?appid=<client-id>, but the metadata address '{metadata}' has none: signature validation fails ({failure})"
    )
}
