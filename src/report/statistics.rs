//! `--statistics`: how many findings each rule produced.

use crate::diagnostic::Diagnostic;
use crate::rules;
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.rule).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (rule, count) in rows {
        let severity = rules::find(rule).map_or("", |r| r.default_severity().as_str());
        let _ = writeln!(out, "{count:>6}  {rule:<28} {severity}");
    }
    out
}
