//! A JwtBearer scheme bound from `Authentication:Schemes:{scheme}` without `ValidIssuer(s)` or
//! `ValidAudience(s)`: what that means depends on the ASP.NET Core version.
//! upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerConfigureOptions.cs
//! (@0152cd77 for .NET 7/8, @b43929d8 for .NET 9+), and
//! AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
//! src/Microsoft.IdentityModel.Tokens/Validators.cs (`ValidateAudience`: an empty list is
//! compared and fails IDX10214).

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::infer::aspnetcore::{Binding, binding, bound_from_configuration};

pub static RULE: Rule = Rule {
    id: "bound-scheme-unvalidated",
    doc: include_str!("../../rules/bound-scheme-unvalidated.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    if !bound_from_configuration(app) || !ctx.inference.is_microsoft() {
        return;
    }
    let listed = |names: &[&str]| names.iter().any(|n| !app.values(n).is_empty());
    let has_issuers = listed(&["ValidIssuer", "ValidIssuers"]);
    let has_audiences = listed(&["ValidAudience", "ValidAudiences"]);
    // An `Audience` or `ClientId` key the binding ignores is reported by audience-ignored.
    let ignored_audience = ["Audience", "ClientId"]
        .iter()
        .any(|k| app.value(k).is_some());
    let (binding, evidence) = binding(app);
    let version = version_note(binding, evidence);
    let message = match binding {
        Binding::Absent(major) => format!(
            "`{}` is never read on .NET {major}: ASP.NET Core binds `Authentication:Schemes` only from .NET 7, so the scheme has no authority and every token fails (IDX10500){version}",
            app.section
        ),
        Binding::OnlyWhenListed(major) if !has_issuers || (!has_audiences && !ignored_audience) => {
            let unchecked = match (has_issuers, has_audiences) {
                (false, false) => "neither the issuer nor the audience",
                (false, true) => "the issuer",
                _ => "the audience",
            };
            format!(
                "`{}` lists no {}: on .NET {major} the configuration binding then validates {unchecked}, so tokens issued to any application (and, with Entra's shared signing keys, by any tenant) are accepted{version}",
                app.section,
                missing_keys(has_issuers, has_audiences)
            )
        }
        Binding::Always(_)
            if !has_audiences
                && !ignored_audience
                && !app
                    .setting("ValidateAudience")
                    .is_some_and(|s| s.is_false()) =>
        {
            format!(
                "`{}` lists no ValidAudience(s): from .NET 9 the configuration binding validates the audience against an empty list, so every token fails with IDX10214{version}",
                app.section
            )
        }
        _ => return,
    };
    let primary = app
        .setting("Authority")
        .or_else(|| app.setting("MetadataAddress"))
        .map(|s| s.origin)
        .unwrap_or_else(|| app.location());
    out.push(
        RULE.diagnostic(primary, message)
            .with_key(app.section.clone())
            .with_help(format!(
                "list the accepted values in {0}:ValidIssuers and {0}:ValidAudiences (the API's client id and/or App ID URI)",
                app.section
            )),
    );
}

fn missing_keys(has_issuers: bool, has_audiences: bool) -> &'static str {
    match (has_issuers, has_audiences) {
        (false, false) => "ValidIssuer(s) and no ValidAudience(s)",
        (false, true) => "ValidIssuer(s)",
        _ => "ValidAudience(s)",
    }
}

/// Which version the message assumes, and why.
fn version_note(binding: Binding, evidence: Option<String>) -> String {
    match (evidence, binding) {
        (Some(evidence), _) => format!(" ({evidence})"),
        (None, Binding::Always(_)) => " (no target framework found: .NET 9 or later assumed; on .NET 7 and 8 the same configuration validates no audience and accepts tokens issued to any application)".to_string(),
        (None, _) => String::new(),
    }
}
