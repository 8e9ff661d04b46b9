//! Metadata over http, or `RequireHttpsMetadata: false`.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
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
    for url in ctx.sign_in_urls().filter(|u| u.url.scheme == "http") {
        if https_check_off.is_some() {
            if url.url.info.is_identity_host() {
                out.push(RULE.at(
                    &url.setting,
                    format!("`{}` fetches Microsoft's metadata over http: signing keys could be replaced in transit, and Microsoft only serves it over https", url.setting.key),
                ).with_help("use https://"));
            }
            continue;
        }
        out.push(
            RULE.at(
                &url.setting,
                format!(
                    "`{}` is http: the app throws at startup \"The MetadataAddress or Authority must use HTTPS unless disabled for development by setting RequireHttpsMetadata=false.\"",
                    url.setting.key
                ),
            )
            .with_help("use https://"),
        );
    }
    if let Some(setting) = https_check_off
        && ctx.inference.is_microsoft()
        && ctx.inference.metadata_address.is_some()
    {
        out.push(disabled(setting));
    }
}

fn disabled(setting: &Setting) -> Diagnostic {
    RULE.at(setting, format!("`{}` is false: signing keys may be fetched without TLS and replaced by anyone on the path", setting.key))
        .with_help("remove it; Microsoft's identity hosts are always https")
}
