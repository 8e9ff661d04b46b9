//! Package versions with a documented token-validation regression. Each entry cites its
//! upstream issue in rules/package-regression.md.

use super::{AppContext, Check, Rule};
use crate::diagnostic::Diagnostic;
use crate::domain::versions::PackageVersion;
use crate::model::{Framework, PackageReference, ProjectFacts};
use crate::stacks::dotnet::aspnetcore::bound_from_configuration;

pub static RULE: Rule = Rule {
    id: "package-regression",
    doc: include_str!("../../rules/package-regression.md"),
    check: Check::App(check),
};

/// The packages of the IdentityModel repository, released together at one version
/// (AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet `src/`). ADAL
/// (`Microsoft.IdentityModel.Clients.ActiveDirectory`) and the old
/// `Microsoft.IdentityModel.Protocol.Extensions` share the prefix, not the versions.
const IDENTITY_MODEL: &[&str] = &[
    "microsoft.identitymodel.abstractions",
    "microsoft.identitymodel.jsonwebtokens",
    "microsoft.identitymodel.logging",
    "microsoft.identitymodel.loggingextensions",
    "microsoft.identitymodel.protocols",
    "microsoft.identitymodel.protocols.openidconnect",
    "microsoft.identitymodel.protocols.signedhttprequest",
    "microsoft.identitymodel.protocols.wsfederation",
    "microsoft.identitymodel.tokens",
    "microsoft.identitymodel.tokens.saml",
    "microsoft.identitymodel.validators",
    "microsoft.identitymodel.xml",
    "system.identitymodel.tokens.jwt",
];

fn is_identity_model(name: &str) -> bool {
    IDENTITY_MODEL.contains(&name.to_ascii_lowercase().as_str())
}

fn version_of(package: &PackageReference) -> Option<PackageVersion> {
    package.version.as_deref().and_then(PackageVersion::parse)
}

fn check(ctx: &AppContext, out: &mut Vec<Diagnostic>) {
    let app = ctx.app;
    let validates = matches!(
        app.framework,
        Framework::MicrosoftIdentityWeb
            | Framework::AspnetcoreJwtBearer
            | Framework::AspnetcoreOpenIdConnect
            | Framework::AzureAdUi
            | Framework::AzureAdB2cUi
    );
    let Some(project) = app.project.as_deref().filter(|_| validates) else {
        return;
    };
    mixed_identity_model(project, out);
    handler_with_newer_tokens(project, out);
    if bound_from_configuration(app)
        && app.value("ValidIssuer").is_some()
        && !app.values("SigningKeys:0:Value").is_empty()
        && let Some(jwt) = project.package("Microsoft.AspNetCore.Authentication.JwtBearer")
        && version_of(jwt) == PackageVersion::parse("9.0.0")
    {
        out.push(
            RULE.diagnostic(jwt.at, format!(
                "{} 9.0.0 does not load the `SigningKeys` of a standalone `ValidIssuer` bound from `{}`: every token fails with IDX10500 (No security keys were provided), fixed in later 9.0 releases (dotnet/aspnetcore#59277)",
                jwt.name, app.section
            ))
            .with_help("update to the latest 9.0 patch, or list the issuer in ValidIssuers"),
        );
    }
}

/// Directly referenced IdentityModel packages on both sides of 7.4: from 7.4 the packages
/// moved internal types between each other, so a pre-7.4 package next to a 7.4+ one loads
/// types from two releases (the "Dependency Mismatch" issues of IdentityModel, #2510 and
/// #2670). Differences on one side of that boundary (7.4.0 next to 7.5.1) are not documented
/// to break anything and are not reported.
fn mixed_identity_model(project: &ProjectFacts, out: &mut Vec<Diagnostic>) {
    let Some(boundary) = PackageVersion::parse("7.4.0") else {
        return;
    };
    let versioned: Vec<(&PackageReference, PackageVersion)> = (project.packages.iter())
        .filter(|p| is_identity_model(&p.name))
        .filter_map(|p| Some((p, version_of(p)?)))
        .collect();
    let Some((newest, newest_version)) = versioned.iter().max_by(|a, b| a.1.cmp(&b.1)) else {
        return;
    };
    if *newest_version < boundary {
        return;
    }
    for (package, _) in versioned.iter().filter(|(_, v)| *v < boundary) {
        out.push(
            RULE.diagnostic(package.at, format!(
                "{} {} is older than {} {}: IdentityModel packages at different versions fail at run time with IDX10500 (No security keys were provided) or missing-method errors (AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet#2510, #2670)",
                package.name,
                package.version.as_deref().unwrap_or_default(),
                newest.name,
                newest.version.as_deref().unwrap_or_default(),
            ))
            .with_help(format!(
                "reference every Microsoft.IdentityModel.* package at {}",
                newest.version.as_deref().unwrap_or_default()
            )),
        );
    }
}

/// ASP.NET Core 8's handlers depend on Microsoft.IdentityModel.Protocols.OpenIdConnect 7.1.2;
/// a direct reference to a newer Tokens/JsonWebTokens (7.4 and later) without that package at
/// the same version breaks key resolution (dotnet/aspnetcore#57940).
fn handler_with_newer_tokens(project: &ProjectFacts, out: &mut Vec<Diagnostic>) {
    let handler = [
        "Microsoft.AspNetCore.Authentication.JwtBearer",
        "Microsoft.AspNetCore.Authentication.OpenIdConnect",
    ]
    .iter()
    .filter_map(|n| project.package(n))
    .find(|p| version_of(p).is_some_and(|v| v.major() == 8));
    let Some(handler) = handler else { return };
    // Protocols.OpenIdConnect referenced directly, or possibly brought at a newer version by
    // another reference (Microsoft.Identity.Web, the Validators): the version that wins is
    // unknown, so nothing is reported.
    let may_bring_protocols = |name: &str| {
        let name = name.to_ascii_lowercase();
        name.starts_with("microsoft.identity.web")
            || name.starts_with("microsoft.identitymodel.protocols")
            || name == "microsoft.identitymodel.validators"
    };
    if project
        .packages
        .iter()
        .any(|p| may_bring_protocols(&p.name))
    {
        return;
    }
    let Some(threshold) = PackageVersion::parse("7.4.0") else {
        return;
    };
    let newer = [
        "Microsoft.IdentityModel.Tokens",
        "Microsoft.IdentityModel.JsonWebTokens",
        "System.IdentityModel.Tokens.Jwt",
    ]
    .iter()
    .filter_map(|n| project.package(n))
    .find(|p| version_of(p).is_some_and(|v| v >= threshold));
    let Some(newer) = newer else { return };
    out.push(
        RULE.diagnostic(newer.at, format!(
            "{} {} is newer than the Microsoft.IdentityModel.Protocols.OpenIdConnect that {} {} brings (7.1.2): token validation fails with IDX10500 (No security keys were provided) (dotnet/aspnetcore#57940)",
            newer.name,
            newer.version.as_deref().unwrap_or_default(),
            handler.name,
            handler.version.as_deref().unwrap_or_default(),
        ))
        .with_help(format!(
            "also reference Microsoft.IdentityModel.Protocols.OpenIdConnect {}",
            newer.version.as_deref().unwrap_or_default()
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Location, Span};

    fn project(packages: &[(&str, &str)]) -> ProjectFacts {
        let at = Location {
            file: FileId(0),
            span: Span::default(),
        };
        ProjectFacts {
            target_frameworks: vec![("net8.0".into(), at)],
            packages: packages
                .iter()
                .map(|(name, version)| PackageReference {
                    name: name.to_string(),
                    version: Some(version.to_string()),
                    at,
                })
                .collect(),
        }
    }

    fn mixed(packages: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        mixed_identity_model(&project(packages), &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    // upstream: AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet#2510, #2670.
    #[test]
    fn only_mixing_across_7_4_is_a_regression() {
        let tokens = "Microsoft.IdentityModel.Tokens";
        let jwt = "System.IdentityModel.Tokens.Jwt";
        assert!(
            mixed(&[(tokens, "7.5.1"), (jwt, "7.5.0")]).is_empty(),
            "patch level"
        );
        assert!(
            mixed(&[(tokens, "6.35.0"), (jwt, "7.1.2")]).is_empty(),
            "both before 7.4"
        );
        let found = mixed(&[(tokens, "7.4.0"), (jwt, "7.1.2")]);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("System.IdentityModel.Tokens.Jwt 7.1.2"));
    }

    // upstream: dotnet/aspnetcore#57940.
    #[test]
    fn newer_tokens_next_to_the_net8_handler_unless_protocols_may_come_along() {
        let fires = |packages: &[(&str, &str)]| {
            let mut out = Vec::new();
            handler_with_newer_tokens(&project(packages), &mut out);
            out.len()
        };
        let handler = ("Microsoft.AspNetCore.Authentication.JwtBearer", "8.0.8");
        let tokens = ("Microsoft.IdentityModel.Tokens", "7.6.0");
        assert_eq!(fires(&[handler, tokens]), 1);
        assert_eq!(
            fires(&[handler, tokens, ("Microsoft.Identity.Web", "2.19.0")]),
            0
        );
        assert_eq!(
            fires(&[
                handler,
                tokens,
                ("Microsoft.IdentityModel.Protocols.OpenIdConnect", "7.6.0")
            ]),
            0
        );
    }

    #[test]
    fn only_the_packages_released_together_are_compared() {
        assert!(is_identity_model("Microsoft.IdentityModel.Tokens"));
        assert!(is_identity_model("System.IdentityModel.Tokens.Jwt"));
        assert!(!is_identity_model(
            "Microsoft.IdentityModel.Clients.ActiveDirectory"
        ));
        assert!(!is_identity_model(
            "Microsoft.IdentityModel.Protocol.Extensions"
        ));
    }
}
