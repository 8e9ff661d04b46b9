//! API Management policy documents. They embed C# policy expressions (`@(...)`, `@{...}`) that
//! may hold `<`, `>` and `&&`, so many real policies are not well-formed XML and an XML parser
//! rejects them. This reader is tolerant: it reads tags with their attribute spans, skips
//! expressions in text, and closes elements by name. It builds the same element tree as the
//! XML reader.

use crate::read::xml::{self, XmlElement};
use crate::source::Span;

const MAX_DEPTH: usize = 256;

/// The end of a policy expression starting at `at` (`@(` or `@{`), past its closing bracket.
fn expression_end(bytes: &[u8], at: usize) -> usize {
    let (open, close) = if bytes[at + 1] == b'(' {
        (b'(', b')')
    } else {
        (b'{', b'}')
    };
    let mut depth = 0usize;
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The end of a tag starting at `at`, past its `>`, honouring quoted attribute values.
fn tag_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'"' | b'\'') => quote = Some(bytes[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Reads every element of `text` (offset by `base` in the file), tolerating what XML would not.
pub fn parse(text: &str, base: usize) -> Vec<XmlElement> {
    let bytes = text.as_bytes();
    let mut roots = Vec::new();
    let mut stack: Vec<XmlElement> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' && matches!(bytes.get(i + 1), Some(b'(' | b'{')) {
            i = expression_end(bytes, i);
            continue;
        }
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            i = rest.find("]]>").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            i = tag_end(bytes, i);
            continue;
        }
        let end = tag_end(bytes, i);
        let tag = &text[i..end];
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim();
            // Close up to the matching element; a stray end tag closes nothing.
            if let Some(depth) = stack.iter().rposition(|e| e.name == name) {
                while stack.len() > depth {
                    let element = stack
                        .pop()
                        .unwrap_or_else(|| unreachable!("depth is below the stack's length"));
                    attach(&mut stack, &mut roots, element);
                }
            }
            i = end;
            continue;
        }
        if !tag[1..].starts_with(|c: char| c.is_alphabetic() || c == '_') {
            i += 1;
            continue;
        }
        // Tolerant reading never fails: attributes it cannot read are skipped.
        let Ok(element) = xml::read_tag(tag, base + i, false) else {
            i = end;
            continue;
        };
        if tag.ends_with("/>") || stack.len() >= MAX_DEPTH {
            attach(&mut stack, &mut roots, element);
        } else {
            stack.push(element);
        }
        i = end;
    }
    while let Some(element) = stack.pop() {
        attach(&mut stack, &mut roots, element);
    }
    roots
}

fn attach(stack: &mut [XmlElement], roots: &mut Vec<XmlElement>, element: XmlElement) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => roots.push(element),
    }
}

/// The text directly inside an element (`<audience>value</audience>`), with its span.
pub fn inner_text(text: &str, element: &XmlElement, base: usize) -> Option<(String, Span)> {
    let start = element.span.end.checked_sub(base)?;
    let rest = text.get(start..)?;
    let end = rest.find("</")?;
    let inner = &rest[..end];
    let lead = inner.len() - inner.trim_start().len();
    let value = inner.trim();
    (!value.is_empty()).then(|| {
        (
            value.to_string(),
            Span::new(base + start + lead, base + start + lead + value.len()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_policies_with_expressions_that_break_xml() {
        let text = r#"<policies><inbound>
  <set-variable name="x" value="@(context.Request.Headers.GetValueOrDefault("A","") != "" && 1 < 2)" />
  <choose><when condition="@(x < 3)"><return-response /></when></choose>
  @{ var list = new List<string>(); return list; }
  <validate-jwt header-name="Authorization">
    <openid-config url="https://login.microsoftonline.com/{{tid}}/v2.0/.well-known/openid-configuration" />
    <audiences><audience>api://orders</audience></audiences>
  </validate-jwt>
</inbound></policies>"#;
        let roots = parse(text, 0);
        assert_eq!(roots[0].name, "policies");
        let inbound = &roots[0].children[0];
        let jwt = inbound
            .children
            .iter()
            .find(|e| e.name == "validate-jwt")
            .unwrap();
        let url = jwt.children[0].attribute("url").unwrap();
        assert_eq!(
            &text[url.value_span.start..url.value_span.end],
            "\"https://login.microsoftonline.com/{{tid}}/v2.0/.well-known/openid-configuration\""
        );
        let audience = &jwt.children[1].children[0];
        let (value, span) = inner_text(text, audience, 0).unwrap();
        assert_eq!(value, "api://orders");
        assert_eq!(&text[span.start..span.end], "api://orders");
    }

    #[test]
    fn unclosed_and_hostile_input_still_yields_elements() {
        assert_eq!(
            parse("<policies><validate-jwt>", 0)[0].children[0].name,
            "validate-jwt"
        );
        for text in [
            "<",
            "<a b='",
            "@(",
            "@{{{",
            "</x>",
            "<!--",
            &"<a>".repeat(10_000),
        ] {
            let _ = parse(text, 0);
        }
    }
}
