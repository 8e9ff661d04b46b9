//! Stages 1–5 per technology. A stack is one folder: how discovery recognises its files, what
//! extraction takes from them, and the models of its frameworks. [`STACKS`] is the one table
//! discovery and the pipeline iterate; the shared stages (reading, layering, rules, reports)
//! know no stack by name.
//!
//! Adding a stack: a folder with its `STACK`, one line in [`STACKS`], its `Framework` variants
//! in `model.rs` (the typed ids rules match on), and, when it reads files no stack reads yet, a
//! `FileKind` in `discover.rs` with its comment style (the pre-commit hook's pattern and its
//! test list every kind).

pub mod apim;
pub mod app_registration;
pub mod app_service;
pub mod dotnet;
pub mod environment;
pub mod envoy;
pub mod istio;
pub mod manifest;
pub mod node;
pub mod oauth2_proxy;
pub mod python;
pub mod spring;

use crate::diagnostic::Diagnostic;
use crate::discover::{Candidate, FileKind};
use crate::infer::Inference;
use crate::model::{App, ConfigLayer, Framework, Layer, RegistrationFacts, Role, Setting};
use crate::read::json::{self, JsonNode, JsonSyntaxError};
use crate::read::yaml::{self, YamlNode, YamlSyntaxError};
use crate::rules::support::Failure;
use crate::source::{FileId, Location, Span};
use dotnet::startup_code::CodeFile;
use dotnet::web_config::{AppSettingsXml, TransformOp};
use environment::variables::{ConfigMap, OverrideSource};
use std::cell::OnceCell;
use std::path::Path;

/// One technology entralint reads.
pub struct Stack {
    /// Names the stack's folder and its line in statistics.
    pub id: &'static str,
    /// Discovery: the kind of a file this stack reads, from its name as written and
    /// lower-cased. Names only: no I/O. The first stack in [`STACKS`] that answers wins.
    pub classify: fn(name: &str, lower: &str) -> Option<FileKind>,
    /// Extraction: adds what one file yields to `out`. Called for every discovered file, in
    /// table order, so a stack can leave a file to an earlier one (`out` holds their claims).
    pub extract: fn(&FileInput, &mut Processed),
    /// The frameworks whose model is [`Stack::infer`].
    pub frameworks: &'static [Framework],
    pub infer: fn(&App) -> Inference,
    /// Apps that environment variables configure on their own (`OAUTH2_PROXY_*`).
    pub from_variables: fn(&OverrideSource) -> Vec<FileApp>,
    /// The stack's own wording of a failure; `None` leaves IdentityModel's.
    pub error_text: fn(Framework, Failure) -> Option<&'static str>,
}

/// Every stack, in the order files are offered to them. .NET comes last: a JSON file no other
/// stack claimed may still hold a .NET configuration section.
pub static STACKS: &[&Stack] = &[
    &apim::STACK,
    &app_service::STACK,
    &app_registration::STACK,
    &environment::STACK,
    &istio::STACK,
    &envoy::STACK,
    &oauth2_proxy::STACK,
    &node::STACK,
    &python::STACK,
    &spring::STACK,
    &dotnet::STACK,
];

/// The kind of file at `name`, if some stack reads it.
pub fn classify(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    STACKS
        .iter()
        .find_map(|stack| (stack.classify)(name, &lower))
}

/// What every stack takes from one file.
pub fn extract(input: &FileInput) -> Processed {
    let mut out = Processed::default();
    for stack in STACKS {
        (stack.extract)(input, &mut out);
    }
    out
}

/// The stack that models `framework`.
pub fn stack_of(framework: Framework) -> &'static Stack {
    STACKS
        .iter()
        .find(|stack| stack.frameworks.contains(&framework))
        .expect("every framework belongs to a stack (tested)")
}

/// What `app`'s framework will really do.
pub fn infer(app: &App) -> Inference {
    (stack_of(app.framework).infer)(app)
}

/// The apps every stack reads from one set of environment variables.
pub fn apps_from_variables(source: &OverrideSource) -> Vec<FileApp> {
    STACKS
        .iter()
        .flat_map(|stack| (stack.from_variables)(source))
        .collect()
}

/// The stack's own text for `failure`, when it has one.
pub fn error_text(framework: Framework, failure: Failure) -> Option<&'static str> {
    (stack_of(framework).error_text)(framework, failure)
}

/// For stacks that model no framework (they feed others): never called, since no app has one
/// of their frameworks; an inference that knows nothing.
pub fn no_framework(_: &App) -> Inference {
    crate::infer::derive(None).into_inference()
}

/// Words without which a JSON file that is not named appsettings cannot matter to any stack
/// that reads plain JSON.
const IDENTITY_WORDS: &[&str] = &[
    "validate-jwt",
    "validate-azure-ad-token",
    "openidissuer",
    "authsettings",
    "namedvalue",
    "clientid",
    "tenantid",
    "\"instance\"",
    "authority",
    "audience",
    "appid",
    "signupsigninpolicyid",
    "schemes",
    "appsettings",
];

/// A `FileKind::Json` file may hold identity configuration: parsing it is worth it.
pub fn json_may_matter(input: &FileInput) -> bool {
    // Asked by every stack that reads plain JSON: searched once per file.
    *input.json_may_matter.get_or_init(|| {
        let lower = input.lower_text();
        // App Service exports: `[{"name": ..., "value": ...}]`.
        let name_values = lower.contains("\"name\"") && lower.contains("\"value\"");
        name_values
            || input.lower_name() == "namedvalueinformation.json"
            || IDENTITY_WORDS.iter().any(|w| lower.contains(w))
    })
}

/// For stacks that read no variables.
pub fn no_variables(_: &OverrideSource) -> Vec<FileApp> {
    Vec::new()
}

/// For stacks whose frameworks word their failures as IdentityModel does.
pub fn identity_model_errors(_: Framework, _: Failure) -> Option<&'static str> {
    None
}

/// For stacks that recognise no file by name (they read files another stack classified).
pub fn no_files(_: &str, _: &str) -> Option<FileKind> {
    None
}

/// One file as extraction sees it. Its text is parsed at most once per format, however many
/// stacks ask.
pub struct FileInput<'a> {
    pub candidate: &'a Candidate,
    pub file: FileId,
    pub text: &'a str,
    name: String,
    lower_text: OnceCell<String>,
    json_may_matter: OnceCell<bool>,
    json: OnceCell<Result<Option<JsonNode>, JsonSyntaxError>>,
    yaml: OnceCell<Result<Vec<YamlNode>, YamlSyntaxError>>,
}

impl<'a> FileInput<'a> {
    pub fn new(candidate: &'a Candidate, file: FileId, text: &'a str) -> Self {
        let name = (candidate.path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        FileInput {
            candidate,
            file,
            text,
            name,
            lower_text: OnceCell::new(),
            json_may_matter: OnceCell::new(),
            json: OnceCell::new(),
            yaml: OnceCell::new(),
        }
    }

    pub fn kind(&self) -> &FileKind {
        &self.candidate.kind
    }

    /// The file name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn lower_name(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    pub fn path(&self) -> &Path {
        &self.candidate.path
    }

    /// The folder that holds the file.
    pub fn dir(&self) -> &Path {
        self.candidate.path.parent().unwrap_or(Path::new(""))
    }

    /// The text in ASCII lower case, for cheap content checks.
    pub fn lower_text(&self) -> &str {
        self.lower_text
            .get_or_init(|| self.text.to_ascii_lowercase())
    }

    pub fn json(&self) -> Result<Option<&JsonNode>, &JsonSyntaxError> {
        self.json
            .get_or_init(|| json::parse(self.text))
            .as_ref()
            .map(Option::as_ref)
    }

    pub fn yaml(&self) -> Result<&[YamlNode], &YamlSyntaxError> {
        self.yaml
            .get_or_init(|| yaml::parse(self.text))
            .as_ref()
            .map(Vec::as_slice)
    }

    /// A location in this file.
    pub fn at(&self, span: Span) -> Location {
        Location {
            file: self.file,
            span,
        }
    }
}

/// What one file yielded.
#[derive(Default)]
pub struct Processed {
    /// Configuration for the .NET assembler (layers, code, project facts, variables, exports).
    pub extracted: Vec<Extracted>,
    pub diagnostics: Vec<Diagnostic>,
    /// Apps one file defines by its options: gateways, proxies, services of other stacks.
    pub apps: Vec<FileApp>,
    pub named_values: Vec<apim::policy::NamedValues>,
    /// The text names `appid` somewhere: it may ask for an app's own signing keys.
    pub mentions_appid: bool,
}

impl Processed {
    /// No stack has claimed the file yet.
    pub fn is_empty(&self) -> bool {
        self.extracted.is_empty()
            && self.diagnostics.is_empty()
            && self.apps.is_empty()
            && self.named_values.is_empty()
    }
}

/// An app one file defines by its own options (an API Management policy, an auth settings
/// resource, an oauth2-proxy configuration), keyed the way its framework model reads them.
#[derive(Debug, Clone)]
pub struct FileApp {
    pub framework: Framework,
    pub role: Role,
    pub file: FileId,
    /// How reports name it (`validate-jwt`, `authsettingsV2 'orders'`, `oauth2-proxy`).
    pub section: String,
    /// Where the configuration starts, for findings about it as a whole.
    pub at: Location,
    /// The environment (profile) these options are for; `None`: every environment.
    pub environment: Option<String>,
    /// `Some`: one of several files that together configure one app (Spring Boot's
    /// `application.yml` and `application.properties`), merged with the others of its
    /// framework, section, folder and environment, a higher precedence over a lower, equal ones
    /// in path order. `None`: an app of its own (two policies in one file are two apps).
    pub precedence: Option<u8>,
    pub options: Vec<(String, Setting)>,
}

/// A string option of a [`FileApp`], at `span` (value and key alike).
pub fn option_setting(file: FileId, key: &str, value: &str, span: Span) -> Setting {
    Setting {
        key: key.to_string(),
        value: value.to_string(),
        origin: Location { file, span },
        key_span: span,
        layer: Layer::Base,
        is_string: true,
    }
}

/// How a JSON configuration file takes part in .NET configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigKind {
    /// `appsettings.json` (environment `None`) or `appsettings.{Environment}.json`.
    AppSettings { environment: Option<String> },
    /// Another JSON file that may hold an authentication section.
    OtherJson,
}

/// What a file contributes to the .NET assembler and to the facts every rule may use.
#[derive(Debug)]
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
        sources: Vec<OverrideSource>,
        config_maps: Vec<ConfigMap>,
    },
}

/// An invalid-syntax finding: `message` says which program cannot load the file.
pub fn invalid_syntax(input: &FileInput, span: Span, message: String) -> Diagnostic {
    crate::rules::invalid_syntax::RULE.diagnostic(input.at(span), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_framework_belongs_to_exactly_one_stack() {
        for framework in Framework::ALL {
            let owners: Vec<&str> = STACKS
                .iter()
                .filter(|s| s.frameworks.contains(framework))
                .map(|s| s.id)
                .collect();
            assert_eq!(owners.len(), 1, "{framework:?} is modelled by {owners:?}");
        }
    }

    #[test]
    fn stack_ids_are_unique_and_name_their_folders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/stacks");
        for (i, stack) in STACKS.iter().enumerate() {
            assert!(STACKS[..i].iter().all(|s| s.id != stack.id));
            let folder = stack.id.replace('-', "_");
            assert!(root.join(&folder).join("mod.rs").is_file(), "{}", stack.id);
        }
    }
}
