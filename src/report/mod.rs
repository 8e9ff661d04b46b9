//! Stage 8: report. One file per output format, all rendering the same diagnostics and apps.

pub mod concise;
pub mod inspect_json;
pub mod inspect_text;
pub mod json;
pub mod text;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, SourceMap};

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
    let file = sources.get(location.file);
    let start = file.position(location.span.start);
    let end = file.position(location.span.end);
    Resolved {
        file: file.display.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
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
