//! Applying fixes: choosing edits that do not collide, writing files back in their own
//! encoding (UTF-8 with or without BOM, UTF-16 with BOM) atomically, never through a link or
//! outside the checked tree, and unified diffs for `--diff`.

use super::{Applicability, Edit, apply_edits};
use crate::diagnostic::Diagnostic;
use crate::read::Encoding;
use crate::report::escape;
use crate::source::{FileId, SourceMap};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The edits of every fix allowed at `allowed` that changes no file `refused` says cannot be
/// written, by file; a fix that collides with one already chosen is left for a later pass,
/// whole.
pub fn choose(
    diagnostics: &[Diagnostic],
    allowed: Applicability,
    refused: impl Fn(FileId) -> bool,
) -> BTreeMap<FileId, Vec<Edit>> {
    // By file and start: a new edit need only be compared with its neighbours.
    let mut chosen: BTreeMap<(FileId, usize), Edit> = BTreeMap::new();
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.applicability > allowed
            || fix.edits.is_empty()
            || fix.edits.iter().any(|edit| refused(edit.location.file))
        {
            continue;
        }
        let fits = fix.edits.iter().all(|edit| {
            let key = (edit.location.file, edit.location.span.start);
            if chosen.get(&key) == Some(edit) {
                return true;
            }
            let before = chosen.range(..=key).next_back().map(|(_, e)| e);
            let after = chosen
                .range((edit.location.file, edit.location.span.start)..)
                .next()
                .map(|(_, e)| e);
            let collides = |other: &Edit| {
                other.location.file == edit.location.file
                    && other.location.span.start
                        < edit.location.span.end.max(edit.location.span.start + 1)
                    && edit.location.span.start
                        < other.location.span.end.max(other.location.span.start + 1)
            };
            !before.is_some_and(collides) && !after.is_some_and(collides)
        });
        if fits {
            for edit in &fix.edits {
                chosen.insert((edit.location.file, edit.location.span.start), edit.clone());
            }
        }
    }
    let mut by_file: BTreeMap<FileId, Vec<Edit>> = BTreeMap::new();
    for ((file, _), edit) in chosen {
        by_file.entry(file).or_default().push(edit);
    }
    by_file
}

/// Each file the chosen edits change, with its new text.
pub fn fixed_texts(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    allowed: Applicability,
) -> Vec<(FileId, String)> {
    choose(diagnostics, allowed, |_| false)
        .into_iter()
        .map(|(file, edits)| (file, apply_edits(&sources.get(file).text, &edits)))
        .collect()
}

/// The encoding of `bytes`, when writing the text back in it gives the same bytes: a file that
/// is not valid UTF-8 (read with replacement characters) has none.
fn encoding_of(bytes: &[u8]) -> Option<Encoding> {
    let encoding = Encoding::of(bytes);
    let text = crate::read::decode(bytes).ok()?;
    (encode(&text, encoding) == bytes).then_some(encoding)
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 { bom } => {
            let mut bytes = if bom {
                vec![0xEF, 0xBB, 0xBF]
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
    }
}

/// A file a fix may be written over: checked, not yet written.
pub struct Writable {
    shown: String,
    real: PathBuf,
    encoding: Encoding,
    permissions: std::fs::Permissions,
}

/// Whether `path`, whose decoded text must still be `expected`, may be written: refuses links,
/// files outside `roots`, files changed since they were read, and files whose encoding would
/// not round-trip.
pub fn writable(path: &Path, expected: &str, roots: &[PathBuf]) -> Result<Writable, String> {
    let shown = escape::untrusted(&path.display().to_string()).into_owned();
    let metadata =
        std::fs::symlink_metadata(path).map_err(|e| format!("{shown}: cannot be fixed: {e}"))?;
    if !metadata.file_type().is_file() {
        return Err(format!(
            "{shown}: not fixed: it is a link or not a regular file"
        ));
    }
    let real = path
        .canonicalize()
        .map_err(|e| format!("{shown}: cannot be fixed: {e}"))?;
    let inside = roots
        .iter()
        .filter_map(|root| root.canonicalize().ok())
        .any(|root| real.starts_with(root));
    if !inside {
        return Err(format!(
            "{shown}: not fixed: it lies outside the checked paths"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot be fixed: {e}"))?;
    let Some(encoding) = encoding_of(&bytes) else {
        return Err(format!(
            "{shown}: not fixed: it is not valid UTF-8 or UTF-16, and rewriting it would change bytes the fix does not touch"
        ));
    };
    if crate::read::decode(&bytes).ok().as_deref() != Some(expected) {
        return Err(format!(
            "{shown}: not fixed: it changed while it was checked"
        ));
    }
    Ok(Writable {
        shown,
        real,
        encoding,
        permissions: metadata.permissions(),
    })
}

impl Writable {
    /// Writes `fixed` in the file's own encoding and permissions, atomically.
    pub fn write(self, fixed: &str) -> Result<(), String> {
        crate::output::replace_atomically(
            &self.real,
            &encode(fixed, self.encoding),
            Some(self.permissions),
        )
        .map_err(|e| format!("{}: cannot be written: {e}", self.shown))
    }
}

/// A unified diff of one file, with `a/` and `b/` headers as git prints them, safe to print:
/// the repository's bytes are shown through the project's escaper (each line's own `\n` or
/// `\r\n` kept), and no line can be a CI logging command.
pub fn unified_diff(display: &str, old: &str, new: &str) -> String {
    let display = escape::untrusted(display);
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string();
    diff.split_inclusive('\n').map(guard_diff_line).collect()
}

/// One line of a diff with control characters escaped, `##[` / `##vso[` broken up, and its
/// first colon escaped when the line, after the diff's own ` `, `+` or `-` and any white
/// space, starts with `::` (the GitHub runner trims leading white space, so ` ::error` is a
/// command).
fn guard_diff_line(line: &str) -> String {
    let content = line.trim_end_matches(['\n', '\r']);
    let ending = &line[content.len()..];
    // The line's own break is kept; a stray `\r` before it (which would move the terminal's
    // cursor) is shown escaped.
    let kept = ["\r\n", "\n"]
        .into_iter()
        .find(|kept| ending.ends_with(kept))
        .unwrap_or_default();
    let stray = &ending[..ending.len() - kept.len()];
    let ending = format!("{}{kept}", escape::untrusted(stray));
    let content = escape::untrusted(content);
    let marker = content.strip_prefix([' ', '+', '-']).map_or(0, |_| 1);
    let rest = &content[marker..];
    let indent = rest.len() - rest.trim_start().len();
    let mut out = String::with_capacity(line.len() + 8);
    let body = if rest[indent..].starts_with("::") {
        out.push_str(&content[..marker + indent]);
        out.push_str("\\u{3a}");
        &rest[indent + 1..]
    } else {
        &content
    };
    out.push_str(&escape::break_logging_commands(body, "\\u{23}"));
    out.push_str(&ending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_fixed(
        path: &Path,
        expected: &str,
        fixed: &str,
        roots: &[PathBuf],
    ) -> Result<(), String> {
        writable(path, expected, roots)?.write(fixed)
    }

    #[test]
    fn encodings_round_trip_and_lossy_files_have_none() {
        let text = "{\r\n  \"A\": \"é\"\r\n}";
        for encoding in [
            Encoding::Utf8 { bom: true },
            Encoding::Utf8 { bom: false },
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            assert_eq!(encoding_of(&encode(text, encoding)), Some(encoding));
        }
        assert_eq!(encoding_of(b"{\"A\": \"\xFF\"}"), None);
    }

    #[test]
    fn writes_keep_encoding_and_refuse_links_and_outsiders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        std::fs::create_dir(&root).unwrap();
        let file = root.join("appsettings.json");
        std::fs::write(&file, encode("{\"A\": \"x\"}", Encoding::Utf16Le)).unwrap();
        let roots = [root.clone()];
        write_fixed(&file, "{\"A\": \"x\"}", "{\"A\": \"y\"}", &roots).unwrap();
        assert_eq!(
            std::fs::read(&file).unwrap(),
            encode("{\"A\": \"y\"}", Encoding::Utf16Le)
        );
        assert!(
            write_fixed(&file, "{\"A\": \"x\"}", "{}", &roots)
                .unwrap_err()
                .contains("changed")
        );
        let outside = dir.path().join("outside.json");
        std::fs::write(&outside, "{}").unwrap();
        assert!(
            write_fixed(&outside, "{}", "[]", &roots)
                .unwrap_err()
                .contains("outside")
        );
        #[cfg(unix)]
        {
            let link = root.join("link.json");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            assert!(
                write_fixed(&link, "{}", "[]", &roots)
                    .unwrap_err()
                    .contains("link")
            );
            assert_eq!(std::fs::read_to_string(&outside).unwrap(), "{}");
        }
        let leftovers = std::fs::read_dir(&root)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn diffs_name_the_file() {
        let diff = unified_diff("a.json", "x\ny\n", "x\nz\n");
        assert!(diff.starts_with("--- a/a.json\n+++ b/a.json\n"), "{diff}");
        assert!(diff.contains("-y\n+z\n"));
    }

    #[test]
    fn diffs_escape_controls_and_break_commands() {
        let diff = unified_diff(
            "e\u{1b}[2J\nx.json",
            "a\r\n  // ::error file=x::forged\r\n##[group]\r\n",
            "b\r\n  // ::error file=x::forged\r\n##[group]\r\n",
        );
        assert!(
            diff.starts_with("--- a/e\\u{1b}[2J\\nx.json\n+++ b/e\\u{1b}[2J\\nx.json\n"),
            "{diff}"
        );
        assert!(diff.contains("-a\r\n+b\r\n"), "{diff}");
        assert!(diff.contains("\n #\\u{23}[group]\r\n"), "{diff}");
        assert_eq!(guard_diff_line("+  ::error::x\n"), "+  \\u{3a}:error::x\n");
        assert_eq!(guard_diff_line(" ::x\r\r\n"), " \\u{3a}:x\\r\r\n");
        for line in diff.lines() {
            assert!(!line[1..].trim_start().starts_with("::"), "{line:?}");
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\r'),
                "{line:?}"
            );
        }
    }
}
