//! Values files of the oauth2-proxy Helm chart: `config.clientID`, `config.configFile` (the
//! configuration file as text), `alphaConfig.configData`, `extraArgs` (a map rendered
//! `--key=value`, or a list of arguments) and `extraEnv` (variables).
//! upstream: oauth2-proxy/manifests helm/oauth2-proxy/values.yaml and
//! templates/deployment.yaml (`kindIs "map"` / `kindIs "slice"` for `extraArgs`; a map entry
//! without a value renders `--key`). Helm values are case-sensitive. Notes:
//! docs/stacks-verified.md §8.2.

use super::alpha;
use super::options::{cfg_options, oauth2_proxy, options_from_variables};
use crate::model::Setting;
use crate::read::yaml::{YamlNode, YamlValue};
use crate::source::{FileId, Location, Span};
use crate::stacks::FileApp;
use crate::stacks::environment::variables::{Variable, argument_variables};
use crate::stacks::manifest::{block_offsets, entry, map_span, scalar_setting};

/// The chart's top-level keys this model reads, spelt as the chart reads them.
const CHART_KEYS: &[&str] = &["config", "alphaConfig", "extraArgs", "extraEnv"];

/// The file may be chart values: checked before anything is parsed.
pub fn may_hold(text: &str) -> bool {
    ["extraArgs", "extraEnv", "configFile", "alphaConfig"]
        .iter()
        .any(|key| text.contains(key))
}

/// What one values document holds.
#[derive(Debug, Default)]
pub struct Values {
    /// The proxy the chart deploys, when the values configure one.
    pub app: Option<FileApp>,
    /// Providers of `alphaConfig.configData`.
    pub alpha: Vec<FileApp>,
    /// Top-level keys the chart never reads because of their case: (as written, meant, where).
    pub ignored: Vec<(String, &'static str, Span)>,
    /// `config.configFile` is not a valid configuration file: (message, where).
    pub config_file_error: Option<(String, Span)>,
}

/// The chart's view of one values document (a mapping without `kind`).
pub fn values(document: &YamlNode, text: &str, file: FileId, label: &str) -> Values {
    let mut found = Values::default();
    if document.get("kind").is_some() {
        return found;
    }
    let mut options: Vec<(String, Setting)> = Vec::new();
    let config = document.get("config");
    if let Some(config_file) = config.and_then(|c| c.get("configFile"))
        && config_file.as_str().is_some_and(|t| !t.trim().is_empty())
    {
        let offsets = block_offsets(text, config_file);
        let map = |span: Span| map_span(&offsets, span);
        match cfg_options(config_file.as_str().unwrap_or_default(), file, &map) {
            Ok(from_file) => options.extend(from_file),
            Err(error) => found.config_file_error = Some(error),
        }
    }
    // The chart passes it as OAUTH2_PROXY_CLIENT_ID (from its secret).
    if let Some((key_span, node)) = config.and_then(|c| entry(c, &["clientID"]))
        && let Some(setting) = scalar_setting(text, file, "config.clientID", key_span, node)
    {
        options.push(("client_id".into(), setting));
    }
    // The chart runs its appVersion unless `image.tag` says otherwise.
    let image = document.get("image");
    if let Some((key_span, tag)) = image.and_then(|i| entry(i, &["tag"]))
        && let Some(setting) = scalar_setting(text, file, "image.tag", key_span, tag)
        && !setting.value.is_empty()
    {
        let repository = image
            .and_then(|i| i.get("repository"))
            .and_then(YamlNode::as_str)
            .unwrap_or("oauth2-proxy/oauth2-proxy");
        let value = format!("{repository}:{}", setting.value);
        options.push(("image".into(), Setting { value, ..setting }));
    }
    let mut variables = extra_env(document.get("extraEnv"), file);
    variables.extend(extra_args(document.get("extraArgs"), text, file));
    options.extend(options_from_variables(&variables, file));
    let at = document
        .entries()
        .iter()
        .find(|(key, _, _)| CHART_KEYS.contains(&key.as_str()))
        .map_or(document.span, |(_, span, _)| *span);
    found.app = oauth2_proxy(options, file, at, &format!("{label} (oauth2-proxy chart)"));
    if let Some(data) = document
        .get("alphaConfig")
        .and_then(|a| a.get("configData"))
    {
        found.alpha = alpha::providers(data, text, file, &format!("{label} alphaConfig"));
    }
    if found.app.is_some() || !found.alpha.is_empty() {
        found.ignored = document
            .entries()
            .iter()
            .filter_map(|(key, span, _)| {
                let meant = CHART_KEYS
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(key) && *k != key)?;
                Some((key.clone(), *meant, *span))
            })
            .collect();
    }
    found
}

/// `extraEnv`: `- name: OAUTH2_PROXY_..., value: ...` items.
fn extra_env(node: Option<&YamlNode>, file: FileId) -> Vec<Variable> {
    node.map(YamlNode::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let name = item.get("name")?;
            let value = item.get("value")?;
            Some(Variable {
                name: name.as_str()?.to_string(),
                value: value.as_str()?.to_string(),
                origin: Location {
                    file,
                    span: value.span,
                },
                name_span: name.span,
            })
        })
        .collect()
}

/// `extraArgs`: a map (`provider: azure` renders `--provider=azure`; no value renders the bare
/// switch) or a list of arguments.
fn extra_args(node: Option<&YamlNode>, text: &str, file: FileId) -> Vec<Variable> {
    let Some(node) = node else {
        return Vec::new();
    };
    if let YamlValue::Sequence(_) = node.value {
        return argument_variables(Some(node), file);
    }
    node.entries()
        .iter()
        .filter_map(|(key, key_span, value)| {
            let setting = scalar_setting(text, file, key, *key_span, value)?;
            let written = text
                .get(value.span.start..value.span.end)
                .unwrap_or_default();
            let value = if setting.value.is_empty() && !written.contains("{{") {
                "true".to_string()
            } else {
                setting.value
            };
            Some(Variable {
                name: format!("--{key}"),
                value,
                origin: setting.origin,
                name_span: *key_span,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml;

    fn option(app: &FileApp, key: &str) -> Option<String> {
        app.options
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s.value.clone())
    }

    #[test]
    fn extra_args_as_a_map_extra_env_and_the_client_id() {
        let text = "config:\n  clientID: 8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d\n  existingSecret: proxy\nextraEnv:\n- name: OAUTH2_PROXY_OIDC_EXTRA_AUDIENCES\n  value: api://a,api://b\nextraArgs:\n  provider: entra-id\n  oidc-issuer-url: https://login.microsoftonline.com/t/v2.0\n  skip-jwt-bearer-tokens:\n";
        let document = &yaml::parse(text).unwrap()[0];
        let found = values(document, text, FileId(0), "values.yaml");
        let app = found.app.unwrap();
        assert_eq!(app.section, "values.yaml (oauth2-proxy chart)");
        assert_eq!(option(&app, "provider").as_deref(), Some("entra-id"));
        assert_eq!(
            option(&app, "client_id").as_deref(),
            Some("8a4b2c6d-1e3f-4a5b-9c7d-2e4f6a8b0c1d")
        );
        assert_eq!(
            option(&app, "oidc_extra_audiences:1").as_deref(),
            Some("api://b")
        );
        assert_eq!(
            option(&app, "skip_jwt_bearer_tokens").as_deref(),
            Some("true")
        );
        assert!(found.ignored.is_empty());
    }

    #[test]
    fn extra_args_as_a_list_and_a_config_file_pointing_into_the_block() {
        let text = "config:\n  configFile: |\n    provider = \"oidc\"\n    oidc_issuer_url = \"https://login.microsoftonline.com/t/v2.0\"\nextraArgs:\n- --scope=openid,email\n- --oidc-extra-audience\n- api://orders\n";
        let document = &yaml::parse(text).unwrap()[0];
        let app = values(document, text, FileId(0), "values.yaml")
            .app
            .unwrap();
        assert_eq!(option(&app, "scope").as_deref(), Some("openid,email"));
        assert_eq!(
            option(&app, "oidc_extra_audiences:0").as_deref(),
            Some("api://orders")
        );
        let issuer = app
            .options
            .iter()
            .find(|(k, _)| k == "oidc_issuer_url")
            .unwrap();
        let span = issuer.1.origin.span;
        assert_eq!(
            &text[span.start..span.end],
            "\"https://login.microsoftonline.com/t/v2.0\""
        );
    }

    /// The corpus' reviewed values file writes `Config:`; the chart reads `.Values.config`.
    #[test]
    fn keys_in_the_wrong_case_are_ignored_by_the_chart() {
        let text = "Config:\n  existingSecret: proxy\nextraArgs:\n  provider: azure\n";
        let document = &yaml::parse(text).unwrap()[0];
        let found = values(document, text, FileId(0), "values.yaml");
        assert_eq!(
            found.ignored,
            vec![("Config".to_string(), "config", Span::new(0, 6))]
        );
        assert_eq!(option(found.app.as_ref().unwrap(), "client_id"), None);
    }

    #[test]
    fn other_charts_values_are_not_oauth2_proxy() {
        let text = "Config:\n  a: b\nextraArgs:\n  log-level: debug\n";
        let document = &yaml::parse(text).unwrap()[0];
        let found = values(document, text, FileId(0), "values.yaml");
        assert!(found.app.is_none() && found.ignored.is_empty());
    }
}
