//! A JwtBearer scheme bound from `Authentication:Schemes:{scheme}` without `ValidIssuer(s)` or
//! `ValidAudience(s)`: what that means depends on the ASP.NET Core version.
//! upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerConfigureOptions.cs
//! (@0152cd77 for .NET 7/8, @b43929d8 for .NET 9+), and
//! AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
//! src/Microsoft.IdentityModel.Tokens/Validators.cs (`ValidateAudience`: an empty list is
//! compared and fails IDX10214).

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::stacks::dotnet::aspnetcore::{
    Binding, binding, bound_from_configuration, lists_audiences,
};

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
    let has_issuers = ["ValidIssuer", "ValidIssuers"]
        .iter()
        .any(|n| !app.values(n).is_empty());
    let has_audiences = lists_audiences(app);
    let (binding, evidence) = binding(app);
    let version = version_note(binding, evidence);
    let message = match binding {
        Binding::Absent(major) => format!(
            "`{}` is never read on .NET {major}: ASP.NET Core binds `Authentication:Schemes` only from .NET 7, so the scheme has no authority and every token fails (IDX10500){version}",
            app.section
        ),
        Binding::OnlyWhenListed(major) if !has_issuers || !has_audiences => format!(
            "`{}` lists no {}: on .NET {major} the configuration binding then {}{}{version}",
            app.section,
            missing_keys(has_issuers, has_audiences),
            unvalidated_consequence(has_issuers, has_audiences),
            audience_elsewhere_note(app, has_audiences),
        ),
        // The `Audience` key the binding ignores is reported by audience-ignored.
        Binding::Always(_)
            if !has_audiences
                && !["Audience", "ClientId"]
                    .iter()
                    .any(|k| app.value(k).is_some())
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

/// What the .NET 7/8 binding leaves unchecked (`ValidateX = list.Count > 0`), and what passes.
fn unvalidated_consequence(has_issuers: bool, has_audiences: bool) -> &'static str {
    match (has_issuers, has_audiences) {
        (false, false) => {
            "validates neither the issuer nor the audience, so tokens issued to any application (and, with Entra's shared signing keys, by any tenant) are accepted"
        }
        (false, true) => {
            "does not validate the issuer, so tokens from any issuer whose signing keys match (with Entra's shared signing keys, any tenant) are accepted"
        }
        _ => "does not validate the audience, so tokens issued to any application are accepted",
    }
}

/// An audience set where the .NET 7/8 binding does not look: it fills `ValidAudience` (or is
/// ignored) but `ValidateAudience` stays false.
fn audience_elsewhere_note(app: &crate::model::App, has_audiences: bool) -> String {
    if has_audiences {
        return String::new();
    }
    if app
        .code
        .as_ref()
        .is_some_and(|code| code.assigns("Audience"))
    {
        " (the `Audience` set in code fills ValidAudience but does not turn audience validation back on)".to_string()
    } else if let Some(key) = ["Audience", "ClientId"]
        .into_iter()
        .find(|k| app.value(k).is_some())
    {
        format!(" (a `{key}` key does not turn audience validation on)")
    } else {
        String::new()
    }
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

#[cfg(test)]
mod tests {
    //! upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerConfigureOptions.cs
    //! (.NET 7/8 `ValidateAudience = audiences.Count > 0` from ValidAudience(s) only; .NET 9+
    //! validation on by default) and JwtBearerExtensions.cs (the binding is registered before
    //! the AddJwtBearer delegate, whose `Audience` only fills ValidAudience in
    //! JwtBearerPostConfigureOptions.cs).
    use super::*;
    use crate::infer::infer;
    use crate::infer::tests_support::section_app;
    use crate::infer::{AudienceCheck, IssuerCheck};
    use crate::model::{App, CodeOrigin, Framework};
    use crate::source::{FileId, Location, Span};

    const AUTHORITY: &str =
        "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";

    fn scheme(extra: &str, target: Option<&str>) -> App {
        let json = format!(
            r#"{{"Authentication": {{"Schemes": {{"Bearer": {{"Authority": "{AUTHORITY}"{extra}}}}}}}}}"#
        );
        section_app(
            Framework::AspnetcoreJwtBearer,
            "Authentication:Schemes:Bearer",
            &json,
            target,
        )
    }

    fn with_code(mut app: App, assigned: &[&str]) -> App {
        let at = Location {
            file: FileId(2),
            span: Span::default(),
        };
        app.code = Some(CodeOrigin {
            call: at,
            section_named_at: at,
            section_required: false,
            assigned: assigned.iter().map(|k| k.to_string()).collect(),
        });
        app
    }

    fn messages(app: &App) -> Vec<String> {
        let out = crate::rules::findings_of(check, app);
        assert!(out.iter().all(|d| d.rule == RULE.id));
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn net6_never_reads_the_section() {
        let found = messages(&scheme("", Some("net6.0")));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("never read on .NET 6"), "{}", found[0]);
    }

    #[test]
    fn net8_with_neither_list_accepts_any_application_and_tenant() {
        let found = messages(&scheme("", Some("net8.0")));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("validates neither the issuer nor the audience"));
        assert!(found[0].contains("(target framework net8.0)"));
        assert!(!found[0].contains(".NET 9"), "no hedging: {}", found[0]);
    }

    #[test]
    fn net8_with_only_issuers_leaves_the_audience_unchecked() {
        let found = messages(&scheme(
            &format!(r#", "ValidIssuers": ["{AUTHORITY}"]"#),
            Some("net8.0"),
        ));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("lists no ValidAudience(s)"));
        assert!(found[0].contains(
            "does not validate the audience, so tokens issued to any application are accepted"
        ));
    }

    #[test]
    fn net8_with_only_audiences_says_the_issuer_is_not_validated() {
        let found = messages(&scheme(
            r#", "ValidAudiences": ["api://orders"]"#,
            Some("net8.0"),
        ));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("lists no ValidIssuer(s)"));
        assert!(
            found[0].contains(
                "does not validate the issuer, so tokens from any issuer whose signing keys match"
            ),
            "{}",
            found[0]
        );
        assert!(!found[0].contains("validates the issuer"));
    }

    #[test]
    fn net8_with_both_lists_is_fine() {
        let extra = format!(r#", "ValidIssuer": "{AUTHORITY}", "ValidAudience": "api://orders""#);
        assert!(messages(&scheme(&extra, Some("net8.0"))).is_empty());
    }

    #[test]
    fn net8_audience_key_or_code_audience_does_not_enable_validation() {
        let issuers = format!(r#", "ValidIssuers": ["{AUTHORITY}"]"#);
        let keyed = scheme(
            &format!(r#"{issuers}, "Audience": "api://orders""#),
            Some("net8.0"),
        );
        assert_eq!(infer(&keyed).audience_check, AudienceCheck::Disabled);
        let found = messages(&keyed);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("`Audience` key does not turn audience validation on"),
            "{}",
            found[0]
        );

        let coded = with_code(scheme(&issuers, Some("net8.0")), &["Audience"]);
        assert_eq!(infer(&coded).audience_check, AudienceCheck::Disabled);
        let found = messages(&coded);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("set in code fills ValidAudience"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn net8_code_that_sets_the_validation_parameters_is_exempt() {
        for assigned in [
            "TokenValidationParameters",
            "TokenValidationParameters:ValidAudience",
            "TokenValidationParameters:ValidateAudience",
        ] {
            let app = with_code(scheme("", Some("net8.0")), &[assigned]);
            assert!(messages(&app).is_empty(), "{assigned}");
        }
        // A claim mapping does not touch what the binding decided.
        let app = with_code(
            scheme("", Some("net8.0")),
            &["TokenValidationParameters:NameClaimType"],
        );
        assert_eq!(messages(&app).len(), 1);
    }

    #[test]
    fn net9_empty_audience_list_rejects_every_token_unless_code_sets_audience() {
        let found = messages(&scheme("", Some("net9.0")));
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("IDX10214"));
        assert_eq!(
            infer(&scheme("", Some("net9.0"))).issuer_check,
            IssuerCheck::Exact
        );
        assert!(messages(&with_code(scheme("", Some("net9.0")), &["Audience"])).is_empty());
        let unknown = messages(&scheme("", None));
        assert!(unknown[0].contains(".NET 9 or later assumed"));
    }
}
