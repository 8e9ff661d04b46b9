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

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, Position, SourceMap};

/// The formats `check` writes (also the values of `--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
    Azure,
    Gitlab,
    Junit,
}

/// What the human formats may add.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
    /// Findings only: no closing summary.
    pub quiet: bool,
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
        Format::Concise => escape::guard_lines(concise::render(sources, diagnostics)),
        Format::Json => json_guarded(json::render(sources, diagnostics)),
        Format::Sarif => json_guarded(sarif::render(sources, diagnostics)),
        Format::Github => github::render(sources, diagnostics),
        Format::Azure => azure::render(sources, diagnostics),
        Format::Gitlab => json_guarded(gitlab::render(sources, diagnostics)),
        Format::Junit => junit::render(sources, diagnostics),
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

/// A stable identity for a finding: rule, file and key path (the line only when there is no
/// key), so it survives edits that move lines. FNV-1a, 64 bits, in hex.
pub fn fingerprint(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let file = &sources.get(diagnostic.primary.file).display;
    let anchor = match &diagnostic.key {
        Some(key) => key.to_ascii_lowercase(),
        None => format!(
            "line {}",
            sources
                .get(diagnostic.primary.file)
                .position(diagnostic.primary.span.start)
                .line
        ),
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{}\u{0}{file}\u{0}{anchor}", diagnostic.rule).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
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
