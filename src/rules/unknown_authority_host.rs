//! An authority host that tries to be Microsoft's but is not one of its hosts (a typo).

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::hosts::intended_microsoft_host;
use crate::infer::UrlPurpose;

pub static RULE: Rule = Rule {
    id: "unknown-authority-host",
    doc: include_str!("../../rules/unknown-authority-host.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for url in ctx
        .inference
        .urls
        .iter()
        .filter(|u| u.purpose.is_sign_in() || u.purpose == UrlPurpose::Issuer)
    {
        if ctx.facts.trusts(&url.url.host) {
            continue;
        }
        let Some(intended) = intended_microsoft_host(&url.url.host) else {
            continue;
        };
        out.push(
            RULE.at(
                &url.setting,
                format!(
                    "`{}` uses host '{}', which is not a Microsoft identity host: the metadata request fails ({})",
                    url.setting.key,
                    url.url.host,
                    ctx.error_for(Failure::Metadata)
                ),
            )
            .with_help(format!("did you mean '{intended}'?")),
        );
    }
}
