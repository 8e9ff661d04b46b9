//! Stage 3: extract. A parsed file becomes flat settings (or facts about app registrations).

pub mod app_registration;
pub mod appsettings;

use crate::model::{ConfigLayer, RegistrationFacts};

/// How a JSON configuration file takes part in .NET configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    /// `appsettings.json` (environment `None`) or `appsettings.{Environment}.json`.
    AppSettings { environment: Option<String> },
    /// Another JSON file that may hold an authentication section.
    OtherJson,
}

/// What a file contributes to the run.
#[derive(Debug)]
pub enum Extracted {
    Config {
        kind: ConfigKind,
        layer: ConfigLayer,
    },
    Registrations(Vec<RegistrationFacts>),
    /// Read and understood, but nothing this tool checks.
    Nothing,
}
