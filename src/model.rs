//! The configuration model shared by the middle stages: settings with provenance, merged
//! configuration views, apps, and facts about app registrations.

use crate::source::{FileId, Location, Span};
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Which configuration layer a setting comes from, in .NET's order of precedence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// `appsettings.json` and other base files.
    Base,
    /// `appsettings.{Environment}.json`. Names are shared, not copied, by every setting.
    Environment(Arc<str>),
    /// Environment variables from a launch profile, `.env` file, compose service, Kubernetes
    /// workload or App Service, named by its label.
    Variables(Arc<str>),
}

/// One configuration value, with the key path .NET would give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// `Section:Sub:Key` as written (.NET compares keys case-insensitively).
    pub key: String,
    /// The value; numbers and booleans keep their text; `null` is empty.
    pub value: String,
    /// The value's location (for strings, including the quotes).
    pub origin: Location,
    pub key_span: Span,
    pub layer: Layer,
    /// The value is a string in the source (not a number, boolean or null).
    pub is_string: bool,
}

impl Setting {
    /// The last segment of the key path.
    pub fn name(&self) -> &str {
        self.key.rsplit(':').next().unwrap_or(&self.key)
    }

    pub fn file(&self) -> FileId {
        self.origin.file
    }

    /// The value with surrounding whitespace removed, `None` when that leaves nothing.
    pub fn text(&self) -> Option<&str> {
        let trimmed = self.value.trim();
        (!trimmed.is_empty()).then_some(trimmed)
    }

    pub fn is_false(&self) -> bool {
        self.value.trim().eq_ignore_ascii_case("false")
    }

    pub fn is_true(&self) -> bool {
        self.value.trim().eq_ignore_ascii_case("true")
    }
}

/// The lower-cased key used for case-insensitive lookups.
pub fn normalise_key(key: &str) -> String {
    key.to_ascii_lowercase()
}

/// The settings one file contributes, as one layer.
#[derive(Debug, Clone)]
pub struct ConfigLayer {
    pub layer: Layer,
    pub file: FileId,
    pub settings: Vec<Setting>,
    /// Where each object key (a section) is written, by lower-cased key path.
    pub section_keys: Vec<(String, Location)>,
}

/// The merged configuration of one or more layers: later layers replace earlier values key by
/// key, exactly as `ConfigurationBuilder` does. Views share their layers: a setting is stored
/// once however many environments it is evaluated in.
#[derive(Debug, Default)]
pub struct ConfigView {
    layers: Vec<Arc<ConfigLayer>>,
    /// The merged view: for each key, in first-seen order, its winning (layer, setting).
    merged: Vec<(u32, u32)>,
    /// Positions in `merged`, sorted by key without regard to ASCII case: lookups search it,
    /// so a view stores no key of its own.
    by_key: Vec<u32>,
    /// Every (layer, setting) by its position in `merged`, in layer order: a key's history
    /// is one range, however many keys the layers hold.
    history: Vec<(u32, (u32, u32))>,
}

/// Keys compared as .NET compares them: ASCII case-insensitively.
fn compare_keys(a: &str, b: &str) -> std::cmp::Ordering {
    compare_key_parts(a, &[b])
}

/// `stored` against the key the parts make when joined (a path need not be built to be looked
/// up), ASCII case-insensitively.
fn compare_key_parts(stored: &str, parts: &[&str]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let mut rest = stored.as_bytes();
    for part in parts {
        let part = part.as_bytes();
        let common = rest.len().min(part.len());
        for (a, b) in rest[..common].iter().zip(&part[..common]) {
            match a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        if rest.len() < part.len() {
            return Ordering::Less;
        }
        rest = &rest[common..];
    }
    if rest.is_empty() {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

impl ConfigView {
    pub fn from_layers(layers: impl IntoIterator<Item = Arc<ConfigLayer>>) -> Self {
        let mut view = ConfigView::default();
        // Only while merging: key → position in `merged`.
        let mut index: HashMap<String, usize> = HashMap::new();
        for layer in layers {
            let l = view.layers.len() as u32;
            for (i, setting) in layer.settings.iter().enumerate() {
                let at = (l, i as u32);
                let slot = match index.entry(normalise_key(&setting.key)) {
                    Entry::Occupied(m) => {
                        view.merged[*m.get()] = at;
                        *m.get()
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(view.merged.len());
                        view.merged.push(at);
                        view.merged.len() - 1
                    }
                };
                view.history.push((slot as u32, at));
            }
            view.layers.push(layer);
        }
        let mut by_key: Vec<u32> = (0..view.merged.len() as u32).collect();
        by_key.sort_by(|&a, &b| {
            compare_keys(
                &view.at(view.merged[a as usize]).key,
                &view.at(view.merged[b as usize]).key,
            )
        });
        view.by_key = by_key;
        view.merged.shrink_to_fit();
        // Stable: a key's values stay in layer order.
        view.history.sort_by_key(|(slot, _)| *slot);
        view
    }

    fn at(&self, (layer, setting): (u32, u32)) -> &Setting {
        &self.layers[layer as usize].settings[setting as usize]
    }

    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.find(|stored| compare_keys(stored, key))
    }

    /// The winning setting of `{section}:{name}`, without building the key.
    pub fn get_in(&self, section: &str, name: &str) -> Option<&Setting> {
        self.find(|stored| compare_key_parts(stored, &[section, ":", name]))
    }

    fn find(&self, compare: impl Fn(&str) -> std::cmp::Ordering) -> Option<&Setting> {
        self.by_key
            .binary_search_by(|&i| compare(&self.at(self.merged[i as usize]).key))
            .ok()
            .map(|found| self.at(self.merged[self.by_key[found] as usize]))
    }

    /// The merged settings, in the order their keys first appear.
    pub fn settings(&self) -> impl Iterator<Item = &Setting> + '_ {
        self.merged.iter().map(|&at| self.at(at))
    }

    /// Every setting of every layer, including those a later layer replaced, layer by layer.
    pub fn layered_settings(&self) -> impl Iterator<Item = &Setting> + '_ {
        self.layers.iter().flat_map(|layer| &layer.settings)
    }

    /// Every value any layer gave `key`, including those a later layer replaced.
    pub fn history<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Setting> + 'a {
        let slot = self
            .by_key
            .binary_search_by(|&i| compare_keys(&self.at(self.merged[i as usize]).key, key))
            .ok()
            .map(|found| self.by_key[found]);
        let range = slot.map_or(0..0, |slot| {
            let start = self.history.partition_point(|(s, _)| *s < slot);
            start..start + self.history[start..].partition_point(|(s, _)| *s == slot)
        });
        self.history[range].iter().map(|(_, at)| self.at(*at))
    }

    /// Where the section `path` is first written (its key in the earliest layer).
    pub fn section_location(&self, path: &str) -> Option<Location> {
        self.layers
            .iter()
            .flat_map(|layer| &layer.section_keys)
            .find(|(section, _)| section.eq_ignore_ascii_case(path))
            .map(|(_, location)| *location)
    }

    /// Settings whose key lies under `prefix` (any depth), in document order. The keys are
    /// sorted, so those under a prefix are one range: found by binary search, however many
    /// sections the file has.
    pub fn under<'a>(&'a self, prefix: &str) -> impl Iterator<Item = &'a Setting> + 'a {
        let prefix = format!("{}:", normalise_key(prefix));
        let key_of = |i: &u32| self.at(self.merged[*i as usize]).key.as_str();
        let start = self
            .by_key
            .partition_point(|i| compare_keys(key_of(i), &prefix) == std::cmp::Ordering::Less);
        let len = self.by_key[start..].partition_point(|i| {
            key_of(i)
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(&prefix))
        });
        // Positions in `merged` are first-seen order.
        let mut found = self.by_key[start..start + len].to_vec();
        found.sort_unstable();
        found
            .into_iter()
            .map(move |i| self.at(self.merged[i as usize]))
    }

    /// Every section path (a key path that has children), with its child names lower-cased.
    pub fn sections(&self) -> Vec<(String, Vec<String>)> {
        let mut order: Vec<String> = Vec::new();
        // Each section's children as listed, and as a set: a section may have many.
        let mut children: HashMap<String, (String, Vec<String>, HashSet<String>)> = HashMap::new();
        for setting in self.settings() {
            let key = setting.key.as_str();
            let colons = key.match_indices(':').map(|(i, _)| i);
            for (end, next_end) in colons.clone().zip(colons.skip(1).chain([key.len()])) {
                let section = &key[..end];
                let child = key[end + 1..next_end].to_ascii_lowercase();
                let normalised = normalise_key(section);
                let entry = children.entry(normalised).or_insert_with_key(|normalised| {
                    order.push(normalised.clone());
                    (section.to_string(), Vec::new(), HashSet::new())
                });
                if entry.2.insert(child.clone()) {
                    entry.1.push(child);
                }
            }
        }
        order
            .into_iter()
            .filter_map(|k| children.remove(&k).map(|(name, list, _)| (name, list)))
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    MicrosoftIdentityWeb,
    /// Microsoft.Identity.Web.OWIN on ASP.NET 4.x.
    MicrosoftIdentityWebOwin,
    AspnetcoreJwtBearer,
    AspnetcoreOpenIdConnect,
    /// Katana `UseOpenIdConnectAuthentication`.
    OwinOpenIdConnect,
    /// Katana `UseWindowsAzureActiveDirectoryBearerAuthentication`.
    OwinAzureAdBearer,
    /// Katana `UseOAuthBearerAuthentication` with an OpenID Connect key provider.
    OwinJwtBearer,
    /// Katana `UseWsFederationAuthentication`.
    OwinWsFederation,
    /// API Management `validate-jwt`.
    ApimValidateJwt,
    /// API Management `validate-azure-ad-token`.
    ApimValidateAzureAdToken,
    /// App Service / Functions / Container Apps authentication ("Easy Auth").
    AppServiceAuth,
    Oauth2Proxy,
    /// The retired `Microsoft.AspNetCore.Authentication.AzureAD.UI` (`AddAzureAD`,
    /// `AddAzureADBearer`).
    AzureAdUi,
    /// The retired `Microsoft.AspNetCore.Authentication.AzureADB2C.UI` (`AddAzureADB2C`,
    /// `AddAzureADB2CBearer`).
    AzureAdB2cUi,
    /// MSAL.js in a Blazor WebAssembly app (`wwwroot/appsettings.json`): a client.
    MsalBrowser,
    /// Spring Security's JWT resource server (`spring.security.oauth2.resourceserver.jwt`).
    SpringResourceServer,
    /// Spring Security's OAuth 2.0 client (`spring.security.oauth2.client.registration.*`).
    SpringOauth2Client,
    /// Spring Cloud Azure's Entra ID starter (`spring.cloud.azure.active-directory`).
    SpringCloudAzureAad,
    /// Spring Cloud Azure's B2C starter (`spring.cloud.azure.active-directory.b2c`).
    SpringCloudAzureAadB2c,
    /// azure-spring-boot 3.x (`azure.activedirectory`).
    AzureSpringBootAad,
    /// azure-spring-boot 3.x B2C (`azure.activedirectory.b2c`).
    AzureSpringBootAadB2c,
    /// One JWT rule of an Istio `RequestAuthentication`.
    IstioRequestAuthentication,
    /// One provider of Envoy's `jwt_authn` HTTP filter.
    EnvoyJwtAuthn,
    /// passport-azure-ad `BearerStrategy` (Node web APIs).
    PassportBearer,
    /// passport-azure-ad `OIDCStrategy` (Node web apps).
    PassportOidc,
    /// MSAL Node / MSAL.js configured in JSON or JavaScript/TypeScript: a client.
    MsalJs,
    /// The Python `identity` package (Flask/Django web apps on MSAL Python).
    PythonIdentity,
    /// fastapi-azure-auth (Python web APIs).
    FastapiAzureAuth,
}

impl Framework {
    /// Every framework, for tests that check each belongs to a stack.
    pub const ALL: &'static [Framework] = &[
        Framework::MicrosoftIdentityWeb,
        Framework::MicrosoftIdentityWebOwin,
        Framework::AspnetcoreJwtBearer,
        Framework::AspnetcoreOpenIdConnect,
        Framework::OwinOpenIdConnect,
        Framework::OwinAzureAdBearer,
        Framework::OwinJwtBearer,
        Framework::OwinWsFederation,
        Framework::ApimValidateJwt,
        Framework::ApimValidateAzureAdToken,
        Framework::AppServiceAuth,
        Framework::Oauth2Proxy,
        Framework::AzureAdUi,
        Framework::AzureAdB2cUi,
        Framework::MsalBrowser,
        Framework::IstioRequestAuthentication,
        Framework::EnvoyJwtAuthn,
        Framework::PassportBearer,
        Framework::PassportOidc,
        Framework::MsalJs,
        Framework::PythonIdentity,
        Framework::FastapiAzureAuth,
        Framework::SpringResourceServer,
        Framework::SpringOauth2Client,
        Framework::SpringCloudAzureAad,
        Framework::SpringCloudAzureAadB2c,
        Framework::AzureSpringBootAad,
        Framework::AzureSpringBootAadB2c,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Framework::MicrosoftIdentityWeb => "microsoft-identity-web",
            Framework::MicrosoftIdentityWebOwin => "microsoft-identity-web-owin",
            Framework::AspnetcoreJwtBearer => "aspnetcore-jwt-bearer",
            Framework::AspnetcoreOpenIdConnect => "aspnetcore-openid-connect",
            Framework::OwinOpenIdConnect => "owin-openid-connect",
            Framework::OwinAzureAdBearer => "owin-azure-ad-bearer",
            Framework::OwinJwtBearer => "owin-jwt-bearer",
            Framework::OwinWsFederation => "owin-ws-federation",
            Framework::ApimValidateJwt => "apim-validate-jwt",
            Framework::ApimValidateAzureAdToken => "apim-validate-azure-ad-token",
            Framework::AppServiceAuth => "app-service-auth",
            Framework::Oauth2Proxy => "oauth2-proxy",
            Framework::AzureAdUi => "aspnetcore-azuread-ui",
            Framework::AzureAdB2cUi => "aspnetcore-azureadb2c-ui",
            Framework::MsalBrowser => "msal-browser",
            Framework::SpringResourceServer => "spring-security-resource-server",
            Framework::SpringOauth2Client => "spring-security-oauth2-client",
            Framework::SpringCloudAzureAad => "spring-cloud-azure-active-directory",
            Framework::SpringCloudAzureAadB2c => "spring-cloud-azure-active-directory-b2c",
            Framework::AzureSpringBootAad => "azure-spring-boot-active-directory",
            Framework::AzureSpringBootAadB2c => "azure-spring-boot-active-directory-b2c",
            Framework::IstioRequestAuthentication => "istio-request-authentication",
            Framework::EnvoyJwtAuthn => "envoy-jwt-authn",
            Framework::PassportBearer => "passport-azure-ad-bearer",
            Framework::PassportOidc => "passport-azure-ad-oidc",
            Framework::MsalJs => "msal-js",
            Framework::PythonIdentity => "python-identity",
            Framework::FastapiAzureAuth => "fastapi-azure-auth",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Framework::MicrosoftIdentityWeb => "Microsoft.Identity.Web",
            Framework::MicrosoftIdentityWebOwin => "Microsoft.Identity.Web.OWIN",
            Framework::AspnetcoreJwtBearer => "ASP.NET Core JwtBearer",
            Framework::AspnetcoreOpenIdConnect => "ASP.NET Core OpenIdConnect",
            Framework::OwinOpenIdConnect => "Katana OpenIdConnect",
            Framework::OwinAzureAdBearer => "Katana Azure AD bearer",
            Framework::OwinJwtBearer => "Katana OAuth bearer",
            Framework::OwinWsFederation => "Katana WS-Federation",
            Framework::ApimValidateJwt => "API Management validate-jwt",
            Framework::ApimValidateAzureAdToken => "API Management validate-azure-ad-token",
            Framework::AppServiceAuth => "App Service authentication",
            Framework::Oauth2Proxy => "oauth2-proxy",
            Framework::AzureAdUi => "AzureAD.UI",
            Framework::AzureAdB2cUi => "AzureADB2C.UI",
            Framework::MsalBrowser => "MSAL.js (Blazor WebAssembly)",
            Framework::SpringResourceServer => "Spring Security resource server",
            Framework::SpringOauth2Client => "Spring Security OAuth 2.0 client",
            Framework::SpringCloudAzureAad => "Spring Cloud Azure Entra ID",
            Framework::SpringCloudAzureAadB2c => "Spring Cloud Azure B2C",
            Framework::AzureSpringBootAad => "azure-spring-boot Entra ID",
            Framework::AzureSpringBootAadB2c => "azure-spring-boot B2C",
            Framework::IstioRequestAuthentication => "Istio RequestAuthentication",
            Framework::EnvoyJwtAuthn => "Envoy jwt_authn",
            Framework::PassportBearer => "passport-azure-ad BearerStrategy",
            Framework::PassportOidc => "passport-azure-ad OIDCStrategy",
            Framework::MsalJs => "MSAL.js / MSAL Node",
            Framework::PythonIdentity => "identity (MSAL Python web apps)",
            Framework::FastapiAzureAuth => "fastapi-azure-auth",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    WebApi,
    WebApp,
    /// A gateway or proxy that validates tokens in front of an API.
    Gateway,
    /// A browser client that signs users in and asks for tokens, validating none.
    Client,
    Unknown,
}

impl Role {
    pub fn id(self) -> &'static str {
        match self {
            Role::WebApi => "web-api",
            Role::WebApp => "web-app",
            Role::Gateway => "gateway",
            Role::Client => "client",
            Role::Unknown => "unknown",
        }
    }
}

/// A downstream API the app calls: its base URL and the scopes it asks tokens for.
#[derive(Clone, Debug)]
pub struct DownstreamApi {
    pub section: String,
    pub base_url: Option<Setting>,
    /// Each scope with the setting that holds it (a space-separated string or an array item).
    pub scopes: Vec<(String, Setting)>,
}

/// Where startup code configures an app.
#[derive(Clone, Debug)]
pub struct CodeOrigin {
    /// The middleware or builder call.
    pub call: Location,
    /// Where the code names the configuration section it binds (the call when defaulted).
    pub section_named_at: Location,
    /// The section must exist: Microsoft.Identity.Web fails without it.
    pub section_required: bool,
    /// Every option the code assigns, by .NET-style key, whether or not its value is known.
    pub assigned: Vec<String>,
}

impl CodeOrigin {
    /// The code assigns `name` or an option below it (`TokenValidationParameters:...`).
    pub fn assigns(&self, name: &str) -> bool {
        self.assigned.iter().any(|key| {
            key.eq_ignore_ascii_case(name)
                || key
                    .get(..name.len() + 1)
                    .is_some_and(|head| head.eq_ignore_ascii_case(&format!("{name}:")))
        })
    }
}

/// One consumer of tokens with one framework.
#[derive(Debug)]
pub struct App {
    pub framework: Framework,
    pub role: Role,
    /// The configuration section, as written (`AzureAd`, `Authentication:Schemes:Bearer`).
    pub section: String,
    /// The environment layer set; `None` for the base files alone.
    pub environment: Option<String>,
    /// The file that defines the app (for a layered app, its base file).
    pub file: FileId,
    pub config: Arc<ConfigView>,
    pub downstream: Arc<Vec<DownstreamApi>>,
    /// Options not read from `section`: assigned in startup code, or taken from web.config keys
    /// by the samples' conventions, by .NET-style key (`Authority`, `TokenValidationParameters:ValidAudience`).
    pub bound: Vec<(String, Setting)>,
    /// The configuration is web.config `<appSettings>`: keys live at the root (`ida:ClientId`).
    pub flat: bool,
    /// Not an app: variables no app could be matched to, checked only for values that are wrong
    /// on their own.
    pub standalone: bool,
    pub code: Option<CodeOrigin>,
    /// Where a configuration that is not a section starts (a gateway policy, an auth resource).
    pub anchor: Option<Location>,
    /// The target frameworks and packages of the project the app belongs to, when known.
    pub project: Option<Arc<ProjectFacts>>,
    /// Options whose value is known only at deployment (an API Management named value in
    /// them), as written: their literal parts still tell the host, cloud and version. Rules
    /// never see these texts; models may read what the literal parts say.
    pub unresolved: Vec<(String, String)>,
}

impl App {
    /// An app defined by its own options (a gateway, a proxy, another stack's service): no
    /// configuration sections.
    pub fn from_options(
        framework: Framework,
        role: Role,
        section: String,
        environment: Option<String>,
        anchor: Location,
        options: Vec<(String, Setting)>,
    ) -> Self {
        App {
            framework,
            role,
            section,
            environment,
            file: anchor.file,
            config: Arc::new(ConfigView::default()),
            downstream: Arc::new(Vec::new()),
            bound: options,
            flat: true,
            standalone: false,
            code: None,
            anchor: Some(anchor),
            project: None,
            unresolved: Vec::new(),
        }
    }

    /// The option `name`: bound by code or convention, else the setting `{section}:{name}`.
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        if let Some((_, bound)) = self
            .bound
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            return Some(bound);
        }
        if self.flat {
            return None;
        }
        self.config.get_in(&self.section, name)
    }

    /// The option `name` as written, when its value is known only at deployment.
    pub fn unresolved(&self, name: &str) -> Option<&str> {
        self.unresolved
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, written)| written.as_str())
    }

    /// The option `name` is set to true.
    pub fn is_on(&self, name: &str) -> bool {
        self.setting(name).is_some_and(Setting::is_true)
    }

    /// The trimmed, non-empty value of `{section}:{name}`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.setting(name).and_then(Setting::text)
    }

    /// A value given either directly (`{name}`) or as array items (`{name}:0`, `{name}:1`, ...).
    pub fn values(&self, name: &str) -> Vec<&Setting> {
        let mut found: Vec<&Setting> = self
            .setting(name)
            .filter(|s| s.text().is_some())
            .into_iter()
            .collect();
        let is_item = |key: &str, prefix: &str| {
            key.len() > prefix.len() + 1
                && key
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                && key.as_bytes()[prefix.len()] == b':'
                && key.as_bytes()[prefix.len() + 1..]
                    .iter()
                    .all(u8::is_ascii_digit)
        };
        found.extend(
            self.bound
                .iter()
                .filter(|(k, s)| is_item(k, name) && s.text().is_some())
                .map(|(_, s)| s),
        );
        let prefix = format!("{}:{name}", self.section);
        found.extend(self.config.under(&prefix).filter(|s| {
            s.key.len() > prefix.len()
                && s.key[prefix.len() + 1..]
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && s.text().is_some()
        }));
        found
    }

    /// Every setting of the app: its section (for web.config, the `ida:` keys) and the values
    /// code or conventions bind that configuration does not hold.
    pub fn settings(&self) -> Box<dyn Iterator<Item = &Setting> + '_> {
        let own: Box<dyn Iterator<Item = &Setting>> = if self.flat {
            Box::new(
                self.config
                    .settings()
                    .filter(|s| s.key.len() > 4 && s.key[..4].eq_ignore_ascii_case("ida:")),
            )
        } else {
            Box::new(self.config.under(&self.section))
        };
        let composed = self
            .bound
            .iter()
            .map(|(_, s)| s)
            .filter(|s| self.config.get(&s.key).is_none_or(|c| c != *s));
        Box::new(own.chain(composed))
    }

    /// The section holds at least one value in some layer.
    pub fn section_exists(&self) -> bool {
        self.flat || self.config.under(&self.section).next().is_some()
    }

    /// The section's key, where findings about the section as a whole point.
    pub fn location(&self) -> Location {
        if let Some(anchor) = self.anchor {
            return anchor;
        }
        self.config
            .section_location(&self.section)
            .unwrap_or(Location {
                file: self.file,
                span: Span::default(),
            })
    }
}

/// What an app registration or service principal export says about an application.
#[derive(Clone, Debug, Default)]
pub struct RegistrationFacts {
    pub app_id: String,
    /// Where the export says the app signs tokens with SAML or custom keys.
    pub custom_signing_keys: Option<Location>,
    pub identifier_uris: Vec<String>,
    pub token_version: Option<u8>,
    pub origin: Option<Location>,
}

/// What the run knows beyond configuration: app registrations (from exports and from
/// `[[apps]]` entries of entralint.toml) and hosts the configuration trusts.
#[derive(Debug, Default)]
pub struct Facts {
    /// By lower-cased application id.
    pub registrations: HashMap<String, RegistrationFacts>,
    /// `[[apps]]` entries keyed by a path glob, relative to `root`.
    pub by_path: Vec<(globset::GlobMatcher, RegistrationFacts)>,
    pub root: std::path::PathBuf,
    /// Custom B2C domains and private identity front doors.
    pub trusted_hosts: Vec<String>,
    /// Client ids that some layer or environment asks signing keys for with `?appid=`.
    pub appid_requested: HashMap<String, Location>,
}

impl Facts {
    pub fn for_client_id(&self, client_id: &str) -> Option<&RegistrationFacts> {
        self.registrations
            .get(&client_id.trim().to_ascii_lowercase())
    }

    /// The registration of an app: by its client id, else by its file's path.
    pub fn for_app(
        &self,
        client_id: Option<&str>,
        path: &std::path::Path,
    ) -> Option<&RegistrationFacts> {
        client_id.and_then(|id| self.for_client_id(id)).or_else(|| {
            let relative = crate::source::relative_to(&self.root, path);
            self.by_path
                .iter()
                .find(|(glob, _)| glob.is_match(relative.as_ref()))
                .map(|(_, facts)| facts)
        })
    }

    pub fn trusts(&self, host: &str) -> bool {
        self.trusted_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(key: &str, value: &str, layer: Layer) -> Setting {
        Setting {
            key: key.into(),
            value: value.into(),
            origin: Location {
                file: FileId(0),
                span: Span::default(),
            },
            key_span: Span::default(),
            layer,
            is_string: true,
        }
    }

    fn layer(settings: Vec<Setting>) -> ConfigLayer {
        ConfigLayer {
            layer: settings[0].layer.clone(),
            file: FileId(0),
            settings,
            section_keys: Vec::new(),
        }
    }

    #[test]
    fn later_layers_replace_values_case_insensitively() {
        let base = layer(vec![
            setting("AzureAd:TenantId", "a", Layer::Base),
            setting("AzureAd:ClientId", "c", Layer::Base),
        ]);
        let prod = layer(vec![setting(
            "azuread:tenantid",
            "b",
            Layer::Environment("Production".into()),
        )]);
        let view = ConfigView::from_layers([Arc::new(base), Arc::new(prod)]);
        assert_eq!(view.get("AZUREAD:TENANTID").unwrap().value, "b");
        assert_eq!(view.get("AzureAd:ClientId").unwrap().value, "c");
        assert_eq!(view.settings().count(), 2);
    }

    #[test]
    fn keys_compare_as_if_joined() {
        use std::cmp::Ordering::*;
        assert_eq!(
            compare_key_parts("AzureAd:ClientId", &["azuread", ":", "CLIENTID"]),
            Equal
        );
        assert_eq!(
            compare_key_parts("AzureAd:ClientId", &["AzureAd", ":", "Client"]),
            Greater
        );
        assert_eq!(
            compare_key_parts("AzureAd:Client", &["AzureAd", ":", "ClientId"]),
            Less
        );
        assert_eq!(
            compare_key_parts("AzureAdB2C:X", &["AzureAd", ":", "X"]),
            Greater
        );
        assert_eq!(compare_key_parts("AzureAd", &["AzureAd", ":", "X"]), Less);
        assert_eq!(compare_key_parts("", &[""]), Equal);
    }

    #[test]
    fn get_in_finds_what_get_finds() {
        let base = layer(vec![
            setting("AzureAd:Instance", "i", Layer::Base),
            setting("AzureAdB2C:Instance", "b", Layer::Base),
            setting(
                "AzureAd:TokenValidationParameters:ValidAudience",
                "a",
                Layer::Base,
            ),
        ]);
        let view = ConfigView::from_layers([Arc::new(base)]);
        assert_eq!(view.get_in("azuread", "INSTANCE").unwrap().value, "i");
        assert_eq!(view.get_in("AzureAdB2C", "Instance").unwrap().value, "b");
        let audience = view.get_in("AzureAd", "TokenValidationParameters:ValidAudience");
        assert_eq!(audience.unwrap().value, "a");
        assert!(view.get_in("AzureAd", "ClientId").is_none());
        assert!(view.get_in("Azure", "Ad:Instance").is_none());
        let split_elsewhere = view.get_in("AzureAd:TokenValidationParameters", "ValidAudience");
        assert_eq!(split_elsewhere.unwrap().value, "a");
    }

    #[test]
    fn sections_list_children() {
        let base = layer(vec![
            setting("AzureAd:Instance", "x", Layer::Base),
            setting(
                "AzureAd:TokenValidationParameters:ValidAudiences:0",
                "y",
                Layer::Base,
            ),
        ]);
        let view = ConfigView::from_layers([Arc::new(base)]);
        let sections = view.sections();
        assert_eq!(
            sections[0],
            (
                "AzureAd".to_string(),
                vec![
                    "instance".to_string(),
                    "tokenvalidationparameters".to_string()
                ]
            )
        );
        assert!(
            sections
                .iter()
                .any(|(s, _)| s == "AzureAd:TokenValidationParameters:ValidAudiences")
        );
    }
}

/// A NuGet package a project references, with the version it asks for (from the project, a
/// `Directory.Packages.props` or `packages.config`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageReference {
    pub name: String,
    pub version: Option<String>,
    /// Where the version is written (the reference itself when it has none).
    pub at: Location,
}

/// What a project's build files say: its target frameworks and the packages it uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    pub target_frameworks: Vec<(String, Location)>,
    pub packages: Vec<PackageReference>,
}

impl ProjectFacts {
    /// The package `name` (NuGet ids compare without regard to case).
    pub fn package(&self, name: &str) -> Option<&PackageReference> {
        self.packages
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The lowest .NET (Core) major version the project targets: behaviour that changed
    /// between versions is judged on the oldest runtime the project still builds for.
    pub fn dotnet_major(&self) -> Option<u32> {
        use crate::domain::versions::{Runtime, runtime};
        self.target_frameworks
            .iter()
            .filter_map(|(moniker, _)| match runtime(moniker) {
                Some(Runtime::Core(major)) => Some(major),
                _ => None,
            })
            .min()
    }
}
