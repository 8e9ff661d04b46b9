//! An API Management `validate-jwt` that checks no audience.

use super::audience_not_validated::any_application_passes;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "apim-no-audience",
    doc: include_str!("../../rules/apim-no-audience.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    // Keys from an identity provider this tool knows; policies with their own keys are not ours.
    if app.framework != Framework::ApimValidateJwt || ctx.inference.family == Family::Unknown {
        return;
    }
    // An audience given as a policy expression or a secret named value is still an audience check.
    if app
        .bound
        .iter()
        .any(|(option, _)| option.starts_with("ValidAudiences:"))
    {
        return;
    }
    let origin = (ctx.inference.issuers.first()).map_or_else(
        || "signed with the metadata's keys".to_string(),
        |issuer| format!("issued by '{issuer}'"),
    );
    out.push(
        RULE.diagnostic(
            app.location(),
            any_application_passes(
                "this validate-jwt checks no audience (no <audiences>, no required 'aud' claim)",
                &origin,
            ),
        )
        .with_help("add <audiences><audience>{api-client-id}</audience><audience>api://{api-client-id}</audience></audiences> with this API's client id and App ID URI"),
    );
}
