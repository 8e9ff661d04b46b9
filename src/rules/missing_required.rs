//! Microsoft.Identity.Web refuses to start without ClientId, Instance + TenantId (or Authority),
//! and Domain for B2C: IDW10106.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::versions::PackageVersion;
use crate::model::{App, CodeOrigin, Framework};

pub static RULE: Rule = Rule {
    id: "missing-required",
    doc: include_str!("../../rules/missing-required.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    match ctx.app.framework {
        Framework::Oauth2Proxy => return proxy_issuer(ctx, out),
        Framework::AspnetcoreOpenIdConnect => return openid_connect(ctx, out),
        Framework::AspnetcoreJwtBearer => return jwt_bearer_audience(ctx, out),
        _ => {}
    }
    // A section that does not exist at all is reported once, by missing-section.
    if !ctx.is_identity_web() || !ctx.app.section_exists() {
        return;
    }
    let app = ctx.app;
    // A section is Microsoft.Identity.Web's only when code binds it so, or when it builds an
    // authority the way the library does; `TenantId` and `ClientId` alone are as often a
    // project's own options class (a managed identity, a Graph client), which needs no Instance.
    let bound_by_identity_web = app.code.is_some();
    let builds_authority = ["Instance", "Authority", "SignUpSignInPolicyId"]
        .iter()
        .any(|k| app.setting(k).is_some());
    if !bound_by_identity_web && !builds_authority {
        return;
    }
    let mut required = vec!["ClientId"];
    // Authority in place of Instance + TenantId arrived in Microsoft.Identity.Web 2.8.0
    // (upstream: AzureAD/microsoft-identity-web changelog.md 2.8.0, PR #2160); before it,
    // MergedOptionsValidation demanded Instance whatever Authority said.
    let old_identity_web = identity_web_version(app)
        .filter(|(v, _)| PackageVersion::parse("2.8.0").is_some_and(|first| *v < first))
        .map(|(_, text)| text);
    let authority_note = match &old_identity_web {
        Some(version) if app.value("Authority").is_some() => format!(
            " (Microsoft.Identity.Web {version} reads Authority in place of Instance and TenantId only from 2.8.0)"
        ),
        _ => String::new(),
    };
    if app.value("Authority").is_some() && old_identity_web.is_some() {
        // Validation stops at the first missing option: one finding for one cause.
        required.push("Instance");
    } else if app.value("Authority").is_none() {
        required.push("Instance");
        let b2c = app.value("SignUpSignInPolicyId").is_some();
        required.push(if b2c { "Domain" } else { "TenantId" });
    }
    for key in required {
        if app.value(key).is_some() {
            continue;
        }
        if key == "TenantId"
            && let Some(signal) = b2c_signal(ctx)
        {
            out.push(missing_user_flow(ctx, signal));
            continue;
        }
        let note = if key == "ClientId" {
            ""
        } else {
            authority_note.as_str()
        };
        // An empty value is usually a slot filled in at deployment (user secrets, environment
        // variables); an absent key is an omission.
        let present = app.setting(key);
        let message = format!(
            "`{}:{key}` is {}: Microsoft.Identity.Web stops at startup with \"IDW10106: The '{key}' option must be provided.\"{note}",
            app.section,
            if present.is_some() {
                "empty"
            } else {
                "missing"
            }
        );
        let diagnostic = match present {
            Some(empty) => RULE
                .at(empty, format!("{message} unless a layer outside this repository (environment variables, user secrets) supplies it"))
                .with_severity(Severity::Warning),
            None => RULE.diagnostic(app.location(), message).with_key(format!("{}:{key}", app.section)),
        };
        let help = match key {
            "Domain" => "B2C authorities are built from Domain (e.g. contoso.onmicrosoft.com) and SignUpSignInPolicyId".to_string(),
            "Instance" => "set Instance to the sign-in host, e.g. https://login.microsoftonline.com/, or set Authority".to_string(),
            _ => format!("set `{key}` in this section, or in the environment layer that supplies it"),
        };
        out.push(diagnostic.with_help(help));
    }
}

/// The project's Microsoft.Identity.Web version, parsed and as written.
fn identity_web_version(app: &App) -> Option<(PackageVersion, String)> {
    let package = app.project.as_ref()?.package("Microsoft.Identity.Web")?;
    let text = package.version.clone()?;
    Some((PackageVersion::parse(&text)?, text))
}

/// What makes a section without `SignUpSignInPolicyId` a B2C section all the same.
fn b2c_signal(ctx: &AppContext) -> Option<&'static str> {
    let app = ctx.app;
    if ["ResetPasswordPolicyId", "EditProfilePolicyId"]
        .iter()
        .any(|k| app.value(k).is_some())
    {
        return Some("it names other B2C user flows");
    }
    let b2c_host = app
        .value("Instance")
        .and_then(crate::domain::identity_url::IdentityUrl::parse)
        .is_some_and(|u| u.host.to_ascii_lowercase().ends_with(".b2clogin.com"));
    if b2c_host {
        return Some("its Instance is a b2clogin.com host");
    }
    let named_b2c = app
        .section
        .rsplit(':')
        .next()
        .is_some_and(|name| name.to_ascii_lowercase().contains("b2c"));
    (named_b2c && app.value("Domain").is_some())
        .then_some("the section is named for B2C and has a Domain")
}

/// Microsoft.Identity.Web decides B2C by `SignUpSignInPolicyId` alone (MicrosoftIdentityOptions
/// `IsB2C`), so a B2C section without it is validated as Entra ID and IDW10106 asks for a
/// TenantId: the real cause is the missing user flow.
fn missing_user_flow(ctx: &AppContext, signal: &str) -> Diagnostic {
    let app = ctx.app;
    RULE.diagnostic(
        app.location(),
        format!(
            "`{}:SignUpSignInPolicyId` is missing although {signal}: without a user flow Microsoft.Identity.Web treats the section as Entra ID and stops at startup with \"IDW10106: The 'TenantId' option must be provided.\"",
            app.section
        ),
    )
    .with_key(format!("{}:SignUpSignInPolicyId", app.section))
    .with_help("set SignUpSignInPolicyId to the sign-up/sign-in user flow (e.g. B2C_1_susi); do not add a TenantId")
}

/// The startup code registered the scheme and its options are visible: a section that exists,
/// or options the code assigns.
fn registered_with_visible_options(app: &App) -> Option<&CodeOrigin> {
    let code = app.code.as_ref()?;
    (app.section_exists() || !code.assigned.is_empty()).then_some(code)
}

/// ASP.NET Core's OpenIdConnect handler refuses to start without a way to its metadata or
/// without a client id. upstream: dotnet/aspnetcore
/// src/Security/Authentication/OpenIdConnect/src/OpenIdConnectPostConfigureOptions.cs and
/// OpenIdConnectOptions.cs (`Validate`), pinned by
/// src/Security/Authentication/test/OpenIdConnect/OpenIdConnectConfigurationTests.cs
/// (`ThrowsWhenAuthorityIsMissing`, `ThrowsWhenClientIdIsMissing`).
fn openid_connect(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let Some(code) = registered_with_visible_options(app) else {
        return;
    };
    let given = |names: &[&str]| {
        names
            .iter()
            .any(|n| app.value(n).is_some() || code.assigns(n))
    };
    let locating = [
        "Authority",
        "MetadataAddress",
        "Configuration",
        "ConfigurationManager",
    ];
    if !given(&locating) {
        out.push(
            RULE.diagnostic(code.call, format!(
                "the OpenIdConnect scheme `{}` has no Authority, MetadataAddress or Configuration: ASP.NET Core stops at startup with \"InvalidOperationException: Provide Authority, MetadataAddress, Configuration, or ConfigurationManager to OpenIdConnectOptions\"",
                app.section
            ))
            .with_key(format!("{}:Authority", app.section))
            .with_help("set Authority, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0"),
        );
    }
    if !given(&["ClientId"]) {
        out.push(
            RULE.diagnostic(code.call, format!(
                "the OpenIdConnect scheme `{}` has no ClientId: ASP.NET Core stops at startup with \"ArgumentException: Options.ClientId must be provided (Parameter 'ClientId')\"",
                app.section
            ))
            .with_key(format!("{}:ClientId", app.section))
            .with_help("set ClientId to the application (client) id of the app registration"),
        );
    }
}

/// A JwtBearer scheme configured in code with no audience: `TokenValidationParameters` keeps
/// `ValidateAudience = true` with neither `ValidAudience` nor `ValidAudiences`, so IdentityModel
/// rejects every token with IDX10208. upstream: dotnet/aspnetcore
/// src/Security/Authentication/JwtBearer/src/JwtBearerPostConfigureOptions.cs (`ValidAudience =
/// Audience` only when Audience is set) and AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
/// src/Microsoft.IdentityModel.Tokens/Validators.cs (`ValidateAudience`).
fn jwt_bearer_audience(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    // A bound `Authentication:Schemes` section is judged by bound-scheme-unvalidated.
    let Some(code) = app.code.as_ref() else {
        return;
    };
    if app.section_exists() || code.assigned.is_empty() || !ctx.inference.is_microsoft() {
        return;
    }
    let audience_keys = [
        "Audience",
        "TokenValidationParameters",
        "TokenValidationParameters:ValidAudience",
        "TokenValidationParameters:ValidAudiences",
        "TokenValidationParameters:AudienceValidator",
        "TokenValidationParameters:ValidateAudience",
    ];
    let set = audience_keys
        .iter()
        .any(|k| code.assigned.iter().any(|a| a.eq_ignore_ascii_case(k)));
    if set {
        return;
    }
    out.push(
        RULE.diagnostic(code.call, format!(
            "the JwtBearer scheme `{}` sets no Audience and no TokenValidationParameters.ValidAudience(s): every token fails with \"IDX10208: Unable to validate audience. validationParameters.ValidAudience is null or whitespace and validationParameters.ValidAudiences is null.\"",
            app.section
        ))
        .with_key(format!("{}:Audience", app.section))
        .with_help("set options.Audience (or TokenValidationParameters.ValidAudiences) to the API's client id and/or App ID URI"),
    );
}

/// oauth2-proxy's entra-id, oidc and (since 7.3.0) azure providers verify tokens with the
/// issuer's discovery document: without `oidc_issuer_url` the proxy does not start.
/// upstream: oauth2-proxy/oauth2-proxy providers/providers.go (`providerRequiresOIDCProviderVerifier`
/// lists azure), pkg/providers/oidc/provider_verifier.go (`missing required setting: issuer-url`),
/// pkg/apis/options/legacy_options.go (`azure-tenant` defaults to `common`); before 7.3.0 the
/// azure provider had no verifier (docs/stacks-verified.md §8.1).
fn proxy_issuer(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let Some(provider) = app.setting("provider") else {
        return;
    };
    let name = provider.value.trim().to_ascii_lowercase();
    if !["entra-id", "oidc", "azure"].contains(&name.as_str())
        || app.value("oidc_issuer_url").is_some()
    {
        return;
    }
    let stops = "oauth2-proxy stops at startup with \"missing required setting: issuer-url\"";
    if name == "azure" {
        out.extend(azure_without_issuer(app, provider, stops));
        return;
    }
    let message = format!("provider '{name}' needs oidc_issuer_url: {stops}");
    let diagnostic = match app.setting("oidc_issuer_url") {
        Some(empty) => RULE
            .at(
                empty,
                format!("{message} unless a flag or variable outside this repository supplies it"),
            )
            .with_severity(Severity::Warning),
        None => RULE.at(provider, message),
    };
    out.push(diagnostic.with_help("set oidc_issuer_url to the issuer, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0"));
}

/// The azure provider without an issuer: a start-up failure since 7.3.0; before, sign-in at
/// `azure_tenant` (default `common`, where users of every tenant sign in). The container image
/// tells the version when it names one; otherwise both outcomes are said: an error without a
/// tenant (both are wrong), a warning with one (only current versions fail).
fn azure_without_issuer(
    app: &App,
    provider: &crate::model::Setting,
    stops: &str,
) -> Option<Diagnostic> {
    use crate::stacks::oauth2_proxy::options::image_version;
    let tenant = app
        .value("azure_tenant")
        .filter(|t| !crate::domain::values::tenant_kind(t).is_multi_tenant());
    let image = app.value("image").unwrap_or_default();
    let version = image_version(image);
    let verifier_since = PackageVersion::parse("7.3.0")?;
    let common = "signs users in at the common endpoint (azure_tenant defaults to common), so users of any Entra ID tenant can sign in unless email domains restrict them";
    let (message, severity) = match (&version, tenant) {
        (Some(v), _) if *v >= verifier_since => (
            format!(
                "provider 'azure' without oidc_issuer_url: the image '{image}' is 7.3.0 or later, where {stops}"
            ),
            Severity::Error,
        ),
        (Some(_), Some(_)) => return None,
        (Some(_), None) => (
            format!(
                "provider 'azure' without oidc_issuer_url: the image '{image}' is older than 7.3.0, which {common}"
            ),
            Severity::Error,
        ),
        (None, Some(tenant)) => (
            format!(
                "provider 'azure' without oidc_issuer_url: since 7.3.0 {stops}; before 7.3.0 it signs users in at tenant '{tenant}'"
            ),
            Severity::Warning,
        ),
        (None, None) => (
            format!(
                "provider 'azure' without oidc_issuer_url: since 7.3.0 {stops}; before 7.3.0 it {common}"
            ),
            Severity::Error,
        ),
    };
    Some(
        RULE.at(provider, message)
            .with_severity(severity)
            .with_help("set oidc_issuer_url to your tenant's issuer (https://login.microsoftonline.com/<tenant-id>/v2.0), or use provider entra-id with it"),
    )
}

#[cfg(test)]
mod tests {
    //! upstream: AzureAD/microsoft-identity-web src/Microsoft.Identity.Web.TokenAcquisition/
    //! MergedOptionsValidation.cs (IDW10106 for an option that is null or empty).
    use super::*;
    use crate::infer::tests_support::section_app;

    fn messages(json: &str) -> Vec<(Severity, String)> {
        let app = section_app(Framework::MicrosoftIdentityWeb, "AzureAd", json, None);
        let out = crate::rules::findings_of(check, &app);
        out.into_iter().map(|d| (d.severity, d.message)).collect()
    }

    #[test]
    fn an_empty_key_is_empty_and_an_absent_key_is_missing() {
        let base = r#""Instance": "https://login.microsoftonline.com/", "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93""#;
        let empty = messages(&format!(r#"{{"AzureAd": {{{base}, "ClientId": ""}}}}"#));
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].0, Severity::Warning);
        assert!(
            empty[0].1.starts_with("`AzureAd:ClientId` is empty:"),
            "{}",
            empty[0].1
        );
        let absent = messages(&format!(r#"{{"AzureAd": {{{base}}}}}"#));
        assert_eq!(absent.len(), 1);
        assert!(
            absent[0].1.starts_with("`AzureAd:ClientId` is missing:"),
            "{}",
            absent[0].1
        );
    }
}
