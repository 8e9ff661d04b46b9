//! Where reports and baselines go. Files are written atomically: a temporary file in the same
//! folder, then a rename, which replaces a link (a committed `entralint.sarif` pointing at a
//! runner script) instead of writing through it, never keeps a replaced file's execute bit, and
//! never leaves a half-written file to a concurrent run. A path that resolves to a file being
//! checked is refused. Human-readable output on standard output under GitHub Actions is fenced
//! with `::stop-commands::`, so nothing quoted from the repository can act as a workflow
//! command.

use crate::source::{FileId, SourceMap};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The path as it resolves: through links, `.` and `..`, also when the file does not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = path.canonicalize() {
        return Some(path);
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// Refuses (a usage error) an output or baseline path that resolves to a file the run read and
/// that holds anything but entralint's own earlier output: a report or baseline is refreshed in
/// place, a configuration file is never replaced by one.
pub fn refuse_checked_files<'a>(
    paths: impl IntoIterator<Item = &'a PathBuf>,
    sources: &SourceMap,
) -> Result<(), String> {
    let targets: Vec<(&PathBuf, PathBuf)> = paths
        .into_iter()
        .filter_map(|path| resolved(path).map(|target| (path, target)))
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    for file in (0..sources.len()).map(|i| sources.get(FileId(i))) {
        // Resolving a path costs system calls: only files named like an output are looked at.
        let named_alike = file.path.file_name().is_some_and(|name| {
            targets
                .iter()
                .any(|(_, target)| target.file_name() == Some(name))
        });
        if !named_alike || file.text.trim().is_empty() || is_entralint_output(&file.text) {
            continue;
        }
        let read = resolved(&file.path);
        if let Some((path, _)) = targets
            .iter()
            .find(|(_, target)| Some(target) == read.as_ref())
        {
            return Err(format!(
                "{}: is a file being checked; write the output elsewhere",
                path.display()
            ));
        }
    }
    Ok(())
}

/// A baseline or a report this tool wrote (JSON, SARIF, GitLab, JUnit).
fn is_entralint_output(text: &str) -> bool {
    if text.contains("<testsuites name=\"entralint\"") {
        return true;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(report)) => {
            (report.contains_key("version") && report.contains_key("entries"))
                || report.contains_key("diagnostics")
                || report.contains_key("runs")
        }
        Ok(serde_json::Value::Array(issues)) => issues
            .iter()
            .all(|issue| issue.get("check_name").is_some() && issue.get("fingerprint").is_some()),
        _ => false,
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), String> {
    replace_atomically(path, contents, None)
        .map_err(|e| format!("{}: cannot be written: {e}", path.display()))
}

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, so
/// readers see the old file or the new one, never half of it; with `permissions`, else
/// read-write for the owner and readable by others (never executable).
pub fn replace_atomically(
    path: &Path,
    contents: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".entralint-").suffix(".tmp");
    #[cfg(unix)]
    let permissions =
        permissions.or_else(|| Some(std::os::unix::fs::PermissionsExt::from_mode(0o644)));
    if let Some(permissions) = permissions {
        builder.permissions(permissions);
    }
    let mut file = builder.tempfile_in(folder)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `text` for standard output: when run under GitHub Actions, human-readable output is fenced
/// by `::stop-commands::` with a token nobody can predict, so no line of it is a command.
pub fn for_stdout(text: String, human: bool) -> String {
    if !human || std::env::var_os("GITHUB_ACTIONS").is_none_or(|v| v != "true") {
        return text;
    }
    let token = loop {
        let token = random_token();
        if !text.contains(&token) {
            break token;
        }
    };
    let mut fenced = format!("::stop-commands::{token}\n");
    fenced.push_str(&text);
    if !text.is_empty() && !text.ends_with('\n') {
        fenced.push('\n');
    }
    fenced.push_str(&format!("::{token}::\n"));
    fenced
}

/// 128 random bits in hex: each `RandomState` is keyed from the operating system's random
/// source, so the hash of anything under it is unpredictable.
fn random_token() -> String {
    (0..2)
        .map(|i| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u32(std::process::id());
            hasher.write_u32(i);
            format!("{:016x}", hasher.finish())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_replaces_a_link_and_drops_the_execute_bit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.sh");
        std::fs::write(&target, "keep").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
        let link = dir.path().join("out.sarif");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomically(&link, b"report").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        let written = std::fs::symlink_metadata(&link).unwrap();
        assert!(written.is_file());
        assert_eq!(written.permissions().mode() & 0o777, 0o644);
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn own_reports_and_baselines_are_recognised() {
        assert!(is_entralint_output("{\"version\": 1, \"entries\": []}"));
        assert!(is_entralint_output("{\"diagnostics\": [], \"version\": 2}"));
        assert!(is_entralint_output("[]\n"));
        assert!(!is_entralint_output("{\"AzureAd\": {\"Instance\": \"x\"}}"));
        assert!(!is_entralint_output("[{\"name\": \"x\"}]"));
    }

    #[test]
    fn tokens_differ_and_are_long() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
