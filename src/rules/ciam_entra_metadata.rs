//! An Entra External ID (ciamlogin.com) tenant validated against workforce metadata, or the reverse.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::infer::UrlPurpose;

pub static RULE: Rule = Rule {
    id: "ciam-entra-metadata",
    doc: include_str!("../../rules/ciam-entra-metadata.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(source) = ctx.metadata_source() else {
        return;
    };
    let metadata = ctx.keys_address();
    match ctx.metadata_family() {
        Family::Entra => {
            let ciam: Vec<_> = ctx
                .inference
                .urls
                .iter()
                .filter(|u| u.url.family() == Family::Ciam)
                .collect();
            if ciam.is_empty() {
                return;
            }
            let mut diagnostic = RULE.at(
                source,
                format!(
                    "keys come from workforce Entra ID metadata '{metadata}' while the app is configured for an External ID (ciamlogin.com) tenant: its tokens carry a ciamlogin.com issuer, so validation fails (IDX40001, IDX10205)"
                ),
            );
            for url in ciam {
                diagnostic =
                    diagnostic.with_related(url.setting.origin, "names an External ID host");
            }
            out.push(diagnostic.with_help(
                "use the External ID authority https://<subdomain>.ciamlogin.com/<tenant-id>/v2.0",
            ));
        }
        Family::Ciam => {
            for issuer in ctx
                .urls_for(UrlPurpose::Issuer)
                .filter(|u| u.url.family() == Family::Entra)
            {
                out.push(
                    RULE.at(
                        &issuer.setting,
                        format!(
                            "`{}` expects a workforce Entra ID issuer, but the app validates External ID tokens from '{metadata}', whose issuer is https://<tenant-id>.ciamlogin.com/<tenant-id>/v2.0 (IDX10205, IDX40001)",
                            issuer.setting.key
                        ),
                    )
                    .with_related(source.origin, "loads External ID metadata")
                    .with_help("use the issuer the External ID metadata states"),
                );
            }
        }
        _ => {}
    }
}
