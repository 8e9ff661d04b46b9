//! XML read with quick-xml into a small element tree that keeps the span of every attribute
//! value. Entities declared in a DOCTYPE are never expanded; nesting is bounded.

use crate::source::Span;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlAttribute {
    /// The qualified name as written (`key`, `xdt:Transform`).
    pub name: String,
    /// The value with the predefined and numeric character references decoded.
    pub value: String,
    /// The value's span, quotes included.
    pub value_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlElement {
    pub name: String,
    /// The start tag.
    pub span: Span,
    pub attributes: Vec<XmlAttribute>,
    pub children: Vec<XmlElement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlSyntaxError {
    pub message: String,
    pub span: Span,
}

impl XmlElement {
    /// The local name (after any `prefix:`), compared case-sensitively as XML does.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    pub fn attribute(&self, name: &str) -> Option<&XmlAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a XmlElement> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses a document and returns its root element (`None` for a document without one).
pub fn parse(text: &str) -> Result<Option<XmlElement>, XmlSyntaxError> {
    // quick-xml skips a byte-order mark and its positions then no longer match the text: hand
    // it the text after the mark, and shift every position back.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = Reader::from_str(&text[bom..]);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<XmlElement> = Vec::new();
    let mut root: Option<XmlElement> = None;
    loop {
        let start = bom + reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| XmlSyntaxError {
            message: e.to_string(),
            span: Span::char_at(text, bom + reader.error_position() as usize),
        })?;
        let end = bom + reader.buffer_position() as usize;
        match event {
            Event::Start(_) | Event::Empty(_) => {
                let element = element_from_tag(text, start, end)?;
                if matches!(event, Event::Empty(_)) {
                    attach(&mut stack, &mut root, element);
                } else {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlSyntaxError {
                            message: format!(
                                "elements are nested more than {MAX_DEPTH} levels deep"
                            ),
                            span: Span::new(start, end),
                        });
                    }
                    stack.push(element);
                }
            }
            Event::End(_) => {
                if let Some(element) = stack.pop() {
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.first() {
        return Err(XmlSyntaxError {
            message: format!("element <{}> is never closed", open.name),
            span: open.span,
        });
    }
    Ok(root)
}

fn attach(stack: &mut [XmlElement], root: &mut Option<XmlElement>, element: XmlElement) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => {
            if root.is_none() {
                *root = Some(element);
            }
        }
    }
}

/// Reads the name and attributes of the tag `text[start..end]` (`<name a="1" b='2'>`).
fn element_from_tag(text: &str, start: usize, end: usize) -> Result<XmlElement, XmlSyntaxError> {
    let tag = text
        .get(start..end)
        .filter(|tag| tag.starts_with('<'))
        .ok_or_else(|| XmlSyntaxError {
            message: "a tag the reader cannot locate".into(),
            span: Span::char_at(text, start),
        })?;
    read_tag(tag, start, true)
}

/// Reads the name and attributes of `tag` (`<name a="1" b='2'>`), which starts at byte `at` of
/// the file. Strict reading (XML) rejects an attribute without a quoted value; tolerant reading
/// (API Management policies) skips it.
pub(crate) fn read_tag(tag: &str, at: usize, strict: bool) -> Result<XmlElement, XmlSyntaxError> {
    let bytes = tag.as_bytes();
    let mut i = 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    let name = tag[1..i].to_string();
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let attr_start = i;
        while i < bytes.len()
            && bytes[i] != b'='
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'>'
        {
            i += 1;
        }
        let attr_name = tag[attr_start..i].to_string();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let problem = if i >= bytes.len() || bytes[i] != b'=' {
            Some(format!("attribute '{attr_name}' has no value"))
        } else {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            (!matches!(bytes.get(i), Some(b'"' | b'\'')))
                .then(|| format!("the value of attribute '{attr_name}' is not quoted"))
        };
        if let Some(message) = problem {
            if strict {
                return Err(XmlSyntaxError {
                    message,
                    span: Span::new(at + attr_start, at + i.min(bytes.len())),
                });
            }
            continue;
        }
        let quote = bytes[i];
        let value_start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != quote {
            i += 1;
        }
        let raw = &tag[value_start + 1..i];
        i = (i + 1).min(bytes.len());
        attributes.push(XmlAttribute {
            name: attr_name,
            value: unescape(raw),
            value_span: Span::new(at + value_start, at + i),
        });
    }
    Ok(XmlElement {
        name,
        span: Span::new(at, at + tag.len()),
        attributes,
        children: Vec::new(),
    })
}

/// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references; anything else
/// (entities a DOCTYPE declares) is kept as written, never expanded.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|s| *s <= 12) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_attribute_value_spans() {
        let text = "<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings>\n    <add key=\"ida:Tenant\" value='contoso.onmicrosoft.com' />\n  </appSettings>\n</configuration>";
        let root = parse(text).unwrap().unwrap();
        let add = &root.children[0].children[0];
        assert_eq!(add.name, "add");
        let value = add.attribute("value").unwrap();
        assert_eq!(value.value, "contoso.onmicrosoft.com");
        assert_eq!(
            &text[value.value_span.start..value.value_span.end],
            "'contoso.onmicrosoft.com'"
        );
    }

    #[test]
    fn decodes_references_but_never_expands_declared_entities() {
        let text = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">]><r v=\"x&amp;y&#65;&a;\"/>";
        let root = parse(text).unwrap().unwrap();
        assert_eq!(root.attribute("v").unwrap().value, "x&yA&a;");
    }

    #[test]
    fn reports_mismatched_and_unclosed_elements() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a><b>").is_err());
        let deep = "<a>".repeat(100_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn unquoted_attribute_values_are_errors_not_panics() {
        // Found by the fuzzer: a multi-byte character where the opening quote belongs.
        let error = parse("<a v=\u{e9}x/>").unwrap_err();
        assert!(error.message.contains("not quoted"), "{}", error.message);
        assert!(parse("<a v=").is_err());
        // Found by property tests: an error right after a byte-order mark.
        let error = parse("\u{feff}<").unwrap_err();
        assert!("\u{feff}<".is_char_boundary(error.span.start));
    }

    #[test]
    fn prefixed_names_have_local_names() {
        let root = parse("<c xmlns:xdt=\"u\"><add xdt:Transform=\"Insert\"/></c>")
            .unwrap()
            .unwrap();
        assert_eq!(root.children[0].attributes[0].name, "xdt:Transform");
        assert_eq!(root.children[0].local_name(), "add");
    }
}
