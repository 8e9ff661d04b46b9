//! API Management, completed (docs/stacks-verified.md §9): a named value in the
//! `openid-config` URL hides only what it writes, and `validate-jwt` on common/organizations
//! metadata without `<issuers>` is reported with both possible outcomes, since which one
//! happens is not documented.

mod common;

use common::json_of;
use serde_json::Value;

#[test]
fn a_named_value_in_the_url_keeps_host_cloud_family_and_version() {
    let report = json_of(&["inspect", "fixtures/stacks/apim/good", "--format", "json"]);
    let apps = report["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    let policy = &apps[0];
    assert_eq!(policy["framework"], "apim-validate-jwt");
    assert_eq!(policy["cloud"], "us-gov");
    assert_eq!(policy["family"], "entra");
    assert_eq!(policy["tenant"], Value::Null);
    assert_eq!(
        policy["metadata_address"],
        "https://login.microsoftonline.us/{{tenant-id}}/v2.0/.well-known/openid-configuration"
    );
    assert_eq!(
        policy["jwks_uri"],
        "https://login.microsoftonline.us/{{tenant-id}}/discovery/v2.0/keys"
    );
    assert_eq!(policy["issuers"], serde_json::json!([]));
    let check = json_of(&[
        "check",
        "fixtures/stacks/apim/good",
        "--format",
        "json",
        "--exit-zero",
    ]);
    assert_eq!(check["diagnostics"], serde_json::json!([]));
}

#[test]
fn multi_tenant_metadata_without_issuers_names_both_outcomes() {
    let report = json_of(&[
        "check",
        "fixtures/stacks/apim/bad",
        "--format",
        "json",
        "--exit-zero",
    ]);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let finding = &diagnostics[0];
    assert_eq!(finding["rule"], "multitenant-exact-issuer");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        finding["file"],
        "fixtures/stacks/apim/bad/apis/partners/policy.xml"
    );
    assert_eq!(finding["line"], 5);
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("not documented"), "{message}");
    assert!(
        message.contains("every token fails (IDX10205) or tokens of every tenant are accepted"),
        "{message}"
    );
}
