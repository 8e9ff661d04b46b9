//! Stage 4: assemble. Settings become apps: one consumer of tokens with one framework.
//!
//! `appsettings.json` and `appsettings.{Environment}.json` in one folder are layered as
//! ASP.NET Core layers them. Each environment is evaluated on its own (base + that
//! environment), and the base file alone as `Production` unless a Production file or
//! Production variables exist; a folder without environment files is its base alone.

pub mod code;
pub mod file_apps;
pub mod overrides;
pub mod web_config;

use crate::model::{
    App, ConfigLayer, ConfigView, DownstreamApi, Framework, ProjectFacts, Role, Setting,
};
use crate::source::SourceMap;
use crate::stacks::ConfigKind;
use crate::stacks::dotnet::startup_code::{CodeApp, CodeFile, code_apps};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `relative` (`..\\shared.config`, `./.env`, Windows or Unix separators) joined to `dir`, with
/// `.` and `..` resolved, so that references compare equal to discovered paths.
pub(crate) fn join_relative(dir: &Path, relative: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in relative.replace('\\', "/").split('/') {
        match part {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            _ => path.push(part),
        }
    }
    path
}

/// A configuration file as the assembler needs it.
#[derive(Debug)]
pub struct ConfigFile {
    pub dir: PathBuf,
    pub kind: ConfigKind,
    pub layer: Arc<ConfigLayer>,
}

/// Everything the extract stage produced, by kind.
#[derive(Default)]
pub struct Inputs {
    pub json: Vec<ConfigFile>,
    pub xml: Vec<web_config::XmlFile>,
    pub transforms: Vec<web_config::TransformFile>,
    /// C# files with the folder that holds them.
    pub code: Vec<(PathBuf, CodeFile)>,
    pub overrides: Vec<overrides::OverrideInput>,
    pub config_maps: Vec<crate::stacks::environment::variables::ConfigMap>,
    pub apps: Vec<file_apps::FileAppInput>,
    pub named_values: Vec<file_apps::NamedValuesFile>,
    pub project_files: Vec<ProjectFileInput>,
}

/// A project's build file with the folder that holds it.
#[derive(Debug)]
pub struct ProjectFileInput {
    pub dir: PathBuf,
    /// `Directory.Packages.props`: versions for every project below it.
    pub central: bool,
    pub facts: crate::model::ProjectFacts,
}

/// One evaluated configuration: a base file alone, or a base with one environment layer.
pub struct EnvConfig {
    pub environment: Option<String>,
    pub file: crate::source::FileId,
    pub config: Arc<ConfigView>,
    pub downstream: Arc<Vec<DownstreamApi>>,
}

impl EnvConfig {
    fn new(layers: &[&Arc<ConfigLayer>], environment: Option<String>) -> Self {
        let config = ConfigView::from_layers(layers.iter().map(|layer| Arc::clone(layer)));
        let downstream = Arc::new(downstream_apis(&config, &config.sections()));
        EnvConfig {
            environment,
            file: layers[0].file,
            config: Arc::new(config),
            downstream,
        }
    }

    fn app(&self, section: String, framework: Framework, role: Role) -> App {
        App {
            framework,
            role,
            section,
            environment: self.environment.clone(),
            file: self.file,
            config: Arc::clone(&self.config),
            downstream: Arc::clone(&self.downstream),
            bound: Vec::new(),
            flat: false,
            standalone: false,
            code: None,
            anchor: None,
            project: None,
            unresolved: Vec::new(),
        }
    }
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
/// `AllowedTenants` restricts which tenants' tokens a multi-tenant web API accepts
/// (Azure-Samples/active-directory-aspnetcore-webapp-openidconnect-v2
/// 4-WebApp-your-API/4-3-AnyOrg/ToDoListService: the API's own code reads it).
const WEB_API_KEYS: &[&str] = &[
    "audience",
    "audiences",
    "allowwebapitobeauthorizedbyacl",
    "scopes",
    "allowedtenants",
];

/// Every app the inputs define, in a stable order.
pub fn assemble(inputs: &Inputs, sources: &SourceMap) -> Vec<App> {
    let assembly = Assembly::new(inputs, sources);
    assembly
        .units()
        .into_iter()
        .flat_map(|unit| assembly.apps(unit))
        .collect()
}

/// One independent piece of assembly: the apps of one file, project folder, web.config or
/// gateway. Units are assembled (and their apps checked and dropped) in parallel, so a run
/// never holds every app of a large tree at once.
#[derive(Clone, Copy, Debug)]
pub enum Unit {
    /// A JSON file not named appsettings, by index in `Inputs::json`.
    OtherJson(usize),
    /// A folder of appsettings files, by index in the project list.
    Project(usize),
    /// Variables no project matches, by index in the resolved overrides.
    Standalone(usize),
    /// A web.config or app.config, by index in `Inputs::xml`.
    WebConfig(usize),
    /// An app one file defines by its options, by index in `Inputs::apps`.
    FileApp(usize),
    /// A project folder (a `.csproj` or startup code) without configuration files whose code
    /// sets options itself, by index in the code-only folder list.
    CodeOnly(usize),
}

/// What the units share, worked out once: code by project, folders and their layers, the
/// environment variables matched to each project, web.config's neighbours.
pub struct Assembly<'a> {
    inputs: &'a Inputs,
    code: HashMap<PathBuf, Vec<CodeApp>>,
    projects: Vec<(&'a PathBuf, Vec<&'a ConfigFile>)>,
    overrides: Vec<overrides::Overrides>,
    /// Positions in `overrides` by the project folder they apply to, in order.
    overrides_of: HashMap<PathBuf, Vec<usize>>,
    web_config: web_config::Neighbours<'a>,
    build_files: HashMap<&'a Path, Vec<&'a ProjectFileInput>>,
    /// Folders with code but no configuration file of their own, sorted.
    code_only: Vec<PathBuf>,
    layering: file_apps::Layering,
}

impl<'a> Assembly<'a> {
    /// `sources` holds the text of code files that make no call, read again for projects
    /// whose calls may use their declarations.
    pub fn new(inputs: &'a Inputs, sources: &SourceMap) -> Self {
        // Hashed: ordered path comparisons, component by component, were most of this
        // function's time on large trees.
        let mut project_dirs: HashSet<&Path> =
            inputs.json.iter().map(|f| f.dir.as_path()).collect();
        project_dirs.extend(
            inputs
                .xml
                .iter()
                .filter(|x| x.is_base)
                .map(|x| x.dir.as_path()),
        );
        let configured: HashSet<&Path> = project_dirs.clone();
        // A project file makes a folder a project even without configuration.
        project_dirs.extend(
            (inputs.project_files.iter())
                .filter(|p| !p.central)
                .map(|p| p.dir.as_path()),
        );
        // Code belongs to the nearest folder above it that holds configuration.
        let mut code_files: HashMap<PathBuf, Vec<&CodeFile>> = HashMap::new();
        for (dir, file) in &inputs.code {
            let project = dir
                .ancestors()
                .find(|a| project_dirs.contains(a))
                .unwrap_or(dir);
            code_files
                .entry(project.to_path_buf())
                .or_default()
                .push(file);
        }
        // Only projects with a call have apps; each is evaluated with all its files' tokens.
        let code: HashMap<PathBuf, Vec<CodeApp>> = code_files
            .into_par_iter()
            .filter(|(_, files)| files.iter().any(|f| f.makes_calls))
            .map(|(dir, files)| {
                let reread: Vec<Option<CodeFile>> = (files.iter())
                    .map(|f| (!f.makes_calls).then(|| f.reread(&sources.get(f.file).text)))
                    .collect();
                let whole: Vec<&CodeFile> = (files.iter().zip(&reread))
                    .map(|(file, again)| again.as_ref().unwrap_or(file))
                    .collect();
                (dir, code_apps(&whole))
            })
            .collect();
        let mut groups: HashMap<&PathBuf, Vec<&ConfigFile>> = HashMap::new();
        for file in &inputs.json {
            if let ConfigKind::AppSettings { .. } = &file.kind {
                groups.entry(&file.dir).or_default().push(file);
            }
        }
        let mut projects: Vec<(&PathBuf, Vec<&ConfigFile>)> = groups.into_iter().collect();
        projects.sort_by(|a, b| a.0.cmp(b.0));
        let json_projects: BTreeSet<&Path> = projects.iter().map(|(d, _)| d.as_path()).collect();
        let overrides = overrides::resolve(&inputs.overrides, &inputs.config_maps, &json_projects);
        let mut code_only: Vec<PathBuf> = (code.keys())
            .filter(|dir| !configured.contains(dir.as_path()))
            .cloned()
            .collect();
        code_only.sort();
        let mut build_files: HashMap<&Path, Vec<&ProjectFileInput>> = HashMap::new();
        for input in &inputs.project_files {
            build_files.entry(&input.dir).or_default().push(input);
        }
        let mut overrides_of: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (i, o) in overrides.iter().enumerate() {
            if let Some(project) = &o.project {
                overrides_of.entry(project.clone()).or_default().push(i);
            }
        }
        Assembly {
            inputs,
            code,
            projects,
            overrides,
            overrides_of,
            web_config: web_config::Neighbours::new(inputs),
            build_files,
            code_only,
            layering: file_apps::Layering::new(&inputs.apps),
        }
    }

    /// The build facts of the project that holds `dir`: the nearest folder at or above it with
    /// a project file, its versions completed by the nearest `Directory.Packages.props`.
    fn project_facts(&self, dir: &Path) -> Option<Arc<ProjectFacts>> {
        let files_in = |d: &Path, central: bool| -> Vec<&ProjectFileInput> {
            (self.build_files.get(d).into_iter().flatten())
                .filter(|f| f.central == central)
                .copied()
                .collect()
        };
        let own = dir
            .ancestors()
            .map(|d| files_in(d, false))
            .find(|files| !files.is_empty())?;
        let central = dir
            .ancestors()
            .map(|d| files_in(d, true))
            .find(|files| !files.is_empty())
            .unwrap_or_default();
        let mut facts = ProjectFacts::default();
        for file in own {
            facts
                .target_frameworks
                .extend(file.facts.target_frameworks.iter().cloned());
            facts.packages.extend(file.facts.packages.iter().cloned());
        }
        for package in facts.packages.iter_mut().filter(|p| p.version.is_none()) {
            if let Some(pinned) = central.iter().find_map(|c| c.facts.package(&package.name)) {
                package.version = pinned.version.clone();
                package.at = pinned.at;
            }
        }
        Some(Arc::new(facts))
    }

    /// The units, in the order their apps are listed.
    pub fn units(&self) -> Vec<Unit> {
        let inputs = self.inputs;
        let other_json = (inputs.json.iter().enumerate())
            .filter(|(_, f)| f.kind == ConfigKind::OtherJson)
            .map(|(i, _)| Unit::OtherJson(i));
        let standalone = (self.overrides.iter().enumerate())
            .filter(|(_, o)| o.project.is_none())
            .map(|(i, _)| Unit::Standalone(i));
        let web_configs = (inputs.xml.iter().enumerate())
            .filter(|(_, x)| x.is_base)
            .map(|(i, _)| Unit::WebConfig(i));
        other_json
            .chain((0..self.projects.len()).map(Unit::Project))
            .chain(standalone)
            .chain(web_configs)
            .chain((0..inputs.apps.len()).map(Unit::FileApp))
            .chain((0..self.code_only.len()).map(Unit::CodeOnly))
            .collect()
    }

    /// The apps of one unit, each with its project's build facts.
    pub fn apps(&self, unit: Unit) -> Box<dyn Iterator<Item = App> + '_> {
        let dir: Option<&Path> = match unit {
            Unit::OtherJson(i) => Some(&self.inputs.json[i].dir),
            Unit::Project(i) => Some(self.projects[i].0),
            Unit::WebConfig(i) => Some(&self.inputs.xml[i].dir),
            Unit::CodeOnly(i) => Some(&self.code_only[i]),
            Unit::Standalone(_) | Unit::FileApp(_) => None,
        };
        let apps = self.unit_apps(unit);
        match dir.and_then(|d| self.project_facts(d)) {
            Some(facts) => Box::new(apps.map(move |mut app| {
                app.project = Some(Arc::clone(&facts));
                app
            })),
            None => apps,
        }
    }

    /// The apps of one unit, built as they are consumed.
    fn unit_apps(&self, unit: Unit) -> Box<dyn Iterator<Item = App> + '_> {
        let apps = match unit {
            Unit::OtherJson(i) => {
                apps_in(&EnvConfig::new(&[&self.inputs.json[i].layer], None), true)
            }
            Unit::Project(i) => {
                let (dir, group) = &self.projects[i];
                let for_project: Vec<&overrides::Overrides> = (self.overrides_of.get(*dir))
                    .into_iter()
                    .flatten()
                    .map(|&i| &self.overrides[i])
                    .collect();
                let envs = environments(group, &for_project);
                if is_browser_root(dir) {
                    let clients: Vec<App> = envs.iter().flat_map(browser_clients).collect();
                    return Box::new(clients.into_iter());
                }
                let calls = self.code.get(*dir).map_or(&[][..], Vec::as_slice);
                with_code(&envs, calls)
            }
            Unit::Standalone(i) => standalone_apps(&self.overrides[i]),
            Unit::WebConfig(i) => {
                return Box::new(web_config::apps(
                    &self.inputs.xml[i],
                    &self.web_config,
                    &self.code,
                ));
            }
            Unit::FileApp(i) => {
                (self.layering).apps(&self.inputs.apps, i, &self.inputs.named_values)
            }
            Unit::CodeOnly(i) => code_only_apps(&self.code[&self.code_only[i]]),
        };
        Box::new(apps.into_iter())
    }
}

/// The configurations one project folder runs with: each environment file over the base file,
/// each set of environment variables over the base and its environment's file, or the base
/// file alone when there is neither.
fn environments(group: &[&ConfigFile], variables: &[&overrides::Overrides]) -> Vec<EnvConfig> {
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
    let mut configs: Vec<EnvConfig> = environments
        .iter()
        .map(|(environment, file)| {
            let layers: Vec<&Arc<ConfigLayer>> = base
                .map(|b| &b.layer)
                .into_iter()
                .chain([&file.layer])
                .collect();
            EnvConfig::new(&layers, Some(environment.to_string()))
        })
        .collect();
    for source in variables {
        let environment_file = environments
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(&source.environment))
            .map(|(_, f)| &f.layer);
        let layers: Vec<&Arc<ConfigLayer>> = base
            .map(|b| &b.layer)
            .into_iter()
            .chain(environment_file)
            .chain([&source.layer])
            .collect();
        configs.push(EnvConfig::new(
            &layers,
            Some(format!("{} via {}", source.environment, source.label)),
        ));
    }
    // ASP.NET Core runs as `Production` when no environment is set, and then loads the base
    // file alone unless `appsettings.Production.json` exists (upstream: dotnet/runtime
    // src/libraries/Microsoft.Extensions.Hosting/src/HostBuilder.cs, `CreateHostingEnvironment`:
    // `EnvironmentName = ... ?? Environments.Production`). Variables that select Production
    // already layer over the base, so the base does not also run alone.
    let production_runs = |environment: &str| environment.eq_ignore_ascii_case(PRODUCTION);
    let production_covered = environments.iter().any(|(e, _)| production_runs(e))
        || variables.iter().any(|v| production_runs(&v.environment));
    if let Some(base) = base
        && !production_covered
    {
        let name = (!configs.is_empty()).then(|| PRODUCTION.to_string());
        configs.push(EnvConfig::new(&[&base.layer], name));
    }
    configs
}

/// The environment ASP.NET Core runs in when none is set.
const PRODUCTION: &str = "Production";

/// `wwwroot` holds the files a Blazor WebAssembly app downloads into the browser: its
/// `appsettings.json` configures MSAL.js, never a server that validates tokens (upstream:
/// dotnet/aspnetcore src/Components/WebAssembly/WebAssembly/src/Hosting/WebAssemblyHostBuilder.cs
/// reads `appsettings.json` and `appsettings.{environment}.json` from the web root).
fn is_browser_root(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|name| name.eq_ignore_ascii_case("wwwroot"))
}

/// The identity sections of a browser app's configuration, as MSAL.js clients.
fn browser_clients(env: &EnvConfig) -> Vec<App> {
    apps_in(env, false)
        .into_iter()
        .map(|mut app| {
            app.framework = Framework::MsalBrowser;
            app.role = Role::Client;
            app
        })
        .collect()
}

/// Variables no project can be matched to: checked for values wrong on their own, one pseudo-app
/// per section they set.
fn standalone_apps(source: &overrides::Overrides) -> Vec<App> {
    let env = EnvConfig::new(
        &[&source.layer],
        Some(format!("{} via {}", source.environment, source.label)),
    );
    let mut sections: Vec<String> = Vec::new();
    // Only identity sections: other variables are not this tool's to judge.
    let identity = |key: &str| {
        let name = key.rsplit(':').next().unwrap_or(key).to_ascii_lowercase();
        [
            "clientid",
            "tenantid",
            "instance",
            "authority",
            "audience",
            "validaudience",
            "validaudiences",
            "metadataaddress",
            "clientsecret",
            "domain",
            "validissuer",
            "validissuers",
        ]
        .contains(&name.as_str())
            || key.to_ascii_lowercase().contains(":validaudiences:")
            || key.to_ascii_lowercase().contains(":validissuers:")
    };
    let identity_sections: Vec<String> = source
        .layer
        .settings
        .iter()
        .filter(|s| identity(&s.key))
        .map(|s| {
            s.key
                .split(':')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .collect();
    for setting in source.layer.settings.iter().filter(|s| {
        identity_sections.contains(
            &s.key
                .split(':')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase(),
        )
    }) {
        let section = setting
            .key
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        if !sections.iter().any(|s| s.eq_ignore_ascii_case(&section)) {
            sections.push(section);
        }
    }
    sections
        .into_iter()
        .map(|section| {
            let mut app = env.app(section, Framework::MicrosoftIdentityWeb, Role::Unknown);
            app.standalone = true;
            app
        })
        .collect()
}

/// The apps of a project's configurations, told apart and completed by what its code binds.
fn with_code(envs: &[EnvConfig], calls: &[CodeApp]) -> Vec<App> {
    let mut apps = Vec::new();
    // Sections Microsoft.Identity.Web.OWIN consumes are part of the web.config app.
    let owin_sections: Vec<&str> = calls
        .iter()
        .filter(|c| c.framework == Framework::MicrosoftIdentityWebOwin)
        .map(|c| c.section.as_ref().map_or("AzureAd", |(s, _)| s.as_str()))
        .collect();
    for env in envs {
        let mut found = apps_in(env, false);
        found.retain(|a| {
            !owin_sections
                .iter()
                .any(|s| a.section.eq_ignore_ascii_case(s))
        });
        for call in calls.iter().filter(|c| {
            !is_katana(c.framework)
                && c.framework != Framework::MicrosoftIdentityWebOwin
                && !c.amends
        }) {
            let Some((section, _)) = &call.section else {
                continue;
            };
            match found
                .iter_mut()
                .find(|a| a.section.eq_ignore_ascii_case(section))
            {
                Some(app) => code::apply(app, call),
                None => {
                    let mut app = env.app(section.clone(), call.framework, call.role);
                    code::apply(&mut app, call);
                    let origin = app.code.as_ref().is_some_and(|c| c.section_required);
                    if app.section_exists() || origin || !app.bound.is_empty() {
                        found.push(app);
                    }
                }
            }
        }
        amend(&mut found, calls);
        apps.extend(found);
    }
    apps
}

/// The ASP.NET Core schemes of a project without configuration files whose code assigns
/// options (`AddJwtBearer(o => { o.Authority = "..."; })`). Microsoft.Identity.Web and
/// bound sections read values that live outside the repository, and are not judged.
fn code_only_apps(calls: &[CodeApp]) -> Vec<App> {
    let mut apps: Vec<App> = Vec::new();
    for call in calls.iter().filter(|c| {
        !c.amends
            && matches!(
                c.framework,
                Framework::AspnetcoreJwtBearer | Framework::AspnetcoreOpenIdConnect
            )
    }) {
        let Some((section, _)) = &call.section else {
            continue;
        };
        let mut app = App {
            framework: call.framework,
            role: call.role,
            section: section.clone(),
            environment: None,
            file: call.call.file,
            config: Arc::new(ConfigView::default()),
            downstream: Arc::new(Vec::new()),
            bound: Vec::new(),
            flat: false,
            standalone: false,
            code: None,
            anchor: Some(call.call),
            project: None,
            unresolved: Vec::new(),
        };
        code::apply(&mut app, call);
        if !app.bound.is_empty() {
            apps.push(app);
        }
    }
    amend(&mut apps, calls);
    apps
}

/// The scheme an app's options are registered under: its call's, else the scheme its
/// `Authentication:Schemes` section names, else Microsoft.Identity.Web's default for its role.
fn scheme_of(app: &App, calls: &[CodeApp]) -> Option<String> {
    let call = app.code.as_ref().and_then(|origin| {
        calls
            .iter()
            .find(|c| !c.amends && c.call == origin.call)
            .and_then(|c| c.scheme.clone())
    });
    call.or_else(|| {
        let lower = app.section.to_ascii_lowercase();
        lower
            .strip_prefix("authentication:schemes:")
            .map(|_| app.section[23..].to_string())
    })
    .or_else(|| match (app.framework, app.role) {
        (Framework::MicrosoftIdentityWeb, Role::WebApi) => Some("Bearer".into()),
        (Framework::MicrosoftIdentityWeb, Role::WebApp) => Some("OpenIdConnect".into()),
        _ => None,
    })
}

/// Applies `Configure<JwtBearerOptions>(scheme, ...)` calls to the apps of their scheme.
fn amend(apps: &mut [App], calls: &[CodeApp]) {
    for amendment in calls.iter().filter(|c| c.amends) {
        let handler = |app: &App| match app.framework {
            Framework::MicrosoftIdentityWeb | Framework::AzureAdUi | Framework::AzureAdB2cUi => {
                let api = amendment.framework == Framework::AspnetcoreJwtBearer;
                (app.role == Role::WebApi) == api
            }
            framework => framework == amendment.framework,
        };
        for app in apps.iter_mut() {
            let scheme = scheme_of(app, calls);
            let same_scheme = match &amendment.scheme {
                Some(wanted) => scheme.is_some_and(|s| s.eq_ignore_ascii_case(wanted)),
                None => true,
            };
            if handler(app) && same_scheme {
                code::amend(app, amendment);
            }
        }
    }
}

pub fn is_katana(framework: Framework) -> bool {
    matches!(
        framework,
        Framework::OwinOpenIdConnect
            | Framework::OwinAzureAdBearer
            | Framework::OwinJwtBearer
            | Framework::OwinWsFederation
    )
}

/// The apps one merged configuration defines. `strict` applies to JSON files not named
/// appsettings: they need an unmistakable identity section.
fn apps_in(env: &EnvConfig, strict: bool) -> Vec<App> {
    let sections = env.config.sections();
    // By lower-cased path: the section's own spelling and its children.
    let by_path: HashMap<String, (&str, &[String])> = sections
        .iter()
        .map(|(p, c)| (p.to_ascii_lowercase(), (p.as_str(), c.as_slice())))
        .collect();
    let mut found: Vec<App> = Vec::new();
    // Lower-cased sections of the apps found: sections below them belong to them.
    let mut claimed: HashSet<String> = HashSet::new();

    for (path, children) in &sections {
        let lower = path.to_ascii_lowercase();
        if lower
            .match_indices(':')
            .any(|(end, _)| claimed.contains(&lower[..end]))
        {
            continue;
        }
        if lower == "authentication:schemes" {
            for scheme in children {
                let scheme_path = format!("{lower}:{scheme}");
                let Some(&(original, keys)) = by_path.get(&scheme_path) else {
                    continue;
                };
                let framework = scheme_framework(scheme, keys);
                let role = if framework == Framework::AspnetcoreJwtBearer {
                    Role::WebApi
                } else {
                    Role::WebApp
                };
                claimed.insert(scheme_path);
                found.push(env.app(original.to_string(), framework, role));
            }
            continue;
        }
        if lower.starts_with("authentication:schemes")
            || !is_identity_section(&lower, children, strict)
        {
            continue;
        }
        claimed.insert(lower);
        found.push(env.app(
            path.clone(),
            Framework::MicrosoftIdentityWeb,
            role_from_keys(children),
        ));
    }
    found
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
    use crate::model::Layer;
    use crate::read::json::parse;
    use crate::source::FileId;
    use crate::stacks::dotnet::appsettings::flatten;

    fn assemble(files: &[ConfigFile]) -> Vec<App> {
        let inputs = Inputs {
            json: files
                .iter()
                .map(|f| ConfigFile {
                    dir: f.dir.clone(),
                    kind: f.kind.clone(),
                    layer: f.layer.clone(),
                })
                .collect(),
            ..Default::default()
        };
        super::assemble(&inputs, &SourceMap::default())
    }

    fn file(text: &str, environment: Option<&str>, id: usize) -> ConfigFile {
        let layer = environment.map_or(Layer::Base, |e| Layer::Environment(e.into()));
        let (layer, _) = flatten(&parse(text).unwrap().unwrap(), FileId(id), layer);
        ConfigFile {
            dir: PathBuf::from("api"),
            kind: ConfigKind::AppSettings {
                environment: environment.map(String::from),
            },
            layer: layer.into(),
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
    fn allowed_tenants_make_a_web_api() {
        let apps = assemble(&[file(
            r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "common", "ClientId": "c", "AllowedTenants": ["t1"]}}"#,
            None,
            0,
        )]);
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
        let prod = file(r#"{"AzureAd": {"TenantId": "p"}}"#, Some("Production"), 2);
        let apps = assemble(&[base, dev, prod]);
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].environment.as_deref(), Some("Development"));
        assert_eq!(apps[0].value("TenantId"), Some("b"));
        assert_eq!(apps[0].value("ClientId"), Some("c"));
        assert_eq!(apps[0].file, FileId(0));
        assert_eq!(apps[1].environment.as_deref(), Some("Production"));
        assert_eq!(apps[1].value("TenantId"), Some("p"));
    }

    // upstream: dotnet/runtime src/libraries/Microsoft.Extensions.Hosting/src/HostBuilder.cs
    // (the environment defaults to `Environments.Production`) and HostingHostBuilderExtensions.cs
    // (`appsettings.{EnvironmentName}.json` is optional): without a Production file, production
    // runs on the base file alone.
    #[test]
    fn the_base_alone_is_production_when_no_production_file_exists() {
        let base = file(
            r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "a", "ClientId": "c"}}"#,
            None,
            0,
        );
        let dev = file(r#"{"AzureAd": {"TenantId": "b"}}"#, Some("Development"), 1);
        let apps = assemble(&[base, dev]);
        let seen: Vec<(Option<&str>, Option<&str>)> = apps
            .iter()
            .map(|a| (a.environment.as_deref(), a.value("TenantId")))
            .collect();
        assert_eq!(
            seen,
            [
                (Some("Development"), Some("b")),
                (Some("Production"), Some("a"))
            ]
        );
        assert_eq!(apps[1].file, FileId(0));
    }

    #[test]
    fn a_base_without_environment_files_runs_alone_unnamed() {
        let base = file(
            r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "a", "ClientId": "c"}}"#,
            None,
            0,
        );
        let apps = assemble(&[base]);
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].environment, None);
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
            layer: layer.into(),
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
