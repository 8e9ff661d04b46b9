//! Azure Pipelines logging commands (`##vso[task.logissue ...]`).

use super::escape::{break_logging_commands, untrusted};
use super::resolve;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use std::fmt::Write;

/// Escapes text the way the Azure Pipelines task library does.
fn escape(text: &str, property: bool) -> String {
    // Line breaks and controls are shown escaped, and a value quoted in a message cannot read
    // as another logging command.
    let shown = untrusted(text);
    let escaped = break_logging_commands(&shown, "\\u{23}").replace('%', "%AZP25");
    if property {
        escaped.replace(';', "%3B").replace(']', "%5D")
    } else {
        escaped
    }
}

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = resolve(sources, d.primary);
        // Azure Pipelines knows errors and warnings only.
        let kind = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let _ = writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
            escape(&at.file, true),
            at.line,
            at.column,
            escape(d.rule, true),
            escape(&d.message, false)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_command_syntax() {
        assert_eq!(escape("a;b]c%\n", true), "a%3Bb%5Dc%AZP25\\n");
        assert_eq!(
            escape("x ##vso[task.complete]\u{1b}", false),
            "x #\\u{23}vso[task.complete]\\u{1b}"
        );
        assert_eq!(escape("a;b", false), "a;b");
    }
}
