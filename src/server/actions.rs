//! Code actions: each machine-applicable fix of the findings under the cursor, and a comment
//! that suppresses the finding with a reason, in the file's comment syntax.

use super::convert;
use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::pipeline::Analysis;
use crate::source::SourceFile;
use crate::suppress;
use lsp_types as lsp;
use std::collections::HashMap;
use std::path::Path;

/// What the inserted suppression says until the user writes the real reason.
const REASON: &str = "explain why this finding does not apply";

pub fn code_actions(
    analysis: &Analysis,
    path: &Path,
    range: lsp::Range,
) -> Vec<lsp::CodeActionOrCommand> {
    let sources = &analysis.sources;
    let mut found = Vec::new();
    for finding in &analysis.diagnostics {
        let file = sources.get(finding.primary.file);
        if file.path != path {
            continue;
        }
        let at = convert::range(file, finding.primary);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        let shown = convert::diagnostic(sources, finding);
        if let Some(action) = fix_action(analysis, finding, &shown) {
            found.push(lsp::CodeActionOrCommand::CodeAction(action));
        }
        if let Some(action) = suppress_action(file, finding, &shown) {
            found.push(lsp::CodeActionOrCommand::CodeAction(action));
        }
    }
    found
}

// lsp-types keys a WorkspaceEdit's changes by Uri, which hashes its text only.
#[allow(clippy::mutable_key_type)]
fn fix_action(
    analysis: &Analysis,
    finding: &Diagnostic,
    shown: &lsp::Diagnostic,
) -> Option<lsp::CodeAction> {
    let fix = finding.fix.as_ref().filter(|f| !f.edits.is_empty())?;
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for edit in &fix.edits {
        let file = analysis.sources.get(edit.location.file);
        changes
            .entry(convert::uri_of(&file.path)?)
            .or_default()
            .push(lsp::TextEdit::new(
                convert::range(file, edit.location),
                edit.replacement.clone(),
            ));
    }
    let title = match fix.applicability {
        Applicability::Safe => fix.title.clone(),
        Applicability::Unsafe => format!("{} (changes behaviour: review)", fix.title),
    };
    Some(lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown.clone()]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: Some(fix.applicability == Applicability::Safe),
        ..Default::default()
    })
}

/// A comment line above the finding's line, indented like it.
fn suppress_action(
    file: &SourceFile,
    finding: &Diagnostic,
    shown: &lsp::Diagnostic,
) -> Option<lsp::CodeAction> {
    let comment = suppress::comment_for(file, finding.rule, REASON)?;
    let line = file.position(finding.primary.span.start).line;
    let text = file.line_text(line);
    // Nothing may precede an XML declaration.
    if text.trim_start().starts_with("<?xml") {
        return None;
    }
    let indent = &text[..text.len() - text.trim_start().len()];
    let ending = if file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let start = lsp::Position::new((line - 1) as u32, 0);
    let uri = convert::uri_of(&file.path)?;
    let edit = lsp::TextEdit::new(
        lsp::Range::new(start, start),
        format!("{indent}{comment}{ending}"),
    );
    Some(lsp::CodeAction {
        title: format!("Suppress {} with a reason", finding.rule),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![shown.clone()]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri, vec![edit])])),
            ..Default::default()
        }),
        ..Default::default()
    })
}
