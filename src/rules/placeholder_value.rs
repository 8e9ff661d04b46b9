//! A value is a sample or template placeholder that was never replaced.

use super::support::is_secret_key;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::values::placeholder_reason;

pub static RULE: Rule = Rule {
    id: "placeholder-value",
    doc: include_str!("../../rules/placeholder-value.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    for setting in ctx.app.settings() {
        // A value code composed from several keys (`string.Format(ida:AADInstance, ida:Tenant)`):
        // each key is reported where it is written, once.
        let composed = ctx
            .app
            .config
            .get(&setting.key)
            .is_some_and(|raw| raw.origin == setting.origin && raw.value != setting.value);
        if composed {
            continue;
        }
        let Some(reason) = placeholder_reason(&setting.value) else {
            continue;
        };
        let shown = if is_secret_key(&setting.key) {
            String::new()
        } else {
            format!(" '{}'", setting.value.trim())
        };
        out.push(
            RULE.at(
                setting,
                format!(
                    "`{}`{shown} is a placeholder ({reason}): {}",
                    setting.key,
                    consequence(&setting.key)
                ),
            )
            .with_help("replace it with the value from the app registration, or supply it from an environment layer or a secret store"),
        );
    }
    for api in ctx.app.downstream.iter() {
        let mut reported: Vec<crate::source::Location> = Vec::new();
        for (scope, setting) in &api.scopes {
            if reported.contains(&setting.origin) {
                continue;
            }
            // `[Enter your scope]` is split into words like a scope list: report the value once.
            let (shown, reason) = match placeholder_reason(&setting.value) {
                Some(reason) => {
                    reported.push(setting.origin);
                    (setting.value.trim(), reason)
                }
                None => match placeholder_reason(scope) {
                    Some(reason) => (scope.as_str(), reason),
                    None => continue,
                },
            };
            out.push(
                RULE.at(setting, format!("scope '{shown}' of `{}` is a placeholder ({reason}): token requests fail with AADSTS70011 (the scope is not valid)", api.section))
                    .with_help("use a scope of the API you call, e.g. api://<api-client-id>/.default"),
            );
        }
    }
}

/// What a placeholder left in the option `key` does at run time (array items by their list).
fn consequence(key: &str) -> &'static str {
    let name = (key.rsplit(':'))
        .find(|part| !part.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(key);
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        _ if is_secret_key(name) => {
            "every token request with this credential fails with AADSTS7000215 (invalid client secret provided)"
        }
        "clientid" | "client_id" | "appid" | "applicationid" => {
            "sign-in fails with AADSTS700016 (application not found in the directory) and tokens never match the expected audience (IDX10214)"
        }
        "tenantid" | "tenant" | "domain" | "--azure-tenant" => {
            "the authority names no tenant Entra ID knows: AADSTS90002 (tenant not found) and the metadata request fails (IDX20803)"
        }
        "instance" | "authority" | "metadataaddress" | "aadinstance" | "oidc_issuer_url"
        | "openidissuer" => "the metadata request fails (IDX20803: Unable to obtain configuration)",
        "audience" | "validaudience" | "audiences" | "validaudiences" => {
            "no token carries this audience, so every token fails with IDX10214"
        }
        "validissuer" | "validissuers" | "issuer" | "issuers" => {
            "no token carries this issuer, so every token fails with IDX10205"
        }
        "signupsigninpolicyid" => "no such user flow exists: the metadata request fails (IDX20803)",
        _ if lower.contains("scope") => {
            "token requests fail with AADSTS70011 (the scope is not valid)"
        }
        _ => {
            "the app starts, then sign-in or token validation fails (AADSTS700016, AADSTS90002, IDX10214, IDX20803)"
        }
    }
}
