//! `.env` files: `KEY=VALUE` lines, `export` prefixes, `#` comments, single and double quotes.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub name_span: Span,
    pub value: String,
    pub value_span: Span,
}

/// Every assignment, in order. Lines that are not assignments are skipped, as docker and the
/// dotenv loaders skip them.
pub fn parse(text: &str) -> Vec<Assignment> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let mut body = content.trim_start();
        if body.starts_with('#') || body.is_empty() {
            continue;
        }
        let mut body_at = start + indent;
        if let Some(rest) = body.strip_prefix("export ") {
            body_at += body.len() - rest.len();
            body = rest;
        }
        let Some(eq) = body.find('=') else { continue };
        let name = body[..eq].trim();
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        let raw = &body[eq + 1..];
        let lead = raw.len() - raw.trim_start().len();
        let raw_trimmed = raw.trim_start();
        let value_start = body_at + eq + 1 + lead;
        let (value, width) = match raw_trimmed.chars().next() {
            Some(q @ ('"' | '\'')) => match raw_trimmed[1..].find(q) {
                Some(end) => (raw_trimmed[1..=end].to_string(), end + 2),
                None => (raw_trimmed.to_string(), raw_trimmed.len()),
            },
            _ => {
                let unquoted = raw_trimmed
                    .split(" #")
                    .next()
                    .unwrap_or(raw_trimmed)
                    .trim_end();
                (unquoted.to_string(), unquoted.len())
            }
        };
        found.push(Assignment {
            name: name.to_string(),
            name_span: Span::new(body_at, body_at + name.len()),
            value,
            value_span: Span::new(value_start, value_start + width),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_with_quotes_comments_and_export() {
        let text = "# settings\nexport AzureAd__TenantId=contoso.onmicrosoft.com\nAzureAd__Audience=\"api://a\" # the API\nBROKEN LINE\nEMPTY=\n";
        let found = parse(text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].name, "AzureAd__TenantId");
        assert_eq!(
            &text[found[0].value_span.start..found[0].value_span.end],
            "contoso.onmicrosoft.com"
        );
        assert_eq!(found[1].value, "api://a");
        assert_eq!(
            &text[found[1].value_span.start..found[1].value_span.end],
            "\"api://a\""
        );
        assert_eq!(found[2].value, "");
    }
}
