//! `inspect --format json`: the stable contract of design.md.

use crate::domain::secrets::masked_value;
use crate::infer::Inference;
use crate::model::App;
use crate::source::SourceMap;
use serde_json::{Value, json};

pub fn render(sources: &SourceMap, apps: &[(App, Inference)]) -> String {
    let items: Vec<Value> = apps
        .iter()
        .map(|(app, inference)| {
            json!({
                "file": sources.get(app.file).display,
                "section": app.section,
                "environment": app.environment,
                "stack": crate::stacks::stack_of(app.framework).id,
                "framework": app.framework.id(),
                "role": app.role.id(),
                "family": inference.family.id(),
                "cloud": inference.cloud.id(),
                "tenant": inference.tenant,
                "policy": inference.policy,
                "authority": inference.authority.as_deref().map(masked_value),
                "metadata_address": inference.metadata_address.as_deref().map(masked_value),
                "jwks_uri": inference.jwks_uri.as_deref().map(masked_value),
                "issuers": inference.issuers.iter().map(|i| masked_value(i)).collect::<Vec<_>>(),
                "audiences": inference.audiences.iter().map(|a| masked_value(a)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "version": super::json::VERSION, "apps": items }))
            .unwrap_or_default();
    text.push('\n');
    super::json_guarded(text)
}
