//! ASP.NET Core JwtBearer and OpenIdConnect bound from `Authentication:Schemes:{name}`
//! (reference: dotnet-frameworks.md §1.1, §3).

use super::{
    Inference, IssuerCheck, SIGN_IN_KEYS, derive, metadata_from_authority, texts, url_settings,
};
use crate::model::{App, Framework, Setting};

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
    let issuers = match issuer_check {
        IssuerCheck::Disabled => Vec::new(),
        _ => derived
            .document_issuer
            .clone()
            .into_iter()
            .chain(texts(&issuer_settings))
            .collect(),
    };
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
        audiences,
        issuer_settings,
        audience_settings,
        urls,
        ..derived.into_inference()
    }
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
