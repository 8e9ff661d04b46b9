//! ASP.NET 4.x projects: web.config `<appSettings>` (with the files it references) evaluated for
//! each build configuration, and the apps its startup code (or, without code, the conventions
//! of Microsoft's samples) builds from them.

use super::code::{Views, bind, origin_of};
use super::{EnvConfig, Inputs, is_katana, join_relative};
use crate::model::{App, ConfigLayer, ConfigView, Framework, Layer, Role, Setting};
use crate::source::{FileId, Location};
use crate::stacks::ConfigKind;
use crate::stacks::dotnet::startup_code::{CodeApp, Expr};
use crate::stacks::dotnet::web_config::{
    AppSettingsXml, KeyedSettings, TransformOp, apply_transforms,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A web.config / app.config, or a file its `<appSettings>` references.
#[derive(Debug)]
pub struct XmlFile {
    pub path: PathBuf,
    pub dir: PathBuf,
    pub file: FileId,
    /// `web` for Web.config, `app` for App.config (transforms are matched by it).
    pub stem: String,
    /// A project's own web.config / app.config, not a referenced file.
    pub is_base: bool,
    pub app_settings: AppSettingsXml,
}

/// A `Web.<configuration>.config` transform.
#[derive(Debug)]
pub struct TransformFile {
    pub dir: PathBuf,
    pub stem: String,
    pub configuration: String,
    pub ops: Vec<TransformOp>,
}

/// The base file's settings with `file=` merged over them, or replaced by `configSource=`.
fn merged_settings(base: &XmlFile, referenced_files: &HashMap<&Path, &XmlFile>) -> Vec<Setting> {
    let referenced = |(name, _): &(String, Location)| {
        let target = join_relative(&base.dir, name);
        referenced_files.get(target.as_path()).copied()
    };
    if let Some(source) = base
        .app_settings
        .config_source
        .as_ref()
        .and_then(referenced)
    {
        return source.app_settings.settings.clone();
    }
    let mut settings = KeyedSettings::new(base.app_settings.settings.clone());
    if let Some(extra) = base
        .app_settings
        .file_attribute
        .as_ref()
        .and_then(referenced)
    {
        for setting in &extra.app_settings.settings {
            settings.add(setting.clone());
        }
    }
    settings.into_vec()
}

/// What a web.config finds beside it: its transforms, the folder's appsettings.json, and the
/// files `<appSettings>` can reference. Indexed by folder once for every web.config.
pub struct Neighbours<'a> {
    transforms_in: HashMap<&'a Path, Vec<&'a TransformFile>>,
    json_in: HashMap<&'a Path, &'a Arc<ConfigLayer>>,
    referenced: HashMap<&'a Path, &'a XmlFile>,
}

impl<'a> Neighbours<'a> {
    pub fn new(inputs: &'a Inputs) -> Self {
        let mut transforms_in: HashMap<&Path, Vec<&TransformFile>> = HashMap::new();
        for transform in &inputs.transforms {
            transforms_in
                .entry(&transform.dir)
                .or_default()
                .push(transform);
        }
        let json_in = inputs
            .json
            .iter()
            .filter(|f| f.kind == ConfigKind::AppSettings { environment: None })
            .map(|f| (f.dir.as_path(), &f.layer))
            .collect();
        let referenced = (inputs.xml.iter())
            .filter(|x| !x.is_base)
            .map(|x| (x.path.as_path(), x))
            .collect();
        Neighbours {
            transforms_in,
            json_in,
            referenced,
        }
    }
}

/// The apps of one web.config or app.config, for each build configuration. Built one
/// configuration at a time as they are consumed: thousands of settings times thousands of
/// transforms are never held at once.
pub fn apps<'a>(
    base: &'a XmlFile,
    neighbours: &'a Neighbours,
    code: &'a HashMap<PathBuf, Vec<CodeApp>>,
) -> impl Iterator<Item = App> + 'a {
    let settings = merged_settings(base, &neighbours.referenced);
    let mut transforms: Vec<&TransformFile> = neighbours
        .transforms_in
        .get(base.dir.as_path())
        .into_iter()
        .flatten()
        .copied()
        .filter(|t| t.stem.eq_ignore_ascii_case(&base.stem))
        .collect();
    transforms.sort_by(|a, b| a.configuration.cmp(&b.configuration));
    let json = neighbours.json_in.get(base.dir.as_path()).copied();
    let calls: Vec<&CodeApp> = code
        .get(&base.dir)
        .map(|c| {
            c.iter()
                .filter(|a| {
                    is_katana(a.framework) || a.framework == Framework::MicrosoftIdentityWebOwin
                })
                .collect()
        })
        .unwrap_or_default();
    std::iter::once(None)
        .chain(transforms.into_iter().map(Some))
        .flat_map(move |transform| {
            let (configuration, settings) = match transform {
                None => (None, settings.clone()),
                Some(transform) => (
                    Some(transform.configuration.clone()),
                    apply_transforms(&settings, &transform.ops),
                ),
            };
            configuration_apps(base, json, &calls, configuration, settings)
        })
}

/// The apps of one build configuration of a web.config.
fn configuration_apps(
    base: &XmlFile,
    json: Option<&Arc<ConfigLayer>>,
    calls: &[&CodeApp],
    configuration: Option<String>,
    settings: Vec<Setting>,
) -> Vec<App> {
    let mut apps = Vec::new();
    let layer = Arc::new(ConfigLayer {
        layer: Layer::Base,
        file: base.file,
        settings,
        section_keys: Vec::new(),
    });
    let env = EnvConfig::new(&[&layer], configuration);
    let json_view = json.map(|j| ConfigView::from_layers([Arc::clone(j)]));
    if calls.is_empty() {
        // Without code only web.config says it configures a web app or API; an
        // app.config belongs to a desktop or console client.
        if base.stem == "web" {
            apps.extend(by_convention(&env));
        }
        return apps;
    }
    for call in calls {
        if call.framework == Framework::MicrosoftIdentityWebOwin {
            apps.push(identity_web_owin(&env, &layer, json, call));
            continue;
        }
        let mut app = flat_app(&env, call.framework, call.role);
        let views = Views {
            app_settings: Some(&env.config),
            configuration: json_view.as_ref(),
        };
        app.bound = bind(&call.options, views, call.call);
        app.code = Some(origin_of(call));
        apps.push(app);
    }
    apps
}

fn flat_app(env: &EnvConfig, framework: Framework, role: Role) -> App {
    let mut app = env.app("appSettings".to_string(), framework, role);
    app.flat = true;
    app
}

/// The first of `keys` that web.config defines.
fn first<'a>(config: &'a ConfigView, keys: &[&str]) -> Option<&'a Setting> {
    keys.iter()
        .find_map(|k| config.get(k).filter(|s| s.text().is_some()))
}

fn setting_expr(setting: &Setting) -> Expr {
    Expr::AppSetting(setting.key.clone(), setting.origin)
}

/// Without startup code: the app Microsoft's samples build from these keys (role unknown).
fn by_convention(env: &EnvConfig) -> Option<App> {
    let config = &env.config;
    // AD FS is not Microsoft Entra: its settings are not this tool's to judge.
    if first(
        config,
        &[
            "ida:AdfsMetadataEndpoint",
            "ida:ADFSMetadata",
            "ida:ADFSDiscoveryDoc",
            "ida:AdfsAuthority",
        ],
    )
    .is_some()
    {
        return None;
    }
    let instance = first(config, &["ida:AADInstance", "ida:Instance"]);
    let tenant = first(config, &["ida:Tenant", "ida:TenantId", "ida:Domain"]);
    let policy = first(
        config,
        &[
            "ida:SignUpSignInPolicyId",
            "ida:SignInPolicyId",
            "ida:SignUpPolicyId",
        ],
    );
    let client_id = first(config, &["ida:ClientId"]);
    let audience = first(config, &["ida:Audience"]);
    let metadata = first(config, &["ida:MetadataAddress"]);
    let signs_in = first(
        config,
        &[
            "ida:RedirectUri",
            "ida:PostLogoutRedirectUri",
            "ida:ClientSecret",
            "ida:AppKey",
        ],
    )
    .is_some();
    let args: Vec<Expr> = tenant.into_iter().chain(policy).map(setting_expr).collect();
    let mut options: Vec<(String, Expr)> = client_id
        .map(|c| ("ClientId".to_string(), setting_expr(c)))
        .into_iter()
        .collect();

    let template = instance.map(|i| i.value.to_ascii_lowercase());
    let is_metadata = template
        .as_deref()
        .is_some_and(|t| t.contains(".well-known/openid-configuration") || t.contains("?p="));
    let framework = if first(config, &["ida:Wtrealm"]).is_some() {
        options.extend(metadata.map(|m| ("MetadataAddress".into(), setting_expr(m))));
        options
            .extend(first(config, &["ida:Wtrealm"]).map(|w| ("Wtrealm".into(), setting_expr(w))));
        Framework::OwinWsFederation
    } else if let (true, Some(instance)) = (is_metadata, instance) {
        options.push((
            "MetadataAddress".into(),
            Expr::Format(Box::new(setting_expr(instance)), args),
        ));
        if !signs_in {
            options.extend(client_id.map(|c| {
                (
                    "TokenValidationParameters:ValidAudience".into(),
                    setting_expr(c),
                )
            }));
            Framework::OwinJwtBearer
        } else {
            Framework::OwinOpenIdConnect
        }
    } else if audience.is_some() && !signs_in {
        options.extend(tenant.map(|t| ("Tenant".into(), setting_expr(t))));
        options.extend(audience.map(|a| {
            (
                "TokenValidationParameters:ValidAudience".into(),
                setting_expr(a),
            )
        }));
        options.extend(metadata.map(|m| ("MetadataAddress".into(), setting_expr(m))));
        Framework::OwinAzureAdBearer
    } else if client_id.is_some() && (signs_in || instance.is_some()) {
        if let Some(m) = metadata {
            options.push(("MetadataAddress".into(), setting_expr(m)));
        } else if let (Some(instance), Some(_)) = (instance, policy) {
            // The B2C samples append the well-known path to the instance template.
            let well_known = Expr::Literal(
                "/v2.0/.well-known/openid-configuration".into(),
                instance.origin,
            );
            options.push((
                "MetadataAddress".into(),
                Expr::Format(
                    Box::new(Expr::Concat(vec![setting_expr(instance), well_known])),
                    args,
                ),
            ));
        } else if let Some(instance) = instance {
            let authority = if instance.value.contains('{') {
                Expr::Format(Box::new(setting_expr(instance)), args)
            } else {
                Expr::Concat(vec![
                    Expr::TrailingSlash(Box::new(setting_expr(instance))),
                    tenant.map_or(Expr::Unknown(instance.origin), setting_expr),
                ])
            };
            options.push(("Authority".into(), authority));
        }
        Framework::OwinOpenIdConnect
    } else {
        return None;
    };
    let mut app = flat_app(env, framework, Role::Unknown);
    app.bound = bind(
        &options,
        Views {
            app_settings: Some(config),
            configuration: None,
        },
        Location {
            file: env.file,
            span: Default::default(),
        },
    );
    Some(app)
}

/// Microsoft.Identity.Web.OWIN copies `ida:*` keys into `AzureAd:*`, then lets appsettings.json
/// (when present) override them.
fn identity_web_owin(
    env: &EnvConfig,
    web: &ConfigLayer,
    json: Option<&Arc<ConfigLayer>>,
    call: &CodeApp,
) -> App {
    let config = &env.config;
    let bridged = |target: &str, keys: &[&str], trailing_slash: bool| {
        first(config, keys).map(|s| {
            let mut value = s.value.clone();
            if trailing_slash && !value.ends_with('/') {
                value.push('/');
            }
            Setting {
                key: format!("AzureAd:{target}"),
                value,
                ..s.clone()
            }
        })
    };
    let mut settings: Vec<Setting> = [
        bridged("Instance", &["ida:Instance", "ida:AADInstance"], true),
        bridged("ClientId", &["ida:ClientId"], false),
        bridged("TenantId", &["ida:Tenant", "ida:TenantId"], false),
        bridged("Audience", &["ida:Audience"], false),
        bridged("ClientSecret", &["ida:ClientSecret"], false),
        bridged(
            "SignedOutCallbackPath",
            &["ida:PostLogoutRedirectUri"],
            false,
        ),
        bridged("RedirectUri", &["ida:RedirectUri"], false),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !settings.iter().any(|s| s.key == "AzureAd:Instance") {
        settings.push(Setting {
            key: "AzureAd:Instance".into(),
            value: "https://login.microsoftonline.com/".into(),
            origin: call.call,
            key_span: Default::default(),
            layer: Layer::Base,
            is_string: true,
        });
    }
    let bridge = Arc::new(ConfigLayer {
        layer: Layer::Base,
        file: web.file,
        settings,
        section_keys: Vec::new(),
    });
    let layers: Vec<&Arc<ConfigLayer>> = [&bridge].into_iter().chain(json).collect();
    let merged = EnvConfig::new(&layers, env.environment.clone());
    let section = call
        .section
        .as_ref()
        .map_or("AzureAd".to_string(), |(s, _)| s.clone());
    let mut app = merged.app(section, Framework::MicrosoftIdentityWebOwin, call.role);
    app.file = web.file;
    app.config = Arc::clone(&merged.config);
    app.code = Some(origin_of(call));
    app
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referenced_paths_are_normalised() {
        assert_eq!(
            join_relative(Path::new("site"), ".\\\\secrets\\\\app.config"),
            PathBuf::from("site/secrets/app.config")
        );
        assert_eq!(
            join_relative(Path::new("site/web"), "../shared.config"),
            PathBuf::from("site/shared.config")
        );
    }
}
