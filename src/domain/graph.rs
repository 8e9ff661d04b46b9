//! Microsoft Graph identifiers (reference: gateways-and-other-stacks.md §12.2).

use super::hosts::{HostKind, classify_host};

pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
pub const AAD_GRAPH_APP_ID: &str = "00000002-0000-0000-c000-000000000000";

/// The value is an audience that only Microsoft Graph (or the retired Azure AD Graph) can validate.
pub fn is_graph_audience(value: &str) -> bool {
    let value = value.trim();
    if value.eq_ignore_ascii_case(GRAPH_APP_ID) || value.eq_ignore_ascii_case(AAD_GRAPH_APP_ID) {
        return true;
    }
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.trim_end_matches('/');
    !host.contains('/')
        && matches!(
            classify_host(host).kind,
            HostKind::Graph | HostKind::AadGraph
        )
}

/// OpenID Connect scopes that any sign-in asks for; they name no resource.
pub fn is_oidc_scope(scope: &str) -> bool {
    ["openid", "profile", "email", "offline_access"]
        .iter()
        .any(|s| scope.eq_ignore_ascii_case(s))
}

/// The scope makes Entra issue a Microsoft Graph token: a bare permission name (`User.Read`),
/// a Graph URL scope or the Graph app id.
pub fn is_graph_scope(scope: &str) -> bool {
    let scope = scope.trim();
    if scope.is_empty() || is_oidc_scope(scope) {
        return false;
    }
    if let Some(rest) = scope
        .strip_prefix("https://")
        .or_else(|| scope.strip_prefix("http://"))
    {
        let host = rest.split('/').next().unwrap_or_default();
        return matches!(
            classify_host(host).kind,
            HostKind::Graph | HostKind::AadGraph
        );
    }
    if scope.len() > GRAPH_APP_ID.len()
        && scope[..GRAPH_APP_ID.len()].eq_ignore_ascii_case(GRAPH_APP_ID)
    {
        return true;
    }
    // A bare permission such as `User.Read` or `Mail.Send` is a Graph permission.
    !scope.contains("://")
        && !scope.contains('/')
        && scope.contains('.')
        && scope.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_audiences_in_every_form() {
        for aud in [
            "https://graph.microsoft.com",
            "https://graph.microsoft.com/",
            "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us/",
            "https://microsoftgraph.chinacloudapi.cn",
            "00000003-0000-0000-c000-000000000000",
            "https://graph.windows.net/",
        ] {
            assert!(is_graph_audience(aud), "{aud}");
        }
        assert!(!is_graph_audience(
            "api://e21bbca2-1b75-4dea-9e34-d3d95d2ec661"
        ));
        assert!(!is_graph_audience("https://graph.microsoft.com/v1.0/me"));
        assert!(!is_graph_audience("https://contoso.onmicrosoft.com/api"));
    }

    #[test]
    fn graph_scopes() {
        assert!(is_graph_scope("User.Read"));
        assert!(is_graph_scope("https://graph.microsoft.com/.default"));
        assert!(is_graph_scope("https://graph.microsoft.us/User.Read"));
        assert!(!is_graph_scope("openid"));
        assert!(!is_graph_scope(
            "api://e21bbca2-1b75-4dea-9e34-d3d95d2ec661/access_as_user"
        ));
        assert!(!is_graph_scope("access_as_user"));
    }
}
