//! oauth2-proxy's `entra-id` provider with an issuer its session check rejects.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

pub static RULE: Rule = Rule {
    id: "oauth2-proxy-entra-id-issuer",
    doc: include_str!("../../rules/oauth2-proxy-entra-id-issuer.md"),
    check: Check::App(check),
};

/// The provider's own test: `^https://login\.microsoftonline\.com/([a-zA-Z0-9-]+)/v2\.0$`.
pub fn is_accepted_issuer(issuer: &str) -> bool {
    issuer
        .strip_prefix("https://login.microsoftonline.com/")
        .and_then(|rest| rest.strip_suffix("/v2.0"))
        .is_some_and(|tenant| {
            !tenant.is_empty()
                && tenant
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    if app.framework != Framework::Oauth2Proxy
        || !app
            .value("provider")
            .is_some_and(|p| p.eq_ignore_ascii_case("entra-id"))
    {
        return;
    }
    let Some(setting) = app.setting("oidc_issuer_url") else {
        return;
    };
    let Some(issuer) = usable(setting) else {
        return;
    };
    if is_accepted_issuer(issuer) {
        return;
    }
    let lower = issuer.to_ascii_lowercase();
    let help = if lower.starts_with("https://login.microsoftonline.com/")
        && lower.trim_end_matches('/').ends_with("/v2.0")
    {
        "write the issuer exactly as https://login.microsoftonline.com/<tenant-id>/v2.0 (tenant id, no trailing slash)".to_string()
    } else if lower.contains("sts.windows.net") {
        "use the v2.0 issuer https://login.microsoftonline.com/<tenant-id>/v2.0".to_string()
    } else {
        "use provider = \"oidc\": the entra-id provider only works with public-cloud workforce tenants".to_string()
    };
    out.push(
        RULE.at(
            setting,
            format!(
                "oauth2-proxy's entra-id provider only accepts ID tokens whose issuer matches https://login.microsoftonline.com/<tenant>/v2.0; with '{issuer}' every sign-in ends in 403 (\"invalid issuer in the ID token\")"
            ),
        )
        .with_help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::is_accepted_issuer;

    #[test]
    fn only_public_cloud_v2_issuers_pass() {
        assert!(is_accepted_issuer(
            "https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0"
        ));
        assert!(is_accepted_issuer(
            "https://login.microsoftonline.com/common/v2.0"
        ));
        assert!(!is_accepted_issuer(
            "https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/"
        ));
        assert!(!is_accepted_issuer(
            "https://login.microsoftonline.us/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0"
        ));
        assert!(!is_accepted_issuer(
            "https://sts.windows.net/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/"
        ));
        assert!(!is_accepted_issuer(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
        ));
    }
}
