//! Microsoft.Identity.Web (reference: dotnet-frameworks.md §2).

use crate::domain::hosts::Cloud;
use crate::domain::identity_url::{Family, IdentityUrl};
use crate::domain::values::{CONSUMERS_TENANT_ID, TenantKind, tenant_kind};
use crate::infer::{
    Inference, IssuerCheck, SIGN_IN_KEYS, derive, metadata_from_authority, texts, url_settings,
};
use crate::model::{App, Role, Setting};

/// The options that decide Microsoft.Identity.Web's addresses.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    pub role: Option<Role>,
    pub instance: Option<&'a str>,
    pub tenant_id: Option<&'a str>,
    pub domain: Option<&'a str>,
    pub sign_up_sign_in_policy: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub metadata_address: Option<&'a str>,
    /// `ExtraQueryParameters` joined as a query string (`appid=...&x=y`).
    pub extra_query: Option<&'a str>,
}

impl Options<'_> {
    /// B2C is decided exactly as the library decides it: a non-blank `SignUpSignInPolicyId`.
    pub fn is_b2c(&self) -> bool {
        self.sign_up_sign_in_policy
            .is_some_and(|p| !p.trim().is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addresses {
    pub authority: Option<String>,
    pub metadata_address: Option<String>,
    /// The query string removed from `Authority` (`appid=...`), and whether it reached the metadata.
    pub authority_query: Option<String>,
    pub query_kept: bool,
}

/// `EnsureAuthorityIsV2`: trim, drop trailing `/`, append `/v2.0` unless it already ends so
/// (ordinal, case-sensitive, as the library does).
pub fn ensure_authority_is_v2(authority: &str) -> String {
    let trimmed = authority.trim().trim_end_matches('/');
    if trimmed.ends_with("v2.0") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/v2.0")
    }
}

/// `BuildCiamAuthorityIfNeeded`: a path-less `https://{name}.ciamlogin.com/` becomes
/// `https://{name}.ciamlogin.com/{name}.onmicrosoft.com`.
pub fn ciam_authority(authority: &str) -> String {
    match IdentityUrl::parse(authority) {
        Some(url)
            if url.host.ends_with(".ciamlogin.com") && (url.path.is_empty() || url.path == "/") =>
        {
            let label = &url.host[..url.host.len() - ".ciamlogin.com".len()];
            format!("{}/{label}.onmicrosoft.com", url.origin())
        }
        _ => authority.to_string(),
    }
}

/// `BuildAuthority`: the Instance's scheme and host, then its path glued to
/// `{TenantId}` (or `{Domain}/{policy}` for B2C) and `/v2.0`, with no separator added.
pub fn build_authority(options: &Options) -> Option<String> {
    let instance = IdentityUrl::parse(options.instance?)?;
    let tail = if options.is_b2c() {
        let domain = options.domain.filter(|d| !d.trim().is_empty())?;
        format!("{domain}/{}", options.sign_up_sign_in_policy?)
    } else {
        options
            .tenant_id
            .filter(|t| !t.trim().is_empty())?
            .to_string()
    };
    let base_path = if instance.path.is_empty() {
        "/"
    } else {
        instance.path.as_str()
    };
    // PathString escapes what a URL path cannot hold, such as the braces of `{0}`.
    let path = format!("{base_path}{tail}/v2.0")
        .replace('{', "%7B")
        .replace('}', "%7D")
        .replace(' ', "%20");
    Some(format!("{}{path}", instance.origin()))
}

/// `ExtraQueryParameters` with the Authority's query parsed into it (its keys win), as a query
/// string; `None` when there is none.
fn merge_query(extra: Option<&str>, authority_query: Option<&str>) -> Option<String> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for part in [extra, authority_query]
        .into_iter()
        .flatten()
        .flat_map(|q| q.split('&'))
    {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        if key.is_empty() {
            continue;
        }
        match pairs.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    (!pairs.is_empty()).then(|| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// The authority and metadata address Microsoft.Identity.Web ends up with (§2.3, §2.4).
pub fn addresses(options: &Options) -> Addresses {
    let authority_option = options.authority.map(str::trim).filter(|a| !a.is_empty());
    let (authority, authority_query, before_v2) = match authority_option {
        Some(written) => {
            let (without_query, query) = match written.split_once('?') {
                Some((a, q)) => (a, Some(q.to_string())),
                None => (written, None),
            };
            let rewritten = ciam_authority(without_query);
            (
                Some(ensure_authority_is_v2(&rewritten)),
                query,
                Some(rewritten),
            )
        }
        None => (
            build_authority(options).map(|a| ensure_authority_is_v2(&a)),
            None,
            None,
        ),
    };
    let web_app = options.role == Some(Role::WebApp);
    let web_api = options.role == Some(Role::WebApi);
    let explicit = options
        .metadata_address
        .map(str::trim)
        .filter(|m| !m.is_empty());
    // A web app moves the Authority's query into ExtraQueryParameters and, when there are any,
    // builds the metadata address from the Authority as written, replacing a configured one
    // (upstream: AzureAD/microsoft-identity-web src/Microsoft.Identity.Web/WebAppExtensions/
    // MicrosoftIdentityWebAppAuthenticationBuilderExtensions.cs, pinned by WebAppExtensionsTests
    // `AddMicrosoftIdentityWebApp_WithConfigAuthority_TestCorrectMetadataAddressAsync`).
    let query = merge_query(options.extra_query, authority_query.as_deref());
    let (metadata_address, query_kept) = match (explicit, &query, &before_v2) {
        (_, Some(query), Some(before)) if web_app => (
            Some(format!(
                "{}/.well-known/openid-configuration?{query}",
                before.trim_end_matches('/')
            )),
            true,
        ),
        (explicit, _, _) if web_api && options.extra_query.is_some() => {
            // A web API appends ExtraQueryParameters to the metadata address, the configured one
            // or the one its v2.0 authority gives, since 2.8.0 (2.15.1 onwards in a
            // PostConfigure; upstream: AzureAD/microsoft-identity-web
            // src/Microsoft.Identity.Web.TokenAcquisition/AspNetCore/JwtBearerOptionsMerger.cs
            // `UpdateOptionsMetadata`, registered by MicrosoftIdentityWebApiAuthenticationBuilderExtensions).
            let base = explicit
                .map(str::to_string)
                .or_else(|| authority.as_deref().map(metadata_from_authority));
            let extra = options.extra_query.unwrap_or_default();
            let appended = base.map(|m| {
                let separator = if m.contains('?') { '&' } else { '?' };
                format!("{m}{separator}{extra}")
            });
            (appended, false)
        }
        (Some(m), _, _) => (Some(m.to_string()), false),
        _ => (authority.as_deref().map(metadata_from_authority), false),
    };
    Addresses {
        authority,
        metadata_address,
        authority_query,
        query_kept,
    }
}

pub fn infer(app: &App) -> Inference {
    let value = |key: &str| app.setting(key).map(|s| s.value.as_str());
    let prefix = format!("{}:ExtraQueryParameters:", app.section);
    let extra: Vec<String> = app
        .config
        .under(&format!("{}:ExtraQueryParameters", app.section))
        .filter(|_| !app.flat)
        .filter_map(|s| Some(format!("{}={}", s.key.get(prefix.len()..)?, s.value.trim())))
        .collect();
    let extra_query = (!extra.is_empty()).then(|| extra.join("&"));
    let options = Options {
        role: Some(app.role),
        instance: value("Instance"),
        tenant_id: value("TenantId"),
        domain: value("Domain"),
        sign_up_sign_in_policy: value("SignUpSignInPolicyId"),
        authority: value("Authority"),
        metadata_address: value("MetadataAddress"),
        extra_query: extra_query.as_deref(),
    };
    let addresses = addresses(&options);
    let derived = derive(addresses.metadata_address.as_deref());

    let source_keys: &[&str] = if options
        .metadata_address
        .is_some_and(|m| !m.trim().is_empty())
    {
        &["MetadataAddress"]
    } else if options.authority.is_some_and(|a| !a.trim().is_empty()) {
        &["Authority"]
    } else if options.is_b2c() {
        &["Instance", "Domain", "SignUpSignInPolicyId"]
    } else {
        &["Instance", "TenantId"]
    };
    let metadata_sources: Vec<Setting> = source_keys
        .iter()
        .filter_map(|k| app.setting(k).cloned())
        .collect();

    let family = if options.is_b2c() {
        Family::B2c
    } else {
        derived.family
    };
    let issuer_settings: Vec<Setting> = app
        .values("TokenValidationParameters:ValidIssuer")
        .into_iter()
        .chain(app.values("TokenValidationParameters:ValidIssuers"))
        .cloned()
        .collect();
    let mut audience_settings: Vec<Setting> = Vec::new();
    for key in [
        "Audience",
        "Audiences",
        "TokenValidationParameters:ValidAudience",
        "TokenValidationParameters:ValidAudiences",
    ] {
        audience_settings.extend(app.values(key).into_iter().cloned());
    }

    let issuer_check = if app
        .setting("TokenValidationParameters:ValidateIssuer")
        .is_some_and(Setting::is_false)
    {
        IssuerCheck::Disabled
    } else {
        IssuerCheck::AadIssuerValidator
    };
    let mut issuers: Vec<String> = texts(&issuer_settings);
    if issuer_check == IssuerCheck::Disabled {
        issuers.clear();
    } else {
        issuers.extend(validator_issuers(
            family,
            derived.cloud,
            derived.tenant.as_deref(),
            derived.document_issuer.as_deref(),
        ));
    }

    let urls = url_settings(app, SIGN_IN_KEYS, &issuer_settings);
    Inference {
        authority: addresses.authority,
        metadata_address: addresses.metadata_address,
        metadata_sources,
        jwks_uri: derived.jwks_uri,
        family,
        cloud: derived.cloud,
        tenant: if options.is_b2c() {
            options
                .domain
                .map(|d| d.trim().to_string())
                .or(derived.tenant)
        } else {
            derived.tenant
        },
        policy: if options.is_b2c() {
            derived
                .policy
                .or(options.sign_up_sign_in_policy.map(|p| p.trim().to_string()))
        } else {
            derived.policy
        },
        version: derived.version,
        issuer_check,
        issuers,
        audience_check: crate::infer::AudienceCheck::Exact,
        audiences: audiences(app, options.is_b2c()),
        issuer_settings,
        audience_settings,
        urls,
        https_required: true,
    }
}

/// The issuers `AadIssuerValidator` accepts for an authority: the v2.0 and v1.0 issuers of the
/// tenant (any tenant for `common`/`organizations`), or what a B2C / External ID document states.
pub(crate) fn validator_issuers(
    family: Family,
    cloud: Cloud,
    tenant: Option<&str>,
    document_issuer: Option<&str>,
) -> Vec<String> {
    match family {
        Family::Entra => {
            let Some(tenant) = tenant else {
                return Vec::new();
            };
            let tenant_id = match tenant_kind(tenant) {
                TenantKind::Guid => tenant.to_ascii_lowercase(),
                TenantKind::Consumers => CONSUMERS_TENANT_ID.to_string(),
                _ => "{tenantid}".to_string(),
            };
            vec![
                format!("https://{}/{tenant_id}/v2.0", cloud.v2_issuer_host()),
                format!("https://{}/{tenant_id}/", cloud.v1_issuer_host()),
            ]
        }
        _ => document_issuer.map(str::to_string).into_iter().collect(),
    }
}

/// §2.8: explicit `ValidAudience(s)` win; a web API's `Audience` becomes the only valid
/// audience; otherwise the client id (and, for Entra web APIs, `api://{ClientId}` for v1 tokens).
fn audiences(app: &App, is_b2c: bool) -> Vec<String> {
    let mut list: Vec<String> = app
        .values("TokenValidationParameters:ValidAudiences")
        .into_iter()
        .chain(app.values("TokenValidationParameters:ValidAudience"))
        .filter_map(|s| s.text().map(str::to_string))
        .collect();
    if app.role != Role::WebApp
        && app
            .value("TokenValidationParameters:ValidAudience")
            .is_none()
        && let Some(audience) = app.value("Audience")
    {
        list.push(audience.to_string());
    }
    if !list.is_empty() {
        return list;
    }
    let Some(client_id) = app.value("ClientId") else {
        return Vec::new();
    };
    if app.role == Role::WebApp || is_b2c {
        vec![client_id.to_string()]
    } else {
        vec![client_id.to_string(), format!("api://{client_id}")]
    }
}

#[cfg(test)]
mod tests {
    //! The worked examples of dotnet-frameworks.md §2.10 and the edge cases of §2.6.
    use super::*;

    const T: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const CID: &str = "06051593-1954-4e1f-a75f-7e5de243aeff";

    fn api<'a>() -> Options<'a> {
        Options {
            role: Some(Role::WebApi),
            ..Default::default()
        }
    }

    fn check(options: Options, authority: &str, metadata: &str) {
        let result = addresses(&options);
        assert_eq!(result.authority.as_deref(), Some(authority), "authority");
        assert_eq!(
            result.metadata_address.as_deref(),
            Some(metadata),
            "metadata"
        );
    }

    #[test]
    fn example_1_v2_single_tenant() {
        for instance in [
            "https://login.microsoftonline.com/",
            "https://login.microsoftonline.com",
        ] {
            check(
                Options {
                    instance: Some(instance),
                    tenant_id: Some(T),
                    ..api()
                },
                &format!("https://login.microsoftonline.com/{T}/v2.0"),
                &format!(
                    "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration"
                ),
            );
        }
    }

    #[test]
    fn example_2_v1_authority_is_forced_to_v2() {
        let authority = format!("https://login.microsoftonline.com/{T}");
        check(
            Options {
                authority: Some(&authority),
                ..api()
            },
            &format!("https://login.microsoftonline.com/{T}/v2.0"),
            &format!("https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration"),
        );
    }

    #[test]
    fn examples_3_and_4_common_organizations_consumers() {
        for tenant in ["common", "organizations", "consumers"] {
            check(
                Options {
                    instance: Some("https://login.microsoftonline.com/"),
                    tenant_id: Some(tenant),
                    ..api()
                },
                &format!("https://login.microsoftonline.com/{tenant}/v2.0"),
                &format!(
                    "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration"
                ),
            );
        }
    }

    #[test]
    fn example_5_b2c_on_b2clogin() {
        check(
            Options {
                instance: Some("https://fabrikamb2c.b2clogin.com"),
                domain: Some("fabrikamb2c.onmicrosoft.com"),
                sign_up_sign_in_policy: Some("b2c_1_susi"),
                ..api()
            },
            "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0",
            "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn example_6_b2c_custom_domain() {
        check(
            Options {
                instance: Some("https://login.contoso.com"),
                domain: Some("contoso.onmicrosoft.com"),
                sign_up_sign_in_policy: Some("B2C_1_susi"),
                ..api()
            },
            "https://login.contoso.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0",
            "https://login.contoso.com/contoso.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn example_7_b2c_legacy_host_keeps_tfp() {
        check(
            Options {
                instance: Some("https://login.microsoftonline.com/tfp/"),
                domain: Some("fabrikamb2c.onmicrosoft.com"),
                sign_up_sign_in_policy: Some("b2c_1_susi"),
                ..api()
            },
            "https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0",
            "https://login.microsoftonline.com/tfp/fabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn example_8_ciam_authority_without_tenant() {
        check(
            Options {
                authority: Some("https://contoso.ciamlogin.com/"),
                ..api()
            },
            "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0",
            "https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn example_9_ciam_with_tenant() {
        let authority = format!("https://contoso.ciamlogin.com/{T}");
        let expected = format!("https://contoso.ciamlogin.com/{T}/v2.0");
        let metadata = format!("{expected}/.well-known/openid-configuration");
        check(
            Options {
                authority: Some(&authority),
                ..api()
            },
            &expected,
            &metadata,
        );
        check(
            Options {
                instance: Some("https://contoso.ciamlogin.com/"),
                tenant_id: Some(T),
                ..api()
            },
            &expected,
            &metadata,
        );
    }

    #[test]
    fn examples_10_and_11_national_clouds_keep_their_host() {
        for host in [
            "login.microsoftonline.us",
            "login.partner.microsoftonline.cn",
        ] {
            let instance = format!("https://{host}/");
            check(
                Options {
                    instance: Some(&instance),
                    tenant_id: Some(T),
                    ..api()
                },
                &format!("https://{host}/{T}/v2.0"),
                &format!("https://{host}/{T}/v2.0/.well-known/openid-configuration"),
            );
        }
    }

    #[test]
    fn example_12_web_app_keeps_appid_in_metadata() {
        let authority = format!("https://login.microsoftonline.com/{T}/v2.0?appid={CID}");
        let result = addresses(&Options {
            authority: Some(&authority),
            role: Some(Role::WebApp),
            ..Default::default()
        });
        assert_eq!(
            result.authority,
            Some(format!("https://login.microsoftonline.com/{T}/v2.0"))
        );
        assert_eq!(
            result.metadata_address,
            Some(format!(
                "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration?appid={CID}"
            ))
        );
        assert!(result.query_kept);
    }

    // upstream: AzureAD/microsoft-identity-web tests/Microsoft.Identity.Web.Test/WebAppExtensionsTests.cs
    // `AddMicrosoftIdentityWebApp_WithConfigAuthority_TestCorrectMetadataAddressAsync`.
    #[test]
    fn web_app_extra_query_parameters_reach_the_metadata_and_replace_an_explicit_one() {
        let authority = format!("https://login.microsoftonline.com/{T}/v2.0");
        let extra = format!("appid={CID}");
        let explicit =
            format!("https://login.microsoftonline.com/{T}/.well-known/openid-configuration");
        let result = addresses(&Options {
            authority: Some(&authority),
            metadata_address: Some(&explicit),
            extra_query: Some(&extra),
            role: Some(Role::WebApp),
            ..Default::default()
        });
        assert_eq!(
            result.metadata_address,
            Some(format!(
                "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration?appid={CID}"
            ))
        );
        assert_eq!(
            merge_query(Some("appid=a&x=1"), Some("appid=b")).as_deref(),
            Some("appid=b&x=1"),
            "the Authority's query overwrites"
        );
    }

    // upstream: AzureAD/microsoft-identity-web
    // src/Microsoft.Identity.Web.TokenAcquisition/AspNetCore/JwtBearerOptionsMerger.cs
    // `UpdateOptionsMetadata`: `MetadataAddress ??= Authority + "/.well-known/openid-configuration"`,
    // then `?` or `&` and the ExtraQueryParameters.
    #[test]
    fn web_api_extra_query_parameters_are_appended_to_the_metadata() {
        let authority = format!("https://login.microsoftonline.com/{T}/v2.0");
        let extra = format!("appid={CID}");
        let built = addresses(&Options {
            authority: Some(&authority),
            extra_query: Some(&extra),
            ..api()
        });
        assert_eq!(
            built.metadata_address,
            Some(format!(
                "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration?appid={CID}"
            ))
        );
        let explicit = format!(
            "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration?x=1"
        );
        let appended = addresses(&Options {
            authority: Some(&authority),
            metadata_address: Some(&explicit),
            extra_query: Some(&extra),
            ..api()
        });
        assert_eq!(
            appended.metadata_address,
            Some(format!("{explicit}&appid={CID}"))
        );
    }

    #[test]
    fn example_13_web_api_drops_appid() {
        let authority = format!("https://login.microsoftonline.com/{T}/v2.0?appid={CID}");
        let result = addresses(&Options {
            authority: Some(&authority),
            ..api()
        });
        assert_eq!(
            result.metadata_address,
            Some(format!(
                "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration"
            ))
        );
        assert_eq!(result.authority_query, Some(format!("appid={CID}")));
        assert!(!result.query_kept);
    }

    #[test]
    fn example_14_authority_wins_over_instance_and_tenant() {
        check(
            Options {
                authority: Some("https://login.microsoftonline.com/A"),
                instance: Some("https://login.microsoftonline.com/"),
                tenant_id: Some("B"),
                ..api()
            },
            "https://login.microsoftonline.com/A/v2.0",
            "https://login.microsoftonline.com/A/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn metadata_address_is_used_verbatim() {
        let metadata = format!(
            "https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration?appid={CID}"
        );
        let result = addresses(&Options {
            instance: Some("https://login.microsoftonline.com/"),
            tenant_id: Some(T),
            metadata_address: Some(&metadata),
            ..api()
        });
        assert_eq!(result.metadata_address.as_deref(), Some(metadata.as_str()));
    }

    #[test]
    fn edge_instance_path_without_trailing_slash_glues_segments() {
        check(
            Options {
                instance: Some("https://fabrikamb2c.b2clogin.com/tfp"),
                domain: Some("fabrikamb2c.onmicrosoft.com"),
                sign_up_sign_in_policy: Some("b2c_1_susi"),
                ..api()
            },
            "https://fabrikamb2c.b2clogin.com/tfpfabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0",
            "https://fabrikamb2c.b2clogin.com/tfpfabrikamb2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration",
        );
    }

    #[test]
    fn edge_capital_v2_and_pasted_metadata_url() {
        let capital = format!("https://login.microsoftonline.com/{T}/V2.0");
        assert_eq!(ensure_authority_is_v2(&capital), format!("{capital}/v2.0"));
        let pasted =
            format!("https://login.microsoftonline.com/{T}/v2.0/.well-known/openid-configuration");
        assert_eq!(
            addresses(&Options {
                authority: Some(&pasted),
                ..api()
            })
            .metadata_address,
            Some(format!("{pasted}/v2.0/.well-known/openid-configuration"))
        );
        assert_eq!(
            ensure_authority_is_v2("https://login.microsoftonline.com/common/v2.0/"),
            "https://login.microsoftonline.com/common/v2.0"
        );
    }

    #[test]
    fn edge_format_placeholder_is_escaped_and_b2c_without_domain_builds_nothing() {
        let result = addresses(&Options {
            instance: Some("https://login.microsoftonline.com/{0}"),
            tenant_id: Some(T),
            ..api()
        });
        assert_eq!(
            result.authority,
            Some(format!("https://login.microsoftonline.com/%7B0%7D{T}/v2.0"))
        );
        let b2c = addresses(&Options {
            instance: Some("https://x.b2clogin.com/"),
            sign_up_sign_in_policy: Some("B2C_1_x"),
            ..api()
        });
        assert_eq!(b2c.authority, None);
    }

    #[test]
    fn validator_accepts_v1_and_v2_issuers_of_the_tenant() {
        assert_eq!(
            validator_issuers(Family::Entra, Cloud::Public, Some(T), None),
            [
                format!("https://login.microsoftonline.com/{T}/v2.0"),
                format!("https://sts.windows.net/{T}/")
            ]
        );
        assert_eq!(
            validator_issuers(Family::Entra, Cloud::China, Some("common"), None),
            [
                "https://login.partner.microsoftonline.cn/{tenantid}/v2.0",
                "https://sts.chinacloudapi.cn/{tenantid}/"
            ]
        );
    }
}
