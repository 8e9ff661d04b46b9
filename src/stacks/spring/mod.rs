//! The Spring stack: Spring Boot configuration (`application*.yml|yaml|properties`, profile
//! files and documents, `SPRING_*` variables) read by Spring Security's resource server and
//! OAuth 2.0 client, Spring Cloud Azure's Entra ID and B2C starters, and the older
//! azure-spring-boot starter. Verified behaviour: docs/stacks-verified.md §1 and §2.

pub mod binding;
pub mod cloud_azure;
pub mod extract;
pub mod security;

use super::{FileApp, FileInput, Processed, Stack, invalid_syntax};
use crate::discover::FileKind;
use crate::infer::Inference;
use crate::model::{App, Framework};
use crate::read::properties;
use crate::rules::support::Failure;
use crate::stacks::environment::variables::OverrideSource;

pub static STACK: Stack = Stack {
    id: "spring",
    classify,
    extract,
    frameworks: FRAMEWORKS,
    infer,
    from_variables,
    error_text,
};

/// The frameworks of this stack.
const FRAMEWORKS: &[Framework] = &[
    Framework::SpringResourceServer,
    Framework::SpringOauth2Client,
    Framework::SpringCloudAzureAad,
    Framework::SpringCloudAzureAadB2c,
    Framework::AzureSpringBootAad,
    Framework::AzureSpringBootAadB2c,
];

/// `.properties` files Spring Boot loads; its YAML files arrive as `FileKind::Yaml`.
fn classify(_name: &str, lower: &str) -> Option<FileKind> {
    (lower.ends_with(".properties") && extract::profile_of_name(lower).is_some())
        .then_some(FileKind::Properties)
}

/// A Spring configuration file: its name is one Spring Boot loads and its text names a property
/// family this stack reads (checked before parsing).
fn extract(input: &FileInput, out: &mut Processed) {
    let lower = input.lower_name();
    let is_yaml = *input.kind() == FileKind::Yaml;
    if !(is_yaml || *input.kind() == FileKind::Properties) {
        return;
    }
    let Some(profile) = extract::profile_of_name(&lower) else {
        return;
    };
    if !extract::mentions_spring_identity(input.text) {
        return;
    }
    let entries = if is_yaml {
        match input.yaml() {
            Ok(documents) => extract::yaml_entries(documents),
            Err(error) => {
                out.diagnostics.push(invalid_syntax(
                    input,
                    error.span,
                    format!(
                        "{}: Spring Boot cannot load this configuration file",
                        error.message
                    ),
                ));
                return;
            }
        }
    } else {
        extract::properties_entries(properties::parse(input.text))
    };
    let bound = extract::bind_entries(&entries, input.file, profile.as_deref());
    let mut apps = extract::apps(bound, input.file);
    // Both formats on the same level: `application.properties` takes precedence (Spring Boot
    // 2.4+ reference documentation, spring-projects/spring-boot PR #25300).
    let precedence = if is_yaml { 0 } else { 1 };
    apps.iter_mut()
        .for_each(|app| app.precedence = Some(precedence));
    out.apps.extend(apps);
}

/// The apps `SPRING_*` (and azure-spring-boot's `AZURE_ACTIVEDIRECTORY_*`) variables configure.
fn from_variables(source: &OverrideSource) -> Vec<FileApp> {
    let bound = extract::bind_variables(&source.variables, &source.label);
    if bound.is_empty() {
        return Vec::new();
    }
    extract::apps(bound, source.file)
}

/// The framework model of a Spring app. Spring fetches keys from any URL it is given: nothing
/// refuses http, so only Microsoft's hosts over http are findings (a test's local key server
/// is not).
fn infer(app: &App) -> Inference {
    let inference = match app.framework {
        Framework::SpringOauth2Client => security::client(app),
        Framework::SpringCloudAzureAad => cloud_azure::active_directory(app),
        Framework::AzureSpringBootAad => cloud_azure::legacy_active_directory(app),
        Framework::SpringCloudAzureAadB2c | Framework::AzureSpringBootAadB2c => {
            cloud_azure::b2c(app)
        }
        _ => security::resource_server(app),
    };
    Inference {
        https_required: false,
        ..inference
    }
}

/// What Spring reports for a failure. Spring Security wraps every validation failure in
/// "An error occurred while attempting to decode the Jwt: ..." (upstream: spring-security
/// oauth2/oauth2-jose/.../jwt/NimbusJwtDecoder.java; the claim texts come from
/// JwtIssuerValidator / JwtClaimValidator, the key text from nimbus-jose-jwt DefaultJWTProcessor).
fn error_text(framework: Framework, failure: Failure) -> Option<&'static str> {
    if !FRAMEWORKS.contains(&framework) {
        return None;
    }
    let discovers = matches!(
        framework,
        Framework::SpringResourceServer | Framework::SpringOauth2Client
    );
    Some(match failure {
        // upstream: spring-security JwtDecoderProviderConfigurationUtils.getConfiguration
        Failure::Metadata if discovers => {
            "\"Unable to resolve the Configuration with the provided Issuer\""
        }
        Failure::Metadata => {
            "\"An error occurred while attempting to decode the Jwt\" on every request"
        }
        // upstream: JwtDecoderProviderConfigurationUtils.validateIssuer (discovery) and
        // JwtIssuerValidator (each token)
        Failure::Issuer if discovers => {
            "\"The Issuer ... provided in the configuration did not match the requested issuer\", or \"The iss claim is not valid\""
        }
        Failure::Issuer => "\"The iss claim is not valid\"",
        // upstream: spring-boot JwtDecoderConfiguration (audiences: JwtClaimValidator on aud)
        Failure::Audience => {
            "\"The aud claim is not valid\" (a Graph token first fails its signature)"
        }
        // upstream: NimbusJwtDecoder.createJwt ("Signed JWT rejected: ") around nimbus-jose-jwt
        // DefaultJWTProcessor's key-selection failure
        Failure::KeyNotFound => {
            "\"Signed JWT rejected: Another algorithm expected, or no matching key(s) found\""
        }
        // Spring always compares with a configured issuer: the issuer text above applies.
        Failure::CommonIssuer => return None,
        // upstream: spring-boot JwtDecoderConfiguration (an `aud` validator only when `audiences`
        // lists something); azure-sdk-for-java AadResourceServerConfiguration and its aadb2c
        // twin (`createDefaultValidator`: only when `app-id-uri` or `credential.client-id` is set)
        Failure::NoAudience => match framework {
            Framework::SpringResourceServer => {
                "`spring.security.oauth2.resourceserver.jwt.audiences`"
            }
            Framework::SpringCloudAzureAad | Framework::SpringCloudAzureAadB2c => {
                "`credential.client-id` (v2.0 tokens) and `app-id-uri` (v1.0 tokens)"
            }
            // Clients check ID tokens against their client id; azure-spring-boot 3.x's audience
            // validation was not verified.
            _ => return None,
        },
        // Nothing refuses http (`https_required` is false): the rule words it.
        Failure::InsecureMetadata => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_spring_frameworks_have_spring_texts() {
        assert_eq!(
            error_text(Framework::MicrosoftIdentityWeb, Failure::Issuer),
            None
        );
        assert!(
            error_text(Framework::SpringCloudAzureAad, Failure::Issuer)
                .unwrap()
                .contains("iss claim")
        );
    }

    #[test]
    fn properties_files_by_name_only() {
        // upstream: spring-boot StandardConfigDataLocationResolver (`application`), PropertiesPropertySourceLoader
        assert_eq!(
            classify("", "application.properties"),
            Some(FileKind::Properties)
        );
        assert_eq!(
            classify("", "application-prod.properties"),
            Some(FileKind::Properties)
        );
        assert_eq!(classify("", "authentication.properties"), None);
        assert_eq!(classify("", "application.yml"), None);
    }
}
