//! Facts from exported app registrations and service principals (`az ad app show`,
//! `az ad sp show`, Graph `application` / `servicePrincipal` JSON, the portal's manifest).

use crate::model::RegistrationFacts;
use crate::read::json::{JsonNode, JsonValue};
use crate::source::{FileId, Location};

const REGISTRATION_MARKERS: &[&str] = &[
    "preferredSingleSignOnMode",
    "servicePrincipalType",
    "identifierUris",
    "requestedAccessTokenVersion",
    "accessTokenAcceptedVersion",
];

fn is_registration(node: &JsonNode) -> bool {
    node.get("appId").and_then(JsonNode::as_str).is_some()
        && (REGISTRATION_MARKERS.iter().any(|m| node.get(m).is_some())
            || node
                .get("api")
                .is_some_and(|api| api.get("requestedAccessTokenVersion").is_some()))
}

/// The registrations a JSON document holds: one object, an array of them, or a Graph list
/// (`{"value": [...]}`). `None` when the document is not such an export.
pub fn extract(root: &JsonNode, file: FileId) -> Option<Vec<RegistrationFacts>> {
    let candidates: Vec<&JsonNode> = match &root.value {
        JsonValue::Array(items) => items.iter().collect(),
        JsonValue::Object(_) => match root.get("value").map(|v| &v.value) {
            Some(JsonValue::Array(items)) if !is_registration(root) => items.iter().collect(),
            _ => vec![root],
        },
        _ => return None,
    };
    let facts: Vec<RegistrationFacts> = candidates
        .into_iter()
        .filter(|n| is_registration(n))
        .map(|n| facts_of(n, file))
        .collect();
    (!facts.is_empty()).then_some(facts)
}

fn facts_of(node: &JsonNode, file: FileId) -> RegistrationFacts {
    let at = |n: &JsonNode| Location { file, span: n.span };
    let mut facts = RegistrationFacts {
        app_id: node
            .get("appId")
            .and_then(JsonNode::as_str)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
        origin: node.get("appId").map(at),
        ..Default::default()
    };
    if let Some(mode) = node.get("preferredSingleSignOnMode")
        && mode
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("saml"))
    {
        facts.custom_signing_keys = Some(at(mode));
    }
    if facts.custom_signing_keys.is_none()
        && let Some(JsonValue::Array(keys)) = node.get("keyCredentials").map(|k| &k.value)
    {
        facts.custom_signing_keys = keys
            .iter()
            .filter_map(|k| k.get("usage"))
            .find(|usage| {
                usage
                    .as_str()
                    .is_some_and(|u| u.eq_ignore_ascii_case("sign"))
            })
            .map(at);
    }
    if let Some(JsonValue::Array(uris)) = node.get("identifierUris").map(|n| &n.value) {
        facts.identifier_uris = uris
            .iter()
            .filter_map(JsonNode::as_str)
            .map(str::to_string)
            .collect();
    }
    let version = node
        .get("api")
        .and_then(|api| api.get("requestedAccessTokenVersion"))
        .or_else(|| node.get("accessTokenAcceptedVersion"));
    facts.token_version = match version.map(|v| &v.value) {
        Some(JsonValue::Scalar(n)) if n == "2" => Some(2),
        Some(JsonValue::Scalar(n)) if n == "1" => Some(1),
        // null means v1 tokens.
        Some(JsonValue::Null) => Some(1),
        _ => None,
    };
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::parse;

    #[test]
    fn reads_a_saml_service_principal() {
        let root = parse(r#"{"appId": "06051593-1954-4E1F-A75F-7E5DE243AEFF", "preferredSingleSignOnMode": "saml", "servicePrincipalType": "Application"}"#)
            .unwrap()
            .unwrap();
        let facts = extract(&root, FileId(3)).unwrap();
        assert_eq!(facts[0].app_id, "06051593-1954-4e1f-a75f-7e5de243aeff");
        assert!(facts[0].custom_signing_keys.is_some());
    }

    #[test]
    fn reads_an_application_list_with_token_versions() {
        let root = parse(r#"{"value": [{"appId": "a", "identifierUris": ["api://a"], "api": {"requestedAccessTokenVersion": 2}}]}"#)
            .unwrap()
            .unwrap();
        let facts = extract(&root, FileId(0)).unwrap();
        assert_eq!(facts[0].token_version, Some(2));
        assert_eq!(facts[0].identifier_uris, ["api://a"]);
        assert!(facts[0].custom_signing_keys.is_none());
    }

    #[test]
    fn ignores_other_json() {
        let root = parse(r#"{"AzureAd": {"ClientId": "x"}}"#).unwrap().unwrap();
        assert!(extract(&root, FileId(0)).is_none());
    }
}
