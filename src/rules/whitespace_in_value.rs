//! An id or URL with leading or trailing whitespace: the frameworks do not trim it.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;

pub static RULE: Rule = Rule { id: "whitespace-in-value", doc: include_str!("../../rules/whitespace-in-value.md"), check: Check::App(check) };

const ID_AND_URL_KEYS: &[&str] = &[
    "clientid", "tenantid", "domain", "instance", "authority", "metadataaddress", "audience", "audiences",
    "validaudience", "validaudiences", "validissuer", "validissuers", "signupsigninpolicyid",
];

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings() {
        let mut names = setting.key.rsplit(':');
        let mut name = names.next().unwrap_or_default().to_ascii_lowercase();
        if name.bytes().all(|b| b.is_ascii_digit()) {
            name = names.next().unwrap_or_default().to_ascii_lowercase();
        }
        if !ID_AND_URL_KEYS.contains(&name.as_str()) || setting.text().is_none() || setting.value.trim() == setting.value {
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
            .with_help(format!("write it as '{}'", setting.value.trim())),
        );
    }
}
