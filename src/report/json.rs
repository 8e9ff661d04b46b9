//! `check --format json`: the stable contract of design.md (`version` bumps on breaking change).

use super::{count, resolve};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use serde_json::{Value, json};

pub const VERSION: u32 = 1;

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let counts = count(diagnostics);
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let at = resolve(sources, d.primary);
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    let rel = resolve(sources, r.location);
                    json!({ "file": rel.file, "line": rel.line, "column": rel.column, "message": r.message })
                })
                .collect();
            json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "file": at.file,
                "line": at.line,
                "column": at.column,
                "end_line": at.end_line,
                "end_column": at.end_column,
                "key": d.key,
                "environment": d.environment,
                "related": related,
            })
        })
        .collect();
    let report = json!({
        "version": VERSION,
        "summary": { "files": sources.checked_files(), "errors": counts.errors, "warnings": counts.warnings, "infos": counts.infos },
        "diagnostics": items,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
