//! ASP.NET Core JwtBearer and OpenIdConnect bound from `Authentication:Schemes:{name}`
//! (reference: dotnet-frameworks.md §1.1, §3).

use crate::domain::versions::PackageVersion;
use crate::infer::{
    AudienceCheck, Inference, IssuerCheck, SIGN_IN_KEYS, derive, metadata_from_authority, texts,
    url_settings,
};
use crate::model::{App, Framework, Setting};

/// Which generation of `JwtBearerConfigureOptions` binds `Authentication:Schemes:{scheme}`.
/// upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerConfigureOptions.cs
/// (@0152cd77, .NET 7 and 8: `ValidateIssuer = issuers.Count > 0`, `ValidateAudience =
/// audiences.Count > 0`; @b43929d8, .NET 9 and later: both read from configuration, default
/// true). Before .NET 7 nothing binds the section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// .NET 6 or earlier: the section is never read.
    Absent(u32),
    /// .NET 7 and 8: issuer and audience are validated only when listed.
    OnlyWhenListed(u32),
    /// .NET 9 and later: validated unless switched off; an empty audience list fails.
    Always(u32),
}

/// The binding a project gets, with what the version was read from (`None` when nothing
/// says: the current behaviour, .NET 9 and later, is assumed).
pub fn binding(app: &App) -> (Binding, Option<String>) {
    let project = app.project.as_deref();
    // The handler package's major version is the ASP.NET Core version; else the target.
    let package = project
        .and_then(|p| p.package("Microsoft.AspNetCore.Authentication.JwtBearer"))
        .and_then(|p| Some((p.version.as_deref()?, p)))
        .and_then(|(text, p)| Some((PackageVersion::parse(text)?, text, p)))
        .and_then(|(v, text, p)| {
            Some((u32::try_from(v.major()).ok()?, format!("{} {text}", p.name)))
        });
    let target = || {
        let project = project?;
        let major = project.dotnet_major()?;
        let moniker = project
            .target_frameworks
            .iter()
            .map(|(m, _)| m)
            .find(|m| m.contains(&format!("{major}.")))?;
        Some((major, format!("target framework {moniker}")))
    };
    let (major, evidence) = match package.or_else(target) {
        Some((major, evidence)) => (major, Some(evidence)),
        None => (9, None),
    };
    let binding = match major {
        0..=6 => Binding::Absent(major),
        7 | 8 => Binding::OnlyWhenListed(major),
        _ => Binding::Always(major),
    };
    (binding, evidence)
}

/// The app's options come from `Authentication:Schemes:{scheme}` configuration binding and no
/// code replaces what the binding decides about issuers and audiences.
pub fn bound_from_configuration(app: &App) -> bool {
    app.framework == Framework::AspnetcoreJwtBearer
        && app
            .section
            .get(..23)
            .is_some_and(|head| head.eq_ignore_ascii_case("Authentication:Schemes:"))
        && app.section_exists()
        && !code_overrides_binding(app)
}

/// Code that takes the issuer/audience decision away from the binding. The binding
/// (`JwtBearerConfigureOptions`) is registered before the `AddJwtBearer` delegate runs
/// (upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerExtensions.cs),
/// so on .NET 7 and 8 an `Audience` set in code only fills `ValidAudience`
/// (JwtBearerPostConfigureOptions) and leaves `ValidateAudience = false`: only replacing
/// `TokenValidationParameters` or setting `ValidateAudience` / `ValidAudience(s)` counts there.
/// From .NET 9 the binding validates by default, so `Audience` in code is enough.
fn code_overrides_binding(app: &App) -> bool {
    let Some(code) = app.code.as_ref() else {
        return false;
    };
    match binding(app).0 {
        Binding::OnlyWhenListed(_) => code.assigned.iter().any(|key| {
            [
                "TokenValidationParameters",
                "TokenValidationParameters:ValidateAudience",
                "TokenValidationParameters:ValidAudience",
                "TokenValidationParameters:ValidAudiences",
            ]
            .iter()
            .any(|name| key.eq_ignore_ascii_case(name))
        }),
        _ => code.assigns("TokenValidationParameters") || code.assigns("Audience"),
    }
}

/// The scheme section itself lists `ValidAudience` or `ValidAudiences` (what the binding reads).
pub fn lists_audiences(app: &App) -> bool {
    ["ValidAudience", "ValidAudiences"]
        .iter()
        .any(|name| !app.values(name).is_empty())
}

/// Keys the .NET 7+ configuration binding reads for each handler; anything else in the
/// scheme section is ignored (§3.4).
pub const JWT_BEARER_KEYS: &[&str] = &[
    "authority",
    "backchannel",
    "backchanneltimeout",
    "challenge",
    "forwardauthenticate",
    "forwardchallenge",
    "forwarddefault",
    "forwardforbid",
    "forwardsignin",
    "forwardsignout",
    "includeerrordetails",
    "mapinboundclaims",
    "metadataaddress",
    "refreshinterval",
    "refreshonissuerkeynotfound",
    "requirehttpsmetadata",
    "savetoken",
    "validateissuer",
    "validissuer",
    "validissuers",
    "validateaudience",
    "validaudience",
    "validaudiences",
    "signingkeys",
    "automaticrefreshinterval",
    "claimsissuer",
];

/// The addresses rule 1.1 produces: `MetadataAddress` verbatim, else `Authority` + well-known.
pub fn metadata_address(authority: Option<&str>, metadata_address: Option<&str>) -> Option<String> {
    let explicit = metadata_address.map(str::trim).filter(|m| !m.is_empty());
    explicit.map(str::to_string).or_else(|| {
        authority
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(metadata_from_authority)
    })
}

pub fn infer(app: &App) -> Inference {
    let authority = app.value("Authority");
    let metadata = metadata_address(authority, app.value("MetadataAddress"));
    let derived = derive(metadata.as_deref());
    let metadata_sources: Vec<Setting> = if app.value("MetadataAddress").is_some() {
        app.setting("MetadataAddress")
            .cloned()
            .into_iter()
            .collect()
    } else {
        app.setting("Authority").cloned().into_iter().collect()
    };

    // Configuration binding reads these keys at the scheme level; code sets them on
    // TokenValidationParameters, and may set `Audience`, which code (unlike binding) honours.
    let gather = |names: &[&str]| -> Vec<Setting> {
        names.iter().flat_map(|n| app.values(n)).cloned().collect()
    };
    let issuer_settings = gather(&[
        "ValidIssuer",
        "ValidIssuers",
        "TokenValidationParameters:ValidIssuer",
        "TokenValidationParameters:ValidIssuers",
    ]);
    let mut audience_settings = gather(&[
        "ValidAudience",
        "ValidAudiences",
        "TokenValidationParameters:ValidAudience",
        "TokenValidationParameters:ValidAudiences",
    ]);
    audience_settings.extend(
        app.bound
            .iter()
            .filter(|(k, _)| k == "Audience")
            .map(|(_, s)| s.clone()),
    );
    let validate_issuer = app
        .setting("ValidateIssuer")
        .or_else(|| app.setting("TokenValidationParameters:ValidateIssuer"));
    let issuer_check = if validate_issuer.is_some_and(Setting::is_false) {
        IssuerCheck::Disabled
    } else {
        IssuerCheck::Exact
    };
    let bound = bound_from_configuration(app).then(|| binding(app).0);
    let issuer_check = match bound {
        Some(Binding::OnlyWhenListed(_)) if issuer_settings.is_empty() => IssuerCheck::Disabled,
        _ => issuer_check,
    };
    let audience_check = match bound {
        // An `Audience` (key or code) fills ValidAudience but never turns validation back on.
        Some(Binding::OnlyWhenListed(_)) if !lists_audiences(app) => AudienceCheck::Disabled,
        Some(Binding::Always(_))
            if audience_settings.is_empty()
                && !app
                    .setting("ValidateAudience")
                    .is_some_and(Setting::is_false) =>
        {
            AudienceCheck::Nothing
        }
        _ => AudienceCheck::Exact,
    };
    let mut issuers: Vec<String> = match issuer_check {
        IssuerCheck::Disabled => Vec::new(),
        _ => derived
            .document_issuer
            .clone()
            .into_iter()
            .chain(texts(&issuer_settings))
            .collect(),
    };
    dedup_in_order(&mut issuers);
    let mut audiences: Vec<String> = texts(&audience_settings);
    if audiences.is_empty()
        && app.framework == Framework::AspnetcoreOpenIdConnect
        && let Some(client_id) = app.value("ClientId")
    {
        audiences.push(client_id.to_string());
    }
    // ASP.NET Core reads no Instance: only Authority and MetadataAddress locate keys.
    let urls = url_settings(app, &SIGN_IN_KEYS[1..], &issuer_settings);
    Inference {
        authority: authority.map(str::to_string),
        metadata_address: metadata,
        metadata_sources,
        issuer_check,
        issuers,
        audience_check,
        audiences,
        issuer_settings,
        audience_settings,
        urls,
        ..derived.into_inference()
    }
}

/// Removes repeated values, keeping the first of each.
fn dedup_in_order(values: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
}

#[cfg(test)]
mod tests {
    //! The worked examples of dotnet-frameworks.md §3.5 (plain JwtBearer).
    use super::*;
    use crate::domain::identity_url::jwks_uri;

    const X: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const CID: &str = "06051593-1954-4e1f-a75f-7e5de243aeff";

    fn from_authority(authority: &str) -> String {
        metadata_address(Some(authority), None).unwrap()
    }

    fn bound_scheme(json: &str, target: Option<&str>) -> App {
        crate::infer::tests_support::section_app(
            Framework::AspnetcoreJwtBearer,
            "Authentication:Schemes:Bearer",
            json,
            target,
        )
    }

    const AUTHORITY_ONLY: &str = r#"{"Authentication": {"Schemes": {"Bearer": {"Authority": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"}}}}"#;

    // upstream: dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerConfigureOptions.cs
    // @0152cd77 (.NET 7/8): `ValidateIssuer = issuers.Count > 0`, `ValidateAudience = audiences.Count > 0`.
    #[test]
    fn net8_binding_of_an_authority_validates_neither_issuer_nor_audience() {
        let inference = infer(&bound_scheme(AUTHORITY_ONLY, Some("net8.0")));
        assert_eq!(inference.issuer_check, IssuerCheck::Disabled);
        assert!(inference.issuers.is_empty(), "no tenant issuer is invented");
        assert_eq!(inference.audience_check, AudienceCheck::Disabled);
        let (found, evidence) = binding(&bound_scheme(AUTHORITY_ONLY, Some("net8.0")));
        assert_eq!(found, Binding::OnlyWhenListed(8));
        assert_eq!(evidence.as_deref(), Some("target framework net8.0"));
    }

    // upstream: same file @b43929d8 (.NET 9+): ValidateIssuer/ValidateAudience default true.
    #[test]
    fn net9_binding_validates_the_metadata_issuer_and_an_empty_audience_list() {
        let inference = infer(&bound_scheme(AUTHORITY_ONLY, Some("net9.0")));
        assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        assert_eq!(
            inference.issuers,
            ["https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"]
        );
        assert_eq!(inference.audience_check, AudienceCheck::Nothing);
        let (found, evidence) = binding(&bound_scheme(AUTHORITY_ONLY, None));
        assert_eq!(
            found,
            Binding::Always(9),
            "the current behaviour is assumed"
        );
        assert_eq!(evidence, None);
        assert_eq!(
            binding(&bound_scheme(AUTHORITY_ONLY, Some("net6.0"))).0,
            Binding::Absent(6)
        );
    }

    #[test]
    fn listed_audiences_are_validated_on_every_version() {
        let json = r#"{"Authentication": {"Schemes": {"Bearer": {"Authority": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", "ValidAudiences": ["api://orders"], "ValidIssuer": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"}}}}"#;
        for target in ["net8.0", "net9.0"] {
            let inference = infer(&bound_scheme(json, Some(target)));
            assert_eq!(inference.audience_check, AudienceCheck::Exact);
            assert_eq!(inference.audiences, ["api://orders"]);
            assert_eq!(inference.issuer_check, IssuerCheck::Exact);
        }
    }

    #[test]
    fn ad_v2_and_v1() {
        assert_eq!(
            from_authority(&format!("https://login.microsoftonline.com/{X}/v2.0")),
            format!("https://login.microsoftonline.com/{X}/v2.0/.well-known/openid-configuration")
        );
        let v1 = from_authority(&format!("https://login.microsoftonline.com/{X}"));
        assert_eq!(
            v1,
            format!("https://login.microsoftonline.com/{X}/.well-known/openid-configuration")
        );
        assert_eq!(derive(Some(&v1)).version, Some("v1.0"));
        assert_eq!(
            derive(Some(&v1)).document_issuer,
            Some(format!("https://sts.windows.net/{X}/"))
        );
    }

    #[test]
    fn multi_tenant_has_the_template_issuer() {
        let metadata = from_authority("https://login.microsoftonline.com/common/v2.0");
        assert_eq!(
            metadata,
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(
            derive(Some(&metadata)).document_issuer.as_deref(),
            Some("https://login.microsoftonline.com/{tenantid}/v2.0")
        );
    }

    #[test]
    fn b2c_with_trailing_slash_and_policy_query() {
        assert_eq!(
            from_authority("https://t.b2clogin.com/t.onmicrosoft.com/B2C_1_susi/v2.0/"),
            "https://t.b2clogin.com/t.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
        );
        let query = "https://t.b2clogin.com/t.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi";
        assert_eq!(
            metadata_address(Some("https://ignored"), Some(query)).as_deref(),
            Some(query)
        );
        assert_eq!(derive(Some(query)).policy.as_deref(), Some("B2C_1_susi"));
    }

    #[test]
    fn ciam_and_national_clouds_keep_their_host() {
        for authority in [
            format!("https://sub.ciamlogin.com/{X}/v2.0"),
            format!("https://login.microsoftonline.us/{X}/v2.0"),
            format!("https://login.partner.microsoftonline.cn/{X}/v2.0"),
        ] {
            assert_eq!(
                from_authority(&authority),
                format!("{authority}/.well-known/openid-configuration")
            );
        }
    }

    #[test]
    fn saml_appid_works_in_metadata_address_and_breaks_in_authority() {
        let good = format!(
            "https://login.microsoftonline.com/{X}/v2.0/.well-known/openid-configuration?appid={CID}"
        );
        assert_eq!(
            metadata_address(None, Some(&good)).as_deref(),
            Some(good.as_str())
        );
        assert_eq!(
            jwks_uri(&good),
            Some(format!(
                "https://login.microsoftonline.com/{X}/discovery/v2.0/keys?appid={CID}"
            ))
        );
        let broken = from_authority(&format!(
            "https://login.microsoftonline.com/{X}/v2.0?appid={CID}"
        ));
        assert_eq!(
            broken,
            format!(
                "https://login.microsoftonline.com/{X}/v2.0?appid={CID}/.well-known/openid-configuration"
            )
        );
        assert_eq!(jwks_uri(&broken), None);
    }
}
