//! One `check` or `inspect` invocation over several paths: which configuration file applies to
//! which path (the nearest one, found per path), one pipeline run per configuration, and the
//! findings of those runs merged into one report.

use crate::config::{self, Config};
use crate::pipeline::{Analysis, Request, run};
use crate::report::escape::{guard_lines, untrusted};
use crate::source::{FileId, Location, normalize};
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
        }]),
        ConfigSource::Defaults => Ok(vec![Group {
            config: load(None)?,
            paths,
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

/// Runs the pipeline once per group and merges the findings. The file read from standard
/// input (`stdin`) belongs to the group that checks its path.
pub fn check(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
) -> Result<Analysis, String> {
    check_with(groups, cwd, stdin, run)
}

/// As `check`, with `runner` in place of the plain pipeline run (`--fix` runs it to a fixed
/// point per group).
pub fn check_with(
    groups: &[Group],
    cwd: &Path,
    stdin: Option<(&Path, &str)>,
    mut runner: impl FnMut(&Request) -> Result<Analysis, String>,
) -> Result<Analysis, String> {
    let mut merged: Option<Analysis> = None;
    for group in groups {
        let analysis = runner(&Request {
            paths: &group.paths,
            cwd,
            config: &group.config,
            stdin: stdin.filter(|(name, _)| group.paths.iter().any(|p| p == name)),
            keep_apps: false,
        })?;
        merged = Some(match merged {
            None => analysis,
            Some(before) => merge(before, analysis),
        });
    }
    merged.ok_or_else(|| "nothing to check".to_string())
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
