//! Hover on an identity key or value: for every app and environment the setting takes part in,
//! what its framework will use, as `inspect` prints it.

use super::convert;
use crate::infer::Inference;
use crate::model::{App, Setting};
use crate::pipeline::Analysis;
use crate::report::inspect_text::render_app;
use lsp_types as lsp;
use std::path::Path;

/// Words in a key name that make it an identity setting worth explaining.
const IDENTITY_WORDS: &[&str] = &[
    "instance",
    "tenant",
    "authority",
    "metadata",
    "audience",
    "clientid",
    "client_id",
    "issuer",
    "domain",
    "policy",
    "openid",
    "appid",
    "oidc",
];

fn is_identity(setting: &Setting) -> bool {
    let mut names = setting.key.rsplit([':', '.']);
    let mut name = names.next().unwrap_or_default();
    // An array item: the array's name says what it holds.
    if name.bytes().all(|b| b.is_ascii_digit()) {
        name = names.next().unwrap_or_default();
    }
    let name = name.to_ascii_lowercase().replace('-', "");
    IDENTITY_WORDS.iter().any(|w| name.contains(w))
}

/// The setting of `app` written at `offset` of `file` (as key or value), in any layer.
fn setting_at(app: &App, file: crate::source::FileId, offset: usize) -> Option<&Setting> {
    let covers = |setting: &&Setting| {
        setting.file() == file
            && [setting.origin.span, setting.key_span]
                .iter()
                .any(|span| span.start <= offset && offset <= span.end)
    };
    // Every layer's value, including those a later layer replaces, when the app reads its key.
    let layered = (app.config.layered_settings().find(covers)).filter(|found| {
        app.settings()
            .any(|own| own.key.eq_ignore_ascii_case(&found.key))
    });
    layered.or_else(|| app.bound.iter().map(|(_, s)| s).find(covers))
}

pub fn hover(analysis: &Analysis, path: &Path, position: lsp::Position) -> Option<lsp::Hover> {
    let (file_id, file) = (0..analysis.sources.len())
        .map(crate::source::FileId)
        .map(|id| (id, analysis.sources.get(id)))
        .find(|(_, f)| f.path == path)?;
    let offset = convert::offset(&file.text, position);
    let mut blocks = Vec::new();
    let mut range = None;
    for (app, inference) in &analysis.apps {
        let Some(setting) = setting_at(app, file_id, offset).filter(|s| is_identity(s)) else {
            continue;
        };
        range.get_or_insert_with(|| {
            let span = if setting.key_span.start <= offset && offset <= setting.key_span.end {
                setting.key_span
            } else {
                setting.origin.span
            };
            convert::range(
                file,
                crate::source::Location {
                    file: file_id,
                    span,
                },
            )
        });
        blocks.push(block(analysis, app, inference));
    }
    if blocks.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: blocks.join("\n"),
        }),
        range,
    })
}

/// One app's `inspect` block in a fence no value can close.
fn block(analysis: &Analysis, app: &App, inference: &Inference) -> String {
    let text = render_app(&analysis.sources, app, inference);
    let mut fence = "```".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    format!("{fence}text\n{text}{fence}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(key: &str) -> Setting {
        crate::infer::tests_support::setting(key, "")
    }

    #[test]
    fn identity_keys_are_recognised_by_name() {
        for key in [
            "AzureAd:Instance",
            "AzureAd:TenantId",
            "Authentication:Schemes:Bearer:Authority",
            "AzureAd:TokenValidationParameters:ValidAudiences:0",
            "openid-config",
            "oidc_issuer_url",
            "AzureAdB2C:SignUpSignInPolicyId",
        ] {
            assert!(is_identity(&setting(key)), "{key}");
        }
        for key in [
            "Logging:LogLevel:Default",
            "AllowedHosts",
            "AzureAd:CallbackPath",
        ] {
            assert!(!is_identity(&setting(key)), "{key}");
        }
    }
}
