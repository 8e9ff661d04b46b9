//! Flattens a JSON configuration file into .NET configuration keys (`Section:Key`, arrays as
//! `Key:0`), keeping the span of every key and value.

use crate::diagnostic::Diagnostic;
use crate::model::{ConfigLayer, Layer, Setting, normalise_key};
use crate::read::json::{JsonNode, JsonValue};
use crate::rules::invalid_syntax;
use crate::source::{FileId, Location, Span};
use std::collections::HashSet;

pub fn flatten(root: &JsonNode, file: FileId, layer: Layer) -> (ConfigLayer, Vec<Diagnostic>) {
    let mut out = Flattener {
        file,
        layer: layer.clone(),
        settings: Vec::new(),
        sections: Vec::new(),
        seen: HashSet::new(),
        diagnostics: Vec::new(),
    };
    if let JsonValue::Object(members) = &root.value {
        for member in members {
            out.visit(member.key.clone(), member.key_span, &member.value);
        }
    }
    (
        ConfigLayer {
            layer,
            file,
            settings: out.settings,
            section_keys: out.sections,
        },
        out.diagnostics,
    )
}

struct Flattener {
    file: FileId,
    layer: Layer,
    settings: Vec<Setting>,
    sections: Vec<(String, Location)>,
    seen: HashSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Flattener {
    fn location(&self, span: Span) -> Location {
        Location {
            file: self.file,
            span,
        }
    }

    fn visit(&mut self, key: String, key_span: Span, node: &JsonNode) {
        match &node.value {
            JsonValue::Object(members) => {
                self.sections
                    .push((normalise_key(&key), self.location(key_span)));
                for member in members {
                    self.visit(
                        format!("{key}:{}", member.key),
                        member.key_span,
                        &member.value,
                    );
                }
            }
            JsonValue::Array(items) => {
                self.sections
                    .push((normalise_key(&key), self.location(key_span)));
                for (i, item) in items.iter().enumerate() {
                    self.visit(format!("{key}:{i}"), item.span, item);
                }
            }
            JsonValue::String(text) => self.push(key, key_span, node.span, text.clone(), true),
            JsonValue::Scalar(text) => self.push(key, key_span, node.span, text.clone(), false),
            JsonValue::Null => self.push(key, key_span, node.span, String::new(), false),
        }
    }

    fn push(&mut self, key: String, key_span: Span, span: Span, value: String, is_string: bool) {
        // .NET's JSON configuration provider refuses a file whose keys repeat (ignoring case).
        if !self.seen.insert(normalise_key(&key)) {
            self.diagnostics.push(
                invalid_syntax::RULE
                    .diagnostic(
                        self.location(key_span),
                        format!("A duplicate key '{key}' was found: .NET refuses to load this file (FormatException at startup)"),
                    )
                    .with_key(key.clone())
                    .with_help("remove one of the two entries; keys are compared without regard to case"),
            );
            return;
        }
        self.settings.push(Setting {
            key,
            value,
            origin: self.location(span),
            key_span,
            layer: self.layer.clone(),
            is_string,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::json::parse;

    fn flat(text: &str) -> (ConfigLayer, Vec<Diagnostic>) {
        flatten(&parse(text).unwrap().unwrap(), FileId(0), Layer::Base)
    }

    #[test]
    fn keys_follow_dotnet_configuration_paths() {
        let (layer, diagnostics) = flat(
            r#"{"AzureAd": {"Instance": "https://x/", "Audiences": ["a", "b"], "Flag": false, "N": null}}"#,
        );
        let keys: Vec<&str> = layer.settings.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "AzureAd:Instance",
                "AzureAd:Audiences:0",
                "AzureAd:Audiences:1",
                "AzureAd:Flag",
                "AzureAd:N"
            ]
        );
        assert_eq!(layer.settings[3].value, "false");
        assert!(!layer.settings[3].is_string);
        assert!(diagnostics.is_empty());
        assert_eq!(layer.section_keys[0].0, "azuread");
    }

    #[test]
    fn duplicate_keys_are_reported_like_dotnet_does() {
        let (layer, diagnostics) = flat(r#"{"AzureAd": {"ClientId": "a", "clientid": "b"}}"#);
        assert_eq!(layer.settings.len(), 1);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].rule, "invalid-syntax");
        assert!(
            diagnostics[0]
                .message
                .contains("duplicate key 'AzureAd:clientid'")
        );
    }
}
