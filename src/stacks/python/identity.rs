//! The `identity` package (`identity.flask.Auth`, `identity.django.Auth`, built on MSAL Python)
//! as the Microsoft Python web-app samples configure it from environment variables, and the
//! `aad.config.json` files of the older samples. A web app: it signs users in and validates only
//! its own ID tokens through MSAL, so no issuer or audience is listed.
//! upstream: rayluo/identity `ac759586` identity/web.py (`Auth.__init__`: the B2C authority
//! template when both `b2c_tenant_name` and `b2c_signup_signin_user_flow` are given);
//! AzureAD/microsoft-authentication-library-for-python msal/authority.py (tenant discovery at
//! `<authority>/v2.0/.well-known/openid-configuration`); docs/stacks-verified.md §5.2.

use crate::infer::url_setting;
use crate::infer::{Inference, UrlPurpose, UrlSetting, derive, metadata_from_authority};
use crate::model::{App, Setting};

/// `Auth`'s B2C authority: custom domains are not supported (a TODO upstream).
pub fn b2c_authority(tenant_name: &str, user_flow: &str) -> String {
    let tenant = tenant_name.trim();
    format!(
        "https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{}",
        user_flow.trim()
    )
}

/// MSAL Python's tenant discovery document for an authority.
pub fn metadata_address(authority: &str) -> String {
    metadata_from_authority(&format!("{}/v2.0", authority.trim().trim_end_matches('/')))
}

fn present<'a>(app: &'a App, name: &str) -> Option<&'a Setting> {
    app.setting(name).filter(|s| s.text().is_some())
}

pub fn infer(app: &App) -> Inference {
    let tenant = present(app, "b2c_tenant_name");
    let flow = present(app, "b2c_signup_signin_user_flow");
    let authority_setting = present(app, "authority");
    // An `oidc_authority` (custom domains) is discovered by MSAL without the `/v2.0` step;
    // entralint lists it but does not derive a document from it.
    let oidc_authority = present(app, "oidc_authority");
    // `aad.config.json` of the B2C form: the tenant-level authority, user flows joined elsewhere.
    let tenant_level = present(app, "b2c_authority");
    let (authority, sources): (Option<String>, Vec<Setting>) = match (tenant, flow) {
        (Some(t), Some(f)) => (
            Some(b2c_authority(&t.value, &f.value)),
            vec![t.clone(), f.clone()],
        ),
        _ => match (oidc_authority, authority_setting) {
            (Some(o), _) => (o.text().map(str::to_string), vec![o.clone()]),
            (None, Some(a)) => (a.text().map(str::to_string), vec![a.clone()]),
            // `Auth` renders its "Almost there" configuration page: no sign-in happens.
            (None, None) => (
                tenant_level.and_then(Setting::text).map(str::to_string),
                Vec::new(),
            ),
        },
    };
    let derived_from_authority =
        tenant.zip(flow).is_some() || (oidc_authority.is_none() && authority_setting.is_some());
    let metadata = authority
        .as_deref()
        .filter(|_| derived_from_authority)
        .map(metadata_address);
    let derived = derive(metadata.as_deref());
    let mut urls: Vec<UrlSetting> = [
        (authority_setting, UrlPurpose::Authority),
        (oidc_authority, UrlPurpose::Authority),
        (tenant_level, UrlPurpose::Authority),
    ]
    .into_iter()
    .filter_map(|(setting, purpose)| url_setting(purpose, setting?))
    .collect();
    // Scopes that name their API by URL (`https://graph.microsoft.us/User.Read`).
    urls.extend(
        (app.values("scope").into_iter())
            .filter_map(|setting| url_setting(UrlPurpose::Scope, setting)),
    );
    Inference {
        authority,
        metadata_address: metadata,
        metadata_sources: sources,
        urls,
        client_id: app.setting("client_id").cloned(),
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    fn identity(options: &[(&str, &str)]) -> Inference {
        infer(&gateway_app(Framework::PythonIdentity, options))
    }

    #[test]
    fn tenant_name_and_sign_in_flow_make_the_b2c_authority() {
        // upstream: identity/web.py `if b2c_tenant_name and b2c_signup_signin_user_flow`.
        let inference = identity(&[
            ("b2c_tenant_name", "contoso"),
            ("b2c_signup_signin_user_flow", "B2C_1_susi"),
            ("authority", "https://login.microsoftonline.com/common"),
        ]);
        assert_eq!(
            inference.authority.as_deref(),
            Some("https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi")
        );
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(inference.family, crate::domain::identity_url::Family::B2c);
    }

    #[test]
    fn without_the_flow_the_authority_is_used() {
        let inference = identity(&[
            ("b2c_tenant_name", "contoso"),
            (
                "authority",
                "https://login.microsoftonline.com/organizations",
            ),
        ]);
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(inference.tenant.as_deref(), Some("organizations"));
    }

    #[test]
    fn nothing_configured_means_no_sign_in() {
        let inference = identity(&[("client_id", "c")]);
        assert_eq!(inference.authority, None);
        assert_eq!(inference.metadata_address, None);
    }

    #[test]
    fn a_b2c_authority_without_its_flow_is_listed_not_derived() {
        let inference = identity(&[("b2c_authority", "https://f.b2clogin.com/f.onmicrosoft.com")]);
        assert_eq!(
            inference.authority.as_deref(),
            Some("https://f.b2clogin.com/f.onmicrosoft.com")
        );
        assert_eq!(inference.metadata_address, None);
        assert_eq!(inference.urls.len(), 1);
    }

    #[test]
    fn oidc_authority_is_listed_not_derived() {
        let inference = identity(&[("oidc_authority", "https://login.contoso.com/T/v2.0")]);
        assert_eq!(
            inference.authority.as_deref(),
            Some("https://login.contoso.com/T/v2.0")
        );
        assert_eq!(inference.metadata_address, None);
    }
}
