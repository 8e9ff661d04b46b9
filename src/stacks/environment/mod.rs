//! Environment variables that override configuration, wherever teams set them: launch
//! profiles, `.env` files, docker-compose services, Kubernetes workloads with their ConfigMaps,
//! and App Service application settings exports. Other stacks read their own variables from
//! what this stack extracts (`Stack::from_variables`).

pub mod variables;

use super::{Extracted, FileInput, Processed, Stack, invalid_syntax};
use crate::discover::FileKind;
use crate::model::Framework;
use variables::{ConfigMap, OverrideSource};

pub static STACK: Stack = Stack {
    id: "environment",
    classify,
    extract,
    frameworks: &[] as &[Framework],
    infer: super::no_framework,
    from_variables: super::no_variables,
    error_text: super::identity_model_errors,
};

fn classify(_name: &str, lower: &str) -> Option<FileKind> {
    if lower == "launchsettings.json" {
        return Some(FileKind::LaunchSettings);
    }
    if lower == ".env" || lower.ends_with(".env") || lower.starts_with(".env.") {
        return Some(FileKind::DotEnv);
    }
    (lower.ends_with(".yml") || lower.ends_with(".yaml")).then_some(FileKind::Yaml)
}

fn overrides(out: &mut Processed, sources: Vec<OverrideSource>, config_maps: Vec<ConfigMap>) {
    out.extracted.push(Extracted::Overrides {
        sources,
        config_maps,
    });
}

fn extract(input: &FileInput, out: &mut Processed) {
    let (file, text, name) = (input.file, input.text, input.name());
    match input.kind() {
        FileKind::DotEnv => overrides(out, vec![variables::dotenv_file(text, file, name)], vec![]),
        FileKind::LaunchSettings => match input.json() {
            Ok(Some(root)) => {
                // Properties/launchSettings.json belongs to the project above Properties.
                let dir = input.dir();
                let project = if dir
                    .file_name()
                    .is_some_and(|d| d.eq_ignore_ascii_case("properties"))
                {
                    dir.parent().map(|p| p.to_path_buf()).unwrap_or_default()
                } else {
                    dir.to_path_buf()
                };
                overrides(out, variables::launch_settings(root, file, project), vec![])
            }
            Ok(None) => {}
            Err(error) => out.diagnostics.push(invalid_syntax(
                input,
                error.span,
                format!(
                    "{}: Visual Studio and `dotnet run` cannot read this launch profile file",
                    error.message
                ),
            )),
        },
        // A YAML file an earlier stack claimed (APIOps configuration) holds no variables.
        FileKind::Yaml if out.is_empty() => extract_yaml(input, out),
        FileKind::Json if super::json_may_matter(input) => {
            if let Ok(Some(root)) = input.json()
                && let Some(sources) = variables::app_service(root, file, name)
            {
                overrides(out, sources, vec![]);
            }
        }
        _ => {}
    }
}

/// docker-compose services and Kubernetes workloads.
fn extract_yaml(input: &FileInput, out: &mut Processed) {
    let (file, text, name) = (input.file, input.text, input.name());
    let lower = input.lower_name();
    let compose = lower.starts_with("docker-compose")
        || lower.starts_with("compose.")
        || lower.starts_with("compose-");
    let manifest = text.contains("kind:")
        && (text.contains("env") || text.contains("args:") || text.contains("command:"));
    if !compose && !manifest {
        return;
    }
    match input.yaml() {
        Ok(documents) if compose => overrides(
            out,
            documents
                .iter()
                .flat_map(|d| variables::compose(d, file, input.dir(), name))
                .collect(),
            Vec::new(),
        ),
        Ok(documents) => {
            let (sources, config_maps) = variables::kubernetes(documents, file, name);
            overrides(out, sources, config_maps)
        }
        Err(error) if compose => out.diagnostics.push(invalid_syntax(
            input,
            error.span,
            format!("{}: docker compose cannot read this file", error.message),
        )),
        // Other YAML (Helm templates, workflows) is not ours to judge.
        Err(_) => {}
    }
}
