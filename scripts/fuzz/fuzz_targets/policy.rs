//! API Management policies: the tolerant reader and the validate-jwt extractor.
#![no_main]

use entralint::stacks::apim::policy as gateways;
use entralint::read::decode;
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    for gateway in gateways::apim(&text, FileId(0), &|span| span) {
        for (_, setting) in &gateway.options {
            assert!(setting.origin.span.end <= text.len());
            assert!(text.is_char_boundary(setting.origin.span.start));
        }
    }
});
