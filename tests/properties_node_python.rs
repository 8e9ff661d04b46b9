//! Property tests for the Node and Python stacks: the JavaScript/TypeScript scanner and the
//! object-literal reader, fed arbitrary text or a valid module with random edits, return (never
//! panic) and every span they report lies inside the text on character boundaries; the whole
//! pipeline is held to the same for modules, `aad.config.json` and the Python `.env` names.

use entralint::config::Config;
use entralint::pipeline::{Request, run};
use entralint::source::{FileId, Span};
use entralint::stacks::node::lexer::{TemplatePart, Token, TokenKind, tokenize};
use entralint::stacks::node::{extract, module};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn inside(span: Span, text: &str) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

fn tokens_inside(tokens: &[Token], text: &str) -> bool {
    tokens.iter().all(|t| {
        inside(t.span, text)
            && match &t.kind {
                TokenKind::Template(parts) => parts.iter().all(|p| match p {
                    TemplatePart::Hole(hole) => tokens_inside(hole, text),
                    TemplatePart::Text(_) => true,
                }),
                _ => true,
            }
    })
}

const MODULE: &str = r#"const { BearerStrategy } = require("passport-azure-ad"); // passport
const config = require('./config.json');
const tenant = 'contoso.onmicrosoft.com';
export const msalConfig = { auth: { clientId: "c", authority: `https://login.microsoftonline.com/${tenant}`, knownAuthorities: ["a.b2clogin.com"] } };
const options = { identityMetadata: `https://${config.metadata.authority}/v2.0/.well-known/openid-configuration`, clientID: process.env.CLIENT_ID || 'x', isB2C: true, re: /[}`'"]\//g, n: 1.5e3, s: 'é\u00e9\x41\u{1F600}' };
passport.use(new BearerStrategy(options, (t, done) => done(null, {}, t)));"#;

const AAD_CONFIG: &str = r#"{"type": {"authority_type": "B2C"}, "client": {"client_id": "c", "authority": "https://f.b2clogin.com/f.onmicrosoft.com"}, "auth_request": {"scopes": ["User.Read"]}}"#;

const PYTHON_ENV: &str = "B2C_TENANT_NAME=f\nSIGNUPSIGNIN_USER_FLOW=B2C_1_s\nAPP_CLIENT_ID=a\nOPENAPI_CLIENT_ID=b\nTENANT_ID=t\nSCOPE=User.Read api://x/y\n";

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

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,300}", "[{}\\[\\]()`$\"'=:,./\\\\*é a-z0-9\\n]{0,300}",]
}

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
    fn javascript_scanner(input in prop_oneof![text(), mutated(MODULE)]) {
        prop_assert!(tokens_inside(&tokenize(&input), &input));
    }

    #[test]
    fn object_literal_reader(input in prop_oneof![text(), mutated(MODULE)]) {
        let read = module::read(&input);
        for object in &read.objects {
            prop_assert!(inside(object.at, &input));
            for property in &object.properties {
                prop_assert!(inside(property.key_span, &input) && inside(property.value_span, &input));
            }
        }
        for app in extract::module_apps(&input, FileId(0)) {
            for (_, setting) in &app.options {
                prop_assert!(inside(setting.origin.span, &input) && inside(setting.key_span, &input));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pipeline_on_node_and_python_files(
        (name, input) in prop_oneof![
            (Just("p/src/authConfig.ts"), prop_oneof![text(), mutated(MODULE)]),
            (Just("p/config.json"), mutated(AAD_CONFIG)),
            (Just("p/.env"), mutated(PYTHON_ENV)),
        ]
    ) {
        prop_assert!(pipeline_spans(name, &input));
    }
}
