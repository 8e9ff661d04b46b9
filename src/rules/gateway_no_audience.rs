//! A gateway JWT rule that checks no audience (Istio `RequestAuthentication` without
//! `audiences`, Envoy `jwt_authn` providers without `audiences`), and, worse, no issuer either.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::identity_url::Family;
use crate::infer::{AudienceCheck, IssuerCheck};
use crate::model::Role;

pub static RULE: Rule = Rule {
    id: "gateway-no-audience",
    doc: include_str!("../../rules/gateway-no-audience.md"),
    check: Check::App(check),
};

/// upstream: envoyproxy/envoy api/envoy/extensions/filters/http/jwt_authn/v3/config.proto
/// (`JwtProvider.issuer` and `.audiences`: not checked when empty); istio/istio
/// pilot/pkg/security/authn/policy_applier.go (rule audiences copied as they are).
fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let inference = ctx.inference;
    if ctx.app.role != Role::Gateway
        || inference.audience_check != AudienceCheck::Disabled
        || inference.family == Family::Unknown
    {
        return;
    }
    let keys = ctx.keys_address();
    let diagnostic = if inference.issuer_check == IssuerCheck::Disabled {
        RULE.diagnostic(
            ctx.app.location(),
            format!(
                "{} checks neither issuer nor audience: every token signed with the keys of '{keys}' passes, whichever tenant issued it and whichever application it is for, Microsoft Graph tokens included",
                ctx.app.section
            ),
        )
        .with_help("set issuer to your tenant's issuer and audiences to this API's client id and App ID URI")
    } else {
        RULE.diagnostic(
            ctx.app.location(),
            format!(
                "{} checks no audience: every token issued by '{}' passes, whichever application it was issued for, including Microsoft Graph tokens of the same tenant",
                ctx.app.section,
                inference.issuers.join("', '")
            ),
        )
        .with_severity(Severity::Warning)
        .with_help("list this API's client id and App ID URI in audiences")
    };
    out.push(diagnostic);
}
