//! App Service / Functions / Container Apps authentication ("Easy Auth", `authsettingsV2` and
//! `authsettings`; reference: gateways-and-other-stacks.md §2).

use crate::infer::url_setting;
use crate::infer::{Inference, IssuerCheck, UrlPurpose, derive, metadata_from_authority, texts};
use crate::model::App;

/// The issuer URL locates the metadata: `{issuer}/.well-known/openid-configuration`, or the
/// URL itself when it already is a discovery document (the workaround B2C needs).
pub fn metadata_address(issuer: &str) -> String {
    let issuer = issuer.trim();
    if issuer.to_ascii_lowercase().contains("/.well-known/") {
        issuer.to_string()
    } else {
        metadata_from_authority(issuer.trim_end_matches('/'))
    }
}

pub fn infer(app: &App) -> Inference {
    let issuer = app.setting("Authority").filter(|s| s.text().is_some());
    let metadata = issuer.and_then(|s| s.text()).map(metadata_address);
    let derived = derive(metadata.as_deref());
    let audience_settings: Vec<_> = app.values("ValidAudiences").into_iter().cloned().collect();
    // The client id is always an accepted audience.
    let audiences = app
        .value("ClientId")
        .into_iter()
        .map(str::to_string)
        .chain(texts(&audience_settings))
        .collect();
    let urls = issuer
        .and_then(|s| {
            let purpose = if metadata.as_deref() == s.text() {
                UrlPurpose::MetadataAddress
            } else {
                UrlPurpose::Authority
            };
            url_setting(purpose, s)
        })
        .into_iter()
        .collect();
    Inference {
        authority: issuer.and_then(|s| s.text()).map(str::to_string),
        metadata_address: metadata,
        metadata_sources: issuer.cloned().into_iter().collect(),
        // Tokens must carry the metadata's issuer; with common/organizations any tenant's
        // issuer passes ("it doesn't validate which tenant the request comes from").
        issuer_check: IssuerCheck::AadIssuerValidator,
        issuers: derived.document_issuer.clone().into_iter().collect(),
        audiences,
        // No issuer settings: the issuer URL is where metadata comes from, not an expected
        // issuer, and the documented https://sts.windows.net/{tenant}/v2.0 is valid there.
        audience_settings,
        urls,
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of gateways-and-other-stacks.md §2.
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn us_government_issuer() {
        let issuer = format!("https://login.microsoftonline.us/{TID}/v2.0");
        let app = gateway_app(
            Framework::AppServiceAuth,
            &[("Authority", &issuer), ("ClientId", "X")],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!("{issuer}/.well-known/openid-configuration"))
        );
        assert_eq!(
            inference.jwks_uri,
            Some(format!(
                "https://login.microsoftonline.us/{TID}/discovery/v2.0/keys"
            ))
        );
        assert_eq!(inference.issuers, vec![issuer]);
        assert_eq!(inference.audiences, vec!["X".to_string()]);
    }

    #[test]
    fn documented_sts_issuer_with_v2() {
        let app = gateway_app(
            Framework::AppServiceAuth,
            &[
                ("Authority", &format!("https://sts.windows.net/{TID}/v2.0")),
                ("ClientId", "X"),
                ("ValidAudiences:0", "api://X"),
            ],
        );
        let inference = infer(&app);
        assert_eq!(
            inference.metadata_address,
            Some(format!(
                "https://sts.windows.net/{TID}/v2.0/.well-known/openid-configuration"
            ))
        );
        assert_eq!(inference.tenant.as_deref(), Some(TID));
        assert_eq!(
            inference.audiences,
            vec!["X".to_string(), "api://X".to_string()]
        );
        assert!(inference.issuer_settings.is_empty());
    }

    #[test]
    fn a_full_b2c_discovery_url_is_used_as_is() {
        let url = "https://contoso.b2clogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi";
        let app = gateway_app(Framework::AppServiceAuth, &[("Authority", url)]);
        let inference = infer(&app);
        assert_eq!(inference.metadata_address.as_deref(), Some(url));
        assert_eq!(inference.policy.as_deref(), Some("B2C_1_susi"));
        assert_eq!(inference.urls[0].purpose, UrlPurpose::MetadataAddress);
    }
}
