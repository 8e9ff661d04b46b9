//! oauth2-proxy `.cfg` files.
#![no_main]

use entralint::stacks::oauth2_proxy::options as gateways;
use entralint::read::decode;
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    match gateways::oauth2_proxy_cfg(&text, FileId(0)) {
        Ok(Some(gateway)) => {
            for (_, setting) in &gateway.options {
                assert!(setting.origin.span.end <= text.len());
            }
        }
        Ok(None) => {}
        Err((_, span)) => assert!(span.end <= text.len()),
    }
});
