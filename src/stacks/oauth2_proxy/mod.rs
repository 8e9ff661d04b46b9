//! oauth2-proxy in front of an app: `.cfg` files, `OAUTH2_PROXY_*` variables and
//! `--flag=value` container arguments, with the `azure`, `entra-id` and `oidc` providers.

pub mod alpha;
pub mod helm;
pub mod model;
pub mod options;

use super::{FileApp, FileInput, Processed, Stack, invalid_syntax, manifest};
use crate::discover::FileKind;
use crate::model::Framework;
use crate::rules::support::Failure;
use crate::stacks::environment::variables::OverrideSource;

pub static STACK: Stack = Stack {
    id: "oauth2-proxy",
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
    options::oauth2_proxy_from_variables(
        &source.variables,
        source.image.as_ref(),
        source.file,
        &source.label,
    )
    .into_iter()
    .collect()
}

fn error_text(_: Framework, failure: Failure) -> Option<&'static str> {
    Some(match failure {
        // Other stacks' wordings oauth2-proxy has no own text for (it reports nothing about http;
        // it always compares the audience with its client id).
        Failure::CommonIssuer | Failure::InsecureMetadata | Failure::NoAudience => return None,
        Failure::Metadata => "oauth2-proxy fails to start: OIDC discovery finds no document",
        Failure::Issuer => "\"oidc: issuer did not match the issuer returned by provider\"",
        // go-oidc's verifier (coreos/go-oidc verify.go), wrapped by oauth2-proxy.
        Failure::KeyNotFound => {
            "\"failed to verify token: failed to verify signature: failed to verify id token signature\""
        }
        // upstream: oauth2-proxy/oauth2-proxy pkg/providers/oidc/verifier.go (`verifyAudience`).
        Failure::Audience => {
            "\"audience from claim aud with value [...] does not match with any of allowed audiences\""
        }
    })
}

/// Options a top-level `key = value` line must assign for a `.cfg` file to be oauth2-proxy's.
const OPTIONS: &[&str] = &[
    "provider",
    "oidc_issuer_url",
    "client_id",
    "cookie_secret",
    "upstreams",
];

fn extract(input: &FileInput, out: &mut Processed) {
    match input.kind() {
        FileKind::ProxyConfig => extract_cfg(input, out),
        FileKind::Yaml if helm::may_hold(input.text) || alpha::may_hold(input.text) => {
            extract_yaml(input, out)
        }
        _ => {}
    }
}

/// Helm chart values and alpha configuration files. Neither is unmistakably oauth2-proxy's
/// before it is read, so a file that does not parse is not reported.
fn extract_yaml(input: &FileInput, out: &mut Processed) {
    let Some(documents) = manifest::documents(input, out, None) else {
        return;
    };
    let (text, file, name) = (input.text, input.file, input.name());
    for document in documents.iter() {
        if document.get("providers").is_some() && document.get("kind").is_none() {
            out.apps
                .extend(alpha::providers(document, text, file, name));
            continue;
        }
        let values = helm::values(document, text, file, name);
        out.apps.extend(values.app);
        out.apps.extend(values.alpha);
        for (written, meant, span) in values.ignored {
            out.diagnostics.push(
                crate::rules::helm_values_key_ignored::RULE.diagnostic(
                    input.at(span),
                    format!(
                        "the oauth2-proxy chart reads `{meant}`, not `{written}` (Helm values are case-sensitive): everything under `{written}` is ignored and the chart's defaults for `{meant}` are deployed instead"
                    ),
                ),
            );
        }
        if let Some((message, span)) = values.config_file_error {
            out.diagnostics.push(invalid_syntax(
                input,
                span,
                format!("{message}: oauth2-proxy cannot load config.configFile"),
            ));
        }
    }
}

/// A `.cfg` file: oauth2-proxy's configuration when a line assigns one of its options.
fn extract_cfg(input: &FileInput, out: &mut Processed) {
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
