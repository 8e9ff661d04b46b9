//! GitLab Code Quality report (a JSON array of issues).

use super::{fingerprints, resolve};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use serde_json::{Value, json};

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let issues: Vec<Value> = diagnostics
        .iter()
        .zip(fingerprints(sources, diagnostics))
        .map(|(d, fingerprint)| {
            let at = resolve(sources, d.primary);
            json!({
                "description": d.message,
                "check_name": d.rule,
                "fingerprint": fingerprint,
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": { "path": at.file, "lines": { "begin": at.line, "end": at.end_line } },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}
