//! Gateways and proxies that validate tokens in front of an API: API Management policies
//! (`validate-jwt`, `validate-azure-ad-token`, in policy XML files or embedded in ARM JSON),
//! App Service / Container Apps authentication settings, and oauth2-proxy (`.cfg` files,
//! `OAUTH2_PROXY_*` variables, `--flag=value` container arguments).

use crate::domain::values::brace_slots;
use crate::extract::overrides::{Variable, is_template_expression};
use crate::model::{Framework, Layer, Setting};
use crate::read::json::{JsonNode, JsonValue};
use crate::read::policy;
use crate::read::xml::XmlElement;
use crate::read::yaml::YamlNode;
use crate::source::{FileId, Location, Span};

/// A gateway configuration, its options keyed the way its framework model reads them.
#[derive(Debug, Clone)]
pub struct GatewayApp {
    pub framework: Framework,
    pub file: FileId,
    /// How reports name it (`validate-jwt`, `authsettingsV2 'orders'`, `oauth2-proxy`).
    pub section: String,
    /// Where the configuration starts, for findings about it as a whole.
    pub at: Location,
    pub options: Vec<(String, Setting)>,
}

fn setting(file: FileId, key: &str, value: &str, span: Span) -> Setting {
    Setting {
        key: key.to_string(),
        value: value.to_string(),
        origin: Location { file, span },
        key_span: span,
        layer: Layer::Base,
        is_string: true,
    }
}

/// `{{name}}` named values referenced by a text, for per-environment resolution.
pub fn named_value_references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        found.push(rest[open + 2..open + close].trim().to_string());
        rest = &rest[open + close + 2..];
    }
    found
}

fn walk<'e>(element: &'e XmlElement, found: &mut Vec<&'e XmlElement>) {
    if element.name == "validate-jwt" || element.name == "validate-azure-ad-token" {
        found.push(element);
    }
    for child in &element.children {
        walk(child, found);
    }
}

/// Every token validation policy of a policy document. `text` is the document as the policy
/// reader saw it; `map` turns its spans into file spans (identity for XML files, escapes for
/// policies embedded in JSON strings).
pub fn apim(text: &str, file: FileId, map: &dyn Fn(Span) -> Span) -> Vec<GatewayApp> {
    let roots = policy::parse(text, 0);
    let mut policies = Vec::new();
    for root in &roots {
        walk(root, &mut policies);
    }
    let attr = |element: &XmlElement, name: &str, key: &str| {
        element
            .attribute(name)
            .map(|a| setting(file, key, &a.value, map(a.value_span)))
    };
    // Attributes as options: (attribute, option the model reads).
    let attributes =
        |element: &XmlElement, options: &mut Vec<(String, Setting)>, names: &[(&str, &str)]| {
            for (name, option) in names {
                options.extend(attr(element, name, name).map(|s| (option.to_string(), s)));
            }
        };
    let texts = |element: Option<&XmlElement>, child: &str, key: &str| -> Vec<Setting> {
        element
            .map(|e| {
                e.children
                    .iter()
                    .filter(|c| c.name == child)
                    .filter_map(|c| policy::inner_text(text, c, 0))
                    .map(|(v, span)| setting(file, key, &v, map(span)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut apps = Vec::new();
    for element in policies {
        let child = |name: &str| element.children.iter().find(|c| c.name == name);
        let at = Location {
            file,
            span: map(element.span),
        };
        let mut options: Vec<(String, Setting)> = Vec::new();
        let push_list =
            |options: &mut Vec<(String, Setting)>, lookup: &str, values: Vec<Setting>| {
                for (i, value) in values.into_iter().enumerate() {
                    options.push((format!("{lookup}:{i}"), value));
                }
            };
        if element.name == "validate-jwt" {
            attributes(
                element,
                &mut options,
                &[
                    ("header-name", "header-name"),
                    ("require-scheme", "require-scheme"),
                    ("query-parameter-name", "query-parameter-name"),
                    ("token-value", "token-value"),
                ],
            );
            push_list(
                &mut options,
                "ValidIssuers",
                texts(child("issuers"), "issuer", "issuer"),
            );
            let mut audiences = texts(child("audiences"), "audience", "audience");
            if let Some(claims) = child("required-claims") {
                for claim in claims.children.iter().filter(|c| c.name == "claim") {
                    let name = claim
                        .attribute("name")
                        .map(|a| a.value.as_str())
                        .unwrap_or_default();
                    let values = texts(
                        Some(claim),
                        "value",
                        &format!("required-claims claim '{name}'"),
                    );
                    match name {
                        "aud" => audiences.extend(values),
                        _ => push_list(&mut options, &format!("required-claim-{name}"), values),
                    }
                }
            }
            push_list(&mut options, "ValidAudiences", audiences);
            if let Some(keys) = child("issuer-signing-keys") {
                options.push((
                    "issuer-signing-keys".into(),
                    setting(file, "issuer-signing-keys", "", map(keys.span)),
                ));
            }
            // Each openid-config is a separate source of keys and issuers; without one the
            // policy still validates (with its own keys).
            let mut configs: Vec<Option<Setting>> = element
                .children
                .iter()
                .filter(|c| c.name == "openid-config")
                .filter_map(|c| attr(c, "url", "openid-config url"))
                .map(Some)
                .collect();
            if configs.is_empty() {
                configs.push(None);
            }
            for config in configs {
                let mut with = options.clone();
                with.extend(config.map(|c| ("MetadataAddress".to_string(), c)));
                apps.push(GatewayApp {
                    framework: Framework::ApimValidateJwt,
                    file,
                    section: "validate-jwt".into(),
                    at,
                    options: with,
                });
            }
        } else {
            attributes(
                element,
                &mut options,
                &[
                    ("tenant-id", "TenantId"),
                    ("authentication-endpoint", "Instance"),
                    ("header-name", "header-name"),
                ],
            );
            push_list(
                &mut options,
                "ValidAudiences",
                texts(child("audiences"), "audience", "audience"),
            );
            push_list(
                &mut options,
                "ClientApplicationIds",
                texts(
                    child("client-application-ids"),
                    "application-id",
                    "client-application-ids application-id",
                ),
            );
            push_list(
                &mut options,
                "BackendApplicationIds",
                texts(
                    child("backend-application-ids"),
                    "application-id",
                    "backend-application-ids application-id",
                ),
            );
            apps.push(GatewayApp {
                framework: Framework::ApimValidateAzureAdToken,
                file,
                section: "validate-azure-ad-token".into(),
                at,
                options,
            });
        }
    }
    apps
}

/// A JSON string's decoded text, and for each decoded byte the offset of the raw byte it came
/// from, so spans inside the text map back into the file.
fn decode_json_string(raw: &str, raw_start: usize) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut map = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let decoded = if c == '\\' {
            match chars.next() {
                Some((_, 'n')) => '\n',
                Some((_, 't')) => '\t',
                Some((_, 'r')) => '\r',
                Some((_, 'u')) => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{FFFD}')
                }
                Some((_, other)) => other,
                None => break,
            }
        } else {
            c
        };
        for _ in 0..decoded.len_utf8() {
            map.push(raw_start + i);
        }
        out.push(decoded);
    }
    map.push(raw_start + raw.len());
    (out, map)
}

/// Policies embedded in ARM JSON (`Microsoft.ApiManagement/service/.../policies` with
/// `format: rawxml` or `xml`, or policy text in template variables). Findings point into the
/// JSON string.
pub fn apim_in_arm(root: &JsonNode, text: &str, file: FileId) -> Vec<GatewayApp> {
    let mut apps = Vec::new();
    for value in root.descendants() {
        // Policy resources' `properties.value`, and policy text kept in template variables or
        // parameters: any string that holds a token validation policy.
        let holds_policy = value
            .as_str()
            .is_some_and(|t| t.contains("<validate-jwt") || t.contains("<validate-azure-ad-token"));
        if !holds_policy {
            continue;
        }
        let Some(raw) = text.get(value.span.start + 1..value.span.end.saturating_sub(1)) else {
            continue;
        };
        let (decoded, offsets) = decode_json_string(raw, value.span.start + 1);
        let map = |span: Span| {
            Span::new(
                offsets[span.start.min(offsets.len() - 1)],
                offsets[span.end.min(offsets.len() - 1)],
            )
        };
        apps.extend(apim(&decoded, file, &map));
    }
    apps
}

/// App Service / Functions / Container Apps authentication: ARM `authsettingsV2` and
/// `authsettings` config resources, Container Apps `authConfigs`, the file-based `auth.json`,
/// and `az webapp auth show` output.
pub fn app_service_auth(root: &JsonNode, file: FileId) -> Vec<GatewayApp> {
    let mut apps = Vec::new();
    // A resource is met twice: as itself and as its `properties`; count its provider once.
    let mut seen: Vec<Span> = Vec::new();
    let mut stack: Vec<(&JsonNode, String)> = vec![(root, "auth settings".to_string())];
    while let Some((node, name)) = stack.pop() {
        match &node.value {
            JsonValue::Object(members) => {
                stack.extend(members.iter().map(|m| (&m.value, name.clone())))
            }
            JsonValue::Array(items) => stack.extend(items.iter().map(|i| (i, name.clone()))),
            _ => {}
        }
        let kind = node
            .get("type")
            .and_then(JsonNode::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = node
            .get("name")
            .and_then(JsonNode::as_str)
            .unwrap_or_default();
        let properties = node.get("properties");
        let v1 = kind.ends_with("/config") && name.to_ascii_lowercase().ends_with("authsettings");
        // The site's name, for reports: `orders-api/authsettingsV2` names site `orders-api`.
        let site = name.split('/').next().filter(|s| {
            !s.is_empty()
                && !is_template_expression(name)
                && !s.eq_ignore_ascii_case("authsettingsV2")
        });
        let label =
            |kind: &str| site.map_or(kind.to_string(), |site| format!("{kind} of '{site}'"));
        let provider = node
            .get("identityProviders")
            .or_else(|| properties.and_then(|p| p.get("identityProviders")))
            .and_then(|p| p.get("azureActiveDirectory"));
        let at = Location {
            file,
            span: node.span,
        };
        let value_of = |n: Option<&JsonNode>, key: &str| -> Option<Setting> {
            let n = n?;
            let text = n.as_str()?;
            // Known only at deployment: the option is set, its value unknown.
            let text = if is_template_expression(text) {
                ""
            } else {
                text
            };
            Some(setting(file, key, text, n.span))
        };
        let list_of = |n: Option<&JsonNode>, key: &str| -> Vec<Setting> {
            match n.map(|n| &n.value) {
                Some(JsonValue::Array(items)) => items
                    .iter()
                    .filter_map(|i| value_of(Some(i), key))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut options: Vec<(String, Setting)> = Vec::new();
        let section;
        if let Some(aad) = provider {
            if seen.contains(&aad.span) {
                continue;
            }
            seen.push(aad.span);
            let registration = aad.get("registration");
            options.extend(
                value_of(
                    registration.and_then(|r| r.get("openIdIssuer")),
                    "openIdIssuer",
                )
                .map(|s| ("Authority".to_string(), s)),
            );
            options.extend(
                value_of(registration.and_then(|r| r.get("clientId")), "clientId")
                    .map(|s| ("ClientId".to_string(), s)),
            );
            let validation = aad.get("validation");
            for (i, audience) in list_of(
                validation.and_then(|v| v.get("allowedAudiences")),
                "allowedAudiences",
            )
            .into_iter()
            .enumerate()
            {
                options.push((format!("ValidAudiences:{i}"), audience));
            }
            if aad
                .get("enabled")
                .is_some_and(|e| matches!(&e.value, JsonValue::Scalar(v) if v == "false"))
            {
                continue;
            }
            section = label(if kind.contains("containerapps/authconfigs") {
                "authConfigs"
            } else {
                "authsettingsV2"
            });
        } else if v1 && let Some(p) = properties {
            options
                .extend(value_of(p.get("issuer"), "issuer").map(|s| ("Authority".to_string(), s)));
            options.extend(
                value_of(p.get("clientId"), "clientId").map(|s| ("ClientId".to_string(), s)),
            );
            for (i, audience) in list_of(p.get("allowedAudiences"), "allowedAudiences")
                .into_iter()
                .enumerate()
            {
                options.push((format!("ValidAudiences:{i}"), audience));
            }
            section = label("authsettings");
        } else {
            continue;
        }
        if options
            .iter()
            .any(|(k, _)| k == "Authority" || k == "ClientId")
        {
            apps.push(GatewayApp {
                framework: Framework::AppServiceAuth,
                file,
                section,
                at,
                options,
            });
        }
    }
    apps
}

/// The oauth2-proxy option a `.cfg` key, `OAUTH2_PROXY_*` variable or `--flag` names.
pub fn oauth2_proxy_option(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(variable) = name.strip_prefix("OAUTH2_PROXY_") {
        return Some(variable.to_ascii_lowercase());
    }
    let flag = name.strip_prefix("--")?.replace('-', "_");
    // Repeatable flags are singular; their file keys and variables plural.
    Some(match flag.as_str() {
        "oidc_extra_audience" | "entra_id_allowed_tenant" | "oidc_audience_claim" => {
            format!("{flag}s")
        }
        _ => flag,
    })
}

/// Options that hold lists: comma-separated in variables, repeated as flags.
const LIST_OPTIONS: &[&str] = &[
    "oidc_extra_audiences",
    "extra_jwt_issuers",
    "entra_id_allowed_tenants",
    "oidc_audience_claims",
];

/// An oauth2-proxy configuration from options (any of the three surfaces).
pub fn oauth2_proxy(
    options: Vec<(String, Setting)>,
    file: FileId,
    at: Span,
    section: &str,
) -> Option<GatewayApp> {
    let known = |k: &str| options.iter().any(|(o, _)| o == k);
    (known("provider") || known("oidc_issuer_url")).then(|| GatewayApp {
        framework: Framework::Oauth2Proxy,
        file,
        section: section.to_string(),
        at: Location { file, span: at },
        options,
    })
}

/// A `.cfg` file (TOML syntax).
pub fn oauth2_proxy_cfg(text: &str, file: FileId) -> Result<Option<GatewayApp>, (String, Span)> {
    let table: std::collections::BTreeMap<String, toml::Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| {
            (
                e.message().to_string(),
                e.span()
                    .map_or(Span::default(), |r| Span::new(r.start, r.end)),
            )
        })?;
    let mut options = Vec::new();
    for (key, value) in table {
        let span = Span::new(value.span().start, value.span().end);
        match value.get_ref() {
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let text = item
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| item.to_string());
                    options.push((format!("{key}:{i}"), setting(file, &key, &text, span)));
                }
            }
            toml::Value::String(s) => options.push((key.clone(), setting(file, &key, s, span))),
            other => options.push((key.clone(), setting(file, &key, &other.to_string(), span))),
        }
    }
    Ok(oauth2_proxy(options, file, Span::new(0, 0), "oauth2-proxy"))
}

/// oauth2-proxy options set through variables and container arguments.
pub fn oauth2_proxy_from_variables(
    variables: &[Variable],
    file: FileId,
    label: &str,
) -> Option<GatewayApp> {
    let mut options: Vec<(String, Setting)> = Vec::new();
    for variable in variables {
        let Some(option) = oauth2_proxy_option(&variable.name) else {
            continue;
        };
        let mut s = setting(file, &variable.name, &variable.value, variable.origin.span);
        s.origin = variable.origin;
        if LIST_OPTIONS.contains(&option.as_str()) {
            let prefix = format!("{option}:");
            let first = options
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .count();
            for (next, value) in (first..).zip(variable.value.split(',')) {
                options.push((
                    format!("{prefix}{next}"),
                    Setting {
                        value: value.trim().to_string(),
                        ..s.clone()
                    },
                ));
            }
        } else {
            options.push((option, s));
        }
    }
    let at = variables.first().map_or(Span::default(), |v| v.origin.span);
    oauth2_proxy(options, file, at, label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json;

    #[test]
    fn validate_jwt_options_with_spans() {
        let text = r#"<policies><inbound><validate-jwt header-name="X-Token" require-scheme="Bearer">
<openid-config url="https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration" />
<issuers><issuer>https://login.microsoftonline.com/t/v2.0</issuer></issuers>
<required-claims><claim name="aud"><value>api://orders</value></claim></required-claims>
</validate-jwt></inbound></policies>"#;
        let apps = apim(text, FileId(0), &|s| s);
        assert_eq!(apps.len(), 1);
        let get = |k: &str| {
            apps[0]
                .options
                .iter()
                .find(|(o, _)| o == k)
                .map(|(_, s)| s)
                .unwrap()
        };
        assert_eq!(get("ValidAudiences:0").value, "api://orders");
        let issuer = get("ValidIssuers:0");
        assert_eq!(
            &text[issuer.origin.span.start..issuer.origin.span.end],
            "https://login.microsoftonline.com/t/v2.0"
        );
        assert_eq!(get("header-name").value, "X-Token");
    }

    #[test]
    fn policies_embedded_in_arm_point_into_the_json_string() {
        let text = r#"{"resources": [{"type": "Microsoft.ApiManagement/service/apis/policies", "properties": {"format": "rawxml", "value": "<policies><inbound><validate-jwt header-name=\"Authorization\"><openid-config url=\"https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration\" /></validate-jwt></inbound></policies>"}}]}"#;
        let root = json::parse(text).unwrap().unwrap();
        let apps = apim_in_arm(&root, text, FileId(0));
        let url = &apps[0]
            .options
            .iter()
            .find(|(k, _)| k == "MetadataAddress")
            .unwrap()
            .1;
        assert_eq!(
            &text[url.origin.span.start..url.origin.span.end],
            r#"\"https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration\""#
        );
    }

    #[test]
    fn easy_auth_in_every_shape() {
        let arm = json::parse(r#"{"resources": [{"type": "Microsoft.Web/sites/config", "name": "api/authsettingsV2", "properties": {"identityProviders": {"azureActiveDirectory": {"enabled": true, "registration": {"openIdIssuer": "https://sts.windows.net/t/v2.0", "clientId": "c"}, "validation": {"allowedAudiences": ["api://c"]}}}}}]}"#).unwrap().unwrap();
        let apps = app_service_auth(&arm, FileId(0));
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].section, "authsettingsV2 of 'api'");
        let file_based = json::parse(r#"{"platform": {"enabled": true}, "identityProviders": {"azureActiveDirectory": {"registration": {"openIdIssuer": "https://login.microsoftonline.com/t/v2.0", "clientId": "c"}}}}"#).unwrap().unwrap();
        assert_eq!(app_service_auth(&file_based, FileId(0)).len(), 1);
        let v1 = json::parse(r#"{"type": "Microsoft.Web/sites/config", "name": "authsettings", "properties": {"issuer": "https://sts.windows.net/t/", "clientId": "c"}}"#).unwrap().unwrap();
        assert_eq!(app_service_auth(&v1, FileId(0)).len(), 1);
    }

    #[test]
    fn named_values_resolve_and_secrets_stay_unknown() {
        let info = json::parse(r#"{"properties": {"displayName": "api-audience", "value": "api://orders", "secret": false}}"#).unwrap().unwrap();
        let secret = json::parse(
            r#"{"properties": {"displayName": "signing", "value": "c2VjcmV0", "secret": true}}"#,
        )
        .unwrap()
        .unwrap();
        let mut values = named_value_information(&info, "api-audience");
        values.extend(named_value_information(&secret, "signing"));
        let lookup = |name: &str| {
            values
                .iter()
                .find(|v| v.name == name)
                .map(|v| v.value.clone())
        };
        assert_eq!(
            resolve_named_values("{{api-audience}}", &lookup).as_deref(),
            Some("api://orders")
        );
        assert_eq!(resolve_named_values("{{signing}}", &lookup), None);
        assert_eq!(resolve_named_values("{{nowhere}}", &lookup), None);
        assert_eq!(
            resolve_named_values("@(context.Request.OriginalUrl.Host)", &lookup),
            None
        );
        assert_eq!(
            resolve_named_values(
                "https://login.microsoftonline.com/{tenant-id}/v2.0",
                &lookup
            ),
            None
        );
        assert_eq!(resolve_named_values("${openidUrl}", &lookup), None);
        let yaml = &crate::read::yaml::parse("namedValues:\n  - name: tid\n    properties:\n      value: t1\n  - name: kv\n    properties:\n      keyVault:\n        secretIdentifier: https://v.vault.azure.net/secrets/x\n").unwrap()[0];
        assert_eq!(
            named_values_in_configuration(yaml),
            vec![
                NamedValue {
                    name: "tid".into(),
                    value: Some("t1".into())
                },
                NamedValue {
                    name: "kv".into(),
                    value: None
                }
            ]
        );
    }

    #[test]
    fn oauth2_proxy_surfaces() {
        let app = oauth2_proxy_cfg("provider = \"entra-id\"\noidc_issuer_url = \"https://login.microsoftonline.us/t/v2.0\"\noidc_extra_audiences = [\"api://a\"]\n", FileId(0)).unwrap().unwrap();
        assert!(
            app.options
                .iter()
                .any(|(k, s)| k == "oidc_extra_audiences:0" && s.value == "api://a")
        );
        assert_eq!(
            oauth2_proxy_option("OAUTH2_PROXY_OIDC_ISSUER_URL").as_deref(),
            Some("oidc_issuer_url")
        );
        assert_eq!(
            oauth2_proxy_option("--pass-access-token").as_deref(),
            Some("pass_access_token")
        );
        assert_eq!(
            oauth2_proxy_option("--oidc-extra-audience").as_deref(),
            Some("oidc_extra_audiences")
        );
        assert!(oauth2_proxy_cfg("not toml = = x", FileId(0)).is_err());
    }
}

/// An API Management named value: `None` when its value is a secret or a Key Vault reference,
/// which is never guessed or printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedValue {
    pub name: String,
    pub value: Option<String>,
}

/// Named values from one file, and the environment they are deployed to (`None` for the
/// extracted artifacts every environment starts from).
#[derive(Debug, Clone)]
pub struct NamedValues {
    pub environment: Option<String>,
    /// How reports name the environment's source (`configuration.prod.yaml`).
    pub label: String,
    pub values: Vec<NamedValue>,
}

fn named_value(
    name: Option<&str>,
    display: Option<&str>,
    value: Option<&str>,
    secret: bool,
    key_vault: bool,
) -> Vec<NamedValue> {
    let value = (!secret && !key_vault)
        .then(|| value.map(str::to_string))
        .flatten();
    let mut names: Vec<&str> = name.into_iter().chain(display).collect();
    names.dedup();
    names
        .into_iter()
        .map(|n| NamedValue {
            name: n.to_string(),
            value: value.clone(),
        })
        .collect()
}

/// APIOps `named values/<name>/namedValueInformation.json`.
pub fn named_value_information(root: &JsonNode, folder: &str) -> Vec<NamedValue> {
    let properties = root.get("properties");
    let field = |k: &str| properties.and_then(|p| p.get(k));
    named_value(
        Some(folder),
        field("displayName").and_then(JsonNode::as_str),
        field("value").and_then(JsonNode::as_str),
        field("secret").is_some_and(|s| matches!(&s.value, JsonValue::Scalar(v) if v == "true")),
        field("keyVault").is_some(),
    )
}

/// `Microsoft.ApiManagement/service/namedValues` resources of an ARM template.
pub fn named_values_in_arm(root: &JsonNode) -> Vec<NamedValue> {
    let mut found = Vec::new();
    for node in root.descendants() {
        let kind = node
            .get("type")
            .and_then(JsonNode::as_str)
            .unwrap_or_default();
        if !kind.eq_ignore_ascii_case("Microsoft.ApiManagement/service/namedValues") {
            continue;
        }
        let properties = node.get("properties");
        let field = |k: &str| properties.and_then(|p| p.get(k));
        let value = field("value")
            .and_then(JsonNode::as_str)
            .filter(|v| !is_template_expression(v));
        let name = node
            .get("name")
            .and_then(JsonNode::as_str)
            .map(|n| n.rsplit('/').next().unwrap_or(n));
        found.extend(named_value(
            name.filter(|n| !is_template_expression(n)),
            field("displayName").and_then(JsonNode::as_str),
            value,
            field("secret")
                .is_some_and(|s| matches!(&s.value, JsonValue::Scalar(v) if v == "true"))
                || value.is_none(),
            field("keyVault").is_some(),
        ));
    }
    found
}

/// APIOps `configuration.<env>.yaml`: `namedValues: - name: x, properties: {value | keyVault}`.
pub fn named_values_in_configuration(document: &YamlNode) -> Vec<NamedValue> {
    document
        .get("namedValues")
        .map(YamlNode::items)
        .unwrap_or_default()
        .iter()
        .flat_map(|entry| {
            let properties = entry.get("properties");
            let field = |k: &str| properties.and_then(|p| p.get(k));
            named_value(
                entry.get("name").and_then(YamlNode::as_str),
                field("displayName").and_then(YamlNode::as_str),
                field("value").and_then(YamlNode::as_str),
                field("secret").and_then(YamlNode::as_str) == Some("true"),
                field("keyVault").is_some(),
            )
        })
        .collect()
}

/// A value with its `{{name}}` references replaced, or `None` when the value cannot be known
/// before the policy runs: a policy expression (`@(...)`, `@{...}`), or a reference to a named
/// value that is secret, kept in Key Vault, or not found.
pub fn resolve_named_values(
    value: &str,
    lookup: &dyn Fn(&str) -> Option<Option<String>>,
) -> Option<String> {
    let trimmed = value.trim_start();
    if trimmed.starts_with("@(") || trimmed.starts_with("@{") {
        return None;
    }
    // One pass: a policy may reference thousands of named values.
    let mut resolved = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 2..close];
        let found = lookup(inner.trim())??;
        resolved.push_str(&rest[..open]);
        if inner == inner.trim() {
            resolved.push_str(&found);
        } else {
            // `{{ name }}` is not how a policy writes a reference: kept as written.
            resolved.push_str(&rest[open..close + 2]);
        }
        rest = &rest[close + 2..];
    }
    resolved.push_str(rest);
    // Policy files are often templates that a deployment script fills in: Terraform's
    // `${name}`, format strings' `{name}`.
    let templated = resolved.contains("${") || brace_slots(&resolved).next().is_some();
    (!templated).then_some(resolved)
}
