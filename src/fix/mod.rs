//! Machine-applicable fixes. A rule states what a value (or key) must become; this module
//! turns that into edits of the source text, verified against what the file holds, so a fix
//! keeps comments, formatting, key order and escaping: only the characters that change are
//! replaced. `apply` writes fixed files back in their own encoding.

pub mod apply;
pub mod cli;

use crate::model::Setting;
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};
use std::path::Path;

/// Whether a fix only removes the finding (safe) or also changes behaviour beyond it (unsafe),
/// as ruff splits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }

    pub fn parse(text: &str) -> Option<Applicability> {
        match text.trim() {
            "safe" => Some(Applicability::Safe),
            "unsafe" => Some(Applicability::Unsafe),
            _ => None,
        }
    }
}

/// One replacement in a file's decoded text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub location: Location,
    /// Source text written as is (already escaped for the file's syntax).
    pub replacement: String,
}

/// A value or key, as the configuration reads it, that must become another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The written value or key (for strings, including the quotes).
    pub location: Location,
    /// What the configuration reads there now: the fix is dropped when the file says otherwise.
    pub from: String,
    pub to: String,
    /// `from` is a part of the written text (found once, ASCII case aside), not all of it: for
    /// values a framework fills in from a template (`{0}`), whose written text is not the value.
    pub part: bool,
}

impl Change {
    /// The value of `setting` becomes `to`.
    pub fn value(setting: &Setting, to: impl Into<String>) -> Self {
        Change {
            location: setting.origin,
            from: setting.value.clone(),
            to: to.into(),
            part: false,
        }
    }

    /// The one occurrence of `from` in the written value of `setting` becomes `to`.
    pub fn part_of_value(setting: &Setting, from: &str, to: impl Into<String>) -> Self {
        Change {
            location: setting.origin,
            from: from.to_string(),
            to: to.into(),
            part: true,
        }
    }

    /// The name of `setting`'s own key becomes `to`.
    pub fn key(setting: &Setting, from: &str, to: impl Into<String>) -> Self {
        Change {
            location: Location {
                file: setting.file(),
                span: setting.key_span,
            },
            from: from.to_string(),
            to: to.into(),
            part: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, for people ("Replace the host with contoso.b2clogin.com").
    pub title: String,
    /// What the rule asks for; turned into `edits` once the source text is at hand.
    pub changes: Vec<Change>,
    /// The edits, sorted, not overlapping; empty until resolved (and when unresolvable).
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, changes: Vec<Change>) -> Self {
        Fix::new(Applicability::Safe, title, changes)
    }

    pub fn unsafe_(title: impl Into<String>, changes: Vec<Change>) -> Self {
        Fix::new(Applicability::Unsafe, title, changes)
    }

    fn new(applicability: Applicability, title: impl Into<String>, changes: Vec<Change>) -> Self {
        Fix {
            applicability,
            title: title.into(),
            changes,
            edits: Vec::new(),
        }
    }

    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.edits.iter().map(|e| e.location.file)
    }
}

/// How a file writes its strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Json,
    Xml,
    /// .env, YAML, oauth2-proxy: only plain URL and id characters are written.
    Plain,
}

fn syntax_of(path: &Path) -> Syntax {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".json") {
        Syntax::Json
    } else if name.ends_with(".config") || name.ends_with(".xml") {
        Syntax::Xml
    } else {
        Syntax::Plain
    }
}

/// `text` escaped for the inside of a string of `syntax`; `None` when it cannot be written there.
fn escape(syntax: Syntax, text: &str) -> Option<String> {
    match syntax {
        Syntax::Json => {
            let quoted = serde_json::to_string(text).ok()?;
            Some(quoted[1..quoted.len() - 1].to_string())
        }
        Syntax::Xml => Some(
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;"),
        ),
        Syntax::Plain => text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&()*+,;=%".contains(c))
            .then(|| text.to_string()),
    }
}

/// The edit that turns `change.from` into `change.to` in `file`, touching only the characters
/// that differ; `None` when the file does not hold `from` there verbatim (an escape sequence,
/// a changed file), so nothing is ever written from a guess.
fn resolve_change(file: &SourceFile, change: &Change) -> Option<Edit> {
    let span = change.location.span;
    let raw = file.text.get(span.start..span.end)?;
    let quoted = raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''));
    let (inner_start, inner) = if quoted {
        (span.start + 1, &raw[1..raw.len() - 1])
    } else {
        (span.start, raw)
    };
    if change.part {
        let lower = inner.to_ascii_lowercase();
        let needle = change.from.to_ascii_lowercase();
        let mut found = lower.match_indices(&needle).map(|(at, _)| at);
        let (Some(at), None) = (found.next(), found.next()) else {
            return None;
        };
        let start = inner_start + at;
        return Some(Edit {
            location: Location {
                file: change.location.file,
                span: Span::new(start, start + change.from.len()),
            },
            replacement: escape(syntax_of(&file.path), &change.to)?,
        });
    }
    if inner != change.from {
        return None;
    }
    let prefix = common_prefix(&change.from, &change.to);
    let suffix = common_suffix(&change.from[prefix..], &change.to[prefix..]);
    let inserted = &change.to[prefix..change.to.len() - suffix];
    let replacement = escape(syntax_of(&file.path), inserted)?;
    Some(Edit {
        location: Location {
            file: change.location.file,
            span: Span::new(
                inner_start + prefix,
                inner_start + change.from.len() - suffix,
            ),
        },
        replacement,
    })
}

/// Bytes `a` and `b` share at the start, on a character boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Bytes `a` and `b` share at the end, on a character boundary of both.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut shared = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        shared += x.len_utf8();
    }
    shared
}

/// Resolves the fix of every diagnostic against the source text; a fix whose changes cannot all
/// be written, or that overlap, is dropped.
pub fn resolve(sources: &SourceMap, diagnostics: &mut [crate::diagnostic::Diagnostic]) {
    for diagnostic in diagnostics {
        let Some(fix) = diagnostic.fix.as_mut() else {
            continue;
        };
        let edits: Option<Vec<Edit>> = fix
            .changes
            .iter()
            .map(|change| resolve_change(sources.get(change.location.file), change))
            .collect();
        match edits.filter(|edits| !overlapping(edits)) {
            Some(mut edits) => {
                edits.sort_by_key(|e| e.location);
                fix.edits = edits;
            }
            None => diagnostic.fix = None,
        }
    }
}

fn overlapping(edits: &[Edit]) -> bool {
    edits.iter().enumerate().any(|(i, a)| {
        edits[i + 1..].iter().any(|b| {
            a.location.file == b.location.file
                && a.location.span.start < b.location.span.end
                && b.location.span.start < a.location.span.end
        })
    })
}

/// `text` with `edits` (sorted, not overlapping, all in this text) applied.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let span = edit.location.span;
        out.push_str(&text[at..span.start]);
        out.push_str(&edit.replacement);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from(name), name.into(), text.into())
    }

    fn change(text: &str, raw: &str, from: &str, to: &str) -> Change {
        let start = text.find(raw).unwrap();
        Change {
            location: Location {
                file: FileId(0),
                span: Span::new(start, start + raw.len()),
            },
            from: from.into(),
            to: to.into(),
            part: false,
        }
    }

    fn fixed(name: &str, text: &str, raw: &str, from: &str, to: &str) -> Option<String> {
        let edit = resolve_change(&file(name, text), &change(text, raw, from, to))?;
        Some(apply_edits(text, [&edit]))
    }

    #[test]
    fn only_the_changed_characters_are_replaced() {
        let text = "{ // keep\n  \"Authority\": \"http://login.microsoftonline.com/x\" }";
        let raw = "\"http://login.microsoftonline.com/x\"";
        let from = &raw[1..raw.len() - 1];
        let to = from.replacen("http", "https", 1);
        let edit = resolve_change(&file("a.json", text), &change(text, raw, from, &to)).unwrap();
        assert_eq!(edit.replacement, "s");
        assert_eq!(
            apply_edits(text, [&edit]),
            "{ // keep\n  \"Authority\": \"https://login.microsoftonline.com/x\" }"
        );
    }

    #[test]
    fn inserted_text_is_escaped_for_the_file() {
        let json = "{\"A\": \"x\"}";
        assert_eq!(
            fixed("a.json", json, "\"x\"", "x", "x\"y").unwrap(),
            "{\"A\": \"x\\\"y\"}"
        );
        let xml = "<add key=\"A\" value=\"x\" />";
        assert_eq!(
            fixed("web.config", xml, "x", "x", "x?a=1&b=2").unwrap(),
            "<add key=\"A\" value=\"x?a=1&amp;b=2\" />"
        );
        assert_eq!(fixed("a.env", "A=x\n", "x", "x", "x y"), None);
    }

    #[test]
    fn a_value_written_with_escapes_is_not_touched() {
        let json = "{\"A\": \"http:\\/\\/login.microsoftonline.com\"}";
        let raw = "\"http:\\/\\/login.microsoftonline.com\"";
        assert_eq!(
            fixed(
                "a.json",
                json,
                raw,
                "http://login.microsoftonline.com",
                "https://login.microsoftonline.com"
            ),
            None
        );
    }

    #[test]
    fn a_part_is_replaced_only_when_written_once() {
        let xml = "<add value=\"https://login.microsoftonline.com/tfp/{0}\" />";
        let part = |from: &str| Change {
            part: true,
            ..change(
                xml,
                "https://login.microsoftonline.com/tfp/{0}",
                from,
                "x.b2clogin.com",
            )
        };
        let edit =
            resolve_change(&file("web.config", xml), &part("LOGIN.microsoftonline.com")).unwrap();
        assert_eq!(
            apply_edits(xml, [&edit]),
            "<add value=\"https://x.b2clogin.com/tfp/{0}\" />"
        );
        assert_eq!(resolve_change(&file("web.config", xml), &part("o")), None);
    }

    #[test]
    fn common_ends_respect_character_boundaries() {
        assert_eq!(common_prefix("éa", "éb"), 2);
        assert_eq!(common_prefix("é", "è"), 0);
        assert_eq!(common_suffix("aé", "bé"), 2);
        assert_eq!(common_suffix("ax", "bx"), 1);
        assert_eq!(common_suffix(" x ", "x"), 0);
    }

    #[test]
    fn overlapping_edits_are_detected() {
        let edit = |start, end| Edit {
            location: Location {
                file: FileId(0),
                span: Span::new(start, end),
            },
            replacement: String::new(),
        };
        assert!(overlapping(&[edit(0, 5), edit(4, 6)]));
        assert!(!overlapping(&[edit(0, 5), edit(5, 6)]));
    }
}
