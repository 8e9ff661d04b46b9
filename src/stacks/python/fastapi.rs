//! fastapi-azure-auth (`SingleTenantAzureAuthorizationCodeBearer`,
//! `B2CMultiTenantAuthorizationCodeBearer`) as its documentation configures it from a `.env`
//! (`APP_CLIENT_ID`, `OPENAPI_CLIENT_ID`, `TENANT_ID`; B2C `TENANT_NAME`, `AUTH_POLICY_NAME`).
//! upstream: Intility/fastapi-azure-auth `2256921a` (v5.0.1) fastapi_azure_auth/openid_config.py
//! (`_load_openid_config`: the public-cloud v2 document of the tenant unless `openid_config_url`
//! is given), fastapi_azure_auth/auth.py (`jwt.decode(..., audience=self.app_client_id)`: the
//! client id is the only audience), docs/docs/single-tenant/fastapi_configuration.mdx and
//! docs/docs/b2c/fastapi_configuration.mdx (the variable names and the B2C `OPENID_CONFIG_URL`
//! the documented `Settings` computes); docs/stacks-verified.md §5.1.

use crate::infer::{AudienceCheck, Inference, IssuerCheck, derive};
use crate::model::{App, Setting};

/// The single-tenant document: the host is fixed, whatever cloud the tenant lives in.
pub fn single_tenant_metadata(tenant_id: &str) -> String {
    format!(
        "https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration",
        tenant_id.trim()
    )
}

/// The B2C document the documented `Settings.OPENID_CONFIG_URL` computes.
pub fn b2c_metadata(tenant_name: &str, policy: &str) -> String {
    let tenant = tenant_name.trim();
    format!(
        "https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{}/v2.0/.well-known/openid-configuration",
        policy.trim()
    )
}

fn present<'a>(app: &'a App, name: &str) -> Option<&'a Setting> {
    app.setting(name).filter(|s| s.text().is_some())
}

pub fn infer(app: &App) -> Inference {
    let b2c = present(app, "tenant_name").zip(present(app, "auth_policy_name"));
    let tenant = present(app, "tenant_id");
    let (metadata, sources): (Option<String>, Vec<Setting>) = match (b2c, tenant) {
        (Some((name, policy)), _) => (
            Some(b2c_metadata(&name.value, &policy.value)),
            vec![name.clone(), policy.clone()],
        ),
        (None, Some(tenant)) => (
            Some(single_tenant_metadata(&tenant.value)),
            vec![tenant.clone()],
        ),
        (None, None) => (None, Vec::new()),
    };
    let derived = derive(metadata.as_deref());
    // Single tenant: the document's issuer. The B2C class is multi-tenant: its issuers come from
    // the `iss_callable` the code passes, unknown here.
    let issuers = match b2c {
        Some(_) => Vec::new(),
        None => derived.document_issuer.clone().into_iter().collect(),
    };
    let client = present(app, "app_client_id");
    let audiences: Vec<String> = client
        .and_then(Setting::text)
        .map(str::to_string)
        .into_iter()
        .collect();
    Inference {
        metadata_address: metadata,
        metadata_sources: sources,
        issuer_check: IssuerCheck::Exact,
        issuers,
        audience_check: if app.setting("app_client_id").is_none() {
            AudienceCheck::Nothing
        } else {
            AudienceCheck::Exact
        },
        audiences,
        audience_settings: client.cloned().into_iter().collect(),
        client_id: client.cloned(),
        ..derived.into_inference()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn single_tenant_uses_the_public_v2_document_and_the_client_id_as_audience() {
        // upstream: openid_config.py `https://login.microsoftonline.com/{tenant}/v2.0/...`;
        // auth.py `audience=self.app_client_id`.
        let inference = infer(&gateway_app(
            Framework::FastapiAzureAuth,
            &[
                ("tenant_id", TID),
                ("app_client_id", "c1"),
                ("openapi_client_id", "c2"),
            ],
        ));
        assert_eq!(
            inference.metadata_address,
            Some(single_tenant_metadata(TID))
        );
        assert_eq!(
            inference.issuers,
            vec![format!("https://login.microsoftonline.com/{TID}/v2.0")]
        );
        assert_eq!(inference.audiences, vec!["c1".to_string()]);
    }

    #[test]
    fn b2c_settings_compute_the_policy_document() {
        let inference = infer(&gateway_app(
            Framework::FastapiAzureAuth,
            &[
                ("tenant_name", "contoso"),
                ("auth_policy_name", "B2C_1_susi"),
                ("app_client_id", "c1"),
            ],
        ));
        assert_eq!(
            inference.metadata_address.as_deref(),
            Some(
                "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(inference.policy.as_deref(), Some("B2C_1_susi"));
        assert!(inference.issuers.is_empty());
    }
}
