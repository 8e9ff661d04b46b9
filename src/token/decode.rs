//! Reads the token the user handed over: trims it, drops a `Bearer ` prefix, and decodes a
//! signed JWT (JWS compact form) into its header and claims. The signature bytes are kept only
//! to verify them, in a type that cannot be printed. Error messages never repeat the input.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};
use std::fmt;

/// Longer than any Entra token (group overage keeps them under a few kilobytes), short enough
/// that a wrong file (a log, an archive) is refused before it is held in memory.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// A decoded JWS. `Debug` is written by hand so that no formatting shows the signature.
pub struct Jws {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `base64url(header) "." base64url(claims)`: what the signature covers.
    signing_input: String,
    signature: Vec<u8>,
}

impl Jws {
    pub fn signing_input(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// A string header parameter (`alg`, `kid`, `x5t`).
    pub fn header_text(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }
}

impl fmt::Debug for Jws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

/// Why the input is not a token entralint can read. The messages describe the shape only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    TooLarge,
    NotText,
    Encrypted,
    Saml,
    Parts(usize),
    NotBase64(&'static str),
    NotJsonObject(&'static str),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHAPE: &str = "a JWT access token is three base64url parts separated by dots (header.claims.signature)";
        match self {
            DecodeError::Empty => write!(f, "no token was given: {SHAPE}"),
            DecodeError::TooLarge => write!(
                f,
                "the input is larger than {} KiB, more than any access token: was the right file given?",
                MAX_TOKEN_BYTES / 1024
            ),
            DecodeError::NotText => write!(f, "the input is not text: {SHAPE}"),
            DecodeError::Encrypted => write!(
                f,
                "the token is encrypted (a JWE, five parts): only the app holding the decryption key can read its claims, so it cannot be judged offline; give the token as the API receives it after decryption, or a signed (JWS) token"
            ),
            DecodeError::Saml => write!(
                f,
                "the token is a SAML assertion, not a JWT: entralint judges JWT access tokens (OAuth 2.0 bearer tokens from Entra ID, B2C or External ID)"
            ),
            DecodeError::Parts(n) => write!(f, "the input has {n} dot-separated part(s): {SHAPE}"),
            DecodeError::NotBase64(part) => {
                write!(f, "the token's {part} is not base64url-encoded: {SHAPE}")
            }
            DecodeError::NotJsonObject(part) => {
                write!(
                    f,
                    "the token's {part} does not decode to a JSON object: {SHAPE}"
                )
            }
        }
    }
}

/// Decodes `input` (what the file or standard input held).
pub fn decode(input: &[u8]) -> Result<Jws, DecodeError> {
    if input.len() > MAX_TOKEN_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let text = std::str::from_utf8(input).map_err(|_| DecodeError::NotText)?;
    let text = strip_bearer(text.trim()).trim();
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    if looks_like_saml(text) {
        return Err(DecodeError::Saml);
    }
    let parts: Vec<&str> = text.split('.').collect();
    match parts.len() {
        3 => {}
        5 => return Err(DecodeError::Encrypted),
        n => return Err(DecodeError::Parts(n)),
    }
    let header = json_object(parts[0], "header")?;
    // A JWE header names its content encryption; a compact JWE has five parts, but a
    // truncated copy still says what it is.
    if header.contains_key("enc") {
        return Err(DecodeError::Encrypted);
    }
    let claims = json_object(parts[1], "claims")?;
    let signature = base64url(parts[2]).ok_or(DecodeError::NotBase64("signature"))?;
    Ok(Jws {
        header,
        claims,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature,
    })
}

/// `Authorization` header values are copied with their scheme; the scheme is case-insensitive.
fn strip_bearer(text: &str) -> &str {
    match (text.get(..6), text.get(6..)) {
        (Some(scheme), Some(rest))
            if scheme.eq_ignore_ascii_case("bearer")
                && (rest.is_empty() || rest.starts_with(char::is_whitespace)) =>
        {
            rest
        }
        _ => text,
    }
}

/// An XML assertion, as written or base64-encoded (the SAML bearer grant's form).
fn looks_like_saml(text: &str) -> bool {
    if text.starts_with('<') {
        return true;
    }
    !text.contains('.')
        && STANDARD
            .decode(text.as_bytes())
            .is_ok_and(|bytes| bytes.trim_ascii_start().starts_with(b"<"))
}

/// base64url without padding, as JWS requires; trailing `=` some tools add is tolerated.
fn base64url(part: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('=').as_bytes())
        .ok()
}

fn json_object(part: &str, name: &'static str) -> Result<Map<String, Value>, DecodeError> {
    let bytes = base64url(part).ok_or(DecodeError::NotBase64(name))?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(DecodeError::NotJsonObject(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &str) -> String {
        URL_SAFE_NO_PAD.encode(value.as_bytes())
    }

    fn token(header: &str, claims: &str, signature: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            encode(header),
            encode(claims),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }

    #[test]
    fn decodes_a_jws_with_bearer_prefix_and_whitespace() {
        let raw = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"aud":"a"}"#, b"sig");
        for input in [
            raw.clone(),
            format!("  Bearer {raw}\n"),
            format!("bearer {raw}"),
        ] {
            let jws = decode(input.as_bytes()).unwrap();
            assert_eq!(jws.header_text("kid"), Some("k1"));
            assert_eq!(jws.claims["aud"], "a");
            assert_eq!(jws.signature(), b"sig");
            let (input_header, input_claims) =
                raw.rsplit_once('.').unwrap().0.split_once('.').unwrap();
            assert_eq!(
                jws.signing_input(),
                format!("{input_header}.{input_claims}").as_bytes()
            );
        }
    }

    #[test]
    fn refuses_jwe_saml_and_malformed_input() {
        assert_eq!(decode(b"a.b.c.d.e").unwrap_err(), DecodeError::Encrypted);
        let jwe_header = token(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#, "{}", b"");
        assert_eq!(
            decode(jwe_header.as_bytes()).unwrap_err(),
            DecodeError::Encrypted
        );
        assert_eq!(decode(b"<saml:Assertion/>").unwrap_err(), DecodeError::Saml);
        let encoded_saml =
            STANDARD.encode("<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>");
        assert_eq!(
            decode(encoded_saml.as_bytes()).unwrap_err(),
            DecodeError::Saml
        );
        assert_eq!(decode(b"  \n").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"Bearer ").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"abc.def").unwrap_err(), DecodeError::Parts(2));
        assert_eq!(
            decode(b"a*b.c.d").unwrap_err(),
            DecodeError::NotBase64("header")
        );
        let not_object = format!("{}.{}.", encode("[1]"), encode("{}"));
        assert_eq!(
            decode(not_object.as_bytes()).unwrap_err(),
            DecodeError::NotJsonObject("header")
        );
        assert_eq!(decode(&[0xff, 0xfe]).unwrap_err(), DecodeError::NotText);
        assert_eq!(
            decode(&vec![b'a'; MAX_TOKEN_BYTES + 1]).unwrap_err(),
            DecodeError::TooLarge
        );
    }

    proptest::proptest! {
        /// Whatever the input, decoding ends with a token or a message that repeats none of it.
        #[test]
        fn any_input_decodes_or_is_refused_without_echo(
            input in "(Bearer )?[A-Za-z0-9_<>=.-]{0,40}(\\.[A-Za-z0-9_-]{12,40}){0,5}"
        ) {
            if let Err(error) = decode(input.as_bytes()) {
                let message = error.to_string();
                for part in input.split('.').filter(|p| p.len() >= 12) {
                    proptest::prop_assert!(!message.contains(part), "{message}");
                }
            }
        }
    }

    #[test]
    fn debug_output_leaves_the_signature_out() {
        let jws = decode(token(r#"{"alg":"RS256"}"#, "{}", b"SECRETSIG").as_bytes()).unwrap();
        let shown = format!("{jws:?}");
        assert!(
            !shown.contains("SECRETSIG") && !shown.contains(&URL_SAFE_NO_PAD.encode(b"SECRETSIG"))
        );
    }
}
