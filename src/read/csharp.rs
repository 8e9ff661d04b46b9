//! A lexical scanner for C#: enough to read startup code (identifiers, string literals of every
//! kind, punctuation) while skipping comments and preprocessor lines. No parser.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    Ident,
    /// A string literal; `text` holds its value (escapes decoded).
    Str,
    /// An interpolated string: literal parts and `{expression}` holes, in order.
    Interpolated(Vec<InterpolatedPart>),
    Number,
    Char,
    /// Punctuation: one character, or `=>`, `==`, `!=`, `??`, `&&`, `||`, `+=`.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolatedPart {
    Text(String),
    /// The hole's tokens (re-scanned from its source).
    Hole(Vec<Token>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
    pub span: Span,
}

impl Token {
    pub fn is(&self, punct: &str) -> bool {
        self.kind == TokenKind::Punct && self.text == punct
    }

    pub fn is_ident(&self, name: &str) -> bool {
        self.kind == TokenKind::Ident && self.text == name
    }
}

/// Scans `text`; positions are offsets into it. Unterminated literals end at the end of the
/// line (strings) or file (comments, verbatim strings): a broken file still yields tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_at(text, 0, 0)
}

fn tokenize_at(text: &str, base: usize, depth: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // Preprocessor directives take the rest of the line.
        if c == b'#' && line_start {
            i = find_from(bytes, i, b'\n');
            continue;
        }
        line_start = false;
        if text[i..].starts_with("//") {
            i = find_from(bytes, i, b'\n');
            continue;
        }
        if text[i..].starts_with("/*") {
            i = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |e| i + 2 + e + 2);
            continue;
        }
        let prefix_len = text[i..]
            .bytes()
            .take_while(|b| *b == b'$' || *b == b'@')
            .count();
        let after_prefix = i + prefix_len;
        if prefix_len <= 3 && bytes.get(after_prefix) == Some(&b'"') {
            let prefix = &text[i..after_prefix];
            let interpolated = prefix.contains('$');
            let verbatim = prefix.contains('@');
            let (end, token) = if text[after_prefix..].starts_with("\"\"\"") {
                raw_string(text, after_prefix)
            } else {
                quoted_string(text, after_prefix, verbatim, interpolated, base, depth)
            };
            let mut token = token;
            token.span = Span::new(base + start, base + end);
            tokens.push(token);
            i = end;
            continue;
        }
        if c == b'\'' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'\'' && bytes[j] != b'\n' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            i = (j + 1).min(bytes.len());
            tokens.push(Token {
                kind: TokenKind::Char,
                text: text[start..i.min(text.len())].to_string(),
                span: Span::new(base + start, base + i),
            });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c >= 0x80 {
            let mut j = if c == b'@' { i + 1 } else { i };
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80)
            {
                j += 1;
            }
            while !text.is_char_boundary(j) {
                j += 1;
            }
            let name = text[i..j].trim_start_matches('@').to_string();
            i = j.max(i + 1);
            tokens.push(Token {
                kind: TokenKind::Ident,
                text: name,
                span: Span::new(base + start, base + i),
            });
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'.' || bytes[j] == b'_')
            {
                j += 1;
            }
            i = j;
            tokens.push(Token {
                kind: TokenKind::Number,
                text: text[start..i].to_string(),
                span: Span::new(base + start, base + i),
            });
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or_default();
        let len = if ["=>", "==", "!=", "??", "&&", "||", "+="].contains(&two) {
            2
        } else {
            1
        };
        let mut end = i + len;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        tokens.push(Token {
            kind: TokenKind::Punct,
            text: text[i..end].to_string(),
            span: Span::new(base + start, base + end),
        });
        i = end;
    }
    tokens
}

fn find_from(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == byte)
        .map_or(bytes.len(), |p| from + p)
}

/// `"..."`, `@"..."`, `$"..."`, `$@"..."`; `quote` is the offset of the opening quote.
fn quoted_string(
    text: &str,
    quote: usize,
    verbatim: bool,
    interpolated: bool,
    base: usize,
    depth: usize,
) -> (usize, Token) {
    let bytes = text.as_bytes();
    let mut i = quote + 1;
    let mut parts = Vec::new();
    let mut current = String::new();
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            if verbatim && bytes.get(i + 1) == Some(&b'"') {
                current.push('"');
                i += 2;
                continue;
            }
            i += 1;
            break;
        }
        if c == b'\n' && !verbatim {
            break;
        }
        if c == b'\\' && !verbatim {
            let (decoded, width) = escape(&text[i + 1..]);
            current.push_str(&decoded);
            i += 1 + width;
            continue;
        }
        if interpolated && c == b'{' {
            if bytes.get(i + 1) == Some(&b'{') {
                current.push('{');
                i += 2;
                continue;
            }
            let end = hole_end(bytes, i + 1);
            parts.push(InterpolatedPart::Text(std::mem::take(&mut current)));
            let hole = &text[i + 1..end];
            let hole = &hole[..format_specifier_start(hole)];
            let inner = if depth < 4 {
                tokenize_at(hole, base + i + 1, depth + 1)
            } else {
                Vec::new()
            };
            parts.push(InterpolatedPart::Hole(inner));
            i = (end + 1).min(bytes.len());
            continue;
        }
        if interpolated && c == b'}' && bytes.get(i + 1) == Some(&b'}') {
            current.push('}');
            i += 2;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or('\u{FFFD}');
        current.push(ch);
        i += ch.len_utf8();
    }
    token_from(parts, current, interpolated, i)
}

/// C# 11 raw strings `"""..."""`; an interpolated one keeps its holes as text.
fn raw_string(text: &str, quote: usize) -> (usize, Token) {
    let quotes = text[quote..].bytes().take_while(|b| *b == b'"').count();
    let fence = "\"".repeat(quotes);
    let body_start = quote + quotes;
    let body_end = text[body_start..]
        .find(&fence)
        .map_or(text.len(), |e| body_start + e);
    let end = (body_end + quotes).min(text.len());
    let body = text[body_start..body_end]
        .trim_matches(['\n', '\r'])
        .to_string();
    token_from(Vec::new(), body, false, end)
}

fn token_from(
    mut parts: Vec<InterpolatedPart>,
    current: String,
    interpolated: bool,
    end: usize,
) -> (usize, Token) {
    if interpolated {
        parts.push(InterpolatedPart::Text(current));
        let text = parts
            .iter()
            .map(|p| {
                if let InterpolatedPart::Text(t) = p {
                    t.as_str()
                } else {
                    "{}"
                }
            })
            .collect();
        (
            end,
            Token {
                kind: TokenKind::Interpolated(parts),
                text,
                span: Span::default(),
            },
        )
    } else {
        (
            end,
            Token {
                kind: TokenKind::Str,
                text: current,
                span: Span::default(),
            },
        )
    }
}

/// Where an interpolation hole's alignment or format (`,5`, `:N2`) starts, outside brackets and
/// strings; the hole's length when it has none.
fn format_specifier_start(hole: &str) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    for (i, c) in hole.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' if !in_string => depth += 1,
            ')' | ']' if !in_string => depth = depth.saturating_sub(1),
            ':' | ',' if !in_string && depth == 0 => return i,
            _ => {}
        }
    }
    hole.len()
}

/// The end of an interpolation hole starting at `from`, skipping nested braces and strings.
fn hole_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' if depth == 0 => return i,
            b'}' => depth -= 1,
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += 1;
                }
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Decodes one escape sequence after a backslash; returns the text and the bytes consumed.
fn escape(rest: &str) -> (String, usize) {
    let mut chars = rest.chars();
    match chars.next() {
        Some('n') => ("\n".into(), 1),
        Some('t') => ("\t".into(), 1),
        Some('r') => ("\r".into(), 1),
        Some('0') => ("\0".into(), 1),
        Some('u') => {
            let hex: String = rest[1..].chars().take(4).collect();
            (
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map(String::from)
                    .unwrap_or_default(),
                1 + hex.len(),
            )
        }
        Some(c) => (c.to_string(), c.len_utf8()),
        None => (String::new(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn strings_of_every_kind() {
        let tokens = tokenize(r#"a = "x\"y"; b = @"c:\dir""q"; c = """raw "x" """;"#);
        let strings: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Str)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(strings, ["x\"y", "c:\\dir\"q", "raw \"x\" "]);
    }

    #[test]
    fn interpolated_strings_keep_holes() {
        let tokens = tokenize(r#"var m = $"{AadInstance}/v2.0/{{x}}";"#);
        let TokenKind::Interpolated(parts) = &tokens[3].kind else {
            panic!("{:?}", tokens[3])
        };
        assert_eq!(parts.len(), 3);
        assert!(
            matches!(&parts[1], InterpolatedPart::Hole(inner) if inner[0].text == "AadInstance")
        );
        assert_eq!(parts[2], InterpolatedPart::Text("/v2.0/{x}".into()));
    }

    #[test]
    fn comments_and_preprocessor_lines_are_skipped() {
        let text = "#if DEBUG\n// Authority = \"x\"\n/* \"y\" */ Tenant = \"t\";";
        assert_eq!(
            kinds(text),
            [
                (TokenKind::Ident, "Tenant".into()),
                (TokenKind::Punct, "=".into()),
                (TokenKind::Str, "t".into()),
                (TokenKind::Punct, ";".into())
            ]
        );
    }

    #[test]
    fn spans_point_into_the_source() {
        let text = "x = \"value\";";
        let token = &tokenize(text)[2];
        assert_eq!(&text[token.span.start..token.span.end], "\"value\"");
    }

    #[test]
    fn broken_input_still_tokenizes() {
        for text in [
            "\"unterminated",
            "/* open",
            "$\"{open",
            "@\"verbatim",
            "'",
            "é = \"ü\";",
        ] {
            let _ = tokenize(text);
        }
    }
}
