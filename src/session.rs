//! One `check`, `inspect` or `token` invocation over several paths: which configuration file
//! applies to which file (the nearest one, as ruff finds it), one pipeline run per
//! configuration, and the findings of those runs merged into one report.

use crate::config::{self, Config};
use crate::discover::{Candidate, discover};
use crate::pipeline::{Analysis, Request, run_candidates};
use crate::source::{FileId, Location, normalize, relative_to};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where the configuration comes from.
pub enum ConfigSource<'a> {
    /// The nearest `entralint.toml` of each checked path.
    Discover,
    /// `--config FILE` for every path.
    File(&'a Path),
    /// `--isolated`: the defaults.
    Defaults,
}

/// The paths one configuration applies to.
pub struct Group {
    pub config: Config,
    pub paths: Vec<PathBuf>,
    /// A folder below the paths that holds its own entralint.toml takes it. Only for
    /// discovered configurations: `--config` and `--isolated` apply to every file.
    pub nested: bool,
}

/// Groups the checked paths by the configuration that applies to them, in the order the paths
/// were given. Each file is loaded once.
pub fn groups(paths: &[PathBuf], cwd: &Path, source: ConfigSource) -> Result<Vec<Group>, String> {
    let load = |file: Option<PathBuf>| -> Result<Config, String> {
        match file {
            Some(file) => Config::load(&file).map_err(|e| e.to_string()),
            None => Ok(Config {
                root: PathBuf::from(""),
                ..Config::default()
            }),
        }
    };
    let paths: Vec<PathBuf> = paths.iter().map(|p| normalize(p)).collect();
    match source {
        ConfigSource::File(file) => Ok(vec![Group {
            config: load(Some(file.to_path_buf()))?,
            paths,
            nested: false,
        }]),
        ConfigSource::Defaults => Ok(vec![Group {
            config: load(None)?,
            paths,
            nested: false,
        }]),
        ConfigSource::Discover => {
            let mut found: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
            for path in paths {
                let file = config::discover_for(&path, cwd);
                match found.iter_mut().find(|(f, _)| *f == file) {
                    Some((_, group)) => group.push(path),
                    None => found.push((file, vec![path])),
                }
            }
            found
                .into_iter()
                .map(|(file, paths)| {
                    Ok(Group {
                        config: load(file)?,
                        paths,
                        nested: true,
                    })
                })
                .collect()
        }
    }
}

/// `--show-config`: which file applies to which path, then each configuration in effect.
pub fn describe(groups: &[Group]) -> String {
    let mut out = String::new();
    for group in groups {
        let file = group.config.file.as_ref().map_or_else(
            || "none (defaults)".to_string(),
            |(path, _)| path.display().to_string(),
        );
        for path in &group.paths {
            out.push_str(&format!("# {} uses {file}\n", path.display()));
        }
    }
    for group in groups {
        out.push('\n');
        out.push_str(&group.config.describe());
    }
    out
}

/// Runs the pipeline once per configuration in effect (see [`analyses`]) and merges the
/// findings. `adjust` applies the command line's selection to each configuration.
pub fn check(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
    adjust: &dyn Fn(&mut Config) -> Result<(), String>,
) -> Result<Analysis, String> {
    analyses(groups, cwd, stdin, false, adjust)?
        .into_iter()
        .reduce(merge)
        .ok_or_else(|| "nothing to check".to_string())
}

/// A configuration in effect and the files it checks.
struct Share<'g> {
    /// The configuration file, absolute; `None` for the defaults.
    key: Option<PathBuf>,
    config: Shared<'g>,
    candidates: Vec<Candidate>,
    /// Where each file (absolute) is in `candidates`.
    index: HashMap<PathBuf, usize>,
}

enum Shared<'g> {
    /// The configuration of a group of checked paths.
    Group(&'g Config),
    /// The entralint.toml of a folder below a checked path.
    Nested(Config),
}

impl Share<'_> {
    fn config(&self) -> &Config {
        match &self.config {
            Shared::Group(config) => config,
            Shared::Nested(config) => config,
        }
    }

    /// Adds a file; a file already here stays once, reported if either says so.
    fn add(&mut self, candidate: Candidate, absolute: PathBuf) {
        match self.index.get(&absolute) {
            Some(&at) => self.candidates[at].reported |= candidate.reported,
            None => {
                self.index.insert(absolute, self.candidates.len());
                self.candidates.push(candidate);
            }
        }
    }
}

/// Runs the pipeline once per configuration in effect. Every file found is checked once, under
/// its nearest configuration: a folder below a checked path that holds its own entralint.toml
/// takes it, with that file's rules and exclusions, as ruff does. The tree is walked once per
/// group; the nearest configuration is looked up once per folder that holds files found.
/// `adjust` is applied to each configuration found that way, as the caller applied it to the
/// groups'. The file read from standard input (`stdin`) belongs to the group that names it.
pub fn analyses(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
    keep_apps: bool,
    adjust: &dyn Fn(&mut Config) -> Result<(), String>,
) -> Result<Vec<Analysis>, String> {
    let absolute = |path: &Path| normalize(&cwd.join(path));
    let mut shares: Vec<Share> = Vec::new();
    let mut checked: HashSet<PathBuf> = HashSet::new();
    for group in groups {
        let stdin_name = stdin
            .map(|(name, _)| name)
            .filter(|name| group.paths.iter().any(|p| p == name));
        let mut nearest: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        for candidate in discover(&group.paths, &group.config, stdin_name)? {
            let path = absolute(&candidate.path);
            if candidate.reported && !checked.insert(path.clone()) {
                continue;
            }
            let nested = (group.nested && candidate.reported)
                .then(|| nearest_below(&candidate.path, &group.paths, &mut nearest))
                .flatten();
            let key = match &nested {
                None => group.config.file.as_ref().map(|(file, _)| absolute(file)),
                Some(file) => Some(absolute(file)),
            };
            let at = match shares.iter().position(|s| s.key == key) {
                Some(at) => at,
                None => {
                    let config = match &nested {
                        None => Shared::Group(&group.config),
                        Some(file) => {
                            let mut config = Config::load(file).map_err(|e| e.to_string())?;
                            adjust(&mut config)?;
                            Shared::Nested(config)
                        }
                    };
                    shares.push(Share {
                        key,
                        config,
                        candidates: Vec::new(),
                        index: HashMap::new(),
                    });
                    shares.len() - 1
                }
            };
            if nested.is_some() && excluded(shares[at].config(), &candidate.path) {
                continue;
            }
            shares[at].add(candidate, path);
        }
    }
    shares
        .into_iter()
        .map(|mut share| {
            // Byte order, as discovery sorts, now that several walks feed one run.
            share.candidates.sort_by(|a, b| {
                a.path
                    .as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.path.as_os_str().as_encoded_bytes())
            });
            let stdin = stdin.filter(|(name, _)| share.candidates.iter().any(|c| c.path == *name));
            let candidates = std::mem::take(&mut share.candidates);
            run_candidates(
                &Request {
                    paths: &[],
                    cwd,
                    config: share.config(),
                    stdin,
                    keep_apps,
                },
                candidates,
            )
        })
        .collect()
}

/// The entralint.toml nearest to a file found below one of `roots`, when it is in a folder
/// below that root (the root's own is the group's). `cache` remembers the answer per folder.
fn nearest_below(
    file: &Path,
    roots: &[PathBuf],
    cache: &mut HashMap<PathBuf, Option<PathBuf>>,
) -> Option<PathBuf> {
    if roots.iter().any(|root| root == file) {
        return None;
    }
    let mut walked: Vec<&Path> = Vec::new();
    let mut dir = file.parent();
    let found = loop {
        let Some(folder) = dir.filter(|d| !d.as_os_str().is_empty()) else {
            break None;
        };
        if roots.iter().any(|root| root == folder) {
            break None;
        }
        if let Some(known) = cache.get(folder) {
            break known.clone();
        }
        walked.push(folder);
        if let Some(found) = config::config_in(folder) {
            break Some(found);
        }
        dir = folder.parent();
    };
    for folder in walked {
        cache.insert(folder.to_path_buf(), found.clone());
    }
    found
}

/// The configuration's exclusions cover the file or a folder above it (below its root). A
/// group's own exclusions were applied by its walk; a nested configuration's are applied here.
fn excluded(config: &Config, file: &Path) -> bool {
    if config.exclude.is_none() && config.extend_exclude.is_none() {
        return false;
    }
    let relative = relative_to(&config.root, file);
    Path::new(relative.as_ref())
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| {
            let matches =
                |set: &Option<globset::GlobSet>| set.as_ref().is_some_and(|g| g.is_match(p));
            matches(&config.exclude) || matches(&config.extend_exclude)
        })
}

/// The findings of `after` joined to `before`, its files renumbered after `before`'s.
fn merge(mut before: Analysis, after: Analysis) -> Analysis {
    let offset = before.sources.append(after.sources);
    let moved = |location: &mut Location| location.file = FileId(location.file.0 + offset);
    for mut diagnostic in after.diagnostics {
        moved(&mut diagnostic.primary);
        for related in &mut diagnostic.related {
            moved(&mut related.location);
        }
        before.diagnostics.push(diagnostic);
    }
    before.app_count += after.app_count;
    let sources = &before.sources;
    before.diagnostics.sort_by(|a, b| {
        let fa = &sources.get(a.primary.file).display;
        let fb = &sources.get(b.primary.file).display;
        (fa, a.primary.span, a.rule, &a.message).cmp(&(fb, b.primary.span, b.rule, &b.message))
    });
    before
}
