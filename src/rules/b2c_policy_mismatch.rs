//! The B2C metadata is for another user flow or policy than the one the app signs users in with.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::identity_url::{Family, is_b2c_custom_policy, is_b2c_policy_name};

pub static RULE: Rule = Rule {
    id: "b2c-policy-mismatch",
    doc: include_str!("../../rules/b2c-policy-mismatch.md"),
    check: Check::App(check),
};

/// The app's other flows (password reset, profile editing) also return tokens to it, which are
/// validated with the one policy's metadata: a custom policy (`B2C_1A_`) among user flows
/// (`B2C_1_`), or the reverse, signs with other keys.
fn other_kind_flows(
    ctx: &AppContext,
    policy: &str,
    source: &crate::model::Setting,
    out: &mut Vec<Diagnostic>,
) {
    let app = ctx.app;
    for key in ["ResetPasswordPolicyId", "EditProfilePolicyId"] {
        let setting = app.setting(key).or_else(|| {
            app.flat
                .then(|| app.config.get(&format!("ida:{key}")))
                .flatten()
        });
        let Some(setting) = setting.filter(|s| usable(s).is_some_and(is_b2c_policy_name)) else {
            continue;
        };
        let flow = setting.value.trim();
        if is_b2c_custom_policy(flow) == is_b2c_custom_policy(policy) {
            continue;
        }
        let (this, that) = if is_b2c_custom_policy(flow) {
            ("a custom policy", "user flow")
        } else {
            ("a user flow", "custom policy")
        };
        out.push(
            RULE.at(setting, format!(
                "`{}` '{flow}' is {this}, but tokens are validated with the metadata of {that} '{policy}': custom policies and user flows sign with different keys, so tokens from '{flow}' fail signature validation (IDX10501 / IDX10503)",
                setting.key
            ))
            .with_severity(Severity::Error)
            .with_related(source.origin, "the metadata every token is validated with")
            .with_help("use custom policies (B2C_1A_) or user flows (B2C_1_) for every flow of the app, not both"),
        );
    }
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let configured = app
        .setting("SignUpSignInPolicyId")
        .or_else(|| {
            app.flat
                .then(|| app.config.get("ida:SignUpSignInPolicyId"))
                .flatten()
        })
        .filter(|s| usable(s).is_some_and(is_b2c_policy_name));
    let (Some(configured), Some(url), Some(source)) = (
        configured,
        ctx.inference.metadata_url(),
        ctx.metadata_source(),
    ) else {
        return;
    };
    if url.family() != Family::B2c {
        return;
    }
    let Some(policy) = url.shape().policy.filter(|p| is_b2c_policy_name(p)) else {
        return;
    };
    let wanted = configured.value.trim();
    other_kind_flows(ctx, &policy, source, out);
    if policy.eq_ignore_ascii_case(wanted) {
        return;
    }
    let keys_differ = is_b2c_custom_policy(&policy) != is_b2c_custom_policy(wanted);
    let (severity, consequence) = if keys_differ {
        (
            Severity::Error,
            "a custom policy and a user flow sign with different keys, so tokens fail signature validation (IDX10501 / IDX10503)",
        )
    } else {
        (
            Severity::Warning,
            "tokens of the configured policy are validated against another policy's metadata, which breaks as soon as their keys or settings differ",
        )
    };
    out.push(
        RULE.at(source, format!("the metadata address is for B2C policy '{policy}', but the app signs users in with '{wanted}': {consequence}"))
            .with_severity(severity)
            .with_related(configured.origin, "the policy the app signs users in with")
            .with_help(format!("build the metadata address from the configured policy ('{wanted}'), e.g. with {{0}}/{{1}} slots filled with the tenant and policy")),
    );
}
