//! JUnit XML, which Azure Pipelines and GitLab publish as test results: one test suite per
//! file, one test case per finding. Findings at or above the failure threshold are failed test
//! cases; the others pass with the finding as their output, so a green build shows no red test.
//! A clean run is one passing test case.

use super::escape::{break_logging_commands, untrusted};
use super::resolve;
use crate::config::FailOn;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::BTreeMap;
use std::io;

/// XML 1.0 forbids C0 controls other than tab, line feed and carriage return, and U+FFFE and
/// U+FFFF, even escaped: strict parsers stop at them. They become U+FFFD.
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], fail_on: FailOn) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail.
    let _ = write(&mut writer, sources, diagnostics, fail_on);
    let mut out = String::from_utf8(writer.into_inner()).unwrap_or_default();
    out.push('\n');
    // `&#35;` is `#` to an XML reader.
    break_logging_commands(&out, "&#35;").into_owned()
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    fail_on: FailOn,
) -> io::Result<()> {
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file
            .entry(xml_safe(&untrusted(&sources.get(d.primary.file).display)))
            .or_default()
            .push(d);
    }
    let failures =
        |found: &[&Diagnostic]| found.iter().filter(|d| fail_on.fails(d.severity)).count();
    let all: Vec<&Diagnostic> = diagnostics.iter().collect();
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("testsuites")
        .with_attribute(("name", "entralint"))
        .with_attribute(("tests", diagnostics.len().max(1).to_string().as_str()))
        .with_attribute(("failures", failures(&all).to_string().as_str()))
        .with_attribute(("errors", "0"))
        .write_inner_content(|writer| {
            if diagnostics.is_empty() {
                writer
                    .create_element("testsuite")
                    .with_attributes([
                        ("name", "entralint"),
                        ("tests", "1"),
                        ("failures", "0"),
                        ("errors", "0"),
                    ])
                    .write_inner_content(|writer| {
                        writer
                            .create_element("testcase")
                            .with_attributes([("name", "entralint"), ("classname", "entralint")])
                            .write_empty()?;
                        Ok(())
                    })?;
            }
            for (file, found) in &by_file {
                writer
                    .create_element("testsuite")
                    .with_attribute(("name", file.as_str()))
                    .with_attribute(("tests", found.len().to_string().as_str()))
                    .with_attribute(("failures", failures(found).to_string().as_str()))
                    .with_attribute(("errors", "0"))
                    .write_inner_content(|writer| {
                        for d in found {
                            test_case(writer, sources, file, d, fail_on)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn test_case(
    writer: &mut Writer<Vec<u8>>,
    sources: &SourceMap,
    file: &str,
    d: &Diagnostic,
    fail_on: FailOn,
) -> io::Result<()> {
    let at = resolve(sources, d.primary);
    let message = xml_safe(&untrusted(&d.message));
    let detail = xml_safe(&format!(
        "{}:{}:{}: {} {}: {message}{}",
        untrusted(&at.file),
        at.line,
        at.column,
        d.severity.as_str(),
        d.rule,
        d.help
            .as_deref()
            .map(|h| format!("\nFix: {}", untrusted(h)))
            .unwrap_or_default()
    ));
    let name = format!("{} at line {}:{}", d.rule, at.line, at.column);
    let line = at.line.to_string();
    writer
        .create_element("testcase")
        .with_attributes([
            ("name", name.as_str()),
            ("classname", file),
            ("file", file),
            ("line", line.as_str()),
        ])
        .write_inner_content(|writer| {
            if fail_on.fails(d.severity) {
                writer
                    .create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", d.severity.as_str())])
                    .write_text_content(BytesText::new(&detail))?;
            } else {
                writer
                    .create_element("system-out")
                    .write_text_content(BytesText::new(&detail))?;
            }
            Ok(())
        })?;
    Ok(())
}
