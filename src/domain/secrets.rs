//! Secret values found by the shape of the text, whatever the file's format and whether or not
//! it parses: the value after a secret-looking key on the same line (`"ClientSecret": "..."`,
//! `client_secret = ...`, `ClientSecret = "..."` in C#, `key="ida:AppKey" value="..."`),
//! connection-string parts (`Password=...;`), and the keys of an API Management policy's
//! `<issuer-signing-keys>` and `<decryption-keys>`. Used only to mask snippets: what a rule
//! reports as a secret is decided by the parsed settings.

use crate::source::Span;

/// Key names (the last segment, any case) whose values are masked, besides any ending in
/// `secret`: passwords, account and access keys, API keys, certificate contents.
const MASKED_NAMES: &[&str] = &[
    "appkey",
    "password",
    "pwd",
    "certificatepassword",
    "accountkey",
    "sharedaccesskey",
    "apikey",
    "api_key",
    "api-key",
    "base64value",
    "privatekey",
    "private_key",
];

/// Elements of an API Management policy whose `<key>` children are signing or decryption keys.
const KEY_LISTS: &[&str] = &["issuer-signing-keys", "decryption-keys"];

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'$')
}

/// A key whose value is masked: its last segment (after `:`, `__` or `.`) ends with `secret`
/// or is one of [`MASKED_NAMES`].
pub fn is_masked_key(key: &str) -> bool {
    let name = key
        .rsplit([':', '.'])
        .next()
        .unwrap_or(key)
        .rsplit("__")
        .next()
        .unwrap_or(key);
    let name = name
        .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
        .as_bytes();
    // Without allocating: this runs for every key of every file.
    let secret = b"secret";
    (name.len() >= secret.len() && name[name.len() - secret.len()..].eq_ignore_ascii_case(secret))
        || MASKED_NAMES
            .iter()
            .any(|masked| masked.as_bytes().eq_ignore_ascii_case(name))
}

/// `text` (a value `inspect` and hovers show: an address, an issuer) with secret values
/// masked by their shape, as snippets are (`?client_secret=****`).
pub fn masked_value(text: &str) -> String {
    crate::source::masked(text, &masked_spans(text))
}

/// The spans of secret values in `text`, in order, by shape alone.
pub fn masked_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        values_after_keys(bytes, line_start, line_start + line.len(), &mut spans);
        line_start += line.len();
    }
    key_list_contents(text, &mut spans);
    spans.sort();
    spans
}

/// Values after a masked key on the line `bytes[start..end]`: `key: value`, `key = value`,
/// `"key": "value"`, and an attribute `="masked key"` followed by `value="..."`.
fn values_after_keys(bytes: &[u8], start: usize, end: usize, spans: &mut Vec<Span>) {
    let mut at = start;
    while at < end {
        let b = bytes[at];
        if !(b == b'=' || b == b':') {
            at += 1;
            continue;
        }
        // The name just before the separator, past a closing quote and blanks.
        let mut name_end = at;
        while name_end > start && matches!(bytes[name_end - 1], b' ' | b'\t') {
            name_end -= 1;
        }
        if name_end > start && matches!(bytes[name_end - 1], b'"' | b'\'') {
            name_end -= 1;
        }
        let mut name_start = name_end;
        while name_start > start && is_name_byte(bytes[name_start - 1]) {
            name_start -= 1;
        }
        // `a:b:ClientSecret` in one token: the separator is inside the name, not after it.
        let inside_name = b == b':' && at + 1 < end && is_name_byte(bytes[at + 1]);
        let name = std::str::from_utf8(&bytes[name_start..name_end]).unwrap_or_default();
        if !inside_name && !name.is_empty() && is_masked_key(name) {
            if let Some(span) = value_at(bytes, at + 1, end) {
                spans.push(span);
                at = span.end.max(at + 1);
                continue;
            }
        } else if b == b'=' && name.eq_ignore_ascii_case("key") {
            // `key="ida:ClientSecret" value="..."`: the named attribute's value.
            let value = value_at(bytes, at + 1, end).and_then(|key| {
                let quoted = std::str::from_utf8(&bytes[key.start..key.end]).unwrap_or_default();
                if !is_masked_key(quoted) {
                    return None;
                }
                let offset = find_ascii_case(&bytes[key.end..end], b"value=")?;
                value_at(bytes, key.end + offset + 6, end)
            });
            if let Some(span) = value {
                spans.push(span);
                at = span.end.max(at + 1);
                continue;
            }
        }
        at += 1;
    }
}

/// The value starting at `from` (after blanks): a quoted string's contents (to its closing
/// quote or the line's end), or a bare word up to a delimiter.
fn value_at(bytes: &[u8], from: usize, end: usize) -> Option<Span> {
    let mut at = from;
    while at < end && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    let quote = *bytes.get(at).filter(|_| at < end)?;
    let span = if matches!(quote, b'"' | b'\'') {
        let open = at + 1;
        let mut close = open;
        while close < end && bytes[close] != quote && bytes[close] != b'\n' {
            close += if bytes[close] == b'\\' { 2 } else { 1 };
        }
        Span::new(open, close.min(end))
    } else {
        let mut close = at;
        while close < end
            && !matches!(
                bytes[close],
                b'\n'
                    | b'\r'
                    | b' '
                    | b'\t'
                    | b';'
                    | b','
                    | b'<'
                    | b'}'
                    | b']'
                    | b')'
                    | b'"'
                    | b'\''
            )
        {
            close += 1;
        }
        Span::new(at, close)
    };
    (span.end > span.start).then_some(span)
}

fn find_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The contents of each `<key>` inside `<issuer-signing-keys>` and `<decryption-keys>`.
fn key_list_contents(text: &str, spans: &mut Vec<Span>) {
    for list in KEY_LISTS {
        let open = format!("<{list}");
        let close = format!("</{list}");
        let mut from = 0;
        while let Some(found) = text[from..].find(&open) {
            let start = from + found + open.len();
            let end = text[start..].find(&close).map_or(text.len(), |i| start + i);
            let mut inner = start;
            while let Some(key) = text[inner..end].find("<key") {
                let Some(tag_end) = text[inner + key..end].find('>') else {
                    break;
                };
                let content = inner + key + tag_end + 1;
                let content_end = text[content..end].find('<').map_or(end, |i| content + i);
                if text[inner + key..content].ends_with("/>") {
                    inner = content;
                    continue;
                }
                if content_end > content {
                    spans.push(Span::new(content, content_end));
                }
                inner = content_end;
            }
            from = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_shown_alone_mask_secret_query_parameters() {
        assert_eq!(
            masked_value(
                "https://h/t/v2.0/.well-known/openid-configuration?client_secret=Sup3rS3cret&appid=a"
            ),
            "https://h/t/v2.0/.well-known/openid-configuration?client_secret=*******************"
        );
        assert_eq!(masked_value("https://h/t/v2.0"), "https://h/t/v2.0");
    }

    fn masked(text: &str) -> Vec<&str> {
        masked_spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn values_after_secret_keys_in_any_syntax() {
        assert_eq!(
            masked(r#"{"AzureAd": {"ClientSecret": "s1", "ClientId": "c" "#),
            ["s1"]
        );
        assert_eq!(
            masked("client_secret = \"s2\"\ncookie_secret=s3\n"),
            ["s2", "s3"]
        );
        assert_eq!(masked("  o.ClientSecret = \"s4\";"), ["s4"]);
        assert_eq!(masked(r#"<add key="ida:AppKey" value="s5" />"#), ["s5"]);
        assert_eq!(masked("AzureAd__ClientSecret: s6\n"), ["s6"]);
        assert_eq!(masked(r#""AzureAd:ClientSecret": "s7""#), ["s7"]);
    }

    #[test]
    fn connection_strings_certificates_and_api_keys() {
        assert_eq!(
            masked(r#""Db": "Server=s;Password=p1;Pwd=p2;AccountKey=k1==;SharedAccessKey=k2=""#),
            ["p1", "p2", "k1==", "k2="]
        );
        assert_eq!(
            masked(r#""Base64Value": "QUJD", "CertificatePassword": "p3", "ApiKey": "k3""#),
            ["QUJD", "p3", "k3"]
        );
    }

    #[test]
    fn apim_signing_and_decryption_keys() {
        let policy = "<issuer-signing-keys><key>AAA</key><key certificate-id=\"c\" /></issuer-signing-keys>\n<decryption-keys>\n<key>BBB</key>\n</decryption-keys><audiences><audience>x</audience></audiences>";
        assert_eq!(masked(policy), ["AAA", "BBB"]);
    }

    #[test]
    fn ordinary_settings_are_not_masked() {
        assert!(masked(r#"{"Instance": "https://login.microsoftonline.com/", "ResetPasswordPolicyId": "B2C_1_reset", "ClientSecretId": "x"}"#).is_empty());
        assert!(masked("https://host:443/path?a=b").is_empty());
    }
}
