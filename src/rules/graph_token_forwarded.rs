//! oauth2-proxy's `azure` provider on the v2.0 endpoint forwards a Microsoft Graph token.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "graph-token-forwarded",
    doc: include_str!("../../rules/graph-token-forwarded.md"),
    check: Check::App(check),
};

/// The options that hand the access token to the upstream app.
const FORWARDING: &[&str] = &[
    "pass_access_token",
    "set_authorization_header",
    "pass_authorization_header",
];

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    if app.framework != Framework::Oauth2Proxy
        || !app
            .value("provider")
            .is_some_and(|p| p.eq_ignore_ascii_case("azure"))
    {
        return;
    }
    // The provider asks for Graph when its login URL (discovered, or set) is a v2.0 endpoint.
    let discovered_v2 = !app.is_on("skip_oidc_discovery") && ctx.inference.version == Some("v2.0");
    let login_v2 = app.value("login_url").is_some_and(|u| u.contains("v2.0"));
    if !discovered_v2 && !login_v2 {
        return;
    }
    let graph = app
        .value("profile_url")
        .and_then(|u| u.split('/').nth(2).map(str::to_string))
        .unwrap_or_else(|| "graph.microsoft.com".to_string());
    // One finding: the first option that forwards the token.
    if let Some(setting) = FORWARDING
        .iter()
        .find_map(|option| app.setting(option).filter(|s| s.is_true()))
    {
        out.push(
            RULE.at(
                setting,
                format!(
                    "the azure provider on the v2.0 endpoint asks Entra ID for a Microsoft Graph token (it adds https://{graph}/.default to the scope), and `{}` forwards that token upstream: an API that validates its own audience rejects it (IDX10511 or IDX10214 in a .NET API)",
                    setting.key
                ),
            )
            .with_help("use provider = \"entra-id\" (or \"oidc\") and set scope to \"openid profile email api://<api-client-id>/<scope>\" so the forwarded token is issued for your API"),
        );
    }
}
