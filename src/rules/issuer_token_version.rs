//! The issuer side of the token version: a framework that compares issuers exactly accepts
//! only the issuer form (v1.0 `https://sts.windows.net/{tid}/` or v2.0
//! `https://login.microsoftonline.com/{tid}/v2.0`) of the metadata it loads and the issuers it
//! lists. Tokens of the other version fail with IDX10205; and since the accepted issuers fix the
//! token version, they also fix the form of `aud` (v2.0: the client id; v1.0: the App ID URI).
//! upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
//! src/Microsoft.IdentityModel.Tokens/Validators.cs (`ValidateIssuer`, ordinal comparison).

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::graph::is_graph_audience;
use crate::domain::identity_url::{Family, IdentityUrl};
use crate::domain::values::is_guid;
use crate::infer::IssuerCheck;

pub static RULE: Rule = Rule {
    id: "issuer-token-version",
    doc: include_str!("../../rules/issuer-token-version.md"),
    check: Check::App(check),
};

/// The token version an Entra ID issuer belongs to.
fn issuer_version(issuer: &str) -> Option<u8> {
    let url = IdentityUrl::parse(issuer)?;
    if url.family() != Family::Entra && url.host != "sts.windows.net" {
        return None;
    }
    if url.host == "sts.windows.net" {
        Some(1)
    } else if url.segments().last().is_some_and(|s| *s == "v2.0") {
        Some(2)
    } else {
        None
    }
}

/// Every accepted issuer is of one version: that version.
fn accepted_version(issuers: &[String]) -> Option<u8> {
    let versions: Vec<Option<u8>> = issuers.iter().map(|i| issuer_version(i)).collect();
    let first = (*versions.first()?)?;
    versions.iter().all(|v| *v == Some(first)).then_some(first)
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let inference = ctx.inference;
    // A {tenantid} template already fails every token: multitenant-exact-issuer says so.
    let template = inference.issuers.iter().any(|i| i.contains("{tenantid}"));
    if inference.issuer_check != IssuerCheck::Exact || inference.family != Family::Entra || template
    {
        return;
    }
    let Some(accepted) = accepted_version(&inference.issuers) else {
        return;
    };
    let anchor = inference
        .issuer_settings
        .first()
        .or_else(|| ctx.metadata_source());
    match ctx.registration().and_then(|r| r.token_version) {
        Some(issued) if issued != accepted => {
            let Some(anchor) = anchor else { return };
            let mut diagnostic = RULE.at(anchor, format!(
                "the app registration issues v{issued}.0 access tokens, but {} accepts only v{accepted}.0 issuers ({}): every token fails with {}",
                ctx.app.framework.display_name(),
                inference.issuers.join(", "),
                ctx.error_or(Failure::Issuer, "IDX10205 (issuer validation failed)")
            ))
            .with_help(if accepted == 1 {
                "use the v2.0 authority (…/<tenant>/v2.0) and its issuer, or set the registration's requestedAccessTokenVersion to 1"
            } else {
                "use the v1.0 authority and issuer (https://sts.windows.net/<tenant-id>/), or set the registration's requestedAccessTokenVersion to 2"
            });
            if let Some(origin) = ctx.registration().and_then(|r| r.origin) {
                diagnostic = diagnostic.with_related(origin, "the app registration");
            }
            out.push(diagnostic);
        }
        Some(_) => {}
        None => audience_form(ctx, accepted, out),
    }
}

/// Without a registration export, only accepted v2.0 issuers tell the form of `aud`: a v2.0
/// access token's aud is always the API's client id. A v1.0 token's aud is whatever resource the
/// client asked for (the App ID URI or the client id), so v1.0 issuers say nothing about it.
fn audience_form(ctx: &AppContext, accepted: u8, out: &mut Vec<Diagnostic>) {
    let inference = ctx.inference;
    let audiences: Vec<&str> = inference.audiences.iter().map(|a| a.trim()).collect();
    // A Graph audience is its own cause, reported by graph-audience.
    if accepted != 2
        || audiences.is_empty()
        || audiences.iter().any(|a| is_graph_audience(a) || is_guid(a))
    {
        return;
    }
    let Some(setting) = inference.audience_settings.first() else {
        return;
    };
    let issuer_anchor = inference
        .issuer_settings
        .first()
        .or_else(|| ctx.metadata_source());
    let mut diagnostic = RULE
        .at(setting, format!(
            "{} accepts only v2.0 issuers ({}), so only v2.0 tokens pass, whose aud is the API's client id (a GUID); `{}` accepts only {}: every token fails with {}",
            ctx.app.framework.display_name(),
            inference.issuers.join(", "),
            setting.key,
            audiences.join(", "),
            ctx.error_or(Failure::Audience, "IDX10214 (audience validation failed)")
        ))
        .with_help("accept the API's client id (ValidAudiences), or accept v1.0 issuers if the API's registration issues v1.0 tokens");
    if let Some(anchor) = issuer_anchor {
        diagnostic = diagnostic.with_related(anchor.origin, "decides the accepted issuers");
    }
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::section_app;
    use crate::model::{App, Framework};

    const TID: &str = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";
    const CID: &str = "9b2e4c61-0d7a-4f3b-8e15-6a4d2c9f0b71";

    fn messages(app: &App) -> Vec<String> {
        let out = crate::rules::findings_of(check, app);
        out.into_iter().map(|d| d.message).collect()
    }

    // upstream: dotnet/aspnetcore src/Azure/AzureAD/Authentication.AzureAD.UI/src/
    // AzureADJwtBearerOptionsConfiguration.cs (v1 authority, `Audience = ClientId`): a v1.0
    // token's aud is the resource the client asked for, which may be the client id.
    #[test]
    fn v1_issuers_with_a_client_id_audience_are_not_reported() {
        let json = format!(
            r#"{{"AzureAd": {{"Instance": "https://login.microsoftonline.com/", "TenantId": "{TID}", "ClientId": "{CID}"}}}}"#
        );
        let app = section_app(Framework::AzureAdUi, "AzureAd", &json, None);
        assert_eq!(
            accepted_version(&crate::infer::infer(&app).issuers),
            Some(1)
        );
        assert!(messages(&app).is_empty(), "{:?}", messages(&app));
    }

    // upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
    // src/Microsoft.IdentityModel.Tokens/Validators.cs (`ValidateAudience`): a v2.0 token's aud
    // is the client id, so an App ID URI alone never matches.
    #[test]
    fn v2_issuers_with_only_an_app_id_uri_reject_every_token() {
        let json = format!(
            r#"{{"Authentication": {{"Schemes": {{"Bearer": {{"Authority": "https://login.microsoftonline.com/{TID}/v2.0", "ValidIssuer": "https://login.microsoftonline.com/{TID}/v2.0", "ValidAudiences": ["api://orders"]}}}}}}}}"#
        );
        let app = section_app(
            Framework::AspnetcoreJwtBearer,
            "Authentication:Schemes:Bearer",
            &json,
            Some("net9.0"),
        );
        let found = messages(&app);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("IDX10214"), "{}", found[0]);
    }

    #[test]
    fn issuer_forms_name_their_token_version() {
        let tid = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";
        assert_eq!(
            issuer_version(&format!("https://sts.windows.net/{tid}/")),
            Some(1)
        );
        assert_eq!(
            issuer_version(&format!("https://login.microsoftonline.com/{tid}/v2.0")),
            Some(2)
        );
        assert_eq!(issuer_version("https://contoso.b2clogin.com/x/v2.0/"), None);
        assert_eq!(
            accepted_version(&[
                format!("https://sts.windows.net/{tid}/"),
                format!("https://login.microsoftonline.com/{tid}/v2.0")
            ]),
            None,
            "both versions accepted"
        );
    }
}
