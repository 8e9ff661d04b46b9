//! A lexical scanner for JavaScript and TypeScript: enough to read the object literals that
//! configure passport-azure-ad and MSAL (identifiers, string and template literals, numbers,
//! punctuation) while skipping comments and regular expressions. No parser, nothing executed.
//!
//! Hand-written rather than a crate: `oxc_parser` (the maintained choice) needs a newer Rust than
//! the project's minimum and builds a whole AST with its own allocator to answer "which string
//! is this key given"; `ress` is an unmaintained pre-release without TypeScript. Reading object
//! literals needs tokens with spans, which this file gives in one linear pass.

use crate::source::Span;
use std::borrow::Cow;

/// How deep template holes may nest (`${`${`...`}`}`); deeper holes are kept as text.
const MAX_HOLE_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind<'t> {
    Ident,
    /// A string literal, or a template literal without substitutions; `text` is its value
    /// (escapes decoded).
    Str,
    /// A template literal with substitutions: literal parts and `${...}` holes, in order.
    Template(Vec<TemplatePart<'t>>),
    Number,
    /// A regular expression literal (kept so that its text is never read as code).
    Regex,
    /// One character, or one of `=>`, `...`, `?.`, `??`, `||`, `&&`, `===`, `==`, `!==`, `!=`.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart<'t> {
    Text(String),
    /// The hole's tokens.
    Hole(Vec<Token<'t>>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// Identifiers, numbers, punctuation and regular expressions borrow their text from the
/// source: a large module costs no allocation per token.
pub struct Token<'t> {
    pub kind: TokenKind<'t>,
    pub text: Cow<'t, str>,
    pub span: Span,
}

impl Token<'_> {
    pub fn is(&self, punct: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == punct
    }

    pub fn is_ident(&self, name: &str) -> bool {
        self.kind == TokenKind::Ident && self.text == name
    }

    /// A string value: a string literal or a template without substitutions.
    pub fn string(&self) -> Option<&str> {
        (self.kind == TokenKind::Str).then_some(self.text.as_ref())
    }
}

/// Scans `text`; spans are byte offsets into it. Unterminated strings end at the end of their
/// line, unterminated comments, templates and holes at the end of the file: a broken file
/// still yields tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    Scanner { text, at: 0 }.tokens(0, false)
}

/// Keywords after which `/` starts a regular expression rather than a division.
const REGEX_AFTER: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "yield",
    "await",
    "instanceof",
];

const LONG_PUNCT: &[&str] = &[
    "===", "!==", "...", "=>", "?.", "??", "||", "&&", "==", "!=",
];

struct Scanner<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Scanner<'t> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// Tokens up to the end of the text or, inside a template hole, up to its closing `}`
    /// (consumed).
    fn tokens(&mut self, depth: usize, in_hole: bool) -> Vec<Token<'t>> {
        let mut tokens: Vec<Token<'t>> = Vec::new();
        let mut braces = 0usize;
        while self.at < self.text.len() {
            let c = self.bytes()[self.at];
            if c.is_ascii_whitespace() {
                self.at += 1;
                continue;
            }
            let rest = &self.text[self.at..];
            if rest.starts_with("//") {
                self.at = self.line_end(self.at);
                continue;
            }
            if let Some(comment) = rest.strip_prefix("/*") {
                self.at = comment
                    .find("*/")
                    .map_or(self.text.len(), |e| self.at + 2 + e + 2);
                continue;
            }
            let start = self.at;
            let token = match c {
                b'"' | b'\'' => self.quoted(c),
                b'`' => self.template(depth),
                b'/' if regex_may_start(tokens.last()) => self.regex(),
                b'0'..=b'9' => self.number(),
                b'.' if self.bytes().get(start + 1).is_some_and(u8::is_ascii_digit) => {
                    self.number()
                }
                _ if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => {
                    self.identifier()
                }
                _ => {
                    if in_hole && c == b'}' {
                        if braces == 0 {
                            self.at += 1;
                            return tokens;
                        }
                        braces -= 1;
                    } else if c == b'{' {
                        braces += 1;
                    }
                    self.punct()
                }
            };
            tokens.push(Token {
                span: Span::new(start, self.at),
                ..token
            });
        }
        tokens
    }

    fn line_end(&self, from: usize) -> usize {
        self.text[from..]
            .find('\n')
            .map_or(self.text.len(), |e| from + e)
    }

    fn token(kind: TokenKind<'t>, text: Cow<'t, str>) -> Token<'t> {
        Token {
            kind,
            text,
            span: Span::default(),
        }
    }

    fn quoted(&mut self, quote: u8) -> Token<'t> {
        let mut value = String::new();
        let mut i = self.at + 1;
        let bytes = self.text.as_bytes();
        while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
            if bytes[i] == b'\\' {
                i = self.escape(i, &mut value);
                continue;
            }
            let ch = self.text[i..].chars().next().unwrap_or('\u{fffd}');
            value.push(ch);
            i += ch.len_utf8();
        }
        self.at = if bytes.get(i) == Some(&quote) {
            i + 1
        } else {
            i
        };
        Self::token(TokenKind::Str, Cow::Owned(value))
    }

    /// Decodes the escape at `i` (a backslash) into `value`; returns the offset after it.
    fn escape(&self, i: usize, value: &mut String) -> usize {
        let Some(next) = self.text[i + 1..].chars().next() else {
            return i + 1;
        };
        let after = i + 1 + next.len_utf8();
        let hex = |digits: &str| {
            u32::from_str_radix(digits, 16)
                .ok()
                .and_then(char::from_u32)
        };
        match next {
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'r' => value.push('\r'),
            'b' => value.push('\u{8}'),
            'f' => value.push('\u{c}'),
            'v' => value.push('\u{b}'),
            '0' => value.push('\0'),
            // A line continuation adds nothing.
            '\n' => {}
            '\r' => {
                return after + usize::from(self.text.as_bytes().get(after) == Some(&b'\n'));
            }
            'x' => {
                if let Some(c) = self.text.get(after..after + 2).and_then(hex) {
                    value.push(c);
                    return after + 2;
                }
                value.push('x');
            }
            'u' => {
                if self.text[after..].starts_with('{') {
                    if let Some(close) = self.text[after..].find('}').filter(|c| *c <= 8)
                        && let Some(c) = hex(&self.text[after + 1..after + close])
                    {
                        value.push(c);
                        return after + close + 1;
                    }
                } else if let Some(c) = self.text.get(after..after + 4).and_then(hex) {
                    value.push(c);
                    return after + 4;
                }
                value.push('u');
            }
            other => value.push(other),
        }
        after
    }

    fn template(&mut self, depth: usize) -> Token<'t> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut i = self.at + 1;
        let len = self.text.len();
        while i < len {
            let b = self.text.as_bytes()[i];
            if b == b'`' {
                i += 1;
                break;
            }
            if b == b'\\' {
                i = self.escape(i, &mut literal);
                continue;
            }
            if b == b'$' && self.text.as_bytes().get(i + 1) == Some(&b'{') {
                parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                if depth >= MAX_HOLE_DEPTH {
                    // Too deep to read: the rest of the template is text, unknown to readers.
                    parts.push(TemplatePart::Hole(Vec::new()));
                    i = self.text[i..].find('`').map_or(len, |e| i + e + 1);
                    break;
                }
                self.at = i + 2;
                let hole = self.tokens(depth + 1, true);
                parts.push(TemplatePart::Hole(hole));
                i = self.at;
                continue;
            }
            let ch = self.text[i..].chars().next().unwrap_or('\u{fffd}');
            literal.push(ch);
            i += ch.len_utf8();
        }
        self.at = i.min(len);
        if parts.is_empty() {
            return Self::token(TokenKind::Str, Cow::Owned(literal));
        }
        parts.push(TemplatePart::Text(literal));
        Self::token(TokenKind::Template(parts), Cow::Borrowed(""))
    }

    fn regex(&mut self) -> Token<'t> {
        let bytes = self.text.as_bytes();
        let mut i = self.at + 1;
        let mut in_class = false;
        while i < bytes.len() && bytes[i] != b'\n' {
            match bytes[i] {
                b'\\' => i += 1,
                b'[' => in_class = true,
                b']' => in_class = false,
                b'/' if !in_class => break,
                _ => {}
            }
            i += 1;
        }
        i = (i + 1).min(bytes.len());
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let text = &self.text[self.at..i];
        self.at = i;
        Self::token(TokenKind::Regex, Cow::Borrowed(text))
    }

    fn number(&mut self) -> Token<'t> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_'))
        {
            i += 1;
        }
        let text = &self.text[self.at..i];
        self.at = i;
        Self::token(TokenKind::Number, Cow::Borrowed(text))
    }

    fn identifier(&mut self) -> Token<'t> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric()
                || matches!(bytes[i], b'_' | b'$')
                || bytes[i] >= 0x80)
        {
            i += 1;
        }
        while !self.text.is_char_boundary(i) {
            i += 1;
        }
        let text = &self.text[self.at..i];
        self.at = i;
        Self::token(TokenKind::Ident, Cow::Borrowed(text))
    }

    fn punct(&mut self) -> Token<'t> {
        let rest = &self.text[self.at..];
        let width = LONG_PUNCT
            .iter()
            .find(|p| rest.starts_with(**p))
            .map_or_else(
                || rest.chars().next().map_or(1, char::len_utf8),
                |p| p.len(),
            );
        let text = &rest[..width];
        self.at += width;
        Self::token(TokenKind::Punct, Cow::Borrowed(text))
    }
}

/// `/` after an operator, an opening bracket, a keyword or nothing starts a regular expression;
/// after a value (identifier, literal, closing bracket) it divides.
fn regex_may_start(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(t) => match &t.kind {
            TokenKind::Punct => !matches!(t.text.as_ref(), ")" | "]" | "}"),
            TokenKind::Ident => REGEX_AFTER.contains(&t.text.as_ref()),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind<'_>, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text.into_owned()))
            .collect()
    }

    #[test]
    fn strings_keep_spans_and_decode_escapes() {
        let text = "const a = 'it\\'s'; let b = \"x\\u0041\\u{42}\\x43\";";
        let tokens = tokenize(text);
        let a = tokens.iter().find(|t| t.kind == TokenKind::Str).unwrap();
        assert_eq!(a.text, "it's");
        assert_eq!(&text[a.span.start..a.span.end], "'it\\'s'");
        let b = tokens.iter().rfind(|t| t.kind == TokenKind::Str).unwrap();
        assert_eq!(b.text, "xABC");
    }

    #[test]
    fn templates_without_substitutions_are_strings() {
        let tokens = tokenize("x = `https://login.microsoftonline.com/common`");
        assert_eq!(
            tokens[2].string(),
            Some("https://login.microsoftonline.com/common")
        );
    }

    #[test]
    fn template_holes_are_tokenized_with_nested_braces_and_templates() {
        let tokens =
            tokenize("`https://${config.metadata.authority}/${ {a:1}.a }/${`in${x}`}/v2.0`;");
        let TokenKind::Template(parts) = &tokens[0].kind else {
            panic!("{tokens:?}")
        };
        assert_eq!(parts[0], TemplatePart::Text("https://".into()));
        let TemplatePart::Hole(hole) = &parts[1] else {
            panic!()
        };
        let names: Vec<&str> = hole.iter().map(|t| t.text.as_ref()).collect();
        assert_eq!(names, ["config", ".", "metadata", ".", "authority"]);
        assert_eq!(parts.last(), Some(&TemplatePart::Text("/v2.0".into())));
        assert!(tokens[1].is(";"));
    }

    #[test]
    fn comments_and_regular_expressions_hide_their_text() {
        let found =
            kinds("// identityMetadata: 'a'\n/* 'b' */ const r = /'c'[/]/g; x = a / b / c;");
        assert!(!found.iter().any(|(k, _)| *k == TokenKind::Str));
        assert!(
            found
                .iter()
                .any(|(k, t)| *k == TokenKind::Regex && t == "/'c'[/]/g")
        );
        // Division after identifiers.
        assert_eq!(
            found.iter().filter(|(_, t)| t == "/").count(),
            2,
            "{found:?}"
        );
    }

    #[test]
    fn long_punctuation_and_typescript_annotations() {
        let found = kinds("const c: Configuration = { a: x ?? 'y', b: y?.z, c: () => 1 };");
        let puncts: Vec<&str> = found
            .iter()
            .filter(|(k, _)| *k == TokenKind::Punct)
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(puncts.contains(&"??") && puncts.contains(&"?.") && puncts.contains(&"=>"));
    }

    #[test]
    fn broken_input_ends_without_panicking() {
        for text in [
            "'open",
            "`open ${ a",
            "/* open",
            "`${`${`${`${`${`${`${`${`${`${x",
            "\\",
            "'\\u{",
            "é'é",
        ] {
            let _ = tokenize(text);
        }
        let deep = "`${".repeat(10_000);
        assert!(!tokenize(&deep).is_empty());
    }
}
