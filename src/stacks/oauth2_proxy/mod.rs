//! oauth2-proxy in front of an app: `.cfg` files, `OAUTH2_PROXY_*` variables and
//! `--flag=value` container arguments, with the `azure`, `entra-id` and `oidc` providers.

pub mod model;
pub mod options;

use super::{FileApp, FileInput, Processed, Stack, invalid_syntax};
use crate::discover::FileKind;
use crate::model::Framework;
use crate::rules::support::Failure;
use crate::stacks::environment::variables::OverrideSource;

pub static STACK: Stack = Stack {
    id: "oauth2-proxy",
    name: "oauth2-proxy",
    classify,
    extract,
    frameworks: &[Framework::Oauth2Proxy],
    infer: model::infer,
    from_variables,
    error_text,
};

fn classify(_name: &str, lower: &str) -> Option<FileKind> {
    lower.ends_with(".cfg").then_some(FileKind::ProxyConfig)
}

fn from_variables(source: &OverrideSource) -> Vec<FileApp> {
    options::oauth2_proxy_from_variables(&source.variables, source.file, &source.label)
        .into_iter()
        .collect()
}

fn error_text(_: Framework, failure: Failure) -> Option<&'static str> {
    match failure {
        Failure::Metadata => Some("oauth2-proxy fails to start: OIDC discovery finds no document"),
        Failure::Issuer => Some("\"oidc: issuer did not match the issuer returned by provider\""),
        Failure::Audience | Failure::KeyNotFound | Failure::HttpMetadata => None,
    }
}

/// Options a top-level `key = value` line must assign for a `.cfg` file to be oauth2-proxy's.
const OPTIONS: &[&str] = &[
    "provider",
    "oidc_issuer_url",
    "client_id",
    "cookie_secret",
    "upstreams",
];

/// A `.cfg` file: oauth2-proxy's configuration when a line assigns one of its options.
fn extract(input: &FileInput, out: &mut Processed) {
    if *input.kind() != FileKind::ProxyConfig {
        return;
    }
    // A top-level `key = value` line: YAML or INI that merely mentions these words is not ours.
    let assigns_option = input.text.lines().any(|line| {
        !line.starts_with(char::is_whitespace)
            && line
                .split_once('=')
                .is_some_and(|(key, _)| OPTIONS.contains(&key.trim()))
    });
    if !assigns_option {
        return;
    }
    match options::oauth2_proxy_cfg(input.text, input.file) {
        Ok(found) => out.apps.extend(found),
        Err((message, span)) => out.diagnostics.push(invalid_syntax(
            input,
            span,
            format!("{message}: oauth2-proxy cannot load this configuration file"),
        )),
    }
}
