//! App Service, Functions and Container Apps authentication ("Easy Auth"): ARM and Bicep
//! output, `auth.json`, `az webapp auth show`.

pub mod model;
pub mod settings;

use super::{FileInput, Processed, Stack};
use crate::discover::FileKind;
use crate::model::Framework;

pub static STACK: Stack = Stack {
    id: "app-service",
    classify: super::no_files,
    extract,
    frameworks: &[Framework::AppServiceAuth],
    infer: model::infer,
    from_variables: super::no_variables,
    error_text: super::identity_model_errors,
};

fn extract(input: &FileInput, out: &mut Processed) {
    if *input.kind() == FileKind::Json
        && super::json_may_matter(input)
        && let Ok(Some(root)) = input.json()
    {
        out.apps
            .extend(settings::app_service_auth(root, input.file));
    }
}
