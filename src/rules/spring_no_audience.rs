//! A Spring resource server that checks no audience: any token its keys verify passes.
//!
//! upstream: spring-projects/spring-boot module/spring-boot-security-oauth2-resource-server/.../JwtDecoderConfiguration.java
//! (`audiences` empty: no `aud` validator); Azure/azure-sdk-for-java
//! sdk/spring/spring-cloud-azure-autoconfigure/.../aad/configuration/AadResourceServerConfiguration.java
//! (`createDefaultValidator`: an audience validator only when `app-id-uri` or
//! `credential.client-id` is set; the same in aadb2c).

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::infer::AudienceCheck;
use crate::model::{Framework, Role};

pub static RULE: Rule = Rule {
    id: "spring-no-audience",
    doc: include_str!("../../rules/spring-no-audience.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let (what, help) = match app.framework {
        Framework::SpringResourceServer => (
            "sets no `audiences`, so Spring adds no audience validator",
            "list this API's client id and App ID URI under spring.security.oauth2.resourceserver.jwt.audiences",
        ),
        Framework::SpringCloudAzureAad | Framework::SpringCloudAzureAadB2c => (
            "sets neither `app-id-uri` nor `credential.client-id`, so Spring Cloud Azure adds no audience validator",
            "set credential.client-id (v2.0 tokens) and app-id-uri (v1.0 tokens) to this API's values",
        ),
        _ => return,
    };
    // Tokens of an identity provider this tool knows, validated by a resource server.
    if app.role != Role::WebApi
        || ctx.inference.family == Family::Unknown
        || ctx.inference.audience_check != AudienceCheck::Disabled
    {
        return;
    }
    // The singular key Spring Boot never binds: projects read it with @Value for a validator of
    // their own, which configuration does not show.
    if app.setting("audience").is_some() {
        return;
    }
    out.push(
        RULE.diagnostic(
            app.location(),
            format!(
                "this resource server {what}: every token its keys verify passes, whichever application it was issued for, including Microsoft Graph tokens of the same tenant"
            ),
        )
        .with_help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::rules::findings_of;

    const ISSUER: &str =
        "https://login.microsoftonline.com/8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94/v2.0";

    fn found(framework: Framework, role: Role, options: &[(&str, &str)]) -> usize {
        let mut app = gateway_app(framework, options);
        app.role = role;
        findings_of(check, &app).len()
    }

    #[test]
    fn a_resource_server_without_audiences() {
        assert_eq!(
            found(
                Framework::SpringResourceServer,
                Role::WebApi,
                &[("issuer-uri", ISSUER)]
            ),
            1
        );
        assert_eq!(
            found(
                Framework::SpringResourceServer,
                Role::WebApi,
                &[("issuer-uri", ISSUER), ("audiences:0", "a")]
            ),
            0
        );
        // A placeholder nothing resolves is still an audience check.
        assert_eq!(
            found(
                Framework::SpringResourceServer,
                Role::WebApi,
                &[("issuer-uri", ISSUER), ("audiences:0", "")]
            ),
            0
        );
        // The unbound singular key: the project checks it in code.
        assert_eq!(
            found(
                Framework::SpringResourceServer,
                Role::WebApi,
                &[("issuer-uri", ISSUER), ("audience", "a")]
            ),
            0
        );
        // Another provider's tokens are not ours to judge.
        assert_eq!(
            found(
                Framework::SpringResourceServer,
                Role::WebApi,
                &[("issuer-uri", "https://idp.example.com/")]
            ),
            0
        );
    }

    #[test]
    fn spring_cloud_azure_resource_servers_only() {
        let tenant = ("tenant-id", "8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94");
        assert_eq!(
            found(Framework::SpringCloudAzureAad, Role::WebApi, &[tenant]),
            1
        );
        assert_eq!(
            found(Framework::SpringCloudAzureAad, Role::WebApp, &[tenant]),
            0
        );
        assert_eq!(
            found(
                Framework::SpringCloudAzureAad,
                Role::WebApi,
                &[tenant, ("client-id", "c")]
            ),
            0
        );
    }
}
