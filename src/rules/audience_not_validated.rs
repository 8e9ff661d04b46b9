//! A web API or gateway that validates no audience: every token its keys verify passes,
//! whichever application it was issued for. Which settings would turn the check on is each
//! stack's word (`Failure::NoAudience`); stacks without one report it by rules of their own
//! (validation-disabled, bound-scheme-unvalidated, apim-no-audience).

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::identity_url::Family;
use crate::infer::{AudienceCheck, IssuerCheck};
use crate::model::Role;

pub static RULE: Rule = Rule {
    id: "audience-not-validated",
    doc: include_str!("../../rules/audience-not-validated.md"),
    check: Check::App(check),
};

/// `{what}: every token {origin} passes, whichever application ...`: what every rule about an
/// unchecked audience says the consequence is.
pub(super) fn any_application_passes(what: &str, origin: &str) -> String {
    format!(
        "{what}: every token {origin} passes, whichever application it was issued for: a token another API of the tenant was given is accepted here"
    )
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let (app, inference) = (ctx.app, ctx.inference);
    // Tokens of an identity provider this tool knows, validated for an API.
    if !matches!(app.role, Role::WebApi | Role::Gateway)
        || inference.family == Family::Unknown
        || inference.audience_check != AudienceCheck::Disabled
    {
        return;
    }
    let Some(setting) = crate::stacks::error_text(app.framework, Failure::NoAudience) else {
        return;
    };
    // A singular `audience` where the framework binds only a list (Spring Boot's
    // `...jwt.audience`): projects read it in code for a validator of their own, which
    // configuration does not show.
    if app.setting("audience").is_some() {
        return;
    }
    let keys = match ctx.keys_address() {
        "" => "its keys verify".to_string(),
        keys => format!("signed with the keys of '{keys}'"),
    };
    let diagnostic = if inference.issuer_check == IssuerCheck::Disabled {
        RULE.diagnostic(
            app.location(),
            format!(
                "{} checks neither issuer nor audience: every token {keys} passes, whichever tenant issued it and whichever application it is for",
                app.section
            ),
        )
        .with_severity(Severity::Error)
        .with_help(format!(
            "set {setting} to this API's client id and App ID URI, and configure your tenant's issuer so that it is checked"
        ))
    } else {
        let origin = match inference.issuers.as_slice() {
            [] => keys,
            [issuer] => format!("issued by '{issuer}'"),
            [issuer, others @ ..] => format!(
                "issued by '{issuer}' (or {} other accepted issuers)",
                others.len()
            ),
        };
        RULE.diagnostic(
            app.location(),
            any_application_passes(&format!("{} checks no audience", app.section), &origin),
        )
        .with_help(format!(
            "set {setting} to this API's client id and App ID URI"
        ))
    };
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::model::Framework;
    use crate::rules::findings_of;

    const TENANT: &str = "8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94";

    fn findings(framework: Framework, role: Role, options: &[(&str, &str)]) -> Vec<Diagnostic> {
        let mut app = gateway_app(framework, options);
        app.role = role;
        findings_of(check, &app)
    }

    fn issuer() -> String {
        format!("https://login.microsoftonline.com/{TENANT}/v2.0")
    }

    fn keys() -> String {
        format!("https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys")
    }

    // upstream: spring-projects/spring-boot JwtDecoderConfiguration.java (an `aud` validator
    // only when `audiences` is not empty)
    #[test]
    fn spring_security_without_audiences() {
        let api = Framework::SpringResourceServer;
        let found = findings(api, Role::WebApi, &[("issuer-uri", &issuer())]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0]
                .message
                .contains(&format!("issued by '{}'", issuer()))
        );
        assert!(
            (found[0].help.as_deref().unwrap())
                .contains("spring.security.oauth2.resourceserver.jwt.audiences")
        );
        let listed = [("issuer-uri", issuer()), ("audiences:0", "a".into())];
        let listed: Vec<(&str, &str)> = listed.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(findings(api, Role::WebApi, &listed).is_empty());
        // A placeholder nothing resolves is still an audience check.
        assert!(
            findings(
                api,
                Role::WebApi,
                &[("issuer-uri", &issuer()), ("audiences:0", "")]
            )
            .is_empty()
        );
        // Another provider's tokens are not ours to judge.
        assert!(
            findings(
                api,
                Role::WebApi,
                &[("issuer-uri", "https://idp.example.com/")]
            )
            .is_empty()
        );
    }

    #[test]
    fn spring_security_singular_audience_is_checked_in_code() {
        let options = [("issuer-uri", issuer()), ("audience", "a".into())];
        let options: Vec<(&str, &str)> = options.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(findings(Framework::SpringResourceServer, Role::WebApi, &options).is_empty());
    }

    // upstream: Azure/azure-sdk-for-java sdk/spring/spring-cloud-azure-autoconfigure/.../aad/
    // configuration/AadResourceServerConfiguration.java (`createDefaultValidator`)
    #[test]
    fn spring_cloud_azure_resource_servers_only() {
        let tenant = ("tenant-id", TENANT);
        let b2c_host = ("base-uri", "https://contoso.b2clogin.com/");
        for (framework, options) in [
            (Framework::SpringCloudAzureAad, vec![tenant]),
            (Framework::SpringCloudAzureAadB2c, vec![b2c_host, tenant]),
        ] {
            let found = findings(framework, Role::WebApi, &options);
            assert_eq!(found.len(), 1, "{framework:?}");
            assert!(found[0].help.as_deref().unwrap().contains("app-id-uri"));
            let mut with_client = options.clone();
            with_client.push(("client-id", "c"));
            assert!(
                findings(framework, Role::WebApi, &with_client).is_empty(),
                "{framework:?}"
            );
        }
        let found = findings(Framework::SpringCloudAzureAad, Role::WebApi, &[tenant]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("(or 5 other accepted issuers)"));
        assert!(findings(Framework::SpringCloudAzureAad, Role::WebApp, &[tenant]).is_empty());
    }

    // upstream: istio/istio pilot/pkg/security/authn/policy_applier.go (rule audiences copied
    // into the jwt_authn provider as they are)
    #[test]
    fn istio_rule_without_audiences() {
        let istio = Framework::IstioRequestAuthentication;
        let rule = [("issuer", issuer()), ("jwksUri", keys())];
        let rule: Vec<(&str, &str)> = rule.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let found = findings(istio, Role::Gateway, &rule);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("JWT rule's `audiences`")
        );
        let mut listed = rule.clone();
        listed.push(("audiences:0", "api://orders"));
        assert!(findings(istio, Role::Gateway, &listed).is_empty());
    }

    // upstream: envoyproxy/envoy api/envoy/extensions/filters/http/jwt_authn/v3/config.proto
    // (`issuer` and `audiences` not checked when empty)
    #[test]
    fn envoy_provider_without_audiences_and_maybe_without_issuer() {
        let envoy = Framework::EnvoyJwtAuthn;
        let common = "https://login.microsoftonline.com/common/discovery/v2.0/keys";
        let found = findings(envoy, Role::Gateway, &[("remote_jwks", common)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(
            found[0]
                .message
                .contains(&format!("the keys of '{common}'"))
        );
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("provider_and_audiences")
        );
        let with_issuer = [("issuer", issuer()), ("remote_jwks", keys())];
        let with_issuer: Vec<(&str, &str)> =
            with_issuer.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let found = findings(envoy, Role::Gateway, &with_issuer);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let mut listed = with_issuer.clone();
        listed.push(("audiences:0", "api://orders"));
        assert!(findings(envoy, Role::Gateway, &listed).is_empty());
    }

    #[test]
    fn stacks_with_rules_of_their_own_are_left_to_them() {
        // An ASP.NET Core scheme bound from configuration without ValidAudiences: reported by
        // bound-scheme-unvalidated; API Management by apim-no-audience.
        assert_eq!(
            crate::stacks::error_text(Framework::AspnetcoreJwtBearer, Failure::NoAudience),
            None
        );
        assert_eq!(
            crate::stacks::error_text(Framework::ApimValidateJwt, Failure::NoAudience),
            None
        );
    }
}
