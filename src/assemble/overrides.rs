//! Environment-variable overrides meet projects: each launch profile, `.env` file, compose
//! service, Kubernetes container or App Service app becomes one configuration layer, applied to
//! the project it is for, in the environment it selects.

use super::join_relative;
use crate::model::{ConfigLayer, Layer, Setting};
use crate::source::FileId;
use crate::stacks::environment::variables::{
    ConfigMap, ConfigMapRef, OverrideSource, Variable, configuration_key, environment_of,
};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// An override source as extracted, with where it was found.
#[derive(Debug)]
pub struct OverrideInput {
    pub path: PathBuf,
    pub dir: PathBuf,
    pub source: OverrideSource,
}

/// One runtime's variables as a configuration layer.
#[derive(Debug)]
pub struct Overrides {
    pub file: FileId,
    /// The environment it runs in (`Production` when it names none, as .NET defaults).
    pub environment: String,
    pub label: String,
    /// The project folder it applies to; `None` when no project can be matched.
    pub project: Option<PathBuf>,
    pub layer: std::sync::Arc<ConfigLayer>,
}

/// Every source's full variable list (env files and ConfigMaps included), matched to a project.
pub fn resolve(
    inputs: &[OverrideInput],
    config_maps: &[ConfigMap],
    projects: &BTreeSet<&Path>,
) -> Vec<Overrides> {
    // `.env` files that a compose service loads belong to that service.
    let mut consumed: BTreeSet<PathBuf> = BTreeSet::new();
    for input in inputs {
        for env_file in &input.source.env_files {
            consumed.insert(join_relative(&input.dir, env_file));
        }
    }
    let only_project = (projects.len() == 1)
        .then(|| projects.iter().next().map(|p| p.to_path_buf()))
        .flatten();
    // Hashed: a tree may hold many compose files, env files and config maps.
    let by_path: HashMap<&Path, &OverrideInput> =
        inputs.iter().map(|i| (i.path.as_path(), i)).collect();
    let mut maps_named: HashMap<&str, Vec<&ConfigMap>> = HashMap::new();
    for map in config_maps {
        maps_named.entry(map.name.as_str()).or_default().push(map);
    }
    let maps = |name: &str| maps_named.get(name).into_iter().flatten().copied();
    let mut resolved = Vec::new();
    for input in inputs.iter().filter(|i| !consumed.contains(&i.path)) {
        let source = &input.source;
        let mut variables: Vec<Variable> = Vec::new();
        for env_file in &source.env_files {
            let target = join_relative(&input.dir, env_file);
            if let Some(file) = by_path.get(target.as_path()) {
                variables.extend(file.source.variables.iter().cloned());
            }
        }
        for reference in &source.config_maps {
            match reference {
                ConfigMapRef::All(name) => {
                    variables.extend(maps(name).flat_map(|m| m.data.iter().cloned()))
                }
                ConfigMapRef::Key { map, key, variable } => {
                    if let Some(value) = maps(map).flat_map(|m| &m.data).find(|d| d.name == *key) {
                        variables.push(Variable {
                            name: variable.clone(),
                            ..value.clone()
                        });
                    }
                }
            }
        }
        variables.extend(source.variables.iter().cloned());
        let settings: Vec<Setting> = variables
            .iter()
            .filter_map(|v| {
                configuration_key(&v.name).map(|key| Setting {
                    key,
                    value: v.value.clone(),
                    origin: v.origin,
                    key_span: v.name_span,
                    layer: Layer::Variables(source.label.as_str().into()),
                    is_string: true,
                })
            })
            .collect();
        if settings.is_empty() {
            continue;
        }
        let project = source
            .project
            .as_ref()
            .filter(|p| projects.contains(p.as_path()))
            .cloned()
            .or_else(|| {
                input
                    .dir
                    .ancestors()
                    .find(|a| projects.contains(a))
                    .map(Path::to_path_buf)
            })
            .or_else(|| {
                // A manifest beside one project folder means that project.
                let below: Vec<&&Path> = projects
                    .iter()
                    .filter(|p| p.starts_with(&input.dir))
                    .collect();
                (below.len() == 1).then(|| below[0].to_path_buf())
            })
            .or_else(|| only_project.clone());
        resolved.push(Overrides {
            file: source.file,
            environment: environment_of(&variables)
                .unwrap_or("Production")
                .to_string(),
            label: source.label.clone(),
            project,
            layer: std::sync::Arc::new(ConfigLayer {
                layer: Layer::Variables(source.label.as_str().into()),
                file: source.file,
                settings,
                section_keys: Vec::new(),
            }),
        });
    }
    resolved
}
