//! Stage 4: assemble. Settings become apps: one consumer of tokens with one framework.
//!
//! `appsettings.json` and `appsettings.{Environment}.json` in one folder are layered as
//! ASP.NET Core layers them. When environment files exist, each environment is evaluated on its
//! own (base + that environment); otherwise the base file is evaluated alone.

use crate::extract::ConfigKind;
use crate::model::{App, ConfigLayer, ConfigView, DownstreamApi, Framework, Role, Setting};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// A configuration file as the assembler needs it.
#[derive(Debug)]
pub struct ConfigFile {
    pub dir: PathBuf,
    pub kind: ConfigKind,
    pub layer: ConfigLayer,
}

/// Keys that make a section look like Microsoft.Identity.Web's options.
const IDENTITY_KEYS: &[&str] = &[
    "instance",
    "tenantid",
    "clientid",
    "domain",
    "authority",
    "signupsigninpolicyid",
];
/// Keys that build an authority (a `ClientId` and `TenantId` alone could be anything's).
const ANCHOR_KEYS: &[&str] = &["instance", "authority", "signupsigninpolicyid"];
/// Keys of the options classes older samples bound by hand.
const CUSTOM_OPTIONS_KEYS: &[&str] = &[
    "tenant",
    "aadinstance",
    "azureadinstance",
    "azureadb2cinstance",
];
/// Section names Microsoft's templates and samples use.
const KNOWN_SECTIONS: &[&str] = &[
    "azuread",
    "azureadb2c",
    "azureentraid",
    "entraid",
    "microsoftentraid",
    "azureactivedirectory",
];

const WEB_APP_KEYS: &[&str] = &[
    "callbackpath",
    "signedoutcallbackpath",
    "clientsecret",
    "responsetype",
    "remotesignoutpath",
];
const WEB_API_KEYS: &[&str] = &[
    "audience",
    "audiences",
    "allowwebapitobeauthorizedbyacl",
    "scopes",
];

pub fn assemble(files: &[ConfigFile]) -> Vec<App> {
    let mut groups: BTreeMap<&PathBuf, Vec<&ConfigFile>> = BTreeMap::new();
    let mut apps = Vec::new();
    for file in files {
        match &file.kind {
            ConfigKind::AppSettings { .. } => groups.entry(&file.dir).or_default().push(file),
            ConfigKind::OtherJson => apps.extend(apps_in(&[&file.layer], None, true)),
        }
    }
    for group in groups.values() {
        let base = group
            .iter()
            .find(|f| matches!(&f.kind, ConfigKind::AppSettings { environment: None }));
        let mut environments: Vec<(&str, &ConfigFile)> = group
            .iter()
            .filter_map(|f| match &f.kind {
                ConfigKind::AppSettings {
                    environment: Some(env),
                } => Some((env.as_str(), *f)),
                _ => None,
            })
            .collect();
        environments.sort_by(|a, b| a.0.cmp(b.0));
        if environments.is_empty() {
            if let Some(base) = base {
                apps.extend(apps_in(&[&base.layer], None, false));
            }
            continue;
        }
        for (environment, file) in environments {
            let layers: Vec<&ConfigLayer> = base
                .map(|b| &b.layer)
                .into_iter()
                .chain([&file.layer])
                .collect();
            apps.extend(apps_in(&layers, Some(environment.to_string()), false));
        }
    }
    apps
}

/// The apps one merged configuration defines. `strict` applies to JSON files not named
/// appsettings: they need an unmistakable identity section.
fn apps_in(layers: &[&ConfigLayer], environment: Option<String>, strict: bool) -> Vec<App> {
    let config = Arc::new(ConfigView::from_layers(layers.iter().copied()));
    let file = layers[0].file;
    let sections = config.sections();
    let original_case: HashMap<String, &str> = sections
        .iter()
        .map(|(p, _)| (p.to_ascii_lowercase(), p.as_str()))
        .collect();
    let downstream = Arc::new(downstream_apis(&config, &sections));
    let mut found: Vec<(String, Framework, Role)> = Vec::new();

    for (path, children) in &sections {
        let lower = path.to_ascii_lowercase();
        if found
            .iter()
            .any(|(s, _, _)| lower.starts_with(&format!("{}:", s.to_ascii_lowercase())))
        {
            continue;
        }
        if lower == "authentication:schemes" {
            for scheme in children {
                let scheme_path = format!("{lower}:{scheme}");
                let Some(original) = original_case.get(&scheme_path) else {
                    continue;
                };
                let keys = sections
                    .iter()
                    .find(|(p, _)| p.eq_ignore_ascii_case(original))
                    .map(|(_, c)| c.as_slice())
                    .unwrap_or(&[]);
                let framework = scheme_framework(scheme, keys);
                let role = if framework == Framework::AspnetcoreJwtBearer {
                    Role::WebApi
                } else {
                    Role::WebApp
                };
                found.push((original.to_string(), framework, role));
            }
            continue;
        }
        if lower.starts_with("authentication:schemes")
            || !is_identity_section(&lower, children, strict)
        {
            continue;
        }
        found.push((
            path.clone(),
            Framework::MicrosoftIdentityWeb,
            role_from_keys(children),
        ));
    }

    found
        .into_iter()
        .map(|(section, framework, role)| App {
            framework,
            role,
            section,
            environment: environment.clone(),
            file,
            config: Arc::clone(&config),
            downstream: Arc::clone(&downstream),
        })
        .collect()
}

fn has(children: &[String], keys: &[&str]) -> usize {
    children
        .iter()
        .filter(|c| keys.contains(&c.as_str()))
        .count()
}

fn is_identity_section(path: &str, children: &[String], strict: bool) -> bool {
    let segments: Vec<&str> = path.split(':').collect();
    // Options are never bound from inside arrays, and JSON schemas describe keys, not values.
    if segments.iter().any(|s| {
        s.bytes().all(|b| b.is_ascii_digit()) || ["properties", "definitions", "$defs"].contains(s)
    }) {
        return false;
    }
    // Older samples and console apps bind their own options classes (`Tenant`, `AadInstance`),
    // which Microsoft.Identity.Web never reads.
    if has(children, CUSTOM_OPTIONS_KEYS) > 0 && has(children, &["tenantid", "domain"]) == 0 {
        return false;
    }
    let identity = has(children, IDENTITY_KEYS);
    let name = segments.last().copied().unwrap_or(path);
    if strict {
        return (identity >= 2 && has(children, &["instance", "signupsigninpolicyid"]) > 0)
            || (KNOWN_SECTIONS.contains(&name) && has(children, ANCHOR_KEYS) > 0);
    }
    (identity >= 2 && has(children, ANCHOR_KEYS) > 0)
        || (KNOWN_SECTIONS.contains(&name) && identity > 0)
}

/// Web-app keys (sign-in callbacks, a secret to redeem codes) against web-API keys (audiences,
/// required scopes). Mixed or absent signals leave the role unknown.
fn role_from_keys(children: &[String]) -> Role {
    match (
        has(children, WEB_APP_KEYS) > 0,
        has(children, WEB_API_KEYS) > 0,
    ) {
        (true, false) => Role::WebApp,
        (false, true) => Role::WebApi,
        _ => Role::Unknown,
    }
}

fn scheme_framework(scheme: &str, keys: &[String]) -> Framework {
    let name = scheme.to_ascii_lowercase();
    if name.contains("bearer") || name.contains("jwt") {
        Framework::AspnetcoreJwtBearer
    } else if name.contains("openid")
        || name.contains("oidc")
        || has(
            keys,
            &[
                "callbackpath",
                "responsetype",
                "clientsecret",
                "signedoutcallbackpath",
                "scope",
            ],
        ) > 0
    {
        Framework::AspnetcoreOpenIdConnect
    } else {
        Framework::AspnetcoreJwtBearer
    }
}

/// Sections naming an API to call and the scopes to ask for: Microsoft.Identity.Web's
/// `DownstreamApi(s)` (`BaseUrl` + `Scopes`) and the samples' `...BaseAddress` + `...Scope(s)`.
fn downstream_apis(config: &ConfigView, sections: &[(String, Vec<String>)]) -> Vec<DownstreamApi> {
    let mut apis = Vec::new();
    for (path, children) in sections {
        let url_key = children.iter().find(|c| {
            c.as_str() == "baseurl" || c.ends_with("baseaddress") || c.ends_with("baseurl")
        });
        let scope_key = children
            .iter()
            .find(|c| c.ends_with("scopes") || c.ends_with("scope"));
        let (Some(url_key), Some(scope_key)) = (url_key, scope_key) else {
            continue;
        };
        let scope_path = format!("{path}:{scope_key}");
        let mut scopes: Vec<(String, Setting)> = Vec::new();
        let items = config
            .get(&scope_path)
            .into_iter()
            .chain(config.under(&scope_path));
        for setting in items {
            for scope in setting
                .value
                .split([' ', ','])
                .filter(|s| !s.trim().is_empty())
            {
                scopes.push((scope.trim().to_string(), setting.clone()));
            }
        }
        apis.push(DownstreamApi {
            section: path.clone(),
            base_url: config.get(&format!("{path}:{url_key}")).cloned(),
            scopes,
        });
    }
    apis
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::appsettings::flatten;
    use crate::model::Layer;
    use crate::read::json::parse;
    use crate::source::FileId;

    fn file(text: &str, environment: Option<&str>, id: usize) -> ConfigFile {
        let layer = environment.map_or(Layer::Base, |e| Layer::Environment(e.into()));
        let (layer, _) = flatten(&parse(text).unwrap().unwrap(), FileId(id), layer);
        ConfigFile {
            dir: PathBuf::from("api"),
            kind: ConfigKind::AppSettings {
                environment: environment.map(String::from),
            },
            layer,
        }
    }

    #[test]
    fn finds_identity_web_sections_by_keys_not_names() {
        let apps = assemble(&[file(
            r#"{"Sso": {"Instance": "https://login.microsoftonline.com/", "TenantId": "t", "ClientId": "c", "Audience": "a"}, "Logging": {"LogLevel": {"Default": "Information"}}}"#,
            None,
            0,
        )]);
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].section, "Sso");
        assert_eq!(apps[0].framework, Framework::MicrosoftIdentityWeb);
        assert_eq!(apps[0].role, Role::WebApi);
    }

    #[test]
    fn finds_authentication_schemes() {
        let apps = assemble(&[file(
            r#"{"Authentication": {"Schemes": {"Bearer": {"Authority": "https://x"}, "OpenIdConnect": {"Authority": "https://x", "ClientId": "c"}}}}"#,
            None,
            0,
        )]);
        let kinds: Vec<(&str, Framework, Role)> = apps
            .iter()
            .map(|a| (a.section.as_str(), a.framework, a.role))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "Authentication:Schemes:Bearer",
                    Framework::AspnetcoreJwtBearer,
                    Role::WebApi
                ),
                (
                    "Authentication:Schemes:OpenIdConnect",
                    Framework::AspnetcoreOpenIdConnect,
                    Role::WebApp
                )
            ]
        );
    }

    #[test]
    fn evaluates_each_environment_on_its_base() {
        let base = file(
            r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "a", "ClientId": "c"}}"#,
            None,
            0,
        );
        let dev = file(r#"{"AzureAd": {"TenantId": "b"}}"#, Some("Development"), 1);
        let apps = assemble(&[base, dev]);
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].environment.as_deref(), Some("Development"));
        assert_eq!(apps[0].value("TenantId"), Some("b"));
        assert_eq!(apps[0].value("ClientId"), Some("c"));
        assert_eq!(apps[0].file, FileId(0));
    }

    #[test]
    fn collects_downstream_scopes() {
        let apps = assemble(&[file(
            r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "a", "ClientId": "c"}, "DownstreamApi": {"BaseUrl": "https://api.contoso.com", "Scopes": "User.Read openid"}}"#,
            None,
            0,
        )]);
        let scopes: Vec<&str> = apps[0].downstream[0]
            .scopes
            .iter()
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(scopes, ["User.Read", "openid"]);
    }

    #[test]
    fn strict_json_needs_an_unmistakable_section() {
        let (layer, _) = flatten(&parse(r#"{"auth": {"clientId": "c", "authority": "https://login.microsoftonline.com/common"}}"#).unwrap().unwrap(), FileId(0), Layer::Base);
        let apps = assemble(&[ConfigFile {
            dir: PathBuf::from("spa"),
            kind: ConfigKind::OtherJson,
            layer,
        }]);
        assert!(apps.is_empty());
    }

    #[test]
    fn hand_bound_options_arrays_and_schemas_are_not_apps() {
        let custom = file(
            r#"{"AzureAd": {"ClientId": "c", "Tenant": "t.onmicrosoft.com", "AadInstance": "https://login.microsoftonline.com/{0}"}}"#,
            None,
            0,
        );
        let nested = file(
            r#"{"Apps": [{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "ClientId": "c"}}]}"#,
            None,
            1,
        );
        let ids_only = file(
            r#"{"OpenIdConnect": {"ClientId": "c", "TenantId": "t"}}"#,
            None,
            2,
        );
        for f in [custom, nested, ids_only] {
            assert!(assemble(&[f]).is_empty());
        }
    }
}
