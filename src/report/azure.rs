//! Azure Pipelines logging commands (`##vso[task.logissue ...]`).

use super::resolve;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use std::fmt::Write;

/// Escapes text the way the Azure Pipelines task library does.
fn escape(text: &str, property: bool) -> String {
    let escaped = text
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        // A value quoted in a message must not read as another logging command.
        .replace("##vso[", "##vso%5B");
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
        assert_eq!(escape("a;b]c%\n", true), "a%3Bb%5Dc%AZP25%0A");
        assert_eq!(
            escape("x ##vso[task.complete]", false),
            "x ##vso%5Btask.complete]"
        );
        assert_eq!(escape("a;b", false), "a;b");
    }
}
