//! C# startup code: the lexer and the evaluator of authentication calls, whose values stay
//! within its budget (expressions and literal bytes per call) whatever the code refers to.
#![no_main]

use entralint::stacks::dotnet::startup_code::{CodeFile, MAX_VALUE_BYTES, MAX_WORK, code_apps};
use entralint::read::{csharp, decode};
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    let tokens = csharp::tokenize(&text);
    for token in &tokens {
        assert!(token.span.end <= text.len());
    }
    let token_count = tokens.len();
    let file = CodeFile::new(FileId(0), tokens, text.contains("IAppBuilder"));
    // As a project with a call is assembled: files without calls are read again.
    let file = if file.makes_calls { file } else { file.reread(&text) };
    for app in code_apps(&[&file]) {
        let (leaves, bytes) = app
            .options
            .iter()
            .map(|(_, value)| value.footprint())
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        // Each leaf comes from an evaluated expression (or the text beside an interpolation
        // hole); once the budget is spent, each pending operand adds one unknown leaf.
        assert!(leaves <= 2 * (MAX_WORK + token_count), "{leaves} leaves");
        assert!(bytes <= MAX_VALUE_BYTES, "{bytes} bytes of literals");
    }
});
