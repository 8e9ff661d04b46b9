//! `UseWindowsAzureActiveDirectoryBearerAuthentication` with only a Tenant always reads public-
//! cloud WS-Federation metadata, whatever cloud or kind of tenant the app is configured for.

use super::support::url_of;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::hosts::{Cloud, HostKind};
use crate::domain::identity_url::{Family, is_b2c_policy_name};
use crate::model::{Framework, Setting};
use crate::stacks::dotnet::owin::azure_ad_bearer_metadata;

pub static RULE: Rule = Rule {
    id: "katana-bearer-fixed-host",
    doc: include_str!("../../rules/katana-bearer-fixed-host.md"),
    check: Check::App(check),
};

/// What says the tenant is not a public-cloud workforce tenant.
fn signal(setting: &Setting) -> Option<String> {
    if let Some(url) = url_of(setting) {
        if matches!(url.info.cloud, Cloud::UsGov | Cloud::China | Cloud::Germany) {
            return Some(format!(
                "{} ('{}')",
                url.info.cloud.display_name(),
                url.host
            ));
        }
        match url.family() {
            Family::B2c => return Some("an Azure AD B2C tenant".into()),
            Family::Ciam => return Some("an Entra External ID tenant".into()),
            _ => {}
        }
        if url.info.kind == HostKind::B2c {
            return Some("an Azure AD B2C tenant".into());
        }
    }
    let name = setting
        .key
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    (name.ends_with("policyid") && setting.text().is_some_and(is_b2c_policy_name))
        .then(|| "an Azure AD B2C tenant".into())
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    if app.framework != Framework::OwinAzureAdBearer || app.value("MetadataAddress").is_some() {
        return;
    }
    let Some(tenant) = app.setting("Tenant").filter(|s| s.text().is_some()) else {
        return;
    };
    let Some((found, what)) = app
        .config
        .settings()
        .chain(app.bound.iter().map(|(_, s)| s))
        .find_map(|s| signal(s).map(|w| (s, w)))
    else {
        return;
    };
    let metadata = azure_ad_bearer_metadata(tenant.value.trim());
    let help = if what.contains("B2C") || what.contains("External ID") {
        "this middleware only reads Entra ID WS-Federation metadata: use UseOAuthBearerAuthentication with an OpenID Connect key provider on the user flow's metadata, or Microsoft.Identity.Web.OWIN"
            .to_string()
    } else {
        "set MetadataAddress to the federation metadata of the tenant's cloud, e.g. https://login.microsoftonline.us/<tenant>/federationmetadata/2007-06/federationmetadata.xml".to_string()
    };
    out.push(
        RULE.at(
            tenant,
            format!(
                "`{}` alone makes UseWindowsAzureActiveDirectoryBearerAuthentication read '{metadata}' (public cloud, WS-Federation, v1.0 issuers), but the app is configured for {what}: the tenant is not found there or its keys and issuer do not match (IDX10205, IDX10501)",
                tenant.key
            ),
        )
        .with_related(found.origin, format!("says the app is for {what}"))
        .with_help(help),
    );
}
