//! Saved signing-key documents (`--keys`): a JWKS (`{"keys": [...]}`) or an OpenID
//! configuration, which only names where the keys are. Finds the token's key by `kid` (and
//! `x5t`) and verifies an RS256 signature with the `rsa` crate.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::sha2::Sha256;
use rsa::signature::Verifier;
use rsa::{BoxedUint, PublicKey};
use serde_json::Value;

use super::decode::Jws;

/// A saved document larger than this is not a key set (Entra's hold a handful of keys).
pub const MAX_KEYS_BYTES: usize = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Key {
    pub kid: Option<String>,
    pub x5t: Option<String>,
    pub kty: Option<String>,
    /// RSA modulus and exponent, big-endian.
    modulus: Option<Vec<u8>>,
    exponent: Option<Vec<u8>>,
}

/// One `--keys` file, read.
#[derive(Clone, Debug)]
pub enum KeyDocument {
    Jwks {
        file: String,
        keys: Vec<Key>,
    },
    /// An OpenID configuration: its `jwks_uri` says where the keys are, but holds none.
    OpenIdConfiguration {
        file: String,
        jwks_uri: Option<String>,
        issuer: Option<String>,
    },
}

/// Parses a saved document; `file` is how to name it in messages.
pub fn parse(file: &str, text: &str) -> Result<KeyDocument, String> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!("{file}: not a JSON document ({e}): save the JWKS the app's jwks_uri returns")
    })?;
    let Value::Object(map) = value else {
        return Err(format!(
            "{file}: not a JSON object: save the JWKS the app's jwks_uri returns"
        ));
    };
    if let Some(keys) = map.get("keys") {
        let Value::Array(keys) = keys else {
            return Err(format!("{file}: `keys` is not an array"));
        };
        return Ok(KeyDocument::Jwks {
            file: file.to_string(),
            keys: keys.iter().filter_map(key).collect(),
        });
    }
    if map.contains_key("jwks_uri") || map.contains_key("issuer") {
        let field = |name: &str| map.get(name).and_then(Value::as_str).map(str::to_string);
        return Ok(KeyDocument::OpenIdConfiguration {
            file: file.to_string(),
            jwks_uri: field("jwks_uri"),
            issuer: field("issuer"),
        });
    }
    Err(format!(
        "{file}: neither a JWKS (`keys`) nor an OpenID configuration (`jwks_uri`): save the document the app's jwks_uri returns"
    ))
}

fn key(value: &Value) -> Option<Key> {
    let map = value.as_object()?;
    let field = |name: &str| map.get(name).and_then(Value::as_str).map(str::to_string);
    let bytes = |name: &str| {
        map.get(name)
            .and_then(Value::as_str)
            .and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok())
    };
    Some(Key {
        kid: field("kid"),
        x5t: field("x5t"),
        kty: field("kty"),
        modulus: bytes("n"),
        exponent: bytes("e"),
    })
}

impl KeyDocument {
    pub fn file(&self) -> &str {
        match self {
            KeyDocument::Jwks { file, .. } | KeyDocument::OpenIdConfiguration { file, .. } => file,
        }
    }

    /// What a user must know about a document that holds no keys.
    pub fn note(&self) -> Option<String> {
        match self {
            KeyDocument::OpenIdConfiguration { file, jwks_uri, .. } => Some(format!(
                "{file} is an OpenID configuration: it says where the signing keys are ({}) but holds none, so the signature is not checked against it; save the document at that address (a browser or `curl` on a machine with access) and give that file to --keys",
                jwks_uri.as_deref().unwrap_or("its jwks_uri")
            )),
            KeyDocument::Jwks { file, keys } if keys.is_empty() => {
                Some(format!("{file} is a JWKS with no keys"))
            }
            KeyDocument::Jwks { .. } => None,
        }
    }
}

impl KeyDocument {
    /// An OpenID configuration names the issuer its tokens carry (`{tenantid}` for
    /// common/organizations): a token with another issuer is refused by apps that load it.
    pub fn issuer_note(&self, issuer: Option<&str>, tenant: Option<&str>) -> Option<String> {
        let KeyDocument::OpenIdConfiguration {
            file,
            issuer: Some(stated),
            ..
        } = self
        else {
            return None;
        };
        let expected = match tenant {
            Some(tenant) => stated.replace("{tenantid}", tenant),
            None => stated.clone(),
        };
        let actual = issuer.unwrap_or("(none)");
        (expected != actual).then(|| {
            format!(
                "{file} states the issuer '{stated}', and the token's is '{actual}': an app that loads this configuration refuses the token (IDX10205 / IDX40001)"
            )
        })
    }
}

/// What the saved keys say about the token's signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureCheck {
    /// No key set was given (OpenID configurations hold none).
    NotChecked,
    Verified {
        key: String,
        file: String,
    },
    /// A key with the token's `kid` exists, and the signature does not verify with it.
    Failed {
        key: String,
        file: String,
    },
    /// No saved key has the token's `kid` / `x5t`.
    KeyAbsent {
        kid: Option<String>,
        x5t: Option<String>,
        searched: usize,
    },
    /// The token's `alg` is not RS256, the algorithm Entra ID, B2C and External ID sign with.
    Unsupported {
        alg: String,
    },
}

/// Finds the token's key among the JWKS documents and verifies the signature with it.
pub fn check(jws: &Jws, documents: &[KeyDocument]) -> SignatureCheck {
    let sets: Vec<(&str, &[Key])> = documents
        .iter()
        .filter_map(|d| match d {
            KeyDocument::Jwks { file, keys } => Some((file.as_str(), keys.as_slice())),
            KeyDocument::OpenIdConfiguration { .. } => None,
        })
        .collect();
    if sets.is_empty() {
        return SignatureCheck::NotChecked;
    }
    let alg = jws.header_text("alg").unwrap_or("(none)");
    if alg != "RS256" {
        return SignatureCheck::Unsupported {
            alg: alg.to_string(),
        };
    }
    let kid = jws.header_text("kid");
    let x5t = jws.header_text("x5t");
    // IdentityModel matches `kid`, then `x5t`; a token naming neither is tried with every key.
    let candidates: Vec<(&str, &Key)> = sets
        .iter()
        .flat_map(|(file, keys)| keys.iter().map(move |k| (*file, k)))
        .filter(|(_, k)| match (kid, x5t) {
            (Some(kid), _) if k.kid.as_deref() == Some(kid) => true,
            (_, Some(x5t)) => k.x5t.as_deref() == Some(x5t) || k.kid.as_deref() == Some(x5t),
            (None, None) => true,
            _ => false,
        })
        .collect();
    let Some((first_file, first_key)) = candidates.first() else {
        return SignatureCheck::KeyAbsent {
            kid: kid.map(str::to_string),
            x5t: x5t.map(str::to_string),
            searched: sets.iter().map(|(_, keys)| keys.len()).sum(),
        };
    };
    let name = |key: &Key| {
        key.kid
            .clone()
            .or_else(|| key.x5t.clone())
            .unwrap_or_else(|| "(no kid)".to_string())
    };
    for (file, key) in &candidates {
        if verifies(key, jws.signing_input(), jws.signature()) {
            return SignatureCheck::Verified {
                key: name(key),
                file: file.to_string(),
            };
        }
    }
    SignatureCheck::Failed {
        key: name(first_key),
        file: first_file.to_string(),
    }
}

fn verifies(key: &Key, message: &[u8], signature: &[u8]) -> bool {
    if key.kty.as_deref().is_some_and(|k| k != "RSA") {
        return false;
    }
    let (Some(n), Some(e)) = (&key.modulus, &key.exponent) else {
        return false;
    };
    let Ok(public) = PublicKey::new(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
    ) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(public)
        .verify(message, &signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::decode::decode;
    use rsa::PrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use rsa::traits::PublicKeyParts;

    fn private_key() -> PrivateKey {
        PrivateKey::from_pkcs8_pem(include_str!("../../fixtures/token-keys/signing-key.pem"))
            .unwrap()
    }

    fn signed(header: &str, key: &PrivateKey) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(r#"{"aud":"a"}"#)
        );
        let signature =
            rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    fn token(header: &str, key: &PrivateKey) -> Jws {
        decode(signed(header, key).as_bytes()).unwrap()
    }

    fn jwks(key: &PrivateKey, entries: &[(&str, &str)]) -> Vec<KeyDocument> {
        let public = key.to_public_key();
        let keys: Vec<Value> = entries
            .iter()
            .map(|(kid, x5t)| {
                serde_json::json!({"kty": "RSA", "kid": kid, "x5t": x5t,
                    "n": URL_SAFE_NO_PAD.encode(public.n_bytes()),
                    "e": URL_SAFE_NO_PAD.encode(public.e_bytes())})
            })
            .collect();
        let text = serde_json::json!({ "keys": keys }).to_string();
        vec![parse("keys.json", &text).unwrap()]
    }

    #[test]
    fn finds_the_key_by_kid_then_x5t_and_verifies() {
        let key = private_key();
        let documents = jwks(&key, &[("other", "other"), ("k1", "t1")]);
        let verified = |key: &str| SignatureCheck::Verified {
            key: key.to_string(),
            file: "keys.json".to_string(),
        };
        assert_eq!(
            check(&token(r#"{"alg":"RS256","kid":"k1"}"#, &key), &documents),
            verified("k1")
        );
        assert_eq!(
            check(&token(r#"{"alg":"RS256","x5t":"t1"}"#, &key), &documents),
            verified("k1")
        );
        // A token naming no key is tried with every key, as IdentityModel does.
        assert_eq!(
            check(&token(r#"{"alg":"RS256"}"#, &key), &documents),
            verified("other")
        );
        assert_eq!(
            check(
                &token(r#"{"alg":"RS256","kid":"gone","x5t":"gone"}"#, &key),
                &documents
            ),
            SignatureCheck::KeyAbsent {
                kid: Some("gone".into()),
                x5t: Some("gone".into()),
                searched: 2
            }
        );
        assert_eq!(
            check(&token(r#"{"alg":"HS256","kid":"k1"}"#, &key), &documents),
            SignatureCheck::Unsupported {
                alg: "HS256".into()
            }
        );
        assert_eq!(
            check(&token(r#"{"alg":"RS256","kid":"k1"}"#, &key), &[]),
            SignatureCheck::NotChecked
        );
    }

    #[test]
    fn a_tampered_token_fails() {
        let key = private_key();
        let documents = jwks(&key, &[("k1", "k1")]);
        let good = signed(r#"{"alg":"RS256","kid":"k1"}"#, &key);
        let claims = good.split('.').nth(1).unwrap();
        let forged = good.replace(claims, &URL_SAFE_NO_PAD.encode(r#"{"aud":"b"}"#));
        let tampered = decode(forged.as_bytes()).unwrap();
        assert_eq!(
            check(&tampered, &documents),
            SignatureCheck::Failed {
                key: "k1".into(),
                file: "keys.json".into()
            }
        );
    }

    #[test]
    fn tells_jwks_from_openid_configuration() {
        let jwks = parse(
            "k.json",
            r#"{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB"}]}"#,
        )
        .unwrap();
        assert!(
            matches!(&jwks, KeyDocument::Jwks { keys, .. } if keys[0].kid.as_deref() == Some("a"))
        );
        assert_eq!(jwks.note(), None);
        let config = parse(
            "c.json",
            r#"{"issuer":"https://login.microsoftonline.com/t/v2.0","jwks_uri":"https://login.microsoftonline.com/t/discovery/v2.0/keys"}"#,
        )
        .unwrap();
        let note = config.note().unwrap();
        assert!(
            note.contains("holds none")
                && note.contains("https://login.microsoftonline.com/t/discovery/v2.0/keys"),
            "{note}"
        );
        assert!(
            parse("x.json", "[]")
                .unwrap_err()
                .contains("x.json: not a JSON object")
        );
        assert!(
            parse("x.json", r#"{"a":1}"#)
                .unwrap_err()
                .contains("neither a JWKS")
        );
        assert!(parse("x.json", "{").is_err());
    }
}
