//! An audience key the framework never reads.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Framework, Role};
use crate::stacks::dotnet::aspnetcore::{Binding, binding, lists_audiences};

pub static RULE: Rule = Rule {
    id: "audience-ignored",
    doc: include_str!("../../rules/audience-ignored.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    match app.framework {
        Framework::AspnetcoreJwtBearer => {
            let (binding, evidence) = binding(app);
            // Up to .NET 8 the missing audience list is bound-scheme-unvalidated's finding (its
            // consequence is there); with ValidAudience(s) listed the ignored key changes nothing.
            if !matches!(binding, Binding::Always(_)) || lists_audiences(app) {
                return;
            }
            let assumed = evidence.unwrap_or_else(|| {
                "no target framework found: .NET 9 or later assumed".to_string()
            });
            for key in ["Audience", "ClientId"] {
                // Code that sets the option is honoured; only the configuration key is ignored.
                if app.bound.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                    continue;
                }
                let Some(setting) = app
                    .config
                    .get(&format!("{}:{key}", app.section))
                    .filter(|s| s.text().is_some())
                else {
                    continue;
                };
                out.push(
                    RULE.at(
                        setting,
                        format!(
                            "`{}` is not read by ASP.NET Core's `Authentication:Schemes` binding: with no ValidAudience(s) every token fails with IDX10214 ({assumed})",
                            setting.key
                        ),
                    )
                    .with_help(format!("use ValidAudiences: [\"{}\"]", setting.value.trim())),
                );
            }
        }
        // Only where the code binds the section with AddMicrosoftIdentityWebApi: the AOT path
        // and MicrosoftIdentityApplicationOptions do read `Audiences`.
        Framework::MicrosoftIdentityWeb if app.code.is_some() && app.role == Role::WebApi => {
            if let Some(setting) = app.values("Audiences").first() {
                out.push(
                    RULE.at(
                        setting,
                        format!(
                            "`{}` is not read by AddMicrosoftIdentityWebApi: only the client id and api://<client-id> are accepted, and tokens for the listed audiences fail with IDX10214",
                            setting.key
                        ),
                    )
                    .with_help(format!("list them under {}:TokenValidationParameters:ValidAudiences", app.section)),
                );
            }
        }
        // upstream: dotnet/aspnetcore src/Azure/AzureAD/Authentication.AzureAD.UI/src/
        // AzureADJwtBearerOptionsConfiguration.cs: `options.Audience = ClientId`, nothing else.
        Framework::AzureAdUi | Framework::AzureAdB2cUi => {
            for key in ["Audience", "Audiences"] {
                if let Some(setting) = app.values(key).first() {
                    out.push(
                        RULE.at(
                            setting,
                            format!(
                                "`{}` is not read by {}: it accepts only the ClientId as audience, so tokens whose aud is anything else (an App ID URI in v1 tokens) fail with IDX10214",
                                setting.key,
                                app.framework.display_name()
                            ),
                        )
                        .with_help("the package is retired: move to Microsoft.Identity.Web (AddMicrosoftIdentityWebApi), which accepts the client id and api://<client-id>"),
                    );
                }
            }
        }
        _ => {}
    }
}
