//! C# startup code: the lexer and the evaluator of authentication calls.
#![no_main]

use entralint::extract::startup_code::{CodeFile, code_apps};
use entralint::read::{csharp, decode};
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    let tokens = csharp::tokenize(&text);
    for token in &tokens {
        assert!(token.span.end <= text.len());
    }
    let file = CodeFile::new(FileId(0), tokens, text.contains("IAppBuilder"));
    // As a project with a call is assembled: files without calls are read again.
    let file = if file.makes_calls { file } else { file.reread(&text) };
    code_apps(&[&file]);
});
