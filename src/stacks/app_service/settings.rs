//! App Service / Container Apps authentication settings ("Easy Auth").

use crate::model::{Framework, Role, Setting};
use crate::read::json::{JsonNode, JsonValue};
use crate::source::{FileId, Location, Span};
use crate::stacks::environment::variables::is_template_expression;
use crate::stacks::{FileApp, option_setting as setting};

/// App Service / Functions / Container Apps authentication: ARM `authsettingsV2` and
/// `authsettings` config resources, Container Apps `authConfigs`, the file-based `auth.json`,
/// and `az webapp auth show` output.
pub fn app_service_auth(root: &JsonNode, file: FileId) -> Vec<FileApp> {
    let mut apps = Vec::new();
    // A resource is met twice: as itself and as its `properties`; count its provider once.
    let mut seen: Vec<Span> = Vec::new();
    let mut stack: Vec<(&JsonNode, String)> = vec![(root, "auth settings".to_string())];
    while let Some((node, name)) = stack.pop() {
        match &node.value {
            JsonValue::Object(members) => {
                stack.extend(members.iter().map(|m| (&m.value, name.clone())))
            }
            JsonValue::Array(items) => stack.extend(items.iter().map(|i| (i, name.clone()))),
            _ => {}
        }
        let kind = node
            .get("type")
            .and_then(JsonNode::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = node
            .get("name")
            .and_then(JsonNode::as_str)
            .unwrap_or_default();
        let properties = node.get("properties");
        let v1 = kind.ends_with("/config") && name.to_ascii_lowercase().ends_with("authsettings");
        // The site's name, for reports: `orders-api/authsettingsV2` names site `orders-api`.
        let site = name.split('/').next().filter(|s| {
            !s.is_empty()
                && !is_template_expression(name)
                && !s.eq_ignore_ascii_case("authsettingsV2")
        });
        let label =
            |kind: &str| site.map_or(kind.to_string(), |site| format!("{kind} of '{site}'"));
        let provider = node
            .get("identityProviders")
            .or_else(|| properties.and_then(|p| p.get("identityProviders")))
            .and_then(|p| p.get("azureActiveDirectory"));
        let at = Location {
            file,
            span: node.span,
        };
        let value_of = |n: Option<&JsonNode>, key: &str| -> Option<Setting> {
            let n = n?;
            let text = n.as_str()?;
            // Known only at deployment: the option is set, its value unknown.
            let text = if is_template_expression(text) {
                ""
            } else {
                text
            };
            Some(setting(file, key, text, n.span))
        };
        let list_of = |n: Option<&JsonNode>, key: &str| -> Vec<Setting> {
            match n.map(|n| &n.value) {
                Some(JsonValue::Array(items)) => items
                    .iter()
                    .filter_map(|i| value_of(Some(i), key))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut options: Vec<(String, Setting)> = Vec::new();
        let section;
        if let Some(aad) = provider {
            if seen.contains(&aad.span) {
                continue;
            }
            seen.push(aad.span);
            let registration = aad.get("registration");
            options.extend(
                value_of(
                    registration.and_then(|r| r.get("openIdIssuer")),
                    "openIdIssuer",
                )
                .map(|s| ("Authority".to_string(), s)),
            );
            options.extend(
                value_of(registration.and_then(|r| r.get("clientId")), "clientId")
                    .map(|s| ("ClientId".to_string(), s)),
            );
            let validation = aad.get("validation");
            for (i, audience) in list_of(
                validation.and_then(|v| v.get("allowedAudiences")),
                "allowedAudiences",
            )
            .into_iter()
            .enumerate()
            {
                options.push((format!("ValidAudiences:{i}"), audience));
            }
            if aad
                .get("enabled")
                .is_some_and(|e| matches!(&e.value, JsonValue::Scalar(v) if v == "false"))
            {
                continue;
            }
            section = label(if kind.contains("containerapps/authconfigs") {
                "authConfigs"
            } else {
                "authsettingsV2"
            });
        } else if v1 && let Some(p) = properties {
            options
                .extend(value_of(p.get("issuer"), "issuer").map(|s| ("Authority".to_string(), s)));
            options.extend(
                value_of(p.get("clientId"), "clientId").map(|s| ("ClientId".to_string(), s)),
            );
            for (i, audience) in list_of(p.get("allowedAudiences"), "allowedAudiences")
                .into_iter()
                .enumerate()
            {
                options.push((format!("ValidAudiences:{i}"), audience));
            }
            section = label("authsettings");
        } else {
            continue;
        }
        if options
            .iter()
            .any(|(k, _)| k == "Authority" || k == "ClientId")
        {
            apps.push(FileApp {
                framework: Framework::AppServiceAuth,
                role: Role::Gateway,
                environment: None,
                precedence: None,
                file,
                section,
                at,
                options,
            });
        }
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json;

    #[test]
    fn easy_auth_in_every_shape() {
        let arm = json::parse(r#"{"resources": [{"type": "Microsoft.Web/sites/config", "name": "api/authsettingsV2", "properties": {"identityProviders": {"azureActiveDirectory": {"enabled": true, "registration": {"openIdIssuer": "https://sts.windows.net/t/v2.0", "clientId": "c"}, "validation": {"allowedAudiences": ["api://c"]}}}}}]}"#).unwrap().unwrap();
        let apps = app_service_auth(&arm, FileId(0));
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].section, "authsettingsV2 of 'api'");
        let file_based = json::parse(r#"{"platform": {"enabled": true}, "identityProviders": {"azureActiveDirectory": {"registration": {"openIdIssuer": "https://login.microsoftonline.com/t/v2.0", "clientId": "c"}}}}"#).unwrap().unwrap();
        assert_eq!(app_service_auth(&file_based, FileId(0)).len(), 1);
        let v1 = json::parse(r#"{"type": "Microsoft.Web/sites/config", "name": "authsettings", "properties": {"issuer": "https://sts.windows.net/t/", "clientId": "c"}}"#).unwrap().unwrap();
        assert_eq!(app_service_auth(&v1, FileId(0)).len(), 1);
    }
}
