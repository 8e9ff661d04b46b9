//! Property tests: every reader, fed arbitrary text or a valid sample with random edits, returns
//! (never panics) and every position it reports lies inside the text, on a character boundary.
//! The whole pipeline is held to the same on the same inputs, through standard input.

use entralint::config::Config;
use entralint::pipeline::{Request, run};
use entralint::read::json::{JsonNode, JsonValue};
use entralint::read::xml::XmlElement;
use entralint::read::yaml::{YamlNode, YamlValue};
use entralint::read::{csharp, dotenv, json, policy, xml, yaml};
use entralint::source::{FileId, Span};
use entralint::stacks::apim::policy as apim_policy;
use entralint::stacks::oauth2_proxy::options;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn inside(span: Span, text: &str) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

fn json_spans(node: &JsonNode, text: &str) -> bool {
    inside(node.span, text)
        && match &node.value {
            JsonValue::Object(members) => members
                .iter()
                .all(|m| inside(m.key_span, text) && json_spans(&m.value, text)),
            JsonValue::Array(items) => items.iter().all(|i| json_spans(i, text)),
            _ => true,
        }
}

fn xml_spans(element: &XmlElement, text: &str) -> bool {
    inside(element.span, text)
        && element
            .attributes
            .iter()
            .all(|a| inside(a.value_span, text))
        && element.children.iter().all(|c| xml_spans(c, text))
}

fn yaml_spans(node: &YamlNode, text: &str) -> bool {
    inside(node.span, text)
        && match &node.value {
            YamlValue::Mapping(entries) => entries
                .iter()
                .all(|(_, key, value)| inside(*key, text) && yaml_spans(value, text)),
            YamlValue::Sequence(items) => items.iter().all(|i| yaml_spans(i, text)),
            YamlValue::Scalar(_) => true,
        }
}

/// One valid document per reader, to mutate.
const JSON: &str = r#"{
  // comment
  "AzureAd": { "Instance": "https://login.microsoftonline.com/", "TenantId": "t", "Scopes": ["a", "b",], },
  "resources": [{ "type": "Microsoft.ApiManagement/service/apis/policies", "properties": { "format": "rawxml", "value": "<policies><validate-jwt><audiences><audience>x</audience></audiences></validate-jwt></policies>" } }]
}"#;
const XML: &str = r#"<?xml version="1.0"?><configuration xmlns:xdt="x"><appSettings><add key="ida:Tenant" value="a&amp;b" xdt:Transform="SetAttributes" xdt:Locator="Match(key)"/><!-- c --></appSettings></configuration>"#;
const POLICY: &str = r#"<policies><inbound><validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/{{tid}}/v2.0/.well-known/openid-configuration" /><audiences><audience>@(context.Request.Headers.GetValueOrDefault("a", "<b>"))</audience></audiences><required-claims><claim name="aud"><value>api://x</value></claim></required-claims></validate-jwt></inbound></policies>"#;
const YAML: &str = "services:\n  api:\n    environment:\n      - AzureAd__TenantId=t\n    command: [\"--provider=oidc\"]\n  proxy: &p\n    environment: {A: \"b\"}\n  other: *p\n";
const CSHARP: &str = r#"app.UseOpenIdConnectAuthentication(new OpenIdConnectAuthenticationOptions { Authority = string.Format(aadInstance, tenant) + $"/{x}/v2.0", ClientId = ConfigurationManager.AppSettings["ida:ClientId"] }); // done"#;
const DOTENV: &str =
    "# comment\nexport AzureAd__TenantId=\"t\"\nOAUTH2_PROXY_PROVIDER=oidc # trailing\nEMPTY=\n";
const CFG: &str = "provider = \"oidc\"\noidc_issuer_url = \"https://login.microsoftonline.com/t/v2.0\"\noidc_extra_audiences = [\"a\", \"b\"]\n";

/// A sample with up to eight random edits: characters inserted, removed or replaced.
fn mutated(sample: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<char>()), 0..8).prop_map(
        move |edits| {
            let mut chars: Vec<char> = sample.chars().collect();
            for (at, op, c) in edits {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => chars[i] = c,
                    _ => chars.push(c),
                }
            }
            chars.into_iter().collect()
        },
    )
}

/// Arbitrary text, biased towards the characters that matter to these formats.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,300}",
        "[{}\\[\\]<>\"'=:,/@$#&;!?\\-\\n\\t a-z0-9]{0,300}",
    ]
}

/// Runs the whole pipeline on `text` as if it were the file `name`.
fn pipeline_spans(name: &str, text: &str) -> bool {
    let cwd = std::env::temp_dir().join("entralint-properties-nowhere");
    let path = PathBuf::from(name);
    let analysis = run(&Request {
        paths: std::slice::from_ref(&path),
        cwd: &cwd,
        config: &Config::default(),
        stdin: Some((Path::new(name), text)),
        keep_apps: false,
    })
    .expect("the pipeline accepts any text");
    analysis.diagnostics.iter().all(|d| {
        let file = analysis.sources.get(d.primary.file);
        inside(d.primary.span, &file.text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn json_reader(input in prop_oneof![text(), mutated(JSON)]) {
        match json::parse(&input) {
            Ok(Some(root)) => prop_assert!(json_spans(&root, &input)),
            Ok(None) => {}
            Err(error) => prop_assert!(inside(error.span, &input)),
        }
    }

    #[test]
    fn xml_reader(input in prop_oneof![text(), mutated(XML)]) {
        match xml::parse(&input) {
            Ok(Some(root)) => prop_assert!(xml_spans(&root, &input)),
            Ok(None) => {}
            Err(error) => prop_assert!(inside(error.span, &input)),
        }
    }

    #[test]
    fn policy_reader(input in prop_oneof![text(), mutated(POLICY)]) {
        for root in policy::parse(&input, 0) {
            prop_assert!(xml_spans(&root, &input));
        }
        for gateway in apim_policy::apim(&input, FileId(0), &|span| span) {
            for (_, setting) in &gateway.options {
                prop_assert!(inside(setting.origin.span, &input));
            }
        }
    }

    #[test]
    fn yaml_reader(input in prop_oneof![text(), mutated(YAML)]) {
        match yaml::parse(&input) {
            Ok(documents) => {
                for document in &documents {
                    prop_assert!(yaml_spans(document, &input));
                }
            }
            Err(error) => prop_assert!(inside(error.span, &input)),
        }
    }

    #[test]
    fn csharp_lexer(input in prop_oneof![text(), mutated(CSHARP)]) {
        for token in csharp::tokenize(&input) {
            prop_assert!(inside(token.span, &input));
        }
    }

    #[test]
    fn dotenv_reader(input in prop_oneof![text(), mutated(DOTENV)]) {
        for assignment in dotenv::parse(&input) {
            prop_assert!(inside(assignment.name_span, &input) && inside(assignment.value_span, &input));
        }
    }

    #[test]
    fn proxy_cfg_reader(input in prop_oneof![text(), mutated(CFG)]) {
        match options::oauth2_proxy_cfg(&input, FileId(0)) {
            Ok(found) => {
                for (_, setting) in found.iter().flat_map(|g| &g.options) {
                    prop_assert!(inside(setting.origin.span, &input));
                }
            }
            Err((_, span)) => prop_assert!(inside(span, &input)),
        }
    }
}

proptest! {
    // The whole pipeline is slower: fewer cases, every file kind.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pipeline_on_any_file(
        (name, input) in prop_oneof![
            (Just("p/appsettings.json"), prop_oneof![text(), mutated(JSON)]),
            (Just("p/settings.json"), mutated(JSON)),
            (Just("p/Web.config"), prop_oneof![text(), mutated(XML)]),
            (Just("p/Web.Release.config"), mutated(XML)),
            (Just("p/apis/a/policy.xml"), prop_oneof![text(), mutated(POLICY)]),
            (Just("p/docker-compose.yml"), prop_oneof![text(), mutated(YAML)]),
            (Just("p/Startup.Auth.cs"), mutated(CSHARP)),
            (Just("p/.env"), mutated(DOTENV)),
            (Just("p/oauth2-proxy.cfg"), prop_oneof![text(), mutated(CFG)]),
        ]
    ) {
        prop_assert!(pipeline_spans(name, &input));
    }
}
