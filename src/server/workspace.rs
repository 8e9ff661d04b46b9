//! What the server checks when a file changes: the file's unit (its project folder, found the
//! way `Assembly::units` groups apps), with the unsaved text of that file over the disk and the
//! rest read from disk, under the `entralint.toml` found for it.

use crate::config::{self, Config};
use crate::pipeline::{Analysis, Request, run};
use std::path::{Path, PathBuf};

/// Files that make a folder a project: apps are assembled per such folder, so a change inside
/// it cannot change the apps of another folder.
fn is_project_marker(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".csproj")
        || (name.starts_with("appsettings") && name.ends_with(".json"))
        || name == "web.config"
        || name == "app.config"
}

/// The folder whose check covers every app `file` takes part in: its project folder (above
/// `Properties/` for launch profiles, above code folders for C#), else the workspace root, for
/// files that reach across projects (compose files, gateway policies, exports).
pub fn scope_of(root: &Path, file: &Path) -> PathBuf {
    let mut dirs = file.ancestors().skip(1);
    for dir in dirs.by_ref() {
        if !dir.starts_with(root) || dir == root {
            break;
        }
        let holds_project = std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| is_project_marker(&e.file_name().to_string_lossy()))
        });
        if holds_project {
            return dir.to_path_buf();
        }
    }
    root.to_path_buf()
}

/// The configuration for `scope`: the nearest `entralint.toml` above it, read afresh on every
/// check, so an edited configuration applies to the next check. An unreadable one is reported
/// and the defaults apply.
pub fn config_for(root: &Path, scope: &Path) -> (Config, Option<String>) {
    let defaults = || Config {
        root: root.to_path_buf(),
        ..Config::default()
    };
    match config::discover(scope) {
        Some(path) => match Config::load(&path) {
            Ok(config) => (config, None),
            Err(error) => (defaults(), Some(error.to_string())),
        },
        None => (defaults(), None),
    }
}

/// Checks `scope`, with `unsaved` (a file and its editor text) read instead of the disk.
pub fn check(
    root: &Path,
    scope: &Path,
    unsaved: Option<(&Path, &str)>,
) -> (Result<Analysis, String>, Option<String>) {
    let (config, config_error) = config_for(root, scope);
    let mut paths = vec![scope.to_path_buf()];
    if let Some((file, _)) = unsaved {
        paths.push(file.to_path_buf());
    }
    let analysis = run(&Request {
        paths: &paths,
        cwd: root,
        config: &config,
        stdin: unsaved,
        keep_apps: true,
    });
    (analysis, config_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_belongs_to_its_project_folder_or_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let api = root.join("src/Api");
        std::fs::create_dir_all(api.join("Properties")).unwrap();
        std::fs::write(api.join("Api.csproj"), "<Project/>").unwrap();
        std::fs::write(root.join("docker-compose.yml"), "services: {}").unwrap();
        assert_eq!(scope_of(root, &api.join("appsettings.json")), api);
        assert_eq!(
            scope_of(root, &api.join("Properties/launchSettings.json")),
            api
        );
        assert_eq!(scope_of(root, &root.join("docker-compose.yml")), root);
        assert_eq!(scope_of(root, Path::new("/elsewhere/a.json")), root);
    }
}
