//! Projects whose startup code sets the options itself, without an identity section: a folder
//! with a `.csproj` (or startup code) is a project. `AddJwtBearer(o => ...)` and
//! `Configure<JwtBearerOptions>(scheme, o => ...)` (upstream: dotnet/aspnetcore
//! src/Security/Authentication/JwtBearer/src/JwtBearerExtensions.cs registers the scheme's
//! named options; dotnet/runtime Microsoft.Extensions.Options applies Configure calls in order).

mod common;

use common::{entralint_in, find_app, inspect_apps, root, stdout};

const DIR: &str = "fixtures/code-options";

#[test]
fn findings_point_at_the_literal_in_code() {
    let output = entralint_in(&root(), &["check", DIR, "--format", "concise"]);
    let text = stdout(&output);
    let found: Vec<(&str, &str)> = text
        .lines()
        .map(|l| {
            let (place, _) = l.split_once(": ").unwrap();
            (place, &l[l.rfind('[').unwrap()..])
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "fixtures/code-options/api/Program.cs:8:29",
                "[multitenant-exact-issuer]"
            ),
            (
                "fixtures/code-options/api/Program.cs:13:64",
                "[graph-audience]"
            ),
        ],
        "{text}"
    );
}

#[test]
fn inspect_lists_code_only_schemes_with_their_amendments() {
    let apps = inspect_apps(DIR);
    let api = find_app(&apps, None, |f| f.ends_with("api/Program.cs"), "the API");
    assert_eq!(api["framework"], "aspnetcore-jwt-bearer");
    assert_eq!(
        api["metadata_address"],
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    );
    assert_eq!(
        api["audiences"],
        serde_json::json!(["https://graph.microsoft.com", "api://orders"])
    );
    let web = find_app(
        &apps,
        None,
        |f| f.ends_with("web/Program.cs"),
        "the web app",
    );
    assert_eq!(web["framework"], "aspnetcore-openid-connect");
    assert_eq!(apps.len(), 2);
}
