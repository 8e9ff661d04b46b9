//! Envoy's `jwt_authn` HTTP filter, wherever a YAML file holds it: a bootstrap or listener file,
//! an xDS dump, an Istio `EnvoyFilter` patch. Each provider is one app, its options keyed the way
//! the model reads them (`issuer`, `remote_jwks`, `local_jwks`, `audiences:<i>`,
//! `route_audiences:<i>`).
//! upstream: envoyproxy/envoy api/envoy/extensions/filters/http/jwt_authn/v3/config.proto
//! (`JwtAuthentication`, `JwtProvider`, `RemoteJwks`, `ProviderWithAudiences`).

use crate::model::{Framework, Role, Setting};
use crate::read::yaml::YamlNode;
use crate::source::{FileId, Location};
use crate::stacks::FileApp;
use crate::stacks::manifest::{descendants, entry, scalar_setting};

const FILTER_NAME: &str = "envoy.filters.http.jwt_authn";
const CONFIG_TYPE: &str = "envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication";

/// The file may hold a `jwt_authn` filter: checked before anything is parsed.
pub fn may_hold(text: &str) -> bool {
    text.contains("jwt_authn")
}

/// The file names the filter or its configuration type: it is Envoy configuration.
pub fn names_the_filter(text: &str) -> bool {
    text.contains(FILTER_NAME) || text.contains(CONFIG_TYPE)
}

/// The `JwtAuthentication` configurations of a tree: typed by `@type`, or the typed config of a
/// filter named `envoy.filters.http.jwt_authn`.
fn configurations(root: &YamlNode) -> Vec<&YamlNode> {
    let mut found: Vec<&YamlNode> = Vec::new();
    for node in descendants(root) {
        let typed = node
            .get("@type")
            .and_then(YamlNode::as_str)
            .is_some_and(|t| t.ends_with(CONFIG_TYPE));
        let config = if typed {
            Some(node)
        } else if node.get("name").and_then(YamlNode::as_str) == Some(FILTER_NAME) {
            entry(node, &["typed_config", "typedConfig"]).map(|(_, config)| config)
        } else {
            None
        };
        if let Some(config) = config
            && !found.iter().any(|f| f.span == config.span)
        {
            found.push(config);
        }
    }
    found
}

/// One app per provider of every `jwt_authn` configuration in `documents`.
pub fn providers(documents: &[YamlNode], text: &str, file: FileId) -> Vec<FileApp> {
    let mut apps = Vec::new();
    for config in documents.iter().flat_map(configurations) {
        let route_audiences = route_audiences(config);
        let Some((_, providers)) = entry(config, &["providers"]) else {
            continue;
        };
        for (name, name_span, provider) in providers.entries() {
            let mut options = provider_options(provider, text, file);
            let routes = route_audiences
                .iter()
                .filter(|(provider, _, _)| provider == name);
            for (i, (_, key_span, audience)) in routes.enumerate() {
                options.extend(
                    scalar_setting(text, file, "audiences", *key_span, audience)
                        .map(|s| (format!("route_audiences:{i}"), s)),
                );
            }
            apps.push(FileApp {
                framework: Framework::EnvoyJwtAuthn,
                role: Role::Gateway,
                environment: None,
                precedence: None,
                file,
                section: format!("jwt_authn provider '{name}'"),
                at: Location {
                    file,
                    span: *name_span,
                },
                options,
            });
        }
    }
    apps
}

/// Audiences that rules and requirements give a provider instead of its own
/// (`provider_and_audiences`), by provider name.
fn route_audiences(config: &YamlNode) -> Vec<(String, crate::source::Span, &YamlNode)> {
    let mut found = Vec::new();
    let scopes = ["rules", "requirement_map", "requirementMap"];
    for scope in scopes.iter().filter_map(|s| config.get(s)) {
        for node in descendants(scope) {
            let Some((_, pair)) = entry(node, &["provider_and_audiences", "providerAndAudiences"])
            else {
                continue;
            };
            let Some(name) =
                entry(pair, &["provider_name", "providerName"]).and_then(|(_, n)| n.as_str())
            else {
                continue;
            };
            if let Some((key_span, audiences)) = entry(pair, &["audiences"]) {
                for audience in audiences.items() {
                    found.push((name.to_string(), key_span, audience));
                }
            }
        }
    }
    found
}

fn provider_options(provider: &YamlNode, text: &str, file: FileId) -> Vec<(String, Setting)> {
    let mut options = Vec::new();
    let scalar = |node: &YamlNode, option: &str, names: &[&str]| {
        entry(node, names).and_then(|(key_span, value)| {
            scalar_setting(text, file, names[0], key_span, value).map(|s| (option.to_string(), s))
        })
    };
    options.extend(scalar(provider, "issuer", &["issuer"]));
    let uri = entry(provider, &["remote_jwks", "remoteJwks"])
        .and_then(|(_, remote)| entry(remote, &["http_uri", "httpUri"]))
        .and_then(|(_, http_uri)| scalar(http_uri, "remote_jwks", &["uri"]));
    options.extend(uri);
    if let Some((key_span, local)) = entry(provider, &["local_jwks", "localJwks"]) {
        let source = scalar(local, "local_jwks", &["filename"])
            .or_else(|| scalar(local, "local_jwks", &["inline_string", "inlineString"]));
        // Keys from elsewhere (an environment variable, inline bytes): known to be local.
        let present = scalar_setting(text, file, "local_jwks", key_span, local).map(|s| {
            (
                "local_jwks".to_string(),
                Setting {
                    value: "local".into(),
                    ..s
                },
            )
        });
        options.extend(source.or(present));
    }
    if let Some((key_span, audiences)) = entry(provider, &["audiences"]) {
        for (i, audience) in audiences.items().iter().enumerate() {
            options.extend(
                scalar_setting(text, file, "audiences", key_span, audience)
                    .map(|s| (format!("audiences:{i}"), s)),
            );
        }
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    const BOOTSTRAP: &str = r#"static_resources:
  listeners:
  - name: main
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          http_filters:
          - name: envoy.filters.http.jwt_authn
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication
              providers:
                entra:
                  issuer: https://login.microsoftonline.com/t/v2.0
                  audiences:
                  - api://orders
                  remote_jwks:
                    http_uri:
                      uri: https://login.microsoftonline.com/t/discovery/v2.0/keys
                      cluster: entra
                      timeout: 5s
                local:
                  local_jwks:
                    filename: /etc/envoy/jwks.json
              rules:
              - match:
                  prefix: /admin
                requires:
                  provider_and_audiences:
                    provider_name: entra
                    audiences:
                    - api://admin
"#;

    #[test]
    fn providers_of_a_bootstrap_file_with_spans() {
        let apps = providers(&yaml::parse(BOOTSTRAP).unwrap(), BOOTSTRAP, FileId(1));
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].section, "jwt_authn provider 'entra'");
        assert!(BOOTSTRAP[apps[0].at.span.start..].starts_with("entra:"));
        let option = |app: &FileApp, key: &str| {
            app.options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, s)| s.value.clone())
        };
        assert_eq!(
            option(&apps[0], "remote_jwks").as_deref(),
            Some("https://login.microsoftonline.com/t/discovery/v2.0/keys")
        );
        assert_eq!(
            option(&apps[0], "audiences:0").as_deref(),
            Some("api://orders")
        );
        assert_eq!(
            option(&apps[0], "route_audiences:0").as_deref(),
            Some("api://admin")
        );
        assert_eq!(
            option(&apps[1], "local_jwks").as_deref(),
            Some("/etc/envoy/jwks.json")
        );
        assert_eq!(option(&apps[1], "issuer"), None);
    }

    #[test]
    fn camel_case_names_and_istio_envoy_filter_patches() {
        let text = "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nspec:\n  configPatches:\n  - patch:\n      value:\n        name: envoy.filters.http.jwt_authn\n        typedConfig:\n          providers:\n            entra:\n              issuer: https://sts.windows.net/t/\n              remoteJwks:\n                httpUri:\n                  uri: https://login.microsoftonline.com/t/discovery/keys\n";
        let apps = providers(&yaml::parse(text).unwrap(), text, FileId(0));
        assert_eq!(apps.len(), 1);
        assert!(apps[0].options.iter().any(|(k, s)| k == "remote_jwks"
            && s.value == "https://login.microsoftonline.com/t/discovery/keys"));
        assert!(!may_hold("kind: Deployment\n"));
    }
}
