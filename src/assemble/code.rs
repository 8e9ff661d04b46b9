//! Startup code meets configuration: code expressions resolved against the configuration of
//! one environment, and code calls attached to the apps they configure.

use crate::model::{App, CodeOrigin, ConfigView, Layer, Setting};
use crate::source::Location;
use crate::stacks::dotnet::startup_code::{CodeApp, Expr, MAX_VALUE_BYTES};

/// Where code lookups find their values.
#[derive(Clone, Copy, Default)]
pub struct Views<'a> {
    /// web.config `<appSettings>`: `ConfigurationManager.AppSettings["..."]`.
    pub app_settings: Option<&'a ConfigView>,
    /// appsettings*.json: `Configuration["..."]`.
    pub configuration: Option<&'a ConfigView>,
}

/// A resolved expression: its text (or flag), and the settings it was built from.
#[derive(Debug, Default)]
struct Resolved {
    text: Option<String>,
    flag: Option<bool>,
    items: Vec<Resolved>,
    sources: Vec<Setting>,
    at: Option<Location>,
}

fn resolve(expr: &Expr, views: Views) -> Resolved {
    let lookup = |view: Option<&ConfigView>, key: &str| view.and_then(|v| v.get(key)).cloned();
    match expr {
        Expr::Literal(text, at) => Resolved {
            text: Some(text.clone()),
            at: Some(*at),
            ..Default::default()
        },
        Expr::Bool(flag, at) => Resolved {
            flag: Some(*flag),
            at: Some(*at),
            ..Default::default()
        },
        Expr::AppSetting(key, at) | Expr::ConfigKey(key, at) => {
            let view = if matches!(expr, Expr::AppSetting(..)) {
                views.app_settings
            } else {
                views.configuration
            };
            match lookup(view, key) {
                Some(setting) => Resolved {
                    text: Some(setting.value.clone()),
                    at: Some(setting.origin),
                    sources: vec![setting],
                    ..Default::default()
                },
                None => Resolved {
                    at: Some(*at),
                    ..Default::default()
                },
            }
        }
        Expr::Concat(parts) => {
            let parts: Vec<Resolved> = parts.iter().map(|p| resolve(p, views)).collect();
            // Configuration values can be long: a value over the budget is unknown.
            let text = parts
                .iter()
                .map(|p| p.text.as_deref())
                .collect::<Option<Vec<&str>>>()
                .filter(|t| t.iter().map(|t| t.len()).sum::<usize>() <= MAX_VALUE_BYTES)
                .map(|t| t.concat());
            combine(text, parts)
        }
        Expr::Format(template, args) => {
            let template = resolve(template, views);
            let args: Vec<Resolved> = args.iter().map(|a| resolve(a, views)).collect();
            let text = template.text.as_deref().and_then(|t| format(t, &args));
            combine(text, std::iter::once(template).chain(args).collect())
        }
        Expr::TrailingSlash(inner) => {
            let mut value = resolve(inner, views);
            value.text = value
                .text
                .map(|t| if t.ends_with('/') { t } else { format!("{t}/") });
            value
        }
        Expr::Lower(inner) => {
            let mut value = resolve(inner, views);
            value.text = value.text.map(|t| t.to_lowercase());
            value
        }
        Expr::List(items) => Resolved {
            items: items.iter().map(|i| resolve(i, views)).collect(),
            at: Some(expr.location()),
            ..Default::default()
        },
        Expr::Object { .. } | Expr::Unknown(_) => Resolved {
            at: Some(expr.location()),
            ..Default::default()
        },
    }
}

fn combine(text: Option<String>, parts: Vec<Resolved>) -> Resolved {
    let at = parts
        .iter()
        .find_map(|p| p.sources.first().map(|s| s.origin))
        .or_else(|| parts.iter().find_map(|p| p.at));
    Resolved {
        text,
        sources: parts.into_iter().flat_map(|p| p.sources).collect(),
        at,
        ..Default::default()
    }
}

/// `string.Format`: `{0}`, `{1}`... replaced; `None` when an argument is missing or unknown.
fn format(template: &str, args: &[Resolved]) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let index: usize = rest[open + 1..close]
            .split([',', ':'])
            .next()?
            .trim()
            .parse()
            .ok()?;
        out.push_str(args.get(index)?.text.as_deref()?);
        if out.len() > MAX_VALUE_BYTES {
            return None;
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The setting an option resolves to: the configuration setting itself when the code passes
/// it through unchanged, otherwise a setting named after the option that points at the value
/// that decides it (the first configuration value involved, else the code).
fn setting_for(key: &str, resolved: &Resolved, fallback: Location) -> Option<Setting> {
    let value = resolved
        .text
        .clone()
        .or_else(|| resolved.flag.map(|f| f.to_string()))?;
    if let [only] = resolved.sources.as_slice()
        && only.value == value
    {
        return Some(only.clone());
    }
    let first = resolved.sources.first();
    // A value composed from configuration is named by the key the user edits in that file
    // (`ida:AadInstance`), not by the framework option it becomes.
    let named = resolved
        .sources
        .iter()
        .find(|s| Some(s.origin) == resolved.at)
        .map_or(key, |s| s.key.as_str());
    Some(Setting {
        key: named.to_string(),
        value,
        origin: resolved.at.unwrap_or(fallback),
        key_span: Default::default(),
        layer: first.map_or(Layer::Base, |s| s.layer.clone()),
        is_string: resolved.flag.is_none(),
    })
}

/// The options code assigns, resolved against one environment's configuration.
pub fn bind(
    options: &[(String, Expr)],
    views: Views,
    fallback: Location,
) -> Vec<(String, Setting)> {
    let mut bound = Vec::new();
    for (key, expr) in options {
        let resolved = resolve(expr, views);
        if resolved.items.is_empty() {
            bound.extend(setting_for(key, &resolved, fallback).map(|s| (key.clone(), s)));
        } else {
            for (i, item) in resolved.items.iter().enumerate() {
                let item_key = format!("{key}:{i}");
                bound.extend(setting_for(&item_key, item, fallback).map(|s| (item_key, s)));
            }
        }
    }
    bound
}

pub fn origin_of(code: &CodeApp) -> CodeOrigin {
    let (section_named_at, section_required) = match &code.section {
        Some((_, at)) => (
            *at,
            code.framework == crate::model::Framework::MicrosoftIdentityWeb || *at != code.call,
        ),
        None => (code.call, false),
    };
    CodeOrigin {
        call: code.call,
        section_named_at,
        section_required,
        assigned: code.options.iter().map(|(key, _)| key.clone()).collect(),
    }
}

/// Applies what code says to an app assembled from configuration.
/// `Configure<JwtBearerOptions>(scheme, ...)`: the call's assignments run after those of the
/// call that registered the scheme, so its values win.
pub fn amend(app: &mut App, code: &CodeApp) {
    let bound = bind(
        &code.options,
        Views {
            app_settings: None,
            configuration: Some(&app.config),
        },
        code.call,
    );
    app.bound.extend(bound);
    let origin = app.code.get_or_insert_with(|| CodeOrigin {
        call: code.call,
        section_named_at: code.call,
        section_required: false,
        assigned: Vec::new(),
    });
    origin
        .assigned
        .extend(code.options.iter().map(|(key, _)| key.clone()));
}

pub fn apply(app: &mut App, code: &CodeApp) {
    app.framework = code.framework;
    app.role = code.role;
    app.bound = bind(
        &code.options,
        Views {
            app_settings: None,
            configuration: Some(&app.config),
        },
        code.call,
    );
    app.code = Some(origin_of(code));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConfigLayer;
    use crate::source::{FileId, Span};

    fn view(pairs: &[(&str, &str)]) -> ConfigView {
        let settings = pairs
            .iter()
            .enumerate()
            .map(|(i, (k, v))| Setting {
                key: k.to_string(),
                value: v.to_string(),
                origin: Location {
                    file: FileId(0),
                    span: Span::new(i * 10, i * 10 + 5),
                },
                key_span: Span::default(),
                layer: Layer::Base,
                is_string: true,
            })
            .collect();
        ConfigView::from_layers([std::sync::Arc::new(ConfigLayer {
            layer: Layer::Base,
            file: FileId(0),
            settings,
            section_keys: Vec::new(),
        })])
    }

    fn at() -> Location {
        Location {
            file: FileId(9),
            span: Span::new(1, 2),
        }
    }

    #[test]
    fn format_with_app_settings_points_at_the_template() {
        let web = view(&[
            ("ida:AADInstance", "https://login.microsoftonline.com/{0}"),
            ("ida:Tenant", "contoso.onmicrosoft.com"),
        ]);
        let authority = Expr::Format(
            Box::new(Expr::AppSetting("ida:AADInstance".into(), at())),
            vec![Expr::AppSetting("ida:tenant".into(), at())],
        );
        let bound = bind(
            &[("Authority".into(), authority)],
            Views {
                app_settings: Some(&web),
                configuration: None,
            },
            at(),
        );
        let (_, setting) = &bound[0];
        assert_eq!(
            setting.value,
            "https://login.microsoftonline.com/contoso.onmicrosoft.com"
        );
        assert_eq!(
            setting.key, "ida:AADInstance",
            "named by the key the file holds"
        );
        assert_eq!(
            setting.origin.span,
            Span::new(0, 5),
            "points at ida:AADInstance"
        );
    }

    #[test]
    fn pass_through_keeps_the_configuration_setting_and_missing_values_bind_nothing() {
        let web = view(&[("ida:ClientId", "abc")]);
        let views = Views {
            app_settings: Some(&web),
            configuration: None,
        };
        let bound = bind(
            &[
                (
                    "ClientId".into(),
                    Expr::AppSetting("ida:ClientId".into(), at()),
                ),
                ("Tenant".into(), Expr::AppSetting("ida:Tenant".into(), at())),
            ],
            views,
            at(),
        );
        assert_eq!(bound.len(), 1);
        assert_eq!(bound[0].1.key, "ida:ClientId");
    }

    #[test]
    fn trailing_slash_literals_and_lists() {
        let web = view(&[
            ("ida:AADInstance", "https://login.microsoftonline.com"),
            ("ida:TenantId", "t"),
        ]);
        let authority = Expr::Concat(vec![
            Expr::TrailingSlash(Box::new(Expr::AppSetting("ida:AADInstance".into(), at()))),
            Expr::AppSetting("ida:TenantId".into(), at()),
            Expr::Literal("/v2.0".into(), at()),
        ]);
        let audiences = Expr::List(vec![
            Expr::Literal("a".into(), at()),
            Expr::Literal("b".into(), at()),
        ]);
        let bound = bind(
            &[
                ("Authority".into(), authority),
                ("TokenValidationParameters:ValidAudiences".into(), audiences),
            ],
            Views {
                app_settings: Some(&web),
                configuration: None,
            },
            at(),
        );
        assert_eq!(bound[0].1.value, "https://login.microsoftonline.com/t/v2.0");
        assert_eq!(bound[2].0, "TokenValidationParameters:ValidAudiences:1");
        assert_eq!(
            format(
                "{0}{1}",
                &[Resolved {
                    text: Some("a".into()),
                    ..Default::default()
                }]
            ),
            None
        );
    }
}
