//! An id or URL with leading or trailing whitespace: the frameworks do not trim it.

use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Change, Fix};
use std::collections::HashSet;

pub static RULE: Rule = Rule {
    id: "whitespace-in-value",
    doc: include_str!("../../rules/whitespace-in-value.md"),
    check: Check::App(check),
};

const ID_AND_URL_KEYS: &[&str] = &[
    "clientid",
    "tenantid",
    "domain",
    "instance",
    "authority",
    "metadataaddress",
    "audience",
    "audiences",
    "validaudience",
    "validaudiences",
    "validissuer",
    "validissuers",
    "signupsigninpolicyid",
];

/// Keys whose names are checked for padding too: .NET binds nothing to a padded key.
const OTHER_BOUND_KEYS: &[&str] = &[
    "callbackpath",
    "signedoutcallbackpath",
    "clientsecret",
    "requirehttpsmetadata",
    "tokenvalidationparameters",
];

/// The values the options already hold when nothing binds them: a padded key with one of these
/// changes nothing at run time. upstream: dotnet/aspnetcore
/// src/Security/Authentication/OpenIdConnect/src/OpenIdConnectOptions.cs (constructor:
/// `CallbackPath = "/signin-oidc"`, `SignedOutCallbackPath = "/signout-callback-oidc"`) and
/// `RemoteAuthenticationOptions`/`JwtBearerOptions` (`RequireHttpsMetadata = true`).
const DEFAULTS: &[(&str, &str)] = &[
    ("callbackpath", "/signin-oidc"),
    ("signedoutcallbackpath", "/signout-callback-oidc"),
    ("requirehttpsmetadata", "true"),
];

fn is_default(name: &str, value: &str) -> bool {
    DEFAULTS.iter().any(|(key, default)| {
        name.eq_ignore_ascii_case(key) && value.trim().eq_ignore_ascii_case(default)
    })
}

fn is_bound_key(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ID_AND_URL_KEYS.contains(&name.as_str()) || OTHER_BOUND_KEYS.contains(&name.as_str())
}

/// Whether the object holding `setting` in its file has another key equal to `name`, ASCII
/// case aside. upstream: dotnet/runtime src/libraries/Microsoft.Extensions.Configuration.Json/
/// src/JsonConfigurationFileParser.cs (`Error_KeyIsDuplicated`, keys compared ignoring case).
fn has_sibling_named(ctx: &AppContext, setting: &crate::model::Setting, name: &str) -> bool {
    let parent_len = setting.key.rfind(':').map_or(0, |colon| colon + 1);
    let parent = &setting.key[..parent_len];
    ctx.app.settings().any(|other| {
        other.file() == setting.file()
            && other
                .key
                .get(..parent_len)
                .is_some_and(|p| p.eq_ignore_ascii_case(parent))
            && other
                .key
                .get(parent_len..)
                .and_then(|rest| rest.split(':').next())
                .is_some_and(|sibling| sibling.eq_ignore_ascii_case(name))
    })
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let prefix_len = ctx.app.section.len() + 1;
    let mut padded_keys = HashSet::new();
    for setting in ctx.app.settings() {
        let own_key = setting.key.get(prefix_len..).unwrap_or_default();
        let first = own_key.split(':').next().unwrap_or_default();
        if first.trim() != first && is_bound_key(first.trim()) {
            if is_default(first.trim(), &setting.value) {
                continue;
            }
            // A padded key is a different key: its value is ignored, which matters only when
            // it differs from the default, so this is a warning.
            if !padded_keys.insert(first.to_string()) {
                continue;
            }
            let diagnostic = RULE.diagnostic(crate::source::Location { file: setting.file(), span: setting.key_span }, format!(
                    "the key '{first}' has leading or trailing whitespace, so .NET binds nothing to `{}:{}` and the value is silently ignored",
                    ctx.app.section,
                    first.trim()
                ))
                .with_key(setting.key.clone())
                .with_severity(Severity::Warning)
                .with_help(format!("write the key as \"{}\"", first.trim()));
            // The key span is the setting's own key: only a padded leaf can be renamed there.
            // Not when the object already holds the trimmed name: .NET refuses a JSON object
            // with two keys equal ignoring case ("A duplicate key ... was found").
            let own_name = own_key == first && !has_sibling_named(ctx, setting, first.trim());
            out.push(diagnostic.with_fix(own_name.then(|| {
                Fix::safe(
                    format!("Write the key as \"{}\"", first.trim()),
                    vec![Change::key(setting, first, first.trim())],
                )
            })));
            continue;
        }
        let mut names = setting.key.rsplit(':');
        let mut name = names.next().unwrap_or_default().to_ascii_lowercase();
        if name.bytes().all(|b| b.is_ascii_digit()) {
            name = names.next().unwrap_or_default().to_ascii_lowercase();
        }
        if !ID_AND_URL_KEYS.contains(&name.as_str())
            || setting.text().is_none()
            || setting.value.trim() == setting.value
        {
            continue;
        }
        out.push(
            RULE.at(
                setting,
                format!(
                    "`{}` has leading or trailing whitespace: it is used as written, so the metadata URL is wrong (IDX20803) or the id never matches (IDX10214, AADSTS700016)",
                    setting.key
                ),
            )
            .with_help(format!("write it as '{}'", setting.value.trim()))
            .with_fix(Fix::safe(
                "Remove the surrounding whitespace",
                vec![Change::value(setting, setting.value.trim())],
            )),
        );
    }
}
