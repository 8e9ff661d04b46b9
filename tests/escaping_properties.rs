//! Property: whatever the file names, source text, messages, help and environments hold, no
//! output format prints a raw control character where people read it, and no line of any
//! format starts or holds a CI logging command other than those `github` and `azure` emit.

mod common;

use common::EVERY_FORMAT;
use entralint::diagnostic::{Diagnostic, Related, Severity};
use entralint::report::escape::is_escaped;
use entralint::report::{self, Format, Style};
use entralint::source::{Location, SourceFile, SourceMap, Span};
use proptest::prelude::*;
use std::path::PathBuf;

/// Text built from the pieces of commands and terminal controls, and anything else.
fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("::".to_string()),
            Just("##".to_string()),
            Just("[".to_string()),
            Just("vso".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just(" ".to_string()),
            Just("\u{1b}]0;t\u{7}".to_string()),
            Just("\u{2028}".to_string()),
            Just("\u{202e}".to_string()),
            Just("error title=x".to_string()),
            any::<char>().prop_map(String::from),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_format_forges_a_command_or_prints_a_control(
        name in hostile_text(),
        text in hostile_text(),
        message in hostile_text(),
        help in hostile_text(),
        environment in hostile_text(),
        start in 0usize..64,
        color in any::<bool>(),
    ) {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new(PathBuf::from(&name), name.clone(), text.clone()));
        let at = |offset: usize| Location { file, span: Span::new(offset.min(text.len()), text.len()) };
        let diagnostics = vec![Diagnostic {
            rule: "graph-audience",
            severity: Severity::Error,
            message: message.clone(),
            primary: at(start),
            key: Some(message.clone()),
            environment: Some(environment.clone()),
            related: vec![Related { location: at(0), message: help.clone() }],
            help: Some(help.clone()),
            fix: None,
            stack: Some("dotnet"),
        }];
        for format in EVERY_FORMAT {
            let style = Style { color, ..Style::default() };
            let out = report::render(format, &sources, &diagnostics, 1, style);
            for line in out.lines() {
                let own = match format {
                    Format::Github => line.starts_with("::error file="),
                    _ => false,
                };
                prop_assert!(own || !line.trim_start().starts_with("::"), "{format:?}: {line:?}");
                let rest = match format {
                    Format::Azure => line.strip_prefix("##vso[task.logissue ").unwrap_or(line),
                    _ => line,
                };
                prop_assert!(!rest.contains("##["), "{format:?}: {line:?}");
                prop_assert!(!rest.to_ascii_lowercase().contains("##vso["), "{format:?}: {line:?}");
                if matches!(format, Format::Concise | Format::Github | Format::Azure)
                    || (format == Format::Text && !color)
                {
                    prop_assert!(
                        !rest.chars().any(|c| is_escaped(c) && c != '\r'),
                        "{format:?}: {line:?}"
                    );
                }
            }
        }
    }
}
