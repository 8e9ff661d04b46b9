//! web.config XML: the reader, `<appSettings>` and transforms.
#![no_main]

use entralint::stacks::dotnet::web_config;
use entralint::model::Layer;
use entralint::read::{decode, xml};
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    match xml::parse(&text) {
        Ok(Some(root)) => {
            assert!(root.span.end <= text.len());
            web_config::extract_app_settings(&root, FileId(0), &Layer::Base);
            web_config::extract_transforms(&root, FileId(0), &Layer::Environment("Release".into()));
        }
        Ok(None) => {}
        Err(error) => assert!(error.span.end <= text.len()),
    }
});
