//! JUnit XML, which Azure Pipelines and GitLab publish as test results: one test suite per
//! file, one failed test case per finding; a clean run is one passing test case.

use super::escape::{break_logging_commands, untrusted};
use super::resolve;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for XML attributes and content (so `]]>` and quotes are harmless too).
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file
            .entry(untrusted(&sources.get(d.primary.file).display).into_owned())
            .or_default()
            .push(d);
    }
    let total = diagnostics.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"entralint\" tests=\"{total}\" failures=\"{}\" errors=\"0\">",
        diagnostics.len()
    );
    if diagnostics.is_empty() {
        out.push_str("  <testsuite name=\"entralint\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"entralint\" classname=\"entralint\"/>\n  </testsuite>\n");
    }
    for (file, found) in by_file {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            escape_xml(&file),
            found.len(),
            found.len()
        );
        for d in found {
            let at = resolve(sources, d.primary);
            let message = untrusted(&d.message);
            let detail = format!(
                "{}:{}:{}: {message}{}",
                untrusted(&at.file),
                at.line,
                at.column,
                d.help
                    .as_deref()
                    .map(|h| format!("\nFix: {}", untrusted(h)))
                    .unwrap_or_default()
            );
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape_xml(&format!("{} at line {}:{}", d.rule, at.line, at.column)),
                escape_xml(&file),
                escape_xml(&file),
                at.line,
                escape_xml(&message),
                d.severity.as_str(),
                escape_xml(&detail)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    // `&#35;` is `#` to an XML reader.
    break_logging_commands(&out, "&#35;").into_owned()
}
