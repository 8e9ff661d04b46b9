//! The B2C metadata is for another user flow or policy than the one the app signs users in with.

use super::support::usable;
use super::{AppContext, Check, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::domain::identity_url::{Family, is_b2c_custom_policy, is_b2c_policy_name};
use crate::model::Role;

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
    // An API signs nobody in: its tokens come from the policy its clients sign in with.
    let (uses, related) = if app.role == Role::WebApi {
        (
            "the app expects tokens of",
            "the policy the app expects tokens of",
        )
    } else {
        (
            "the app signs users in with",
            "the policy the app signs users in with",
        )
    };
    out.push(
        RULE.at(source, format!("the metadata address is for B2C policy '{policy}', but {uses} '{wanted}': {consequence}"))
            .with_severity(severity)
            .with_related(configured.origin, related)
            .with_help(format!("build the metadata address from the configured policy ('{wanted}'), e.g. with {{0}}/{{1}} slots filled with the tenant and policy")),
    );
}

#[cfg(test)]
mod tests {
    //! upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet
    //! src/Microsoft.IdentityModel.Tokens/Validators.cs (signature keys come from the one
    //! metadata document the handler loads); B2C publishes one document per policy.
    use super::*;
    use crate::infer::tests_support::section_app;
    use crate::model::Framework;

    fn found(policy_in_metadata: &str, extra: &str, role: Role) -> Vec<(Severity, String)> {
        let json = format!(
            r#"{{"Authentication": {{"Schemes": {{"Bearer": {{"MetadataAddress": "https://contoso.b2clogin.com/contoso.onmicrosoft.com/{policy_in_metadata}/v2.0/.well-known/openid-configuration", "SignUpSignInPolicyId": "B2C_1_susi"{extra}}}}}}}}}"#
        );
        let mut app = section_app(
            Framework::AspnetcoreJwtBearer,
            "Authentication:Schemes:Bearer",
            &json,
            Some("net9.0"),
        );
        app.role = role;
        let out = crate::rules::findings_of(check, &app);
        out.into_iter().map(|d| (d.severity, d.message)).collect()
    }

    #[test]
    fn the_metadata_of_the_configured_policy_is_fine() {
        assert!(found("B2C_1_susi", "", Role::WebApi).is_empty());
    }

    #[test]
    fn another_user_flow_is_a_warning_and_an_api_signs_nobody_in() {
        let found = found("B2C_1_other", "", Role::WebApi);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Severity::Warning);
        assert!(
            found[0]
                .1
                .contains("the app expects tokens of 'B2C_1_susi'"),
            "{}",
            found[0].1
        );
        assert!(!found[0].1.contains("signs users in"));
    }

    #[test]
    fn a_custom_policy_against_a_user_flow_fails_signatures() {
        let found = found("B2C_1A_signin", "", Role::WebApp);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Severity::Error);
        assert!(found[0].1.contains("signs users in with 'B2C_1_susi'"));
        assert!(found[0].1.contains("IDX10501"));
    }

    #[test]
    fn another_flow_of_the_other_kind_is_validated_with_the_wrong_keys() {
        let found = found(
            "B2C_1_susi",
            r#", "ResetPasswordPolicyId": "B2C_1A_reset""#,
            Role::WebApp,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Severity::Error);
        assert!(
            found[0].1.contains("'B2C_1A_reset' is a custom policy"),
            "{}",
            found[0].1
        );
    }
}
