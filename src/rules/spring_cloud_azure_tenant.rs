//! A Spring Cloud Azure (or azure-spring-boot) resource server whose tenant setting lets tokens
//! of any tenant in, or rejects every token.
//!
//! upstream: Azure/azure-sdk-for-java sdk/spring/spring-cloud-azure-autoconfigure/.../aad/configuration/AadResourceServerConfiguration.java
//! (hardened releases: start-up `IllegalArgumentException` for a common / organizations /
//! consumers tenant, and a `tid` claim validator comparing the token's tenant id with
//! `profile.tenant-id`; earlier releases: `new AadJwtIssuerValidator()`, a host-prefix issuer
//! check), sdk/spring/azure-spring-boot/.../aad/AADJwtIssuerValidator.java (3.x: host prefix).

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::values::{TenantKind, tenant_kind};
use crate::model::{Framework, Role};

pub static RULE: Rule = Rule {
    id: "spring-cloud-azure-tenant",
    doc: include_str!("../../rules/spring-cloud-azure-tenant.md"),
    check: Check::App(check),
};

/// The starter runs its resource server: `application-type` says so, or, unsaid, an App ID
/// URI is configured for the audience check.
fn serves_api(ctx: &AppContext) -> bool {
    match ctx.app.role {
        Role::WebApi => true,
        Role::Unknown => ctx.app.value("app-id-uri").is_some(),
        _ => false,
    }
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    if !serves_api(ctx) {
        return;
    }
    match ctx.app.framework {
        Framework::SpringCloudAzureAad => spring_cloud_azure(ctx, out),
        Framework::AzureSpringBootAad => out.push(
            RULE.diagnostic(
                ctx.app.location(),
                "azure-spring-boot 3.x's resource server checks a token's issuer by host only (login.microsoftonline.com, sts.windows.net, sts.chinacloudapi.cn), never its tenant: a token any Entra tenant issues for this app's audience is accepted",
            )
            .with_help("move to Spring Cloud Azure (spring.cloud.azure.active-directory) with profile.tenant-id set to your Directory (tenant) ID, on a release that checks the tenant"),
        ),
        _ => {}
    }
}

fn spring_cloud_azure(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(setting) = ctx.app.setting("tenant-id") else {
        return;
    };
    let Some(tenant) = usable(setting) else {
        return;
    };
    match tenant_kind(tenant) {
        TenantKind::Common | TenantKind::Organizations | TenantKind::Consumers => out.push(
            RULE.at(
                setting,
                format!(
                    "`{}` is '{tenant}': releases of Spring Cloud Azure that check the issuer by host only accept a token of any tenant, and releases that check the tenant refuse to start (\"For resource server, 'spring.cloud.azure.active-directory.profile.tenant-id' cannot be null, empty, or set to 'common', 'organizations', or 'consumers'\")",
                    setting.key
                ),
            )
            .with_severity(Severity::Error)
            .with_help("set profile.tenant-id to your Directory (tenant) ID"),
        ),
        TenantKind::Domain => out.push(
            RULE.at(
                setting,
                format!(
                    "`{}` names the tenant by its domain '{tenant}': releases of Spring Cloud Azure that check the tenant compare each token's tid claim, always the tenant id, with it, so every token fails with \"The tid claim is not valid\"",
                    setting.key
                ),
            )
            .with_help("use the Directory (tenant) ID GUID from the tenant's Overview page"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::gateway_app;
    use crate::rules::findings_of;

    fn found(framework: Framework, role: Role, options: &[(&str, &str)]) -> Vec<Diagnostic> {
        let mut app = gateway_app(framework, options);
        app.role = role;
        findings_of(check, &app)
    }

    #[test]
    fn reserved_tenants_on_a_resource_server() {
        let found = found(
            Framework::SpringCloudAzureAad,
            Role::WebApi,
            &[("tenant-id", "organizations")],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("refuse to start"));
    }

    #[test]
    fn a_domain_tenant_fails_the_tid_check() {
        let found = found(
            Framework::SpringCloudAzureAad,
            Role::Unknown,
            &[
                ("tenant-id", "contoso.onmicrosoft.com"),
                ("app-id-uri", "api://a"),
            ],
        );
        assert!(found[0].message.contains("The tid claim is not valid"));
    }

    #[test]
    fn web_apps_may_sign_in_any_tenant_and_guids_are_fine() {
        assert!(
            found(
                Framework::SpringCloudAzureAad,
                Role::WebApp,
                &[("tenant-id", "common")]
            )
            .is_empty()
        );
        assert!(
            found(
                Framework::SpringCloudAzureAad,
                Role::Unknown,
                &[("tenant-id", "common")]
            )
            .is_empty()
        );
        assert!(
            found(
                Framework::SpringCloudAzureAad,
                Role::WebApi,
                &[("tenant-id", "8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94")]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_legacy_resource_server_accepts_any_tenant() {
        let found = found(
            Framework::AzureSpringBootAad,
            Role::Unknown,
            &[
                ("tenant-id", "8d2e4b3a-6c1f-4e0a-9b7d-2f5c8a1e3d94"),
                ("app-id-uri", "api://a"),
            ],
        );
        assert!(found[0].message.contains("by host only"));
    }
}
