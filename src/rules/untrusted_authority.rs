//! An MSAL.js / MSAL Node client signs in at an Azure AD B2C authority whose host is not in
//! `knownAuthorities`: MSAL refuses the authority before any request.
//! upstream: AzureAD/microsoft-authentication-library-for-js lib/msal-common/src/authority/
//! Authority.ts (cloud discovery: CIAM hosts, `cloudDiscoveryMetadata`, `knownAuthorities`,
//! Microsoft's own hosts, then network instance discovery, which answers nothing for B2C hosts),
//! lib/msal-common/src/error/ClientConfigurationError.ts (`untrusted_authority`).

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::infer::UrlPurpose;
use crate::model::Framework;
use crate::stacks::node::msal::{authority_domain, is_known_authority};

pub static RULE: Rule = Rule {
    id: "untrusted-authority",
    doc: include_str!("../../rules/untrusted-authority.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if ctx.app.framework != Framework::MsalJs {
        return;
    }
    // Metadata given in configuration replaces discovery: nothing is looked up.
    if ctx.app.value("cloudDiscoveryMetadata").is_some()
        || ctx.app.value("authorityMetadata").is_some()
    {
        return;
    }
    // A list written with values only known when the app runs (`[authorityDomain]` from an
    // import, `process.env.X`): whatever it holds, it is not shown to be missing the host.
    let unknown_entries = (ctx.app.settings())
        .any(|s| s.key.to_ascii_lowercase().contains("knownauthorities") && s.text().is_none());
    if unknown_entries {
        return;
    }
    let known: Vec<&str> = ctx
        .app
        .values("knownAuthorities")
        .into_iter()
        .filter_map(|s| s.text())
        .collect();
    for authority in ctx.urls_for(UrlPurpose::Authority) {
        if authority.url.family() != Family::B2c
            || !authority
                .url
                .host
                .to_ascii_lowercase()
                .contains(".b2clogin.")
        {
            continue;
        }
        let written = authority.setting.value.trim();
        if is_known_authority(written, &known) {
            continue;
        }
        let domain = authority_domain(written);
        out.push(
            RULE.at(
                &authority.setting,
                format!(
                    "MSAL does not trust the B2C authority host '{domain}': it is not in knownAuthorities, so MSAL throws before signing anyone in (ClientConfigurationError untrusted_authority: \"The provided authority is not a trusted authority. Please include this authority in the knownAuthorities config parameter.\")"
                ),
            )
            .with_help(format!("add \"{domain}\" to auth.knownAuthorities")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;

    fn findings(options: &[(&str, &str)]) -> Vec<Diagnostic> {
        crate::rules::findings_of(check, &gateway_app(Framework::MsalJs, options))
    }

    const AUTHORITY: &str = "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi";

    #[test]
    fn a_b2c_host_missing_from_known_authorities() {
        assert_eq!(findings(&[("authority", AUTHORITY)]).len(), 1);
        let other = findings(&[
            ("authority", AUTHORITY),
            ("knownAuthorities:0", "fabrikam.b2clogin.com"),
        ]);
        assert!(other[0].message.contains("'contoso.b2clogin.com'"));
    }

    #[test]
    fn a_list_known_only_at_run_time_is_not_missing_the_host() {
        // `knownAuthorities: [authorityDomain]` with the constant imported, `[process.env.X]`.
        assert!(findings(&[("authority", AUTHORITY), ("knownAuthorities", "")]).is_empty());
        assert!(
            findings(&[
                ("authority", AUTHORITY),
                ("knownAuthorities:0", "fabrikam.b2clogin.com"),
                ("knownAuthorities:1", ""),
            ])
            .is_empty()
        );
    }

    #[test]
    fn listed_hosts_microsoft_hosts_and_given_metadata_pass() {
        assert!(
            findings(&[
                ("authority", AUTHORITY),
                ("knownAuthorities:0", "contoso.b2clogin.com")
            ])
            .is_empty()
        );
        assert!(findings(&[("authority", "https://login.microsoftonline.com/common")]).is_empty());
        assert!(
            findings(&[
                ("authority", AUTHORITY),
                ("authorityMetadata", "{\"issuer\":\"x\"}")
            ])
            .is_empty()
        );
    }
}
