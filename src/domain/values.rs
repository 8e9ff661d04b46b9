//! Shapes of identity values: GUIDs, tenants, placeholders, secrets.

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal, optionally in braces.
pub fn is_guid(value: &str) -> bool {
    let value = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(value);
    // Checked byte by byte: every setting of every app asks, most often of a real id.
    value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantKind {
    Guid,
    /// A verified domain such as `contoso.onmicrosoft.com`.
    Domain,
    Common,
    Organizations,
    Consumers,
    Invalid,
}

impl TenantKind {
    /// `common` and `organizations` metadata carry the `{tenantid}` issuer template.
    pub fn is_multi_tenant(self) -> bool {
        matches!(self, TenantKind::Common | TenantKind::Organizations)
    }
}

pub const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

pub fn tenant_kind(tenant: &str) -> TenantKind {
    let lower = tenant.to_ascii_lowercase();
    match lower.as_str() {
        "common" => TenantKind::Common,
        "organizations" => TenantKind::Organizations,
        "consumers" => TenantKind::Consumers,
        _ if is_guid(tenant) => TenantKind::Guid,
        _ if is_domain_name(&lower) => TenantKind::Domain,
        _ => TenantKind::Invalid,
    }
}

/// A DNS name with at least two labels of letters, digits and hyphens.
pub fn is_domain_name(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()))
}

/// Sample and template values that were never replaced. Returns what gave the value away.
pub fn placeholder_reason(value: &str) -> Option<&'static str> {
    let trimmed = value.trim();
    // Most values are real ids: answer those without the text searches below.
    if is_guid(trimmed) && !is_repeated_digit_guid(trimmed) {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.contains("enter_the_") {
        return Some("it is a sample's `Enter_the_...` placeholder");
    }
    let asks_to_enter = ["enter ", "enter_", "[enter", "<enter", "(enter"]
        .iter()
        .any(|p| lower.starts_with(p))
        || lower.contains("[enter")
        || lower.contains("<enter")
        || lower.contains("enter the ")
        || lower.contains("enter-your");
    if asks_to_enter {
        return Some("it asks you to enter a value");
    }
    if [
        "replace-with",
        "replace_with",
        "<replace",
        "replace me",
        "replaceme",
        "todo:",
    ]
    .iter()
    .any(|m| lower.contains(m))
    {
        return Some("it asks you to replace it");
    }
    if lower.contains("qualified.domain.name") {
        return Some("it is the Visual Studio template's placeholder domain");
    }
    if starts_word(&lower, "your") {
        return Some("it is a template placeholder");
    }
    if lower.len() > 4
        && ((lower.starts_with("enter") && lower.ends_with("here"))
            || lower.ends_with("_here")
            || lower.ends_with("-here")
            || lower.ends_with("idhere")
            || lower.ends_with(" here"))
    {
        return Some("it asks you to fill it in");
    }
    if let Some(open) = trimmed.find('<')
        && trimmed[open..].contains('>')
    {
        return Some("it is an angle-bracket placeholder");
    }
    // `[parameters('x')]` is an ARM template expression, not an instruction.
    let template_expression = trimmed.contains("('") || trimmed.contains("()");
    if trimmed.len() > 2
        && trimmed.starts_with('[')
        && trimmed.ends_with(']')
        && !template_expression
    {
        return Some("it is a bracketed instruction");
    }
    if has_named_brace_placeholder(trimmed) {
        return Some("it holds a {named} placeholder");
    }
    if is_repeated_digit_guid(trimmed) {
        return Some("it is a dummy GUID made of one repeated digit");
    }
    if lower.contains("guid") && !is_guid(trimmed) {
        return Some("it describes the value instead of giving it");
    }
    None
}

/// `{completar}`, `{tenant}`: a named slot that nothing fills in. Numbered format slots
/// (`{0}`) belong to code that calls `string.Format`, and `{tenantid}` is Microsoft.Identity.Web's
/// issuer template.
fn has_named_brace_placeholder(text: &str) -> bool {
    brace_slots(text).any(|inner| {
        !inner.chars().all(|c| c.is_ascii_digit()) && !inner.eq_ignore_ascii_case("tenantid")
    })
}

/// The slots of `text` written `{word}` (letters, digits, `_`, `-`), in order: format and
/// template placeholders. `{{name}}` and `{a b}` are not slots.
pub fn brace_slots(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}')?;
            let inner = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return Some(inner);
            }
        }
        None
    })
}

/// `word` starts a word of `text` (at the start or after a character that is not a letter or digit).
fn starts_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        i == 0
            || !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// `00000000-0000-0000-0000-000000000000`, `11111111-1111-1111-1111-111111111111` and the Visual
/// Studio template's `11111111-1111-1111-11111111111111111`: every hex digit the same.
fn is_repeated_digit_guid(value: &str) -> bool {
    let mut digits = value.bytes().filter(|b| *b != b'-');
    let Some(first) = digits.next().filter(u8::is_ascii_hexdigit) else {
        return false;
    };
    value.contains('-')
        && value.len() >= 35
        && digits.all(|b| b == first)
        && value.bytes().filter(|b| *b != b'-').count() >= 32
}

/// Keys that hold secrets; their values are never printed, not even in source snippets.
pub fn is_secret_key(key: &str) -> bool {
    let name = key
        .rsplit(':')
        .next()
        .unwrap_or(key)
        .trim()
        .to_ascii_lowercase();
    // `client_secret`, `cookie_secret` (oauth2-proxy), `MICROSOFT_PROVIDER_AUTHENTICATION_SECRET`.
    name.ends_with("secret")
        || matches!(name.as_str(), "appkey" | "password" | "certificatepassword")
}

/// A value that looks like a secret's value (not its id, not a reference to a vault). Generated
/// secrets mix letter cases, digits and symbols; a lowercase phrase such as `my_app_secret` is a
/// stand-in, not a credential.
pub fn looks_like_secret_value(value: &str) -> bool {
    let value = value.trim();
    let classes = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
        value
            .bytes()
            .any(|b| b.is_ascii_punctuation() && b != b'-' && b != b'_'),
    ];
    value.len() >= 8
        && classes.iter().filter(|c| **c).count() >= 2
        && !value.contains(' ')
        && placeholder_reason(value).is_none()
        && !value.starts_with('@')
        && !value.starts_with("${")
        && !value.starts_with("$(")
        && !value.starts_with("#{")
        && !value.starts_with("{{")
        && !value.contains("REDACTED")
        && !value.to_ascii_lowercase().contains("keyvault")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("e21bbca2-1b75-4dea-9e34-d3d95d2ec661"));
        assert!(is_guid("{E21BBCA2-1B75-4DEA-9E34-D3D95D2EC661}"));
        assert!(!is_guid("e21bbca2-1b75-4dea-9e34-d3d95d2ec66"));
        assert!(!is_guid("api://e21bbca2-1b75-4dea-9e34-d3d95d2ec661"));
    }

    #[test]
    fn tenant_kinds() {
        assert_eq!(tenant_kind("common"), TenantKind::Common);
        assert_eq!(tenant_kind("Organizations"), TenantKind::Organizations);
        assert_eq!(tenant_kind("consumers"), TenantKind::Consumers);
        assert_eq!(tenant_kind("contoso.onmicrosoft.com"), TenantKind::Domain);
        assert_eq!(
            tenant_kind("72f988bf-86f1-41af-91ab-2d7cd011db47"),
            TenantKind::Guid
        );
        assert_eq!(tenant_kind("contoso"), TenantKind::Invalid);
        assert_eq!(
            tenant_kind("https://contoso.onmicrosoft.com"),
            TenantKind::Invalid
        );
    }

    #[test]
    fn placeholders() {
        assert!(placeholder_reason("Enter_the_Application_Id_here").is_some());
        assert!(placeholder_reason("[Enter the Client Id]").is_some());
        assert!(placeholder_reason("<tenant-id>").is_some());
        assert!(placeholder_reason("00000000-0000-0000-0000-000000000000").is_some());
        assert!(placeholder_reason("11111111-1111-1111-11111111111111111").is_some());
        assert!(placeholder_reason("your-client-id").is_some());
        assert!(placeholder_reason("qualified.domain.name").is_some());
        assert!(placeholder_reason("e21bbca2-1b75-4dea-9e34-d3d95d2ec661").is_none());
        assert!(placeholder_reason("contoso.onmicrosoft.com").is_none());
        assert!(placeholder_reason("https://login.microsoftonline.com/").is_none());
        assert!(placeholder_reason("ClientIDhere").is_some());
        assert!(placeholder_reason("web-api-application-guid").is_some());
        assert!(placeholder_reason("https://yourtenant.b2clogin.com/tfp").is_some());
        assert!(placeholder_reason("https://login.microsoftonline.com/<tenant>/v2.0").is_some());
        assert!(placeholder_reason("AppID of your WebApp").is_some());
        assert!(placeholder_reason("datacenter_east").is_none());
        assert!(placeholder_reason("b2c_1_susi").is_none());
        assert!(placeholder_reason("[ApplicationId]").is_some());
        assert!(
            placeholder_reason("https://login.microsoftonline.com/tfp/{completar}/x").is_some()
        );
        assert!(placeholder_reason("https://login.microsoftonline.com/{0}").is_none());
        assert!(placeholder_reason("https://login.microsoftonline.com/{tenantid}/v2.0").is_none());
    }

    #[test]
    fn secret_values_exclude_references() {
        assert!(looks_like_secret_value("abc8Q~verysecretvalue"));
        assert!(!looks_like_secret_value(
            "@Microsoft.KeyVault(SecretUri=https://x)"
        ));
        assert!(!looks_like_secret_value("[Enter here a client secret]"));
        assert!(!looks_like_secret_value("REDACTED-BY-CORPUS-COLLECTOR"));
        assert!(!looks_like_secret_value(""));
        assert!(!looks_like_secret_value("tasks_webapp_secret"));
        assert!(looks_like_secret_value("Zm9vYmFyYmF6cXV4cXV1eA=="));
    }
}
