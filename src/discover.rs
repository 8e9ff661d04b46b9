//! Stage 1: discover. Walks the given paths (honouring .gitignore, skipping build output and
//! dependencies) and classifies files by name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub kind: FileKind,
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

/// XML files named `.config` that are never application configuration.
const SKIPPED_CONFIG: &[&str] = &[
    "packages.config",
    "nuget.config",
    "log4net.config",
    "nlog.config",
];

/// JSON files that are never identity configuration.
const SKIPPED_JSON: &[&str] = &[
    "package.json",
    "package-lock.json",
    "project.assets.json",
    "launchsettings.json",
    "composer.json",
    "global.json",
];

pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".config") {
        return (!SKIPPED_CONFIG.contains(&lower.as_str())).then_some(FileKind::XmlConfig);
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
    if SKIPPED_JSON.contains(&lower.as_str()) || generated {
        return None;
    }
    Some(FileKind::Json)
}

/// Every file to read, sorted and without duplicates. Files named explicitly are always read,
/// even when ignored; a path that does not exist is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Candidate>, String> {
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    let mut explicit: BTreeSet<PathBuf> = BTreeSet::new();
    for root in paths {
        // A named file is read even when it is a dangling link: reading it reports why it fails.
        let link =
            std::fs::symlink_metadata(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let is_dir = std::fs::metadata(root).is_ok_and(|m| m.is_dir());
        if !is_dir {
            if link.is_file() || link.file_type().is_symlink() {
                explicit.insert(root.clone());
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .parents(true)
            .git_ignore(true)
            .git_exclude(true)
            .follow_links(false)
            .filter_entry(|entry| {
                !(entry.file_type().is_some_and(|t| t.is_dir())
                    && entry.depth() > 0
                    && SKIPPED_DIRS
                        .iter()
                        .any(|d| entry.file_name().eq_ignore_ascii_case(d)))
            })
            .build();
        for entry in walker.flatten() {
            // Linked files are read through the link; links to folders are not followed.
            let file_like = entry
                .file_type()
                .is_some_and(|t| t.is_file() || (t.is_symlink() && !entry.path().is_dir()));
            if file_like && classify(entry.path()).is_some() {
                found.insert(entry.into_path());
            }
        }
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for path in explicit.into_iter().chain(found) {
        if candidates.iter().any(|c| c.path == path) {
            continue;
        }
        if let Some(kind) = classify(&path) {
            candidates.push(Candidate { path, kind });
        }
    }
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(candidates)
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
        assert_eq!(classify(Path::new("Web.config")), Some(FileKind::XmlConfig));
        assert_eq!(classify(Path::new("packages.config")), None);
        assert_eq!(
            classify(Path::new("App_Start/Startup.Auth.cs")),
            Some(FileKind::CSharp)
        );
        assert_eq!(classify(Path::new("Form1.Designer.cs")), None);
        assert_eq!(classify(Path::new("app.deps.json")), None);
    }
}
