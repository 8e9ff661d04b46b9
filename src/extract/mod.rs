//! Stage 3: extract. A parsed file becomes flat settings (or facts about app registrations).

pub mod app_registration;
pub mod appsettings;
pub mod gateways;
pub mod overrides;
pub mod project_file;
pub mod startup_code;
pub mod web_config;

use crate::model::{ConfigLayer, RegistrationFacts};
use startup_code::CodeFile;
use web_config::{AppSettingsXml, TransformOp};

/// How a JSON configuration file takes part in .NET configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    /// `appsettings.json` (environment `None`) or `appsettings.{Environment}.json`.
    AppSettings { environment: Option<String> },
    /// Another JSON file that may hold an authentication section.
    OtherJson,
}

/// What a file contributes to the run.
#[derive(Debug, Default)]
pub enum Extracted {
    Config {
        kind: ConfigKind,
        layer: ConfigLayer,
    },
    Registrations(Vec<RegistrationFacts>),
    /// The `<appSettings>` of a web.config / app.config (`is_base`) or of a file it may reference.
    AppSettingsXml {
        is_base: bool,
        app_settings: AppSettingsXml,
    },
    /// A `Web.<configuration>.config` transform.
    Transform {
        configuration: String,
        ops: Vec<TransformOp>,
    },
    /// Startup code.
    Code(CodeFile),
    /// A project's build files: target frameworks and package versions.
    Project(crate::model::ProjectFacts),
    /// Environment variables (launch profiles, `.env`, compose, Kubernetes, App Service).
    Overrides {
        sources: Vec<overrides::OverrideSource>,
        config_maps: Vec<overrides::ConfigMap>,
    },
    /// Read and understood, but nothing this tool checks.
    #[default]
    Nothing,
}
