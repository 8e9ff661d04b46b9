//! `--statistics`: how many findings each rule produced.

use crate::diagnostic::Diagnostic;
use crate::rules;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rules with how many findings each produced, most first.
fn rows(diagnostics: &[Diagnostic]) -> Vec<(&'static str, usize)> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.rule).or_default() += 1;
    }
    let mut rows: Vec<(&'static str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows
}

fn severity_of(rule: &str) -> &'static str {
    rules::find(rule).map_or("", |r| r.default_severity().as_str())
}

/// `--statistics --format json`: `[{"rule", "count", "severity"}]`, most first.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let rows: Vec<serde_json::Value> = rows(diagnostics)
        .into_iter()
        .map(|(rule, count)| serde_json::json!({ "rule": rule, "count": count, "severity": severity_of(rule) }))
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (rule, count) in rows(diagnostics) {
        let severity = severity_of(rule);
        let _ = writeln!(out, "{count:>6}  {rule:<28} {severity}");
    }
    out
}
