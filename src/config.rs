//! `entralint.toml` (or `.entralint.toml`): rule selection, severities, exclusions, per-file
//! ignores, the failure threshold, and facts about app registrations that files cannot tell.
//! Found in the working directory or its nearest ancestor (stopping at the repository root),
//! or given with `--config`. Unknown keys, unknown rule ids and wrong types are errors that name
//! the line.

use crate::diagnostic::Severity;
use crate::report::escape;
use crate::rules;
use crate::source::Span;
use crate::source::normalize;
use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

pub const FILE_NAMES: &[&str] = &["entralint.toml", ".entralint.toml"];

/// entralint.toml: which rules run, how severe their findings are, which files are skipped,
/// and facts about app registrations that files cannot tell.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "entralint.toml")]
struct RawConfig {
    /// Check only these rules: rule ids, id prefixes (`b2c-`) or tags (`security`, `b2c`, `graph`, ...). Default: every rule.
    #[schemars(with = "Option<Vec<String>>")]
    select: Option<Vec<Spanned<String>>>,
    /// Skip these rules: rule ids, id prefixes or tags.
    #[schemars(with = "Option<Vec<String>>")]
    ignore: Option<Vec<Spanned<String>>>,
    /// The severity of a rule's findings, or "off".
    #[schemars(schema_with = "severity_table")]
    severity: Option<BTreeMap<String, Spanned<String>>>,
    /// Globs (relative to this file's folder) of files and folders never checked; replaces the built-in exclusions (bin, obj, node_modules, ...).
    #[schemars(with = "Option<Vec<String>>")]
    exclude: Option<Vec<Spanned<String>>>,
    /// Globs of files and folders never checked, besides the built-in exclusions.
    #[schemars(with = "Option<Vec<String>>")]
    extend_exclude: Option<Vec<Spanned<String>>>,
    /// Rules skipped in the files a glob matches.
    per_file_ignores: Option<Vec<RawPerFileIgnore>>,
    /// The lowest severity that fails the run.
    #[schemars(with = "Option<FailOn>")]
    fail_on: Option<Spanned<String>>,
    /// Facts about app registrations that configuration files cannot tell.
    apps: Option<Vec<RawApp>>,
    /// Custom domains in front of Azure AD B2C tenants (`login.contoso.com`).
    b2c_custom_domains: Option<Vec<String>>,
    /// Hosts trusted as authorities besides Microsoft's (a proxy in front of Entra ID).
    trusted_hosts: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "PerFileIgnore")]
struct RawPerFileIgnore {
    /// A glob relative to this file's folder (`**/appsettings.Development.json`).
    #[schemars(with = "String")]
    glob: Spanned<String>,
    /// Rule ids, id prefixes or tags skipped in the matching files.
    #[schemars(with = "Vec<String>")]
    rules: Vec<Spanned<String>>,
}

/// An app registration: by client id, or by the path of the files that configure it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "App")]
struct RawApp {
    /// The application (client) id.
    client_id: Option<String>,
    /// A glob of the app's configuration files, relative to this file's folder.
    #[schemars(with = "Option<String>")]
    path: Option<Spanned<String>>,
    /// The app signs its tokens with its own SAML/custom signing key.
    #[schemars(with = "Option<bool>")]
    saml_signing: Option<Spanned<bool>>,
    /// requestedAccessTokenVersion of the app registration (accessTokenAcceptedVersion in its manifest): 1 or 2.
    #[schemars(with = "Option<u8>", range(min = 1, max = 2))]
    token_version: Option<Spanned<u8>>,
    /// The registration's Application ID URIs (`api://...`).
    app_id_uris: Option<Vec<String>>,
}

/// `[severity]`: one optional key per rule id, so editors complete the ids.
fn severity_table(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = serde_json::json!({ "enum": ["error", "warning", "info", "off"] });
    let properties: serde_json::Map<String, serde_json::Value> = rules::ALL
        .iter()
        .map(|rule| {
            let mut schema = level.clone();
            schema["description"] = serde_json::json!(rule.summary());
            (rule.id.to_string(), schema)
        })
        .collect();
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The JSON Schema of entralint.toml (committed as `entralint.schema.json`, which Even Better
/// TOML / taplo read for completion and validation).
pub fn json_schema() -> String {
    // Draft 7: what taplo's validator reads.
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawConfig>();
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// `--fail-on`: the lowest severity that makes the run fail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "info" => Some(FailOn::Info),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// Facts about an app registration given in configuration.
#[derive(Debug, Clone)]
pub struct AppEntry {
    pub client_id: Option<String>,
    pub path: Option<GlobMatcher>,
    /// Where `saml-signing = true` is written.
    pub saml_signing: Option<Span>,
    pub token_version: Option<u8>,
    pub app_id_uris: Vec<String>,
    /// The entry's first key, for related locations.
    pub span: Span,
}

/// The effective configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from, and its text (shown in related locations and errors).
    pub file: Option<(PathBuf, String)>,
    /// Folder that globs are relative to.
    pub root: PathBuf,
    pub selected: Option<Vec<&'static str>>,
    pub ignored: Vec<&'static str>,
    pub severity: BTreeMap<&'static str, Option<Severity>>,
    /// Replaces the built-in folder exclusions when set.
    pub exclude: Option<GlobSet>,
    pub extend_exclude: Option<GlobSet>,
    pub per_file_ignores: Vec<(GlobMatcher, Vec<&'static str>)>,
    pub fail_on: Option<FailOn>,
    pub apps: Vec<AppEntry>,
    pub b2c_custom_domains: Vec<String>,
    pub trusted_hosts: Vec<String>,
}

/// A configuration error: file, 1-based line and column, message.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The configuration file that applies to `start`: the nearest ancestor's, not above the
/// repository root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if let Some(found) = config_in(dir) {
            return Some(found);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// The configuration file in `dir` itself, if any.
pub fn config_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The configuration file that applies to a checked path (relative to `cwd` or absolute), as
/// ruff and typos find theirs: the nearest one in the path's folder or above it, not above the
/// repository root. It is named in the form the path was given in (`other/repo/entralint.toml`,
/// `../entralint.toml`), so its folder and the files found below the path compare as written.
pub fn discover_for(path: &Path, cwd: &Path) -> Option<PathBuf> {
    let path = normalize(path);
    let absolute = normalize(&cwd.join(&path));
    let (mut dir, mut absolute_dir) = if absolute.is_dir() {
        (path, absolute)
    } else {
        let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
        (parent(&path), parent(&absolute))
    };
    loop {
        if let Some(found) = config_in(&dir) {
            return Some(normalize(&found));
        }
        if absolute_dir.join(".git").exists() || !absolute_dir.pop() {
            return None;
        }
        // Up one folder: drop the last name, or climb with `..` once only `..` are left.
        if matches!(dir.components().next_back(), Some(Component::Normal(_))) {
            dir.pop();
        } else {
            dir.push("..");
        }
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::source::read_own_file(path).map_err(ConfigError)?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let error_at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            ConfigError(format!("{shown}:{line}:{column}: {message}"))
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| error_at(e.span(), e.message().trim().to_string()))?;
        // Rule ids, id prefixes and tags, as on the command line.
        let rules_of = |selector: &Spanned<String>| -> Result<Vec<&'static str>, ConfigError> {
            rules::select(selector.get_ref()).map_err(|e| error_at(Some(selector.span()), e))
        };
        let rule_list =
            |ids: &Option<Vec<Spanned<String>>>| -> Result<Vec<&'static str>, ConfigError> {
                let mut chosen = Vec::new();
                for selector in ids.iter().flatten() {
                    chosen.extend(rules_of(selector)?);
                }
                Ok(chosen)
            };
        let glob = |pattern: &Spanned<String>| {
            Glob::new(pattern.get_ref())
                .map_err(|e| error_at(Some(pattern.span()), format!("invalid glob: {e}")))
        };
        let glob_set =
            |patterns: &Option<Vec<Spanned<String>>>| -> Result<Option<GlobSet>, ConfigError> {
                let Some(patterns) = patterns else {
                    return Ok(None);
                };
                let mut builder = GlobSetBuilder::new();
                for pattern in patterns {
                    builder.add(glob(pattern)?);
                }
                builder
                    .build()
                    .map(Some)
                    .map_err(|e| error_at(None, e.to_string()))
            };

        let mut severity = BTreeMap::new();
        for (id, level) in raw.severity.iter().flatten() {
            let rule = rules::find(id).map(|r| r.id).ok_or_else(|| {
                error_at(
                    Some(level.span()),
                    format!(
                        "unknown rule id '{id}' in [severity]{}",
                        rules::did_you_mean(id)
                    ),
                )
            })?;
            let value = match level.get_ref().as_str() {
                "off" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    error_at(Some(level.span()), format!("severity must be \"error\", \"warning\", \"info\" or \"off\", not \"{other}\""))
                })?),
            };
            severity.insert(rule, value);
        }
        let mut per_file_ignores = Vec::new();
        for entry in raw.per_file_ignores.iter().flatten() {
            let ids = rule_list(&Some(entry.rules.clone()))?;
            per_file_ignores.push((glob(&entry.glob)?.compile_matcher(), ids));
        }
        let mut apps = Vec::new();
        for app in raw.apps.iter().flatten() {
            if app.client_id.is_none() && app.path.is_none() {
                return Err(error_at(
                    None,
                    "every [[apps]] entry needs `client-id` or `path`".into(),
                ));
            }
            if let Some(version) = &app.token_version
                && !matches!(version.get_ref(), 1 | 2)
            {
                return Err(error_at(
                    Some(version.span()),
                    "token-version must be 1 or 2".into(),
                ));
            }
            let span = app
                .saml_signing
                .as_ref()
                .map(|s| s.span())
                .or(app.path.as_ref().map(|p| p.span()))
                .unwrap_or(0..0);
            apps.push(AppEntry {
                client_id: app
                    .client_id
                    .as_ref()
                    .map(|c| c.trim().to_ascii_lowercase()),
                path: app
                    .path
                    .as_ref()
                    .map(|p| glob(p).map(|g| g.compile_matcher()))
                    .transpose()?,
                saml_signing: app
                    .saml_signing
                    .as_ref()
                    .filter(|s| *s.get_ref())
                    .map(|s| Span::new(s.span().start, s.span().end)),
                token_version: app.token_version.as_ref().map(|v| *v.get_ref()),
                app_id_uris: app.app_id_uris.clone().unwrap_or_default(),
                span: Span::new(span.start, span.end),
            });
        }
        let fail_on = raw
            .fail_on
            .as_ref()
            .map(|f| {
                FailOn::parse(f.get_ref()).ok_or_else(|| {
                    error_at(
                        Some(f.span()),
                        "fail-on must be \"error\", \"warning\", \"info\" or \"never\"".into(),
                    )
                })
            })
            .transpose()?;
        Ok(Config {
            file: Some((path.to_path_buf(), text.to_string())),
            root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            selected: raw
                .select
                .as_ref()
                .map(|_| rule_list(&raw.select))
                .transpose()?,
            ignored: rule_list(&raw.ignore)?,
            severity,
            exclude: glob_set(&raw.exclude)?,
            extend_exclude: glob_set(&raw.extend_exclude)?,
            per_file_ignores,
            fail_on,
            apps,
            b2c_custom_domains: raw
                .b2c_custom_domains
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            trusted_hosts: raw
                .trusted_hosts
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        })
    }

    /// Applies `--select` (replaces the file's `select`), `--extend-select` (adds to it) and
    /// `--ignore` (adds to the file's `ignore`): rule ids, id prefixes or tags.
    pub fn apply_selection(
        &mut self,
        select: &[String],
        extend_select: &[String],
        ignore: &[String],
    ) -> Result<(), String> {
        let resolve = |selectors: &[String]| -> Result<Vec<&'static str>, String> {
            let mut chosen = Vec::new();
            for selector in selectors {
                chosen.extend(rules::select(selector)?);
            }
            Ok(chosen)
        };
        if !select.is_empty() {
            self.selected = Some(resolve(select)?);
        }
        // Resolved even when nothing narrows the selection, so a mistyped id is refused.
        let extended = resolve(extend_select)?;
        if let Some(selected) = &mut self.selected {
            selected.extend(extended);
        }
        self.ignored.extend(resolve(ignore)?);
        Ok(())
    }

    /// The rule is on: selected (all by default) and not ignored.
    pub fn enabled(&self, rule: &str) -> bool {
        self.selected.as_ref().is_none_or(|s| s.contains(&rule))
            && !self.ignored.contains(&rule)
            && self.severity.get(rule) != Some(&None)
    }

    /// The severity a rule's findings take, when configuration overrides it.
    pub fn severity_of(&self, rule: &str) -> Option<Severity> {
        self.severity.get(rule).copied().flatten()
    }

    /// A path relative to the configuration's folder (see [`crate::source::relative_to`]).
    pub fn relative<'p>(&self, path: &'p Path) -> std::borrow::Cow<'p, str> {
        crate::source::relative_to(&self.root, path)
    }

    pub fn ignored_for(&self, path: &Path, rule: &str) -> bool {
        let relative = self.relative(path).replace('\\', "/");
        self.per_file_ignores
            .iter()
            .any(|(glob, ids)| ids.contains(&rule) && glob.is_match(&relative))
    }

    pub fn host_is_trusted(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.trusted_hosts
            .iter()
            .chain(&self.b2c_custom_domains)
            .any(|h| *h == host)
    }

    /// The effective configuration, as `check --show-config` prints it.
    pub fn describe(&self) -> String {
        let list = |ids: &[&str]| {
            ids.iter()
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = String::new();
        match &self.file {
            Some((path, _)) => out.push_str(&format!("# configuration: {}\n", path.display())),
            None => out.push_str("# configuration: none (defaults)\n"),
        }
        let enabled: Vec<&str> = rules::ALL
            .iter()
            .map(|r| r.id)
            .filter(|id| self.enabled(id))
            .collect();
        out.push_str(&format!("enabled-rules = [{}]\n", list(&enabled)));
        let fail_on = match self.fail_on.unwrap_or(FailOn::Error) {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        };
        out.push_str(&format!("fail-on = \"{fail_on}\"\n"));
        if !self.severity.is_empty() {
            out.push_str("\n[severity]\n");
            for (rule, severity) in &self.severity {
                out.push_str(&format!(
                    "{rule} = \"{}\"\n",
                    severity.map_or("off", Severity::as_str)
                ));
            }
        }
        for (glob, ids) in &self.per_file_ignores {
            out.push_str(&format!(
                "\n[[per-file-ignores]]\nglob = \"{}\"\nrules = [{}]\n",
                glob.glob(),
                list(ids)
            ));
        }
        for app in &self.apps {
            out.push_str("\n[[apps]]\n");
            if let Some(id) = &app.client_id {
                out.push_str(&format!("client-id = \"{id}\"\n"));
            }
            if let Some(path) = &app.path {
                out.push_str(&format!("path = \"{}\"\n", path.glob()));
            }
            if app.saml_signing.is_some() {
                out.push_str("saml-signing = true\n");
            }
            if let Some(version) = app.token_version {
                out.push_str(&format!("token-version = {version}\n"));
            }
        }
        if !self.trusted_hosts.is_empty() || !self.b2c_custom_domains.is_empty() {
            out.push_str(&format!(
                "\ntrusted-hosts = [{}]\nb2c-custom-domains = [{}]\n",
                self.trusted_hosts
                    .iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.b2c_custom_domains
                    .iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        // Globs, paths and hosts come from a file the repository holds.
        escape::guard_lines(escape::Shown::new(&out).text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("entralint.toml"))
    }

    #[test]
    fn reads_every_key() {
        let config = parse(
            r#"
select = ["graph-audience", "secret-in-config"]
ignore = ["secret-in-config"]
fail-on = "warning"
extend-exclude = ["legacy/**"]
b2c-custom-domains = ["Login.Contoso.com"]

[severity]
graph-audience = "warning"

[[per-file-ignores]]
glob = "**/appsettings.Development.json"
rules = ["insecure-metadata"]

[[apps]]
client-id = "06051593-1954-4E1F-A75F-7E5DE243AEFF"
saml-signing = true
token-version = 2
"#,
        )
        .unwrap();
        assert!(config.enabled("graph-audience"));
        assert!(!config.enabled("secret-in-config"));
        assert!(!config.enabled("placeholder-value"));
        assert_eq!(
            config.severity_of("graph-audience"),
            Some(Severity::Warning)
        );
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert!(config.ignored_for(
            Path::new("src/Api/appsettings.Development.json"),
            "insecure-metadata"
        ));
        assert_eq!(
            config.apps[0].client_id.as_deref(),
            Some("06051593-1954-4e1f-a75f-7e5de243aeff")
        );
        assert!(config.apps[0].saml_signing.is_some());
        assert!(config.host_is_trusted("login.contoso.com"));
    }

    #[test]
    fn errors_name_the_line() {
        let unknown_key = parse("select = []\nselct = [\"x\"]\n").unwrap_err().0;
        assert!(
            unknown_key.starts_with("entralint.toml:2:1: unknown field `selct`"),
            "{unknown_key}"
        );
        let unknown_rule = parse("ignore = [\n  \"graph-audience\",\n  \"no-such-rule\",\n]\n")
            .unwrap_err()
            .0;
        assert!(
            unknown_rule.starts_with("entralint.toml:3:3: unknown rule id 'no-such-rule'"),
            "{unknown_rule}"
        );
        let wrong_type = parse("fail-on = 3\n").unwrap_err().0;
        assert!(
            wrong_type.starts_with("entralint.toml:1:11:"),
            "{wrong_type}"
        );
        let bad_severity = parse("[severity]\ngraph-audience = \"loud\"\n")
            .unwrap_err()
            .0;
        assert!(
            bad_severity.contains("2:18") && bad_severity.contains("\"loud\""),
            "{bad_severity}"
        );
    }
}
