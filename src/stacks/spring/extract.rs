//! Spring configuration files and `SPRING_*` variables become apps: one per unit that reads
//! them (the resource server, each client registration, the Spring Cloud Azure starters), per
//! profile.
//!
//! upstream: spring-projects/spring-boot core/spring-boot/.../context/config/StandardConfigDataReference.java
//! (profile files are `<name>-<profile>.<ext>`), StandardConfigDataLocationResolver.java
//! (`application` is the default name), YamlPropertySourceLoader / OriginTrackedYamlLoader
//! (nested maps flatten to dotted names, lists to `[i]`), and `spring.config.activate.on-profile`
//! scoping one document of a multi-document file.

use super::binding::{self, LIST_OPTIONS, Target, Unit, canonical};
use crate::model::{Framework, Layer, Role, Setting};
use crate::read::properties::Property;
use crate::read::yaml::{YamlNode, YamlValue};
use crate::source::{FileId, Location, Span};
use crate::stacks::FileApp;
use std::collections::BTreeMap;

/// One value of a configuration file, with its key as written (dotted, `[i]` for list items).
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
    pub document: usize,
}

/// The profile a file name says (`application-prod.yml` → `prod`), and whether the name is one
/// Spring Boot loads at all (`application*` and Spring Cloud's `bootstrap*`).
pub fn profile_of_name(lower_name: &str) -> Option<Option<String>> {
    let stem = [".yml", ".yaml", ".properties"]
        .iter()
        .find_map(|ext| lower_name.strip_suffix(ext))?;
    let rest = ["application", "bootstrap"]
        .iter()
        .find_map(|base| stem.strip_prefix(base))?;
    match rest {
        "" => Some(None),
        _ => rest
            .strip_prefix('-')
            .filter(|p| !p.is_empty())
            .map(|p| Some(p.to_string())),
    }
}

/// Cheap test before parsing: the text names a property family this stack reads.
pub fn mentions_spring_identity(text: &str) -> bool {
    [
        "oauth2",
        "OAuth2",
        "active-directory",
        "activedirectory",
        "activeDirectory",
        "ACTIVEDIRECTORY",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// Flattens YAML documents the way Spring Boot's loader does.
pub fn yaml_entries(documents: &[YamlNode]) -> Vec<Entry> {
    let mut found = Vec::new();
    for (document, root) in documents.iter().enumerate() {
        flatten(root, "", Span::default(), document, &mut found);
    }
    found
}

fn flatten(node: &YamlNode, key: &str, key_span: Span, document: usize, out: &mut Vec<Entry>) {
    match &node.value {
        YamlValue::Mapping(entries) => {
            for (name, span, child) in entries {
                let joined = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                flatten(child, &joined, *span, document, out);
            }
        }
        YamlValue::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, &format!("{key}[{i}]"), key_span, document, out);
            }
        }
        YamlValue::Scalar(text) => {
            if !key.is_empty() {
                out.push(Entry {
                    key: key.to_string(),
                    value: text.clone(),
                    key_span,
                    value_span: node.span,
                    document,
                });
            }
        }
    }
}

pub fn properties_entries(properties: Vec<Property>) -> Vec<Entry> {
    properties
        .into_iter()
        .map(|p| Entry {
            key: p.key,
            value: p.value,
            key_span: p.key_span,
            value_span: p.value_span,
            document: p.document,
        })
        .collect()
}

/// The value Spring will see: `${NAME:default}` gives its default (the value when nothing sets
/// `NAME`); a placeholder without one is unknown until run time, `None`.
/// upstream: spring-projects/spring-framework spring-core/.../util/PlaceholderParser.java
/// (`${name:default}`, `:` separates the default).
pub fn resolve_placeholders(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(open) = rest.find("${") {
        out.push_str(&rest[..open]);
        let inner_start = open + 2;
        let close = rest[inner_start..].find('}')? + inner_start;
        let inner = &rest[inner_start..close];
        let (_, default) = inner.split_once(':')?;
        if default.contains("${") {
            return None;
        }
        out.push_str(default);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The framework of a unit's apps.
fn framework_of(unit: Unit) -> Framework {
    match unit {
        Unit::ResourceServer => Framework::SpringResourceServer,
        Unit::Provider | Unit::Registration => Framework::SpringOauth2Client,
        Unit::CloudAad => Framework::SpringCloudAzureAad,
        Unit::CloudB2c => Framework::SpringCloudAzureAadB2c,
        Unit::LegacyAad => Framework::AzureSpringBootAad,
        Unit::LegacyB2c => Framework::AzureSpringBootAadB2c,
    }
}

/// The role of a unit's app. The starters pick theirs from the classpath unless
/// `application-type` says (upstream: AadAuthenticationProperties / ResourceServerCondition:
/// `resource_server`, `resource_server_with_obo`, `web_application`,
/// `web_application_and_resource_server`); the B2C resource server runs only with a tenant id
/// (AadB2cResourceServerAutoConfiguration trusts issuers built from it).
fn role_of(unit: Unit, options: &[(String, Setting)]) -> Role {
    let option = |name: &str| {
        (options.iter().rev())
            .find(|(o, _)| o == name)
            .and_then(|(_, s)| s.text())
    };
    match unit {
        Unit::ResourceServer => Role::WebApi,
        Unit::Provider | Unit::Registration => Role::WebApp,
        Unit::CloudAad | Unit::LegacyAad => match option("application-type") {
            Some(t) if t.to_ascii_lowercase().contains("resource_server") => Role::WebApi,
            Some(t) if t.eq_ignore_ascii_case("web_application") => Role::WebApp,
            _ => Role::Unknown,
        },
        Unit::CloudB2c | Unit::LegacyB2c if option("tenant-id").is_some() => Role::WebApi,
        Unit::CloudB2c | Unit::LegacyB2c => Role::WebApp,
    }
}

/// How reports name a unit's app.
fn section_of(unit: Unit, id: &str) -> String {
    match unit {
        Unit::ResourceServer => "spring.security.oauth2.resourceserver.jwt".into(),
        Unit::Provider => format!("spring.security.oauth2.client.provider.{id}"),
        Unit::Registration => format!("spring.security.oauth2.client.registration.{id}"),
        Unit::CloudAad => "spring.cloud.azure.active-directory".into(),
        Unit::CloudB2c => "spring.cloud.azure.active-directory.b2c".into(),
        Unit::LegacyAad => "azure.activedirectory".into(),
        Unit::LegacyB2c => "azure.activedirectory.b2c".into(),
    }
}

/// One setting bound to a unit.
pub struct Bound {
    pub target: Target,
    pub setting: Setting,
    pub environment: Option<String>,
}

/// The settings of a file's entries that a unit reads, each with its profile: the file's,
/// or the document's `spring.config.activate.on-profile`.
pub fn bind_entries(entries: &[Entry], file: FileId, file_profile: Option<&str>) -> Vec<Bound> {
    let on_profile: BTreeMap<usize, String> = entries
        .iter()
        .filter(|e| {
            let elements: Vec<String> = binding::elements(&e.key)
                .into_iter()
                .map(canonical)
                .collect();
            elements == ["spring", "config", "activate", "onprofile"]
        })
        .map(|e| (e.document, e.value.trim().to_string()))
        .collect();
    let mut bound = Vec::new();
    for entry in entries {
        let Some(target) = binding::target(&binding::elements(&entry.key)) else {
            continue;
        };
        let environment = on_profile
            .get(&entry.document)
            .cloned()
            .or_else(|| file_profile.map(str::to_string));
        let setting = Setting {
            key: entry.key.clone(),
            value: resolve_placeholders(&entry.value).unwrap_or_default(),
            origin: Location {
                file,
                span: entry.value_span,
            },
            key_span: entry.key_span,
            layer: match &environment {
                Some(p) => Layer::Environment(p.as_str().into()),
                None => Layer::Base,
            },
            is_string: true,
        };
        bound.push(Bound {
            target,
            setting,
            environment,
        });
    }
    bound
}

/// The settings `SPRING_*` variables set, in the layer of their source.
pub fn bind_variables(
    variables: &[crate::stacks::environment::variables::Variable],
    label: &str,
) -> Vec<Bound> {
    variables
        .iter()
        .filter_map(|variable| {
            let target = binding::variable_target(&variable.name)?;
            Some(Bound {
                target,
                setting: Setting {
                    key: variable.name.clone(),
                    value: resolve_placeholders(&variable.value).unwrap_or_default(),
                    origin: variable.origin,
                    key_span: variable.name_span,
                    layer: Layer::Variables(label.into()),
                    is_string: true,
                },
                environment: Some(label.to_string()),
            })
        })
        .collect()
}

/// The option key a setting is stored under: list items get their index (a comma-separated
/// value is split, as Spring's conversion service splits it).
fn push_option(options: &mut Vec<(String, Setting)>, target: &Target, setting: Setting) {
    if !LIST_OPTIONS.contains(&target.option.as_str()) {
        options.push((target.option.clone(), setting));
        return;
    }
    let prefix = format!("{}:", target.option);
    if let Some(index) = target.index {
        options.push((format!("{prefix}{index}"), setting));
        return;
    }
    let items: Vec<&str> = setting
        .value
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    if items.is_empty() {
        options.push((format!("{prefix}0"), setting));
        return;
    }
    for (i, item) in items.iter().enumerate() {
        options.push((
            format!("{prefix}{i}"),
            Setting {
                value: item.to_string(),
                ..setting.clone()
            },
        ));
    }
}

/// Groups bound settings into apps. A client registration takes its provider's options
/// (`provider`, else a provider of the registration's own id: upstream spring-boot
/// OAuth2ClientPropertiesMapper); a provider no registration uses is an app of its own.
pub fn apps(bound: Vec<Bound>, file: FileId) -> Vec<FileApp> {
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for b in bound {
        let key = (
            b.target.unit,
            canonical(&b.target.id),
            b.environment.clone(),
        );
        let group = groups.entry(key).or_insert_with(|| Group {
            written: b.target.id.clone(),
            at: Location {
                file: b.setting.file(),
                span: b.setting.key_span,
            },
            options: Vec::new(),
        });
        push_option(&mut group.options, &b.target, b.setting);
    }
    // Which provider each registration uses (by canonical id), whatever profile names it.
    let mut provider_of: BTreeMap<String, (String, String)> = BTreeMap::new();
    for ((unit, id, _), group) in &groups {
        if *unit != Unit::Registration {
            continue;
        }
        let named = (group.options.iter().rev())
            .find(|(o, _)| o == "provider")
            .and_then(|(_, s)| s.text())
            .map(canonical);
        let entry = provider_of
            .entry(id.clone())
            .or_insert_with(|| (group.written.clone(), id.clone()));
        if let Some(provider) = named {
            entry.1 = provider;
        }
    }
    let mut found = Vec::new();
    for ((unit, id, environment), group) in &groups {
        let used = *unit == Unit::Provider && provider_of.values().any(|(_, p)| p == id);
        if *unit == Unit::Registration || used {
            continue;
        }
        found.push(FileApp {
            framework: framework_of(*unit),
            role: role_of(*unit, &group.options),
            section: section_of(*unit, &group.written),
            at: group.at,
            environment: environment.clone(),
            precedence: None,
            options: group.options.clone(),
            file,
        });
    }
    let mut environments: Vec<Option<String>> = groups.keys().map(|(_, _, e)| e.clone()).collect();
    environments.sort();
    environments.dedup();
    for environment in &environments {
        for (registration, (written, provider)) in &provider_of {
            let own = groups.get(&(
                Unit::Registration,
                registration.clone(),
                environment.clone(),
            ));
            let from_provider =
                groups.get(&(Unit::Provider, provider.clone(), environment.clone()));
            let Some(at) = own.or(from_provider).map(|g| g.at) else {
                continue;
            };
            let options: Vec<(String, Setting)> = (from_provider.into_iter().chain(own))
                .flat_map(|g| g.options.iter().cloned())
                .collect();
            found.push(FileApp {
                framework: framework_of(Unit::Registration),
                role: Role::WebApp,
                section: section_of(Unit::Registration, written),
                at,
                environment: environment.clone(),
                precedence: None,
                options,
                file,
            });
        }
    }
    found
}

/// A unit, its canonical map key (registration or provider id) and its profile.
type GroupKey = (Unit, String, Option<String>);

/// The settings one unit reads in one profile.
struct Group {
    /// The map key as first written.
    written: String,
    /// The first key of the unit: where findings about the app point.
    at: Location,
    options: Vec<(String, Setting)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{properties, yaml};

    fn option<'a>(app: &'a FileApp, name: &str) -> Option<&'a str> {
        app.options
            .iter()
            .rev()
            .find(|(o, _)| o == name)
            .map(|(_, s)| s.value.as_str())
    }

    fn from_yaml(text: &str, profile: Option<&str>) -> Vec<FileApp> {
        let docs = yaml::parse(text).unwrap();
        apps(
            bind_entries(&yaml_entries(&docs), FileId(0), profile),
            FileId(0),
        )
    }

    #[test]
    fn profile_file_names() {
        // upstream: spring-boot StandardConfigDataReference ("-" + profile)
        assert_eq!(profile_of_name("application.yml"), Some(None));
        assert_eq!(
            profile_of_name("application-prod.yaml"),
            Some(Some("prod".into()))
        );
        assert_eq!(profile_of_name("bootstrap.properties"), Some(None));
        assert_eq!(profile_of_name("application-.yml"), None);
        assert_eq!(profile_of_name("applicationinsights.json"), None);
        assert_eq!(profile_of_name("authentication.properties"), None);
    }

    #[test]
    fn nested_and_dotted_yaml_keys_are_one_property() {
        let text = "spring:\n  security:\n    oauth2.resourceserver:\n      jwt:\n        issuerUri: https://login.microsoftonline.com/t/v2.0\n        audiences:\n          - api://a\n          - b\n";
        let found = from_yaml(text, None);
        assert_eq!(found.len(), 1);
        let app = &found[0];
        assert_eq!(app.framework, Framework::SpringResourceServer);
        assert_eq!(
            option(app, "issuer-uri"),
            Some("https://login.microsoftonline.com/t/v2.0")
        );
        assert_eq!(option(app, "audiences:1"), Some("b"));
        let issuer = &app.options[0].1;
        assert_eq!(
            &text[issuer.origin.span.start..issuer.origin.span.end],
            "https://login.microsoftonline.com/t/v2.0"
        );
        assert_eq!(
            issuer.key,
            "spring.security.oauth2.resourceserver.jwt.issuerUri"
        );
    }

    #[test]
    fn documents_activated_on_a_profile_are_layers() {
        let text = "spring.security.oauth2.resourceserver.jwt.issuer-uri: https://a/v2.0\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\n  security.oauth2.resourceserver.jwt.issuer-uri: https://b/v2.0\n";
        let found = from_yaml(text, None);
        let envs: Vec<Option<&str>> = found.iter().map(|a| a.environment.as_deref()).collect();
        assert_eq!(envs, [None, Some("prod")]);
        assert_eq!(option(&found[1], "issuer-uri"), Some("https://b/v2.0"));
    }

    #[test]
    fn placeholders_use_their_default_or_are_unknown() {
        // upstream: spring-framework PlaceholderParser (`${name:default}`)
        assert_eq!(
            resolve_placeholders("https://h/${TENANT:abc}/v2.0").as_deref(),
            Some("https://h/abc/v2.0")
        );
        assert_eq!(resolve_placeholders("https://h/${TENANT_ID}/v2.0"), None);
        assert_eq!(resolve_placeholders("${A:${B}}"), None);
        assert_eq!(resolve_placeholders("${unclosed"), None);
        let found = from_yaml("azure.activedirectory.client-id: ${CLIENT_ID}\n", None);
        assert_eq!(option(&found[0], "client-id"), Some(""));
    }

    #[test]
    fn registrations_take_their_providers_options() {
        let text = "spring.security.oauth2.client:\n  provider:\n    aad:\n      issuer-uri: https://login.microsoftonline.com/t/v2.0\n    unused:\n      issuer-uri: https://x/\n  registration:\n    web:\n      provider: aad\n      client-id: c\n      scope: openid, User.Read,\n    aad:\n      client-id: d\n";
        let found = from_yaml(text, None);
        let sections: Vec<&str> = found.iter().map(|a| a.section.as_str()).collect();
        assert_eq!(
            sections,
            [
                "spring.security.oauth2.client.provider.unused",
                "spring.security.oauth2.client.registration.aad",
                "spring.security.oauth2.client.registration.web",
            ]
        );
        let web = &found[2];
        assert_eq!(
            option(web, "issuer-uri"),
            Some("https://login.microsoftonline.com/t/v2.0")
        );
        assert_eq!(option(web, "scope:1"), Some("User.Read"));
        assert_eq!(option(web, "scope:2"), None);
        assert_eq!(
            option(&found[1], "issuer-uri"),
            Some("https://login.microsoftonline.com/t/v2.0")
        );
    }

    #[test]
    fn a_profile_document_overriding_only_the_provider_layers_on_each_registration() {
        let text = "spring.security.oauth2.client.provider.aad.issuer-uri: https://a/v2.0\nspring.security.oauth2.client.registration.web.provider: aad\n---\nspring.config.activate.on-profile: prod\nspring.security.oauth2.client.provider.aad.issuer-uri: https://b/v2.0\n";
        let found = from_yaml(text, None);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].environment.as_deref(), Some("prod"));
        assert_eq!(
            found[1].section,
            "spring.security.oauth2.client.registration.web"
        );
        assert_eq!(option(&found[1], "issuer-uri"), Some("https://b/v2.0"));
    }

    #[test]
    fn properties_files_bind_like_yaml() {
        let text = "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://login.microsoftonline.com/t/v2.0\nspring.security.oauth2.resourceserver.jwt.audiences[0]=api://a\n";
        let entries = properties_entries(properties::parse(text));
        let found = apps(bind_entries(&entries, FileId(0), Some("dev")), FileId(0));
        assert_eq!(found[0].environment.as_deref(), Some("dev"));
        assert_eq!(option(&found[0], "audiences:0"), Some("api://a"));
    }

    #[test]
    fn cheap_test_skips_unrelated_files() {
        assert!(!mentions_spring_identity("server:\n  port: 8080\n"));
        assert!(mentions_spring_identity(
            "spring.security.oauth2.client.registration.x.client-id=1"
        ));
    }
}
