//! A `.well-known/openid-configuration` URL where an authority or issuer is expected.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix};
use crate::infer::UrlPurpose;

pub static RULE: Rule = Rule {
    id: "metadata-url-as-authority",
    doc: include_str!("../../rules/metadata-url-as-authority.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for url in ctx.inference.urls.iter() {
        let consequence = match url.purpose {
            UrlPurpose::Authority | UrlPurpose::Instance => format!(
                "the framework appends the well-known path again and fetches '.../.well-known/openid-configuration/.well-known/openid-configuration' ({})",
                ctx.error_for(Failure::Metadata)
            ),
            UrlPurpose::Issuer => {
                "no token carries a discovery URL as its issuer, so issuer validation fails (IDX10205, IDX40001)".to_string()
            }
            // Read as a key set without discovery: a document holds no `keys`.
            UrlPurpose::Keys => format!(
                "it is read as the key set itself, and a discovery document lists no keys ({})",
                ctx.error_for(Failure::KeyNotFound)
            ),
            _ => continue,
        };
        if !url.url.path.to_ascii_lowercase().contains("/.well-known/") {
            continue;
        }
        let value = url.setting.value.trim();
        let authority = value.split("/.well-known").next().unwrap_or(value);
        let help = match url.purpose {
            UrlPurpose::Issuer => {
                "use the issuer the document states (its \"issuer\" field), not the document's URL"
                    .to_string()
            }
            UrlPurpose::Keys => {
                "use the key set the document names (its \"jwks_uri\" field, .../discovery/v2.0/keys)"
                    .to_string()
            }
            _ => format!("use '{authority}' here, or put the full URL in MetadataAddress"),
        };
        let diagnostic = RULE
            .at(
                &url.setting,
                format!(
                    "`{}` is a metadata document URL: {consequence}",
                    url.setting.key
                ),
            )
            .with_help(help);
        // The authority is the document URL without its well-known path. A query (?p=, ?appid=)
        // belongs to the document, not the authority: where it should go is a person's call.
        let fix = (url.purpose == UrlPurpose::Authority && url.url.query.is_none()).then(|| {
            Fix::safe(
                format!("Use the authority '{authority}'"),
                vec![Change::value(&url.setting, authority)],
            )
        });
        out.push(diagnostic.with_fix(fix));
    }
}
