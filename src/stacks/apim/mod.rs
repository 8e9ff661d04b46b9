//! Azure API Management: `validate-jwt` and `validate-azure-ad-token` policies (policy XML
//! files, policies embedded in ARM templates) and the named values they reference (ARM,
//! APIOps `namedValueInformation.json` and `configuration.<env>.yaml`).

pub mod model;
pub mod policy;

use super::{FileInput, Processed, Stack, invalid_syntax};
use crate::discover::FileKind;
use crate::model::Framework;
use policy::NamedValues;

pub static STACK: Stack = Stack {
    id: "apim",
    classify,
    extract,
    frameworks: &[
        Framework::ApimValidateJwt,
        Framework::ApimValidateAzureAdToken,
    ],
    infer: model::infer,
    from_variables: super::no_variables,
    error_text: super::identity_model_errors,
};

fn classify(_name: &str, lower: &str) -> Option<FileKind> {
    lower.ends_with(".xml").then_some(FileKind::Policy)
}

fn extract(input: &FileInput, out: &mut Processed) {
    match input.kind() {
        FileKind::Policy => {
            let text = input.text;
            if text.contains("validate-jwt") || text.contains("validate-azure-ad-token") {
                out.apps
                    .extend(policy::apim(text, input.file, &|span| span));
            }
        }
        FileKind::Yaml if is_apiops_configuration(&input.lower_name()) => {
            extract_apiops_configuration(input, out)
        }
        FileKind::Json if super::json_may_matter(input) => {
            let Ok(Some(root)) = input.json() else {
                return;
            };
            let name = input.lower_name();
            if name != "namedvalueinformation.json" {
                out.apps
                    .extend(policy::apim_in_arm(root, input.text, input.file));
            }
            let values = if name == "namedvalueinformation.json" {
                let folder = (input.dir().file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                policy::named_value_information(root, &folder)
            } else {
                policy::named_values_in_arm(root)
            };
            if !values.is_empty() {
                out.named_values.push(NamedValues {
                    environment: None,
                    label: name,
                    values,
                });
            }
        }
        _ => {}
    }
}

/// APIOps `configuration.<env>.yaml`: named values per environment.
fn is_apiops_configuration(lower_name: &str) -> bool {
    lower_name.starts_with("configuration.") && lower_name.split('.').count() == 3
}

fn extract_apiops_configuration(input: &FileInput, out: &mut Processed) {
    let name = input.name();
    let environment = name.split('.').nth(1).unwrap_or_default().to_string();
    match input.yaml() {
        Ok(documents) => out.named_values.push(NamedValues {
            environment: Some(environment),
            label: name.to_string(),
            values: documents
                .iter()
                .flat_map(policy::named_values_in_configuration)
                .collect(),
        }),
        Err(error) => out.diagnostics.push(invalid_syntax(
            input,
            error.span,
            format!(
                "{}: the APIOps publisher cannot read this file",
                error.message
            ),
        )),
    }
}
