//! .NET: ASP.NET Core (Microsoft.Identity.Web, JwtBearer, OpenIdConnect, AzureAD.UI), ASP.NET
//! 4.x on OWIN/Katana, and Blazor WebAssembly's MSAL.js client: `appsettings*.json` and other
//! JSON sections, web.config / app.config with their transforms, C# startup code, and project
//! files (target frameworks, package versions).

pub mod appsettings;
pub mod aspnetcore;
pub mod azure_ad_ui;
pub mod identity_web;
pub mod msal_browser;
pub mod owin;
pub mod project_file;
pub mod startup_code;
pub mod web_config;

use super::{ConfigKind, Extracted, FileInput, Processed, Stack, invalid_syntax};
use crate::discover::FileKind;
use crate::infer::Inference;
use crate::model::{App, Framework, Layer};
use crate::read::{csharp, json, xml};
use crate::stacks::environment::variables;
use startup_code::{CODE_WORDS, CodeFile};

pub static STACK: Stack = Stack {
    id: "dotnet",
    classify,
    extract,
    frameworks: &[
        Framework::MicrosoftIdentityWeb,
        Framework::MicrosoftIdentityWebOwin,
        Framework::AspnetcoreJwtBearer,
        Framework::AspnetcoreOpenIdConnect,
        Framework::OwinOpenIdConnect,
        Framework::OwinAzureAdBearer,
        Framework::OwinJwtBearer,
        Framework::OwinWsFederation,
        Framework::AzureAdUi,
        Framework::AzureAdB2cUi,
        Framework::MsalBrowser,
    ],
    infer,
    from_variables: super::no_variables,
    error_text: super::identity_model_errors,
};

fn infer(app: &App) -> Inference {
    match app.framework {
        Framework::MicrosoftIdentityWeb => identity_web::infer(app),
        Framework::AspnetcoreJwtBearer | Framework::AspnetcoreOpenIdConnect => {
            aspnetcore::infer(app)
        }
        Framework::AzureAdUi | Framework::AzureAdB2cUi => azure_ad_ui::infer(app),
        Framework::MsalBrowser => msal_browser::infer(app),
        _ => owin::infer(app),
    }
}

/// XML files named `.config` that are never application configuration.
const SKIPPED_CONFIG: &[&str] = &["nuget.config", "log4net.config", "nlog.config"];

/// JSON files that are never identity configuration.
const SKIPPED_JSON: &[&str] = &[
    "package.json",
    "package-lock.json",
    "project.assets.json",
    "composer.json",
    "global.json",
];

fn classify(name: &str, lower: &str) -> Option<FileKind> {
    if lower.ends_with(".csproj")
        || lower == "directory.packages.props"
        || lower == "packages.config"
    {
        return Some(FileKind::ProjectFile);
    }
    if lower.ends_with(".config") {
        return (!SKIPPED_CONFIG.contains(&lower)).then_some(FileKind::XmlConfig);
    }
    if lower.ends_with(".cs") {
        let generated = lower.ends_with(".designer.cs")
            || lower.ends_with(".g.cs")
            || lower == "assemblyinfo.cs";
        return (!generated).then_some(FileKind::CSharp);
    }
    if !lower.ends_with(".json") {
        return None;
    }
    if lower == "appsettings.json" {
        return Some(FileKind::AppSettings { environment: None });
    }
    if let Some(middle) = lower
        .strip_prefix("appsettings.")
        .and_then(|m| m.strip_suffix(".json"))
        && !middle.is_empty()
        && !middle.contains('.')
    {
        return Some(FileKind::AppSettings {
            environment: Some(name[12..name.len() - 5].to_string()),
        });
    }
    let generated = lower.ends_with(".deps.json")
        || lower.ends_with(".runtimeconfig.json")
        || lower.starts_with("tsconfig")
        || lower.ends_with(".schema.json");
    (!SKIPPED_JSON.contains(&lower) && !generated).then_some(FileKind::Json)
}

fn extract(input: &FileInput, out: &mut Processed) {
    match input.kind() {
        FileKind::XmlConfig => extract_xml(input, out),
        FileKind::ProjectFile => extract_project_file(input, out),
        FileKind::CSharp => {
            let text = input.text;
            if CODE_WORDS.iter().any(|w| text.contains(w)) {
                let owin = text.contains("IAppBuilder") || text.contains("using Owin;");
                // Most C# of a service names the namespace but makes no call: its tokens are
                // only needed if a call elsewhere in its project reads it again.
                let tokens = if startup_code::may_make_calls(text) {
                    csharp::tokenize(text)
                } else {
                    Vec::new()
                };
                let code = CodeFile::new(input.file, tokens, owin);
                out.extracted.push(Extracted::Code(code));
            }
        }
        FileKind::AppSettings { environment } => extract_appsettings(input, environment, out),
        // A JSON file no other stack claimed may hold an authentication section.
        FileKind::Json if super::json_may_matter(input) => match input.json() {
            Ok(Some(root)) if out.is_empty() => flatten(input, root, ConfigKind::OtherJson, out),
            Ok(_) => {}
            Err(error) => out.diagnostics.push(cannot_load(input, error)),
        },
        _ => {}
    }
}

fn cannot_load(input: &FileInput, error: &json::JsonSyntaxError) -> crate::diagnostic::Diagnostic {
    invalid_syntax(
        input,
        error.span,
        format!("{}: .NET cannot load this file", error.message),
    )
}

fn flatten(input: &FileInput, root: &json::JsonNode, kind: ConfigKind, out: &mut Processed) {
    let layer = match &kind {
        ConfigKind::AppSettings {
            environment: Some(environment),
        } => Layer::Environment(environment.as_str().into()),
        _ => Layer::Base,
    };
    let (layer, diagnostics) = appsettings::flatten(root, input.file, layer);
    out.diagnostics.extend(diagnostics);
    out.extracted.push(Extracted::Config { kind, layer });
}

fn extract_appsettings(input: &FileInput, environment: &Option<String>, out: &mut Processed) {
    match input.json() {
        Ok(Some(root)) if matches!(root.value, json::JsonValue::Array(_)) => {
            appsettings_array(input, root, out)
        }
        Ok(Some(root)) => flatten(
            input,
            root,
            ConfigKind::AppSettings {
                environment: environment.clone(),
            },
            out,
        ),
        Ok(None) => {}
        Err(error) => out.diagnostics.push(cannot_load(input, error)),
    }
}

/// An appsettings-named file whose root is an array: the App Service settings export
/// (`[{name, value, slotSetting}]`, often committed as `appsettings.prod.json`) is read as the
/// variables it sets; anything else is a file .NET refuses to load (upstream: dotnet/runtime
/// src/libraries/Microsoft.Extensions.Configuration.Json/src/JsonConfigurationFileParser.cs
/// throws a FormatException when the top-level element is not an object).
fn appsettings_array(input: &FileInput, root: &json::JsonNode, out: &mut Processed) {
    match variables::app_service(root, input.file, input.name()) {
        Some(sources) => out.extracted.push(Extracted::Overrides {
            sources,
            config_maps: Vec::new(),
        }),
        None => out.diagnostics.push(invalid_syntax(
            input,
            root.span,
            "The top-level JSON element is an array, not an object: .NET refuses to load this file (FormatException at startup)".to_string(),
        )),
    }
}

/// A project file: its target frameworks and package versions. One MSBuild cannot read is
/// reported, since the project does not build.
fn extract_project_file(input: &FileInput, out: &mut Processed) {
    match xml::parse(input.text) {
        Ok(Some(root)) => out.extracted.push(Extracted::Project(project_file::extract(
            &root, input.text, input.file,
        ))),
        Ok(None) => {}
        Err(error) => out.diagnostics.push(invalid_syntax(
            input,
            error.span,
            format!(
                "{}: MSBuild cannot read {}",
                error.message,
                input.lower_name()
            ),
        )),
    }
}

/// web.config, app.config, their transforms, and other `.config` files their `<appSettings>`
/// may reference.
fn extract_xml(input: &FileInput, out: &mut Processed) {
    let name = input.lower_name();
    let parts: Vec<&str> = name.split('.').collect();
    let is_base = name == "web.config" || name == "app.config";
    let transform_name =
        (parts.len() == 3 && (parts[0] == "web" || parts[0] == "app")).then(|| {
            input
                .name()
                .split('.')
                .nth(1)
                .unwrap_or_default()
                .to_string()
        });
    let root = match xml::parse(input.text) {
        Ok(Some(root)) => root,
        Ok(None) => return,
        Err(error) => {
            // Only configuration .NET loads is worth an error; other XML is not ours to judge.
            if is_base || transform_name.is_some() || input.text.contains("<appSettings") {
                out.diagnostics.push(invalid_syntax(
                    input,
                    error.span,
                    format!("{}: .NET cannot load this file", error.message),
                ));
            }
            return;
        }
    };
    if web_config::is_transform(&root) {
        if let Some(configuration) = transform_name {
            let ops = web_config::extract_transforms(
                &root,
                input.file,
                &Layer::Environment(configuration.as_str().into()),
            );
            out.extracted
                .push(Extracted::Transform { configuration, ops });
        }
        return;
    }
    if let Some(app_settings) = web_config::extract_app_settings(&root, input.file, &Layer::Base) {
        out.extracted.push(Extracted::AppSettingsXml {
            is_base,
            app_settings,
        });
    }
}
