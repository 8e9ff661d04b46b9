//! Spring Boot `.properties` files.
#![no_main]

use entralint::read::{decode, properties};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    for property in properties::parse(&text) {
        assert!(property.key_span.end <= text.len() && property.value_span.end <= text.len());
        assert!(text.is_char_boundary(property.value_span.start));
    }
});
