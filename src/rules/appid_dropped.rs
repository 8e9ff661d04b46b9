//! `?appid=` put where the framework drops it or breaks the metadata address with it.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::infer::UrlPurpose;
use crate::infer::metadata_from_authority;
use crate::model::{Framework, Role};

pub static RULE: Rule = Rule {
    id: "appid-dropped",
    doc: include_str!("../../rules/appid-dropped.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for url in ctx.urls_for(UrlPurpose::Authority) {
        if url.url.query_param("appid").is_none() || ctx.app.value("MetadataAddress").is_some() {
            continue;
        }
        let raw = url.setting.value.trim();
        let (authority, query) = raw.split_once('?').unwrap_or((raw, ""));
        let authority = authority.trim_end_matches('/');
        let authority_v2 = if ctx.is_identity_web() && !authority.ends_with("v2.0") {
            format!("{authority}/v2.0")
        } else {
            authority.to_string()
        };
        let help = if ctx.app.framework == Framework::Oauth2Proxy {
            format!(
                "remove the query from oidc_issuer_url, and take keys from '{}?{query}' with skip_oidc_discovery = true and oidc_jwks_url",
                crate::domain::identity_url::jwks_uri(&metadata_from_authority(authority))
                    .unwrap_or_default()
                    .split('?')
                    .next()
                    .unwrap_or_default()
            )
        } else {
            format!(
                "set MetadataAddress to '{}?{query}' and remove the query from Authority",
                metadata_from_authority(&authority_v2)
            )
        };
        let diagnostic = if !ctx.is_identity_web() {
            RULE.at(
                &url.setting,
                format!(
                    "`{}` carries ?appid=, and the framework appends the well-known path after it ('{}'), a URL that serves no metadata (IDX20803)",
                    url.setting.key,
                    ctx.metadata_address()
                ),
            )
        } else {
            match ctx.app.role {
                Role::WebApp | Role::Gateway | Role::Client => continue,
                Role::WebApi => RULE
                    .at(
                        &url.setting,
                        format!(
                            "`{}` carries ?appid=, which Microsoft.Identity.Web removes from a web API's authority without adding it to the metadata address: the app's SAML/custom signing key is never loaded (IDX10503 / IDX10501)",
                            url.setting.key
                        ),
                    )
                    .with_severity(Severity::Warning),
                Role::Unknown => RULE
                    .at(
                        &url.setting,
                        format!(
                            "`{}` carries ?appid=: kept by a web app, but dropped if this section configures a web API (AddMicrosoftIdentityWebApi), whose SAML/custom signing key is then never loaded (IDX10503 / IDX10501)",
                            url.setting.key
                        ),
                    )
                    .with_severity(Severity::Warning),
            }
        };
        out.push(diagnostic.with_help(help));
    }
}
