//! Environment variables that override configuration, from every place teams set them:
//! launchSettings.json profiles, `.env` files, docker-compose services, Kubernetes workloads
//! (with ConfigMaps), and App Service application settings (`az webapp config appsettings list`
//! and ARM templates).

use crate::read::dotenv;
use crate::read::json::{JsonNode, JsonValue};
use crate::read::yaml::YamlNode;
use crate::source::{FileId, Location, Span};
use std::path::PathBuf;

/// One variable assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub value: String,
    pub origin: Location,
    pub name_span: Span,
}

/// A reference from a Kubernetes container to ConfigMap data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigMapRef {
    /// `envFrom: - configMapRef: {name}`: every key becomes a variable.
    All(String),
    /// `env: - name: VAR, valueFrom: configMapKeyRef: {name, key}`.
    Key {
        map: String,
        key: String,
        variable: String,
    },
}

/// One runtime's set of variables: a launch profile, a compose service, a workload's container,
/// an App Service app.
#[derive(Debug, Clone)]
pub struct OverrideSource {
    pub file: FileId,
    /// How reports name it: `launchSettings.json profile 'https'`, `docker-compose.yml service 'api'`.
    pub label: String,
    /// The project folder it is for, when the source says (launch profiles, compose `build`).
    pub project: Option<PathBuf>,
    pub variables: Vec<Variable>,
    /// The container image (compose `image`, Kubernetes `image`), with where it is written: a
    /// proxy's version decides some of its behaviour.
    pub image: Option<Variable>,
    /// compose `env_file` entries, relative to the compose file's folder.
    pub env_files: Vec<String>,
    pub config_maps: Vec<ConfigMapRef>,
}

/// A Kubernetes ConfigMap's data, as variables.
#[derive(Debug, Clone)]
pub struct ConfigMap {
    pub name: String,
    pub data: Vec<Variable>,
}

/// An ARM template expression (`[parameters('clientId')]`): its value is only known at deployment.
pub fn is_template_expression(value: &str) -> bool {
    let value = value.trim();
    value.starts_with('[')
        && !value.starts_with("[[")
        && value.ends_with(']')
        && value.contains('(')
}

/// The environment a set of variables selects, as ASP.NET Core reads it.
pub fn environment_of(variables: &[Variable]) -> Option<&str> {
    ["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"]
        .iter()
        .find_map(|n| {
            variables
                .iter()
                .rev()
                .find(|v| v.name.eq_ignore_ascii_case(n))
                .map(|v| v.value.trim())
        })
        .filter(|v| !v.is_empty())
}

/// The configuration key a variable sets (`AzureAd__TenantId` → `AzureAd:TenantId`), for
/// variables that address a section.
pub fn configuration_key(name: &str) -> Option<String> {
    let key = name.replace("__", ":");
    (key.contains(':') && !key.starts_with(':') && !key.ends_with(':')).then_some(key)
}

/// `--flag=value` container arguments (a compose `command`, a Kubernetes `args`), as variables
/// named by the flag: proxies such as oauth2-proxy are configured this way.
/// Flags that take no value: written alone they mean true, and the next argument is not theirs.
/// upstream: oauth2-proxy/oauth2-proxy pkg/apis/options/legacy_options.go (`flagSet.Bool`).
const SWITCHES: &[&str] = &[
    "--skip-jwt-bearer-tokens",
    "--skip-oidc-discovery",
    "--insecure-oidc-skip-issuer-verification",
    "--insecure-oidc-allow-unverified-email",
    "--skip-provider-button",
    "--pass-access-token",
    "--set-authorization-header",
    "--set-xauthrequest",
];

/// `--flag=value`, `--flag value` and bare `--switch` arguments, as variables named `--flag`.
pub(crate) fn argument_variables(node: Option<&YamlNode>, file: FileId) -> Vec<Variable> {
    let Some(node) = node else {
        return Vec::new();
    };
    let items: Vec<(&str, Span)> = match node.as_str() {
        Some(line) => line.split_whitespace().map(|a| (a, node.span)).collect(),
        None => node
            .items()
            .iter()
            .filter_map(|i| i.as_str().map(|a| (a, i.span)))
            .collect(),
    };
    let mut found = Vec::new();
    let mut rest = items.iter().peekable();
    while let Some((argument, span)) = rest.next() {
        let Some(flag) = argument.strip_prefix("--") else {
            continue;
        };
        let (name, value, origin) = match flag.split_once('=') {
            Some((name, value)) => (format!("--{name}"), value, *span),
            None => {
                let name = format!("--{flag}");
                let takes_next = !SWITCHES.contains(&name.as_str())
                    && rest.peek().is_some_and(|(next, _)| !next.starts_with('-'));
                match takes_next.then(|| rest.next()).flatten() {
                    Some((value, value_span)) => (name, *value, *value_span),
                    None => (name, "true", *span),
                }
            }
        };
        found.push(Variable {
            name,
            value: value.trim_matches(|c| c == '"' || c == '\'').to_string(),
            origin: at(file, origin),
            name_span: *span,
        });
    }
    found
}

/// A compose service's or a Kubernetes container's `image`.
fn image_of(node: &YamlNode, file: FileId) -> Option<Variable> {
    let image = node.get("image")?;
    Some(Variable {
        name: "image".to_string(),
        value: image.as_str()?.to_string(),
        origin: at(file, image.span),
        name_span: image.span,
    })
}

fn at(file: FileId, span: Span) -> Location {
    Location { file, span }
}

/// `Properties/launchSettings.json`: one source per profile with environment variables.
pub fn launch_settings(root: &JsonNode, file: FileId, project: PathBuf) -> Vec<OverrideSource> {
    let Some(profiles) = root.get("profiles") else {
        return Vec::new();
    };
    profiles
        .members()
        .iter()
        .filter_map(|profile| {
            let variables: Vec<Variable> = profile
                .value
                .get("environmentVariables")?
                .members()
                .iter()
                .filter_map(|m| {
                    let value = match &m.value.value {
                        JsonValue::String(s) | JsonValue::Scalar(s) => s.clone(),
                        _ => return None,
                    };
                    Some(Variable {
                        name: m.key.clone(),
                        value,
                        origin: at(file, m.value.span),
                        name_span: m.key_span,
                    })
                })
                .collect();
            Some(OverrideSource {
                file,
                label: format!("launchSettings.json profile '{}'", profile.key),
                project: Some(project.clone()),
                variables,
                image: None,
                env_files: Vec::new(),
                config_maps: Vec::new(),
            })
        })
        .collect()
}

/// A `.env` file.
pub fn dotenv_file(text: &str, file: FileId, name: &str) -> OverrideSource {
    let variables = dotenv::parse(text)
        .into_iter()
        .map(|a| Variable {
            name: a.name,
            value: a.value,
            origin: at(file, a.value_span),
            name_span: a.name_span,
        })
        .collect();
    OverrideSource {
        file,
        label: name.to_string(),
        project: None,
        variables,
        image: None,
        env_files: Vec::new(),
        config_maps: Vec::new(),
    }
}

/// A value filled in when the file is deployed: docker compose interpolates `${VAR}`,
/// `${VAR:-default}` and `$VAR` from the shell or the `.env` beside it, and manifests are run
/// through envsubst the same way. Its value is unknown here (`$$` is a literal dollar).
pub fn is_interpolated(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'$' {
            match bytes.get(at + 1) {
                Some(b'$') => at += 1,
                Some(b'{') => return true,
                Some(b) if b.is_ascii_alphabetic() || *b == b'_' => return true,
                _ => {}
            }
        }
        at += 1;
    }
    false
}

/// `environment:` as a list of `NAME=value` or as a map. Interpolated values are unknown until
/// deployment: they are left out, as ARM template expressions are.
fn yaml_variables(node: &YamlNode, file: FileId) -> Vec<Variable> {
    let mut found = yaml_assignments(node, file);
    found.retain(|variable| !is_interpolated(&variable.value));
    found
}

fn yaml_assignments(node: &YamlNode, file: FileId) -> Vec<Variable> {
    let mut found = Vec::new();
    for item in node.items() {
        if let Some(text) = item.as_str()
            && let Some((name, value)) = text.split_once('=')
        {
            // Point at the value: the item's text starts at its span unless quoted.
            let quoted = usize::from(item.span.end - item.span.start > text.len());
            let value_start = item.span.start + quoted + name.len() + 1;
            found.push(Variable {
                name: name.trim().to_string(),
                value: value.to_string(),
                origin: at(
                    file,
                    Span::new(value_start, (value_start + value.len()).min(item.span.end)),
                ),
                name_span: Span::new(
                    item.span.start + quoted,
                    item.span.start + quoted + name.len(),
                ),
            });
        }
    }
    for (name, name_span, value) in node.entries() {
        found.push(Variable {
            name: name.clone(),
            value: value.as_str().unwrap_or_default().to_string(),
            origin: at(file, value.span),
            name_span: *name_span,
        });
    }
    found
}

/// A docker-compose file: one source per service.
pub fn compose(
    document: &YamlNode,
    file: FileId,
    dir: &std::path::Path,
    name: &str,
) -> Vec<OverrideSource> {
    let Some(services) = document.get("services") else {
        return Vec::new();
    };
    services
        .entries()
        .iter()
        .map(|(service, _, definition)| {
            let context = definition.get("build").and_then(|b| {
                b.as_str()
                    .or_else(|| b.get("context").and_then(YamlNode::as_str))
            });
            let mut env_files: Vec<String> = definition
                .get("env_file")
                .and_then(YamlNode::as_str)
                .map(str::to_string)
                .into_iter()
                .collect();
            env_files.extend(
                definition
                    .get("env_file")
                    .map(YamlNode::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|i| {
                        i.as_str()
                            .or_else(|| i.get("path").and_then(YamlNode::as_str))
                            .map(str::to_string)
                    }),
            );
            OverrideSource {
                file,
                label: format!("{name} service '{service}'"),
                project: context.map(|c| dir.join(c.trim_start_matches("./"))),
                variables: definition
                    .get("environment")
                    .map(|e| yaml_variables(e, file))
                    .unwrap_or_default()
                    .into_iter()
                    .chain(argument_variables(definition.get("command"), file))
                    .collect(),
                image: image_of(definition, file),
                env_files,
                config_maps: Vec::new(),
            }
        })
        .collect()
}

const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
];

/// The containers of a workload, wherever its kind keeps the pod template.
fn containers(document: &YamlNode) -> Vec<&YamlNode> {
    let spec = document.get("spec");
    let pod = match document.get("kind").and_then(YamlNode::as_str) {
        Some("Pod") => spec,
        Some("CronJob") => spec
            .and_then(|s| s.get("jobTemplate"))
            .and_then(|j| j.get("spec"))
            .and_then(|s| s.get("template"))
            .and_then(|t| t.get("spec")),
        _ => spec
            .and_then(|s| s.get("template"))
            .and_then(|t| t.get("spec")),
    };
    pod.map(|p| {
        p.get("containers")
            .map(YamlNode::items)
            .unwrap_or_default()
            .iter()
            .chain(
                p.get("initContainers")
                    .map(YamlNode::items)
                    .unwrap_or_default(),
            )
            .collect()
    })
    .unwrap_or_default()
}

/// Kubernetes documents: workloads become sources (one per container), ConfigMaps data.
pub fn kubernetes(
    documents: &[YamlNode],
    file: FileId,
    name: &str,
) -> (Vec<OverrideSource>, Vec<ConfigMap>) {
    let mut sources = Vec::new();
    let mut maps = Vec::new();
    for document in documents {
        let kind = document
            .get("kind")
            .and_then(YamlNode::as_str)
            .unwrap_or_default();
        let object = document
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(YamlNode::as_str)
            .unwrap_or("?");
        if kind == "ConfigMap" {
            let data = document
                .get("data")
                .map(|d| yaml_variables(d, file))
                .unwrap_or_default();
            maps.push(ConfigMap {
                name: object.to_string(),
                data,
            });
            continue;
        }
        if !WORKLOADS.contains(&kind) {
            continue;
        }
        for container in containers(document) {
            let container_name = container
                .get("name")
                .and_then(YamlNode::as_str)
                .unwrap_or("?");
            let mut variables = Vec::new();
            let mut config_maps = Vec::new();
            for entry in container
                .get("env")
                .map(YamlNode::items)
                .unwrap_or_default()
            {
                let Some(variable) = entry.get("name").and_then(YamlNode::as_str) else {
                    continue;
                };
                if let Some(value) = entry.get("value") {
                    let name_span = entry.get("name").map_or(Span::default(), |n| n.span);
                    variables.push(Variable {
                        name: variable.to_string(),
                        value: value.as_str().unwrap_or_default().to_string(),
                        origin: at(file, value.span),
                        name_span,
                    });
                } else if let Some(reference) = entry
                    .get("valueFrom")
                    .and_then(|v| v.get("configMapKeyRef"))
                {
                    let field = |k: &str| {
                        reference
                            .get(k)
                            .and_then(YamlNode::as_str)
                            .unwrap_or_default()
                            .to_string()
                    };
                    config_maps.push(ConfigMapRef::Key {
                        map: field("name"),
                        key: field("key"),
                        variable: variable.to_string(),
                    });
                }
            }
            for source in container
                .get("envFrom")
                .map(YamlNode::items)
                .unwrap_or_default()
            {
                if let Some(map) = source
                    .get("configMapRef")
                    .and_then(|r| r.get("name"))
                    .and_then(YamlNode::as_str)
                {
                    config_maps.push(ConfigMapRef::All(map.to_string()));
                }
            }
            // Flags win over variables in the proxies configured this way.
            variables.extend(argument_variables(container.get("command"), file));
            variables.extend(argument_variables(container.get("args"), file));
            sources.push(OverrideSource {
                file,
                label: format!("{name} {kind} '{object}' container '{container_name}'"),
                project: None,
                variables,
                image: image_of(container, file),
                env_files: Vec::new(),
                config_maps,
            });
        }
    }
    (sources, maps)
}

/// App Service application settings: `az webapp config appsettings list` output (an array of
/// `{name, value, slotSetting}`), or ARM templates (`siteConfig.appSettings`, or a
/// `Microsoft.Web/sites/config` resource named `appsettings`). `None` for other JSON.
pub fn app_service(root: &JsonNode, file: FileId, name: &str) -> Option<Vec<OverrideSource>> {
    let pair = |item: &JsonNode| -> Option<Variable> {
        let key = item.get("name")?.as_str()?.to_string();
        let value = item.get("value")?;
        let text = match &value.value {
            JsonValue::String(s) | JsonValue::Scalar(s) if !is_template_expression(s) => s.clone(),
            _ => return None,
        };
        Some(Variable {
            name: key,
            value: text,
            origin: at(file, value.span),
            name_span: item.get("name").map_or(Span::default(), |n| n.span),
        })
    };
    if let JsonValue::Array(items) = &root.value {
        let is_export = !items.is_empty()
            && items
                .iter()
                .all(|i| i.get("name").is_some() && i.get("value").is_some());
        if !is_export {
            return None;
        }
        let variables = items.iter().filter_map(pair).collect();
        return Some(vec![OverrideSource {
            file,
            label: format!("{name} (App Service settings)"),
            project: None,
            variables,
            image: None,
            env_files: Vec::new(),
            config_maps: Vec::new(),
        }]);
    }
    let resources = root.get("resources")?;
    let mut sources = Vec::new();
    let mut stack: Vec<&JsonNode> = match &resources.value {
        JsonValue::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    while let Some(resource) = stack.pop() {
        if let Some(JsonValue::Array(nested)) = resource.get("resources").map(|r| &r.value) {
            stack.extend(nested.iter());
        }
        let kind = resource
            .get("type")
            .and_then(JsonNode::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let object = resource
            .get("name")
            .and_then(JsonNode::as_str)
            .unwrap_or("?");
        let variables: Vec<Variable> =
            if kind == "microsoft.web/sites" || kind == "microsoft.web/sites/slots" {
                match resource
                    .get("properties")
                    .and_then(|p| p.get("siteConfig"))
                    .and_then(|s| s.get("appSettings"))
                    .map(|a| &a.value)
                {
                    Some(JsonValue::Array(items)) => items.iter().filter_map(pair).collect(),
                    _ => continue,
                }
            } else if (kind == "microsoft.web/sites/config"
                || kind == "microsoft.web/sites/slots/config")
                && object.to_ascii_lowercase().ends_with("appsettings")
            {
                resource
                    .get("properties")
                    .map(JsonNode::members)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|m| {
                        let text = match &m.value.value {
                            JsonValue::String(s) | JsonValue::Scalar(s)
                                if !is_template_expression(s) =>
                            {
                                s.clone()
                            }
                            _ => return None,
                        };
                        Some(Variable {
                            name: m.key.clone(),
                            value: text,
                            origin: at(file, m.value.span),
                            name_span: m.key_span,
                        })
                    })
                    .collect()
            } else {
                continue;
            };
        sources.push(OverrideSource {
            file,
            label: format!("{name} App Service '{object}'"),
            project: None,
            variables,
            image: None,
            env_files: Vec::new(),
            config_maps: Vec::new(),
        });
    }
    (!sources.is_empty()).then_some(sources)
}

#[cfg(test)]
mod tests {

    #[test]
    fn arguments_with_values_apart_and_bare_switches() {
        let text = "args:\n- --provider\n- azure\n- --skip-jwt-bearer-tokens\n- --scope=openid email\n- --pass-access-token\n- --upstream\n- http://orders\n";
        let node = crate::read::yaml::parse(text).unwrap();
        let found = argument_variables(node[0].get("args"), FileId(0));
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("--provider", "azure"),
                ("--skip-jwt-bearer-tokens", "true"),
                ("--scope", "openid email"),
                ("--pass-access-token", "true"),
                ("--upstream", "http://orders"),
            ]
        );
        let value = &found[0];
        assert_eq!(
            &text[value.origin.span.start..value.origin.span.end],
            "azure"
        );
    }
    use super::*;
    use crate::read::{json, yaml};
    use std::path::Path;

    #[test]
    fn variable_names_map_to_configuration_keys() {
        assert_eq!(
            configuration_key("AzureAd__TenantId").as_deref(),
            Some("AzureAd:TenantId")
        );
        assert_eq!(
            configuration_key("AzureAd:ClientId").as_deref(),
            Some("AzureAd:ClientId")
        );
        assert_eq!(configuration_key("ASPNETCORE_ENVIRONMENT"), None);
    }

    #[test]
    fn launch_profiles_with_their_environment() {
        let root = json::parse(r#"{"profiles": {"https": {"environmentVariables": {"ASPNETCORE_ENVIRONMENT": "Development", "AzureAd__TenantId": "t"}}, "IIS": {"commandName": "IISExpress"}}}"#)
            .unwrap()
            .unwrap();
        let sources = launch_settings(&root, FileId(0), PathBuf::from("api"));
        assert_eq!(sources.len(), 1);
        assert_eq!(environment_of(&sources[0].variables), Some("Development"));
        assert_eq!(sources[0].label, "launchSettings.json profile 'https'");
    }

    #[test]
    fn interpolated_values_are_unknown() {
        assert!(is_interpolated("${TENANT_ID}"));
        assert!(is_interpolated(
            "https://login.microsoftonline.com/${TENANT:-common}/v2.0"
        ));
        assert!(is_interpolated("$CLIENT_ID"));
        assert!(!is_interpolated("pa$$word"));
        assert!(!is_interpolated("https://login.microsoftonline.com/t/v2.0"));
        let text = "services:\n  api:\n    environment:\n      - AzureAd__TenantId=${TENANT_ID}\n      - AzureAd__ClientId=5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\n";
        let docs = yaml::parse(text).unwrap();
        let sources = compose(&docs[0], FileId(0), Path::new("repo"), "docker-compose.yml");
        let names: Vec<&str> = (sources[0].variables.iter())
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, ["AzureAd__ClientId"]);
    }

    #[test]
    fn compose_services_in_both_forms() {
        let text = "services:\n  api:\n    build: ./src/Api\n    environment:\n      - AzureAd__Audience=https://graph.microsoft.com\n    env_file: api.env\n  web:\n    build:\n      context: src/Web\n    environment:\n      AzureAd__TenantId: \"t\"\n";
        let docs = yaml::parse(text).unwrap();
        let sources = compose(&docs[0], FileId(0), Path::new("repo"), "docker-compose.yml");
        assert_eq!(sources[0].project, Some(PathBuf::from("repo/src/Api")));
        let audience = &sources[0].variables[0];
        assert_eq!(
            &text[audience.origin.span.start..audience.origin.span.end],
            "https://graph.microsoft.com"
        );
        assert_eq!(sources[0].env_files, ["api.env"]);
        assert_eq!(sources[1].variables[0].value, "t");
        assert_eq!(sources[1].project, Some(PathBuf::from("repo/src/Web")));
    }

    #[test]
    fn kubernetes_workloads_and_config_maps() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: auth\ndata:\n  AzureAd__TenantId: t\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: AzureAd__Audience\n              value: api://x\n            - name: AzureAd__ClientId\n              valueFrom:\n                configMapKeyRef: {name: auth, key: client}\n          envFrom:\n            - configMapRef: {name: auth}\n";
        let docs = yaml::parse(text).unwrap();
        let (sources, maps) = kubernetes(&docs, FileId(0), "k8s.yaml");
        assert_eq!(maps[0].name, "auth");
        assert_eq!(sources[0].variables[0].value, "api://x");
        assert_eq!(sources[0].config_maps.len(), 2);
        assert_eq!(
            sources[0].label,
            "k8s.yaml Deployment 'api' container 'api'"
        );
    }

    #[test]
    fn template_expressions_are_unknown_values() {
        assert!(is_template_expression("[parameters('clientId')]"));
        assert!(!is_template_expression("[[not an expression]"));
        assert!(!is_template_expression("[Enter the client id]"));
        let arm = json::parse(r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "api", "properties": {"siteConfig": {"appSettings": [{"name": "AzureAd__ClientId", "value": "[parameters('clientId')]"}]}}}]}"#)
            .unwrap()
            .unwrap();
        assert!(
            app_service(&arm, FileId(0), "main.json").unwrap()[0]
                .variables
                .is_empty()
        );
    }

    #[test]
    fn app_service_exports_and_arm() {
        let export =
            json::parse(r#"[{"name": "AzureAd__TenantId", "value": "t", "slotSetting": false}]"#)
                .unwrap()
                .unwrap();
        assert_eq!(
            app_service(&export, FileId(0), "settings.json").unwrap()[0].variables[0].name,
            "AzureAd__TenantId"
        );
        let arm = json::parse(r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "api", "properties": {"siteConfig": {"appSettings": [{"name": "AzureAd__Audience", "value": "x"}]}}, "resources": [{"type": "Microsoft.Web/sites/config", "name": "api/appsettings", "properties": {"AzureAd__TenantId": "t"}}]}]}"#)
            .unwrap()
            .unwrap();
        let sources = app_service(&arm, FileId(0), "main.json").unwrap();
        assert_eq!(sources.len(), 2);
        assert!(
            app_service(
                &json::parse(r#"{"AzureAd": {}}"#).unwrap().unwrap(),
                FileId(0),
                "x"
            )
            .is_none()
        );
    }
}
