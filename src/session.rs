//! One `check`, `inspect` or `token` invocation over several paths: which configuration file
//! applies to which file (the nearest one, as ruff finds it), one pipeline run per
//! configuration, and the findings of those runs merged into one report.

use crate::config::{self, Config};
use crate::discover::{Candidate, discover_with_settings};
use crate::pipeline::{Analysis, Request, run_candidates};
use crate::report::escape::{guard_lines, untrusted};
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
            |(path, _)| untrusted(&path.display().to_string()).into_owned(),
        );
        for path in &group.paths {
            let path = path.display().to_string();
            out.push_str(&format!("# {} uses {file}\n", untrusted(&path)));
        }
    }
    for group in groups {
        out.push('\n');
        out.push_str(&group.config.describe());
    }
    guard_lines(out)
}

/// Runs the pipeline once per configuration in effect (see [`analyses`]) and merges the
/// findings. `adjust` applies the command line's selection to each configuration.
pub fn check(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
    adjust: &dyn Fn(&mut Config) -> Result<(), String>,
    runner: &mut Runner,
) -> Result<Analysis, String> {
    analyses_with(groups, cwd, stdin, false, adjust, runner)?
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
    Nested(Box<Config>),
}

impl Share<'_> {
    fn config(&self) -> &Config {
        match &self.config {
            Shared::Group(config) => config,
            Shared::Nested(config) => config,
        }
    }

    /// Adds a file. When several groups feed the runs, `absolute` identifies it: a file already
    /// here stays once, reported if either says so.
    fn add(&mut self, candidate: Candidate, absolute: Option<PathBuf>) {
        let Some(absolute) = absolute else {
            self.candidates.push(candidate);
            return;
        };
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
    analyses_with(groups, cwd, stdin, keep_apps, adjust, &mut run_candidates)
}

/// Runs one configuration's files: the pipeline itself, or `--fix` running it to a fixed point.
/// The request's `paths` are the checked paths (for what fixes may write), not walked again.
pub type Runner<'r> = dyn FnMut(&Request, Vec<Candidate>) -> Result<Analysis, String> + 'r;

/// As [`analyses`], each configuration's files run by `runner`.
pub fn analyses_with(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
    keep_apps: bool,
    adjust: &dyn Fn(&mut Config) -> Result<(), String>,
    runner: &mut Runner,
) -> Result<Vec<Analysis>, String> {
    let absolute = |path: &Path| normalize(&cwd.join(path));
    // One group's discovery lists each file once, in order: files are only compared, and runs
    // sorted again, when several groups may find the same file.
    let overlapping = groups.len() > 1;
    let mut shares: Vec<Share> = Vec::new();
    let mut checked: HashSet<PathBuf> = HashSet::new();
    for group in groups {
        let stdin_name = stdin
            .map(|(name, _)| name)
            .filter(|name| group.paths.iter().any(|p| p == name));
        let mut group_share: Option<usize> = None;
        let (candidates, settings) =
            discover_with_settings(&group.paths, cwd, &group.config, stdin_name)?;
        let mut nearest = Nearest {
            settings,
            ..Nearest::default()
        };
        for candidate in candidates {
            let path = overlapping.then(|| absolute(&candidate.path));
            if let Some(path) = &path
                && candidate.reported
                && !checked.insert(path.clone())
            {
                continue;
            }
            let nested = (group.nested && candidate.reported)
                .then(|| nearest.below(&candidate.path, &group.paths))
                .flatten();
            let at = match &nested {
                None => match group_share {
                    Some(at) => at,
                    None => {
                        let key = group.config.file.as_ref().map(|(file, _)| absolute(file));
                        let at = share_of(&mut shares, key, || Ok(Shared::Group(&group.config)))?;
                        *group_share.insert(at)
                    }
                },
                Some(file) => share_of(&mut shares, Some(absolute(file)), || {
                    let mut config = Config::load(file).map_err(|e| e.to_string())?;
                    adjust(&mut config)?;
                    Ok(Shared::Nested(Box::new(config)))
                })?,
            };
            if nested.is_some() && excluded(shares[at].config(), &candidate.path) {
                continue;
            }
            shares[at].add(candidate, path);
        }
    }
    let checked_paths: Vec<PathBuf> = groups.iter().flat_map(|g| g.paths.clone()).collect();
    shares
        .into_iter()
        .map(|mut share| {
            if overlapping {
                // Byte order, as discovery sorts, now that several walks feed one run.
                share.candidates.sort_by(|a, b| {
                    a.path
                        .as_os_str()
                        .as_encoded_bytes()
                        .cmp(b.path.as_os_str().as_encoded_bytes())
                });
            }
            let stdin = stdin.filter(|(name, _)| share.candidates.iter().any(|c| c.path == *name));
            let candidates = std::mem::take(&mut share.candidates);
            runner(
                &Request {
                    paths: &checked_paths,
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

/// The run of the configuration `key` (its absolute path), added with `make` when there is none.
fn share_of<'g>(
    shares: &mut Vec<Share<'g>>,
    key: Option<PathBuf>,
    make: impl FnOnce() -> Result<Shared<'g>, String>,
) -> Result<usize, String> {
    if let Some(at) = shares.iter().position(|s| s.key == key) {
        return Ok(at);
    }
    shares.push(Share {
        key,
        config: make()?,
        candidates: Vec::new(),
        index: HashMap::new(),
    });
    Ok(shares.len() - 1)
}

/// The entralint.toml nearest to the files found below one group's paths, remembered per
/// folder; discovery lists a folder's files together, so the last folder answers most lookups.
#[derive(Default)]
struct Nearest {
    folders: HashMap<PathBuf, Option<PathBuf>>,
    last: Option<(PathBuf, Option<PathBuf>)>,
    /// The entralint.toml files the walk passed: looked up here instead of on disk.
    settings: HashSet<PathBuf>,
}

impl Nearest {
    /// The entralint.toml nearest to `file`, when it is in a folder below the root `file` was
    /// found under (the root's own is the group's).
    fn below(&mut self, file: &Path, roots: &[PathBuf]) -> Option<PathBuf> {
        let is_root = |path: &Path| {
            roots
                .iter()
                .any(|root| root.as_os_str() == path.as_os_str())
        };
        if is_root(file) {
            return None;
        }
        let parent = file.parent()?;
        if let Some((folder, found)) = &self.last
            && folder.as_os_str() == parent.as_os_str()
        {
            return found.clone();
        }
        let mut walked: Vec<&Path> = Vec::new();
        let mut dir = Some(parent);
        let found = loop {
            let Some(folder) = dir.filter(|d| !d.as_os_str().is_empty() && !is_root(d)) else {
                break None;
            };
            if let Some(known) = self.folders.get(folder) {
                break known.clone();
            }
            walked.push(folder);
            let here = (config::FILE_NAMES.iter())
                .map(|name| folder.join(name))
                .find(|file| self.settings.contains(file));
            if let Some(found) = here {
                break Some(found);
            }
            dir = folder.parent();
        };
        for folder in walked {
            self.folders.insert(folder.to_path_buf(), found.clone());
        }
        self.last = Some((parent.to_path_buf(), found.clone()));
        found
    }
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
    for (stack, apps) in after.apps_by_stack {
        *before.apps_by_stack.entry(stack).or_default() += apps;
    }
    let sources = &before.sources;
    before.diagnostics.sort_by(|a, b| {
        let fa = &sources.get(a.primary.file).display;
        let fb = &sources.get(b.primary.file).display;
        (fa, a.primary.span, a.rule, &a.message).cmp(&(fb, b.primary.span, b.rule, &b.message))
    });
    before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_configuration_below_a_root_is_found_once_per_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for folder in ["a/b", "c"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("entralint.toml"), "").unwrap();
        std::fs::write(root.join("a/.entralint.toml"), "").unwrap();
        let roots = [root.clone()];
        // What the walk passes on its way: both configuration files, the hidden one too.
        let (_, settings) =
            discover_with_settings(&roots, &root, &Config::default(), None).unwrap();
        let mut nearest = Nearest {
            settings,
            ..Nearest::default()
        };
        let nested = Some(root.join("a/.entralint.toml"));
        assert_eq!(nearest.below(&root.join("a/b/x.json"), &roots), nested);
        assert_eq!(nearest.below(&root.join("a/b/y.json"), &roots), nested);
        assert_eq!(nearest.below(&root.join("a/z.json"), &roots), nested);
        // The root's own configuration is the group's; a named root is its own group's.
        assert_eq!(nearest.below(&root.join("c/x.json"), &roots), None);
        assert_eq!(nearest.below(&root.join("x.json"), &roots), None);
        let named = [root.join("a/b/x.json")];
        assert_eq!(Nearest::default().below(&named[0], &named), None);
        assert!(nearest.folders.contains_key(&root.join("a/b")));
    }

    #[test]
    fn a_nested_configuration_excludes_below_its_own_folder() {
        let config = Config::parse(
            "extend-exclude = [\"legacy/**\"]\n",
            Path::new("infra/entralint.toml"),
        )
        .unwrap();
        assert!(excluded(
            &config,
            Path::new("infra/legacy/appsettings.json")
        ));
        assert!(excluded(&config, Path::new("./infra/legacy/deep/x.json")));
        assert!(!excluded(&config, Path::new("infra/api/appsettings.json")));
        assert!(!excluded(&Config::default(), Path::new("legacy/x.json")));
    }
}
