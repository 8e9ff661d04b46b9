//! common/organizations metadata with a framework that compares issuers exactly.

use super::support::Failure;
use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::identity_url::Family;
use crate::domain::values::tenant_kind;
use crate::infer::IssuerCheck;

pub static RULE: Rule = Rule {
    id: "multitenant-exact-issuer",
    doc: include_str!("../../rules/multitenant-exact-issuer.md"),
    check: Check::App(check),
};

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    // Katana apps set their validation options in code: without it, nothing is known.
    if ctx.app.flat && ctx.app.code.is_none() && ctx.app.anchor.is_none() {
        return;
    }
    let inference = ctx.inference;
    if inference.family != Family::Entra {
        return;
    }
    if inference.issuer_check == IssuerCheck::Undocumented {
        return undocumented(ctx, out);
    }
    if inference.issuer_check != IssuerCheck::Exact {
        return;
    }
    // Only a discovered document states the template; frameworks that build their issuers
    // from the tenant (Spring Cloud Azure) have their own rule.
    if inference.metadata_address.is_none() {
        return;
    }
    let Some(tenant) = inference.tenant.as_deref() else {
        return;
    };
    if !tenant_kind(tenant).is_multi_tenant()
        || inference.issuer_settings.iter().any(|s| s.text().is_some())
    {
        return;
    }
    let Some(source) = ctx.metadata_source() else {
        return;
    };
    let failure = if tenant.eq_ignore_ascii_case("common") {
        Failure::CommonIssuer
    } else {
        Failure::Issuer
    };
    // The v1 document (no /v2.0) states the sts.windows.net template.
    let template = inference.issuers.first().cloned().unwrap_or_else(|| {
        format!(
            "https://{}/{{tenantid}}/v2.0",
            inference.cloud.v2_issuer_host()
        )
    });
    out.push(
        RULE.at(
            source,
            format!(
                "'{tenant}' metadata states the issuer template {template}, which {} compares with each token's issuer character for character: every token fails with {}",
                ctx.app.framework.display_name(),
                ctx.error_for(failure)
            ),
        )
        .with_help("list the tenants you accept in ValidIssuers (https://login.microsoftonline.com/<tenant-id>/v2.0), use a tenant-specific authority, or use Microsoft.Identity.Web, whose issuer validator handles multi-tenant authorities"),
    );
}

/// The framework's handling of the `{tenantid}` template is not documented (API Management
/// `validate-jwt` on common/organizations metadata without `<issuers>`): both outcomes are
/// wrong, and which one happens is not known, so both are said.
/// Notes: docs/stacks-verified.md §9 (MicrosoftDocs/azure-docs validate-jwt-policy.md says the
/// document supplies the issuer; #12552 shows IDX10205 against the metadata issuer).
fn undocumented(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let Some(source) = ctx.metadata_source() else {
        return;
    };
    let inference = ctx.inference;
    let tenant = inference.tenant.as_deref().unwrap_or_default();
    let template = inference.issuers.first().cloned().unwrap_or_default();
    out.push(
        RULE.at(
            source,
            format!(
                "'{tenant}' metadata states the issuer template {template} and no issuer is listed: how {} matches a template is not documented, so either every token fails ({}) or tokens of every tenant are accepted",
                ctx.app.framework.display_name(),
                ctx.error_for(super::support::Failure::Issuer)
            ),
        )
        .with_severity(crate::diagnostic::Severity::Warning)
        .with_help("list the tenants you accept (<issuers><issuer>https://login.microsoftonline.com/<tenant-id>/v2.0</issuer></issuers>), or require the tid claim"),
    );
}
