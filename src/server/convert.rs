//! Between entralint's model and the protocol's: file paths and URIs, byte offsets and UTF-16
//! positions, findings and LSP diagnostics.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;
use crate::source::{Location, SourceFile, SourceMap};
use lsp_types as lsp;
use std::path::{Path, PathBuf};

pub fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}

/// The LSP position (0-based line, UTF-16 column) of a byte offset.
pub fn position(file: &SourceFile, offset: usize) -> lsp::Position {
    let at = file.position(offset);
    lsp::Position::new((at.line - 1) as u32, (at.column_utf16 - 1) as u32)
}

pub fn range(file: &SourceFile, location: Location) -> lsp::Range {
    lsp::Range::new(
        position(file, location.span.start),
        position(file, location.span.end),
    )
}

/// The byte offset of an LSP position in `text`; positions past a line's end or the text's end
/// are clamped, as the protocol asks.
pub fn offset(text: &str, position: lsp::Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(end) => line_start += end + 1,
            None => return text.len(),
        }
    }
    let line = &text[line_start..];
    let line = &line[..line.find(['\r', '\n']).unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A finding as the editor shows it: the rule id as code, linked to its documentation.
pub fn diagnostic(sources: &SourceMap, finding: &Diagnostic) -> lsp::Diagnostic {
    let file = sources.get(finding.primary.file);
    let mut message = finding.message.clone();
    if let Some(environment) = &finding.environment {
        message.push_str(&format!(" (environment: {environment})"));
    }
    if let Some(help) = &finding.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = (finding.related.iter())
        .filter_map(|related| {
            let other = sources.get(related.location.file);
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri_of(&other.path)?, range(other, related.location)),
                message: related.message.clone(),
            })
        })
        .collect();
    let code_description = rules::find(finding.rule)
        .and_then(|rule| rule.doc_url().parse().ok())
        .map(|href| lsp::CodeDescription { href });
    lsp::Diagnostic {
        range: range(file, finding.primary),
        severity: Some(severity(finding.severity)),
        code: Some(lsp::NumberOrString::String(finding.rule.to_string())),
        code_description,
        source: Some("entralint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_count_utf16_units() {
        let text = "{\r\n  \"😀\": \"x\"\r\n}";
        let x = text.find("\"x\"").unwrap();
        let file = SourceFile::new(PathBuf::from("a.json"), "a.json".into(), text.into());
        let at = position(&file, x);
        // Two spaces, a quote, the emoji (two units), a quote, a colon, a space.
        assert_eq!((at.line, at.character), (1, 8));
        assert_eq!(offset(text, at), x);
        assert_eq!(offset(text, lsp::Position::new(0, 99)), 1);
        assert_eq!(offset(text, lsp::Position::new(9, 0)), text.len());
    }

    #[test]
    fn paths_and_uris_round_trip() {
        let path = std::env::temp_dir().join("a b#c").join("appsettings.json");
        let uri = uri_of(&path).unwrap();
        assert!(uri.as_str().starts_with("file://"));
        assert!(uri.as_str().contains("a%20b%23c"));
        assert_eq!(path_of(&uri).unwrap(), path);
    }
}
