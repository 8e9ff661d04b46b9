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
    let bound = gateway
        .options
        .iter()
        .map(|(option, setting)| {
            let mut setting = setting.clone();
            if is_apim {
                // Unknown until the policy runs: kept (the option is set) but empty.
                setting.value = resolve_named_values(&setting.value, &lookup).unwrap_or_default();
            }
            (option.clone(), setting)
        })
        .collect();
    App::from_options(
        gateway.framework,
        gateway.role,
        gateway.section.clone(),
        environment,
        gateway.at,
        bound,
    )
}

/// Apps without an environment, by framework and lower-cased section: the bases that apps of
/// one environment (a Spring profile, a set of variables) are laid over.
#[derive(Debug, Default)]
pub struct Bases(HashMap<(Framework, String), Vec<usize>>);

impl Bases {
    pub fn new(inputs: &[FileAppInput]) -> Self {
        let mut bases: HashMap<(Framework, String), Vec<usize>> = HashMap::new();
        for (i, input) in inputs.iter().enumerate() {
            if input.app.environment.is_none() {
                bases
                    .entry((input.app.framework, input.app.section.to_ascii_lowercase()))
                    .or_default()
                    .push(i);
            }
        }
        Bases(bases)
    }

    /// The base of an environment app: the one of the same framework and section in its
    /// folder, else the only one below its folder (variables name a project, whose
    /// configuration lives in a subfolder).
    fn of(&self, inputs: &[FileAppInput], input: &FileAppInput) -> Option<usize> {
        input.app.environment.as_ref()?;
        let key = (input.app.framework, input.app.section.to_ascii_lowercase());
        let candidates = self.0.get(&key)?;
        if let Some(same) = candidates.iter().find(|&&b| inputs[b].dir == input.dir) {
            return Some(*same);
        }
        let mut below = candidates
            .iter()
            .filter(|&&b| inputs[b].dir.starts_with(&input.dir));
        match (below.next(), below.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    }
}

/// A list item's option (`audiences` of `audiences:0`).
fn list_of(key: &str) -> Option<&str> {
    let (list, index) = key.rsplit_once(':')?;
    (!index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())).then_some(list)
}

/// An environment app laid over its base, option by option (keys compared ASCII
/// case-insensitively; a list the environment gives replaces the base's whole list): the
/// base's location, the environment's name.
fn layered(base: &FileApp, overlay: &FileApp) -> FileApp {
    let same_list = |a: &str, b: &str| matches!((list_of(a), list_of(b)), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y));
    let overridden = |key: &str| {
        (overlay.options.iter()).any(|(k, _)| k.eq_ignore_ascii_case(key) || same_list(k, key))
    };
    let options = (base.options.iter())
        .filter(|(k, _)| !overridden(k))
        .chain(&overlay.options)
        .cloned()
        .collect();
    FileApp {
        options,
        environment: overlay.environment.clone(),
        ..base.clone()
    }
}

/// The apps of one file app: an environment app over its base, when it has one; a gateway once
/// with the named values every environment shares, and once per environment that overrides
/// them when the configuration references named values.
pub fn apps(
    i: usize,
    inputs: &[FileAppInput],
    bases: &Bases,
    named_values: &[NamedValuesFile],
) -> Vec<App> {
    let file = &inputs[i];
    if let Some(base) = bases.of(inputs, file) {
        let app = layered(&inputs[base].app, &file.app);
        return vec![self::app(&app, app.environment.clone(), &[])];
    }
    if file.app.environment.is_some() {
        return vec![app(&file.app, file.app.environment.clone(), &[])];
    }
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
