//! The Spring stack: Spring Boot configuration (`application*.yml|yaml|properties`, profile
//! files and documents, `SPRING_*` variables) read by Spring Security's resource server and
//! OAuth 2.0 client, Spring Cloud Azure's Entra ID and B2C starters, and the older
//! azure-spring-boot starter. Verified behaviour: docs/stacks-verified.md §1 and §2.

pub mod binding;
pub mod cloud_azure;
pub mod extract;
pub mod security;

use crate::infer::Inference;
use crate::model::{App, Framework, Role, Setting};
use crate::read::{properties, yaml::YamlNode};
use crate::rules::support::Failure;
use crate::source::{FileId, Location};

/// One app a Spring configuration describes, its options keyed the way the models read them.
#[derive(Debug, Clone)]
pub struct SpringApp {
    pub framework: Framework,
    pub role: Role,
    pub file: FileId,
    pub section: String,
    pub at: Location,
    pub environment: Option<String>,
    pub options: Vec<(String, Setting)>,
}

/// The frameworks of this stack.
pub const FRAMEWORKS: &[Framework] = &[
    Framework::SpringResourceServer,
    Framework::SpringOauth2Client,
    Framework::SpringCloudAzureAad,
    Framework::SpringCloudAzureAadB2c,
    Framework::AzureSpringBootAad,
    Framework::AzureSpringBootAadB2c,
];

/// The apps of a Spring YAML file (`application*.yml`), when its name and content are Spring's.
pub fn from_yaml(
    lower_name: &str,
    text: &str,
    documents: &[YamlNode],
    file: FileId,
) -> Vec<SpringApp> {
    let Some(profile) = extract::profile_of_name(lower_name) else {
        return Vec::new();
    };
    if !extract::mentions_spring_identity(text) {
        return Vec::new();
    }
    let entries = extract::yaml_entries(documents);
    extract::apps(
        extract::bind_entries(&entries, file, profile.as_deref()),
        file,
    )
}

/// The apps of a Spring properties file.
pub fn from_properties(lower_name: &str, text: &str, file: FileId) -> Vec<SpringApp> {
    let Some(profile) = extract::profile_of_name(lower_name) else {
        return Vec::new();
    };
    if !extract::mentions_spring_identity(text) {
        return Vec::new();
    }
    let entries = extract::properties_entries(properties::parse(text));
    extract::apps(
        extract::bind_entries(&entries, file, profile.as_deref()),
        file,
    )
}

/// The apps `SPRING_*` (and azure-spring-boot's `AZURE_ACTIVEDIRECTORY_*`) variables configure.
pub fn from_variables(
    variables: &[crate::extract::overrides::Variable],
    file: FileId,
    label: &str,
) -> Vec<SpringApp> {
    let bound = extract::bind_variables(variables, label);
    if bound.is_empty() {
        return Vec::new();
    }
    extract::apps(bound, file)
}

/// The framework model of a Spring app.
pub fn infer(app: &App) -> Inference {
    match app.framework {
        Framework::SpringOauth2Client => security::client(app),
        Framework::SpringCloudAzureAad => cloud_azure::active_directory(app),
        Framework::AzureSpringBootAad => cloud_azure::legacy_active_directory(app),
        Framework::SpringCloudAzureAadB2c | Framework::AzureSpringBootAadB2c => {
            cloud_azure::b2c(app)
        }
        _ => security::resource_server(app),
    }
}

/// What Spring reports for a failure. Spring Security wraps every validation failure in
/// "An error occurred while attempting to decode the Jwt: ..." (upstream: spring-security
/// oauth2/oauth2-jose/.../jwt/NimbusJwtDecoder.java; the claim texts come from
/// JwtIssuerValidator / JwtClaimValidator, the key text from nimbus-jose-jwt DefaultJWTProcessor).
pub fn error_text(framework: Framework, failure: Failure) -> Option<&'static str> {
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
            "Unable to resolve the Configuration with the provided Issuer"
        }
        Failure::Metadata => {
            "Spring cannot load the signing keys: every request fails with \"An error occurred while attempting to decode the Jwt\""
        }
        // upstream: JwtDecoderProviderConfigurationUtils.validateIssuer (discovery) and
        // JwtIssuerValidator (each token)
        Failure::Issuer if discovers => {
            "The Issuer ... provided in the configuration did not match the requested issuer / The iss claim is not valid"
        }
        Failure::Issuer => "The iss claim is not valid",
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
    fn unrelated_files_are_not_parsed() {
        assert!(
            from_properties("application.properties", "server.port=8080\n", FileId(0)).is_empty()
        );
        assert!(
            from_properties(
                "authentication.properties",
                "aad.authority=https://login.microsoftonline.com/common/\n",
                FileId(0)
            )
            .is_empty()
        );
    }
}
