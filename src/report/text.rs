//! The human format: source snippets with the value underlined, rendered by miette.

use super::escape::{Shown, untrusted};
use super::{count, plural, resolve};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::fmt::Write;
use std::sync::Arc;

/// A file as snippets show it, made once for its findings: secrets masked, controls escaped.
struct Snippet {
    text: Arc<str>,
    shown: Shown,
}

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
    // Findings come file by file: the last file's snippet text is all that is kept.
    let mut cached: Option<(FileId, Snippet)> = None;
    for d in diagnostics {
        let file = sources.get(d.primary.file);
        // A minified or generated line is not shown: the location is enough.
        let line = file.position(d.primary.span.start).line;
        let snippet = file.line_text(line).len() <= LONGEST_SNIPPET_LINE;
        if snippet && cached.as_ref().is_none_or(|(id, _)| *id != d.primary.file) {
            // Secret values never reach the output, not even inside a snippet.
            let shown = Shown::new(&file.redacted_text());
            let text = Arc::from(shown.text.as_str());
            cached = Some((d.primary.file, Snippet { text, shown }));
        }
        let shown = cached
            .as_ref()
            .filter(|_| snippet)
            .map(|(_, snippet)| snippet);
        let mapped = |at: crate::source::Span| {
            let span = span(at, &file.text);
            match &shown {
                Some(snippet) => {
                    let start = snippet.shown.offset(span.offset());
                    let end = snippet.shown.offset(span.offset() + span.len());
                    (start, end - start).into()
                }
                None => span,
            }
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(d.rule.to_string()),
            mapped(d.primary.span),
        )];
        let mut elsewhere = Vec::new();
        for related in &d.related {
            if related.location.file == d.primary.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(untrusted(&related.message).into_owned()),
                    mapped(related.location.span),
                ));
            } else {
                let at = resolve(sources, related.location);
                elsewhere.push(format!(
                    "{}:{}:{}: {}",
                    untrusted(&at.file),
                    at.line,
                    at.column,
                    untrusted(&related.message)
                ));
            }
        }
        let mut help = untrusted(d.help.as_deref().unwrap_or_default()).into_owned();
        for line in elsewhere {
            help.push_str(&format!("\nsee {line}"));
        }
        if let Some(environment) = &d.environment {
            help.push_str(&format!(
                "\nseen with environment: {}",
                untrusted(environment)
            ));
        }
        if !snippet {
            let at = resolve(sources, d.primary);
            help.push_str(&format!(
                "\nat {}:{}:{} (the line is too long to show)",
                untrusted(&at.file),
                at.line,
                at.column
            ));
        }
        let mut diagnostic = MietteDiagnostic::new(untrusted(&d.message).into_owned())
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
        if let Some(snippet) = shown {
            report = report.with_source_code(NamedSource::new(
                untrusted(&file.display),
                Arc::clone(&snippet.text),
            ));
        }
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            let at = resolve(sources, d.primary);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {} [{}]",
                untrusted(&at.file),
                at.line,
                at.column,
                d.severity.as_str(),
                untrusted(&d.message),
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

fn span(span: crate::source::Span, text: &str) -> miette::SourceSpan {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    (start, end - start).into()
}
