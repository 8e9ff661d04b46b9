//! The verdict of one app on one token: every reason its framework would refuse it, each with
//! the rule of `check` that describes the same mistake in the configuration, where one does.
//! Comparisons follow each framework's own code (cited where used); the expected issuers,
//! audiences and metadata come from the app's inference, as `inspect` prints them.

use super::classify::{CLOCK_SKEW_SECONDS, Lifetime, TokenFacts, duration, utc};
use super::keys::SignatureCheck;
use crate::domain::identity_url::{Family, IdentityUrl, is_b2c_custom_policy};
use crate::domain::values::{placeholder_reason, tenant_kind};
use crate::infer::IssuerCheck;
use crate::model::{Framework, Role};
use crate::rules::AppContext;
use crate::rules::support::Failure;
use crate::rules::{
    audience_token_version, b2c_entra_metadata, b2c_policy_mismatch, ciam_entra_metadata,
    graph_audience, missing_required, multitenant_exact_issuer, placeholder_value,
    saml_appid_missing,
};
use crate::stacks::dotnet::identity_web::validator_issuers;

/// One reason an app refuses the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The `check` rule that reports the same mistake in the configuration, if there is one.
    pub rule: Option<&'static str>,
    pub message: String,
}

impl Reason {
    fn new(rule: Option<&'static str>, message: String) -> Self {
        Reason { rule, message }
    }
}

/// Every reason the app of `ctx` refuses the token; none means nothing in the configuration
/// refuses it (and, with saved keys, its signature verifies).
pub fn judge(ctx: &AppContext, token: &TokenFacts, signature: &SignatureCheck) -> Vec<Reason> {
    let mut reasons = Vec::new();
    placeholders(ctx, &mut reasons);
    signing_keys(ctx, token, &mut reasons);
    saved_keys(ctx, token, signature, &mut reasons);
    issuer(ctx, token, &mut reasons);
    audience(ctx, token, &mut reasons);
    lifetime(ctx, token, &mut reasons);
    reasons
}

/// Sample placeholders left in the settings that locate keys or name what tokens must carry.
fn placeholders(ctx: &AppContext, out: &mut Vec<Reason>) {
    let inference = ctx.inference;
    let locating = inference.metadata_sources.iter();
    let expecting = (inference.audience_settings.iter())
        .chain(&inference.issuer_settings)
        .chain(ctx.app.setting("ClientId"));
    let mut seen: Vec<&str> = Vec::new();
    for (setting, locates) in locating
        .map(|s| (s, true))
        .chain(expecting.map(|s| (s, false)))
    {
        let Some(value) = setting.text() else {
            continue;
        };
        let Some(why) = placeholder_reason(value) else {
            continue;
        };
        if seen.contains(&setting.key.as_str()) {
            continue;
        }
        seen.push(&setting.key);
        let consequence = if locates {
            "the metadata address built from it cannot be loaded, so every token fails (IDX20803: unable to obtain configuration)"
        } else {
            "no token carries it, so every token fails (IDX10214 / IDX10205)"
        };
        out.push(Reason::new(
            Some(placeholder_value::RULE.id),
            format!(
                "`{}` '{value}' is a placeholder ({why}): {consequence}",
                setting.key
            ),
        ));
    }
}

/// Entra ID, B2C and External ID sign with different keys: a token only validates against
/// metadata of its own family.
fn signing_keys(ctx: &AppContext, token: &TokenFacts, out: &mut Vec<Reason>) {
    let inference = ctx.inference;
    if inference.metadata_address.is_none() && inference.jwks_uri.is_none() {
        out.push(Reason::new(
            None,
            "the configuration gives this app no metadata address or signing keys, so it has nothing to validate the token's signature with (IDX10500: signature validation failed, no security keys were provided)".to_string(),
        ));
        return;
    }
    let keys_family = match ctx.metadata_family() {
        Family::Unknown => inference.family,
        family => family,
    };
    if keys_family == token.family {
        b2c_policy_keys(ctx, token, out);
        return;
    }
    let rule = match (token.family, keys_family) {
        (Family::B2c, Family::Entra) | (Family::Entra, Family::B2c) => {
            Some(b2c_entra_metadata::RULE.id)
        }
        (Family::Ciam, Family::Entra) | (Family::Entra, Family::Ciam) => {
            Some(ciam_entra_metadata::RULE.id)
        }
        _ => None,
    };
    let issued_by = match (&token.policy, token.family) {
        (Some(policy), Family::B2c) => format!("Azure AD B2C (policy '{policy}')"),
        (_, Family::Unknown) => format!("'{}'", token.issuer.as_deref().unwrap_or("(no issuer)")),
        (_, family) => family.display_name().to_string(),
    };
    let keys_from = match keys_family {
        Family::Unknown => "another provider's".to_string(),
        family => family.display_name().to_string(),
    };
    let location = inference
        .metadata_address
        .as_deref()
        .or(inference.jwks_uri.as_deref())
        .unwrap_or_default();
    out.push(Reason::new(
        rule,
        format!(
            "the token was issued by {issued_by}, but this app loads its signing keys from {keys_from} metadata '{location}': they are other keys and another issuer, so validation fails (IDX10501/IDX10503 unable to match key, IDX10205)"
        ),
    ));
}

/// A custom policy and a user flow sign with different keys (b2c-policy-mismatch); user flows
/// of one tenant share its keys and issuer.
fn b2c_policy_keys(ctx: &AppContext, token: &TokenFacts, out: &mut Vec<Reason>) {
    let (Some(theirs), Some(ours)) = (token.policy.as_deref(), ctx.inference.policy.as_deref())
    else {
        return;
    };
    if token.family != Family::B2c || is_b2c_custom_policy(theirs) == is_b2c_custom_policy(ours) {
        return;
    }
    out.push(Reason::new(
        Some(b2c_policy_mismatch::RULE.id),
        format!(
            "the token comes from B2C policy '{theirs}', and this app loads the keys of policy '{ours}' from '{}': a custom policy and a user flow sign with different keys, so the token fails signature validation (IDX10501 / IDX10503)",
            ctx.metadata_address()
        ),
    ));
}

/// What the saved key documents (`--keys`) say.
fn saved_keys(
    ctx: &AppContext,
    token: &TokenFacts,
    signature: &SignatureCheck,
    out: &mut Vec<Reason>,
) {
    match signature {
        SignatureCheck::NotChecked | SignatureCheck::Verified { .. } => {}
        SignatureCheck::Unsupported { alg } => out.push(Reason::new(
            None,
            format!(
                "the token is signed with '{alg}', and Entra ID, Azure AD B2C and External ID keys are RS256 keys: no key from the app's metadata validates it (IDX10503 / IDX10511)"
            ),
        )),
        SignatureCheck::Failed { key, file } => out.push(Reason::new(
            None,
            format!(
                "the signature does not verify with key '{key}' from {file}: the token was altered, or signed by another key under the same id (IDX10511: signature validation failed)"
            ),
        )),
        SignatureCheck::KeyAbsent { kid, x5t, searched } => {
            let named = match (kid, x5t) {
                (Some(kid), Some(x5t)) if kid != x5t => format!("kid '{kid}', x5t '{x5t}'"),
                (Some(kid), _) => format!("kid '{kid}'"),
                (None, Some(x5t)) => format!("x5t '{x5t}'"),
                (None, None) => "no kid".to_string(),
            };
            let family = match token.family {
                Family::Unknown => "its issuer's".to_string(),
                family => format!("{}'s", family.display_name()),
            };
            let client_id = ctx.client_id().unwrap_or("<client-id>");
            let appid_missing = ctx
                .inference
                .metadata_url()
                .is_some_and(|u| u.info.is_identity_host() && u.query_param("appid").is_none());
            let keys = ctx.inference.jwks_uri.as_deref().unwrap_or("the app's jwks_uri");
            // The two explanations of a key missing from published metadata.
            let mut message = format!(
                "none of the {searched} saved key(s) has the token's {named}, so validation fails with IDX10503 / IDX10501 (unable to match key). Either the keys are another family's: Entra ID, Azure AD B2C and External ID sign with different keys, and this token needs {family} keys, which this app loads from {keys}"
            );
            if appid_missing {
                message.push_str(&format!(
                    "; or the app registration signs its tokens with its own SAML/custom certificate, whose key is only published with ?appid={client_id} (save {keys}?appid={client_id} and set the metadata address to '{}?appid={client_id}')",
                    ctx.metadata_address()
                ));
            } else {
                message.push_str(
                    "; or the keys were saved from another address than the app's, or before the key rolled over",
                );
            }
            let rule = (appid_missing && ctx.metadata_family() == token.family)
                .then_some(saml_appid_missing::RULE.id);
            out.push(Reason::new(rule, message));
        }
    }
}

/// How a framework compares the token's `iss`.
fn issuer(ctx: &AppContext, token: &TokenFacts, out: &mut Vec<Reason>) {
    let inference = ctx.inference;
    if inference.issuer_check == IssuerCheck::Disabled || inference.issuers.is_empty() {
        return;
    }
    let Some(iss) = token.issuer.as_deref() else {
        out.push(Reason::new(
            None,
            "the token has no `iss` claim: every issuer check refuses it (IDX10211)".to_string(),
        ));
        return;
    };
    let configured: Vec<&str> = inference
        .issuer_settings
        .iter()
        .filter_map(|s| s.text())
        .collect();
    let app_tenant = inference.tenant.as_deref().unwrap_or_default();
    let multi_tenant = tenant_kind(app_tenant).is_multi_tenant();
    let mut expected = inference.issuers.clone();
    // AadIssuerValidator loads the v1.0 or the v2.0 metadata after the token's issuer form, so
    // both forms of an Entra tenant's issuer pass.
    // upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
    // src/Microsoft.IdentityModel.Validators/AadIssuerValidator/AadIssuerValidator.cs
    // (GetEffectiveConfigurationManager, IsValidIssuer)
    if inference.issuer_check == IssuerCheck::AadIssuerValidator
        && inference.family == Family::Entra
    {
        for form in validator_issuers(
            Family::Entra,
            inference.cloud,
            inference.tenant.as_deref(),
            None,
        ) {
            if !expected.contains(&form) {
                expected.push(form);
            }
        }
    }
    // JwtBearer adds the metadata's issuer to ValidIssuers, which IdentityModel compares
    // ordinally (Validators.ValidateIssuer).
    // upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs
    let tenant = token.tenant.as_deref().unwrap_or_default();
    let accepts = |candidate: &String| {
        if !candidate.contains("{tenantid}") {
            // Ordinal, case-sensitive: Validators.ValidateIssuer and AadIssuerValidator alike.
            return candidate == iss;
        }
        let substituted = match inference.issuer_check {
            IssuerCheck::AadIssuerValidator => true,
            // How the template is matched is not documented: no rejection is claimed.
            IssuerCheck::Undocumented => true,
            // An exact comparer sees the template literally when the metadata states it
            // (common/organizations) or the user wrote it; for a tenant named by its domain the
            // template only stands for the tenant id entralint cannot know offline.
            _ => !multi_tenant && !configured.contains(&candidate.as_str()),
        };
        substituted && !tenant.is_empty() && candidate.replace("{tenantid}", tenant) == iss
    };
    if expected.iter().any(accepts) {
        return;
    }
    let framework = ctx.app.framework.display_name();
    let error = match inference.issuer_check {
        IssuerCheck::AadIssuerValidator if ctx.app.framework != Framework::Oauth2Proxy => {
            "IDX40001: issuer does not match any of the valid issuers"
        }
        _ => ctx.error_for(Failure::Issuer),
    };
    if inference.issuer_check == IssuerCheck::Exact
        && multi_tenant
        && configured.is_empty()
        && inference.family == Family::Entra
    {
        out.push(Reason::new(
            Some(multitenant_exact_issuer::RULE.id),
            format!(
                "'{app_tenant}' metadata states the issuer template https://{}/{{tenantid}}/v2.0, which {framework} compares with the token's issuer '{iss}' character for character: it fails with {error}",
                inference.cloud.v2_issuer_host()
            ),
        ));
        return;
    }
    let mut why = issuer_difference(iss, token, &expected);
    if let Some(assumed) = assumption(ctx.app.framework) {
        why.push_str("; ");
        why.push_str(assumed);
    }
    out.push(Reason::new(
        None,
        format!(
            "the token's issuer '{iss}' is not one {framework} accepts ({}), so it fails with {error}{why}",
            expected.join(", ")
        ),
    ));
}

/// App Service authentication (Easy Auth) is closed source, and Microsoft Learn documents only
/// its Issuer URL setting, not how it compares a token's issuer with it.
/// docs: https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad
/// ("Issuer URL": `<authentication-endpoint>/<tenant-id>/v2.0`, or the legacy
/// `https://sts.windows.net/<tenant-id>/` of the express setup)
pub const EASY_AUTH_ISSUER_ASSUMED: &str = "App Service authentication is closed source and Microsoft Learn documents only its Issuer URL (https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad), not how it compares issuers: entralint assumes it accepts either issuer form of the configured tenant, as IdentityModel's AadIssuerValidator does";

/// What a verdict on this framework assumes rather than knows from its source.
pub fn assumption(framework: Framework) -> Option<&'static str> {
    (framework == Framework::AppServiceAuth).then_some(EASY_AUTH_ISSUER_ASSUMED)
}

/// What tells the token's issuer from the closest expected one: the tenant, the v1.0/v2.0
/// form, a trailing slash.
fn issuer_difference(iss: &str, token: &TokenFacts, expected: &[String]) -> String {
    let Some(actual) = IdentityUrl::parse(iss) else {
        return String::new();
    };
    let actual_shape = actual.shape();
    for candidate in expected {
        let Some(url) = IdentityUrl::parse(candidate) else {
            continue;
        };
        let shape = url.shape();
        if url.family() != actual.family() {
            continue;
        }
        let (Some(theirs), Some(ours)) = (&actual_shape.tenant, &shape.tenant) else {
            continue;
        };
        if !theirs.eq_ignore_ascii_case(ours) && !ours.contains("{tenantid}") {
            return format!(
                "; it was issued by tenant '{theirs}', and the app accepts tenant '{ours}'"
            );
        }
        if actual.host != url.host || actual_shape.v2_segments != shape.v2_segments {
            let version = token.version.as_deref().unwrap_or("1.0");
            return format!(
                "; it is the v{version} form of the tenant's issuer, and the app registration's accessTokenAcceptedVersion decides which form tokens carry"
            );
        }
        if iss.trim_end_matches('/') == candidate.trim_end_matches('/') {
            return "; they differ only by the trailing slash, which the comparison does not ignore".to_string();
        }
    }
    String::new()
}

/// How a framework compares the token's `aud`.
fn audience(ctx: &AppContext, token: &TokenFacts, out: &mut Vec<Reason>) {
    let client_id = ctx.client_id();
    if token.graph {
        let graph = token
            .audiences
            .iter()
            .find(|a| crate::domain::graph::is_graph_audience(a))
            .map(String::as_str)
            .unwrap_or_default();
        let own = client_id.map_or("api://<client-id>/.default".to_string(), |id| {
            format!("api://{id}/.default or one of its scopes")
        });
        out.push(Reason::new(
            Some(graph_audience::RULE.id),
            format!(
                "the token's audience '{graph}' is Microsoft Graph: only Graph can validate Graph tokens, so this API fails with IDX10511 (signature invalid) or IDX10214 (audience); the client must request this API's scope ({own}), not a Graph scope such as User.Read"
            ),
        ));
        return;
    }
    if ctx.validation_switched_off("ValidateAudience").is_some() {
        return;
    }
    let framework = ctx.app.framework;
    let inference = ctx.inference;
    let identity_web_default = framework == Framework::MicrosoftIdentityWeb
        && ctx.app.role != Role::WebApp
        && inference
            .audience_settings
            .iter()
            .all(|s| s.text().is_none());
    let expected: Vec<String> = if identity_web_default {
        // Without Audience or ValidAudience(s), Microsoft.Identity.Web expects the client id in
        // v2.0 and B2C tokens and api://{ClientId} in v1.0 tokens, and nothing else.
        // upstream: AzureAD/microsoft-identity-web
        // src/Microsoft.Identity.Web/Resource/RegisterValidAudience.cs (ValidateAudience)
        let Some(id) = client_id else {
            // A placeholder is reported as such above.
            if ctx
                .app
                .setting("ClientId")
                .is_none_or(|s| s.text().is_none())
            {
                out.push(Reason::new(
                    Some(missing_required::RULE.id),
                    "Microsoft.Identity.Web has no ClientId, the audience it expects by default: the app fails with IDW10106 (the 'ClientId' option must be provided)".to_string(),
                ));
            }
            return;
        };
        // The `ver` claim itself decides, not a version guessed from the issuer.
        match token.claimed_version() {
            _ if inference.family == Family::B2c => vec![id.to_string()],
            Some("2.0") => vec![id.to_string()],
            Some("1.0") => vec![format!("api://{id}")],
            claimed => {
                let found =
                    claimed.map_or("no 'ver' claim".to_string(), |v| format!("'ver' is '{v}'"));
                out.push(Reason::new(
                    None,
                    format!(
                        "Microsoft.Identity.Web sets the audience it expects by default only for tokens whose 'ver' claim is 1.0 or 2.0 (or for B2C), and this token has {found}: with no Audience or ValidAudiences configured it fails with IDX10208 (unable to validate audience: ValidAudience is null or whitespace and ValidAudiences is null)"
                    ),
                ));
                return;
            }
        }
    } else {
        inference.audiences.clone()
    };
    if expected.is_empty() {
        // API Management's validate-jwt without <audiences> checks none (apim-no-audience);
        // elsewhere the audience is set where entralint cannot see it.
        return;
    }
    let matches = |valid: &str, aud: &str| match framework {
        // go-oidc's verifier and oauth2-proxy's audience check compare strings exactly.
        // upstream: oauth2-proxy/oauth2-proxy pkg/providers/oidc/verifier.go (isValidAudience)
        Framework::Oauth2Proxy => valid == aud,
        // Ordinal, ignoring one trailing slash (IgnoreTrailingSlashWhenValidatingAudience).
        // upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
        // src/Microsoft.IdentityModel.Tokens/Validators.cs (AudiencesMatch)
        _ => {
            valid == aud
                || valid.trim_end_matches('/') == aud.trim_end_matches('/')
                    && valid.len().abs_diff(aud.len()) == 1
        }
    };
    if token
        .audiences
        .iter()
        .any(|aud| expected.iter().any(|valid| matches(valid, aud)))
    {
        return;
    }
    let shown = if token.audiences.is_empty() {
        "(none)".to_string()
    } else {
        token.audiences.join(", ")
    };
    let name = framework.display_name();
    let list = expected.join(", ");
    let own_app = client_id.is_some_and(|id| {
        token.audiences.iter().any(|aud| {
            aud.eq_ignore_ascii_case(id) || aud.eq_ignore_ascii_case(&format!("api://{id}"))
        })
    });
    let (rule, message) = if own_app {
        let version = token.version.as_deref().unwrap_or("?");
        let hint = if identity_web_default {
            "Microsoft.Identity.Web expects the client id in v2.0 tokens and api://<client-id> in v1.0 tokens unless Audience or ValidAudiences says otherwise; "
        } else {
            ""
        };
        (
            Some(audience_token_version::RULE.id),
            format!(
                "the token is a v{version} access token for this app whose audience is '{shown}', but {name} accepts only {list}: it fails with IDX10214 (audience validation failed); {hint}accept '{shown}' (ValidAudiences), or change the registration's requestedAccessTokenVersion"
            ),
        )
    } else {
        let scopes = if token.scopes.is_empty() {
            String::new()
        } else {
            format!(" (scopes {})", token.scopes.join(" "))
        };
        (
            None,
            format!(
                "the token's audience '{shown}' is not one {name} accepts ({list}): the token was requested for another API{scopes}, and fails with IDX10214 (audience validation failed)"
            ),
        )
    };
    out.push(Reason::new(rule, message));
}

fn lifetime(ctx: &AppContext, token: &TokenFacts, out: &mut Vec<Reason>) {
    if ctx.validation_switched_off("ValidateLifetime").is_some() {
        return;
    }
    let skew = CLOCK_SKEW_SECONDS / 60;
    match token.lifetime {
        Lifetime::Expired(ago) => out.push(Reason::new(
            None,
            format!(
                "the token expired {} ago ({}), beyond the {skew}-minute clock skew: it fails with IDX10223 (lifetime validation failed, the token is expired)",
                duration(ago),
                token.expires.map(utc).unwrap_or_default()
            ),
        )),
        Lifetime::NotYetValid(until) => out.push(Reason::new(
            None,
            format!(
                "the token is not valid before {} (in {}), beyond the {skew}-minute clock skew: it fails with IDX10222 (lifetime validation failed, not yet valid); check this machine's clock and the issuer's",
                token.not_before.map(utc).unwrap_or_default(),
                duration(until)
            ),
        )),
        Lifetime::NoExpiry if ctx.validation_switched_off("RequireExpirationTime").is_some() => {}
        Lifetime::NoExpiry => out.push(Reason::new(
            None,
            "the token has no `exp` claim: it fails with IDX10225 (lifetime validation failed, the token is missing an expiration time)".to_string(),
        )),
        Lifetime::Valid(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::infer;
    use crate::infer::tests_support::gateway_app;
    use crate::model::{App, Facts};
    use crate::token::classify::classify;
    use serde_json::{Value, json};

    const T: &str = "e21bbca2-1b75-4dea-9e34-d3d95d2ec661";
    const NOW: i64 = 1_000_000;

    fn reasons(app: &App, claims: Value) -> Vec<Reason> {
        let inference = infer(app);
        let facts = Facts::default();
        let ctx = AppContext {
            app,
            inference: &inference,
            facts: &facts,
            path: std::path::Path::new("policy.xml"),
        };
        let token = classify(claims.as_object().unwrap(), NOW);
        judge(&ctx, &token, &SignatureCheck::NotChecked)
    }

    fn v2(aud: &str) -> Value {
        json!({"iss": format!("https://login.microsoftonline.com/{T}/v2.0"), "tid": T, "aud": aud, "ver": "2.0", "exp": NOW + 60})
    }

    fn apim(audience: &str) -> App {
        gateway_app(
            Framework::ApimValidateJwt,
            &[
                (
                    "MetadataAddress",
                    &format!(
                        "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration"
                    ),
                ),
                ("ValidAudiences:0", audience),
            ],
        )
    }

    fn proxy(client_id: &str) -> App {
        gateway_app(
            Framework::Oauth2Proxy,
            &[
                (
                    "oidc_issuer_url",
                    &format!("https://login.microsoftonline.com/{T}/v2.0"),
                ),
                ("client_id", client_id),
            ],
        )
    }

    #[test]
    fn identity_model_ignores_one_trailing_slash_and_oauth2_proxy_none() {
        assert_eq!(
            reasons(
                &apim("https://api.contoso.com/"),
                v2("https://api.contoso.com")
            ),
            vec![]
        );
        let refused = reasons(
            &proxy("https://api.contoso.com/"),
            v2("https://api.contoso.com"),
        );
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].message.starts_with(
                "the token's audience 'https://api.contoso.com' is not one oauth2-proxy accepts"
            ),
            "{refused:?}"
        );
        // Case matters for both.
        assert_eq!(reasons(&apim("API://X"), v2("api://x")).len(), 1);
    }

    #[test]
    fn exact_comparers_keep_the_trailing_slash_of_the_issuer() {
        let mut claims = v2("c");
        claims["iss"] = json!(format!("https://login.microsoftonline.com/{T}/v2.0/"));
        let refused = reasons(&proxy("c"), claims);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0]
                .message
                .contains("differ only by the trailing slash"),
            "{refused:?}"
        );
    }

    #[test]
    fn expired_and_missing_expiry() {
        let mut expired = v2("c");
        expired["exp"] = json!(NOW - 301);
        let refused = reasons(&proxy("c"), expired.clone());
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0]
                .message
                .starts_with("the token expired 5m ago (1970-01-12 13:41:39 UTC)"),
            "{refused:?}"
        );
        let mut missing = v2("c");
        missing.as_object_mut().unwrap().remove("exp");
        assert!(
            reasons(&proxy("c"), missing)[0]
                .message
                .contains("IDX10225")
        );
    }

    #[test]
    fn issuer_templates_are_filled_with_the_tokens_tenant_in_both_forms() {
        let app = gateway_app(
            Framework::ApimValidateAzureAdToken,
            &[("TenantId", "organizations"), ("ValidAudiences:0", "c")],
        );
        assert_eq!(reasons(&app, v2("c")), vec![]);
        let v1 = json!({"iss": format!("https://sts.windows.net/{T}/"), "tid": T, "aud": "c", "ver": "1.0", "exp": NOW + 60});
        assert_eq!(reasons(&app, v1), vec![]);
        // The template is filled with the token's tid, so an issuer of another tenant fails.
        let mut forged = v2("c");
        forged["tid"] = json!("0a1b2c3d-0000-4000-8000-000000000000");
        let refused = reasons(&app, forged);
        assert_eq!(refused.len(), 1);
        assert!(refused[0].message.contains("IDX40001"), "{refused:?}");
    }

    #[test]
    fn apps_without_metadata_cannot_validate_any_signature() {
        let app = gateway_app(Framework::ApimValidateJwt, &[("ValidAudiences:0", "c")]);
        let refused = reasons(&app, v2("c"));
        assert_eq!(refused.len(), 1);
        assert!(refused[0].message.contains("IDX10500"));
    }
}
