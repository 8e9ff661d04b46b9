//! `path:line:col: severity: message [rule-id]`, one finding per line, for problem matchers.

use super::escape::untrusted;
use super::resolve;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use std::fmt::Write;

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
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
