//! One app mixes hosts of different national clouds: tokens of one cloud are not valid in another.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::hosts::Cloud;

pub static RULE: Rule = Rule {
    id: "cloud-mismatch",
    doc: include_str!("../../rules/cloud-mismatch.md"),
    check: Check::App(check),
};

fn known(cloud: Cloud) -> bool {
    !matches!(cloud, Cloud::Unknown | Cloud::Germany)
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let reference = if known(ctx.inference.cloud) {
        ctx.inference.cloud
    } else {
        match ctx
            .sign_in_urls()
            .map(|u| u.url.info.cloud)
            .find(|c| known(*c))
        {
            Some(cloud) => cloud,
            None => return,
        }
    };
    let anchor = ctx
        .metadata_source()
        .or_else(|| ctx.sign_in_urls().next().map(|u| &u.setting));
    // An Instance beside an Authority is one cause, reported once by authority-conflict.
    let authority_wins = ctx.is_identity_web() && ctx.app.value("Authority").is_some();
    for url in ctx.inference.urls.iter() {
        if authority_wins && url.purpose == crate::infer::UrlPurpose::Instance {
            continue;
        }
        let cloud = url.url.info.cloud;
        // v1.0 issuers of the US Government cloud also use sts.windows.net.
        let shared_v1_host = url.url.host == "sts.windows.net" && reference == Cloud::UsGov;
        if !known(cloud) || cloud == reference || shared_v1_host {
            continue;
        }
        let mut diagnostic = RULE.at(
            &url.setting,
            format!(
                "`{}` uses a host of {} ('{}') while the app signs in with {}: tokens of one national cloud are not valid in another (IDX10205, IDX10501, AADSTS900382)",
                url.setting.key,
                cloud.display_name(),
                url.url.host,
                reference.display_name()
            ),
        )
        .with_help(format!("use the {} host, e.g. {} or {}", reference.display_name(), reference.login_host(), reference.graph_host()));
        if let Some(anchor) = anchor {
            diagnostic = diagnostic.with_related(
                anchor.origin,
                format!("signs in with {}", reference.display_name()),
            );
        }
        out.push(diagnostic);
    }
}
