//! A client (application) id that is not a GUID.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::graph::is_graph_audience;
use crate::domain::values::is_guid;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "invalid-client-id",
    doc: include_str!("../../rules/invalid-client-id.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if ctx.app.framework == Framework::AspnetcoreJwtBearer || !ctx.inference.is_microsoft() {
        return;
    }
    let Some(setting) = ctx.app.setting("ClientId") else {
        return;
    };
    let Some(value) = usable(setting) else { return };
    // A Graph audience the app accepts is one cause with a more specific finding there.
    let reported_by_graph_audience = is_graph_audience(value)
        && ctx
            .inference
            .audience_settings
            .iter()
            .any(|s| s.origin == setting.origin);
    if is_guid(value) || reported_by_graph_audience {
        return;
    }
    let hint = if value.to_ascii_lowercase().starts_with("api://") || value.contains("://") {
        "this looks like an App ID URI; ClientId takes the Application (client) ID GUID"
    } else {
        "copy the Application (client) ID from the app registration's Overview page"
    };
    out.push(
        RULE.at(setting, format!("`{}` '{value}' is not a GUID: Entra ID rejects the sign-in with AADSTS700016 and tokens never match it (IDX10214)", setting.key))
            .with_help(hint),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::section_app;
    use crate::model::Facts;

    fn rules_firing(framework: Framework, json: &str) -> Vec<&'static str> {
        let app = section_app(framework, "AzureAd", json, None);
        let inference = crate::infer::infer(&app);
        let facts = Facts::default();
        let ctx = AppContext {
            app: &app,
            inference: &inference,
            facts: &facts,
            path: std::path::Path::new("appsettings.json"),
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        if let Check::App(graph) = crate::rules::graph_audience::RULE.check {
            graph(&ctx, &mut out);
        }
        out.into_iter().map(|d| d.rule).collect()
    }

    // upstream: dotnet/aspnetcore src/Azure/AzureAD/Authentication.AzureAD.UI/src/
    // AzureADJwtBearerOptionsConfiguration.cs: `options.Audience = ClientId`.
    #[test]
    fn a_graph_client_id_used_as_audience_is_one_graph_audience_finding() {
        let graph = r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93", "ClientId": "https://graph.microsoft.com"}}"#;
        assert_eq!(
            rules_firing(Framework::AzureAdUi, graph),
            ["graph-audience"]
        );
        // Where the client id is not an accepted audience, it is only a malformed client id.
        assert_eq!(
            rules_firing(Framework::MicrosoftIdentityWeb, graph),
            ["invalid-client-id"]
        );
        let app_id_uri = graph.replace("https://graph.microsoft.com", "api://orders");
        assert_eq!(
            rules_firing(Framework::AzureAdUi, &app_id_uri),
            ["invalid-client-id"]
        );
    }
}
