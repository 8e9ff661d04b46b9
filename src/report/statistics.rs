//! `--statistics`: how many findings each rule produced; as text, also how many apps and
//! findings each stack contributed.

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

pub fn render(diagnostics: &[Diagnostic], apps_by_stack: &BTreeMap<&'static str, usize>) -> String {
    let mut out = String::new();
    for (rule, count) in rows(diagnostics) {
        let severity = severity_of(rule);
        let _ = writeln!(out, "{count:>6}  {rule:<28} {severity}");
    }
    let mut findings: BTreeMap<Option<&'static str>, usize> = BTreeMap::new();
    for d in diagnostics {
        *findings.entry(d.stack).or_default() += 1;
    }
    let mut stacks: Vec<&'static str> = apps_by_stack.keys().copied().collect();
    stacks.extend(
        findings
            .keys()
            .flatten()
            .filter(|s| !apps_by_stack.contains_key(*s)),
    );
    stacks.sort_unstable();
    if stacks.is_empty() && findings.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n  apps  findings  stack");
    for stack in stacks {
        let apps = apps_by_stack.get(stack).copied().unwrap_or_default();
        let found = findings.get(&Some(stack)).copied().unwrap_or_default();
        let _ = writeln!(out, "{apps:>6}  {found:>8}  {stack}");
    }
    if let Some(files) = findings.get(&None) {
        let _ = writeln!(
            out,
            "{:>6}  {files:>8}  (about files: unreadable, skipped, invalid syntax, suppressions)",
            "-"
        );
    }
    out
}
