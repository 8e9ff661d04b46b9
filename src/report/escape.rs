//! The one escaping layer between what a repository holds (file and folder names, keys, values,
//! source lines) and every output people or CI logs read. A CI log is a command channel: a line
//! starting with `::` is a GitHub Actions workflow command and `##vso[` / `##[` an Azure
//! Pipelines (or legacy GitHub) logging command; a terminal obeys ESC, BEL and OSC sequences,
//! and bidi controls reorder what it shows. Untrusted text is shown with those characters
//! escaped as `\u{..}`, and no line of output can start or hold such a command.
//!
//! upstream: actions/runner src/Runner.Common/ActionCommand.cs: `TryParseV2` trims a line's
//! leading white space and takes it as a command when it then starts with `::`; the older
//! `TryParse` finds `##[` anywhere in the line.

use std::borrow::Cow;

/// Characters shown escaped wherever untrusted text is printed: C0 controls, DEL, C1 controls,
/// the line and paragraph separators, and the bidi controls. Tab is harmless and kept.
pub fn is_escaped(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// One untrusted value (a path, key, value or message) on one line: every character that
/// [`is_escaped`], newlines included, is shown as an escape.
pub fn untrusted(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_escaped(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message for standard error, on one line and with no logging command.
pub fn line(text: &str) -> String {
    break_logging_commands(&untrusted(text), "\\u{23}").into_owned()
}

/// A source file's text as a snippet shows it: its own line breaks (`\n`, `\r\n`) kept, every
/// other escaped character shown as an escape, with the map from offsets in `text` to offsets
/// in the shown text.
pub struct Shown {
    pub text: String,
    /// `(offset in the original text just past an escaped character, bytes added so far)`.
    shifts: Vec<(usize, usize)>,
}

impl Shown {
    pub fn new(text: &str) -> Shown {
        let mut shifts = Vec::new();
        let mut added = 0;
        let mut out = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let line_break =
                c == '\n' || (c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n'));
            if line_break || !is_escaped(c) {
                out.push(c);
                continue;
            }
            let before = out.len();
            push_escaped(&mut out, c);
            added += out.len() - before - c.len_utf8();
            shifts.push((at + c.len_utf8(), added));
        }
        Shown { text: out, shifts }
    }

    /// Where byte `offset` of the original text is in the shown text.
    pub fn offset(&self, offset: usize) -> usize {
        let passed = self.shifts.partition_point(|(end, _)| *end <= offset);
        offset + passed.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

/// The last guard on a whole human-readable output: a line that would start a workflow command
/// (`::` after leading white space) has its first colon escaped, and `##[` / `##vso[` are
/// broken up, whatever field they came from.
pub fn guard_lines(output: String) -> String {
    if !output.contains("::") && !output.contains("##") {
        return output;
    }
    let mut out = String::with_capacity(output.len() + 16);
    for line in output.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let line = if line[indent..].starts_with("::") {
            out.push_str(&line[..indent]);
            out.push_str("\\u{3a}");
            &line[indent + 1..]
        } else {
            line
        };
        out.push_str(&break_logging_commands(line, "\\u{23}"));
    }
    out
}

/// `text` with the second `#` of every `##[` and `##vso[` (any case) written as `hash`, the
/// output format's own way of writing `#`.
pub fn break_logging_commands<'a>(text: &'a str, hash: &str) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let starts_command = |at: usize| {
        bytes[at..].starts_with(b"##[")
            || bytes
                .get(at..at + 6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"##vso["))
    };
    if !(0..bytes.len()).any(starts_command) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for at in 0..bytes.len() {
        if starts_command(at) {
            out.push_str(&text[copied..=at]);
            out.push_str(hash);
            copied = at + 2;
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_separators_and_bidi_are_escaped() {
        assert_eq!(
            untrusted("a\nb\u{1b}[2J\u{7}\u{9b}\u{2028}\u{202e}\tc"),
            "a\\nb\\u{1b}[2J\\u{7}\\u{9b}\\u{2028}\\u{202e}\tc"
        );
        assert!(matches!(untrusted("plain ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn shown_source_keeps_lines_and_maps_offsets() {
        let text = "a\u{1b}b\r\nc\rd\n";
        let shown = Shown::new(text);
        assert_eq!(shown.text, "a\\u{1b}b\r\nc\\rd\n");
        assert_eq!(shown.offset(0), 0);
        assert_eq!(shown.offset(2), 7);
        assert_eq!(&shown.text[shown.offset(6)..shown.offset(8)], "\\rd");
    }

    #[test]
    fn guard_breaks_commands_only() {
        assert_eq!(
            guard_lines("ok ::x\n  ::error::y\n##[group]\nA ##VSO[task]\n".into()),
            "ok ::x\n  \\u{3a}:error::y\n#\\u{23}[group]\nA #\\u{23}VSO[task]\n"
        );
        assert_eq!(break_logging_commands("###[", "&#35;"), "##&#35;[");
    }

    proptest! {
        #[test]
        fn no_line_of_guarded_escaped_text_can_command(parts in proptest::collection::vec(
            prop_oneof![
                Just("::".to_string()), Just("##".to_string()), Just("[".to_string()),
                Just("vso".to_string()), Just("VsO".to_string()), Just("\n".to_string()),
                Just(" ".to_string()), Just("\r".to_string()), Just("\u{2028}".to_string()),
                any::<char>().prop_map(String::from), "[a-z:#\\[]{0,4}",
            ],
            0..24,
        ), framing in "[ :#a]{0,3}") {
            let value: String = parts.concat();
            let output = guard_lines(format!("{framing}{}: {}\n", untrusted(&value), untrusted(&value)));
            for line in output.lines() {
                prop_assert!(!line.trim_start().starts_with("::"), "{line:?}");
                prop_assert!(!line.contains("##["), "{line:?}");
                prop_assert!(!line.to_ascii_lowercase().contains("##vso["), "{line:?}");
                prop_assert!(!line.chars().any(is_escaped), "{line:?}");
            }
        }

        #[test]
        fn shown_offsets_are_monotone_boundaries(text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}\u{202e}]){0,40}") {
            let shown = Shown::new(&text);
            let mut last = 0;
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let mapped = shown.offset(at);
                prop_assert!(mapped >= last && shown.text.is_char_boundary(mapped));
                last = mapped;
            }
            prop_assert_eq!(shown.offset(text.len()), shown.text.len());
            prop_assert!(!shown.text.chars().any(|c| is_escaped(c) && c != '\n' && c != '\r'));
        }
    }
}
