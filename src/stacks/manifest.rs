//! YAML manifests as the mesh and proxy stacks read them: Kubernetes objects, Envoy bootstrap
//! files and Helm templates. A Helm template (`{{ ... }}` actions) is usually not YAML; its
//! actions are masked so the rest can be read, and a value an action writes is unknown.

use crate::model::{Layer, Setting};
use crate::read::yaml::{self, YamlNode, YamlValue};
use crate::source::{FileId, Location, Span};
use crate::stacks::{FileInput, Processed, invalid_syntax};
use std::borrow::Cow;

/// `{{ ... }}` actions of a template, as byte ranges (an unclosed action runs to the end).
fn template_actions(text: &str) -> Vec<(usize, usize)> {
    let mut actions = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let end = text[open + 2..]
            .find("}}")
            .map_or(text.len(), |i| open + 2 + i + 2);
        actions.push((open, end));
        from = end;
    }
    actions
}

/// The text with every template action replaced byte for byte, so spans still point into the
/// original: an action alone on its line (`{{- if .Values.x }}`, `{{- toYaml ... | nindent 4 }}`)
/// becomes blank, an action inside a line (`issuer: {{ .Values.issuer }}`) a run of `_`. Line
/// breaks stay where they are.
pub fn mask_template(text: &str) -> String {
    let actions = template_actions(text);
    let mut masked = text.as_bytes().to_vec();
    let mut covered = vec![false; text.len()];
    for &(start, end) in &actions {
        covered[start..end].iter_mut().for_each(|c| *c = true);
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let range = line_start..line_start + line.len();
        line_start = range.end;
        let alone = text.as_bytes()[range.clone()]
            .iter()
            .zip(&covered[range.clone()])
            .all(|(byte, covered)| *covered || byte.is_ascii_whitespace());
        let fill = if alone { b' ' } else { b'_' };
        for i in range {
            if covered[i] && masked[i] != b'\n' {
                masked[i] = fill;
            }
        }
    }
    // Only ASCII bytes replace whole actions (multi-byte characters included): still UTF-8.
    String::from_utf8(masked).unwrap_or_default()
}

/// The documents of a Helm template, read with its actions masked; a template that does not
/// parse even so is read as nothing: it is not wrong, only unreadable before rendering.
pub fn template_documents(text: &str) -> Vec<YamlNode> {
    yaml::parse(&mask_template(text)).unwrap_or_default()
}

/// The documents of a YAML file a stack reads (shared parse first, a Helm template masked).
/// A file that is not a template and does not parse yields nothing, and one invalid-syntax
/// finding saying `who` cannot load it when the file is unmistakably for `who`.
pub fn documents<'a>(
    input: &'a FileInput,
    out: &mut Processed,
    who: Option<&str>,
) -> Option<Cow<'a, [YamlNode]>> {
    match input.yaml() {
        Ok(documents) => Some(Cow::Borrowed(documents)),
        Err(_) if input.text.contains("{{") => Some(Cow::Owned(template_documents(input.text))),
        Err(error) => {
            if let Some(who) = who {
                out.diagnostics.push(invalid_syntax(
                    input,
                    error.span,
                    format!("{}: {who} cannot load this file", error.message),
                ));
            }
            None
        }
    }
}

/// The setting a scalar node holds, keyed `key`. A value a template action writes is unknown:
/// the option is set, its value empty.
pub fn scalar_setting(
    text: &str,
    file: FileId,
    key: &str,
    key_span: Span,
    node: &YamlNode,
) -> Option<Setting> {
    let value = node.as_str()?;
    let written = text.get(node.span.start..node.span.end).unwrap_or_default();
    let value = if written.contains("{{") { "" } else { value };
    Some(Setting {
        key: key.to_string(),
        value: value.to_string(),
        origin: Location {
            file,
            span: node.span,
        },
        key_span,
        layer: Layer::Base,
        is_string: true,
    })
}

/// The entry `name` of a mapping, with its key's span, whichever of the spellings is written
/// (Envoy and Istio accept the proto's snake_case and JSON's lowerCamelCase names).
pub fn entry<'a>(node: &'a YamlNode, names: &[&str]) -> Option<(Span, &'a YamlNode)> {
    node.entries()
        .iter()
        .find(|(key, _, _)| names.contains(&key.as_str()))
        .map(|(_, span, value)| (*span, value))
}

/// For a literal block scalar (`key: |`), the file offset of each byte of its value, so spans
/// in the value (a configuration file embedded in YAML) point into the file; for any other
/// scalar, every byte maps to the node's start.
pub fn block_offsets(text: &str, node: &YamlNode) -> Vec<usize> {
    let value = node.as_str().unwrap_or_default();
    let fallback = || vec![node.span.start; value.len() + 1];
    // The node starts at its first content character; the `|` header ends the line before.
    let start = node.span.start.min(text.len());
    let body_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[..body_start].trim_end_matches(['\n', '\r']);
    let header = before[before.rfind('\n').map_or(0, |i| i + 1)..].trim_end();
    let literal = ["|", "|-", "|+"].iter().any(|h| header.ends_with(h));
    if !literal || !text[body_start..start].trim().is_empty() {
        return fallback();
    }
    let indent = start - body_start;
    let body = &text[body_start..node.span.end.max(body_start).min(text.len())];
    let mut offsets = Vec::with_capacity(value.len() + 1);
    let mut file_lines = body.split_inclusive('\n');
    let mut line_start = body_start;
    for value_line in value.split_inclusive('\n') {
        let Some(file_line) = file_lines.next() else {
            break;
        };
        let skip = indent.min(file_line.len());
        for j in 0..value_line.len() {
            offsets.push((line_start + skip + j).min(node.span.end));
        }
        line_start += file_line.len();
    }
    if offsets.len() != value.len() {
        return fallback();
    }
    offsets.push(node.span.end);
    offsets
}

/// A span of a value turned into a file span through [`block_offsets`].
pub fn map_span(offsets: &[usize], span: Span) -> Span {
    let last = offsets.len().saturating_sub(1);
    Span::new(offsets[span.start.min(last)], offsets[span.end.min(last)])
}

/// Every node of a tree, the root first, in document order.
pub fn descendants(root: &YamlNode) -> Vec<&YamlNode> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        found.push(node);
        let children: Vec<&YamlNode> = match &node.value {
            YamlValue::Sequence(items) => items.iter().collect(),
            YamlValue::Mapping(entries) => entries.iter().map(|(_, _, v)| v).collect(),
            YamlValue::Scalar(_) => Vec::new(),
        };
        stack.extend(children.into_iter().rev());
    }
    found
}

/// `namespace/name` of a Kubernetes object, or its name alone; a part a template writes is named
/// by its action as written (`{{ .Release.Name }}`).
pub fn object_name(text: &str, document: &YamlNode) -> String {
    let metadata = document.get("metadata");
    let field = |key: &str| {
        let node = metadata.and_then(|m| m.get(key))?;
        let written = text.get(node.span.start..node.span.end)?;
        if written.contains("{{") {
            return Some(written.trim());
        }
        node.as_str().filter(|v| !v.is_empty())
    };
    match (field("namespace"), field("name")) {
        (Some(namespace), Some(name)) => format!("{namespace}/{name}"),
        (None, Some(name)) => name.to_string(),
        (_, None) => "unnamed".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "{{- if .Values.auth.enabled }}\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  jwtRules:\n  - issuer: \"{{ .Values.issuer }}\"\n    jwksUri: https://login.microsoftonline.com/t/discovery/v2.0/keys\n    audiences:\n    {{- toYaml .Values.audiences | nindent 4 }}\n{{- end }}\n";

    #[test]
    fn masking_keeps_offsets_and_makes_helm_templates_readable() {
        let masked = mask_template(TEMPLATE);
        assert_eq!(masked.len(), TEMPLATE.len());
        assert!(masked.starts_with("                              \napiVersion"));
        assert!(masked.contains("name: ___________________\n"));
        assert!(yaml::parse(TEMPLATE).is_err());
        let parsed = template_documents(TEMPLATE);
        let rule = &parsed[0]
            .get("spec")
            .unwrap()
            .get("jwtRules")
            .unwrap()
            .items()[0];
        let (key_span, issuer) = entry(rule, &["issuer"]).unwrap();
        let setting = scalar_setting(TEMPLATE, FileId(0), "issuer", key_span, issuer).unwrap();
        assert_eq!(setting.value, "", "a value a template writes is unknown");
        let (key_span, jwks) = entry(rule, &["jwksUri", "jwks_uri"]).unwrap();
        let setting = scalar_setting(TEMPLATE, FileId(0), "jwksUri", key_span, jwks).unwrap();
        assert_eq!(
            &TEMPLATE[setting.origin.span.start..setting.origin.span.end],
            "https://login.microsoftonline.com/t/discovery/v2.0/keys"
        );
    }

    #[test]
    fn broken_templates_read_as_nothing() {
        assert_eq!(template_documents("a: {{ b }}\n  c: [\n"), Vec::new());
        // An unclosed action, a multi-byte character inside one: still linear and UTF-8.
        assert_eq!(mask_template("x: {{ é").len(), "x: {{ é".len());
        let long = "- {{ v }}\n".repeat(50_000);
        assert_eq!(template_documents(&long)[0].items().len(), 50_000);
    }

    #[test]
    fn block_scalars_map_back_into_the_file() {
        let text = "config:\n  configFile: |\n    provider = \"oidc\"\n    scope = \"openid\"\n";
        let parsed = yaml::parse(text).unwrap();
        let node = parsed[0].get("config").unwrap().get("configFile").unwrap();
        let offsets = block_offsets(text, node);
        let value = node.as_str().unwrap();
        let at = value.find("openid").unwrap();
        let span = map_span(&offsets, Span::new(at, at + 6));
        assert_eq!(&text[span.start..span.end], "openid");
        let quoted = yaml::parse("a: \"x\\ny\"\n").unwrap();
        let node = quoted[0].get("a").unwrap();
        assert_eq!(block_offsets("a: \"x\\ny\"\n", node), vec![3; 4]);
    }

    #[test]
    fn names_objects_with_their_namespace() {
        let text = "metadata:\n  name: api\n  namespace: shop\n---\nmetadata:\n  name: web\n---\nkind: X\n";
        let parsed = yaml::parse(text).unwrap();
        let names: Vec<String> = parsed.iter().map(|d| object_name(text, d)).collect();
        assert_eq!(names, ["shop/api", "web", "unnamed"]);
        let template = template_documents(TEMPLATE);
        assert_eq!(object_name(TEMPLATE, &template[0]), "{{ .Release.Name }}");
    }
}
