//! GitHub Actions workflow commands: one annotation per finding, errors first.

use super::escape::{break_logging_commands, untrusted};
use super::resolve;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use std::fmt::Write;

/// Escapes a command's message, as `@actions/core` does.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (`file`, `title`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Untrusted text in a command: escaped, with no logging command of its own.
fn shown(text: &str) -> String {
    break_logging_commands(&untrusted(text), "\\u{23}").into_owned()
}

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut ordered: Vec<&Diagnostic> = diagnostics.iter().collect();
    // Annotations are capped per step: the errors must come first.
    ordered.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let mut out = String::new();
    for d in ordered {
        let at = resolve(sources, d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // Columns may only be given when the finding stays on one line.
        let columns = if at.line == at.end_line {
            format!(",col={},endColumn={}", at.column, at.end_column)
        } else {
            String::new()
        };
        let mut message = shown(&d.message);
        if let Some(help) = &d.help {
            message.push_str(&format!("\nFix: {}", shown(help)));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},endLine={}{columns},title={}::{}",
            escape_property(&shown(&at.file)),
            at.line,
            at.end_line,
            escape_property(&format!("entralint ({})", d.rule)),
            escape_data(&message)
        );
    }
    out
}
