//! A host that no longer serves tokens (Microsoft Cloud Germany closed on 2021-10-29).

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule {
    id: "retired-host",
    doc: include_str!("../../rules/retired-host.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for url in ctx.inference.urls.iter().filter(|u| u.url.info.retired) {
        out.push(
            RULE.at(
                &url.setting,
                format!(
                    "`{}` uses '{}', a host of Microsoft Cloud Germany, which closed on 2021-10-29: metadata cannot be fetched (IDX20803) and no tokens are issued",
                    url.setting.key, url.url.host
                ),
            )
            .with_help("tenants moved to the public cloud: use https://login.microsoftonline.com and https://graph.microsoft.com"),
        );
    }
}
