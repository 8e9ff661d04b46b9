//! `check --fix`, `--unsafe-fixes` and `--diff`: fixes applied pass after pass until none is
//! left (a fix that collided with another is applied in the next pass), then the run reports
//! what remains.

use super::Applicability;
use super::apply::{choose, unified_diff, write_fixed};
use crate::pipeline::{Analysis, Request, run};

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

/// Checks `request` and applies fixes up to `allowed`: written in place when `write`, else
/// only shown as a diff of what one pass would change.
pub fn check_with_fixes(
    request: &Request,
    allowed: Applicability,
    write: bool,
) -> Result<Fixed, String> {
    if write && request.stdin.is_some() {
        return Err("--fix cannot write standard input: use --diff to see the fixes".into());
    }
    let mut fixed = Fixed {
        analysis: run(request)?,
        fixes: 0,
        files: 0,
        diff: String::new(),
        refused: Vec::new(),
    };
    let mut written_files = std::collections::BTreeSet::new();
    for _ in 0..MAX_PASSES {
        let analysis = &fixed.analysis;
        let chosen = choose(&analysis.diagnostics, allowed);
        if chosen.is_empty() {
            break;
        }
        // Findings whose every edit was chosen (several findings may share one edit).
        let chosen_edits: std::collections::HashSet<&super::Edit> =
            chosen.values().flatten().collect();
        fixed.fixes += (analysis.diagnostics.iter())
            .filter_map(|d| d.fix.as_ref())
            .filter(|fix| {
                fix.applicability <= allowed
                    && !fix.edits.is_empty()
                    && fix.edits.iter().all(|e| chosen_edits.contains(e))
            })
            .count();
        let mut wrote = false;
        for (file, edits) in &chosen {
            let source = analysis.sources.get(*file);
            let text = super::apply_edits(&source.text, edits);
            if !write {
                fixed
                    .diff
                    .push_str(&unified_diff(&source.display, &source.text, &text));
                fixed.files += 1;
                continue;
            }
            match write_fixed(&source.path, &source.text, &text, request.paths) {
                Ok(()) => {
                    wrote = true;
                    written_files.insert(source.path.clone());
                }
                Err(why) => fixed.refused.push(why),
            }
        }
        if !wrote {
            break;
        }
        fixed.analysis = run(request)?;
    }
    if write {
        fixed.files = written_files.len();
    }
    Ok(fixed)
}
