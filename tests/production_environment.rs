//! ASP.NET Core runs as `Production` when no environment is set (upstream: dotnet/runtime
//! src/libraries/Microsoft.Extensions.Hosting/src/HostBuilder.cs, `CreateHostingEnvironment`),
//! so a folder without `appsettings.Production.json` runs in production on its base file alone.

mod common;

use common::{entralint_in, find_app, inspect_apps, root, stdout};

const DIR: &str = "fixtures/base-is-production";

#[test]
fn a_graph_audience_in_the_base_fails_the_gate_when_only_development_replaces_it() {
    let output = entralint_in(
        &root(),
        &["check", &format!("{DIR}/api"), "--format", "concise"],
    );
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with(&format!("{DIR}/api/appsettings.json:6:17: error:")),
        "{text}"
    );
    assert!(lines[0].contains("(environment: Production)"), "{text}");
    assert!(lines[0].ends_with("[graph-audience]"), "{text}");
}

#[test]
fn inspect_lists_the_base_alone_as_production() {
    let apps = inspect_apps(&format!("{DIR}/api"));
    let base = |f: &str| f.ends_with("api/appsettings.json");
    let production = find_app(&apps, Some("Production"), base, "the base alone");
    assert_eq!(production["audiences"][0], "https://graph.microsoft.com");
    let development = find_app(&apps, Some("Development"), base, "Development");
    assert_eq!(
        development["audiences"][0],
        "api://6a1e2f3b-4c5d-4e7f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(apps.len(), 2);
}

#[test]
fn an_array_named_like_an_environment_file_is_read_as_the_app_service_export() {
    let apps = inspect_apps(&format!("{DIR}/exported"));
    assert_eq!(apps.len(), 1, "{apps:#?}");
    assert_eq!(
        apps[0]["environment"],
        "Production via appsettings.prod.json (App Service settings)"
    );
    assert_eq!(
        apps[0]["metadata_address"],
        "https://login.microsoftonline.us/organisations/v2.0/.well-known/openid-configuration"
    );
    let output = entralint_in(
        &root(),
        &["check", &format!("{DIR}/exported"), "--format", "concise"],
    );
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!(
            "{DIR}/exported/appsettings.prod.json:3:43: error:"
        )) && text.contains("[invalid-tenant]"),
        "{text}"
    );
}

#[test]
fn any_other_array_root_is_a_file_dotnet_refuses() {
    let output = entralint_in(
        &root(),
        &["check", &format!("{DIR}/array-root"), "--format", "concise"],
    );
    let text = stdout(&output);
    assert_eq!(
        text.trim_end(),
        format!(
            "{DIR}/array-root/appsettings.Staging.json:1:1: error: The top-level JSON element is an array, not an object: .NET refuses to load this file (FormatException at startup) [invalid-syntax]"
        )
    );
}
