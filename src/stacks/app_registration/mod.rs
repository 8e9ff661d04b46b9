//! Entra ID app registration and service principal exports (`az ad app show`, Graph JSON,
//! manifests): facts every stack's rules use (token version, identifier URIs, custom keys).

pub mod export;

use super::{Extracted, FileInput, Processed, Stack};
use crate::discover::FileKind;
use crate::model::Framework;

pub static STACK: Stack = Stack {
    id: "app-registration",
    classify: super::no_files,
    extract,
    frameworks: &[] as &[Framework],
    infer: super::no_framework,
    from_variables: super::no_variables,
    error_text: super::identity_model_errors,
};

fn extract(input: &FileInput, out: &mut Processed) {
    if *input.kind() == FileKind::Json
        && super::json_may_matter(input)
        && let Ok(Some(root)) = input.json()
        && let Some(registrations) = export::extract(root, input.file)
    {
        out.extracted.push(Extracted::Registrations(registrations));
    }
}
