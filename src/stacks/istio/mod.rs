//! Istio `RequestAuthentication`: istiod turns each JWT rule into an Envoy `jwt_authn` provider,
//! so failures read as Envoy's. Kubernetes manifests and Helm templates, plain or rendered.
//! Verified behaviour: docs/stacks-verified.md §6.

pub mod extract;
pub mod infer;

use super::{FileInput, Processed, Stack, manifest};
use crate::discover::FileKind;
use crate::model::Framework;

pub static STACK: Stack = Stack {
    id: "istio",
    classify: super::no_files,
    extract,
    frameworks: &[Framework::IstioRequestAuthentication],
    infer: infer::infer,
    from_variables: super::no_variables,
    error_text: crate::stacks::envoy::jwt_authn_errors,
};

fn extract(input: &FileInput, out: &mut Processed) {
    if *input.kind() != FileKind::Yaml || !extract::may_hold(input.text) {
        return;
    }
    let unmistakable = input.text.contains("kind: RequestAuthentication");
    if let Some(documents) = manifest::documents(input, out, unmistakable.then_some("istiod")) {
        out.apps.extend(extract::request_authentications(
            &documents, input.text, input.file,
        ));
    }
}
