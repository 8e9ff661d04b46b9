//! Where Node apps keep their options: passport-azure-ad strategy options and MSAL
//! configuration, in JSON files and in JavaScript/TypeScript modules (read lexically).

use super::module::{self, Module, ObjectLiteral, Piece, Property, Reference, Value};
use crate::domain::values::placeholder_reason;
use crate::model::{Framework, Layer, Setting};
use crate::read::json::{JsonNode, JsonValue};
use crate::source::{FileId, Location, Span};
use std::collections::{HashMap, HashSet};

/// A Node app one file configures, its options keyed the way the framework model reads them.
#[derive(Debug, Clone)]
pub struct NodeApp {
    pub framework: Framework,
    /// How reports name it: the object's binding or JSON path.
    pub section: String,
    pub at: Location,
    pub options: Vec<(String, Setting)>,
    /// Downstream APIs: (name, endpoint, scopes).
    pub downstream: Vec<(String, Option<Setting>, Vec<Setting>)>,
}

/// Modules larger than this are bundles or generated code (a vendored `msal-browser.js`), not
/// configuration: they are not tokenized, which also bounds the reader's memory (about 70 bytes
/// a token).
pub const MAX_MODULE_BYTES: usize = 1024 * 1024;

/// Cheap test before tokenizing a JavaScript/TypeScript file: its size, and the words the
/// readers look for.
pub fn module_may_configure(text: &str) -> bool {
    if text.len() > MAX_MODULE_BYTES {
        return false;
    }
    text.contains("identityMetadata") || text.contains("knownAuthorities") || {
        let has_msal = text.contains("msal") || text.contains("Msal");
        has_msal && text.contains("authority")
    }
}

fn setting(
    file: FileId,
    key: &str,
    value: &str,
    span: Span,
    key_span: Span,
    is_string: bool,
) -> Setting {
    Setting {
        key: key.to_string(),
        value: value.to_string(),
        origin: Location { file, span },
        key_span,
        layer: Layer::Base,
        is_string,
    }
}

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript modules
// ---------------------------------------------------------------------------------------------

/// The apps a module's object literals configure.
pub fn module_apps(text: &str, file: FileId) -> Vec<NodeApp> {
    if !module_may_configure(text) {
        return Vec::new();
    }
    let module = module::read(text);
    let mentions = |word: &str| text.contains(word);
    let names_msal = mentions("msal") || mentions("Msal") || mentions("knownAuthorities");
    // Looked at once per module, not once per options object.
    let only_oidc = mentions("OIDCStrategy") && !mentions("BearerStrategy");
    let mut apps = Vec::new();
    for object in &module.objects {
        // Options objects may sit below the exported object (`exports.creds`, `config.passport`).
        let passport: Vec<&str> = unique(
            (object.properties.iter()).filter_map(|p| options_prefix(&p.path, "identityMetadata")),
        );
        let msal: Vec<&str> = unique(object.properties.iter().filter_map(|p| {
            options_prefix(&p.path, "auth.authority")
                .or_else(|| options_prefix(&p.path, "auth.clientId"))
        }));
        if passport.is_empty() && (msal.is_empty() || !names_msal) {
            continue;
        }
        let indexed = Indexed::new(object, &passport, &msal);
        for prefix in &passport {
            if let Some(app) = passport_object(&module, &indexed, prefix, file, only_oidc) {
                apps.push(app);
            }
        }
        if names_msal {
            for prefix in &msal {
                // A library's own defaults (`clientId: ""`) configure no app.
                let client = indexed.get(&join(prefix, "auth.clientId"));
                if client.is_some_and(|c| c.value == Value::Text(String::new())) {
                    continue;
                }
                apps.push(msal_object(&module, &indexed, prefix, file));
            }
        }
    }
    let downstream = module_downstream(&module, file);
    if !downstream.is_empty() {
        for app in apps.iter_mut().filter(|a| a.framework == Framework::MsalJs) {
            app.downstream = downstream.clone();
        }
    }
    apps
}

/// The distinct items, in first-seen order.
fn unique<'p>(items: impl Iterator<Item = &'p str>) -> Vec<&'p str> {
    let mut seen = HashSet::new();
    items.filter(|item| seen.insert(*item)).collect()
}

/// `prefix` when `path` is `prefix.leaf` (or `leaf` itself, prefix empty).
fn options_prefix<'p>(path: &'p str, leaf: &str) -> Option<&'p str> {
    if path == leaf {
        return Some("");
    }
    path.strip_suffix(leaf)?.strip_suffix('.')
}

/// One object's properties by path, and those below each options object of interest: every
/// lookup is a hash lookup, however many properties a hostile object has.
struct Indexed<'o> {
    object: &'o ObjectLiteral,
    by_path: HashMap<&'o str, &'o Property>,
    /// For each options object (its path prefix), its properties with their path below it.
    below: HashMap<String, Vec<(&'o str, &'o Property)>>,
}

impl<'o> Indexed<'o> {
    fn new(object: &'o ObjectLiteral, passport: &[&str], msal: &[&str]) -> Self {
        let mut below: HashMap<String, Vec<(&str, &Property)>> = passport
            .iter()
            .map(|p| p.to_string())
            .chain(msal.iter().map(|p| join(p, "auth")))
            .map(|p| (p, Vec::new()))
            .collect();
        let mut by_path = HashMap::new();
        for property in &object.properties {
            by_path.insert(property.path.as_str(), property);
            // Each ancestor of the path (object nesting is bounded, so are ancestors).
            let path = property.path.as_str();
            if let Some(list) = below.get_mut("") {
                list.push((path, property));
            }
            for (dot, _) in path.match_indices('.') {
                if let Some(list) = below.get_mut(&path[..dot]) {
                    list.push((&path[dot + 1..], property));
                }
            }
        }
        Indexed {
            object,
            by_path,
            below,
        }
    }

    fn get(&self, path: &str) -> Option<&'o Property> {
        self.by_path.get(path).copied()
    }

    fn under(&self, prefix: &str) -> &[(&'o str, &'o Property)] {
        self.below.get(prefix).map_or(&[], Vec::as_slice)
    }
}

/// What a value reads as, without running anything: text, a `process.env` variable, or unknown.
enum Resolved {
    Text(String, bool),
    Env,
    List(Vec<(String, Span)>),
    Unknown,
    /// Assembled from an imported file (`config.credentials.tenantID`).
    Imported,
}

fn resolve(module: &Module, value: &Value, depth: usize) -> Resolved {
    match value {
        Value::Text(text) => Resolved::Text(text.clone(), true),
        Value::Scalar(text) => Resolved::Text(text.clone(), false),
        Value::List(items) => Resolved::List(items.clone()),
        Value::Ref(Reference::Env(_)) => Resolved::Env,
        Value::Ref(Reference::Path(path)) => resolve_path(module, path, depth),
        Value::Template(pieces) => {
            let mut text = String::new();
            for piece in pieces {
                match piece {
                    Piece::Text(t) => text.push_str(t),
                    Piece::Ref(Reference::Path(path)) => match resolve_path(module, path, depth) {
                        Resolved::Text(t, _) => text.push_str(&t),
                        Resolved::Imported => return Resolved::Imported,
                        _ => return Resolved::Unknown,
                    },
                    _ => return Resolved::Unknown,
                }
            }
            Resolved::Text(text, true)
        }
        Value::Unknown => Resolved::Unknown,
    }
}

/// A name bound by a top-level constant of the module (followed a few steps), or one imported
/// from another file.
fn resolve_path(module: &Module, path: &[String], depth: usize) -> Resolved {
    let Some(first) = path.first() else {
        return Resolved::Unknown;
    };
    if module.import(first).is_some() {
        return Resolved::Imported;
    }
    if path.len() > 1 || depth > 4 {
        return Resolved::Unknown;
    }
    match module.constant(first) {
        Some((value, _)) => resolve(module, value, depth + 1),
        None => Resolved::Unknown,
    }
}

/// Options of one object (below `prefix`), as settings keyed by their property path.
fn object_options(
    module: &Module,
    object: &Indexed,
    prefix: &str,
    file: FileId,
) -> Vec<(String, Setting)> {
    let mut options = Vec::new();
    // The options object's own members: deeper values are no option of these frameworks.
    let members = object
        .under(prefix)
        .iter()
        .filter(|(name, _)| !name.contains('.'));
    for &(name, property) in members {
        let key = property.path.replace('.', ":");
        let make = |value: &str, span: Span, is_string: bool| {
            setting(file, &key, value, span, property.key_span, is_string)
        };
        match resolve(module, &property.value, 0) {
            Resolved::Text(text, is_string) => {
                options.push((
                    name.to_string(),
                    make(&text, property.value_span, is_string),
                ));
            }
            Resolved::List(items) => {
                for (i, (item, span)) in items.iter().enumerate() {
                    let mut item_setting = make(item, *span, true);
                    item_setting.key = format!("{key}:{i}");
                    options.push((format!("{name}:{i}"), item_setting));
                }
            }
            // Known only when the process runs: the `||` fallback is what runs without the
            // variable; without a fallback the option is set but unknown.
            Resolved::Env => {
                let value = property.fallback.as_ref().map_or("", |(f, _)| f.as_str());
                let span = property
                    .fallback
                    .as_ref()
                    .map_or(property.value_span, |(_, s)| *s);
                options.push((name.to_string(), make(value, span, true)));
            }
            Resolved::Imported | Resolved::Unknown => {
                options.push((name.to_string(), make("", property.value_span, true)));
            }
        }
    }
    options
}

fn passport_object(
    module: &Module,
    object: &Indexed,
    prefix: &str,
    file: FileId,
    only_oidc: bool,
) -> Option<NodeApp> {
    let options = object_options(module, object, prefix, file);
    let metadata = object.get(&join(prefix, "identityMetadata"))?;
    // Assembled from an imported JSON file: that file is read as the sample convention instead.
    if matches!(resolve(module, &metadata.value, 0), Resolved::Imported) {
        return None;
    }
    let has = |name: &str| object.get(&join(prefix, name)).is_some();
    let framework = match object.object.binding.as_deref() {
        Some("OIDCStrategy") => Framework::PassportOidc,
        Some("BearerStrategy") => Framework::PassportBearer,
        // Options only web apps (the OIDC strategy) take.
        _ if has("redirectUrl") || has("responseType") => Framework::PassportOidc,
        _ if only_oidc => Framework::PassportOidc,
        _ => Framework::PassportBearer,
    };
    let section = match (object.object.binding.as_deref(), prefix) {
        (Some(binding), "") => binding.to_string(),
        (Some(binding), prefix) => format!("{binding}.{prefix}"),
        (None, "") => "identityMetadata".to_string(),
        (None, prefix) => prefix.to_string(),
    };
    Some(NodeApp {
        framework,
        section,
        at: Location {
            file,
            span: metadata.key_span,
        },
        options,
        downstream: Vec::new(),
    })
}

fn msal_object(module: &Module, object: &Indexed, prefix: &str, file: FileId) -> NodeApp {
    let auth = join(prefix, "auth");
    let options = object_options(module, object, &auth, file);
    let at = object
        .get(&join(&auth, "authority"))
        .or_else(|| object.get(&join(&auth, "clientId")))
        .map_or(object.object.at, |p| p.key_span);
    let section = match object.object.binding.as_deref() {
        Some(binding) => format!("{binding}.{auth}"),
        None => auth.clone(),
    };
    NodeApp {
        framework: Framework::MsalJs,
        section,
        at: Location { file, span: at },
        options,
        downstream: Vec::new(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `{ <name>: { endpoint: "...", scopes: [...] } }` objects (the samples' `protectedResources`):
/// the APIs a client calls and the scopes it asks for them.
fn module_downstream(
    module: &Module,
    file: FileId,
) -> Vec<(String, Option<Setting>, Vec<Setting>)> {
    let mut found = Vec::new();
    for object in &module.objects {
        if !object
            .properties
            .iter()
            .any(|p| p.path.ends_with("endpoint"))
        {
            continue;
        }
        let by_path: HashMap<&str, &Property> = (object.properties.iter())
            .map(|p| (p.path.as_str(), p))
            .collect();
        for property in &object.properties {
            let Some(base) = options_prefix(&property.path, "endpoint") else {
                continue;
            };
            let Value::Text(endpoint) = &property.value else {
                continue;
            };
            let scopes_path = join(base, "scopes");
            let Some(scopes) = by_path.get(scopes_path.as_str()) else {
                continue;
            };
            let Value::List(items) = &scopes.value else {
                continue;
            };
            let key = scopes_path.replace('.', ":");
            let scopes = items
                .iter()
                .enumerate()
                .map(|(i, (s, span))| {
                    setting(file, &format!("{key}:{i}"), s, *span, scopes.key_span, true)
                })
                .collect();
            let endpoint = setting(
                file,
                &property.path.replace('.', ":"),
                endpoint,
                property.value_span,
                property.key_span,
                true,
            );
            let name = match object.binding.as_deref() {
                Some(binding) => join(binding, base),
                None => base.to_string(),
            };
            found.push((name, Some(endpoint), scopes));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// JSON files
// ---------------------------------------------------------------------------------------------

/// Cheap test before parsing a JSON file.
pub fn json_may_configure(text: &str) -> bool {
    text.contains("identityMetadata")
        || (text.contains("\"credentials\"") && text.contains("\"metadata\""))
        || ((text.contains("\"auth\"") || text.contains("\"authOptions\""))
            && text.contains("\"clientId\""))
}

fn json_setting(
    file: FileId,
    key: &str,
    member_key_span: Span,
    node: &JsonNode,
) -> Option<Setting> {
    let (value, is_string) = match &node.value {
        JsonValue::String(s) => (s.clone(), true),
        JsonValue::Scalar(s) => (s.clone(), false),
        JsonValue::Null => (String::new(), false),
        _ => return None,
    };
    Some(setting(
        file,
        key,
        &value,
        node.span,
        member_key_span,
        is_string,
    ))
}

/// The members of a JSON object as options: scalars by name, arrays of scalars as `name:N`.
fn json_options(object: &JsonNode, path: &str, file: FileId) -> Vec<(String, Setting)> {
    let mut options = Vec::new();
    for member in object.members() {
        let key = if path.is_empty() {
            member.key.clone()
        } else {
            format!("{path}:{}", member.key)
        };
        match &member.value.value {
            JsonValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(s) =
                        json_setting(file, &format!("{key}:{i}"), member.key_span, item)
                    {
                        options.push((format!("{}:{i}", member.key), s));
                    }
                }
            }
            _ => options.extend(
                json_setting(file, &key, member.key_span, &member.value)
                    .map(|s| (member.key.clone(), s)),
            ),
        }
    }
    options
}

fn member<'j>(node: &'j JsonNode, key: &str) -> Option<&'j crate::read::json::JsonMember> {
    node.members().iter().rev().find(|m| m.key == key)
}

/// A string member with the member itself.
fn text<'j>(node: &'j JsonNode, key: &str) -> Option<(&'j str, &'j crate::read::json::JsonMember)> {
    member(node, key).and_then(|m| m.value.as_str().map(|s| (s, m)))
}

/// The Node apps a JSON file configures.
pub fn json_apps(root: &JsonNode, file: FileId) -> Vec<NodeApp> {
    let mut apps = Vec::new();
    // Strategy options written out (`{"identityMetadata": ...}`), at the root or one level down.
    let mut objects: Vec<(String, &JsonNode)> = vec![(String::new(), root)];
    objects.extend(
        root.members()
            .iter()
            .filter(|m| matches!(m.value.value, JsonValue::Object(_)))
            .map(|m| (m.key.clone(), &m.value)),
    );
    for (path, object) in &objects {
        if let Some(metadata) = member(object, "identityMetadata") {
            let framework = if member(object, "redirectUrl").is_some()
                || member(object, "responseType").is_some()
            {
                Framework::PassportOidc
            } else {
                Framework::PassportBearer
            };
            apps.push(NodeApp {
                framework,
                section: if path.is_empty() {
                    "identityMetadata".into()
                } else {
                    path.clone()
                },
                at: Location {
                    file,
                    span: metadata.key_span,
                },
                options: json_options(object, path, file),
                downstream: Vec::new(),
            });
        }
    }
    if apps.is_empty()
        && let Some(app) = sample_convention(root, file)
    {
        apps.push(app);
    }
    apps.extend(msal_json(root, file));
    apps
}

/// The Azure-Samples convention: `credentials` + `metadata` (+ `policies`, `settings`) from which
/// the sample's strategy module assembles the options (docs/stacks-verified.md §3.3):
/// Entra `identityMetadata = https://<metadata.authority>/<credentials.tenantID>/<metadata.version>/<metadata.discovery>`,
/// `issuer = https://<metadata.authority>/<credentials.tenantID>/<metadata.version>`,
/// `audience = credentials.clientID`; B2C (`settings.isB2C`)
/// `https://<tenantName>.b2clogin.com/<tenantName>.onmicrosoft.com/<policies.policyName>/<version>/<discovery>`
/// (or `https://<metadata.b2cDomain>/<credentials.tenantName>/...`).
fn sample_convention(root: &JsonNode, file: FileId) -> Option<NodeApp> {
    let credentials = root.get("credentials")?;
    let metadata = root.get("metadata")?;
    let client = member(credentials, "clientID")?;
    let settings = root.get("settings");
    let b2c_member = settings
        .and_then(|s| member(s, "isB2C"))
        .filter(|m| matches!(&m.value.value, JsonValue::Scalar(v) if v == "true"));
    let (version, _) = text(metadata, "version")?;
    let (discovery, _) = text(metadata, "discovery")?;
    let policy = root.get("policies").and_then(|p| member(p, "policyName"));
    let mut options: Vec<(String, Setting)> = Vec::new();
    let push_member = |options: &mut Vec<(String, Setting)>,
                       name: &str,
                       path: &str,
                       m: &crate::read::json::JsonMember| {
        if let Some(s) = json_setting(file, path, m.key_span, &m.value) {
            options.push((name.to_string(), s));
        }
    };
    push_member(&mut options, "clientID", "credentials:clientID", client);
    // A value assembled from parts: known only when every part is a real value; the parts are
    // reported where they are written.
    let compose = |parts: &[&str],
                   decisive: &crate::read::json::JsonMember,
                   template: String,
                   key: &str|
     -> Setting {
        let real = parts
            .iter()
            .all(|p| !p.trim().is_empty() && placeholder_reason(p).is_none());
        setting(
            file,
            key,
            if real { &template } else { "" },
            decisive.value.span,
            decisive.key_span,
            true,
        )
    };
    let at = if let Some(b2c_member) = b2c_member {
        let (tenant, tenant_member) = text(credentials, "tenantName")?;
        let (policy_name, policy_member) = policy.and_then(|m| m.value.as_str().map(|s| (s, m)))?;
        let url = match text(metadata, "b2cDomain") {
            Some((domain, _)) => {
                format!("https://{domain}/{tenant}/{policy_name}/{version}/{discovery}")
            }
            None => format!(
                "https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{policy_name}/{version}/{discovery}"
            ),
        };
        options.push((
            "identityMetadata".into(),
            compose(
                &[tenant, policy_name],
                tenant_member,
                url,
                "credentials:tenantName",
            ),
        ));
        push_member(
            &mut options,
            "policyName",
            "policies:policyName",
            policy_member,
        );
        push_member(&mut options, "isB2C", "settings:isB2C", b2c_member);
        tenant_member.key_span
    } else {
        let (tenant, tenant_member) = text(credentials, "tenantID")?;
        let (authority, _) = text(metadata, "authority")?;
        let authority = authority.trim_end_matches('/');
        let authority = authority.strip_prefix("https://").unwrap_or(authority);
        options.push((
            "identityMetadata".into(),
            compose(
                &[tenant],
                tenant_member,
                format!("https://{authority}/{tenant}/{version}/{discovery}"),
                "credentials:tenantID",
            ),
        ));
        options.push((
            "issuer".into(),
            compose(
                &[tenant],
                tenant_member,
                format!("https://{authority}/{tenant}/{version}"),
                "credentials:tenantID",
            ),
        ));
        push_member(&mut options, "audience", "credentials:clientID", client);
        tenant_member.key_span
    };
    if let Some(validate) = settings.and_then(|s| member(s, "validateIssuer")) {
        push_member(
            &mut options,
            "validateIssuer",
            "settings:validateIssuer",
            validate,
        );
    }
    // The tenant as written, for the rules that judge a tenant or a placeholder on its own.
    for m in credentials.members() {
        if matches!(m.key.as_str(), "tenantID" | "tenantName") {
            push_member(&mut options, &m.key, &format!("credentials:{}", m.key), m);
        }
    }
    Some(NodeApp {
        framework: Framework::PassportBearer,
        section: "credentials".into(),
        at: Location { file, span: at },
        options,
        downstream: Vec::new(),
    })
}

/// MSAL configuration in JSON: `auth: {clientId, authority, knownAuthorities}` (MSAL's own
/// shape), and the msal-node samples' `authOptions` with `policies.authorities.signUpSignIn`
/// and `policies.authorityDomain`, which the sample code hands MSAL as `knownAuthorities`.
fn msal_json(root: &JsonNode, file: FileId) -> Vec<NodeApp> {
    let mut apps = Vec::new();
    for name in ["auth", "authOptions"] {
        let Some(auth_member) = member(root, name) else {
            continue;
        };
        let auth = &auth_member.value;
        if member(auth, "clientId").is_none() {
            continue;
        }
        let mut options = json_options(auth, name, file);
        let policies = root.get("policies");
        if options.iter().all(|(k, _)| k != "authority")
            && let Some(sign_in) = policies
                .and_then(|p| p.get("authorities"))
                .and_then(|a| a.get("signUpSignIn"))
            && let Some(authority) = member(sign_in, "authority")
            && let Some(s) = json_setting(
                file,
                "policies:authorities:signUpSignIn:authority",
                authority.key_span,
                &authority.value,
            )
        {
            options.push(("authority".into(), s));
        }
        if let Some(domain) = policies.and_then(|p| member(p, "authorityDomain"))
            && let Some(s) = json_setting(
                file,
                "policies:authorityDomain",
                domain.key_span,
                &domain.value,
            )
        {
            let next = options
                .iter()
                .filter(|(k, _)| k.starts_with("knownAuthorities:"))
                .count();
            options.push((format!("knownAuthorities:{next}"), s));
        }
        let downstream = root
            .members()
            .iter()
            .filter_map(|m| {
                let endpoint = member(&m.value, "endpoint")?;
                let scopes = member(&m.value, "scopes")?;
                let JsonValue::Array(items) = &scopes.value.value else {
                    return None;
                };
                let scope_settings = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        json_setting(
                            file,
                            &format!("{}:scopes:{i}", m.key),
                            scopes.key_span,
                            item,
                        )
                    })
                    .collect();
                let endpoint = json_setting(
                    file,
                    &format!("{}:endpoint", m.key),
                    endpoint.key_span,
                    &endpoint.value,
                );
                Some((m.key.clone(), endpoint, scope_settings))
            })
            .collect();
        apps.push(NodeApp {
            framework: Framework::MsalJs,
            section: name.to_string(),
            at: Location {
                file,
                span: auth_member.key_span,
            },
            options,
            downstream,
        });
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(app: &'a NodeApp, key: &str) -> Option<&'a str> {
        app.options
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s.value.as_str())
    }

    #[test]
    fn bearer_options_in_a_module_with_env_and_constants() {
        let text = r#"
const { BearerStrategy } = require("passport-azure-ad");
const tenant = "contoso.onmicrosoft.com";
const options = {
  identityMetadata: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
  clientID: process.env.CLIENT_ID,
  audience: "https://graph.microsoft.com",
  validateIssuer: false,
  issuer: ["https://a/v2.0", "https://b/v2.0"],
};
passport.use(new BearerStrategy(options, verify));
"#;
        let apps = module_apps(text, FileId(3));
        assert_eq!(apps.len(), 1);
        let app = &apps[0];
        assert_eq!(app.framework, Framework::PassportBearer);
        assert_eq!(app.section, "options");
        assert_eq!(
            value(app, "identityMetadata"),
            Some(
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(value(app, "clientID"), Some(""));
        assert_eq!(value(app, "validateIssuer"), Some("false"));
        assert_eq!(value(app, "issuer:1"), Some("https://b/v2.0"));
        let audience = &app.options.iter().find(|(k, _)| k == "audience").unwrap().1;
        assert_eq!(
            &text[audience.origin.span.start..audience.origin.span.end],
            "\"https://graph.microsoft.com\""
        );
        assert_eq!(audience.key, "audience");
    }

    #[test]
    fn options_assembled_from_an_imported_json_are_left_to_that_file() {
        let text = r#"
const config = require('./authConfig.json');
const options = { identityMetadata: `https://${config.metadata.authority}/${config.credentials.tenantID}/v2.0/.well-known/openid-configuration`, clientID: config.credentials.clientID };
new BearerStrategy(options, verify);
"#;
        assert!(module_apps(text, FileId(0)).is_empty());
    }

    #[test]
    fn exported_oidc_credentials() {
        let text = "exports.creds = { identityMetadata: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration', clientID: 'c', responseType: 'code id_token', redirectUrl: 'http://localhost:3000/auth/openid/return' };";
        let apps = module_apps(text, FileId(0));
        assert_eq!(apps[0].framework, Framework::PassportOidc);
        assert_eq!(apps[0].section, "exports.creds");
    }

    #[test]
    fn msal_configuration_module_with_protected_resources() {
        let text = r#"
import { LogLevel } from "@azure/msal-browser";
export const msalConfig = {
  auth: {
    clientId: "11111111-1111-1111-1111-111111111111",
    authority: "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi",
    knownAuthorities: ["contoso.b2clogin.com"],
  },
};
export const protectedResources = {
  todoListApi: { endpoint: "https://localhost:44351/api/todolist", scopes: ["User.Read"] },
};
"#;
        let apps = module_apps(text, FileId(0));
        assert_eq!(apps.len(), 1);
        let app = &apps[0];
        assert_eq!(app.framework, Framework::MsalJs);
        assert_eq!(app.section, "msalConfig.auth");
        assert_eq!(
            value(app, "knownAuthorities:0"),
            Some("contoso.b2clogin.com")
        );
        assert_eq!(app.downstream.len(), 1);
        assert_eq!(app.downstream[0].0, "protectedResources.todoListApi");
        assert_eq!(app.downstream[0].2[0].value, "User.Read");
    }

    #[test]
    fn library_defaults_and_bundles_are_no_apps() {
        let defaults = "const DEFAULT_AUTH_OPTIONS = { auth: { clientId: \"\", authority: \"https://login.microsoftonline.com/common/\", knownAuthorities: [] } };";
        assert!(module_apps(defaults, FileId(0)).is_empty());
        let bundle = format!("{defaults}{}", " ".repeat(MAX_MODULE_BYTES));
        assert!(!module_may_configure(&bundle));
    }

    #[test]
    fn unrelated_modules_are_not_tokenized() {
        assert!(!module_may_configure(
            "export const x = { authority: 'y' };"
        ));
        assert!(module_apps("const a = { b: 1 };", FileId(0)).is_empty());
    }

    fn json(text: &str) -> JsonNode {
        crate::read::json::parse(text).unwrap().unwrap()
    }

    #[test]
    fn sample_convention_entra_shape() {
        let root = json(
            r#"{"credentials": {"tenantID": "72f988bf-86f1-41af-91ab-2d7cd011db47", "clientID": "c"},
            "metadata": {"authority": "login.microsoftonline.com", "discovery": ".well-known/openid-configuration", "version": "v2.0"},
            "settings": {"validateIssuer": true}}"#,
        );
        let apps = json_apps(&root, FileId(0));
        assert_eq!(apps.len(), 1);
        assert_eq!(
            value(&apps[0], "identityMetadata"),
            Some(
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(
            value(&apps[0], "issuer"),
            Some("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")
        );
        assert_eq!(value(&apps[0], "audience"), Some("c"));
    }

    #[test]
    fn sample_convention_b2c_shape_ignores_the_dead_authority() {
        let root = json(
            r#"{"credentials": {"tenantName": "fabrikamb2c", "clientID": "c"},
            "policies": {"policyName": "B2C_1_susi"},
            "metadata": {"authority": "login.microsoftonline.com", "discovery": ".well-known/openid-configuration", "version": "v2.0"},
            "settings": {"isB2C": true, "validateIssuer": true}}"#,
        );
        let apps = json_apps(&root, FileId(0));
        assert_eq!(
            value(&apps[0], "identityMetadata"),
            Some(
                "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration"
            )
        );
        assert_eq!(value(&apps[0], "isB2C"), Some("true"));
    }

    #[test]
    fn placeholder_parts_leave_the_composed_value_unknown_and_are_reported_as_written() {
        let root = json(
            r#"{"credentials": {"tenantID": "Enter_the_Tenant_Info_Here", "clientID": "Enter_the_Application_Id_Here"},
            "metadata": {"authority": "login.microsoftonline.com", "discovery": ".well-known/openid-configuration", "version": "v2.0"}}"#,
        );
        let apps = json_apps(&root, FileId(0));
        assert_eq!(value(&apps[0], "identityMetadata"), Some(""));
        assert_eq!(
            value(&apps[0], "tenantID"),
            Some("Enter_the_Tenant_Info_Here")
        );
    }

    #[test]
    fn msal_node_sample_shapes() {
        let root = json(
            r#"{"authOptions": {"clientId": "c"},
            "policies": {"authorities": {"signUpSignIn": {"authority": "https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/B2C_1_susi"}},
                         "authorityDomain": "fabrikamb2c.b2clogin.com"},
            "resourceApi": {"endpoint": "https://fabrikamb2chello.azurewebsites.net/hello", "scopes": ["https://fabrikamb2c.onmicrosoft.com/helloapi/demo.read"]}}"#,
        );
        let apps = json_apps(&root, FileId(0));
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].framework, Framework::MsalJs);
        assert!(
            value(&apps[0], "authority")
                .unwrap()
                .ends_with("B2C_1_susi")
        );
        assert_eq!(
            value(&apps[0], "knownAuthorities:0"),
            Some("fabrikamb2c.b2clogin.com")
        );
        assert_eq!(apps[0].downstream[0].0, "resourceApi");
    }

    #[test]
    fn strategy_options_written_in_json() {
        let root = json(
            r#"{"passport": {"identityMetadata": "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration", "clientID": "c", "issuer": ["https://x"]}}"#,
        );
        let apps = json_apps(&root, FileId(0));
        assert_eq!(apps[0].section, "passport");
        assert_eq!(value(&apps[0], "issuer:0"), Some("https://x"));
        assert_eq!(apps[0].options[0].1.key, "passport:identityMetadata");
    }
}
