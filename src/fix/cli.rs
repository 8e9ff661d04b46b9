//! `check --fix`, `--unsafe-fixes` and `--diff`: fixes applied pass after pass until none is
//! left (a fix that collided with another is applied in the next pass), then the run reports
//! what remains.

use super::apply::{choose, unified_diff, writable};
use super::{Applicability, Edit};
use crate::discover::Candidate;
use crate::domain::secrets::masked_spans;
use crate::pipeline::{Analysis, Request, run_candidates};
use crate::report::escape;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Passes before giving up on fixes that keep producing new ones.
const MAX_PASSES: usize = 8;

pub struct Fixed {
    /// The run after the last pass: what remains.
    pub analysis: Analysis,
    /// Findings fixed (or, for a diff, that would be).
    pub fixes: usize,
    /// Files written (or, for a diff, that would change).
    pub files: usize,
    /// The unified diff of every file a pass would change (`--diff`).
    pub diff: String,
    /// Files that could not be fixed, and why.
    pub refused: Vec<String>,
}

/// Checks the files of `request` (`candidates`, already discovered) and applies fixes up to
/// `allowed`: written in place when `write`, else only shown as a diff of what one pass would
/// change. Only files under `request.paths` are written.
pub fn check_with_fixes(
    request: &Request,
    candidates: Vec<Candidate>,
    allowed: Applicability,
    write: bool,
) -> Result<Fixed, String> {
    if write && request.stdin.is_some() {
        return Err("--fix cannot write standard input: use --diff to see the fixes".into());
    }
    let mut fixed = Fixed {
        analysis: run_candidates(request, candidates.clone())?,
        fixes: 0,
        files: 0,
        diff: String::new(),
        refused: Vec::new(),
    };
    let mut written_files = std::collections::BTreeSet::new();
    // Refused once, not tried (and reported) again in later passes.
    let mut refused_files = HashSet::new();
    for _ in 0..MAX_PASSES {
        let analysis = &fixed.analysis;
        let sources = &analysis.sources;
        // Every file a pass would change is checked before any is written, and the fixes that
        // change a refused file are dropped whole: a fix spanning two files is applied to both
        // or to neither.
        let (chosen, checked) = loop {
            let chosen = choose(&analysis.diagnostics, allowed, |file| {
                refused_files.contains(&sources.get(file).path)
            });
            if !write {
                break (chosen, BTreeMap::new());
            }
            let mut checked = BTreeMap::new();
            let mut newly_refused = false;
            for file in chosen.keys() {
                let source = sources.get(*file);
                match writable(&source.path, &source.text, request.paths) {
                    Ok(target) => {
                        checked.insert(*file, target);
                    }
                    Err(why) => {
                        fixed.refused.push(why);
                        refused_files.insert(source.path.clone());
                        newly_refused = true;
                    }
                }
            }
            if !newly_refused {
                break (chosen, checked);
            }
            for note in held_back(analysis, allowed, &refused_files) {
                if !fixed.refused.contains(&note) {
                    fixed.refused.push(note);
                }
            }
        };
        if chosen.is_empty() {
            break;
        }
        let mut done = Vec::new();
        let mut checked = checked;
        for (file, edits) in &chosen {
            let source = sources.get(*file);
            let text = super::apply_edits(&source.text, edits);
            if !write {
                // Shown as every snippet is: secrets masked before and after (masking keeps
                // lengths, so the edits apply to the masked text too; what they insert is
                // masked by its shape).
                let before = source.redacted_text();
                let after = super::apply_edits(&before, edits);
                let after = crate::source::masked(&after, &masked_spans(&after));
                fixed
                    .diff
                    .push_str(&unified_diff(&source.display, &before, &after));
                done.push(*file);
                continue;
            }
            let Some(target) = checked.remove(file) else {
                continue;
            };
            match target.write(&text) {
                Ok(()) => {
                    done.push(*file);
                    written_files.insert(source.path.clone());
                }
                Err(why) => {
                    fixed.refused.push(why);
                    refused_files.insert(source.path.clone());
                }
            }
        }
        // Findings whose every edit was chosen and landed (several may share one edit).
        let landed: HashSet<&Edit> = (done.iter()).flat_map(|file| &chosen[file]).collect();
        fixed.fixes += (analysis.diagnostics.iter())
            .filter_map(|d| d.fix.as_ref())
            .filter(|fix| {
                fix.applicability <= allowed
                    && !fix.edits.is_empty()
                    && fix.edits.iter().all(|e| landed.contains(e))
            })
            .count();
        let wrote = write && !done.is_empty();
        if !write {
            fixed.files += done.len();
        }
        if !wrote {
            break;
        }
        fixed.analysis = run_candidates(request, candidates.clone())?;
    }
    if write {
        fixed.files = written_files.len();
    }
    Ok(fixed)
}

/// A note for each file whose fix is held back because the fix also changes a refused file.
fn held_back(
    analysis: &Analysis,
    allowed: Applicability,
    refused: &HashSet<PathBuf>,
) -> Vec<String> {
    let sources = &analysis.sources;
    let mut notes = std::collections::BTreeSet::new();
    for fix in analysis.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.applicability > allowed {
            continue;
        }
        let paths = || fix.edits.iter().map(|e| &sources.get(e.location.file).path);
        let Some(refused_path) = paths().find(|path| refused.contains(*path)) else {
            continue;
        };
        for path in paths().filter(|path| !refused.contains(*path)) {
            notes.insert(format!(
                "{}: not fixed: \"{}\" also changes {}, which cannot be written",
                escape::untrusted(&path.display().to_string()),
                escape::untrusted(&fix.title),
                escape::untrusted(&refused_path.display().to_string()),
            ));
        }
    }
    notes.into_iter().collect()
}
