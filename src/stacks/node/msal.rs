//! MSAL Node / MSAL.js (`@azure/msal-node`, `@azure/msal-browser`, msal-angular/react): a client
//! that signs in at `auth.authority` and asks for tokens; it validates none.
//! upstream: AzureAD/microsoft-authentication-library-for-js lib/msal-common/src/authority/Authority.ts
//! (`defaultOpenIdConfigurationEndpoint`, `isInKnownAuthorities`, cloud discovery order),
//! lib/msal-common/src/utils/Constants.ts (default authority); docs/stacks-verified.md §4.

use crate::infer::url_setting;
use crate::infer::{Inference, UrlPurpose, derive, metadata_from_authority};
use crate::model::App;

/// MSAL's authority when none is configured (msal-common src/utils/Constants.ts
/// `DEFAULT_AUTHORITY`).
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com/common/";

/// Where MSAL discovers an authority: `<authority>/v2.0/.well-known/openid-configuration`
/// unless the authority already names `v2.0`.
pub fn metadata_address(authority: &str) -> String {
    let authority = authority.trim().trim_end_matches('/');
    if authority.split('/').any(|segment| segment == "v2.0") {
        metadata_from_authority(authority)
    } else {
        metadata_from_authority(&format!("{authority}/v2.0"))
    }
}

/// `host[:port]` of an authority or a `knownAuthorities` entry (which may be a bare host or a
/// URL), lower-cased: MSAL compares these (`UrlString.getDomainFromUrl`).
pub fn authority_domain(text: &str) -> String {
    let text = text.trim();
    let without_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// `authority`'s domain is one of `known` (`knownAuthorities` entries).
pub fn is_known_authority(authority: &str, known: &[&str]) -> bool {
    let domain = authority_domain(authority);
    known.iter().any(|entry| authority_domain(entry) == domain)
}

pub fn infer(app: &App) -> Inference {
    let written = app.setting("authority");
    // Written but not known here (a member of an imported object, a variable): unknown, not
    // MSAL's default, which applies only when no authority is given.
    let authority = match written {
        None => Some(DEFAULT_AUTHORITY.to_string()),
        Some(setting) => setting.text().map(str::to_string),
    };
    let authority_setting = written.filter(|s| s.text().is_some());
    let metadata = authority.as_deref().map(metadata_address);
    let derived = derive(metadata.as_deref());
    let urls = authority_setting
        .and_then(|s| url_setting(UrlPurpose::Authority, s))
        .into_iter()
        .collect();
    Inference {
        authority,
        metadata_address: metadata,
        metadata_sources: authority_setting.cloned().into_iter().collect(),
        urls,
        client_id: app.setting("clientId").cloned(),
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    #[test]
    fn b2c_authority_is_discovered_below_its_policy() {
        let app = gateway_app(
            Framework::MsalJs,
            &[(
                "authority",
                "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi",
            )],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(inference.policy.as_deref(), Some("B2C_1_susi"));
    }

    #[test]
    fn an_authority_written_but_unknown_is_not_the_default() {
        let inference = infer(&gateway_app(
            Framework::MsalJs,
            &[("clientId", "c"), ("authority", "")],
        ));
        assert_eq!(inference.authority, None);
        assert_eq!(inference.metadata_address, None);
    }

    #[test]
    fn no_authority_means_common() {
        // upstream: msal-common Constants.ts `DEFAULT_AUTHORITY`.
        let inference = infer(&gateway_app(Framework::MsalJs, &[("clientId", "c")]));
        assert_eq!(inference.authority.as_deref(), Some(DEFAULT_AUTHORITY));
        assert_eq!(inference.tenant.as_deref(), Some("common"));
        assert!(inference.urls.is_empty());
    }

    #[test]
    fn known_authorities_match_by_domain_with_port() {
        // upstream: Authority.ts `isInKnownAuthorities` compares `getDomainFromUrl` results.
        let authority = "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi";
        assert!(is_known_authority(authority, &["contoso.b2clogin.com"]));
        assert!(is_known_authority(
            authority,
            &["https://CONTOSO.b2clogin.com/x"]
        ));
        assert!(!is_known_authority(
            authority,
            &["contoso.b2clogin.com:444"]
        ));
        assert!(!is_known_authority(authority, &["fabrikam.b2clogin.com"]));
    }
}
