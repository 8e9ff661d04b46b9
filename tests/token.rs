//! `entralint token`: tokens built and signed here (with the throw-away keys of
//! fixtures/token-keys) judged against fixtures/token, one app per framework entralint models.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{root, stderr, stdout};
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

const TENANT: &str = "4f1c8a2d-9b3e-4d6a-8c7f-2e5b1a9d3c60";
const PARTNER_TENANT: &str = "7a3d9e1f-2c4b-4a8e-9f6d-1b5c8e2a4d70";
const API: &str = "8d2f6b1e-3a7c-4e95-b0d4-6c1f9e2a7b38";
const CLIENT: &str = "0c4b8a2e-6d1f-4e3a-9b7c-5f2e8d1a4c63";
const B2C_TENANT: &str = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
const B2C_API: &str = "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45";
const CIAM_TENANT: &str = "d9e8f7a6-b5c4-4d3e-9f2a-1b0c9d8e7f6a";
const CIAM_API: &str = "3f6e9d2c-1b8a-4c7d-a5e4-0f9b8c7d6e5a";
const KID: &str = "test-key-1";

fn key(name: &str) -> PrivateKey {
    let pem = std::fs::read_to_string(root().join("fixtures/token-keys").join(name)).unwrap();
    PrivateKey::from_pkcs8_pem(&pem).unwrap()
}

fn signing_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key("signing-key.pem"))
}

fn other_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key("other-key.pem"))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// A compact JWS of `claims`, RS256-signed by `key` under `kid`.
fn sign_with(kid: &str, claims: Value, key: &PrivateKey) -> String {
    let header = json!({ "typ": "JWT", "alg": "RS256", "kid": kid, "x5t": kid });
    let input = format!("{}.{}", b64(&header), b64(&claims));
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

fn sign(claims: Value) -> String {
    sign_with(KID, claims, signing_key())
}

fn signature_of(token: &str) -> &str {
    token.rsplit('.').next().unwrap()
}

/// Valid for the next hour, issued now.
fn times() -> Value {
    let now = now();
    json!({ "iat": now, "nbf": now, "exp": now + 3600 })
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// Claims valid for the next hour, issued by `iss`, with `claims`.
fn issued_by(iss: String, claims: Value) -> Value {
    with(with(times(), json!({ "iss": iss })), claims)
}

fn entra_v2(tenant: &str, aud: &str) -> Value {
    issued_by(
        format!("https://login.microsoftonline.com/{tenant}/v2.0"),
        json!({ "tid": tenant, "aud": aud, "azp": CLIENT, "scp": "access_as_user", "ver": "2.0" }),
    )
}

fn entra_v1(aud: &str) -> Value {
    issued_by(
        format!("https://sts.windows.net/{TENANT}/"),
        json!({ "tid": TENANT, "aud": aud, "appid": CLIENT, "scp": "access_as_user", "ver": "1.0" }),
    )
}

fn b2c() -> Value {
    issued_by(
        format!("https://fabrikamb2c.b2clogin.com/{B2C_TENANT}/v2.0/"),
        json!({ "aud": B2C_API, "azp": CLIENT, "acr": "b2c_1_susi", "scp": "tasks.read", "ver": "1.0" }),
    )
}

fn external_id() -> Value {
    issued_by(
        format!("https://{CIAM_TENANT}.ciamlogin.com/{CIAM_TENANT}/v2.0"),
        json!({ "tid": CIAM_TENANT, "aud": CIAM_API, "azp": CLIENT, "scp": "access_as_user", "ver": "2.0" }),
    )
}

fn graph() -> Value {
    with(
        entra_v1("https://graph.microsoft.com"),
        json!({ "scp": "User.Read" }),
    )
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Copies the Program.cs and appsettings.json of fixtures/token/`app` into `dir`.
fn copy_app(app: &str, dir: &Path) {
    let from = root().join("fixtures/token").join(app);
    for file in ["Program.cs", "appsettings.json"] {
        std::fs::copy(from.join(file), dir.join(file)).unwrap();
    }
}

/// Runs `entralint token` at the repository root with `token` on standard input.
fn token_stdin(token: &str, args: &[&str]) -> Output {
    let mut all = vec!["token"];
    all.extend_from_slice(args);
    common::entralint_with_stdin(&root(), &all, token.as_bytes())
}

/// Runs `entralint token --token-file` at the repository root.
fn token_file(dir: &Path, token: &str, args: &[&str]) -> Output {
    let file = dir.join("token.txt");
    std::fs::write(&file, token).unwrap();
    let mut all = vec!["token", "--token-file", file.to_str().unwrap()];
    all.extend_from_slice(args);
    common::entralint(&all)
}

/// Runs `entralint token --token-file` on the apps of `path` with the key document `keys`.
fn token_with_keys(dir: &Path, token: &str, path: &str, keys: &Path, format: &str) -> Output {
    token_file(
        dir,
        token,
        &[path, "--keys", keys.to_str().unwrap(), "--format", format],
    )
}

/// Standard output then standard error.
fn all_output(output: &Output) -> String {
    format!("{}{}", stdout(output), stderr(output))
}

fn report(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", all_output(output)))
}

/// The verdict and reason rules of the app defined in `file` (relative to fixtures/token) in
/// `environment`.
fn verdict<'a>(
    report: &'a Value,
    file: &str,
    environment: Option<&str>,
) -> (&'a str, Vec<Option<&'a str>>) {
    let path = format!("fixtures/token/{file}");
    let app = apps(report)
        .iter()
        .find(|a| a["file"] == path.as_str() && a["environment"].as_str() == environment)
        .unwrap_or_else(|| panic!("no app {path} ({environment:?}) in {report:#}"));
    let rules = app["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str())
        .collect();
    (app["verdict"].as_str().unwrap(), rules)
}

fn apps(report: &Value) -> &Vec<Value> {
    report["apps"].as_array().unwrap()
}

/// The app defined in `file` (relative to fixtures/token), whatever its environment.
fn app_of<'a>(report: &'a Value, file: &str) -> &'a Value {
    let path = format!("fixtures/token/{file}");
    apps(report)
        .iter()
        .find(|a| a["file"] == path.as_str())
        .unwrap_or_else(|| panic!("no app {path} in {report:#}"))
}

fn messages(report: &Value, file: &str, environment: Option<&str>) -> String {
    let path = format!("fixtures/token/{file}");
    apps(report)
        .iter()
        .filter(|a| a["file"] == path.as_str() && a["environment"].as_str() == environment)
        .flat_map(|a| a["reasons"].as_array().unwrap().iter())
        .map(|r| r["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

const IDW: &str = "identity-web-api/appsettings.json";
const IDW_API: &str = "fixtures/token/identity-web-api";
const JWT: &str = "jwt-bearer/appsettings.json";
const JWT_COMMON: &str = "jwt-bearer-common/appsettings.json";
const OWIN: &str = "owin/Web.config";
const APIM: &str = "apim/apis/orders/policy.xml";
const EASY_AUTH: &str = "app-service/site.json";
const PROXY: &str = "oauth2-proxy/oauth2-proxy.cfg";
const B2C: &str = "b2c-api/appsettings.json";
const CIAM: &str = "external-id-api/appsettings.json";

fn judge(claims: Value, extra: &[&str]) -> (Output, Value) {
    let token = sign(claims);
    let mut args = vec!["fixtures/token", "--format", "json"];
    args.extend_from_slice(extra);
    let output = token_stdin(&token, &args);
    assert!(!stdout(&output).contains(signature_of(&token)));
    let report = report(&output);
    (output, report)
}

#[test]
fn v2_token_of_the_tenant_against_every_framework() {
    let (output, report) = judge(entra_v2(TENANT, API), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(report["version"], 1);
    let token = &report["token"];
    assert_eq!(token["kind"], "entra-v2");
    assert_eq!(token["family"], "entra");
    assert_eq!(token["token_version"], "2.0");
    assert_eq!(token["graph"], false);
    assert_eq!(token["header"]["kid"], KID);
    assert_eq!(token["claims"]["aud"], API);
    // The client id is a v2.0 token's audience; every Entra app of the tenant accepts it.
    for file in [JWT, APIM, EASY_AUTH, PROXY] {
        assert_eq!(verdict(&report, file, None), ("accepted", vec![]), "{file}");
    }
    assert_eq!(
        verdict(&report, IDW, Some("Production")),
        ("accepted", vec![])
    );
    // The Partner environment validates another tenant's tokens.
    let (verdict_partner, rules) = verdict(&report, IDW, Some("Partner"));
    assert_eq!((verdict_partner, rules), ("rejected", vec![None]));
    let partner = messages(&report, IDW, Some("Partner"));
    assert!(
        partner.contains(&format!(
            "issued by tenant '{TENANT}', and the app accepts tenant '{PARTNER_TENANT}'"
        )),
        "{partner}"
    );
    assert!(partner.contains("IDX40001"), "{partner}");
    // Katana's Azure AD bearer middleware reads WS-Federation metadata: v1.0 issuer only, and
    // the audience it was given is the App ID URI.
    assert_eq!(verdict(&report, OWIN, None), ("rejected", vec![None, None]));
    let owin_messages = messages(&report, OWIN, None);
    assert!(
        owin_messages.contains("it is the v2.0 form of the tenant's issuer")
            && owin_messages.contains("IDX10205"),
        "{owin_messages}"
    );
    assert!(
        owin_messages.contains(&format!(
            "the token's audience '{API}' is not one Katana Azure AD bearer accepts (api://{API})"
        )),
        "{owin_messages}"
    );
    // Common metadata with an exact issuer comparison: the rule of `check`.
    assert_eq!(
        verdict(&report, JWT_COMMON, None),
        ("rejected", vec![Some("multitenant-exact-issuer")])
    );
    assert!(messages(&report, JWT_COMMON, None).contains(&format!(
        "the token's issuer 'https://login.microsoftonline.com/{TENANT}/v2.0'"
    )));
    // Other families' metadata.
    assert_eq!(verdict(&report, B2C, None).1[0], Some("b2c-entra-metadata"));
    assert_eq!(
        verdict(&report, CIAM, None).1[0],
        Some("ciam-entra-metadata")
    );
}

#[test]
fn placeholders_and_a_missing_client_id_reject_every_token() {
    let (_, report) = judge(entra_v2(TENANT, API), &[]);
    assert_eq!(
        verdict(&report, "placeholder-api/appsettings.json", None),
        (
            "rejected",
            vec![Some("placeholder-value"), Some("missing-required")]
        )
    );
    let message = messages(&report, "placeholder-api/appsettings.json", None);
    assert!(
        message.contains("`AzureAd:TenantId` 'Enter_the_Tenant_Id_Here' is a placeholder")
            && message.contains("IDX20803"),
        "{message}"
    );
    assert!(message.contains("IDW10106"), "{message}");
}

#[test]
fn v1_token_follows_each_frameworks_audience_and_issuer_rules() {
    let (output, report) = judge(entra_v1(&format!("api://{API}")), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["token"]["kind"], "entra-v1");
    assert_eq!(report["token"]["token_version"], "1.0");
    // Microsoft.Identity.Web expects api://{ClientId} in v1.0 tokens and takes both issuer forms.
    assert_eq!(
        verdict(&report, IDW, Some("Production")),
        ("accepted", vec![])
    );
    assert_eq!(verdict(&report, OWIN, None), ("accepted", vec![]));
    assert_eq!(verdict(&report, EASY_AUTH, None), ("accepted", vec![]));
    // Exact comparers with v2.0 metadata refuse the v1.0 issuer.
    for file in [JWT, PROXY] {
        let (v, rules) = verdict(&report, file, None);
        assert_eq!(v, "rejected", "{file}");
        assert!(rules.contains(&None), "{file}");
        assert!(
            messages(&report, file, None).contains("v1.0 form of the tenant's issuer"),
            "{file}"
        );
    }
    // oauth2-proxy compares audiences exactly with its client id.
    assert!(messages(&report, PROXY, None).contains(&format!(
        "the token's audience 'api://{API}' is not one oauth2-proxy accepts ({API})"
    )));
}

#[test]
fn v1_token_with_the_client_id_as_audience_is_a_version_mismatch_for_identity_web() {
    let (output, report) = judge(entra_v1(API), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "JwtBearer lists the client id"
    );
    assert_eq!(
        verdict(&report, IDW, Some("Production")),
        ("rejected", vec![Some("audience-token-version")])
    );
    let message = messages(&report, IDW, Some("Production"));
    assert!(
        message.contains(&format!("accepts only api://{API}")),
        "{message}"
    );
    assert!(message.contains("IDX10214"), "{message}");
}

#[test]
fn graph_token_is_rejected_everywhere_with_the_scope_to_request() {
    let (output, report) = judge(graph(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(report["token"]["kind"], "microsoft-graph");
    assert_eq!(report["token"]["graph"], true);
    for app in apps(&report) {
        assert_eq!(app["verdict"], "rejected");
        assert!(
            app["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == "graph-audience"),
            "{app:#}"
        );
    }
    let message = messages(&report, IDW, Some("Production"));
    assert!(
        message.contains("only Graph can validate Graph tokens"),
        "{message}"
    );
    assert!(
        message.contains(&format!("api://{API}/.default")),
        "{message}"
    );
}

#[test]
fn b2c_token_names_its_policy_and_only_the_b2c_api_accepts_it() {
    let (output, report) = judge(b2c(), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["token"]["kind"], "b2c");
    assert_eq!(report["token"]["family"], "b2c");
    assert_eq!(verdict(&report, B2C, None), ("accepted", vec![]));
    let (v, rules) = verdict(&report, JWT, None);
    assert_eq!(v, "rejected");
    assert_eq!(rules[0], Some("b2c-entra-metadata"));
    assert!(messages(&report, JWT, None).contains("issued by Azure AD B2C (policy 'b2c_1_susi')"));
    let text = stdout(&token_stdin(&sign(b2c()), &["fixtures/token/b2c-api"]));
    assert!(
        text.contains("Token: Azure AD B2C token (family b2c, version 1.0)"),
        "{text}"
    );
    assert!(text.contains("  policy      b2c_1_susi"), "{text}");
}

#[test]
fn a_custom_policy_token_against_a_user_flows_keys() {
    let claims = with(b2c(), json!({ "acr": "B2C_1A_signup_signin" }));
    let (output, report) = judge(claims, &["fixtures/token/b2c-api"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        verdict(&report, B2C, None),
        ("rejected", vec![Some("b2c-policy-mismatch")])
    );
    let message = messages(&report, B2C, None);
    assert!(
        message.contains("policy 'B2C_1A_signup_signin'")
            && message.contains("policy 'B2C_1_susi'"),
        "{message}"
    );
}

#[test]
fn external_id_token_is_accepted_by_the_external_id_api_only() {
    let (output, report) = judge(external_id(), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["token"]["kind"], "external-id");
    assert_eq!(report["token"]["family"], "ciam");
    assert_eq!(verdict(&report, CIAM, None), ("accepted", vec![]));
    assert_eq!(
        verdict(&report, IDW, Some("Production")).1[0],
        Some("ciam-entra-metadata")
    );
}

#[test]
fn another_tenants_token_is_accepted_only_where_that_tenant_is_configured() {
    let (output, report) = judge(entra_v2(PARTNER_TENANT, API), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(verdict(&report, IDW, Some("Partner")), ("accepted", vec![]));
    assert_eq!(verdict(&report, IDW, Some("Production")).0, "rejected");
    // Microsoft.Identity.Web with `organizations` fills the issuer template with the token's tid.
    assert_eq!(
        verdict(&report, "multitenant-api/appsettings.json", None),
        ("accepted", vec![])
    );
    // Exact issuer comparison with common metadata fails even for a real tenant.
    assert_eq!(
        verdict(&report, JWT_COMMON, None).1,
        vec![Some("multitenant-exact-issuer")]
    );
    for file in [JWT, APIM, PROXY] {
        assert!(
            messages(&report, file, None).contains(&format!("issued by tenant '{PARTNER_TENANT}'")),
            "{file}"
        );
    }
}

#[test]
fn expired_token_is_rejected_unless_lifetime_validation_is_off() {
    let now = now();
    let claims = with(
        entra_v2(TENANT, API),
        json!({ "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600, "aud": "api://another-api" }),
    );
    let (output, report) = judge(claims, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "one app switched the checks off"
    );
    let off = "fixtures/token/lifetime-off-api/appsettings.json";
    for app in apps(&report) {
        if app["file"] == off {
            assert_eq!(app["verdict"], "accepted", "{app:#}");
            continue;
        }
        assert_eq!(app["verdict"], "rejected");
        let lifetime = app["reasons"].as_array().unwrap().iter().find(|r| {
            r["message"]
                .as_str()
                .unwrap()
                .starts_with("the token expired 1h 0m ago")
        });
        assert!(
            lifetime.is_some_and(|r| r["message"].as_str().unwrap().contains("IDX10223")),
            "{app:#}"
        );
    }
}

/// A JWKS holding the signing key's public half under `kid`.
fn jwks(dir: &Path, kid: &str) -> PathBuf {
    let public = signing_key().to_public_key();
    let document = json!({ "keys": [ {
        "kty": "RSA", "use": "sig", "kid": kid, "x5t": kid,
        "n": URL_SAFE_NO_PAD.encode(public.n_bytes()),
        "e": URL_SAFE_NO_PAD.encode(public.e_bytes()),
    } ] });
    let path = dir.join("keys.json");
    std::fs::write(&path, document.to_string()).unwrap();
    path
}

#[test]
fn saved_keys_verify_the_signature() {
    let dir = scratch();
    let keys = jwks(dir.path(), KID);
    let token = sign(entra_v2(TENANT, API));
    let output = token_with_keys(dir.path(), &token, IDW_API, &keys, "text");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "  signature   verified with key '{KID}' from {}",
            keys.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("AzureAd [Production] (microsoft-identity-web, web-api)\n  accepted"),
        "{text}"
    );
    assert!(
        text.contains("1 of 2 app configuration(s) accept the token."),
        "{text}"
    );
}

#[test]
fn a_signature_by_another_key_fails() {
    let dir = scratch();
    let keys = jwks(dir.path(), KID);
    let token = sign_with(KID, entra_v2(TENANT, API), other_key());
    let output = token_with_keys(dir.path(), &token, IDW_API, &keys, "json");
    assert_eq!(output.status.code(), Some(1));
    let report = report(&output);
    let message = messages(&report, IDW, Some("Production"));
    assert!(
        message.contains(&format!("the signature does not verify with key '{KID}'"))
            && message.contains("IDX10511"),
        "{message}"
    );
    let all = all_output(&output);
    assert!(!all.contains(signature_of(&token)));
}

#[test]
fn an_absent_kid_gets_both_explanations() {
    let dir = scratch();
    let keys = jwks(dir.path(), "published-key");
    let token = sign_with("rolled-key", entra_v2(TENANT, API), signing_key());
    let output = token_with_keys(dir.path(), &token, IDW_API, &keys, "json");
    assert_eq!(output.status.code(), Some(1));
    let report = report(&output);
    let (v, rules) = verdict(&report, IDW, Some("Production"));
    assert_eq!((v, rules), ("rejected", vec![Some("saml-appid-missing")]));
    let message = messages(&report, IDW, Some("Production"));
    assert!(
        message.contains("none of the 1 saved key(s) has the token's kid 'rolled-key'"),
        "{message}"
    );
    assert!(
        message.contains("Entra ID, Azure AD B2C and External ID sign with different keys"),
        "{message}"
    );
    assert!(message.contains(&format!("?appid={API}")), "{message}");
    // A B2C token's absent key is a family question first.
    let b2c_token = sign_with("rolled-key", b2c(), signing_key());
    let output = token_with_keys(
        dir.path(),
        &b2c_token,
        "fixtures/token/b2c-api",
        &keys,
        "json",
    );
    let message = messages(&self::report(&output), B2C, None);
    assert!(
        message.contains("this token needs Azure AD B2C's keys"),
        "{message}"
    );
}

#[test]
fn an_openid_configuration_holds_no_keys_and_says_what_to_save() {
    let dir = scratch();
    let config = dir.path().join("openid-configuration.json");
    let jwks_uri = format!("https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys");
    std::fs::write(
        &config,
        json!({ "issuer": format!("https://login.microsoftonline.com/{TENANT}/v2.0"), "jwks_uri": jwks_uri }).to_string(),
    )
    .unwrap();
    let token = sign(entra_v2(TENANT, API));
    let output = token_with_keys(dir.path(), &token, IDW_API, &config, "text");
    assert_eq!(output.status.code(), Some(0));
    let note = stderr(&output);
    assert!(
        note.contains("is an OpenID configuration")
            && note.contains(&jwks_uri)
            && note.contains("holds none"),
        "{note}"
    );
    assert!(
        stdout(&output).contains("  signature   not checked"),
        "{}",
        stdout(&output)
    );
    assert!(
        !note.contains("states the issuer"),
        "the issuers agree: {note}"
    );
    // Its issuer is compared with the token's.
    let partner = sign(entra_v2(PARTNER_TENANT, API));
    let output = token_with_keys(dir.path(), &partner, IDW_API, &config, "text");
    let note = stderr(&output);
    assert!(note.contains(&format!("states the issuer 'https://login.microsoftonline.com/{TENANT}/v2.0', and the token's is 'https://login.microsoftonline.com/{PARTNER_TENANT}/v2.0'")), "{note}");
}

#[test]
fn bearer_prefix_and_whitespace_are_accepted() {
    let token = sign(entra_v2(TENANT, API));
    let output = token_stdin(
        &format!("\n  Bearer {token}  \r\n"),
        &["fixtures/token/jwt-bearer"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("Token: Entra ID v2.0 token (family entra, version 2.0)\n")
    );
}

#[test]
fn unreadable_tokens_exit_2_without_echoing_the_input() {
    let real = sign(entra_v2(TENANT, API));
    let parts: Vec<&str> = real.split('.').collect();
    let cases = [
        (
            format!(
                "{}.{}.{}.{}.{}",
                parts[0], parts[1], parts[2], parts[2], parts[2]
            ),
            "encrypted (a JWE",
        ),
        (
            "<saml:Assertion ID=\"_SECRETASSERTION\"/>".to_string(),
            "SAML assertion",
        ),
        (
            format!("{}.{}", parts[0], parts[2]),
            "2 dot-separated part(s)",
        ),
        (
            format!("{}.@@{}.{}", parts[0], parts[2], parts[2]),
            "claims is not base64url-encoded",
        ),
        (String::new(), "no token was given"),
    ];
    for (input, expected) in cases {
        for output in [
            token_stdin(&input, &["fixtures/token"]),
            token_file(
                scratch().path(),
                &input,
                &["fixtures/token", "--format", "json"],
            ),
        ] {
            assert_eq!(output.status.code(), Some(2), "{expected}");
            let err = stderr(&output);
            assert!(err.contains(expected), "{err}");
            assert!(stdout(&output).is_empty());
            assert!(
                !err.contains(parts[2]) && !err.contains("SECRETASSERTION"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_token_given_as_a_path_is_refused_without_echo() {
    let token = sign(entra_v2(TENANT, API));
    let output = common::entralint(&["token", &token]);
    assert_eq!(output.status.code(), Some(2));
    let all = all_output(&output);
    assert!(all.contains("looks like a token"), "{all}");
    assert!(
        !all.contains(signature_of(&token)) && !all.contains(token.split('.').nth(1).unwrap()),
        "{all}"
    );
}

#[test]
fn the_signature_never_appears_in_any_output() {
    let dir = scratch();
    let keys = jwks(dir.path(), KID);
    let keys = keys.to_str().unwrap();
    let tokens = [
        sign(entra_v2(TENANT, API)),
        sign_with(KID, entra_v1(API), other_key()),
        sign_with("absent", graph(), signing_key()),
        sign(b2c()),
    ];
    for token in &tokens {
        let signature = signature_of(token);
        for format in ["text", "json"] {
            for extra in [vec![], vec!["--keys", keys]] {
                let mut args = vec!["fixtures/token", "--format", format];
                args.extend(extra.iter().copied());
                for output in [
                    token_stdin(token, &args),
                    token_file(dir.path(), token, &args),
                ] {
                    let all = all_output(&output);
                    assert!(!all.contains(signature), "signature printed with {args:?}");
                    assert!(!all.contains(token.as_str()));
                }
            }
        }
    }
}

#[test]
fn key_file_errors_exit_2_without_the_signature() {
    let dir = scratch();
    let token = sign(entra_v2(TENANT, API));
    let not_keys = dir.path().join("not-keys.json");
    std::fs::write(&not_keys, r#"{"hello": "world"}"#).unwrap();
    for keys in [dir.path().join("missing.json"), not_keys] {
        let output = token_file(
            dir.path(),
            &token,
            &["fixtures/token", "--keys", keys.to_str().unwrap()],
        );
        assert_eq!(output.status.code(), Some(2));
        let all = all_output(&output);
        assert!(all.contains(keys.to_str().unwrap()), "{all}");
        assert!(!all.contains(signature_of(&token)), "{all}");
    }
}

#[test]
fn nothing_is_written_to_disk() {
    let tree = scratch();
    let app = tree.path().join("api");
    std::fs::create_dir(&app).unwrap();
    copy_app("jwt-bearer", &app);
    let elsewhere = scratch();
    let token_path = elsewhere.path().join("token.txt");
    std::fs::write(&token_path, sign(entra_v2(TENANT, API))).unwrap();
    let listing = |dir: &Path| {
        let mut names: Vec<PathBuf> = walk(dir);
        names.sort();
        names
    };
    let (before_tree, before_elsewhere) = (listing(tree.path()), listing(elsewhere.path()));
    let output = common::entralint_in(
        tree.path(),
        &["token", "--token-file", token_path.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(listing(tree.path()), before_tree);
    assert_eq!(listing(elsewhere.path()), before_elsewhere);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[test]
fn control_characters_in_claims_are_escaped_in_text() {
    let claims = with(
        entra_v2(TENANT, API),
        json!({ "scp": "read\u{1b}]0;owned\u{7}\n::error::x" }),
    );
    let output = token_stdin(&sign(claims), &["fixtures/token/jwt-bearer"]);
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}') && !text.contains("\n::error::"),
        "{text}"
    );
    assert!(
        text.contains("read\\u{1b}]0;owned\\u{7} ::error::x"),
        "{text}"
    );
}

#[test]
fn help_says_where_to_get_a_token_and_that_it_stays_here() {
    let output = common::entralint(&["token", "--help"]);
    let help = stdout(&output);
    assert!(
        help.contains("Authorization header of the failing request"),
        "{help}"
    );
    assert!(help.contains("MSAL"), "{help}");
    assert!(help.contains("The token stays on this machine"), "{help}");
    assert!(help.contains("--token-file"), "{help}");
}

#[test]
fn identity_web_rejects_a_token_without_ver_and_the_guessed_version_says_so() {
    let mut claims = entra_v2(TENANT, API);
    claims.as_object_mut().unwrap().remove("ver");
    let (_, report) = judge(claims.clone(), &[]);
    assert_eq!(report["token"]["token_version"], "2.0");
    assert_eq!(report["token"]["token_version_inferred"], true);
    // upstream: AzureAD/microsoft-identity-web
    // src/Microsoft.Identity.Web/Resource/RegisterValidAudience.cs sets no valid audience
    // when `ver` is neither 1.0 nor 2.0, and IdentityModel then throws IDX10208.
    assert_eq!(
        verdict(&report, IDW, Some("Production")),
        ("rejected", vec![None])
    );
    let message = messages(&report, IDW, Some("Production"));
    assert!(
        message.contains("no 'ver' claim") && message.contains("IDX10208"),
        "{message}"
    );
    // Comparers of a configured audience do not read `ver`.
    assert_eq!(verdict(&report, JWT, None), ("accepted", vec![]));
    let text = token_stdin(&sign(claims), &["fixtures/token"]);
    assert!(
        stdout(&text).contains("version 2.0 (inferred from the issuer: no 'ver' claim)"),
        "{}",
        stdout(&text)
    );
    let (_, with_ver) = judge(entra_v2(TENANT, API), &[]);
    assert_eq!(with_ver["token"]["token_version_inferred"], false);
}

#[test]
fn files_that_cannot_be_parsed_are_named_and_counted_as_not_judged() {
    let dir = scratch();
    copy_app("identity-web-api", dir.path());
    std::fs::write(
        dir.path().join("appsettings.Production.json"),
        "{\n  \"AzureAd\": {\n    \"TenantId\": \"",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let output = token_stdin(&sign(entra_v2(TENANT, API)), &[path]);
    let err = stderr(&output);
    assert!(
        err.contains("appsettings.Production.json:3: [invalid-syntax] not judged"),
        "{err}"
    );
    assert!(
        stdout(&output).contains("1 file(s) were not judged"),
        "{}",
        stdout(&output)
    );
    let json = token_stdin(&sign(entra_v2(TENANT, API)), &[path, "--format", "json"]);
    let report = report(&json);
    assert_eq!(report["not_judged"][0]["rule"], "invalid-syntax");
    assert_eq!(report["not_judged"][0]["line"], 3);
}

const SIGN_IN: &str = r#"{
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "4f1c8a2d-9b3e-4d6a-8c7f-2e5b1a9d3c60",
    "ClientId": "0c4b8a2e-6d1f-4e3a-9b7c-5f2e8d1a4c63",
    "CallbackPath": "/signin-oidc"
  }
}
"#;

const SIGN_IN_CODE: &str = "using Microsoft.Identity.Web;\nvar builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)\n    .AddMicrosoftIdentityWebApp(builder.Configuration.GetSection(\"AzureAd\"));\n";

#[test]
fn sign_in_web_apps_are_not_applicable_and_do_not_decide_the_exit_code() {
    let dir = scratch();
    std::fs::write(dir.path().join("appsettings.json"), SIGN_IN).unwrap();
    std::fs::write(dir.path().join("Program.cs"), SIGN_IN_CODE).unwrap();
    let web = dir.path().to_str().unwrap();
    // A token for the web app's own client id, which the API rejects: an ID token's
    // audience, as if it were an access token.
    let token = sign(entra_v2(TENANT, CLIENT));
    let output = token_stdin(
        &token,
        &[web, "fixtures/token/jwt-bearer", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&output);
    let web_app = apps(&report)
        .iter()
        .find(|a| a["role"] == "web-app")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(web_app["verdict"], "not-applicable");
    let reason = web_app["reasons"][0]["message"].as_str().unwrap();
    assert!(reason.contains("validates the ID token"), "{reason}");
    assert_eq!(web_app["reasons"][0]["rule"], Value::Null);

    let alone = token_stdin(&token, &[web]);
    assert_eq!(alone.status.code(), Some(1));
    assert!(
        stderr(&alone).contains("no app that validates access tokens was found under PATHS"),
        "{}",
        stderr(&alone)
    );
    let text = stdout(&alone);
    assert!(
        text.contains("  not applicable: a sign-in web app"),
        "{text}"
    );
    assert!(
        text.contains("Not judged: no app that validates access tokens"),
        "{text}"
    );
}

#[test]
fn json_states_the_signature_lifetime_and_what_the_token_carries() {
    let dir = scratch();
    let keys = jwks(dir.path(), KID);
    let signature = |token: &str| {
        let output = token_with_keys(dir.path(), token, IDW_API, &keys, "json");
        report(&output)["token"]["signature"].clone()
    };
    let verified = signature(&sign(entra_v2(TENANT, API)));
    assert_eq!(verified["status"], "verified");
    assert_eq!(verified["key"], KID);
    let failed = signature(&sign_with(KID, entra_v2(TENANT, API), other_key()));
    assert_eq!(failed["status"], "failed");
    let absent = signature(&sign_with(
        "rolled-key",
        entra_v2(TENANT, API),
        signing_key(),
    ));
    assert_eq!(absent["status"], "key-absent");
    assert_eq!(absent["kid"], "rolled-key");
    assert_eq!(absent["searched"], 1);

    let (_, report) = judge(entra_v2(TENANT, API), &[]);
    let token = &report["token"];
    assert_eq!(token["signature"]["status"], "not-checked");
    assert_eq!(token["tenant"], TENANT);
    assert_eq!(token["client"], json!({ "claim": "azp", "id": CLIENT }));
    assert_eq!(token["scopes"], json!(["access_as_user"]));
    assert_eq!(token["roles"], json!([]));
    assert_eq!(token["policy"], Value::Null);
    let lifetime = &token["lifetime"];
    assert_eq!(lifetime["status"], "valid");
    assert_eq!(lifetime["clock_skew_seconds"], 300);
    assert!(lifetime["expires"].as_i64().unwrap() > now());
    let left = lifetime["seconds"].as_i64().unwrap();
    assert!((3500..=3600).contains(&left), "{left}");

    let (_, expired) = judge(
        with(entra_v2(TENANT, API), json!({ "exp": now() - 3600 })),
        &[],
    );
    assert_eq!(expired["token"]["lifetime"]["status"], "expired");
    let (_, b2c) = judge(b2c(), &[]);
    assert_eq!(b2c["token"]["policy"], "b2c_1_susi");
}

#[test]
fn app_service_issuer_verdicts_say_they_are_assumed_with_the_documentation() {
    // A v2.0 token from the tenant: App Service is configured with the v1.0 issuer URL, and
    // entralint assumes it takes both forms.
    let (_, report) = judge(entra_v2(TENANT, API), &[]);
    let app = app_of(&report, EASY_AUTH);
    let assumption = app["assumption"].as_str().unwrap();
    assert!(
        assumption.contains("closed source")
            && assumption.contains(
                "https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad"
            ),
        "{assumption}"
    );
    let (_, partner) = judge(entra_v2(PARTNER_TENANT, API), &[]);
    assert_eq!(verdict(&partner, EASY_AUTH, None).0, "rejected");
    let message = messages(&partner, EASY_AUTH, None);
    assert!(
        message.contains("entralint assumes it accepts either issuer form"),
        "{message}"
    );
    let text = stdout(&token_stdin(
        &sign(entra_v2(TENANT, API)),
        &["fixtures/token/app-service"],
    ));
    assert!(text.contains("  accepted: nothing in the configuration rejects this token\n  assumed: App Service authentication is closed source"), "{text}");
    // Frameworks whose source was read carry no assumption.
    let jwt = app_of(&report, JWT);
    assert_eq!(jwt["assumption"], Value::Null);
}
