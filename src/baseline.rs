//! Baselines for adopting entralint in an existing repository: `--write-baseline FILE` records
//! current findings; `--baseline FILE` reports only findings beyond them. Entries match by file,
//! rule and key path, not by line, so they survive edits that move lines.

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub file: String,
    pub rule: String,
    pub key: Option<String>,
    pub count: usize,
}

type Identity = (String, String, Option<String>);

fn identity(sources: &SourceMap, d: &Diagnostic) -> Identity {
    (
        sources.get(d.primary.file).display.clone(),
        d.rule.to_string(),
        d.key.as_ref().map(|k| k.to_ascii_lowercase()),
    )
}

impl Baseline {
    pub fn of(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Baseline {
        // Keys compare without regard to case, as .NET compares them, but are recorded as written.
        let mut counts: BTreeMap<Identity, (Option<String>, usize)> = BTreeMap::new();
        for d in diagnostics {
            counts
                .entry(identity(sources, d))
                .or_insert((d.key.clone(), 0))
                .1 += 1;
        }
        let entries = counts
            .into_iter()
            .map(|((file, rule, _), (key, count))| Entry {
                file,
                rule,
                key,
                count,
            })
            .collect();
        Baseline {
            version: 1,
            entries,
        }
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())? + "\n";
        crate::output::write_atomically(path, text.as_bytes())
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = crate::source::read_own_file(path)?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not an entralint baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (expected 1)",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The findings the baseline does not account for, and how many recorded findings no
    /// longer occur (entries to prune with `--write-baseline`).
    pub fn filter(
        &self,
        sources: &SourceMap,
        diagnostics: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, usize) {
        let mut remaining: BTreeMap<Identity, usize> = self
            .entries
            .iter()
            .map(|e| {
                (
                    (
                        e.file.clone(),
                        e.rule.clone(),
                        e.key.as_ref().map(|k| k.to_ascii_lowercase()),
                    ),
                    e.count,
                )
            })
            .collect();
        let new = diagnostics
            .into_iter()
            .filter(|d| match remaining.get_mut(&identity(sources, d)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            })
            .collect();
        (new, remaining.values().sum())
    }
}
