//! YAML read with saphyr into a small tree that keeps byte spans. saphyr bounds alias expansion
//! (no alias bombs); nesting is bounded here.

use crate::source::Span;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub enum YamlValue {
    /// Scalars keep their text; `null` and `~` are empty.
    Scalar(String),
    Sequence(Vec<YamlNode>),
    Mapping(Vec<(String, Span, YamlNode)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlNode {
    pub value: YamlValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlSyntaxError {
    pub message: String,
    pub span: Span,
}

impl YamlNode {
    pub fn get(&self, key: &str) -> Option<&YamlNode> {
        match &self.value {
            YamlValue::Mapping(entries) => {
                entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v)
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YamlValue::Scalar(text) => Some(text),
            _ => None,
        }
    }

    pub fn items(&self) -> &[YamlNode] {
        match &self.value {
            YamlValue::Sequence(items) => items,
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(String, Span, YamlNode)] {
        match &self.value {
            YamlValue::Mapping(entries) => entries,
            _ => &[],
        }
    }
}

/// Byte offsets of character indices (saphyr counts characters).
struct Offsets(Vec<usize>);

impl Offsets {
    fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        Offsets(offsets)
    }

    fn byte(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .copied()
            .unwrap_or_else(|| *self.0.last().unwrap_or(&0))
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

/// Every document of a YAML stream.
pub fn parse(text: &str) -> Result<Vec<YamlNode>, YamlSyntaxError> {
    // saphyr limits flow nesting but descends block nesting recursively: a hostile file of a
    // few megabytes would overflow the stack before `convert` could refuse it.
    if let Some(line_start) = too_deep_block(text) {
        return Err(YamlSyntaxError {
            message: format!("nested more than {MAX_DEPTH} levels deep"),
            span: Span::char_at(text, line_start),
        });
    }
    let offsets = Offsets::new(text);
    let documents = MarkedYaml::load_from_str(text).map_err(|e| {
        // One character, however many bytes it takes.
        let at = e.marker().index();
        YamlSyntaxError {
            message: e.info().to_string(),
            span: Span::new(offsets.byte(at), offsets.byte(at + 1)),
        }
    })?;
    documents.iter().map(|d| convert(d, &offsets, 0)).collect()
}

/// Where block nesting first goes deeper than [`MAX_DEPTH`], by indentation: each line's
/// leading `- ` markers and its content open levels at their columns, and a line closes the
/// levels at or right of its first column. An upper bound of the real depth, in one pass.
fn too_deep_block(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let mut columns = Vec::new();
        let mut at = 0;
        loop {
            while at < bytes.len() && bytes[at] == b' ' {
                at += 1;
            }
            if at + 1 < bytes.len() && bytes[at] == b'-' && bytes[at + 1] == b' ' {
                columns.push(at);
                at += 2;
            } else {
                break;
            }
        }
        let blank = at >= bytes.len() || matches!(bytes[at], b'\n' | b'\r' | b'#');
        if !blank {
            columns.push(at);
        }
        if let Some(&first) = columns.first() {
            while open.last().is_some_and(|&column| column >= first) {
                open.pop();
            }
            open.extend(columns);
            if open.len() > MAX_DEPTH {
                return Some(line_start);
            }
        }
        line_start += line.len();
    }
    None
}

fn scalar_text(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Null => String::new(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}

fn convert(
    node: &MarkedYaml,
    offsets: &Offsets,
    depth: usize,
) -> Result<YamlNode, YamlSyntaxError> {
    let span = offsets.span(&node.span);
    if depth > MAX_DEPTH {
        return Err(YamlSyntaxError {
            message: format!("nested more than {MAX_DEPTH} levels deep"),
            span,
        });
    }
    let value = match &node.data {
        YamlData::Value(scalar) => YamlValue::Scalar(scalar_text(scalar)),
        YamlData::Representation(text, _, _) => YamlValue::Scalar(text.to_string()),
        YamlData::Sequence(items) => YamlValue::Sequence(
            items
                .iter()
                .map(|i| convert(i, offsets, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(entries) => YamlValue::Mapping(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.data {
                        YamlData::Value(scalar) => scalar_text(scalar),
                        YamlData::Representation(text, _, _) => text.to_string(),
                        _ => String::new(),
                    };
                    Ok((key, offsets.span(&k.span), convert(v, offsets, depth + 1)?))
                })
                .collect::<Result<_, YamlSyntaxError>>()?,
        ),
        YamlData::Tagged(_, inner) => return convert(inner, offsets, depth + 1),
        _ => YamlValue::Scalar(String::new()),
    };
    Ok(YamlNode { value, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_block_nesting_is_refused_before_parsing() {
        let mapping: String = (0..3000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&mapping).unwrap_err().message.contains("levels deep"));
        let sequence: String = (0..3000)
            .map(|i| format!("{}- x{i}:\n", "  ".repeat(i)))
            .collect();
        assert!(parse(&sequence).is_err());
        let dashes = format!("{}x\n", "- ".repeat(3000));
        assert!(parse(&dashes).is_err());
        // Ordinary documents, dedenting and comments, are read.
        let ordinary = "a:\n  b:\n    - c: 1\n      d: 2\n  # note\ne: 3\n";
        assert!(parse(ordinary).is_ok());
    }

    #[test]
    fn keeps_byte_spans_after_non_ascii_text() {
        let text = "# é\nservices:\n  api:\n    environment:\n      - AzureAd__Audience=https://graph.microsoft.com\n";
        let docs = parse(text).unwrap();
        let item = &docs[0]
            .get("services")
            .unwrap()
            .get("api")
            .unwrap()
            .get("environment")
            .unwrap()
            .items()[0];
        assert_eq!(
            &text[item.span.start..item.span.end],
            "AzureAd__Audience=https://graph.microsoft.com"
        );
    }

    #[test]
    fn reads_every_document_of_a_stream() {
        let docs = parse("kind: ConfigMap\n---\nkind: Deployment\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("kind").unwrap().as_str(), Some("Deployment"));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        assert!(parse(&"[".repeat(100_000)).is_err());
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12u8 {
            let (this, prev) = ((b'a' + i) as char, (b'a' + i - 1) as char);
            bomb.push_str(&format!("{this}: &{this} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let _ = parse(&bomb);
        assert!(parse("a: [unclosed").is_err());
        // Found by property tests: an error at a multi-byte character.
        let error = parse("0\u{feff}").unwrap_err();
        assert!("0\u{feff}".is_char_boundary(error.span.end));
    }
}
