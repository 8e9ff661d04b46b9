//! API Management policies (`validate-jwt`, `validate-azure-ad-token`), in policy XML files or
//! embedded in ARM JSON, and the named values they reference.

use crate::domain::values::brace_slots;
use crate::model::{Framework, Role, Setting};
use crate::read::json::{JsonNode, JsonValue};
use crate::read::policy;
use crate::read::xml::XmlElement;
use crate::read::yaml::YamlNode;
use crate::source::{FileId, Location, Span};
use crate::stacks::environment::variables::is_template_expression;
use crate::stacks::{FileApp, option_setting as setting};

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
pub fn apim(text: &str, file: FileId, map: &dyn Fn(Span) -> Span) -> Vec<FileApp> {
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
                apps.push(FileApp {
                    framework: Framework::ApimValidateJwt,
                    role: Role::Gateway,
                    environment: None,
                    precedence: None,
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
            apps.push(FileApp {
                framework: Framework::ApimValidateAzureAdToken,
                role: Role::Gateway,
                environment: None,
                precedence: None,
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
pub fn apim_in_arm(root: &JsonNode, text: &str, file: FileId) -> Vec<FileApp> {
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
}
