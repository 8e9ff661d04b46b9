//! oauth2-proxy's alpha configuration (`--alpha-config`, the chart's `alphaConfig.configData`):
//! each `providers` item is one app, its fields keyed as the legacy options the model reads.
//! upstream: oauth2-proxy/oauth2-proxy pkg/apis/options/providers.go (yaml tags of `Provider`,
//! `AzureOptions`, `MicrosoftEntraIDOptions`, `OIDCOptions`).

use super::options::oauth2_proxy;
use crate::model::Setting;
use crate::read::yaml::YamlNode;
use crate::source::FileId;
use crate::stacks::FileApp;
use crate::stacks::manifest::{entry, scalar_setting};

/// (path below the provider, option the model reads); list fields get `:<i>`.
const FIELDS: &[(&[&str], &str)] = &[
    (&["provider"], "provider"),
    (&["clientID"], "client_id"),
    (&["scope"], "scope"),
    (&["azureConfig", "tenant"], "azure_tenant"),
    (
        &["microsoftEntraIDConfig", "allowedTenants"],
        "entra_id_allowed_tenants",
    ),
    (&["oidcConfig", "issuerURL"], "oidc_issuer_url"),
    (
        &["oidcConfig", "insecureSkipIssuerVerification"],
        "insecure_oidc_skip_issuer_verification",
    ),
    (&["oidcConfig", "skipDiscovery"], "skip_oidc_discovery"),
    (&["oidcConfig", "jwksURL"], "oidc_jwks_url"),
    (&["oidcConfig", "audienceClaims"], "oidc_audience_claims"),
    (&["oidcConfig", "extraAudiences"], "oidc_extra_audiences"),
];

/// The file may be an alpha configuration: checked before anything is parsed.
pub fn may_hold(text: &str) -> bool {
    text.contains("providers:") && (text.contains("oidcConfig") || text.contains("provider:"))
}

/// One app per provider of an alpha configuration document (`root` holds `providers`).
pub fn providers(root: &YamlNode, text: &str, file: FileId, label: &str) -> Vec<FileApp> {
    let items = root
        .get("providers")
        .map(YamlNode::items)
        .unwrap_or_default();
    items
        .iter()
        .enumerate()
        .filter_map(|(index, provider)| {
            let id = provider
                .get("id")
                .and_then(YamlNode::as_str)
                .map_or(String::new(), |id| format!(" '{id}'"));
            oauth2_proxy(
                provider_options(provider, text, file),
                file,
                provider.span,
                &format!("{label} providers[{index}]{id}"),
            )
        })
        .collect()
}

fn provider_options(provider: &YamlNode, text: &str, file: FileId) -> Vec<(String, Setting)> {
    let mut options = Vec::new();
    for (path, option) in FIELDS {
        let Some((parent, last)) = path.split_last().map(|(last, parents)| {
            let parent = parents.iter().try_fold(provider, |node, key| node.get(key));
            (parent, *last)
        }) else {
            continue;
        };
        let Some((key_span, node)) = parent.and_then(|p| entry(p, &[last])) else {
            continue;
        };
        let items = node.items();
        if items.is_empty() {
            options.extend(
                scalar_setting(text, file, last, key_span, node).map(|s| (option.to_string(), s)),
            );
        }
        for (i, item) in items.iter().enumerate() {
            options.extend(
                scalar_setting(text, file, last, key_span, item)
                    .map(|s| (format!("{option}:{i}"), s)),
            );
        }
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    #[test]
    fn providers_become_apps_with_legacy_option_names() {
        let text = "upstreamConfig:\n  upstreams: []\nproviders:\n- id: entra\n  provider: entra-id\n  clientID: 8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d\n  scope: openid email\n  microsoftEntraIDConfig:\n    allowedTenants: [t1, t2]\n  oidcConfig:\n    issuerURL: https://login.microsoftonline.com/common/v2.0\n    insecureSkipIssuerVerification: true\n    extraAudiences:\n    - api://orders\n";
        let root = &yaml::parse(text).unwrap()[0];
        let apps = providers(root, text, FileId(0), "alpha.yaml");
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].section, "alpha.yaml providers[0] 'entra'");
        let option = |key: &str| {
            apps[0]
                .options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, s)| s.value.clone())
        };
        assert_eq!(
            option("oidc_issuer_url").as_deref(),
            Some("https://login.microsoftonline.com/common/v2.0")
        );
        assert_eq!(
            option("insecure_oidc_skip_issuer_verification").as_deref(),
            Some("true")
        );
        assert_eq!(option("entra_id_allowed_tenants:1").as_deref(), Some("t2"));
        assert_eq!(
            option("oidc_extra_audiences:0").as_deref(),
            Some("api://orders")
        );
        assert_eq!(option("scope").as_deref(), Some("openid email"));
    }

    #[test]
    fn other_provider_lists_are_not_oauth2_proxy() {
        let text = "apiVersion: 1\nproviders:\n- name: dashboards\n  type: file\n";
        let root = &yaml::parse(text).unwrap()[0];
        assert!(providers(root, text, FileId(0), "x").is_empty());
    }
}
