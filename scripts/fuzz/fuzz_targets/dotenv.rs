//! `.env` files.
#![no_main]

use entralint::stacks::environment::variables as overrides;
use entralint::read::decode;
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    for variable in overrides::dotenv_file(&text, FileId(0), ".env").variables {
        assert!(variable.origin.span.end <= text.len());
    }
});
