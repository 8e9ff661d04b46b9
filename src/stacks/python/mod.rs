//! Python: the `identity` package's web apps (Flask/Django on MSAL Python) and
//! fastapi-azure-auth web APIs, from the configuration they read (environment variables from
//! `.env`, compose, Kubernetes; the samples' `aad.config.json`), never from Python code.
//!
//! Which variables make an app. entralint reads no Python code and no package manifest, so a
//! set of variables is a Python app only when it holds names that these packages' own samples
//! and documentation use and no other stack does:
//! - `B2C_TENANT_NAME` with `SIGNUPSIGNIN_USER_FLOW`: the `identity` samples (they hand them to
//!   `Auth(b2c_tenant_name=..., b2c_signup_signin_user_flow=...)`);
//! - `APP_CLIENT_ID` with `OPENAPI_CLIENT_ID`: fastapi-azure-auth's documented `Settings`.
//!
//! Generic names alone (`CLIENT_ID`, `TENANT_ID`, `AUTHORITY`) are left alone: .NET, Node and
//! Python samples all use them, and only code says which one reads them.

pub mod fastapi;
pub mod identity;

use super::{FileApp, FileInput, Processed, Stack, option_setting};
use crate::discover::FileKind;
use crate::model::{Framework, Role, Setting};
use crate::read::json::{JsonNode, JsonValue};
use crate::rules::support::Failure;
use crate::source::{FileId, Location};
use crate::stacks::environment::variables::{OverrideSource, Variable};

pub static STACK: Stack = Stack {
    id: "python",
    classify: super::no_files,
    extract,
    frameworks: &[Framework::PythonIdentity, Framework::FastapiAzureAuth],
    infer,
    from_variables,
    error_text,
};

fn infer(app: &crate::model::App) -> crate::infer::Inference {
    match app.framework {
        Framework::FastapiAzureAuth => fastapi::infer(app),
        _ => identity::infer(app),
    }
}

/// fastapi-azure-auth's HTTP 401 details (fastapi_azure_auth/auth.py, `InvalidAuth`); the
/// identity package validates no access tokens.
fn error_text(framework: Framework, failure: Failure) -> Option<&'static str> {
    if framework != Framework::FastapiAzureAuth {
        return None;
    }
    Some(match failure {
        Failure::Metadata => "\"Unable to fetch provider information\"",
        Failure::Issuer | Failure::Audience | Failure::CommonIssuer => {
            "401 \"Token contains invalid claims\""
        }
        Failure::KeyNotFound => "401 \"Unable to verify token, no signing keys found\"",
        // Without `app_client_id` fastapi-azure-auth refuses every token, it never skips the check.
        Failure::InsecureMetadata | Failure::NoAudience => return None,
    })
}

/// `identity`'s `Auth` parameters, by the variable the samples read them from.
const IDENTITY_VARIABLES: &[(&str, &str)] = &[
    ("CLIENT_ID", "client_id"),
    ("CLIENT_SECRET", "client_credential"),
    ("AUTHORITY", "authority"),
    ("OIDC_AUTHORITY", "oidc_authority"),
    ("B2C_TENANT_NAME", "b2c_tenant_name"),
    ("SIGNUPSIGNIN_USER_FLOW", "b2c_signup_signin_user_flow"),
    ("EDITPROFILE_USER_FLOW", "b2c_edit_profile_user_flow"),
    ("RESETPASSWORD_USER_FLOW", "b2c_reset_password_user_flow"),
    ("REDIRECT_URI", "redirect_uri"),
    ("SCOPE", "scope"),
];

/// fastapi-azure-auth's documented `Settings` fields.
const FASTAPI_VARIABLES: &[(&str, &str)] = &[
    ("APP_CLIENT_ID", "app_client_id"),
    ("OPENAPI_CLIENT_ID", "openapi_client_id"),
    ("TENANT_ID", "tenant_id"),
    ("TENANT_NAME", "tenant_name"),
    ("AUTH_POLICY_NAME", "auth_policy_name"),
];

fn find<'v>(variables: &'v [Variable], name: &str) -> Option<&'v Variable> {
    variables.iter().rev().find(|v| v.name == name)
}

fn options(source: &OverrideSource, names: &[(&str, &str)]) -> Vec<(String, Setting)> {
    source
        .variables
        .iter()
        .filter_map(|variable| {
            let (_, option) = names.iter().find(|(name, _)| variable.name == *name)?;
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
        .collect()
}

fn from_variables(source: &OverrideSource) -> Vec<FileApp> {
    let variables = &source.variables;
    let mut apps = Vec::new();
    let app = |framework, role, section: &str, at: Location, options| FileApp {
        framework,
        role,
        file: source.file,
        section: section.to_string(),
        at,
        environment: Some(source.label.clone()),
        precedence: None,
        options,
    };
    if let Some(tenant) = find(variables, "B2C_TENANT_NAME")
        && find(variables, "SIGNUPSIGNIN_USER_FLOW").is_some()
    {
        apps.push(app(
            Framework::PythonIdentity,
            Role::WebApp,
            "identity.Auth",
            tenant.origin,
            options(source, IDENTITY_VARIABLES),
        ));
    }
    if let Some(client) = find(variables, "APP_CLIENT_ID")
        && find(variables, "OPENAPI_CLIENT_ID").is_some()
    {
        apps.push(app(
            Framework::FastapiAzureAuth,
            Role::WebApi,
            "fastapi-azure-auth",
            client.origin,
            options(source, FASTAPI_VARIABLES),
        ));
    }
    apps
}

/// The samples' `aad.config.json` (`type.authority_type`, `client.{client_id, authority}`): a
/// web app on MSAL Python. The B2C form's user flows live in `b2c.*` and how its library
/// (`ms_identity_web`, not published for reading) joins them to the authority is unverified,
/// so a B2C file names its authority for the rules that judge a URL on its own but yields no
/// metadata address.
fn extract(input: &FileInput, out: &mut Processed) {
    let ours = *input.kind() == FileKind::Json
        && super::json_may_matter(input)
        && input.text.contains("\"authority_type\"");
    if !ours {
        return;
    }
    if let Ok(Some(root)) = input.json()
        && let Some(app) = aad_config(root, input.file)
    {
        out.apps.push(app);
    }
}

fn aad_config(root: &JsonNode, file: FileId) -> Option<FileApp> {
    let kind = root.get("type")?.get("authority_type")?.as_str()?;
    let client_member = root.members().iter().rev().find(|m| m.key == "client")?;
    let client = &client_member.value;
    let b2c = kind.eq_ignore_ascii_case("B2C");
    let mut options = Vec::new();
    for member in client.members() {
        let option = match member.key.as_str() {
            "client_id" => "client_id",
            "client_credential" => "client_credential",
            "authority" if b2c => "b2c_authority",
            "authority" => "authority",
            _ => continue,
        };
        let JsonValue::String(value) = &member.value.value else {
            continue;
        };
        let mut setting = option_setting(
            file,
            &format!("client:{}", member.key),
            value,
            member.value.span,
        );
        setting.key_span = member.key_span;
        options.push((option.to_string(), setting));
    }
    let scopes = root
        .get("auth_request")
        .and_then(|r| r.members().iter().rev().find(|m| m.key == "scopes"));
    if let Some(scopes) = scopes
        && let JsonValue::Array(items) = &scopes.value.value
    {
        for (i, item) in items.iter().enumerate() {
            if let JsonValue::String(scope) = &item.value {
                let mut setting =
                    option_setting(file, &format!("auth_request:scopes:{i}"), scope, item.span);
                setting.key_span = scopes.key_span;
                options.push((format!("scope:{i}"), setting));
            }
        }
    }
    Some(FileApp {
        framework: Framework::PythonIdentity,
        role: Role::WebApp,
        file,
        section: "client".into(),
        at: Location {
            file,
            span: client_member.key_span,
        },
        environment: None,
        precedence: None,
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use crate::stacks::environment::variables::dotenv_file;

    fn apps(text: &str) -> Vec<FileApp> {
        from_variables(&dotenv_file(text, FileId(0), ".env"))
    }

    #[test]
    fn identity_b2c_names_make_an_app_generic_names_do_not() {
        let found =
            apps("B2C_TENANT_NAME=contoso\nSIGNUPSIGNIN_USER_FLOW=B2C_1_susi\nCLIENT_ID=c\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].framework, Framework::PythonIdentity);
        assert!(
            found[0]
                .options
                .iter()
                .any(|(k, s)| k == "client_id" && s.value == "c")
        );
        assert!(
            apps("CLIENT_ID=c\nTENANT_ID=t\nAUTHORITY=https://login.microsoftonline.com/t\n")
                .is_empty()
        );
        assert!(apps("AzureAd__ClientId=c\nCLIENT_ID=c\n").is_empty());
    }

    #[test]
    fn fastapi_documented_settings_make_an_api() {
        let found = apps("APP_CLIENT_ID=a\nOPENAPI_CLIENT_ID=b\nTENANT_ID=t\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].framework, Framework::FastapiAzureAuth);
        assert_eq!(found[0].role, Role::WebApi);
        assert_eq!(found[0].environment.as_deref(), Some(".env"));
    }

    #[test]
    fn aad_config_json_single_tenant_and_b2c() {
        let text = r#"{"type": {"authority_type": "SINGLE_TENANT"}, "client": {"client_id": "c", "authority": "https://login.microsoftonline.com/t"}}"#;
        let root = crate::read::json::parse(text).unwrap().unwrap();
        let app = aad_config(&root, FileId(0)).unwrap();
        let (key, authority) = &app.options[1];
        assert_eq!(key, "authority");
        assert_eq!(authority.key, "client:authority");
        assert_eq!(
            &text[authority.origin.span.start..authority.origin.span.end],
            "\"https://login.microsoftonline.com/t\""
        );
        let b2c = r#"{"type": {"authority_type": "B2C"}, "client": {"authority": "https://f.b2clogin.com/f.onmicrosoft.com"}}"#;
        let root = crate::read::json::parse(b2c).unwrap().unwrap();
        let app = aad_config(&root, FileId(0)).unwrap();
        assert_eq!(app.options[0].0, "b2c_authority");
        assert_ne!(app.at.span, Span::default());
    }
}
