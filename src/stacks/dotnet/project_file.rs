//! MSBuild project files (`*.csproj`), central package versions (`Directory.Packages.props`)
//! and `packages.config`: target frameworks and package versions.

use crate::model::{PackageReference, ProjectFacts};
use crate::read::xml::XmlElement;
use crate::source::{FileId, Location, Span};

/// The facts `root` (the parsed document of `text`) states.
pub fn extract(root: &XmlElement, text: &str, file: FileId) -> ProjectFacts {
    let mut facts = ProjectFacts::default();
    let at = |span: Span| Location { file, span };
    let mut stack: Vec<&XmlElement> = vec![root];
    while let Some(element) = stack.pop() {
        stack.extend(element.children.iter().rev());
        match element.local_name() {
            "TargetFramework" | "TargetFrameworks" | "TargetFrameworkVersion" => {
                if let Some((value, span)) = element_text(element, text) {
                    for moniker in value.split(';').filter(|m| !m.trim().is_empty()) {
                        facts
                            .target_frameworks
                            .push((moniker.trim().to_string(), at(span)));
                    }
                }
            }
            // `<PackageReference Include="X" Version="1" />`, `<PackageVersion ...>` (central),
            // `<package id="X" version="1" targetFramework="net48" />` (packages.config).
            "PackageReference" | "PackageVersion" | "package" => {
                let name = ["Include", "Update", "id"]
                    .iter()
                    .find_map(|n| element.attribute(n));
                let Some(name) = name else { continue };
                let version = (element.attribute("Version"))
                    .or_else(|| element.attribute("version"))
                    .map(|v| (v.value.clone(), v.value_span))
                    .or_else(|| {
                        let child = element
                            .children
                            .iter()
                            .find(|c| c.local_name() == "Version")?;
                        element_text(child, text)
                    });
                facts.packages.push(PackageReference {
                    name: name.value.clone(),
                    at: at(version.as_ref().map_or(name.value_span, |(_, s)| *s)),
                    version: version.map(|(v, _)| v),
                });
                if element.local_name() == "package"
                    && let Some(framework) = element.attribute("targetFramework")
                    && !facts
                        .target_frameworks
                        .iter()
                        .any(|(m, _)| *m == framework.value)
                {
                    facts
                        .target_frameworks
                        .push((framework.value.clone(), at(framework.value_span)));
                }
            }
            _ => {}
        }
    }
    facts
}

/// The text right after `element`'s start tag, up to the next tag, trimmed, with its span.
fn element_text(element: &XmlElement, text: &str) -> Option<(String, Span)> {
    let rest = text.get(element.span.end..)?;
    let raw = &rest[..rest.find('<').unwrap_or(rest.len())];
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = element.span.end + (raw.len() - raw.trim_start().len());
    Some((trimmed.to_string(), Span::new(start, start + trimmed.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::xml::parse;

    fn facts(text: &str) -> ProjectFacts {
        extract(&parse(text).unwrap().unwrap(), text, FileId(0))
    }

    #[test]
    fn sdk_project_frameworks_and_packages() {
        let text = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Identity.Web" Version="3.2.0" />
    <PackageReference Include="Microsoft.AspNetCore.Authentication.JwtBearer"><Version>8.0.8</Version></PackageReference>
    <PackageReference Include="Central.Managed" />
  </ItemGroup>
</Project>"#;
        let found = facts(text);
        let monikers: Vec<&str> = found
            .target_frameworks
            .iter()
            .map(|(m, _)| m.as_str())
            .collect();
        assert_eq!(monikers, ["net8.0", "net9.0"]);
        assert_eq!(found.dotnet_major(), Some(8));
        let web = found.package("microsoft.identity.web").unwrap();
        assert_eq!(web.version.as_deref(), Some("3.2.0"));
        assert_eq!(&text[web.at.span.start..web.at.span.end], "\"3.2.0\"");
        let jwt = found
            .package("Microsoft.AspNetCore.Authentication.JwtBearer")
            .unwrap();
        assert_eq!(jwt.version.as_deref(), Some("8.0.8"));
        assert_eq!(&text[jwt.at.span.start..jwt.at.span.end], "8.0.8");
        assert_eq!(found.package("Central.Managed").unwrap().version, None);
    }

    #[test]
    fn central_versions_and_packages_config() {
        let central = facts(
            r#"<Project><ItemGroup><PackageVersion Include="Microsoft.IdentityModel.Tokens" Version="7.1.2" /></ItemGroup></Project>"#,
        );
        assert_eq!(
            central
                .package("Microsoft.IdentityModel.Tokens")
                .unwrap()
                .version
                .as_deref(),
            Some("7.1.2")
        );
        let legacy = facts(
            r#"<packages><package id="Microsoft.Owin.Security.OpenIdConnect" version="4.2.2" targetFramework="net48" /></packages>"#,
        );
        assert_eq!(legacy.target_frameworks[0].0, "net48");
        assert_eq!(legacy.dotnet_major(), None);
        assert!(
            legacy
                .package("Microsoft.Owin.Security.OpenIdConnect")
                .is_some()
        );
    }
}
