//! oauth2-proxy options from every surface: `.cfg` files, `OAUTH2_PROXY_*` variables and
//! `--flag=value` container arguments.

use crate::model::{Framework, Role, Setting};
use crate::source::{FileId, Location, Span};
use crate::stacks::environment::variables::Variable;
use crate::stacks::{FileApp, option_setting as setting};

/// The oauth2-proxy option a `.cfg` key, `OAUTH2_PROXY_*` variable or `--flag` names.
pub fn oauth2_proxy_option(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(variable) = name.strip_prefix("OAUTH2_PROXY_") {
        return Some(variable.to_ascii_lowercase());
    }
    let flag = name.strip_prefix("--")?.replace('-', "_");
    // Repeatable flags are singular; their file keys and variables plural.
    Some(match flag.as_str() {
        "oidc_extra_audience" | "entra_id_allowed_tenant" | "oidc_audience_claim" => {
            format!("{flag}s")
        }
        _ => flag,
    })
}

/// Options that hold lists: comma-separated in variables, repeated as flags.
const LIST_OPTIONS: &[&str] = &[
    "oidc_extra_audiences",
    "extra_jwt_issuers",
    "entra_id_allowed_tenants",
    "oidc_audience_claims",
];

/// An oauth2-proxy configuration from options (any of the three surfaces).
pub fn oauth2_proxy(
    options: Vec<(String, Setting)>,
    file: FileId,
    at: Span,
    section: &str,
) -> Option<FileApp> {
    let known = |k: &str| options.iter().any(|(o, _)| o == k);
    (known("provider") || known("oidc_issuer_url")).then(|| FileApp {
        framework: Framework::Oauth2Proxy,
        role: Role::Gateway,
        environment: None,
        precedence: None,
        file,
        section: section.to_string(),
        at: Location { file, span: at },
        options,
    })
}

/// A `.cfg` file (TOML syntax).
pub fn oauth2_proxy_cfg(text: &str, file: FileId) -> Result<Option<FileApp>, (String, Span)> {
    let options = cfg_options(text, file, &|span| span)?;
    Ok(oauth2_proxy(options, file, Span::new(0, 0), "oauth2-proxy"))
}

/// The options of configuration-file text (TOML). `map` turns spans in `text` into file spans
/// (identity for a `.cfg` file, indentation for a Helm `config.configFile` block).
pub fn cfg_options(
    text: &str,
    file: FileId,
    map: &dyn Fn(Span) -> Span,
) -> Result<Vec<(String, Setting)>, (String, Span)> {
    let table: std::collections::BTreeMap<String, toml::Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| {
            (
                e.message().to_string(),
                map(e
                    .span()
                    .map_or(Span::default(), |r| Span::new(r.start, r.end))),
            )
        })?;
    let mut options = Vec::new();
    for (key, value) in table {
        let span = map(Span::new(value.span().start, value.span().end));
        match value.get_ref() {
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let text = item
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| item.to_string());
                    options.push((format!("{key}:{i}"), setting(file, &key, &text, span)));
                }
            }
            toml::Value::String(s) => options.push((key.clone(), setting(file, &key, s, span))),
            other => options.push((key.clone(), setting(file, &key, &other.to_string(), span))),
        }
    }
    Ok(options)
}

/// oauth2-proxy options set through variables and container arguments.
/// The container image, when the source names one, is kept as the option `image`: the proxy's
/// version decides what some settings do.
pub fn oauth2_proxy_from_variables(
    variables: &[Variable],
    image: Option<&Variable>,
    file: FileId,
    label: &str,
) -> Option<FileApp> {
    let at = variables.first().map_or(Span::default(), |v| v.origin.span);
    let mut options = options_from_variables(variables, file);
    options.extend(image.map(|image| {
        let mut s = setting(file, "image", &image.value, image.origin.span);
        s.origin = image.origin;
        ("image".to_string(), s)
    }));
    oauth2_proxy(options, file, at, label)
}

/// The oauth2-proxy version an image reference names (`quay.io/oauth2-proxy/oauth2-proxy:v7.6.0`
/// → 7.6.0); `None` for `latest`, a digest or no tag.
pub fn image_version(image: &str) -> Option<crate::domain::versions::PackageVersion> {
    let (_, tag) = image.trim().rsplit_once(':')?;
    if tag.contains('/') {
        return None;
    }
    crate::domain::versions::PackageVersion::parse(tag.trim_start_matches('v'))
}

/// The options `OAUTH2_PROXY_*` variables and `--flag` arguments set, lists split at commas.
pub fn options_from_variables(variables: &[Variable], file: FileId) -> Vec<(String, Setting)> {
    let mut options: Vec<(String, Setting)> = Vec::new();
    for variable in variables {
        let Some(option) = oauth2_proxy_option(&variable.name) else {
            continue;
        };
        let mut s = setting(file, &variable.name, &variable.value, variable.origin.span);
        s.origin = variable.origin;
        if LIST_OPTIONS.contains(&option.as_str()) {
            let prefix = format!("{option}:");
            let first = options
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .count();
            for (next, value) in (first..).zip(variable.value.split(',')) {
                options.push((
                    format!("{prefix}{next}"),
                    Setting {
                        value: value.trim().to_string(),
                        ..s.clone()
                    },
                ));
            }
        } else {
            options.push((option, s));
        }
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth2_proxy_surfaces() {
        let app = oauth2_proxy_cfg("provider = \"entra-id\"\noidc_issuer_url = \"https://login.microsoftonline.us/t/v2.0\"\noidc_extra_audiences = [\"api://a\"]\n", FileId(0)).unwrap().unwrap();
        assert!(
            app.options
                .iter()
                .any(|(k, s)| k == "oidc_extra_audiences:0" && s.value == "api://a")
        );
        assert_eq!(
            oauth2_proxy_option("OAUTH2_PROXY_OIDC_ISSUER_URL").as_deref(),
            Some("oidc_issuer_url")
        );
        assert_eq!(
            oauth2_proxy_option("--pass-access-token").as_deref(),
            Some("pass_access_token")
        );
        assert_eq!(
            oauth2_proxy_option("--oidc-extra-audience").as_deref(),
            Some("oidc_extra_audiences")
        );
        assert!(oauth2_proxy_cfg("not toml = = x", FileId(0)).is_err());
    }

    #[test]
    fn image_tags_name_versions() {
        let version = |image: &str| image_version(image).map(|v| v.major());
        assert_eq!(version("quay.io/oauth2-proxy/oauth2-proxy:v7.6.0"), Some(7));
        assert!(
            image_version("oauth2-proxy/oauth2-proxy:v7.2.1").unwrap()
                < crate::domain::versions::PackageVersion::parse("7.3.0").unwrap()
        );
        assert_eq!(version("docker.io/colemickens/oauth2_proxy:latest"), None);
        assert_eq!(version("registry:5000/oauth2-proxy"), None);
        assert_eq!(version("oauth2-proxy"), None);
    }
}
