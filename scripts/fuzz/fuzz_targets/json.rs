//! JSON: decoding, the span-keeping reader, and every extractor of JSON files.
#![no_main]

use entralint::stacks::app_registration::export as app_registration;
use entralint::stacks::app_service::settings as app_service;
use entralint::stacks::apim::policy as apim;
use entralint::stacks::dotnet::appsettings;
use entralint::stacks::environment::variables as overrides;
use entralint::model::Layer;
use entralint::read::{decode, json};
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    match json::parse(&text) {
        Ok(Some(root)) => {
            assert!(root.span.end <= text.len());
            let (layer, _) = appsettings::flatten(&root, FileId(0), Layer::Base);
            for setting in &layer.settings {
                assert!(setting.origin.span.end <= text.len());
            }
            app_registration::extract(&root, FileId(0));
            overrides::app_service(&root, FileId(0), "appsettings.json");
            apim::apim_in_arm(&root, &text, FileId(0));
            app_service::app_service_auth(&root, FileId(0));
            apim::named_values_in_arm(&root);
        }
        Ok(None) => {}
        Err(error) => assert!(error.span.end <= text.len()),
    }
});
