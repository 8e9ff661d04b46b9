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
        file,
        section: section.to_string(),
        at: Location { file, span: at },
        options,
    })
}

/// A `.cfg` file (TOML syntax).
pub fn oauth2_proxy_cfg(text: &str, file: FileId) -> Result<Option<FileApp>, (String, Span)> {
    let table: std::collections::BTreeMap<String, toml::Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| {
            (
                e.message().to_string(),
                e.span()
                    .map_or(Span::default(), |r| Span::new(r.start, r.end)),
            )
        })?;
    let mut options = Vec::new();
    for (key, value) in table {
        let span = Span::new(value.span().start, value.span().end);
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
    Ok(oauth2_proxy(options, file, Span::new(0, 0), "oauth2-proxy"))
}

/// oauth2-proxy options set through variables and container arguments.
pub fn oauth2_proxy_from_variables(
    variables: &[Variable],
    file: FileId,
    label: &str,
) -> Option<FileApp> {
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
    let at = variables.first().map_or(Span::default(), |v| v.origin.span);
    oauth2_proxy(options, file, at, label)
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
}
