//! Stage 1: discover. Walks the given paths (honouring .gitignore, skipping build output and
//! dependencies) and classifies files by name.

use crate::config::Config;
use crate::source::{link_leaves, relative_to};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `appsettings.json` (environment `None`) or `appsettings.{Environment}.json`.
    AppSettings { environment: Option<String> },
    /// Another JSON file: an authentication section or an app registration export, or nothing.
    Json,
    /// web.config, app.config, their `Web.<configuration>.config` transforms and other `*.config`
    /// files their `<appSettings>` may reference.
    XmlConfig,
    /// C# source: startup code that configures authentication.
    CSharp,
    /// `Properties/launchSettings.json`.
    LaunchSettings,
    /// `.env`, `*.env`, `.env.*`.
    DotEnv,
    /// YAML: docker-compose files, Kubernetes manifests, APIOps `configuration.<env>.yaml`.
    Yaml,
    /// `*.xml`: API Management policies (`policy.xml` and any document rooted at `<policies>`).
    Policy,
    /// `*.cfg`: oauth2-proxy configuration files.
    ProxyConfig,
    /// `*.csproj`, `Directory.Packages.props`, `packages.config`: target frameworks and
    /// package versions.
    ProjectFile,
    /// JavaScript / TypeScript modules whose names say they may configure authentication
    /// (`authConfig.ts`, `config.js`, `index.js`): passport-azure-ad and MSAL options.
    Script,
    /// `application*.properties`, `bootstrap*.properties`: Spring Boot configuration.
    Properties,
}

/// How a kind of file writes comments (suppression comments are read and written in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// `//` and `/* */` outside strings (JSON with comments, C#, JavaScript).
    Slashes,
    /// `<!-- -->` (web.config, APIM policies, project files).
    Xml,
    /// `#` to the end of the line, at its start or after white space, outside quotes (YAML,
    /// `.env`, oauth2-proxy's TOML `.cfg`, `.properties`).
    Hash,
}

impl FileKind {
    pub fn comment_style(&self) -> CommentStyle {
        match self {
            FileKind::AppSettings { .. }
            | FileKind::Json
            | FileKind::LaunchSettings
            | FileKind::CSharp
            | FileKind::Script => CommentStyle::Slashes,
            FileKind::XmlConfig | FileKind::Policy | FileKind::ProjectFile => CommentStyle::Xml,
            FileKind::DotEnv | FileKind::Yaml | FileKind::ProxyConfig | FileKind::Properties => {
                CommentStyle::Hash
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub kind: FileKind,
    /// Findings in the file are reported. Files read only as context for a named file (the base
    /// appsettings.json of an environment file, the startup code of a web.config) are not.
    pub reported: bool,
    /// The walk saw a regular file (not a link, pipe or device): it can be opened without
    /// looking at it first.
    pub regular: bool,
    /// A link the walk found whose target is outside the folder being checked: never read.
    pub leaves_root: bool,
    /// The file named by `--stdin-filename`: its text comes from standard input.
    pub from_stdin: bool,
}

/// What the walk saw at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    /// A regular file.
    Regular,
    /// A link into the checked folder, or a file named on the command line: looked at when read.
    Other,
    /// A link out of the checked folder.
    LinkOut,
    /// The file whose text comes from standard input.
    Stdin,
}

/// Folders that hold build output, dependencies or tool state, never configuration to check.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "bin",
    "obj",
    "node_modules",
    ".vs",
    ".idea",
    "target",
    "packages",
];

/// The kind of file at `path`, if some stack reads it (`crate::stacks::STACKS`, by name only).
pub fn classify(path: &Path) -> Option<FileKind> {
    crate::stacks::classify(path.file_name()?.to_str()?)
}

/// How deep below a named file's folder its context is looked for (`App_Start/Startup.Auth.cs`).
const CONTEXT_DEPTH: usize = 3;

/// The files below `root` that may be configuration, each with what the walk saw there, and the
/// entralint.toml files the walk passed (so that finding the nearest one costs no system call).
fn walk(
    root: &Path,
    max_depth: Option<usize>,
    config: &Config,
) -> (Vec<(PathBuf, Seen, FileKind)>, Vec<PathBuf>) {
    // Links are followed only into the folder being checked, whatever it is named.
    let inside = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let excludes = config.exclude.clone();
    let extra = config.extend_exclude.clone();
    let base = config.root.clone();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .follow_links(false)
        .max_depth(max_depth)
        // As many walkers as checking threads (`--threads`).
        .threads(rayon::current_num_threads())
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let built_in = excludes.is_none()
                && is_dir
                && SKIPPED_DIRS
                    .iter()
                    .any(|d| entry.file_name().eq_ignore_ascii_case(d));
            if built_in {
                return false;
            }
            if excludes.is_none() && extra.is_none() {
                return true;
            }
            let relative = relative_to(&base, entry.path());
            let relative = relative.as_ref();
            let configured = excludes.as_ref().is_some_and(|g| g.is_match(relative))
                || extra.as_ref().is_some_and(|g| g.is_match(relative));
            !configured
        })
        .build_parallel();
    // Folders are read in parallel; the caller sorts what is found.
    let found = std::sync::Mutex::new(Vec::new());
    let settings = std::sync::Mutex::new(Vec::new());
    walker.run(|| {
        let found = &found;
        let settings = &settings;
        let inside = &inside;
        Box::new(move |entry| {
            if let Ok(entry) = &entry
                && entry.file_type().is_some_and(|t| t.is_file())
                && crate::config::FILE_NAMES
                    .iter()
                    .any(|name| entry.file_name() == *name)
                && let Ok(mut settings) = settings.lock()
            {
                settings.push(without_leading_dot(entry.path()));
            }
            // Linked files are read through the link when it stays inside the checked folder;
            // links to folders are not followed.
            if let Ok(entry) = entry
                && let Some(file_type) = entry.file_type()
                && (file_type.is_file() || (file_type.is_symlink() && !entry.path().is_dir()))
                && let Some(kind) = classify(entry.path())
            {
                let seen = if file_type.is_file() {
                    Seen::Regular
                } else if link_leaves(entry.path(), inside) {
                    Seen::LinkOut
                } else {
                    Seen::Other
                };
                if let Ok(mut found) = found.lock() {
                    found.push((without_leading_dot(entry.path()), seen, kind));
                }
            }
            ignore::WalkState::Continue
        })
    });
    (
        found.into_inner().unwrap_or_default(),
        settings.into_inner().unwrap_or_default(),
    )
}

/// Walking `.` finds `./a`: the same file as `a` named on the command line.
fn without_leading_dot(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// Every file to read, sorted and without duplicates. Files named explicitly are always read,
/// even when ignored, together with the files needed to judge them; `stdin_name` is a named
/// file whose text comes from standard input. A path that does not exist is an error.
pub fn discover(
    paths: &[PathBuf],
    cwd: &Path,
    config: &Config,
    stdin_name: Option<&Path>,
) -> Result<Vec<Candidate>, String> {
    discover_with_settings(paths, cwd, config, stdin_name).map(|(candidates, _)| candidates)
}

/// As [`discover`], with the entralint.toml files the walks passed.
pub fn discover_with_settings(
    paths: &[PathBuf],
    cwd: &Path,
    config: &Config,
    stdin_name: Option<&Path>,
) -> Result<(Vec<Candidate>, HashSet<PathBuf>), String> {
    let mut settings: HashSet<PathBuf> = HashSet::new();
    let candidate = |path: PathBuf, seen: Seen, kind: FileKind, reported: bool| Candidate {
        path,
        kind,
        reported,
        regular: seen == Seen::Regular,
        leaves_root: seen == Seen::LinkOut,
        from_stdin: seen == Seen::Stdin,
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    if let [root] = paths
        && stdin_name.is_none()
        && std::fs::symlink_metadata(root).is_ok_and(|m| m.is_dir())
    {
        // One folder: the walk names each file once, and no file is context for another.
        let (files, found_settings) = walk(&without_dot_components(root), None, config);
        settings.extend(found_settings);
        candidates.extend(
            (files.into_iter()).map(|(path, seen, kind)| candidate(path, seen, kind, true)),
        );
    } else {
        candidates = named_candidates(paths, cwd, config, stdin_name, &mut settings, candidate)?;
    }
    // Byte order: deterministic, and far cheaper than component order.
    candidates.sort_by(|a, b| {
        a.path
            .as_os_str()
            .as_encoded_bytes()
            .cmp(b.path.as_os_str().as_encoded_bytes())
    });
    Ok((candidates, settings))
}

/// The candidates of several paths, or of named files: a file found under two of them (`a`,
/// `./a`, its absolute path) is named once, and the files that decide how a named file is read
/// come with it, unreported.
fn named_candidates(
    paths: &[PathBuf],
    cwd: &Path,
    config: &Config,
    stdin_name: Option<&Path>,
    settings: &mut HashSet<PathBuf>,
    candidate: impl Fn(PathBuf, Seen, FileKind, bool) -> Candidate,
) -> Result<Vec<Candidate>, String> {
    // Hashed: comparing paths component by component is what large trees pay for. Each file,
    // by its absolute form (so that `a`, `./a` and its absolute path are one file), maps to the
    // path it was first found under and what the walk saw there; named files are looked at when
    // read.
    type Found = HashMap<PathBuf, (PathBuf, Seen, FileKind)>;
    let mut reported: Found = HashMap::new();
    let mut context: Found = HashMap::new();
    let add = |found: &mut Found, path: PathBuf, seen: Seen, kind: FileKind| {
        found
            .entry(same_file_key(&path, cwd))
            .or_insert((path, seen, kind));
    };
    let stdin_key = stdin_name.map(|name| same_file_key(name, cwd));
    for root in paths.iter().map(|path| without_dot_components(path)) {
        let root = &root;
        if stdin_key.as_ref() == Some(&same_file_key(root, cwd)) {
            if let Some(kind) = classify(root) {
                add(&mut reported, root.clone(), Seen::Stdin, kind);
            }
            for (path, seen, kind) in context_of(root, config) {
                add(&mut context, path, seen, kind);
            }
            continue;
        }
        // A named file is read even when it is a dangling link: reading it reports why it fails.
        std::fs::symlink_metadata(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let is_dir = std::fs::metadata(root).is_ok_and(|m| m.is_dir());
        if is_dir {
            let (files, found_settings) = walk(root, None, config);
            settings.extend(found_settings);
            for (path, seen, kind) in files {
                // The file read from standard input may be in the folder too.
                let seen = if stdin_key.as_ref() == Some(&same_file_key(&path, cwd)) {
                    Seen::Stdin
                } else {
                    seen
                };
                add(&mut reported, path, seen, kind);
            }
        } else {
            // Pipes and devices too: reading reports that they are not analysed.
            if let Some(kind) = classify(root) {
                add(&mut reported, root.clone(), Seen::Other, kind);
            }
            for (path, seen, kind) in context_of(root, config) {
                add(&mut context, path, seen, kind);
            }
        }
    }
    let context = (context.into_iter())
        .filter(|(key, _)| !reported.contains_key(key))
        .map(|(_, (path, seen, kind))| candidate(path, seen, kind, false))
        .collect::<Vec<_>>();
    Ok((reported.into_values())
        .map(|(path, seen, kind)| candidate(path, seen, kind, true))
        .chain(context)
        .collect())
}

/// `path` without `.` components: the form files are read and shown under.
fn without_dot_components(path: &Path) -> PathBuf {
    let plain: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if plain.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        plain
    }
}

/// The same file however it is named (`a`, `./a`, `/work/a`): its absolute form, without `.`
/// components. Only for comparing: relative paths stay relative, so that they are read from
/// the process's working directory as given, whatever `cwd` the caller reports paths under.
fn same_file_key(path: &Path, cwd: &Path) -> PathBuf {
    without_dot_components(&cwd.join(path))
}

/// The files that decide how a named file is read: its project folder (base and environment
/// files, transforms, startup code, referenced files) and, for code, the configuration above it.
fn context_of(file: &Path, config: &Config) -> Vec<(PathBuf, Seen, FileKind)> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (mut found, _) = walk(dir, Some(CONTEXT_DEPTH), config);
    if classify(file) == Some(FileKind::CSharp) {
        for ancestor in dir.ancestors().skip(1).take(CONTEXT_DEPTH) {
            let ancestor = if ancestor.as_os_str().is_empty() {
                Path::new(".")
            } else {
                ancestor
            };
            found.extend(walk(ancestor, Some(1), config).0);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_appsettings_and_environments() {
        assert_eq!(
            classify(Path::new("src/appsettings.json")),
            Some(FileKind::AppSettings { environment: None })
        );
        assert_eq!(
            classify(Path::new("AppSettings.Production.json")),
            Some(FileKind::AppSettings {
                environment: Some("Production".into())
            })
        );
        assert_eq!(
            classify(Path::new("appsettings - Rename and Ignore.json")),
            Some(FileKind::Json)
        );
        assert_eq!(classify(Path::new("package.json")), None);
        assert_eq!(
            classify(Path::new("Properties/launchSettings.json")),
            Some(FileKind::LaunchSettings)
        );
        assert_eq!(classify(Path::new("deploy/.env")), Some(FileKind::DotEnv));
        assert_eq!(
            classify(Path::new("production.env")),
            Some(FileKind::DotEnv)
        );
        assert_eq!(classify(Path::new("k8s/api.yaml")), Some(FileKind::Yaml));
        assert_eq!(classify(Path::new("Web.config")), Some(FileKind::XmlConfig));
        assert_eq!(
            classify(Path::new("packages.config")),
            Some(FileKind::ProjectFile)
        );
        assert_eq!(
            classify(Path::new("App_Start/Startup.Auth.cs")),
            Some(FileKind::CSharp)
        );
        assert_eq!(classify(Path::new("Form1.Designer.cs")), None);
        assert_eq!(classify(Path::new("app.deps.json")), None);
    }
}
