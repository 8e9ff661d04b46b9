//! The app signs with SAML or custom keys, but its metadata address lacks `?appid=`.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule {
    id: "saml-appid-missing",
    doc: include_str!("../../rules/saml-appid-missing.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(fact) = ctx.registration().and_then(|f| f.custom_signing_keys) else {
        return;
    };
    let client_id = ctx.client_id().unwrap_or("<client-id>");
    let Some(url) = ctx.inference.metadata_url() else {
        return;
    };
    if url.query_param("appid").is_some() || !url.info.is_identity_host() {
        return;
    }
    let metadata = ctx
        .inference
        .metadata_address
        .as_deref()
        .unwrap_or_default();
    let separator = if url.query.is_some() { '&' } else { '?' };
    let diagnostic = match ctx.metadata_source() {
        Some(source) => RULE.at(source, message(metadata)),
        None => RULE.diagnostic(ctx.app.location(), message(metadata)),
    };
    out.push(
        diagnostic
            .with_related(
                fact,
                "the app registration signs tokens with SAML / custom keys",
            )
            .with_help(format!(
                "set MetadataAddress to '{metadata}{separator}appid={client_id}'"
            )),
    );
}

fn message(metadata: &str) -> String {
    format!(
        "the app signs its tokens with its own SAML/custom certificate, whose key is only published with ?appid=<client-id>, but the metadata address '{metadata}' has none: signature validation fails (IDX10503 / IDX10501: unable to match key)"
    )
}
