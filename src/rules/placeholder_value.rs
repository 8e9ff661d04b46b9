//! A value is a sample or template placeholder that was never replaced.

use super::support::{Failure, is_secret_key};
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::placeholder_reason;
use crate::model::App;

pub static RULE: Rule = Rule {
    id: "placeholder-value",
    doc: include_str!("../../rules/placeholder-value.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings() {
        // A value code composed from several keys (`string.Format(ida:AADInstance, ida:Tenant)`):
        // each key is reported where it is written, once.
        let composed = ctx
            .app
            .config
            .get(&setting.key)
            .is_some_and(|raw| raw.origin == setting.origin && raw.value != setting.value);
        if composed {
            continue;
        }
        let Some(reason) = placeholder_reason(&setting.value) else {
            continue;
        };
        // Keys no modelled framework reads for sign-in or token validation (a Redis endpoint,
        // a group id, a test tenant): a placeholder there fails something else, not this.
        let Some((consequence, failure)) = consequence(&setting.key, is_b2c(ctx.app)) else {
            continue;
        };
        // In the stack's own words where the failure is the framework's (IDX10214 for .NET,
        // "jwt audience is invalid" for passport, ...).
        let consequence = match failure {
            Some(failure) => consequence.replace("{error}", ctx.error_for(failure)),
            None => consequence.to_string(),
        };
        let shown = if is_secret_key(&setting.key) {
            String::new()
        } else {
            format!(" '{}'", setting.value.trim())
        };
        out.push(
            RULE.at(
                setting,
                format!(
                    "`{}`{shown} is a placeholder ({reason}): {consequence}",
                    setting.key,
                ),
            )
            .with_help("replace it with the value from the app registration, or supply it from an environment layer or a secret store"),
        );
    }
    for api in ctx.app.downstream.iter() {
        let mut reported: Vec<crate::source::Location> = Vec::new();
        for (scope, setting) in &api.scopes {
            if reported.contains(&setting.origin) {
                continue;
            }
            // `[Enter your scope]` is split into words like a scope list: report the value once.
            let (shown, reason) = match placeholder_reason(&setting.value) {
                Some(reason) => {
                    reported.push(setting.origin);
                    (setting.value.trim(), reason)
                }
                None => match placeholder_reason(scope) {
                    Some(reason) => (scope.as_str(), reason),
                    None => continue,
                },
            };
            out.push(
                RULE.at(setting, format!("scope '{shown}' of `{}` is a placeholder ({reason}): token requests fail with AADSTS70011 (the scope is not valid)", api.section))
                    .with_help("use a scope of the API you call, e.g. api://<api-client-id>/.default"),
            );
        }
    }
}

/// The app signs users in or validates tokens of Azure AD B2C: a user flow is configured.
fn is_b2c(app: &App) -> bool {
    app.value("SignUpSignInPolicyId").is_some()
        || app
            .settings()
            .any(|s| s.key.eq_ignore_ascii_case("ida:SignUpSignInPolicyId") && s.text().is_some())
}

/// What a placeholder left in the option `key` does at run time (array items by their list),
/// or `None` when no modelled framework reads the key for sign-in or token validation.
/// upstream: AzureAD/microsoft-identity-web src/Microsoft.Identity.Web.TokenAcquisition/
/// AuthorityHelpers.cs (`BuildAuthority`: `Domain` names the tenant only for B2C, otherwise
/// `TenantId` does).
/// The text holds `{error}` where the framework's own error for the failure goes.
fn consequence(key: &str, b2c: bool) -> Option<(&'static str, Option<Failure>)> {
    let name = (key.rsplit(':'))
        .find(|part| !part.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(key);
    named_consequence(name, b2c).or_else(|| {
        // Dotted kebab-case property names (Spring's `azure.activedirectory.client-id`).
        let last = name.rsplit('.').next().unwrap_or(name);
        let last = last.split('[').next().unwrap_or(last);
        named_consequence(&last.replace('-', ""), b2c)
    })
}

fn named_consequence(name: &str, b2c: bool) -> Option<(&'static str, Option<Failure>)> {
    let lower = name.to_ascii_lowercase();
    let tenant = "the authority names no tenant Entra ID knows: AADSTS90002 (tenant not found) and the metadata request fails (IDX20803)";
    let framework_error = |text, failure| Some((text, Some(failure)));
    let fixed: &'static str = match lower.as_str() {
        _ if is_secret_key(name) => {
            "every token request with this credential fails with AADSTS7000215 (invalid client secret provided)"
        }
        "clientid" | "client_id" | "app_client_id" | "appid" | "applicationid" => {
            return framework_error(
                "sign-in fails with AADSTS700016 (application not found in the directory) and tokens never match the expected audience ({error})",
                Failure::Audience,
            );
        }
        // B2C tenant names of the Node and Python samples (`tenantName`, `B2C_TENANT_NAME`,
        // fastapi-azure-auth's `TENANT_NAME`) make the authority's host.
        "tenantid" | "tenant" | "--azure-tenant" | "tenant_id" | "tenantname" | "tenant_name"
        | "b2c_tenant_name" => tenant,
        "domain" if b2c => tenant,
        "instance" | "authority" | "metadataaddress" | "aadinstance" | "oidc_issuer_url"
        | "openidissuer" | "issueruri" | "jwkseturi" | "baseuri" => {
            return framework_error("the metadata request fails ({error})", Failure::Metadata);
        }
        "audience" | "validaudience" | "audiences" | "validaudiences" | "appiduri" => {
            return framework_error(
                "no token carries this audience, so every token fails with {error}",
                Failure::Audience,
            );
        }
        "validissuer" | "validissuers" | "issuer" | "issuers" => {
            return framework_error(
                "no token carries this issuer, so every token fails with {error}",
                Failure::Issuer,
            );
        }
        "signupsigninpolicyid" => "no such user flow exists: the metadata request fails (IDX20803)",
        "resetpasswordpolicyid" | "editprofilepolicyid" => {
            "no such user flow exists: the flow fails when a user starts it (its metadata request fails, IDX20803)"
        }
        // Microsoft.Identity.Web `AllowedTenants`, oauth2-proxy `entra_id_allowed_tenants`.
        "allowedtenants" | "entra_id_allowed_tenants" => {
            "no token comes from this tenant, so tokens of the real tenants are rejected as not allowed"
        }
        _ if lower.contains("scope") => {
            "token requests fail with AADSTS70011 (the scope is not valid)"
        }
        _ => return None,
    };
    Some((fixed, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::tests_support::section_app;
    use crate::model::Framework;

    fn messages(json: &str) -> Vec<String> {
        let app = section_app(Framework::MicrosoftIdentityWeb, "AzureAd", json, None);
        let out = crate::rules::findings_of(check, &app);
        out.into_iter().map(|d| d.message).collect()
    }

    // upstream: AzureAD/microsoft-identity-web src/Microsoft.Identity.Web.TokenAcquisition/
    // AuthorityHelpers.cs: BuildAuthority uses `Domain` only when the options are B2C.
    #[test]
    fn domain_names_the_tenant_only_for_b2c() {
        let entra = r#"{"AzureAd": {"Instance": "https://login.microsoftonline.com/", "TenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ClientId": "06051593-1954-4e1f-a75f-7e5de243aeff", "Domain": "qualified.domain.name"}}"#;
        assert!(messages(entra).is_empty(), "{:?}", messages(entra));
        let b2c = r#"{"AzureAd": {"Instance": "https://contoso.b2clogin.com/", "ClientId": "06051593-1954-4e1f-a75f-7e5de243aeff", "Domain": "qualified.domain.name", "SignUpSignInPolicyId": "B2C_1_susi"}}"#;
        let found = messages(b2c);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("AADSTS90002"), "{}", found[0]);
    }

    #[test]
    fn keys_no_framework_reads_for_validation_are_not_reported() {
        for key in [
            "ida:CacheConnection",
            "ida:RedisEndpoint",
            "ida:RedisAccessKey",
            "ida:ClientIdSqlAadApp",
            "ida:TenantAutoTest",
            "ida:RedirectUri",
            "Groups:Admin",
            "ClientCertificates",
        ] {
            assert_eq!(consequence(key, false), None, "{key}");
        }
    }

    #[test]
    fn each_read_key_names_its_own_failure() {
        assert!(
            consequence("AzureAd:ClientSecret", false)
                .unwrap()
                .0
                .contains("AADSTS7000215")
        );
        assert!(
            consequence("ida:ClientId", false)
                .unwrap()
                .0
                .contains("AADSTS700016")
        );
        assert!(
            consequence("ida:Tenant", false)
                .unwrap()
                .0
                .contains("AADSTS90002")
        );
        assert!(
            consequence("AzureAd:Instance", false)
                == Some((
                    "the metadata request fails ({error})",
                    Some(Failure::Metadata)
                ))
        );
        assert!(
            consequence("ida:Audience", false)
                .is_some_and(|(_, failure)| failure == Some(Failure::Audience))
        );
        assert!(
            consequence("TodoList:Scopes:0", false)
                .unwrap()
                .0
                .contains("AADSTS70011")
        );
        assert!(
            consequence("ida:ResetPasswordPolicyId", true)
                .is_some_and(|(c, _)| c.contains("user flow"))
        );
        assert!(
            consequence("AzureAd:AllowedTenants:0", false)
                .is_some_and(|(c, _)| c.contains("not allowed"))
        );
    }
}
