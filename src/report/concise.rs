//! `path:line:col: severity: message [rule-id]`, one finding per line, for problem matchers.
//! Lines and columns are 1-based; columns count characters, or UTF-16 code units (as VS Code
//! counts them) with `--column-unit utf16`.

use super::escape::untrusted;
use super::{Resolved, resolve, resolve_utf16};
use crate::diagnostic::Diagnostic;
use crate::source::{Location, SourceMap};
use std::fmt::Write;

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    render_columns(sources, diagnostics, resolve)
}

/// The same with columns in UTF-16 code units.
pub fn render_utf16(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    render_columns(sources, diagnostics, resolve_utf16)
}

fn render_columns(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    resolve: fn(&SourceMap, Location) -> Resolved,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = resolve(sources, d.primary);
        let environment = d
            .environment
            .as_deref()
            .map(|e| format!(" (environment: {})", untrusted(e)))
            .unwrap_or_default();
        // Messages never span lines here: problem matchers read one line at a time.
        let message = d.message.replace(['\n', '\r'], " ");
        let message = untrusted(&message);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {message}{environment} [{}]",
            untrusted(&at.file),
            at.line,
            at.column,
            d.severity.as_str(),
            d.rule
        );
    }
    out
}
