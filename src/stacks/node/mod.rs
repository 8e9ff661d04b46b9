//! Node: passport-azure-ad (`BearerStrategy` for web APIs, `OIDCStrategy` for web apps) and
//! MSAL Node / MSAL.js clients, from JSON configuration files, `IDENTITY_METADATA`-style
//! environment variables, and JavaScript/TypeScript modules read lexically (never run).

pub mod extract;
pub mod lexer;
pub mod module;
pub mod msal;
pub mod passport;

use super::{FileApp, FileInput, Processed, Stack, option_setting};
use crate::discover::FileKind;
use crate::model::{Framework, Role};
use crate::rules::support::Failure;
use crate::stacks::environment::variables::OverrideSource;
use extract::NodeApp;

pub static STACK: Stack = Stack {
    id: "node",
    classify,
    extract,
    frameworks: &[
        Framework::PassportBearer,
        Framework::PassportOidc,
        Framework::MsalJs,
    ],
    infer,
    from_variables,
    error_text,
};

/// Words in a module's file name that say it may configure authentication. Other modules are
/// never read: real trees hold thousands of them.
const MODULE_NAME_WORDS: &[&str] = &[
    "auth",
    "config",
    "passport",
    "msal",
    "strategy",
    "index",
    "app",
    "server",
    "main",
    "environment",
    "settings",
    "identity",
];

const SCRIPT_EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

fn classify(_name: &str, lower: &str) -> Option<FileKind> {
    let extension = SCRIPT_EXTENSIONS.iter().find(|e| lower.ends_with(**e))?;
    let stem = &lower[..lower.len() - extension.len()];
    // Declarations, bundles and tests configure nothing.
    let generated = stem.ends_with(".d")
        || stem.ends_with(".min")
        || stem.contains(".spec")
        || stem.contains(".test");
    (!generated && MODULE_NAME_WORDS.iter().any(|w| stem.contains(w))).then_some(FileKind::Script)
}

fn role(framework: Framework) -> Role {
    match framework {
        Framework::PassportBearer => Role::WebApi,
        Framework::PassportOidc => Role::WebApp,
        _ => Role::Client,
    }
}

fn file_app(found: NodeApp) -> FileApp {
    let mut options = found.options;
    // Downstream APIs as the assembler reads them from options (`downstream:<api>:...`).
    for (api, endpoint, scopes) in found.downstream {
        if let Some(endpoint) = endpoint {
            options.push((format!("downstream:{api}:endpoint"), endpoint));
        }
        for (i, scope) in scopes.into_iter().enumerate() {
            options.push((format!("downstream:{api}:scopes:{i}"), scope));
        }
    }
    FileApp {
        framework: found.framework,
        role: role(found.framework),
        file: found.at.file,
        section: found.section,
        at: found.at,
        environment: None,
        precedence: None,
        options,
    }
}

fn extract(input: &FileInput, out: &mut Processed) {
    let found = match input.kind() {
        FileKind::Script => extract::module_apps(input.text, input.file),
        FileKind::Json
            if super::json_may_matter(input) && extract::json_may_configure(input.text) =>
        {
            match input.json() {
                Ok(Some(root)) => extract::json_apps(root, input.file),
                // Not recognisably ours: another stack reports the syntax.
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    out.apps.extend(found.into_iter().map(file_app));
}

/// passport options as environment variables, named the way the samples name them
/// (`IDENTITY_METADATA`, `CLIENT_ID`, `IS_B2C`, `POLICY_NAME`, `VALIDATE_ISSUER`, `ISSUER`,
/// `AUDIENCE`): a set of variables is passport's only when it holds `IDENTITY_METADATA`, a name
/// no other stack reads.
const PASSPORT_VARIABLES: &[(&str, &str)] = &[
    ("IDENTITY_METADATA", "identityMetadata"),
    ("CLIENT_ID", "clientID"),
    ("IS_B2C", "isB2C"),
    ("POLICY_NAME", "policyName"),
    ("VALIDATE_ISSUER", "validateIssuer"),
    ("ISSUER", "issuer"),
    ("AUDIENCE", "audience"),
];

fn from_variables(source: &OverrideSource) -> Vec<FileApp> {
    let Some(metadata) = source
        .variables
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case("IDENTITY_METADATA"))
    else {
        return Vec::new();
    };
    let options = source
        .variables
        .iter()
        .filter_map(|variable| {
            let (_, option) = PASSPORT_VARIABLES
                .iter()
                .find(|(name, _)| variable.name.eq_ignore_ascii_case(name))?;
            let mut setting = option_setting(
                source.file,
                &variable.name,
                &variable.value,
                variable.origin.span,
            );
            setting.origin = variable.origin;
            setting.key_span = variable.name_span;
            Some((option.to_string(), setting))
        })
        .collect();
    vec![FileApp {
        framework: Framework::PassportBearer,
        role: Role::WebApi,
        file: source.file,
        section: "BearerStrategy".into(),
        at: metadata.origin,
        environment: Some(source.label.clone()),
        precedence: None,
        options,
    }]
}

fn infer(app: &crate::model::App) -> crate::infer::Inference {
    match app.framework {
        Framework::MsalJs => msal::infer(app),
        _ => passport::infer(app),
    }
}

/// passport-azure-ad's own messages (lib/bearerstrategy.js, lib/jsonWebToken.js,
/// lib/metadata.js); MSAL validates no tokens.
fn error_text(framework: Framework, failure: Failure) -> Option<&'static str> {
    if framework == Framework::MsalJs {
        return None;
    }
    Some(match failure {
        // Only the bearer strategy's constructor checks the scheme (the inference says so).
        Failure::InsecureMetadata => {
            "the app throws at startup \"In BearerStrategy constructor: identityMetadata must be provided and must be a https url\""
        }
        Failure::Metadata => "\"Cannot get AAD Federation metadata\"",
        Failure::Issuer => "\"jwt issuer is invalid\"",
        Failure::CommonIssuer => {
            "\"In passport.authenticate: issuer or tenantIdOrName must be provided in order to validate issuer on common endpoint\""
        }
        Failure::Audience => "\"jwt audience is invalid\"",
        Failure::KeyNotFound => {
            "\"In Strategy.prototype.jwtVerify: We did not receive a token we know how to validate\""
        }
        // Without a client id the bearer strategy refuses to start: the audience is never unchecked.
        Failure::NoAudience => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_module_names_are_read() {
        for name in [
            "authconfig.ts",
            "config.js",
            "index.js",
            "app.module.ts",
            "passport.mjs",
            "environment.prod.ts",
        ] {
            assert_eq!(classify(name, name), Some(FileKind::Script), "{name}");
        }
        for name in [
            "authconfig.d.ts",
            "config.min.js",
            "auth.spec.ts",
            "button.tsx",
            "utils.js",
            "package.json",
        ] {
            assert_eq!(classify(name, name), None, "{name}");
        }
    }
}
