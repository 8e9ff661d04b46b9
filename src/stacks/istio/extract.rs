//! `RequestAuthentication` objects: each `jwtRules` item is one app, its options keyed the way
//! the model reads them (`issuer`, `jwksUri`, `jwks`, `audiences:<i>`).
//! upstream: istio/api security/v1beta1/request_authentication.proto (`JWTRule`).

use crate::model::{Framework, Role, Setting};
use crate::read::yaml::YamlNode;
use crate::source::{FileId, Location};
use crate::stacks::FileApp;
use crate::stacks::manifest::{entry, object_name, scalar_setting};

/// The file may hold a `RequestAuthentication`: checked before anything is parsed.
pub fn may_hold(text: &str) -> bool {
    text.contains("RequestAuthentication")
}

/// The document is an Istio `RequestAuthentication` (any version of `security.istio.io`).
fn is_request_authentication(document: &YamlNode) -> bool {
    document.get("kind").and_then(YamlNode::as_str) == Some("RequestAuthentication")
        && document
            .get("apiVersion")
            .and_then(YamlNode::as_str)
            .is_none_or(|v| v.is_empty() || v.starts_with("security.istio.io/"))
}

/// One app per JWT rule of every `RequestAuthentication` in `documents`.
pub fn request_authentications(documents: &[YamlNode], text: &str, file: FileId) -> Vec<FileApp> {
    let mut apps = Vec::new();
    for document in documents.iter().filter(|d| is_request_authentication(d)) {
        let name = object_name(text, document);
        let rules = document
            .get("spec")
            .and_then(|s| s.get("jwtRules"))
            .map(YamlNode::items)
            .unwrap_or_default();
        for (index, rule) in rules.iter().enumerate() {
            apps.push(FileApp {
                framework: Framework::IstioRequestAuthentication,
                role: Role::Gateway,
                environment: None,
                precedence: None,
                file,
                section: format!("RequestAuthentication '{name}' jwtRules[{index}]"),
                at: Location {
                    file,
                    span: rule.span,
                },
                options: rule_options(rule, text, file),
            });
        }
    }
    apps
}

fn rule_options(rule: &YamlNode, text: &str, file: FileId) -> Vec<(String, Setting)> {
    let mut options = Vec::new();
    let mut scalar = |option: &str, names: &[&str]| {
        if let Some((key_span, node)) = entry(rule, names)
            && let Some(setting) = scalar_setting(text, file, names[0], key_span, node)
        {
            options.push((option.to_string(), setting));
        }
    };
    scalar("issuer", &["issuer"]);
    scalar("jwksUri", &["jwksUri", "jwks_uri"]);
    scalar("jwks", &["jwks"]);
    if let Some((key_span, audiences)) = entry(rule, &["audiences"]) {
        for (i, audience) in audiences.items().iter().enumerate() {
            if let Some(setting) = scalar_setting(text, file, "audiences", key_span, audience) {
                options.push((format!("audiences:{i}"), setting));
            }
        }
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    const MANIFESTS: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: orders-jwt\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: orders\n  jwtRules:\n  - issuer: https://login.microsoftonline.com/t/v2.0\n    jwks_uri: https://login.microsoftonline.com/t/discovery/v2.0/keys\n    audiences:\n    - api://orders\n    - 11111111-2222-3333-4444-555555555555\n  - issuer: https://sts.windows.net/t/\n";

    #[test]
    fn one_app_per_jwt_rule_with_spans() {
        let apps = request_authentications(&yaml::parse(MANIFESTS).unwrap(), MANIFESTS, FileId(3));
        assert_eq!(apps.len(), 2);
        assert_eq!(
            apps[0].section,
            "RequestAuthentication 'shop/orders-jwt' jwtRules[0]"
        );
        let option = |app: &FileApp, key: &str| {
            app.options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, s)| s.clone())
        };
        let jwks = option(&apps[0], "jwksUri").unwrap();
        assert_eq!(
            &MANIFESTS[jwks.origin.span.start..jwks.origin.span.end],
            "https://login.microsoftonline.com/t/discovery/v2.0/keys"
        );
        assert_eq!(
            &MANIFESTS[jwks.key_span.start..jwks.key_span.end],
            "jwks_uri"
        );
        assert_eq!(
            option(&apps[0], "audiences:1").unwrap().value,
            "11111111-2222-3333-4444-555555555555"
        );
        assert!(
            MANIFESTS[apps[1].at.span.start..].starts_with("issuer: https://sts.windows.net/t/")
        );
        assert!(option(&apps[1], "jwksUri").is_none());
    }

    #[test]
    fn other_kinds_and_other_apis_are_not_istio() {
        let text = "kind: RequestAuthentication\napiVersion: example.com/v1\nspec:\n  jwtRules:\n  - issuer: x\n---\nkind: AuthorizationPolicy\napiVersion: security.istio.io/v1\nspec:\n  jwtRules:\n  - issuer: x\n";
        assert!(request_authentications(&yaml::parse(text).unwrap(), text, FileId(0)).is_empty());
        assert!(!may_hold("kind: Deployment\n"));
    }
}
