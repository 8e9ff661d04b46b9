//! Stage 2: read. Bytes become decoded text, and text becomes a tree that keeps spans.

pub mod csharp;
pub mod dotenv;
pub mod json;
pub mod policy;
pub mod properties;
pub mod xml;
pub mod yaml;

/// Why a file's bytes could not be turned into text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte outside a UTF-16 file: the file is binary.
    Binary,
    /// A UTF-16 file with an unpaired surrogate.
    InvalidUtf16,
    /// UTF-16 without a byte-order mark, which .NET reads as UTF-8 and cannot parse.
    Utf16WithoutBom,
}

/// NUL bytes at every other position from the start: UTF-16 text of ASCII characters.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(256) & !1];
    if sample.len() < 4 {
        return false;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let pairs = sample.len() / 2;
    // Most characters of a configuration file are ASCII: one half all NUL, the other none.
    (zeros_at(1) * 10 >= pairs * 9 && zeros_at(0) == 0)
        || (zeros_at(0) * 10 >= pairs * 9 && zeros_at(1) == 0)
}

/// Decodes a configuration file the way .NET's `StreamReader` does: UTF-8 (with or without BOM)
/// or UTF-16 with a BOM; bytes that are not UTF-8 become U+FFFD, as .NET reads them. The BOM is
/// dropped so that spans index the text a user sees.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let encoding = Encoding::of(bytes);
    let text = &bytes[encoding.bom_len()..];
    match encoding {
        Encoding::Utf8 { bom: true } => utf8(text),
        Encoding::Utf16Le => utf16(text, u16::from_le_bytes),
        Encoding::Utf16Be => utf16(text, u16::from_be_bytes),
        Encoding::Utf8 { bom: false } if bytes.contains(&0) => Err(if looks_like_utf16(bytes) {
            DecodeError::Utf16WithoutBom
        } else {
            DecodeError::Binary
        }),
        Encoding::Utf8 { bom: false } => utf8(text),
    }
}

/// How a file's bytes encode its text, as its byte order mark says (UTF-8 without one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8 { bom: bool },
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn of(bytes: &[u8]) -> Encoding {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            Encoding::Utf8 { bom: true }
        } else if bytes.starts_with(&[0xFF, 0xFE]) {
            Encoding::Utf16Le
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            Encoding::Utf16Be
        } else {
            Encoding::Utf8 { bom: false }
        }
    }

    fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 { bom: true } => 3,
            Encoding::Utf8 { bom: false } => 0,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| DecodeError::InvalidUtf16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
    }

    #[test]
    fn decodes_utf16_both_endians() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"a\":1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("{\"a\":1}".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), "{\"a\":1}");
        assert_eq!(decode(&be).unwrap(), "{\"a\":1}");
    }

    #[test]
    fn rejects_binary_and_replaces_bad_utf8_like_dotnet() {
        assert_eq!(decode(b"\x7fELF\x00\x01"), Err(DecodeError::Binary));
        let no_bom: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&no_bom), Err(DecodeError::Utf16WithoutBom));
        assert_eq!(decode(b"ab\xFFcd").unwrap(), "ab\u{FFFD}cd");
        assert_eq!(
            decode(&[0xFF, 0xFE, 0x00, 0xD8]),
            Err(DecodeError::InvalidUtf16)
        );
    }
}
