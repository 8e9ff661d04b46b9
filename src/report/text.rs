//! The human format: source snippets with the value underlined, rendered by miette.

use super::{count, plural, resolve};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::fmt::Write;

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(110)
        .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let file = sources.get(d.primary.file);
        // Secret values never reach the output, not even inside a snippet.
        let shown = file.redacted_text();
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(d.rule.to_string()),
            span(d.primary.span, &file.text),
        )];
        let mut elsewhere = Vec::new();
        for related in &d.related {
            if related.location.file == d.primary.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
                    span(related.location.span, &file.text),
                ));
            } else {
                let at = resolve(sources, related.location);
                elsewhere.push(format!(
                    "{}:{}:{}: {}",
                    at.file, at.line, at.column, related.message
                ));
            }
        }
        let mut help = d.help.clone().unwrap_or_default();
        for line in elsewhere {
            help.push_str(&format!("\nsee {line}"));
        }
        if let Some(environment) = &d.environment {
            help.push_str(&format!("\nseen with environment: {environment}"));
        }
        // A minified or generated line is not shown: the location is enough.
        let snippet = line_length(&file.text, d.primary.span.start) <= LONGEST_SNIPPET_LINE;
        if !snippet {
            let at = resolve(sources, d.primary);
            help.push_str(&format!(
                "\nat {}:{}:{} (the line is too long to show)",
                at.file, at.line, at.column
            ));
        }
        let mut diagnostic = MietteDiagnostic::new(d.message.clone())
            .with_code(d.rule)
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            });
        if snippet {
            diagnostic = diagnostic.with_labels(labels);
        }
        if !help.trim().is_empty() {
            diagnostic = diagnostic.with_help(help.trim().to_string());
        }
        let mut report = miette::Report::new(diagnostic);
        if snippet {
            report = report.with_source_code(NamedSource::new(file.display.clone(), shown));
        }
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            let at = resolve(sources, d.primary);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {} [{}]",
                at.file,
                at.line,
                at.column,
                d.severity.as_str(),
                d.message,
                d.rule
            );
        }
        out.push('\n');
    }
    out
}

/// The closing line: what was found, where.
pub fn summary(diagnostics: &[Diagnostic], files: usize, apps: usize) -> String {
    let counts = count(diagnostics);
    if diagnostics.is_empty() {
        return format!(
            "No problems found in {} ({}).\n",
            plural(files, "file"),
            plural(apps, "app")
        );
    }
    let mut parts = vec![
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
    ];
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "info"));
    }
    format!(
        "Found {} in {} ({}).\n",
        parts.join(", "),
        plural(files, "file"),
        plural(apps, "app")
    )
}

/// Longer source lines are not printed in snippets.
const LONGEST_SNIPPET_LINE: usize = 1000;

/// The length of the line that holds byte `at`.
fn line_length(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    end - start
}

fn span(span: crate::source::Span, text: &str) -> miette::SourceSpan {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    (start, end - start).into()
}
