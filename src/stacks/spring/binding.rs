//! Which Spring property a key or environment variable sets, as Spring Boot binds them.
//!
//! upstream: spring-projects/spring-boot
//! core/spring-boot/src/main/java/org/springframework/boot/context/properties/source/ConfigurationPropertyName.java
//! (`defaultElementEquals`: elements compare lower-cased, skipping every character that is not a
//! letter or digit, so `issuer-uri`, `issuerUri`, `issuer_uri` are one property; `[0]` is an
//! index) and SystemEnvironmentPropertyMapper.java (a variable is matched by the upper-case
//! "uniform" form, dots to `_` and dashes removed, or the "legacy" form, dashes to `_`; a numeric
//! element is an index).

/// Who reads a group of properties: one app per unit (and per map key where the unit has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// `spring.security.oauth2.resourceserver.jwt`.
    ResourceServer,
    /// `spring.security.oauth2.client.provider.<id>`.
    Provider,
    /// `spring.security.oauth2.client.registration.<id>`.
    Registration,
    /// Spring Cloud Azure `spring.cloud.azure.active-directory`.
    CloudAad,
    /// Spring Cloud Azure `spring.cloud.azure.active-directory.b2c`.
    CloudB2c,
    /// azure-spring-boot 3.x `azure.activedirectory`.
    LegacyAad,
    /// azure-spring-boot 3.x `azure.activedirectory.b2c`.
    LegacyB2c,
}

/// A property entralint reads: its path (`*` stands for a map key), the unit that reads it,
/// and the option name the unit's model looks it up by.
struct Known {
    path: &'static str,
    unit: Unit,
    option: &'static str,
}

const fn known(path: &'static str, unit: Unit, option: &'static str) -> Known {
    Known { path, unit, option }
}

/// upstream (property names): spring-boot module/spring-boot-security-oauth2-resource-server/.../OAuth2ResourceServerProperties.java,
/// module/spring-boot-security-oauth2-client/.../OAuth2ClientProperties.java;
/// Azure/azure-sdk-for-java sdk/spring/spring-cloud-azure-autoconfigure/.../aad/properties/AadAuthenticationProperties.java,
/// AadProfileProperties.java, AadProfileEnvironmentProperties.java, .../aadb2c/properties/AadB2cProperties.java;
/// sdk/spring/azure-spring-boot/.../aad/AADAuthenticationProperties.java, .../b2c/AADB2CProperties.java.
const KNOWN: &[Known] = &[
    known(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
        Unit::ResourceServer,
        "issuer-uri",
    ),
    known(
        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
        Unit::ResourceServer,
        "jwk-set-uri",
    ),
    known(
        "spring.security.oauth2.resourceserver.jwt.audiences",
        Unit::ResourceServer,
        "audiences",
    ),
    // Not bound by Spring Boot; projects read it themselves (kept as evidence of that).
    known(
        "spring.security.oauth2.resourceserver.jwt.audience",
        Unit::ResourceServer,
        "audience",
    ),
    known(
        "spring.security.oauth2.client.provider.*.issuer-uri",
        Unit::Provider,
        "issuer-uri",
    ),
    known(
        "spring.security.oauth2.client.provider.*.jwk-set-uri",
        Unit::Provider,
        "jwk-set-uri",
    ),
    known(
        "spring.security.oauth2.client.provider.*.authorization-uri",
        Unit::Provider,
        "authorization-uri",
    ),
    known(
        "spring.security.oauth2.client.provider.*.token-uri",
        Unit::Provider,
        "token-uri",
    ),
    known(
        "spring.security.oauth2.client.registration.*.provider",
        Unit::Registration,
        "provider",
    ),
    known(
        "spring.security.oauth2.client.registration.*.client-id",
        Unit::Registration,
        "client-id",
    ),
    known(
        "spring.security.oauth2.client.registration.*.client-secret",
        Unit::Registration,
        "client-secret",
    ),
    known(
        "spring.security.oauth2.client.registration.*.scope",
        Unit::Registration,
        "scope",
    ),
    known(
        "spring.security.oauth2.client.registration.*.authorization-grant-type",
        Unit::Registration,
        "authorization-grant-type",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.enabled",
        Unit::CloudB2c,
        "enabled",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.base-uri",
        Unit::CloudB2c,
        "base-uri",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.profile.tenant-id",
        Unit::CloudB2c,
        "tenant-id",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.credential.client-id",
        Unit::CloudB2c,
        "client-id",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.credential.client-secret",
        Unit::CloudB2c,
        "client-secret",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.app-id-uri",
        Unit::CloudB2c,
        "app-id-uri",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.login-flow",
        Unit::CloudB2c,
        "login-flow",
    ),
    known(
        "spring.cloud.azure.active-directory.b2c.user-flows.*",
        Unit::CloudB2c,
        "user-flows",
    ),
    known(
        "spring.cloud.azure.active-directory.enabled",
        Unit::CloudAad,
        "enabled",
    ),
    known(
        "spring.cloud.azure.active-directory.profile.tenant-id",
        Unit::CloudAad,
        "tenant-id",
    ),
    known(
        "spring.cloud.azure.active-directory.profile.cloud-type",
        Unit::CloudAad,
        "cloud-type",
    ),
    // Spring Cloud Azure 4.0's name for it (AadProfileProperties.setCloud).
    known(
        "spring.cloud.azure.active-directory.profile.cloud",
        Unit::CloudAad,
        "cloud-type",
    ),
    known(
        "spring.cloud.azure.active-directory.profile.environment.active-directory-endpoint",
        Unit::CloudAad,
        "active-directory-endpoint",
    ),
    known(
        "spring.cloud.azure.active-directory.credential.client-id",
        Unit::CloudAad,
        "client-id",
    ),
    known(
        "spring.cloud.azure.active-directory.credential.client-secret",
        Unit::CloudAad,
        "client-secret",
    ),
    known(
        "spring.cloud.azure.active-directory.app-id-uri",
        Unit::CloudAad,
        "app-id-uri",
    ),
    known(
        "spring.cloud.azure.active-directory.application-type",
        Unit::CloudAad,
        "application-type",
    ),
    known(
        "azure.activedirectory.b2c.tenant",
        Unit::LegacyB2c,
        "tenant-name",
    ),
    known(
        "azure.activedirectory.b2c.tenant-name",
        Unit::LegacyB2c,
        "tenant-name",
    ),
    known(
        "azure.activedirectory.b2c.tenant-id",
        Unit::LegacyB2c,
        "tenant-id",
    ),
    known(
        "azure.activedirectory.b2c.base-uri",
        Unit::LegacyB2c,
        "base-uri",
    ),
    known(
        "azure.activedirectory.b2c.client-id",
        Unit::LegacyB2c,
        "client-id",
    ),
    known(
        "azure.activedirectory.b2c.client-secret",
        Unit::LegacyB2c,
        "client-secret",
    ),
    known(
        "azure.activedirectory.b2c.app-id-uri",
        Unit::LegacyB2c,
        "app-id-uri",
    ),
    known(
        "azure.activedirectory.b2c.login-flow",
        Unit::LegacyB2c,
        "login-flow",
    ),
    known(
        "azure.activedirectory.b2c.user-flows.*",
        Unit::LegacyB2c,
        "user-flows",
    ),
    known(
        "azure.activedirectory.tenant-id",
        Unit::LegacyAad,
        "tenant-id",
    ),
    known(
        "azure.activedirectory.client-id",
        Unit::LegacyAad,
        "client-id",
    ),
    known(
        "azure.activedirectory.client-secret",
        Unit::LegacyAad,
        "client-secret",
    ),
    known(
        "azure.activedirectory.app-id-uri",
        Unit::LegacyAad,
        "app-id-uri",
    ),
    known(
        "azure.activedirectory.base-uri",
        Unit::LegacyAad,
        "base-uri",
    ),
];

/// Options that hold lists (`audiences[0]`, or one comma-separated value).
pub const LIST_OPTIONS: &[&str] = &["audiences", "scope"];

/// A key element as Spring compares it: lower case, letters and digits only.
pub fn canonical(element: &str) -> String {
    element
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The elements of a written key: `a.b[0].c` and `a.b.0.c` both give `a`, `b`, `0`, `c`;
/// bracketed elements keep dots (`map[a.b]`).
pub fn elements(key: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = key;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').unwrap_or(inner.len());
            found.push(&inner[..close]);
            rest = inner.get(close + 1..).unwrap_or_default();
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end > 0 {
                found.push(&rest[..end]);
            }
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    found
}

/// What a property path sets: the unit, its map key (registration or provider id), the option
/// (with a user flow's key, `user-flows:<key>`), and the list index when the path has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub unit: Unit,
    /// The registration or provider id as written; empty for units without one.
    pub id: String,
    pub option: String,
    pub index: Option<usize>,
}

/// The target of a key given as elements (any spelling Spring accepts).
pub fn target(path: &[&str]) -> Option<Target> {
    // Every known path starts with `spring` or `azure` and has at most nine elements: other
    // keys are passed over without comparing them with each known path.
    let first = canonical(path.first()?);
    if !(first == "spring" || first == "azure") || path.len() > 9 {
        return None;
    }
    let canonical_path: Vec<String> = path.iter().map(|e| canonical(e)).collect();
    KNOWN
        .iter()
        .find_map(|k| match_known(k, path, &canonical_path))
}

/// `pattern` (as written in [`KNOWN`]) and an element already made canonical are the same.
fn same_element(pattern: &str, canonical_element: &str) -> bool {
    (pattern.bytes())
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
        .eq(canonical_element.bytes())
}

fn match_known(known: &Known, path: &[&str], canonical_path: &[String]) -> Option<Target> {
    let length = known.path.split('.').count();
    if path.len() < length || path.len() > length + 1 {
        return None;
    }
    let mut id = String::new();
    let mut option = known.option.to_string();
    for ((p, e), c) in known.path.split('.').zip(path).zip(canonical_path) {
        if p == "*" {
            if known.option == "user-flows" {
                option = format!("user-flows:{e}");
            } else {
                id = e.to_string();
            }
        } else if !same_element(p, c) {
            return None;
        }
    }
    let index = match path.get(length) {
        Some(extra) => Some(extra.parse::<usize>().ok()?),
        None => None,
    };
    (index.is_none() || LIST_OPTIONS.contains(&known.option)).then_some(Target {
        unit: known.unit,
        id,
        option,
        index,
    })
}

/// The target of an environment variable (`SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI`
/// or `..._ISSUERURI`; `..._AUDIENCES_0`; `..._REGISTRATION_AZURE_CLIENTID`). Each element of a
/// known path takes as many `_`-separated words as spell it; a map key takes one word (Boot
/// maps each `_` of a variable to a dot, so an id with a separator cannot be addressed) and
/// comes out lower-case.
pub fn variable_target(name: &str) -> Option<Target> {
    let upper = name.to_ascii_uppercase();
    if !(upper.starts_with("SPRING_") || upper.starts_with("AZURE_ACTIVEDIRECTORY_")) {
        return None;
    }
    let words: Vec<String> = upper.split('_').map(|w| w.to_ascii_lowercase()).collect();
    KNOWN.iter().find_map(|k| {
        let path = variable_path(k.path, &words)?;
        let elements: Vec<&str> = path.iter().map(String::as_str).collect();
        match_known(k, &elements, &path)
    })
}

/// The variable's words grouped into the elements of `pattern` (plus a trailing index).
fn variable_path(pattern: &str, words: &[String]) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut at = 0;
    for element in pattern.split('.') {
        if element == "*" {
            path.push(words.get(at)?.clone());
            at += 1;
            continue;
        }
        let wanted = canonical(element);
        let mut spelled = String::new();
        while spelled.len() < wanted.len() {
            spelled.push_str(words.get(at)?);
            at += 1;
        }
        if spelled != wanted {
            return None;
        }
        path.push(spelled);
    }
    match &words[at..] {
        [] => {}
        // `..._AUDIENCES_0_` ends with an empty word.
        [index] | [index, _] if index.bytes().all(|b| b.is_ascii_digit()) && !index.is_empty() => {
            if words[at + 1..].iter().any(|w| !w.is_empty()) {
                return None;
            }
            path.push(index.clone());
        }
        _ => return None,
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_of(key: &str) -> Option<Target> {
        target(&elements(key))
    }

    #[test]
    fn relaxed_names_bind_one_property() {
        // upstream: spring-boot ConfigurationPropertyName.defaultElementEquals
        for key in [
            "spring.security.oauth2.resourceserver.jwt.issuer-uri",
            "spring.security.oauth2.resourceserver.jwt.issuerUri",
            "spring.security.oauth2.resourceserver.jwt.issuer_uri",
            "SPRING.security.OAuth2.resourceServer.jwt.ISSUER-URI",
        ] {
            let found = target_of(key).unwrap();
            assert_eq!(
                (found.unit, found.option.as_str()),
                (Unit::ResourceServer, "issuer-uri")
            );
        }
        // The singular key is kept under its own name: no model reads it as `audiences`.
        let singular = target_of("spring.security.oauth2.resourceserver.jwt.audience").unwrap();
        assert_eq!(singular.option, "audience");
        // upstream: Spring Cloud Azure 4.0 AadProfileProperties.setCloud (later setCloudType)
        let cloud = target_of("spring.cloud.azure.active-directory.profile.cloud").unwrap();
        assert_eq!(cloud.option, "cloud-type");
        assert_eq!(target_of("server.port"), None);
    }

    #[test]
    fn indexes_in_brackets_or_dots_and_map_keys() {
        let found = target_of("spring.security.oauth2.resourceserver.jwt.audiences[1]").unwrap();
        assert_eq!(found.index, Some(1));
        let found = target_of("spring.security.oauth2.resourceserver.jwt.audiences.0").unwrap();
        assert_eq!(found.index, Some(0));
        assert_eq!(
            target_of("spring.security.oauth2.resourceserver.jwt.issuer-uri.0"),
            None
        );
        let found =
            target_of("spring.security.oauth2.client.registration.my-app.client-id").unwrap();
        assert_eq!(
            (found.unit, found.id.as_str()),
            (Unit::Registration, "my-app")
        );
        let found =
            target_of("spring.cloud.azure.active-directory.b2c.user-flows.sign-up-or-sign-in")
                .unwrap();
        assert_eq!(found.option, "user-flows:sign-up-or-sign-in");
        let found = target_of("azure.activedirectory.b2c.tenant").unwrap();
        assert_eq!(
            (found.unit, found.option.as_str()),
            (Unit::LegacyB2c, "tenant-name")
        );
        assert_eq!(elements("a.map[x.y].b"), ["a", "map", "x.y", "b"]);
    }

    #[test]
    fn uniform_and_legacy_variables_both_bind() {
        // upstream: spring-boot SystemEnvironmentPropertyMapper (uniform and legacy forms)
        for name in [
            "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI",
            "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI",
        ] {
            assert_eq!(variable_target(name).unwrap().option, "issuer-uri");
        }
        let found =
            variable_target("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES_0_").unwrap();
        assert_eq!((found.option.as_str(), found.index), ("audiences", Some(0)));
        let found =
            variable_target("SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_AZURE_CLIENTID").unwrap();
        assert_eq!(
            (found.id.as_str(), found.option.as_str()),
            ("azure", "client-id")
        );
        let found = variable_target("SPRING_CLOUD_AZURE_ACTIVEDIRECTORY_PROFILE_TENANTID").unwrap();
        assert_eq!(
            (found.unit, found.option.as_str()),
            (Unit::CloudAad, "tenant-id")
        );
        assert_eq!(variable_target("SPRING_PROFILES_ACTIVE"), None);
        assert_eq!(variable_target("AzureAd__TenantId"), None);
        assert_eq!(
            variable_target("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI_X"),
            None
        );
    }
}
