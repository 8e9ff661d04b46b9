//! Stage 8: report. One file per output format, all rendering the same diagnostics and apps.

pub mod azure;
pub mod concise;
pub mod escape;
pub mod github;
pub mod gitlab;
pub mod inspect_json;
pub mod inspect_text;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;
pub mod text;

use crate::config::FailOn;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, Position, SourceMap};
use std::collections::HashMap;

/// The formats `check` writes (also the values of `--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The value underlined in its source, with the fix and a summary (for people).
    Text,
    /// `path:line:col: severity: message [rule-id]`, one line each (problem matchers).
    Concise,
    /// The stable JSON contract (`version` 1).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Azure Pipelines logging commands.
    Azure,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML test results.
    Junit,
}

/// What the human formats may add.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
    /// Findings only: no closing summary.
    pub quiet: bool,
    /// The failure threshold: JUnit marks only findings at or above it as failed tests.
    pub fail_on: FailOn,
    /// Concise columns in UTF-16 code units (VS Code) rather than characters.
    pub utf16_columns: bool,
}

/// Renders the findings of a run in one format. Whatever the files hold, no line of the result
/// starts or holds a CI logging command other than those the `github` and `azure` formats emit.
pub fn render(
    format: Format,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    apps: usize,
    style: Style,
) -> String {
    match format {
        Format::Text => {
            let mut out = text::render(sources, diagnostics, style.color);
            if !style.quiet {
                out.push_str(&text::summary(diagnostics, sources.checked_files(), apps));
            }
            escape::guard_lines(out)
        }
        Format::Concise if style.utf16_columns => {
            escape::guard_lines(concise::render_utf16(sources, diagnostics))
        }
        Format::Concise => escape::guard_lines(concise::render(sources, diagnostics)),
        Format::Json => json_guarded(json::render(sources, diagnostics)),
        Format::Sarif => json_guarded(sarif::render(sources, diagnostics)),
        Format::Github => github::render(sources, diagnostics),
        Format::Azure => azure::render(sources, diagnostics),
        Format::Gitlab => json_guarded(gitlab::render(sources, diagnostics)),
        Format::Junit => junit::render(sources, diagnostics, style.fail_on),
    }
}

/// JSON output with `#` written `\u0023` where it would begin a logging command: the same
/// document to a parser, inert in a CI log.
pub fn json_guarded(json: String) -> String {
    match escape::break_logging_commands(&json, "\\u0023") {
        std::borrow::Cow::Borrowed(_) => json,
        std::borrow::Cow::Owned(guarded) => guarded,
    }
}

/// A location as people and tools read it: file, 1-based line and column (characters), end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn resolve(sources: &SourceMap, location: Location) -> Resolved {
    resolve_columns(sources, location, |p| p.column)
}

/// The same, with columns in UTF-16 code units (SARIF, editors).
pub fn resolve_utf16(sources: &SourceMap, location: Location) -> Resolved {
    resolve_columns(sources, location, |p| p.column_utf16)
}

fn resolve_columns(
    sources: &SourceMap,
    location: Location,
    column: fn(&Position) -> usize,
) -> Resolved {
    let file = sources.get(location.file);
    let start = file.position(location.span.start);
    let end = file.position(location.span.end);
    Resolved {
        file: file.display.clone(),
        line: start.line,
        column: column(&start),
        end_line: end.line,
        end_column: column(&end),
    }
}

/// A stable identity for each finding (SARIF `partialFingerprints`, GitLab `fingerprint`):
/// rule, file, what the finding points at (the key path, or the text of the span when there is
/// no key) and the message, never the line, so edits that move lines keep it. Findings that
/// agree on all of these are told apart by their order. FNV-1a, 64 bits, in hex.
pub fn fingerprints(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|diagnostic| {
            let file = sources.get(diagnostic.primary.file);
            let anchor = match &diagnostic.key {
                Some(key) => key.to_ascii_lowercase(),
                None => file
                    .text
                    .get(diagnostic.primary.span.start..diagnostic.primary.span.end)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            let identity = fnv1a(
                [diagnostic.rule, &file.display, &anchor, &diagnostic.message]
                    .join("\u{0}")
                    .as_bytes(),
            );
            let occurrence = seen.entry(identity).or_default();
            *occurrence += 1;
            let hash = if *occurrence == 1 {
                identity
            } else {
                fnv1a(format!("{identity:016x}\u{0}{occurrence}").as_bytes())
            };
            format!("{hash:016x}")
        })
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let mut counts = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.infos += 1,
        }
    }
    counts
}

/// "1 error, 2 warnings" style plural.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
