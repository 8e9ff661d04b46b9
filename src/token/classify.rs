//! What a decoded token is: Entra ID v1/v2, B2C (with its policy), External ID, a Microsoft
//! Graph token, or another issuer's; its tenant, client, permissions and lifetime. Judged with
//! the same URL parser and host table as the configuration, so both sides name things alike.

use crate::domain::graph::is_graph_audience;
use crate::domain::identity_url::{Family, IdentityUrl, is_b2c_policy_name};
use serde_json::{Map, Value};

/// IdentityModel's `TokenValidationParameters.DefaultClockSkew` (5 minutes), which every .NET
/// stack and the gateways built on IdentityModel apply to `exp` and `nbf`.
/// upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
/// src/Microsoft.IdentityModel.Tokens/TokenValidationParameters.cs (DefaultClockSkew)
pub const CLOCK_SKEW_SECONDS: i64 = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    EntraV1,
    EntraV2,
    B2c,
    ExternalId,
    MicrosoftGraph,
    Other,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::EntraV1 => "entra-v1",
            Kind::EntraV2 => "entra-v2",
            Kind::B2c => "b2c",
            Kind::ExternalId => "external-id",
            Kind::MicrosoftGraph => "microsoft-graph",
            Kind::Other => "other",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Kind::EntraV1 => "Entra ID v1.0 token",
            Kind::EntraV2 => "Entra ID v2.0 token",
            Kind::B2c => "Azure AD B2C token",
            Kind::ExternalId => "Entra External ID token",
            Kind::MicrosoftGraph => "Microsoft Graph token",
            Kind::Other => "token of another issuer",
        }
    }
}

/// Where the token stands against the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// `exp` is more than the clock skew in the past; seconds since it passed.
    Expired(i64),
    /// `nbf` is more than the clock skew in the future; seconds until it comes.
    NotYetValid(i64),
    /// Seconds left before `exp`.
    Valid(i64),
    /// No `exp` claim.
    NoExpiry,
}

#[derive(Clone, Debug)]
pub struct TokenFacts {
    pub kind: Kind,
    pub family: Family,
    /// The `ver` claim (`1.0`, `2.0`), else what the issuer's form says.
    pub version: Option<String>,
    /// `version` was guessed from the issuer's form: the token has no `ver` claim.
    pub version_inferred: bool,
    pub graph: bool,
    pub issuer: Option<String>,
    /// The tenant id as IdentityModel's AadIssuerValidator reads it: `tid`, `tenantid`, else the
    /// issuer's first path segment (B2C tokens carry no `tid` by default).
    pub tenant: Option<String>,
    pub policy: Option<String>,
    pub audiences: Vec<String>,
    /// `azp` (v2) or `appid` (v1): the client that requested the token, with the claim's name.
    pub client: Option<(&'static str, String)>,
    pub scopes: Vec<String>,
    pub roles: Vec<String>,
    pub issued_at: Option<i64>,
    pub not_before: Option<i64>,
    pub expires: Option<i64>,
    pub lifetime: Lifetime,
}

impl TokenFacts {
    /// The `ver` claim as the token carries it, not guessed.
    pub fn claimed_version(&self) -> Option<&str> {
        self.version.as_deref().filter(|_| !self.version_inferred)
    }
}

fn text<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A NumericDate; some issuers write it as a float or a string.
fn seconds(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A claim that is a string or an array of strings.
fn strings(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

pub fn classify(claims: &Map<String, Value>, now: i64) -> TokenFacts {
    let issuer = text(claims, "iss").map(str::to_string);
    let issuer_url = issuer.as_deref().and_then(IdentityUrl::parse);
    let shape = issuer_url
        .as_ref()
        .map(IdentityUrl::shape)
        .unwrap_or_default();
    // B2C names the policy in `tfp` (with the tfp issuer) or `acr` (the default issuer).
    let policy = ["tfp", "acr"]
        .iter()
        .filter_map(|c| text(claims, c))
        .find(|p| is_b2c_policy_name(p))
        .map(str::to_string);
    let mut family = issuer_url
        .as_ref()
        .map_or(Family::Unknown, IdentityUrl::family);
    // B2C on its retired login.microsoftonline.com host issues Entra-looking issuers.
    if family == Family::Entra && policy.is_some() {
        family = Family::B2c;
    }
    let audiences = strings(claims, "aud");
    let graph = audiences.iter().any(|a| is_graph_audience(a));
    let claimed = text(claims, "ver").map(str::to_string);
    let version_inferred = claimed.is_none() && family == Family::Entra;
    let version = claimed.or_else(|| {
        version_inferred.then(|| if shape.v2_segments > 0 { "2.0" } else { "1.0" }.to_string())
    });
    let kind = match family {
        Family::Entra if graph => Kind::MicrosoftGraph,
        Family::Entra if version.as_deref() == Some("1.0") => Kind::EntraV1,
        Family::Entra => Kind::EntraV2,
        Family::B2c => Kind::B2c,
        Family::Ciam => Kind::ExternalId,
        Family::Unknown => Kind::Other,
    };
    let tenant = text(claims, "tid")
        .or_else(|| text(claims, "tenantid"))
        .map(str::to_string)
        .or_else(|| shape.tenant.filter(|t| !t.is_empty()));
    let client = text(claims, "azp")
        .map(|c| ("azp", c.to_string()))
        .or_else(|| text(claims, "appid").map(|c| ("appid", c.to_string())));
    let scopes = text(claims, "scp")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let expires = seconds(claims, "exp");
    let not_before = seconds(claims, "nbf");
    TokenFacts {
        kind,
        family,
        version,
        version_inferred,
        graph,
        issuer,
        tenant,
        policy,
        audiences,
        client,
        scopes,
        roles: strings(claims, "roles"),
        issued_at: seconds(claims, "iat"),
        not_before,
        expires,
        lifetime: lifetime(expires, not_before, now),
    }
}

/// IdentityModel's `Validators.ValidateLifetime`: expired when `exp + skew < now`, not yet
/// valid when `nbf - skew > now`.
pub fn lifetime(expires: Option<i64>, not_before: Option<i64>, now: i64) -> Lifetime {
    if let Some(nbf) = not_before
        && nbf.saturating_sub(CLOCK_SKEW_SECONDS) > now
    {
        return Lifetime::NotYetValid(nbf.saturating_sub(now));
    }
    match expires {
        Some(exp) if exp.saturating_add(CLOCK_SKEW_SECONDS) < now => {
            Lifetime::Expired(now.saturating_sub(exp))
        }
        Some(exp) => Lifetime::Valid(exp.saturating_sub(now)),
        None => Lifetime::NoExpiry,
    }
}

/// `3h 5m`, `42s`: how far a time is from now, for people.
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.unsigned_abs();
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// `2026-11-30 04:00:00 UTC` for a Unix time (the proleptic Gregorian calendar).
pub fn utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    // Days to civil date (H. Hinnant's algorithm), valid for every i64 day count we format.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TID: &str = "e21bbca2-1b75-4dea-9e34-d3d95d2ec661";

    fn facts(claims: Value) -> TokenFacts {
        classify(claims.as_object().unwrap(), 1_000_000)
    }

    #[test]
    fn kinds_from_issuer_and_claims() {
        let v2 = facts(
            json!({"iss": format!("https://login.microsoftonline.com/{TID}/v2.0"), "ver": "2.0", "aud": "x", "azp": "c", "scp": "a b"}),
        );
        assert_eq!(
            (v2.kind, v2.family, v2.version.as_deref()),
            (Kind::EntraV2, Family::Entra, Some("2.0"))
        );
        assert_eq!(v2.client, Some(("azp", "c".to_string())));
        assert_eq!(v2.scopes, ["a", "b"]);
        assert_eq!(v2.tenant.as_deref(), Some(TID));

        let v1 = facts(
            json!({"iss": format!("https://sts.windows.net/{TID}/"), "aud": "api://x", "appid": "c", "roles": ["R"]}),
        );
        assert_eq!(
            (v1.kind, v1.version.as_deref()),
            (Kind::EntraV1, Some("1.0"))
        );
        assert_eq!(v1.client, Some(("appid", "c".to_string())));
        assert_eq!(v1.roles, ["R"]);

        let graph = facts(
            json!({"iss": format!("https://sts.windows.net/{TID}/"), "aud": "https://graph.microsoft.com"}),
        );
        assert!(graph.graph);
        assert_eq!(graph.kind, Kind::MicrosoftGraph);

        let b2c = facts(
            json!({"iss": format!("https://contoso.b2clogin.com/{TID}/v2.0/"), "acr": "b2c_1_signin", "aud": "x"}),
        );
        assert_eq!(
            (b2c.kind, b2c.policy.as_deref()),
            (Kind::B2c, Some("b2c_1_signin"))
        );
        assert_eq!(
            b2c.tenant.as_deref(),
            Some(TID),
            "from the issuer: B2C has no tid"
        );

        let legacy = facts(
            json!({"iss": format!("https://login.microsoftonline.com/tfp/{TID}/B2C_1A_signin/v2.0/"), "tfp": "B2C_1A_signin"}),
        );
        assert_eq!(legacy.family, Family::B2c);

        let ciam =
            facts(json!({"iss": format!("https://{TID}.ciamlogin.com/{TID}/v2.0"), "tid": TID}));
        assert_eq!(ciam.kind, Kind::ExternalId);

        let other = facts(json!({"iss": "https://accounts.example.com/"}));
        assert_eq!((other.kind, other.family), (Kind::Other, Family::Unknown));
    }

    #[test]
    fn lifetime_applies_the_five_minute_skew() {
        assert_eq!(lifetime(Some(1000), None, 1200), Lifetime::Valid(-200));
        assert_eq!(lifetime(Some(1000), None, 1301), Lifetime::Expired(301));
        assert_eq!(
            lifetime(Some(5000), Some(1400), 1000),
            Lifetime::NotYetValid(400)
        );
        assert_eq!(
            lifetime(Some(5000), Some(1300), 1000),
            Lifetime::Valid(4000)
        );
        assert_eq!(lifetime(None, None, 1000), Lifetime::NoExpiry);
        assert_eq!(duration(3 * 3600 + 5 * 60 + 2), "3h 5m");
        assert_eq!(duration(42), "42s");
        assert_eq!(duration(-90), "1m");
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_709_210_096), "2024-02-29 12:34:56 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
    }
}
