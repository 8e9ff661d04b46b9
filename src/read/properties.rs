//! Java `.properties` files as `java.util.Properties.load` reads them, keeping the byte span of
//! every key and value. Hand-written: the maintained crate (`java-properties`) reports line
//! numbers only, and findings must point at the value's column; the format is small.
//!
//! upstream: openjdk/jdk src/java.base/share/classes/java/util/Properties.java (`load0`,
//! `LineReader`): `#`/`!` comment lines, a key ends at the first unescaped `=`, `:` or
//! white space, a line ending in an odd number of backslashes continues on the next line (whose
//! leading white space is dropped), `\uXXXX` and `\t \n \r \f` escapes, any other escaped
//! character stands for itself. Spring Boot adds documents separated by a `#---` or `!---` line
//! (spring-projects/spring-boot `OriginTrackedPropertiesLoader`).

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub key: String,
    pub key_span: Span,
    pub value: String,
    pub value_span: Span,
    /// The document (0 for the first; Spring Boot's `#---` separators start the next).
    pub document: usize,
}

/// One logical line: its raw text from the first non-blank character, and where it starts.
/// Continuation lines are joined after dropping the backslash and the next line's indent; each
/// kept byte remembers its offset so spans point into the file.
struct LogicalLine {
    bytes: Vec<(char, usize)>,
    end: usize,
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{c}')
}

/// Every property, in file order. Nothing in a properties file is a syntax error: Java reads
/// any text, so this never fails.
pub fn parse(text: &str) -> Vec<Property> {
    let mut found = Vec::new();
    let mut document = 0;
    let mut chars = text.char_indices().peekable();
    loop {
        // Skip the indent of a natural line.
        while chars.peek().is_some_and(|&(_, c)| is_blank(c)) {
            chars.next();
        }
        let Some(&(start, first)) = chars.peek() else {
            break;
        };
        if first == '\n' || first == '\r' {
            chars.next();
            continue;
        }
        if first == '#' || first == '!' {
            let line_end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |e| start + e);
            if text[start + 1..line_end].trim_end() == "---" {
                document += 1;
            }
            while chars.peek().is_some_and(|&(i, _)| i < line_end) {
                chars.next();
            }
            continue;
        }
        let line = logical_line(&mut chars, text.len());
        if let Some(property) = split(&line, document) {
            found.push(property);
        }
    }
    found
}

/// Reads one logical line, joining continuations.
fn logical_line(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    text_len: usize,
) -> LogicalLine {
    let mut bytes = Vec::new();
    loop {
        let mut backslashes = 0usize;
        let mut ended_at = text_len;
        let mut newline = false;
        while let Some(&(i, c)) = chars.peek() {
            if c == '\n' || c == '\r' {
                ended_at = i;
                newline = true;
                chars.next();
                if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                break;
            }
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            bytes.push((c, i));
            chars.next();
        }
        if backslashes % 2 == 1 && newline {
            // The continuation backslash is not part of the text.
            bytes.pop();
            while chars.peek().is_some_and(|&(_, c)| is_blank(c)) {
                chars.next();
            }
            if chars.peek().is_none() {
                return LogicalLine {
                    bytes,
                    end: ended_at,
                };
            }
            continue;
        }
        let end = bytes.last().map_or(ended_at, |&(c, i)| i + c.len_utf8());
        return LogicalLine { bytes, end };
    }
}

/// Splits a logical line into key and value, unescaping both.
fn split(line: &LogicalLine, document: usize) -> Option<Property> {
    let chars = &line.bytes;
    let (_, start) = *chars.first()?;
    let mut i = 0;
    let mut key_end = chars.len();
    while i < chars.len() {
        let c = chars[i].0;
        if c == '\\' {
            i += 2;
            continue;
        }
        if c == '=' || c == ':' || is_blank(c) {
            key_end = i;
            break;
        }
        i += 1;
    }
    let mut value_start = key_end;
    while value_start < chars.len() && is_blank(chars[value_start].0) {
        value_start += 1;
    }
    if value_start < chars.len() && matches!(chars[value_start].0, '=' | ':') {
        value_start += 1;
        while value_start < chars.len() && is_blank(chars[value_start].0) {
            value_start += 1;
        }
    }
    let offset_of = |index: usize| chars.get(index).map_or(line.end, |&(_, at)| at);
    Some(Property {
        key: unescape(&chars[..key_end]),
        key_span: Span::new(start, offset_of(key_end)),
        value: unescape(&chars[value_start.min(chars.len())..]),
        value_span: Span::new(offset_of(value_start), line.end),
        document,
    })
}

fn unescape(chars: &[(char, usize)]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].0;
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(next, _)) = chars.get(i) else {
            break;
        };
        i += 1;
        match next {
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\u{c}'),
            'u' => {
                let hex: String = chars[i..].iter().take(4).map(|&(h, _)| h).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                {
                    Some(code) => {
                        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        i += 4;
                    }
                    // Java rejects a malformed \u escape; the text is kept as written.
                    None => out.push('u'),
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn keys_and_values_with_every_separator_and_their_spans() {
        let text = "# comment\n! also\na=1\n  b : two words \nc\tthree\nd\n";
        let found = parse(text);
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("a", "1"), ("b", "two words "), ("c", "three"), ("d", "")]
        );
        assert_eq!(at(text, found[1].key_span), "b");
        assert_eq!(at(text, found[1].value_span), "two words ");
        assert_eq!(at(text, found[2].value_span), "three");
    }

    #[test]
    fn continuation_lines_join_and_the_span_covers_both() {
        let text = "scope=openid,\\\n      profile\nnext=x";
        let found = parse(text);
        assert_eq!(found[0].value, "openid,profile");
        assert_eq!(at(text, found[0].value_span), "openid,\\\n      profile");
        assert_eq!(found[1].key, "next");
    }

    #[test]
    fn escapes_and_escaped_separators_in_keys() {
        let found = parse("a\\=b=c\\u0041\\t\\x\nurl=https\\://h/p\n");
        assert_eq!(found[0].key, "a=b");
        assert_eq!(found[0].value, "cA\tx");
        assert_eq!(found[1].value, "https://h/p");
    }

    #[test]
    fn spring_document_separators_and_crlf() {
        let found = parse("a=1\r\n#---\r\nspring.config.activate.on-profile=prod\r\na=2\r\n");
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].document, found[2].document), (0, 1));
        assert_eq!(found[2].value, "2");
    }

    #[test]
    fn hostile_input_stays_linear_and_never_panics() {
        let long = "\\\n".repeat(50_000);
        assert!(parse(&long).len() <= 1);
        let _ = parse("k=\\u12");
        let _ = parse("k=\\");
        let _ = parse("é=ü\\");
        assert_eq!(parse("x=é")[0].value, "é");
    }
}
