//! `<appSettings>` of web.config / app.config (and of files they reference), and the XDT
//! transforms of `Web.<configuration>.config` files, as settings with spans.

use crate::model::{Layer, Setting, normalise_key};
use crate::read::xml::XmlElement;
use crate::source::{FileId, Location};
use std::collections::HashMap;

/// Settings in document order, found by key without regard to case, as `<appSettings>` finds
/// them: adding, removing and locating one costs the same however many there are (a file or a
/// transform may hold thousands).
#[derive(Debug, Default)]
pub struct KeyedSettings {
    slots: Vec<Option<Setting>>,
    /// Each lower-cased key's live slots, in order.
    by_key: HashMap<String, Vec<usize>>,
}

impl KeyedSettings {
    pub fn new(settings: Vec<Setting>) -> Self {
        let mut keyed = KeyedSettings::default();
        for setting in settings {
            keyed.push(setting);
        }
        keyed
    }

    /// Adds a setting after the others, beside any with the same key (`xdt:Transform="Insert"`).
    pub fn push(&mut self, setting: Setting) {
        self.by_key
            .entry(normalise_key(&setting.key))
            .or_default()
            .push(self.slots.len());
        self.slots.push(Some(setting));
    }

    /// `<add>`: the setting replaces every other with its key, and moves to the end.
    pub fn add(&mut self, setting: Setting) {
        self.remove_all(&setting.key);
        self.push(setting);
    }

    pub fn remove_all(&mut self, key: &str) {
        for slot in self.by_key.remove(&normalise_key(key)).unwrap_or_default() {
            self.slots[slot] = None;
        }
    }

    pub fn remove_first(&mut self, key: &str) {
        if let Some(slots) = self.by_key.get_mut(&normalise_key(key))
            && !slots.is_empty()
        {
            let slot = slots.remove(0);
            self.slots[slot] = None;
        }
    }

    pub fn clear(&mut self) {
        *self = KeyedSettings::default();
    }

    /// The slots of the settings with `key`, or of every setting.
    fn slots_of(&self, key: Option<&str>) -> Vec<usize> {
        match key {
            Some(key) => self
                .by_key
                .get(&normalise_key(key))
                .cloned()
                .unwrap_or_default(),
            None => (0..self.slots.len())
                .filter(|i| self.slots[*i].is_some())
                .collect(),
        }
    }

    /// Gives the settings with `key` (every setting for `None`) the value of `new`, and with
    /// `rename` its key too.
    fn set(&mut self, key: Option<&str>, new: &Setting, rename: bool) {
        let slots = self.slots_of(key);
        for &slot in &slots {
            let Some(existing) = self.slots[slot].as_mut() else {
                continue;
            };
            if rename && existing.key != new.key {
                if let Some(list) = self.by_key.get_mut(&normalise_key(&existing.key)) {
                    list.retain(|s| *s != slot);
                }
                let list = self.by_key.entry(normalise_key(&new.key)).or_default();
                let at = list.partition_point(|s| *s < slot);
                list.insert(at, slot);
                existing.key = new.key.clone();
                existing.key_span = new.key_span;
            }
            existing.value = new.value.clone();
            existing.origin = new.origin;
            existing.layer = new.layer.clone();
        }
    }

    pub fn into_vec(self) -> Vec<Setting> {
        self.slots.into_iter().flatten().collect()
    }
}

/// The `<appSettings>` of one file.
#[derive(Debug, Clone, Default)]
pub struct AppSettingsXml {
    /// Effective settings after `<add>`, `<remove>` and `<clear>`, in document order.
    pub settings: Vec<Setting>,
    /// `<appSettings file="...">`: a file whose settings are merged over these.
    pub file_attribute: Option<(String, Location)>,
    /// `<appSettings configSource="...">`: a file that replaces the section.
    pub config_source: Option<(String, Location)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransformKind {
    SetAttributes,
    Replace,
    Insert,
    Remove,
    RemoveAll,
}

/// Which target elements a transform applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locator {
    /// No locator: every element with the same name.
    All,
    /// `Match(key)` / `Condition(@key='...')`: the elements whose key is this one.
    Key(String),
}

/// One transform of an `<add>` element, or of the whole `<appSettings>` section.
#[derive(Debug, Clone)]
pub struct TransformOp {
    pub kind: TransformKind,
    pub locator: Locator,
    /// The transform element as a setting (its key and value), for `<add>` transforms.
    pub setting: Option<Setting>,
    /// For a transform of the whole section: its new `<add>` children.
    pub section_children: Option<Vec<Setting>>,
}

/// The `<appSettings>` element: `configuration/appSettings`, or the root of an external file.
pub fn app_settings_element(root: &XmlElement) -> Option<&XmlElement> {
    if root.name == "appSettings" {
        return Some(root);
    }
    (root.name == "configuration")
        .then(|| root.children_named("appSettings").next())
        .flatten()
}

fn location(file: FileId, span: crate::source::Span) -> Location {
    Location { file, span }
}

fn setting_of(element: &XmlElement, file: FileId, layer: &Layer) -> Option<Setting> {
    let key = element.attribute("key")?;
    let (value, origin) = match element.attribute("value") {
        Some(v) => (v.value.clone(), location(file, v.value_span)),
        None => (String::new(), location(file, element.span)),
    };
    Some(Setting {
        key: key.value.clone(),
        value,
        origin,
        key_span: key.value_span,
        layer: layer.clone(),
        is_string: true,
    })
}

pub fn extract_app_settings(
    root: &XmlElement,
    file: FileId,
    layer: &Layer,
) -> Option<AppSettingsXml> {
    let section = app_settings_element(root)?;
    let mut out = AppSettingsXml::default();
    let mut settings = KeyedSettings::default();
    let reference = |name: &str| {
        section
            .attribute(name)
            .map(|a| (a.value.clone(), location(file, a.value_span)))
    };
    out.file_attribute = reference("file");
    out.config_source = reference("configSource");
    for child in &section.children {
        match child.local_name() {
            "add" => {
                if let Some(setting) = setting_of(child, file, layer) {
                    settings.add(setting);
                }
            }
            "remove" => {
                if let Some(key) = child.attribute("key") {
                    settings.remove_all(&key.value);
                }
            }
            "clear" => settings.clear(),
            _ => {}
        }
    }
    out.settings = settings.into_vec();
    Some(out)
}

/// The prefix bound to the XML-Document-Transform namespace (usually `xdt`).
fn transform_prefix(root: &XmlElement) -> Option<String> {
    root.attributes
        .iter()
        .find(|a| a.value == "http://schemas.microsoft.com/XML-Document-Transform")
        .and_then(|a| a.name.strip_prefix("xmlns:"))
        .map(str::to_string)
}

pub fn is_transform(root: &XmlElement) -> bool {
    transform_prefix(root).is_some()
}

fn parse_kind(text: &str) -> Option<TransformKind> {
    let name = text.split('(').next().unwrap_or(text).trim();
    Some(match name {
        "SetAttributes" => TransformKind::SetAttributes,
        "Replace" => TransformKind::Replace,
        "Insert" | "InsertBefore" | "InsertAfter" => TransformKind::Insert,
        "Remove" => TransformKind::Remove,
        "RemoveAll" => TransformKind::RemoveAll,
        _ => return None,
    })
}

fn parse_locator(text: Option<&str>, element: &XmlElement) -> Locator {
    let Some(text) = text.map(str::trim) else {
        return Locator::All;
    };
    let key_value = || element.attribute("key").map(|k| k.value.clone());
    if let Some(args) = text
        .strip_prefix("Match(")
        .and_then(|r| r.strip_suffix(')'))
        && args.split(',').any(|a| a.trim() == "key")
    {
        return key_value().map_or(Locator::All, Locator::Key);
    }
    if let Some(condition) = text
        .strip_prefix("Condition(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let condition = condition.trim();
        if let Some(rest) = condition.strip_prefix("@key=") {
            return Locator::Key(rest.trim_matches(['\'', '"']).to_string());
        }
    }
    key_value().map_or(Locator::All, Locator::Key)
}

/// The transforms a `Web.<name>.config` applies to `<appSettings>`.
pub fn extract_transforms(root: &XmlElement, file: FileId, layer: &Layer) -> Vec<TransformOp> {
    let Some(prefix) = transform_prefix(root) else {
        return Vec::new();
    };
    let transform_attr = format!("{prefix}:Transform");
    let locator_attr = format!("{prefix}:Locator");
    let Some(section) = app_settings_element(root) else {
        return Vec::new();
    };
    let mut ops = Vec::new();
    if let Some(kind) = section
        .attribute(&transform_attr)
        .and_then(|a| parse_kind(&a.value))
    {
        let children = section
            .children_named("add")
            .filter_map(|c| setting_of(c, file, layer))
            .collect();
        ops.push(TransformOp {
            kind,
            locator: Locator::All,
            setting: None,
            section_children: Some(children),
        });
    }
    for child in section.children.iter().filter(|c| c.local_name() == "add") {
        let Some(kind) = child
            .attribute(&transform_attr)
            .and_then(|a| parse_kind(&a.value))
        else {
            continue;
        };
        let locator = parse_locator(
            child.attribute(&locator_attr).map(|a| a.value.as_str()),
            child,
        );
        // A transform may name its target only in the locator: `Condition(@key='...')`.
        let setting = setting_of(child, file, layer).or_else(|| {
            let value = child.attribute("value")?;
            let Locator::Key(key) = &locator else {
                return None;
            };
            Some(Setting {
                key: key.clone(),
                value: value.value.clone(),
                origin: location(file, value.value_span),
                key_span: child.span,
                layer: layer.clone(),
                is_string: true,
            })
        });
        ops.push(TransformOp {
            kind,
            locator,
            setting,
            section_children: None,
        });
    }
    ops
}

/// Applies transforms to the settings of the base file, as the build does for one configuration.
pub fn apply_transforms(base: &[Setting], ops: &[TransformOp]) -> Vec<Setting> {
    let mut settings = KeyedSettings::new(base.to_vec());
    for op in ops {
        let key = match &op.locator {
            Locator::All => None,
            Locator::Key(key) => Some(key.as_str()),
        };
        if let Some(children) = &op.section_children {
            match op.kind {
                TransformKind::Replace => settings = KeyedSettings::new(children.clone()),
                TransformKind::RemoveAll | TransformKind::Remove => settings.clear(),
                _ => {}
            }
            continue;
        }
        match (op.kind, key) {
            (TransformKind::SetAttributes | TransformKind::Replace, _) => {
                if let Some(new) = &op.setting {
                    settings.set(key, new, op.kind == TransformKind::Replace);
                }
            }
            (TransformKind::Insert, _) => {
                if let Some(new) = &op.setting {
                    settings.push(new.clone());
                }
            }
            (TransformKind::Remove, Some(key)) => settings.remove_first(key),
            (TransformKind::Remove, None) => {
                if let Some(&first) = settings.slots_of(None).first()
                    && let Some(Some(setting)) = settings.slots.get(first)
                {
                    let key = setting.key.clone();
                    settings.remove_first(&key);
                }
            }
            (TransformKind::RemoveAll, Some(key)) => settings.remove_all(key),
            (TransformKind::RemoveAll, None) => settings.clear(),
        }
    }
    settings.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::xml::parse;

    fn base() -> Vec<Setting> {
        let text = r#"<configuration><appSettings>
            <add key="ida:Tenant" value="contoso.onmicrosoft.com"/>
            <add key="ida:ClientId" value="old"/>
            <remove key="ida:ClientId"/>
            <add key="ida:clientid" value="a"/>
            <add key="ida:Audience" value="api://a"/>
        </appSettings></configuration>"#;
        extract_app_settings(&parse(text).unwrap().unwrap(), FileId(0), &Layer::Base)
            .unwrap()
            .settings
    }

    #[test]
    fn add_remove_and_clear_like_dotnet() {
        let keys: Vec<(String, String)> = base().into_iter().map(|s| (s.key, s.value)).collect();
        assert_eq!(
            keys,
            [
                (
                    "ida:Tenant".to_string(),
                    "contoso.onmicrosoft.com".to_string()
                ),
                ("ida:clientid".into(), "a".into()),
                ("ida:Audience".into(), "api://a".into())
            ]
        );
        let cleared = parse(r#"<configuration><appSettings file="secrets.config"><add key="a" value="1"/><clear/></appSettings></configuration>"#)
            .unwrap()
            .unwrap();
        let cleared = extract_app_settings(&cleared, FileId(0), &Layer::Base).unwrap();
        assert!(cleared.settings.is_empty());
        assert_eq!(cleared.file_attribute.unwrap().0, "secrets.config");
    }

    #[test]
    fn transforms_set_insert_remove() {
        let text = r#"<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform"><appSettings>
            <add key="ida:Tenant" value="fabrikam.onmicrosoft.com" xdt:Transform="SetAttributes" xdt:Locator="Match(key)"/>
            <add key="ida:Audience" xdt:Transform="Remove" xdt:Locator="Match(key)"/>
            <add key="ida:MetadataAddress" value="https://x" xdt:Transform="Insert"/>
        </appSettings></configuration>"#;
        let root = parse(text).unwrap().unwrap();
        assert!(is_transform(&root));
        let layer = Layer::Environment("Release".into());
        let ops = extract_transforms(&root, FileId(1), &layer);
        let result = apply_transforms(&base(), &ops);
        let keys: Vec<(&str, &str)> = result
            .iter()
            .map(|s| (s.key.as_str(), s.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("ida:Tenant", "fabrikam.onmicrosoft.com"),
                ("ida:clientid", "a"),
                ("ida:MetadataAddress", "https://x")
            ]
        );
        assert_eq!(
            result[0].origin.file,
            FileId(1),
            "the transform introduced the value"
        );
        assert_eq!(result[0].layer, layer);
    }

    #[test]
    fn condition_locator_and_section_replace() {
        let text = r#"<configuration xmlns:t="http://schemas.microsoft.com/XML-Document-Transform"><appSettings t:Transform="Replace">
            <add key="only" value="1"/></appSettings></configuration>"#;
        let ops = extract_transforms(&parse(text).unwrap().unwrap(), FileId(1), &Layer::Base);
        assert_eq!(apply_transforms(&base(), &ops).len(), 1);
        let condition = r#"<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform"><appSettings>
            <add value="x" xdt:Transform="SetAttributes" xdt:Locator="Condition(@key='ida:Audience')"/></appSettings></configuration>"#;
        let ops = extract_transforms(&parse(condition).unwrap().unwrap(), FileId(1), &Layer::Base);
        assert_eq!(ops[0].locator, Locator::Key("ida:Audience".into()));
        let audience = apply_transforms(&base(), &ops)
            .into_iter()
            .find(|s| s.key == "ida:Audience")
            .unwrap();
        assert_eq!(audience.value, "x");
    }
}
