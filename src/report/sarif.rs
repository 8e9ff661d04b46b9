//! SARIF 2.1.0 as GitHub code scanning accepts it: every rule with its documentation, results
//! with percent-encoded URIs (relative under the working directory, `file://` outside it),
//! UTF-16 columns and fingerprints that survive moved lines.

use super::{fingerprints, resolve_utf16};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL, Rule};
use crate::source::{SourceFile, SourceMap, normalize};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use std::path::{Component, Path};

/// Everything but RFC 3986's unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// A file's `artifactLocation.uri`: a relative reference for files under the working directory
/// (what code scanning resolves against the checkout), a `file://` URI for the others.
pub fn artifact_uri(file: &SourceFile) -> String {
    let display = Path::new(&file.display);
    let inside = display.is_relative()
        && display
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside {
        return file
            .display
            .split('/')
            .map(encode)
            .collect::<Vec<_>>()
            .join("/");
    }
    let absolute = std::path::absolute(&file.path).unwrap_or_else(|_| file.path.clone());
    let normal = normalize(&absolute);
    let mut uri = String::from("file://");
    for component in normal.components() {
        match component {
            // A Windows drive (`C:`) is written as is: `file:///C:/...`.
            Component::Prefix(prefix) => {
                uri.push('/');
                uri.push_str(&prefix.as_os_str().to_string_lossy());
            }
            Component::Normal(name) => {
                uri.push('/');
                uri.push_str(&encode(&name.to_string_lossy()));
            }
            _ => {}
        }
    }
    uri
}

pub const INFORMATION_URI: &str = "https://github.com/entralint/entralint";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.name(),
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": rule.description() },
        "help": { "text": rule.body(), "markdown": rule.body() },
        "helpUri": rule.doc_url(),
        "defaultConfiguration": { "level": level(rule.default_severity()) },
        "properties": { "tags": rule.tags(), "security-severity": rule.security_severity() },
    })
}

/// The finding's fix as SARIF `fixes`: one replacement per edit, grouped by file.
fn fixes(sources: &SourceMap, diagnostic: &Diagnostic) -> Option<Value> {
    let fix = diagnostic.fix.as_ref().filter(|f| !f.edits.is_empty())?;
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let at = resolve_utf16(sources, edit.location);
        let replacement = json!({
            "deletedRegion": { "startLine": at.line, "startColumn": at.column, "endLine": at.end_line, "endColumn": at.end_column },
            "insertedContent": { "text": edit.replacement },
        });
        let uri = artifact_uri(sources.get(edit.location.file));
        match changes.iter_mut().find(|(file, _)| *file == uri) {
            Some((_, replacements)) => replacements.push(replacement),
            None => changes.push((uri, vec![replacement])),
        }
    }
    let artifact_changes: Vec<Value> = changes
        .into_iter()
        .map(|(uri, replacements)| json!({ "artifactLocation": { "uri": uri }, "replacements": replacements }))
        .collect();
    Some(json!([{
        "description": { "text": format!("{} ({} fix)", fix.title, fix.applicability.as_str()) },
        "artifactChanges": artifact_changes,
    }]))
}

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = ALL.iter().map(|r| rule_descriptor(r)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .zip(fingerprints(sources, diagnostics))
        .map(|(d, fingerprint)| {
            let at = resolve_utf16(sources, d.primary);
            let region = json!({ "startLine": at.line, "startColumn": at.column, "endLine": at.end_line, "endColumn": at.end_column });
            let mut location = json!({ "physicalLocation": { "artifactLocation": { "uri": artifact_uri(sources.get(d.primary.file)) }, "region": region } });
            if let Some(key) = &d.key {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": key, "kind": "member" }]);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let rel = resolve_utf16(sources, r.location);
                    json!({
                        "id": i + 1,
                        "message": { "text": r.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": artifact_uri(sources.get(r.location.file)) },
                            "region": { "startLine": rel.line, "startColumn": rel.column, "endLine": rel.end_line, "endColumn": rel.end_column }
                        }
                    })
                })
                .collect();
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(". Fix: {help}"));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": ALL.iter().position(|r| r.id == d.rule).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location],
                "relatedLocations": related,
                "partialFingerprints": { "primaryLocationLineHash": format!("{fingerprint}:1") },
            });
            if let Some(fixes) = fixes(sources, d) {
                result["fixes"] = fixes;
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "entralint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
