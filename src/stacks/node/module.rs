//! What a JavaScript/TypeScript module says lexically: its object literals (each property with
//! its key path and a value entralint can read without running anything), its top-level
//! constants, and the JSON files it imports. Values that need execution stay unknown.

use super::lexer::{TemplatePart, Token, TokenKind, tokenize};
use crate::source::Span;
use std::collections::HashMap;

/// Nested objects deeper than this are not read (their properties stay unknown).
const MAX_OBJECT_DEPTH: usize = 24;

/// Longest constant value read, in tokens.
const MAX_CONSTANT_TOKENS: usize = 64;

/// Something the value refers to, resolved later against the module, a JSON file or `.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `process.env.NAME` or `process.env["NAME"]`.
    Env(String),
    /// A member chain: `tenantId`, `config.credentials.clientID`.
    Path(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Ref(Reference),
    /// A substitution entralint cannot read (a call, arithmetic).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string literal, or a template without substitutions.
    Text(String),
    /// A template with substitutions.
    Template(Vec<Piece>),
    Ref(Reference),
    /// `true`, `false` or a number, as written.
    Scalar(String),
    /// An array of string literals, each with its span.
    List(Vec<(String, Span)>),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Key path from the outermost object literal, joined with `.` (`auth.authority`).
    pub path: String,
    pub key_span: Span,
    pub value: Value,
    /// The value expression (the key when there is none).
    pub value_span: Span,
    /// The string after `||` or `??`, used when the value is empty or undefined.
    pub fallback: Option<(String, Span)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectLiteral {
    /// The name it is assigned to (`options`, `msalConfig`, `module.exports`) or the function
    /// it is passed to (`BearerStrategy`), when there is one.
    pub binding: Option<String>,
    /// The opening brace.
    pub at: Span,
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    pub objects: Vec<ObjectLiteral>,
    /// `const NAME = <value>` declarations that are not objects (the last of a name wins), by
    /// name: looked up once per reference, however many a module declares.
    pub constants: HashMap<String, (Value, Span)>,
    /// `const config = require('./config.json')` / `import config from "./config.json"`:
    /// the specifier by binding (the first wins).
    pub imports: HashMap<String, String>,
}

impl ObjectLiteral {
    /// The property at `path`, compared exactly (JavaScript keys are case-sensitive).
    pub fn get(&self, path: &str) -> Option<&Property> {
        self.properties.iter().rev().find(|p| p.path == path)
    }
}

impl Module {
    pub fn constant(&self, name: &str) -> Option<(&Value, Span)> {
        self.constants.get(name).map(|(v, s)| (v, *s))
    }

    /// The file a binding was imported from.
    pub fn import(&self, binding: &str) -> Option<&str> {
        self.imports.get(binding).map(String::as_str)
    }
}

/// Reads a module's object literals, constants and imports.
pub fn read(text: &str) -> Module {
    let tokens = tokenize(text);
    let mut module = Module::default();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if token.is("{") && starts_object(i.checked_sub(1).map(|p| &tokens[p])) {
            let mut properties = Vec::new();
            let end = object(&tokens, i, "", 0, &mut properties);
            module.objects.push(ObjectLiteral {
                binding: binding_before(&tokens, i),
                at: token.span,
                properties,
            });
            i = end;
            continue;
        }
        if matches!(token.text.as_ref(), "const" | "let" | "var") && token.kind == TokenKind::Ident
        {
            declaration(&tokens, i, &mut module);
        }
        if token.is_ident("import") {
            import(&tokens, i, &mut module);
        }
        i += 1;
    }
    module
}

/// A `{` begins an object literal (not a block) after these tokens.
fn starts_object(previous: Option<&Token>) -> bool {
    previous.is_some_and(|p| match p.kind {
        TokenKind::Punct => matches!(
            p.text.as_ref(),
            "=" | "(" | "," | "[" | ":" | "?" | "||" | "??" | "&&"
        ),
        TokenKind::Ident => matches!(p.text.as_ref(), "return" | "default"),
        _ => false,
    })
}

/// The name an object literal at `open` is assigned to, or the callee it is passed to.
fn binding_before(tokens: &[Token], open: usize) -> Option<String> {
    let mut at = open.checked_sub(1)?;
    if tokens[at].is("(") {
        let callee = tokens.get(at.checked_sub(1)?)?;
        return (callee.kind == TokenKind::Ident).then(|| callee.text.to_string());
    }
    if !tokens[at].is("=") {
        return None;
    }
    // `name: Type =`: skip a short type annotation back to the name.
    let mut steps = 0;
    while steps < 8 {
        at = at.checked_sub(1)?;
        steps += 1;
        let t = &tokens[at];
        let before = at.checked_sub(1).map(|b| &tokens[b]);
        if t.kind == TokenKind::Ident && before.is_none_or(|b| !b.is(":") && !b.is(".")) {
            // `module.exports`, `exports.config`: keep the chain.
            if let Some(dot) = tokens.get(at + 1).filter(|d| d.is("."))
                && let Some(member) = tokens.get(at + 2)
                && member.kind == TokenKind::Ident
                && dot.span.end == member.span.start
            {
                return Some(format!("{}.{}", t.text, member.text));
            }
            return Some(t.text.to_string());
        }
    }
    None
}

/// Reads the object literal opening at `open` into `out` with key paths under `prefix`;
/// returns the index after its closing brace.
fn object(
    tokens: &[Token],
    open: usize,
    prefix: &str,
    depth: usize,
    out: &mut Vec<Property>,
) -> usize {
    let mut i = open + 1;
    while i < tokens.len() {
        let token = &tokens[i];
        if token.is("}") {
            return i + 1;
        }
        if token.is(",") {
            i += 1;
            continue;
        }
        let key = match token.kind {
            TokenKind::Ident | TokenKind::Str | TokenKind::Number => Some(token),
            _ => None,
        };
        let next = tokens.get(i + 1);
        match (key, next) {
            (Some(key), Some(colon)) if colon.is(":") => {
                let path = if prefix.is_empty() {
                    key.text.to_string()
                } else {
                    format!("{prefix}.{}", key.text)
                };
                let start = i + 2;
                if tokens.get(start).is_some_and(|t| t.is("{")) && depth < MAX_OBJECT_DEPTH {
                    i = object(tokens, start, &path, depth + 1, out);
                    continue;
                }
                let end = expression_end(tokens, start);
                let (value, fallback) = value(&tokens[start..end]);
                let value_span = match (tokens.get(start), tokens.get(end.saturating_sub(1))) {
                    (Some(first), Some(last)) if end > start => {
                        Span::new(first.span.start, last.span.end)
                    }
                    _ => key.span,
                };
                out.push(Property {
                    path,
                    key_span: key.span,
                    value,
                    value_span,
                    fallback,
                });
                i = end;
            }
            // Shorthand `{ clientID, authority }`.
            (Some(key), Some(after))
                if key.kind == TokenKind::Ident && (after.is(",") || after.is("}")) =>
            {
                let path = if prefix.is_empty() {
                    key.text.to_string()
                } else {
                    format!("{prefix}.{}", key.text)
                };
                out.push(Property {
                    path,
                    key_span: key.span,
                    value: Value::Ref(Reference::Path(vec![key.text.to_string()])),
                    value_span: key.span,
                    fallback: None,
                });
                i += 1;
            }
            // Methods, spreads, computed keys: skipped whole.
            _ => i = expression_end(tokens, i + 1).max(i + 1),
        }
    }
    tokens.len()
}

/// The index of the `,`, `;` or closing bracket that ends the expression starting at `start`
/// (brackets inside it balanced).
fn expression_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == TokenKind::Punct {
            match t.text.as_ref() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    if depth == 0 {
                        return i;
                    }
                    depth -= 1;
                }
                "," | ";" if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    i
}

/// Reads a value expression: a literal, a reference, a template, a list of strings, each with
/// an optional `|| 'fallback'`.
fn value(tokens: &[Token]) -> (Value, Option<(String, Span)>) {
    // TypeScript's `as const` / `as string` add nothing.
    let tokens = match tokens.iter().rposition(|t| t.is_ident("as")) {
        Some(at) if at > 0 => &tokens[..at],
        _ => tokens,
    };
    let split = tokens.iter().position(|t| t.is("||") || t.is("??"));
    let (head, fallback) = match split {
        Some(at) => {
            let rest = &tokens[at + 1..];
            let fallback = match rest {
                [only] => only.string().map(|s| (s.to_string(), only.span)),
                _ => None,
            };
            (&tokens[..at], fallback)
        }
        None => (tokens, None),
    };
    (single_value(head), fallback)
}

fn single_value(tokens: &[Token]) -> Value {
    match tokens {
        [only] => match &only.kind {
            TokenKind::Str => Value::Text(only.text.to_string()),
            TokenKind::Number => Value::Scalar(only.text.to_string()),
            TokenKind::Ident if matches!(only.text.as_ref(), "true" | "false") => {
                Value::Scalar(only.text.to_string())
            }
            TokenKind::Ident => Value::Ref(Reference::Path(vec![only.text.to_string()])),
            TokenKind::Template(parts) => Value::Template(
                parts
                    .iter()
                    .map(|part| match part {
                        TemplatePart::Text(text) => Piece::Text(text.clone()),
                        TemplatePart::Hole(hole) => {
                            reference(hole).map_or(Piece::Unknown, Piece::Ref)
                        }
                    })
                    .collect(),
            ),
            _ => Value::Unknown,
        },
        [open, inner @ .., close] if open.is("[") && close.is("]") => {
            let items: Vec<(String, Span)> = inner
                .iter()
                .filter(|t| !t.is(","))
                .map_while(|t| t.string().map(|s| (s.to_string(), t.span)))
                .collect();
            let all_strings = inner.iter().filter(|t| !t.is(",")).count() == items.len();
            if all_strings {
                Value::List(items)
            } else {
                Value::Unknown
            }
        }
        _ => reference(tokens).map_or(Value::Unknown, Value::Ref),
    }
}

/// `process.env.NAME`, `process.env["NAME"]`, or a plain member chain `a.b.c`.
fn reference(tokens: &[Token]) -> Option<Reference> {
    if let [process, dot, env, rest @ ..] = tokens
        && process.is_ident("process")
        && dot.is(".")
        && env.is_ident("env")
    {
        return match rest {
            [dot, name] if dot.is(".") && name.kind == TokenKind::Ident => {
                Some(Reference::Env(name.text.to_string()))
            }
            [open, name, close] if open.is("[") && close.is("]") => {
                name.string().map(|n| Reference::Env(n.to_string()))
            }
            _ => None,
        };
    }
    let mut path = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        if n % 2 == 0 {
            if token.kind != TokenKind::Ident {
                return None;
            }
            path.push(token.text.to_string());
        } else if !token.is(".") && !token.is("?.") {
            return None;
        }
    }
    (tokens.len() % 2 == 1).then_some(Reference::Path(path))
}

/// `const NAME = value;` at any level, and `const NAME = require("x.json")`.
fn declaration(tokens: &[Token], at: usize, module: &mut Module) {
    let Some(name) = tokens.get(at + 1).filter(|t| t.kind == TokenKind::Ident) else {
        return;
    };
    let mut eq = at + 2;
    // `const name: Type = ...`
    if tokens.get(eq).is_some_and(|t| t.is(":")) {
        eq = (eq..tokens.len().min(eq + 8))
            .find(|&i| tokens[i].is("="))
            .unwrap_or(eq);
    }
    if !tokens.get(eq).is_some_and(|t| t.is("=")) {
        return;
    }
    let start = eq + 1;
    if let [call, open, spec, close, ..] = &tokens[start.min(tokens.len())..]
        && call.is_ident("require")
        && open.is("(")
        && close.is(")")
        && let Some(spec) = spec.string()
    {
        (module.imports)
            .entry(name.text.to_string())
            .or_insert_with(|| spec.to_string());
        return;
    }
    if tokens.get(start).is_some_and(|t| t.is("{")) {
        return;
    }
    // Only short values are constants worth reading; a function body is not scanned again for
    // every declaration it holds.
    let window = &tokens[start.min(tokens.len())..tokens.len().min(start + MAX_CONSTANT_TOKENS)];
    let end = start + expression_end(window, 0);
    let (value, fallback) = value(&tokens[start..end]);
    let mut span = tokens.get(start).map_or(name.span, |t| t.span);
    // `process.env.X || 'literal'`: the literal is what runs without the variable, as for an
    // object's property (and it is where a wrong value is written).
    let value = match (value, fallback) {
        (Value::Ref(Reference::Env(_)) | Value::Unknown, Some((text, at))) => {
            span = at;
            Value::Text(text)
        }
        (value, _) => value,
    };
    module
        .constants
        .insert(name.text.to_string(), (value, span));
}

/// `import NAME from "x.json"` and `import * as NAME from "x.json"`.
fn import(tokens: &[Token], at: usize, module: &mut Module) {
    let rest = &tokens[at + 1..tokens.len().min(at + 8)];
    let (name, from) = match rest {
        [name, from, spec, ..] if name.kind == TokenKind::Ident && from.is_ident("from") => {
            (name, spec)
        }
        [star, as_, name, from, spec, ..]
            if star.is("*") && as_.is_ident("as") && from.is_ident("from") =>
        {
            (name, spec)
        }
        _ => return,
    };
    if let Some(spec) = from.string() {
        (module.imports)
            .entry(name.text.to_string())
            .or_insert_with(|| spec.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_strategy_options_with_env_and_fallback() {
        let text = r#"
const BearerStrategy = require('passport-azure-ad').BearerStrategy;
const config = require("./config.json");
const options = {
  identityMetadata: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
  clientID: process.env.CLIENT_ID || 'fallback-id',
  audience: process.env["AUDIENCE"],
  validateIssuer: true,
  issuer: [`https://login.microsoftonline.com/${config.credentials.tenantID}/v2.0`],
  loggingLevel: 'info', // ignored
  passReqToCallback: false,
};
passport.use(new BearerStrategy(options, (token, done) => done(null, {}, token)));
"#;
        let module = read(text);
        assert_eq!(module.import("config"), Some("./config.json"));
        let options = &module.objects[0];
        assert_eq!(options.binding.as_deref(), Some("options"));
        let metadata = options.get("identityMetadata").unwrap();
        assert!(matches!(&metadata.value, Value::Text(t) if t.ends_with("openid-configuration")));
        assert_eq!(
            &text[metadata.key_span.start..metadata.key_span.end],
            "identityMetadata"
        );
        let client = options.get("clientID").unwrap();
        assert_eq!(client.value, Value::Ref(Reference::Env("CLIENT_ID".into())));
        assert_eq!(client.fallback.as_ref().unwrap().0, "fallback-id");
        assert_eq!(
            options.get("audience").unwrap().value,
            Value::Ref(Reference::Env("AUDIENCE".into()))
        );
        assert_eq!(
            options.get("validateIssuer").unwrap().value,
            Value::Scalar("true".into())
        );
        // An array holding a template is not a list of strings.
        assert_eq!(options.get("issuer").unwrap().value, Value::Unknown);
    }

    #[test]
    fn nested_msal_configuration_in_typescript() {
        let text = r#"
import { Configuration } from "@azure/msal-browser";
export const msalConfig: Configuration = {
    auth: {
        clientId: "11111111-2222-3333-4444-555555555555",
        authority: `https://${b2cPolicies.authorityDomain}/contoso.onmicrosoft.com/B2C_1_susi`,
        knownAuthorities: ["contoso.b2clogin.com"] as string[],
    },
    cache: { cacheLocation: "sessionStorage" },
};
"#;
        let module = read(text);
        let config = &module.objects[0];
        assert_eq!(config.binding.as_deref(), Some("msalConfig"));
        let Value::List(known) = &config.get("auth.knownAuthorities").unwrap().value else {
            panic!()
        };
        assert_eq!(known[0].0, "contoso.b2clogin.com");
        let Value::Template(pieces) = &config.get("auth.authority").unwrap().value else {
            panic!()
        };
        assert_eq!(
            pieces[1],
            Piece::Ref(Reference::Path(vec![
                "b2cPolicies".into(),
                "authorityDomain".into()
            ]))
        );
        assert!(config.get("cache.cacheLocation").is_some());
    }

    #[test]
    fn constants_imports_and_callee_bindings() {
        let text = r#"
import authConfig from './authConfig.json';
const tenantName = "fabrikamb2c";
const policy = process.env.POLICY_NAME || "B2C_1_susi";
module.exports = { tenantName };
passport.use(new OIDCStrategy({ identityMetadata: `https://x/${tenantName}` }, verify));
"#;
        let module = read(text);
        assert_eq!(module.import("authConfig"), Some("./authConfig.json"));
        assert_eq!(
            module.constant("tenantName").unwrap().0,
            &Value::Text("fabrikamb2c".into())
        );
        // The fallback is what runs without the variable (docs/stacks-verified.md §3.5).
        assert_eq!(
            module.constant("policy").unwrap().0,
            &Value::Text("B2C_1_susi".into())
        );
        assert_eq!(module.objects[0].binding.as_deref(), Some("module.exports"));
        assert_eq!(module.objects[1].binding.as_deref(), Some("OIDCStrategy"));
    }

    #[test]
    fn blocks_are_not_objects_and_methods_are_skipped() {
        let text = "function f() { return 1; }\nconst o = { get x() { return 2; }, ...rest, [k]: 1, y: 'v' };";
        let module = read(text);
        assert_eq!(module.objects.len(), 1);
        assert_eq!(module.objects[0].properties.len(), 1);
        assert_eq!(module.objects[0].properties[0].path, "y");
    }

    #[test]
    fn deep_or_broken_objects_stay_linear_and_quiet() {
        let deep = format!("x = {}", "{a:".repeat(5000));
        let module = read(&deep);
        assert_eq!(module.objects.len(), 1);
        let _ = read("const = ; x = { : , } }}} {{{ '");
    }
}
