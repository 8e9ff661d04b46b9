//! Apps one file defines by their options (gateways, proxies, other stacks' services) become
//! apps. API Management policies are evaluated once
//! with the extracted named values and once per `configuration.<env>.yaml` that overrides them.

use crate::model::{App, Framework};
use crate::stacks::FileApp;
use crate::stacks::apim::policy::{
    NamedValue, NamedValues, named_value_references, resolve_named_values,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An app one file defines, and the folder of that file.
#[derive(Debug)]
pub struct FileAppInput {
    pub dir: PathBuf,
    pub app: FileApp,
}

/// Named values and the folder they apply under (the APIOps artifacts root, or the template's folder).
#[derive(Debug)]
pub struct NamedValuesFile {
    pub root: PathBuf,
    pub named_values: NamedValues,
}

/// Named values by lower-cased name; a later one (an environment's) replaces an earlier.
fn by_name<'a>(values: &[&'a NamedValue]) -> HashMap<String, &'a NamedValue> {
    values
        .iter()
        .map(|v| (v.name.to_ascii_lowercase(), *v))
        .collect()
}

fn app(gateway: &FileApp, environment: Option<String>, values: &[&NamedValue]) -> App {
    let is_apim = matches!(
        gateway.framework,
        Framework::ApimValidateJwt | Framework::ApimValidateAzureAdToken
    );
    let named = if is_apim {
        by_name(values)
    } else {
        HashMap::new()
    };
    let lookup = |name: &str| {
        named
            .get(&name.to_ascii_lowercase())
            .map(|v| v.value.clone())
    };
    let mut unresolved = Vec::new();
    let bound = gateway
        .options
        .iter()
        .map(|(option, setting)| {
            let mut setting = setting.clone();
            if is_apim {
                // Unknown until the policy runs: kept (the option is set) but empty, and its
                // text kept aside for what its literal parts tell.
                let resolved = resolve_named_values(&setting.value, &lookup);
                if resolved.is_none() && !named_value_references(&setting.value).is_empty() {
                    unresolved.push((option.clone(), setting.value.clone()));
                }
                setting.value = resolved.unwrap_or_default();
            }
            (option.clone(), setting)
        })
        .collect();
    let mut app = App::from_options(
        gateway.framework,
        gateway.role,
        gateway.section.clone(),
        environment,
        gateway.at,
        bound,
    );
    app.unresolved = unresolved;
    app
}

/// The apps of one gateway: once with the named values every environment shares, and once per
/// environment that overrides them when the configuration references named values.
pub fn apps(file: &FileAppInput, named_values: &[NamedValuesFile]) -> Vec<App> {
    let gateway = &file.app;
    let references = gateway
        .options
        .iter()
        .any(|(_, s)| !named_value_references(&s.value).is_empty());
    let scopes: Vec<&NamedValues> = named_values
        .iter()
        .filter(|n| file.dir.starts_with(&n.root) || n.root == Path::new(""))
        .map(|n| &n.named_values)
        .collect();
    let base: Vec<&NamedValue> = scopes
        .iter()
        .filter(|n| n.environment.is_none())
        .flat_map(|n| &n.values)
        .collect();
    let mut apps = vec![app(gateway, None, &base)];
    if !references {
        return apps;
    }
    for overrides in scopes.iter().filter(|n| n.environment.is_some()) {
        let layered: Vec<&NamedValue> = base.iter().copied().chain(&overrides.values).collect();
        let environment = format!(
            "{} via {}",
            overrides.environment.as_deref().unwrap_or_default(),
            overrides.label
        );
        apps.push(app(gateway, Some(environment), &layered));
    }
    apps
}
