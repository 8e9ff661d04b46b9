//! Stage 7: suppress. Configuration (rule selection, severities, per-file ignores), inline
//! comments (`// entralint-ignore rule: reason`, `<!-- entralint-ignore rule: reason -->`,
//! `entralint-ignore-file`), and the baseline decide what is reported. Suppressions that match
//! nothing, or are malformed, are reported themselves.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::CommentStyle;
use crate::rules::{self, invalid_suppression, unused_suppression};
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};
use std::collections::HashMap;

const MARKER: &str = "entralint-ignore";

/// One `entralint-ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule ids as written, each with its span.
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// The 1-based line it covers; `None` for the whole file.
    pub line: Option<usize>,
    /// The comment.
    pub span: Span,
}

fn style_of(file: &SourceFile) -> Option<CommentStyle> {
    Some(crate::discover::classify(&file.path)?.comment_style())
}

/// A comment on its own line that suppresses `rule` on the next line, in the file's comment
/// syntax; `None` for files without comments this module reads.
pub fn comment_for(file: &SourceFile, rule: &str, reason: &str) -> Option<String> {
    match style_of(file)? {
        CommentStyle::Slashes => Some(format!("// {MARKER} {rule}: {reason}")),
        CommentStyle::Xml => Some(format!("<!-- {MARKER} {rule}: {reason} -->")),
        CommentStyle::Hash => Some(format!("# {MARKER} {rule}: {reason}")),
    }
}

/// The `#` comments of `text`: a `#` at a line's start or after white space, outside single or
/// double quotes on that line, to the end of the line.
fn hash_comments(text: &str) -> Vec<(Span, &str)> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut quote = None;
        let mut escaped = false;
        let mut previous = b' ';
        for (at, byte) in line.bytes().enumerate() {
            match (quote, byte) {
                _ if escaped => escaped = false,
                (Some(b'"'), b'\\') => escaped = true,
                // YAML writes a quote inside single quotes as two.
                (Some(b'\''), b'\'') if line.as_bytes().get(at + 1) == Some(&b'\'') => {
                    escaped = true
                }
                (Some(open), _) if byte == open => quote = None,
                (Some(_), _) => {}
                // A quote opens a value only where one starts (`it's` is plain text).
                (None, b'"' | b'\'')
                    if previous.is_ascii_whitespace()
                        || matches!(previous, b'=' | b':' | b'[' | b'{' | b',') =>
                {
                    quote = Some(byte)
                }
                (None, b'#') if previous.is_ascii_whitespace() => {
                    let body = line[at + 1..].trim_end_matches(['\n', '\r']);
                    let start = line_start + at;
                    found.push((Span::new(start, start + 1 + body.len()), body));
                    break;
                }
                _ => {}
            }
            previous = byte;
        }
        line_start += line.len();
    }
    found
}

/// Every comment of a file as (span of the comment, text inside it).
fn comments(text: &str, style: CommentStyle) -> Vec<(Span, &str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    match style {
        CommentStyle::Hash => return hash_comments(text),
        CommentStyle::Xml => {
            while let Some(open) = text[i..].find("<!--") {
                let start = i + open;
                let end = text[start + 4..]
                    .find("-->")
                    .map_or(text.len(), |e| start + 4 + e);
                found.push((
                    Span::new(start, (end + 3).min(text.len())),
                    &text[start + 4..end],
                ));
                i = (end + 3).min(text.len());
            }
        }
        CommentStyle::Slashes => {
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i += 1;
                        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                            i += if bytes[i] == b'\\' { 2 } else { 1 };
                        }
                        i += 1;
                    }
                    b'/' if bytes.get(i + 1) == Some(&b'/') => {
                        let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                        found.push((Span::new(i, end), &text[i + 2..end]));
                        i = end;
                    }
                    b'/' if bytes.get(i + 1) == Some(&b'*') => {
                        let end = text[i + 2..].find("*/").map_or(text.len(), |e| i + 2 + e);
                        found.push((Span::new(i, (end + 2).min(text.len())), &text[i + 2..end]));
                        i = end + 2;
                    }
                    _ => i += 1,
                }
            }
        }
    }
    found
}

/// The text may hold suppression comments.
pub fn has_suppressions(text: &str) -> bool {
    text.contains(MARKER)
}

/// The suppressions of one file.
pub fn suppressions(file: &SourceFile) -> Vec<Suppression> {
    let Some(style) = style_of(file) else {
        return Vec::new();
    };
    if !has_suppressions(&file.text) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (span, inside) in comments(&file.text, style) {
        let trimmed = inside.trim_start();
        let Some(rest) = trimmed.strip_prefix(MARKER) else {
            continue;
        };
        let (whole_file, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        if !rest.is_empty() && !rest.starts_with([' ', '\t', ':']) {
            continue;
        }
        let rest_offset = span.start
            + (inside.as_ptr() as usize - file.text[span.start..].as_ptr() as usize)
            + (inside.len() - trimmed.len())
            + (trimmed.len() - rest.len());
        let (list, reason) = match rest.split_once(':') {
            Some((list, reason)) => (
                list,
                Some(reason.trim().trim_end_matches("-->").trim().to_string())
                    .filter(|r| !r.is_empty()),
            ),
            None => (rest, None),
        };
        let mut rules_named = Vec::new();
        let mut offset = 0;
        for part in list.split([',', ' ', '\t']) {
            let position = list[offset..].find(part).map_or(offset, |p| offset + p);
            offset = position + part.len();
            if !part.is_empty() {
                let start = rest_offset + position;
                rules_named.push((part.to_string(), Span::new(start, start + part.len())));
            }
        }
        let line = (!whole_file).then(|| {
            let start = file.position(span.start);
            let line_start = file.text[..span.start].rfind('\n').map_or(0, |at| at + 1);
            let own_line = file.text[line_start..span.start].trim().is_empty();
            // A comment on its own line covers the next line; a trailing one, its own line.
            if own_line {
                file.position(span.end).line + 1
            } else {
                start.line
            }
        });
        found.push(Suppression {
            rules: rules_named,
            reason,
            line,
            span,
        });
    }
    found
}

/// Applies configuration and inline suppressions; returns what is reported.
pub fn apply(
    sources: &SourceMap,
    config: &Config,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            config.enabled(d.rule) && !config.ignored_for(&sources.get(d.primary.file).path, d.rule)
        })
        .map(|mut d| {
            if let Some(severity) = config.severity_of(d.rule) {
                d.severity = severity;
            }
            d
        })
        .collect();

    // Findings by file; within a file with suppressions, by rule and by rule and line: a file
    // may hold thousands of suppressions and findings.
    let mut in_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, d) in kept.iter().enumerate() {
        in_file.entry(d.primary.file).or_default().push(i);
    }
    let mut suppressed = vec![false; kept.len()];
    let mut extra = Vec::new();
    for index in 0..sources.len() {
        let file_id = FileId(index);
        let file = sources.get(file_id);
        let found = suppressions(file);
        if found.is_empty() {
            continue;
        }
        let mut by_rule: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_line: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
        for &i in in_file.get(&file_id).map_or(&[][..], Vec::as_slice) {
            let line = file.position(kept[i].primary.span.start).line;
            by_rule.entry(kept[i].rule).or_default().push(i);
            by_line.entry((kept[i].rule, line)).or_default().push(i);
        }
        for suppression in found {
            let at = |span: Span| Location {
                file: file_id,
                span,
            };
            if suppression.reason.is_none() {
                extra.push(invalid_suppression::RULE.diagnostic(at(suppression.span), "this entralint-ignore comment gives no reason: write `entralint-ignore <rule-id>: <why>`"));
            }
            if suppression.rules.is_empty() {
                extra.push(invalid_suppression::RULE.diagnostic(
                    at(suppression.span),
                    "this entralint-ignore comment names no rule id",
                ));
            }
            for (id, span) in &suppression.rules {
                let Some(rule) = rules::find(id) else {
                    extra.push(invalid_suppression::RULE.diagnostic(
                        at(*span),
                        match rules::suggest(id) {
                            Some(close) => {
                                format!("'{id}' is not a rule id (did you mean '{close}'?)")
                            }
                            None => format!(
                                "'{id}' is not a rule id (run `entralint rules` for the list)"
                            ),
                        },
                    ));
                    continue;
                };
                let covered = match suppression.line {
                    Some(line) => by_line.get(&(rule.id, line)),
                    None => by_rule.get(rule.id),
                };
                let mut suppresses = false;
                for &i in covered.map_or(&[][..], Vec::as_slice) {
                    suppresses |= !std::mem::replace(&mut suppressed[i], true);
                }
                if !suppresses && config.enabled(rule.id) {
                    let scope = if suppression.line.is_some() {
                        "the line it covers"
                    } else {
                        "this file"
                    };
                    extra.push(unused_suppression::RULE.diagnostic(at(*span), format!("`entralint-ignore {id}` suppresses nothing: {scope} has no {id} finding")));
                }
            }
        }
    }
    let mut kept: Vec<Diagnostic> = kept
        .into_iter()
        .zip(suppressed)
        .filter(|(_, suppressed)| !suppressed)
        .map(|(d, _)| d)
        .collect();
    kept.extend(extra.into_iter().filter(|d| config.enabled(d.rule)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from(name), name.into(), text.into())
    }

    #[test]
    fn inserted_comments_suppress_the_next_line() {
        let reason = "reviewed";
        for (name, line) in [
            ("appsettings.json", "  \"Audience\": \"x\""),
            ("Web.config", "  <add key=\"ida:Audience\" value=\"x\" />"),
            ("policy.xml", "  <audience>x</audience>"),
            ("docker-compose.yml", "      AzureAd__Audience: x"),
            (".env", "AzureAd__Audience=x"),
            ("oauth2-proxy.cfg", "oidc_issuer_url = \"x\""),
        ] {
            let comment = comment_for(&file(name, ""), "graph-audience", reason).unwrap();
            let f = file(name, &format!("{comment}\n{line}\n"));
            let found = suppressions(&f);
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(found[0].line, Some(2), "{name}");
            assert_eq!(found[0].rules[0].0, "graph-audience");
            assert_eq!(found[0].reason.as_deref(), Some(reason));
        }
        assert_eq!(
            comment_for(&file("notes.txt", ""), "graph-audience", reason),
            None
        );
    }

    #[test]
    fn hash_comments_outside_quotes_only() {
        let f = file(
            "docker-compose.yml",
            "a: \"x # entralint-ignore r1\"\nb: 'it''s # entralint-ignore r2'\nc: url#entralint-ignore r3\nd: it's # entralint-ignore r4: why\n  # entralint-ignore r5 \u{e9}\r\ne: \"q\\\" # entralint-ignore r6\"\n",
        );
        let found = suppressions(&f);
        let named: Vec<(&str, Option<usize>)> = (found.iter())
            .map(|s| (s.rules[0].0.as_str(), s.line))
            .collect();
        assert_eq!(named, [("r4", Some(4)), ("r5", Some(6))]);
        assert_eq!(found[0].reason.as_deref(), Some("why"));
    }

    #[test]
    fn json_comments_above_and_trailing() {
        let f = file(
            "appsettings.json",
            "{\n  // entralint-ignore graph-audience, placeholder-value: Graph proxy, by design\n  \"Audience\": \"https://graph.microsoft.com\",\n  \"X\": \"https://a//b\" /* entralint-ignore secret-in-config: test value */\n}",
        );
        let found = suppressions(&f);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0]
                .rules
                .iter()
                .map(|(r, _)| r.as_str())
                .collect::<Vec<_>>(),
            ["graph-audience", "placeholder-value"]
        );
        assert_eq!(found[0].line, Some(3));
        assert_eq!(found[0].reason.as_deref(), Some("Graph proxy, by design"));
        assert_eq!(
            &f.text[found[0].rules[1].1.start..found[0].rules[1].1.end],
            "placeholder-value"
        );
        assert_eq!(found[1].line, Some(4));
    }

    #[test]
    fn xml_comments_and_whole_file() {
        let f = file(
            "Web.config",
            "<configuration>\n<!-- entralint-ignore-file placeholder-value: sample -->\n<!-- entralint-ignore graph-audience -->\n<add/>\n</configuration>",
        );
        let found = suppressions(&f);
        assert_eq!(found[0].line, None);
        assert_eq!(found[1].line, Some(4));
        assert_eq!(found[1].reason, None);
    }

    #[test]
    fn urls_in_strings_are_not_comments() {
        let f = file(
            "appsettings.json",
            "{ \"A\": \"https://x/entralint-ignore\" }",
        );
        assert!(suppressions(&f).is_empty());
    }
}
