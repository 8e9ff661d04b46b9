//! Source files, byte spans and human positions.
//!
//! Every setting and diagnostic carries a [`Location`]: a file id and a byte span in the decoded
//! text. Lines and columns are computed only when a report needs them.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// A half-open byte range in a file's decoded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The character at byte `at` of `text` (or the end of the text), whatever its width:
    /// where parsers report an error by byte offset.
    pub fn char_at(text: &str, at: usize) -> Self {
        let mut start = at.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let width = text[start..].chars().next().map_or(0, char::len_utf8);
        Span::new(start, start + width)
    }
}

/// `text` with the bytes of every span replaced by `*` (quotes kept), so spans stay valid; a
/// multi-byte character cut by a span is masked whole.
pub fn masked<'a>(text: &str, spans: impl IntoIterator<Item = &'a Span>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        let end = span.end.min(bytes.len());
        for byte in &mut bytes[span.start.min(end)..end] {
            if *byte != b'"' {
                *byte = b'*';
            }
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).replace('\u{FFFD}', "*"),
    }
}

/// Index of a file in the run's [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// A 1-based position. `column` counts characters; `column_utf16` counts UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
}

/// One file as the run saw it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as reports print it: relative to the working directory when under it, with `/`.
    pub display: String,
    /// Decoded text (BOM removed, UTF-16 converted). Empty when the file could not be read.
    pub text: String,
    /// Spans of secret values the parsed settings name, masked wherever source text is shown.
    pub secrets: Vec<Span>,
    /// Spans of secret values found by their shape (`domain::secrets`), worked out the first
    /// time the text is shown: most files never are.
    shaped_secrets: OnceLock<Vec<Span>>,
    /// Findings in the file are reported, and it counts as checked. Context files read to judge
    /// a named file, and entralint's own configuration, are not.
    pub reported: bool,
    line_starts: OnceLock<Vec<usize>>,
    column_marks: OnceLock<Vec<ColumnMark>>,
}

/// Columns known at a byte offset: a position on a long line (minified JSON, a one-line ARM
/// template or policy) counts characters from the nearest mark, not from the line's start.
#[derive(Clone, Copy, Debug)]
struct ColumnMark {
    offset: usize,
    /// Characters and UTF-16 code units from the start of the line to `offset`.
    chars: usize,
    utf16: usize,
}

/// Bytes between column marks: the most a position counts.
const COLUMN_MARK_EVERY: usize = 4096;

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> Self {
        SourceFile {
            path,
            display,
            text,
            secrets: Vec::new(),
            shaped_secrets: OnceLock::new(),
            reported: true,
            line_starts: OnceLock::new(),
            column_marks: OnceLock::new(),
        }
    }

    /// The text with every secret value replaced by `*`, byte for byte, so spans stay valid.
    pub fn redacted_text(&self) -> String {
        let shaped =
            (self.shaped_secrets).get_or_init(|| crate::domain::secrets::masked_spans(&self.text));
        masked(&self.text, self.secrets.iter().chain(shaped))
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// Marks every [`COLUMN_MARK_EVERY`] bytes of lines longer than that.
    fn column_marks(&self) -> &[ColumnMark] {
        self.column_marks.get_or_init(|| {
            let mut marks = Vec::new();
            let starts = self.line_starts();
            for (i, &start) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(self.text.len());
                let mut mark = ColumnMark {
                    offset: start,
                    chars: 0,
                    utf16: 0,
                };
                while end - mark.offset > COLUMN_MARK_EVERY {
                    let mut next = mark.offset + COLUMN_MARK_EVERY;
                    while !self.text.is_char_boundary(next) {
                        next -= 1;
                    }
                    let run = &self.text[mark.offset..next];
                    mark = ColumnMark {
                        offset: next,
                        chars: mark.chars + run.chars().count(),
                        utf16: mark.utf16 + run.encode_utf16().count(),
                    };
                    marks.push(mark);
                }
            }
            marks
        })
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line_index = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = starts[line_index];
        let mut from = ColumnMark {
            offset: line_start,
            chars: 0,
            utf16: 0,
        };
        if offset - line_start > COLUMN_MARK_EVERY {
            let marks = self.column_marks();
            let before = marks.partition_point(|m| m.offset <= offset);
            if let Some(mark) = before.checked_sub(1).map(|i| marks[i])
                && mark.offset > line_start
            {
                from = mark;
            }
        }
        let prefix = &self.text[from.offset..offset];
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        Position {
            line: line_index + 1,
            column: from.chars + prefix.chars().count() + 1,
            column_utf16: from.utf16 + prefix.encode_utf16().count() + 1,
        }
    }

    /// The text of the 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// All files of a run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn with_capacity(files: usize) -> Self {
        SourceMap {
            files: Vec::with_capacity(files),
        }
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    /// Adds every file of `other` after this map's; returns how far their ids moved.
    pub fn append(&mut self, mut other: SourceMap) -> usize {
        let offset = self.files.len();
        self.files.append(&mut other.files);
        offset
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Files the run checked: reported ones, not context or entralint's own configuration.
    pub fn checked_files(&self) -> usize {
        self.files.iter().filter(|f| f.reported).count()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Why a file's bytes were not read.
#[derive(Debug)]
pub enum Unread {
    /// A pipe, socket or device: opening it could block, reading it could never end.
    NotAFile,
    TooLarge(u64),
    Failed(std::io::Error),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::NotAFile => write!(f, "not a regular file (a pipe, socket or device)"),
            Unread::TooLarge(size) => write!(
                f,
                "{size} bytes is over the {MAX_FILE_BYTES} byte limit for configuration files"
            ),
            Unread::Failed(error) => write!(f, "cannot be read: {error}"),
        }
    }
}

/// Files larger than this are not read: configuration files, entralint's own configuration and
/// baselines alike.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The file's bytes, when it is a regular file within [`MAX_FILE_BYTES`]. A file known to be
/// regular (the walk saw it) is opened directly (one path lookup); others are looked at first,
/// because opening a pipe would block. Files that report no size (`/proc`) are read no further
/// than the limit either.
pub fn read_bounded(path: &Path, known_regular: bool) -> Result<Vec<u8>, Unread> {
    use std::io::Read;
    if !known_regular {
        let metadata = std::fs::metadata(path).map_err(Unread::Failed)?;
        if !metadata.is_file() {
            return Err(Unread::NotAFile);
        }
    }
    let mut file = std::fs::File::open(path).map_err(Unread::Failed)?;
    let size = file.metadata().map_err(Unread::Failed)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Unread::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Unread::Failed)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Unread::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// `path` is a link whose target resolves outside `root` (an already resolved folder): a file
/// the repository cannot vouch for (`/etc/passwd`, the runner's secrets, `/proc/self/...`).
/// A dangling link is not: reading it fails and says so.
pub fn link_leaves(path: &Path, root: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && path
            .canonicalize()
            .is_ok_and(|target| !target.starts_with(root))
}

/// Reads entralint's own files (configuration, baseline) as it reads configuration: a regular
/// file within the size limit, and a link only when its target is in the link's own folder.
pub fn read_own_file(path: &Path) -> Result<String, String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let shown = path.display();
    if folder
        .canonicalize()
        .is_ok_and(|folder| link_leaves(path, &folder))
    {
        return Err(format!(
            "{shown}: not read: it is a link to a file outside its folder"
        ));
    }
    let bytes = read_bounded(path, false).map_err(|e| format!("{shown}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{shown}: cannot be read: it is not UTF-8 text"))
}

/// The path as reports print it: relative to `cwd` when under it, always with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// `path` without `.` components and with `folder/..` pairs resolved, written as given
/// (relative stays relative); `.` when nothing is left.
pub fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(normal.components().next_back(), Some(Component::Normal(_))) =>
            {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    if normal.as_os_str().is_empty() {
        normal.push(".");
    }
    normal
}

/// `path` relative to the folder `root`. The two are compared as written first; when they do
/// not start alike (a configuration above the working directory, `../entralint.toml`), both
/// are made absolute. A path outside the folder is taken as it is, without its leading `./`.
pub fn relative_to<'p>(root: &Path, path: &'p Path) -> std::borrow::Cow<'p, str> {
    let path = path.strip_prefix(".").unwrap_or(path);
    if let Ok(relative) = path.strip_prefix(root) {
        return relative.to_string_lossy();
    }
    let absolute = |p: &Path| std::path::absolute(p).map(|a| normalize(&a));
    match (absolute(path), absolute(root)) {
        (Ok(path_abs), Ok(root_abs)) if path_abs.starts_with(&root_abs) => {
            let relative = path_abs.strip_prefix(&root_abs).unwrap_or(&path_abs);
            std::borrow::Cow::Owned(relative.to_string_lossy().into_owned())
        }
        _ => path.to_string_lossy(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_as_written() {
        let n = |p: &str| normalize(Path::new(p));
        assert_eq!(n("./a/./b/../c"), PathBuf::from("a/c"));
        assert_eq!(n("."), PathBuf::from("."));
        assert_eq!(n("a/.."), PathBuf::from("."));
        assert_eq!(n("../x/../../y"), PathBuf::from("../../y"));
        assert_eq!(n("/a/b/../c"), PathBuf::from("/a/c"));
    }

    #[test]
    fn paths_relative_to_a_folder_written_alike_or_not() {
        let r = |root: &str, p: &str| relative_to(Path::new(root), Path::new(p)).into_owned();
        assert_eq!(r("", "./src/a.json"), "src/a.json");
        assert_eq!(r("other/repo", "other/repo/api/a.json"), "api/a.json");
        // Written differently: compared from the working directory.
        let cwd = std::env::current_dir().unwrap();
        let name = cwd.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(r("..", "./api/a.json"), format!("{name}/api/a.json"));
        assert_eq!(r("elsewhere", "./api/a.json"), "api/a.json");
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("a.json"), "a.json".into(), text.into())
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = file("{\n  \"é\": \"x\"\n}");
        let offset = f.text.find("\"x\"").unwrap();
        let p = f.position(offset);
        assert_eq!((p.line, p.column, p.column_utf16), (2, 8, 8));
        assert_eq!(f.position(0).line, 1);
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let f = file("\"😀\": 1");
        let p = f.position(f.text.find(':').unwrap());
        assert_eq!(p.column, 4);
        assert_eq!(p.column_utf16, 5);
    }

    #[test]
    fn crlf_does_not_shift_columns_and_offsets_are_clamped() {
        let f = file("a\r\nbc");
        assert_eq!(f.position(4).line, 2);
        assert_eq!(f.position(4).column, 2);
        assert_eq!(f.position(999).line, 2);
        assert_eq!(f.line_text(1), "a");
    }

    #[test]
    fn positions_on_long_lines_count_from_marks_as_from_the_line_start() {
        let line = "é😀a".repeat(3000);
        let text = format!("x\r\n{line}\r\n{line}");
        let f = file(&text);
        for offset in (0..text.len()).step_by(997).chain([text.len(), 3, 4]) {
            let mut at = offset;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[start..at];
            let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
            let p = f.position(offset);
            assert_eq!(p.line, text[..at].matches('\n').count() + 1);
            assert_eq!(p.column, prefix.chars().count() + 1, "{offset}");
            assert_eq!(
                p.column_utf16,
                prefix.encode_utf16().count() + 1,
                "{offset}"
            );
        }
    }

    #[test]
    fn redaction_keeps_quotes_and_length() {
        let mut f = file("{\"ClientSecret\": \"s3crét\"}");
        let start = f.text.find(": ").unwrap() + 2;
        f.secrets.push(Span::new(start, f.text.len() - 1));
        let shown = f.redacted_text();
        assert_eq!(shown.len(), f.text.len());
        assert!(!shown.contains("s3cr"));
        assert!(shown.ends_with("\"*******\"}"));
    }

    #[test]
    fn display_paths_are_relative_with_forward_slashes() {
        let cwd = Path::new("/repo");
        assert_eq!(
            display_path(Path::new("/repo/src/appsettings.json"), cwd),
            "src/appsettings.json"
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/a.json"), cwd),
            "/elsewhere/a.json"
        );
    }
}
