//! JSON as .NET's configuration reader accepts it (comments, trailing commas), parsed by
//! `jsonc-parser` into a small owned tree where every key and value keeps its byte span.

use crate::source::Span;
use jsonc_parser::ast;
use jsonc_parser::common::Ranged;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Object(Vec<JsonMember>),
    Array(Vec<JsonNode>),
    String(String),
    /// Numbers, booleans and null keep their source text, as .NET configuration does.
    Scalar(String),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    pub value: JsonValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember {
    pub key: String,
    pub key_span: Span,
    pub value: JsonNode,
}

/// A syntax error with the span to underline.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonSyntaxError {
    pub message: String,
    pub span: Span,
}

impl JsonNode {
    pub fn members(&self) -> &[JsonMember] {
        match &self.value {
            JsonValue::Object(members) => members,
            _ => &[],
        }
    }

    /// The member named `key`, compared case-insensitively like .NET configuration keys.
    pub fn get(&self, key: &str) -> Option<&JsonNode> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
            .map(|m| &m.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// This node and every node below it, depth first with the last child first; with an
    /// explicit stack, so deep documents cannot exhaust the call stack.
    pub fn descendants(&self) -> impl Iterator<Item = &JsonNode> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            match &node.value {
                JsonValue::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
                JsonValue::Array(items) => stack.extend(items.iter()),
                _ => {}
            }
            Some(node)
        })
    }
}

/// Parses JSON with comments and trailing commas. Nesting is bounded by the parser (512 levels),
/// so hostile input cannot exhaust the stack.
pub fn parse(text: &str) -> Result<Option<JsonNode>, JsonSyntaxError> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(result) => Ok(result.value.as_ref().map(convert)),
        Err(error) => {
            let range = error.range();
            // At least the character at the error, never inside one.
            let first = Span::char_at(text, range.start);
            let end = if text.is_char_boundary(range.end.min(text.len())) {
                range.end.min(text.len()).max(first.end)
            } else {
                first.end
            };
            Err(JsonSyntaxError {
                message: error.kind().to_string(),
                span: Span::new(first.start, end),
            })
        }
    }
}

fn span_of(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

fn convert(value: &ast::Value<'_>) -> JsonNode {
    let span = span_of(value.range());
    let value = match value {
        ast::Value::Object(object) => JsonValue::Object(
            object
                .properties
                .iter()
                .map(|prop| JsonMember {
                    key: prop.name.as_str().to_string(),
                    key_span: span_of(prop.name.range()),
                    value: convert(&prop.value),
                })
                .collect(),
        ),
        ast::Value::Array(array) => JsonValue::Array(array.elements.iter().map(convert).collect()),
        ast::Value::StringLit(s) => JsonValue::String(s.value.to_string()),
        ast::Value::NumberLit(n) => JsonValue::Scalar(n.value.to_string()),
        ast::Value::BooleanLit(b) => JsonValue::Scalar(b.value.to_string()),
        ast::Value::NullKeyword(_) => JsonValue::Null,
    };
    JsonNode { value, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values_through_comments_and_trailing_commas() {
        let text = "{\n  // the API\n  \"AzureAd\": { \"ClientId\": \"abc\", },\n}";
        let root = parse(text).unwrap().unwrap();
        let section = root.get("azuread").unwrap();
        let member = &section.members()[0];
        assert_eq!(
            &text[member.key_span.start..member.key_span.end],
            "\"ClientId\""
        );
        assert_eq!(
            &text[member.value.span.start..member.value.span.end],
            "\"abc\""
        );
        assert_eq!(member.value.as_str(), Some("abc"));
    }

    #[test]
    fn error_spans_never_split_a_character() {
        // Found by property tests: an unexpected character that is two bytes wide.
        let text = "{\"a\": \"b\"\u{b9} }";
        let error = parse(text).unwrap_err();
        assert_eq!(&text[error.span.start..error.span.end], "\u{b9}");
    }

    #[test]
    fn reports_the_error_position() {
        let text = "{\n  \"a\": \"b\"\n  \"c\": 1\n}";
        let error = parse(text).unwrap_err();
        // The missing comma is reported where it belongs: right after "b".
        assert_eq!(error.span.start, text.find("\"b\"").unwrap() + 3);
        assert!(
            error.message.to_lowercase().contains("comma"),
            "{}",
            error.message
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn empty_text_has_no_value() {
        assert_eq!(parse("  // nothing\n").unwrap(), None);
    }
}
