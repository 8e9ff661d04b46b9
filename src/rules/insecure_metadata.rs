//! Metadata over http, or `RequireHttpsMetadata: false`.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::fix::{Change, Fix};
use crate::infer::UrlSetting;
use crate::model::Setting;

pub static RULE: Rule = Rule {
    id: "insecure-metadata",
    doc: include_str!("../../rules/insecure-metadata.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let https_check_off = ctx
        .app
        .setting("RequireHttpsMetadata")
        .filter(|s| s.is_false());
    let http_allowed = https_check_off.is_some() || !ctx.inference.https_required;
    for url in ctx.sign_in_urls().filter(|u| u.url.scheme == "http") {
        if http_allowed {
            if url.url.info.is_identity_host() {
                out.push(RULE.at(
                    &url.setting,
                    format!("`{}` fetches Microsoft's metadata over http: signing keys could be replaced in transit, and Microsoft only serves it over https", url.setting.key),
                ).with_help("use https://").with_fix(to_https(url)));
            }
            continue;
        }
        let diagnostic = RULE
            .at(
                &url.setting,
                format!(
                    "`{}` is http: {}",
                    url.setting.key,
                    ctx.error_for(Failure::InsecureMetadata)
                ),
            )
            .with_help("use https://");
        // Microsoft serves its identity hosts over https only: the same URL with https is what
        // was meant. Another host may not serve https at all.
        out.push(diagnostic.with_fix(url.url.info.is_identity_host().then(|| to_https(url))));
    }
    if let Some(setting) = https_check_off
        && ctx.inference.is_microsoft()
        && ctx.inference.metadata_address.is_some()
    {
        out.push(disabled(setting));
    }
}

fn to_https(url: &UrlSetting) -> Fix {
    let value = &url.setting.value;
    let scheme_at = value.len() - value.trim_start().len();
    let mut fixed = value.clone();
    fixed.replace_range(scheme_at..scheme_at + "http".len(), "https");
    Fix::safe("Use https://", vec![Change::value(&url.setting, fixed)])
}

fn disabled(setting: &Setting) -> Diagnostic {
    RULE.at(setting, format!("`{}` is false: signing keys may be fetched without TLS and replaced by anyone on the path", setting.key))
        .with_help("remove it; Microsoft's identity hosts are always https")
}
