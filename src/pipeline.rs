//! Runs the stages in order: discover, read, extract, assemble, infer, rules. Files are read
//! and parsed once each, in parallel; output order does not depend on thread scheduling.

use crate::assemble::file_apps::{FileAppInput, NamedValuesFile};
use crate::assemble::overrides::OverrideInput;
use crate::assemble::web_config::{TransformFile, XmlFile};
use crate::assemble::{Assembly, ConfigFile, Inputs, ProjectFileInput, Unit};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{Candidate, discover};
use crate::domain::identity_url::IdentityUrl;
use crate::domain::values::is_secret_key;
use crate::infer::{Inference, infer};
use crate::model::RegistrationFacts;
use crate::model::{App, Facts};
use crate::read::{DecodeError, decode};
use crate::rules::{self, AppContext, invalid_syntax, skipped_file, unreadable_file};
use crate::source::{
    FileId, Location, MAX_FILE_BYTES, SourceFile, SourceMap, Span, Unread, display_path,
    read_bounded,
};
use crate::stacks::{self, Extracted, FileInput, Processed};
use crate::suppress;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything a run learned.
pub struct Analysis {
    pub sources: SourceMap,
    /// The apps with what their frameworks will do; empty unless the request keeps them.
    pub apps: Vec<(App, Inference)>,
    /// How many apps were checked in the reported files.
    pub app_count: usize,
    /// The same, by stack id.
    pub apps_by_stack: BTreeMap<&'static str, usize>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What to check, and how.
pub struct Request<'a> {
    pub paths: &'a [PathBuf],
    pub cwd: &'a Path,
    pub config: &'a Config,
    /// A file named on the command line whose text comes from standard input.
    pub stdin: Option<(&'a Path, &'a str)>,
    /// Return the apps (for `inspect`); `check` only needs the findings, and dropping each app
    /// once checked keeps memory flat on large trees.
    pub keep_apps: bool,
}

/// Checks `paths` with the default configuration.
pub fn analyse(paths: &[PathBuf], cwd: &Path) -> Result<Analysis, String> {
    run(&Request {
        paths,
        cwd,
        config: &Config::default(),
        stdin: None,
        keep_apps: true,
    })
}

pub fn run(request: &Request) -> Result<Analysis, String> {
    let candidates = discover(
        request.paths,
        request.cwd,
        request.config,
        request.stdin.map(|(name, _)| name),
    )?;
    run_candidates(request, candidates)
}

/// Checks the files already discovered (`candidates`, sorted); `request.paths` is not walked.
pub fn run_candidates(request: &Request, candidates: Vec<Candidate>) -> Result<Analysis, String> {
    let cwd = request.cwd;
    let total = candidates.len();
    let mut gathered = Gathered::new(total);
    // In chunks: what a file yields is gathered before the next chunk is read, so the run never
    // holds every file's raw results at once.
    let mut candidates = candidates.into_iter();
    for first in (0..total).step_by(PROCESS_CHUNK) {
        let chunk: Vec<Candidate> = candidates.by_ref().take(PROCESS_CHUNK).collect();
        let processed: Vec<(SourceFile, Processed)> = chunk
            .into_par_iter()
            .enumerate()
            .map(|(i, candidate)| {
                let stdin = (request.stdin)
                    .filter(|_| candidate.from_stdin)
                    .map(|(_, text)| text);
                let (mut source, processed) = process(&candidate, FileId(first + i), cwd, stdin);
                source.reported = candidate.reported;
                (source, processed)
            })
            .collect();
        for (source, result) in processed {
            gathered.add(source, result);
        }
    }
    let Gathered {
        mut sources,
        mut diagnostics,
        inputs,
        mut facts,
        mentions_appid,
    } = gathered;
    add_configured_facts(request.config, cwd, &mut sources, &mut facts);
    let assembly = Assembly::new(&inputs, &sources);
    let units = assembly.units();
    if mentions_appid {
        facts.appid_requested = appid_requests(&assembly, &units);
    }
    let checked: Vec<CheckedApp> = units
        .into_par_iter()
        .flat_map_iter(|unit| assembly.apps(unit))
        .map(|app| {
            let inference = infer(&app);
            let stack = stacks::stack_of(app.framework).id;
            let mut found = rules::check_app(&AppContext {
                app: &app,
                inference: &inference,
                facts: &facts,
                path: &sources.get(app.file).path,
            });
            // Secrets assigned in code are masked in snippets like those in configuration files.
            let secrets = (app.bound.iter())
                .filter(|(_, setting)| is_secret_key(&setting.key))
                .map(|(_, setting)| setting.origin)
                .collect();
            for diagnostic in &mut found {
                diagnostic.stack = Some(stack);
            }
            CheckedApp {
                stack,
                file: app.file,
                environment: app.environment.clone(),
                listed: sources.get(app.file).reported && !app.standalone,
                found,
                secrets,
                kept: request.keep_apps.then(|| Box::new((app, inference))),
            }
        })
        .collect();
    drop(assembly);
    drop(inputs);
    for secret in checked.iter().flat_map(|app| &app.secrets) {
        sources.get_mut(secret.file).secrets.push(secret.span);
    }
    let mut environments_of: HashMap<FileId, BTreeSet<Option<String>>> = HashMap::new();
    for app in &checked {
        environments_of
            .entry(app.file)
            .or_default()
            .insert(app.environment.clone());
    }
    let mut merged: BTreeMap<FindingKey, (Diagnostic, FileId, BTreeSet<Option<String>>)> =
        BTreeMap::new();
    let mut apps = Vec::new();
    let mut app_count = 0;
    let mut apps_by_stack: BTreeMap<&'static str, usize> = BTreeMap::new();
    for checked_app in checked {
        for diagnostic in checked_app.found {
            let key = (
                diagnostic.primary,
                diagnostic.rule,
                diagnostic.message.clone(),
                diagnostic.key.clone(),
            );
            merged
                .entry(key)
                .or_insert_with(|| (diagnostic, checked_app.file, BTreeSet::new()))
                .2
                .insert(checked_app.environment.clone());
        }
        if checked_app.listed {
            app_count += 1;
            *apps_by_stack.entry(checked_app.stack).or_default() += 1;
            apps.extend(checked_app.kept.map(|kept| *kept));
        }
    }
    for (_, (mut diagnostic, file, seen_in)) in merged {
        // Seen in every configuration of the file: no need to name them, unless the only one
        // is a named environment.
        let everywhere = environments_of
            .get(&file)
            .is_some_and(|all| *all == seen_in && (all.len() > 1 || all.contains(&None)));
        if !everywhere {
            let names: Vec<String> = seen_in.into_iter().flatten().collect();
            diagnostic.environment = (!names.is_empty()).then(|| names.join(", "));
        }
        diagnostics.push(diagnostic);
    }
    diagnostics.retain(|d| sources.get(d.primary.file).reported);
    crate::fix::resolve(&sources, &mut diagnostics);
    let mut diagnostics = suppress::apply(&sources, request.config, diagnostics);
    diagnostics.sort_by(|a, b| {
        let fa = &sources.get(a.primary.file).display;
        let fb = &sources.get(b.primary.file).display;
        (fa, a.primary.span, a.rule, &a.message).cmp(&(fb, b.primary.span, b.rule, &b.message))
    });
    apps.sort_by(|(a, _), (b, _)| {
        (&sources.get(a.file).display, &a.section, &a.environment).cmp(&(
            &sources.get(b.file).display,
            &b.section,
            &b.environment,
        ))
    });
    Ok(Analysis {
        sources,
        apps,
        app_count,
        apps_by_stack,
        diagnostics,
    })
}

/// Files per parallel batch: enough to keep every core busy, few enough that raw results stay
/// small.
const PROCESS_CHUNK: usize = 4096;

/// What the files yielded, by kind, in file order.
struct Gathered {
    sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    inputs: Inputs,
    facts: Facts,
    /// Some file names `appid`; without one, no app can be evidence that another needs it.
    mentions_appid: bool,
}

impl Gathered {
    fn new(files: usize) -> Self {
        Gathered {
            sources: SourceMap::with_capacity(files),
            diagnostics: Vec::new(),
            inputs: Inputs::default(),
            facts: Facts::default(),
            mentions_appid: false,
        }
    }

    /// Moves what one file yielded into the run's collections.
    fn add(&mut self, source: SourceFile, result: Processed) {
        let (inputs, facts) = (&mut self.inputs, &mut self.facts);
        self.mentions_appid |= result.mentions_appid;
        let dir = source
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let path = source.path.clone();
        let name = (path.file_name())
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let stem = name.split('.').next().unwrap_or_default().to_string();
        let file = self.sources.add(source);
        self.diagnostics.extend(result.diagnostics);
        inputs.apps.extend(result.apps.into_iter().map(|mut app| {
            app.options.shrink_to_fit();
            FileAppInput {
                dir: dir.clone(),
                app,
            }
        }));
        // Named values apply below the APIOps artifacts root (above `named values/<name>/`).
        let values_root = if stem == "namedvalueinformation" {
            dir.parent()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            dir.clone()
        };
        inputs
            .named_values
            .extend(
                result
                    .named_values
                    .into_iter()
                    .map(|named_values| NamedValuesFile {
                        root: values_root.clone(),
                        named_values,
                    }),
            );
        for extracted in result.extracted {
            match extracted {
                Extracted::Config { kind, mut layer } => {
                    // Held for the whole run: no spare capacity.
                    layer.settings.shrink_to_fit();
                    layer.section_keys.shrink_to_fit();
                    inputs.json.push(ConfigFile {
                        dir: dir.clone(),
                        kind,
                        layer: Arc::new(layer),
                    })
                }
                Extracted::AppSettingsXml {
                    is_base,
                    app_settings,
                } => inputs.xml.push(XmlFile {
                    path: path.clone(),
                    dir: dir.clone(),
                    file,
                    stem: stem.clone(),
                    is_base,
                    app_settings,
                }),
                Extracted::Transform { configuration, ops } => {
                    inputs.transforms.push(TransformFile {
                        dir: dir.clone(),
                        stem: stem.clone(),
                        configuration,
                        ops,
                    })
                }
                Extracted::Code(code) => inputs.code.push((dir.clone(), code)),
                Extracted::Project(facts) => inputs.project_files.push(ProjectFileInput {
                    central: stem == "directory",
                    dir: dir.clone(),
                    facts,
                }),
                Extracted::Overrides {
                    sources,
                    config_maps,
                } => {
                    for source in sources {
                        // Apps the variables configure belong to the project the source
                        // names (a compose service's build folder), else to its own folder.
                        let project = source.project.clone().unwrap_or_else(|| dir.clone());
                        let apps = stacks::apps_from_variables(&source).into_iter();
                        inputs.apps.extend(apps.map(|app| FileAppInput {
                            dir: project.clone(),
                            app,
                        }));
                        inputs.overrides.push(OverrideInput {
                            path: path.clone(),
                            dir: dir.clone(),
                            source,
                        });
                    }
                    inputs.config_maps.extend(config_maps);
                }
                Extracted::Registrations(list) => {
                    for registration in list {
                        facts
                            .registrations
                            .entry(registration.app_id.clone())
                            .or_insert(registration);
                    }
                }
            }
        }
    }
}

/// Client ids whose signing keys some layer, environment or project asks for with `?appid=`:
/// evidence that the app signs with its own keys, even where another configuration drops it.
fn appid_requests(assembly: &Assembly, units: &[Unit]) -> HashMap<String, Location> {
    // Every unit's apps, assembled and dropped; the first request in unit order wins.
    let per_unit: Vec<Vec<(String, Location)>> = units
        .par_iter()
        .map(|unit| {
            assembly
                .apps(*unit)
                .flat_map(|app| appid_requests_of(&app))
                .collect()
        })
        .collect();
    let mut found = HashMap::new();
    for (appid, origin) in per_unit.into_iter().flatten() {
        found.entry(appid).or_insert(origin);
    }
    found
}

/// The `?appid=` requests of one app: (lower-cased client id, where).
fn appid_requests_of(app: &App) -> Vec<(String, Location)> {
    let mut found = Vec::new();
    for key in ["MetadataAddress", "Authority"] {
        let bound = app.bound.iter().filter(|(k, _)| k == key).map(|(_, s)| s);
        for setting in app
            .config
            .history(&format!("{}:{key}", app.section))
            .chain(bound)
        {
            if let Some(appid) = IdentityUrl::parse(&setting.value)
                .as_ref()
                .and_then(|u| u.query_param("appid"))
            {
                found.push((appid.trim().to_ascii_lowercase(), setting.origin));
            }
        }
    }
    found
}

/// Facts the configuration file states: `[[apps]]` entries and trusted hosts. The file joins
/// the source map so findings can point at the entry as a related location.
fn add_configured_facts(config: &Config, cwd: &Path, sources: &mut SourceMap, facts: &mut Facts) {
    facts.trusted_hosts = config
        .trusted_hosts
        .iter()
        .chain(&config.b2c_custom_domains)
        .cloned()
        .collect();
    facts.root = config.root.clone();
    let Some((path, text)) = &config.file else {
        return;
    };
    let mut source = SourceFile::new(path.clone(), display_path(path, cwd), text.clone());
    source.reported = false;
    let file = sources.add(source);
    for app in &config.apps {
        let registration = RegistrationFacts {
            app_id: app.client_id.clone().unwrap_or_default(),
            custom_signing_keys: app.saml_signing.map(|span| Location { file, span }),
            identifier_uris: app.app_id_uris.clone(),
            token_version: app.token_version,
            origin: Some(Location {
                file,
                span: app.span,
            }),
        };
        match (&app.client_id, &app.path) {
            (Some(id), _) => {
                facts.registrations.insert(id.clone(), registration);
            }
            (None, Some(glob)) => facts.by_path.push((glob.clone(), registration)),
            (None, None) => {}
        }
    }
}

/// What checking one app left: its findings, and the app itself when the request keeps apps.
struct CheckedApp {
    stack: &'static str,
    file: FileId,
    environment: Option<String>,
    /// In a reported file and a real app (not loose variables): counted and listed.
    listed: bool,
    found: Vec<Diagnostic>,
    /// Secret values the app's code assigns.
    secrets: Vec<Location>,
    /// Boxed: most runs keep none, and every checked app carries the field.
    kept: Option<Box<(App, Inference)>>,
}

/// One finding, whichever environments it was seen in: location, rule, message, key.
type FindingKey = (Location, &'static str, String, Option<String>);

fn process(
    candidate: &Candidate,
    file: FileId,
    cwd: &Path,
    stdin: Option<&str>,
) -> (SourceFile, Processed) {
    let display = display_path(&candidate.path, cwd);
    let whole_file = Location {
        file,
        span: Span::default(),
    };
    let empty = |display: String| SourceFile::new(candidate.path.clone(), display, String::new());

    let bytes = match stdin {
        Some(text) if text.len() as u64 > MAX_FILE_BYTES => {
            Err(Unread::TooLarge(text.len() as u64))
        }
        Some(text) => Ok(text.as_bytes().to_vec()),
        None if candidate.leaves_root => {
            let diagnostic = skipped_file::RULE.diagnostic(
                whole_file,
                "not analysed: a link to a file outside the checked folder",
            );
            return (empty(display), nothing(vec![diagnostic]));
        }
        None => read_bounded(&candidate.path, candidate.regular),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(Unread::Failed(error)) => {
            let message = format!("cannot be read: {error}");
            return (
                empty(display),
                nothing(vec![unreadable_file::RULE.diagnostic(whole_file, message)]),
            );
        }
        Err(unread) => {
            let message = format!("not analysed: {unread}");
            return (
                empty(display),
                nothing(vec![skipped_file::RULE.diagnostic(whole_file, message)]),
            );
        }
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(DecodeError::Binary) => {
            let diagnostic = skipped_file::RULE.diagnostic(
                whole_file,
                "not analysed: the file is binary (it contains NUL bytes)",
            );
            return (empty(display), nothing(vec![diagnostic]));
        }
        Err(DecodeError::Utf16WithoutBom) => {
            let diagnostic = invalid_syntax::RULE.diagnostic(
                whole_file,
                "the file is UTF-16 without a byte-order mark: .NET reads it as UTF-8 and cannot load it (save it as UTF-8)",
            );
            return (empty(display), nothing(vec![diagnostic]));
        }
        Err(DecodeError::InvalidUtf16) => {
            let diagnostic = invalid_syntax::RULE.diagnostic(
                whole_file,
                "the file is UTF-16 with an unpaired surrogate: .NET cannot load it",
            );
            return (empty(display), nothing(vec![diagnostic]));
        }
    };
    let mut source = SourceFile::new(candidate.path.clone(), display, text);
    let mut processed = stacks::extract(&FileInput::new(candidate, file, &source.text));
    if processed.is_empty() && !suppress::has_suppressions(&source.text) {
        // Nothing can point into this file: its text is never shown, nor searched again.
        source.text = String::new();
        return (source, processed);
    }
    // Values of keys the parsed settings miss (files that fail to parse, duplicate keys,
    // connection strings, signing keys, literals in code) are masked by their shape, when the
    // text is shown.
    source.secrets = secret_spans(&processed, file);
    processed.mentions_appid = (source.text.as_bytes())
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"appid"));
    (source, processed)
}

/// Where the file holds secret values, whatever its format: masked in every snippet.
fn secret_spans(processed: &Processed, file: FileId) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut add = |key: &str, location: Location| {
        if is_secret_key(key) && location.file == file {
            spans.push(location.span);
        }
    };
    for extracted in &processed.extracted {
        match extracted {
            Extracted::Config { layer, .. } => {
                layer.settings.iter().for_each(|s| add(&s.key, s.origin));
            }
            Extracted::AppSettingsXml { app_settings, .. } => {
                app_settings
                    .settings
                    .iter()
                    .for_each(|s| add(&s.key, s.origin));
            }
            Extracted::Transform { ops, .. } => {
                for op in ops {
                    op.setting
                        .iter()
                        .chain(op.section_children.iter().flatten())
                        .for_each(|s| add(&s.key, s.origin));
                }
            }
            Extracted::Overrides {
                sources,
                config_maps,
            } => {
                let variables = sources
                    .iter()
                    .flat_map(|s| &s.variables)
                    .chain(config_maps.iter().flat_map(|m| &m.data));
                // `AzureAd__ClientSecret`, `OAUTH2_PROXY_CLIENT_SECRET`, `--client-secret`.
                variables.for_each(|v| add(&v.name.replace("__", ":").replace('-', "_"), v.origin));
            }
            Extracted::Code(_) | Extracted::Project(_) | Extracted::Registrations(_) => {}
        }
    }
    for app in &processed.apps {
        for (option, setting) in &app.options {
            add(option, setting.origin);
        }
    }
    spans
}

/// A file that yields only `diagnostics`.
fn nothing(diagnostics: Vec<Diagnostic>) -> Processed {
    Processed {
        diagnostics,
        ..Default::default()
    }
}
