//! YAML: compose files, Kubernetes manifests, APIOps configuration.
#![no_main]

use entralint::stacks::apim::policy as gateways;
use entralint::stacks::environment::variables as overrides;
use entralint::read::{decode, yaml};
use entralint::source::FileId;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    match yaml::parse(&text) {
        Ok(documents) => {
            for document in &documents {
                assert!(document.span.end <= text.len());
                overrides::compose(document, FileId(0), Path::new("."), "compose.yaml");
                gateways::named_values_in_configuration(document);
            }
            overrides::kubernetes(&documents, FileId(0), "deploy.yaml");
        }
        Err(error) => assert!(error.span.end <= text.len()),
    }
});
