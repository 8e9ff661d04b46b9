//! Apps one file defines by their options (gateways, proxies, other stacks' services) become
//! apps. API Management policies are evaluated once
//! with the extracted named values and once per `configuration.<env>.yaml` that overrides them.

use crate::model::{App, Framework, Setting};
use crate::stacks::FileApp;
use crate::stacks::apim::policy::{
    NamedValue, NamedValues, named_value_references, resolve_named_values,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An app one file defines, and the folder of that file.
#[derive(Debug)]
pub struct FileAppInput {
    pub dir: PathBuf,
    pub app: FileApp,
}

/// Named values and the folder they apply under (the APIOps artifacts root, or the template's folder).
#[derive(Debug)]
pub struct NamedValuesFile {
    pub root: PathBuf,
    pub named_values: NamedValues,
}

/// Named values by lower-cased name; a later one (an environment's) replaces an earlier.
fn by_name<'a>(values: &[&'a NamedValue]) -> HashMap<String, &'a NamedValue> {
    values
        .iter()
        .map(|v| (v.name.to_ascii_lowercase(), *v))
        .collect()
}

fn app(gateway: &FileApp, environment: Option<String>, values: &[&NamedValue]) -> App {
    let is_apim = matches!(
        gateway.framework,
        Framework::ApimValidateJwt | Framework::ApimValidateAzureAdToken
    );
    let named = if is_apim {
        by_name(values)
    } else {
        HashMap::new()
    };
    let lookup = |name: &str| {
        named
            .get(&name.to_ascii_lowercase())
            .map(|v| v.value.clone())
    };
    let mut unresolved = Vec::new();
    let bound = gateway
        .options
        .iter()
        .map(|(option, setting)| {
            let mut setting = setting.clone();
            if is_apim {
                // Unknown until the policy runs: kept (the option is set) but empty, and its
                // text kept aside for what its literal parts tell.
                let resolved = resolve_named_values(&setting.value, &lookup);
                if resolved.is_none() && !named_value_references(&setting.value).is_empty() {
                    unresolved.push((option.clone(), setting.value.clone()));
                }
                setting.value = resolved.unwrap_or_default();
            }
            (option.clone(), setting)
        })
        .collect();
    let mut app = App::from_options(
        gateway.framework,
        gateway.role,
        gateway.section.clone(),
        environment,
        gateway.at,
        bound,
    );
    app.unresolved = unresolved;
    app.downstream = std::sync::Arc::new(downstream_apis(&app.bound));
    app
}

/// Options `downstream:<api>:endpoint` and `downstream:<api>:scopes:<n>` name the APIs a client
/// calls and the scopes it asks tokens for them with.
fn downstream_apis(options: &[(String, Setting)]) -> Vec<crate::model::DownstreamApi> {
    let mut apis: Vec<crate::model::DownstreamApi> = Vec::new();
    let mut positions: HashMap<&str, usize> = HashMap::new();
    for (key, setting) in options {
        let Some(rest) = key.strip_prefix("downstream:") else {
            continue;
        };
        let (api, field) = match rest.rsplit_once(":endpoint") {
            Some((api, "")) => (api, None),
            _ => match rest.rsplit_once(":scopes:") {
                Some((api, _)) => (api, Some(setting)),
                None => continue,
            },
        };
        let index = *positions.entry(api).or_insert_with(|| {
            apis.push(crate::model::DownstreamApi {
                section: api.to_string(),
                base_url: None,
                scopes: Vec::new(),
            });
            apis.len() - 1
        });
        match field {
            None => apis[index].base_url = Some(setting.clone()),
            Some(scope) => apis[index]
                .scopes
                .push((scope.value.trim().to_string(), scope.clone())),
        }
    }
    apis
}

/// Which apps lay over which. Apps of the same framework and section in the same folder are one
/// app: those with `environment: None` are its base, merged by precedence when they carry one (Spring's
/// `application.yml` and `application.properties`); those with `environment: Some(e)` are laid
/// over the base, merged by precedence with the others of `e` (`application-prod.yml` and
/// `application-prod.properties`), and yield the app for `e`. An overlay whose folder holds no
/// base is laid over the only such base below its folder (variables name a project, whose
/// configuration lives in a subfolder such as `src/main/resources`). An overlay without a base
/// stands alone. The first member of a group assembles it; the others yield nothing.
#[derive(Default)]
pub struct Layering {
    /// Members of each group by the position of the member that assembles it, in input order.
    members: HashMap<usize, Vec<usize>>,
    /// Positions assembled by another.
    folded: Vec<bool>,
}

impl Layering {
    pub fn new(inputs: &[FileAppInput]) -> Self {
        type Key = (PathBuf, Framework, String);
        let key = |input: &FileAppInput| -> Key {
            (
                input.dir.clone(),
                input.app.framework,
                input.app.section.to_ascii_lowercase(),
            )
        };
        // The first base of each group, and the bases by framework and section.
        let mut leader: HashMap<Key, usize> = HashMap::new();
        let mut by_section: HashMap<(Framework, String), Vec<usize>> = HashMap::new();
        for (i, input) in inputs.iter().enumerate() {
            if input.app.environment.is_none() {
                let k = key(input);
                let section = (k.1, k.2.clone());
                if let std::collections::hash_map::Entry::Vacant(first) = leader.entry(k) {
                    first.insert(i);
                    by_section.entry(section).or_default().push(i);
                }
            }
        }
        let only_below = |input: &FileAppInput| {
            let section = (input.app.framework, input.app.section.to_ascii_lowercase());
            let mut below = (by_section.get(&section).into_iter().flatten())
                .filter(|&&b| inputs[b].dir.starts_with(&input.dir));
            match (below.next(), below.next()) {
                (Some(&only), None) => Some(only),
                _ => None,
            }
        };
        let mut layering = Layering {
            members: HashMap::new(),
            folded: vec![false; inputs.len()],
        };
        for (i, input) in inputs.iter().enumerate() {
            let base = leader.get(&key(input)).copied();
            let lead = match (&input.app.environment, base) {
                // Bases merge only when both say they are parts of one app (a precedence).
                (None, Some(lead))
                    if lead == i
                        || (input.app.precedence.is_some()
                            && inputs[lead].app.precedence.is_some()) =>
                {
                    lead
                }
                (None, Some(_)) => continue,
                (Some(_), Some(lead)) => lead,
                (Some(_), None) => match only_below(input) {
                    Some(lead) => lead,
                    None => continue,
                },
                (None, None) => continue,
            };
            layering.members.entry(lead).or_default().push(i);
            layering.folded[i] = lead != i;
        }
        layering
    }

    /// The apps assembled for position `i`: none for a member another assembles.
    pub fn apps(
        &self,
        inputs: &[FileAppInput],
        i: usize,
        named_values: &[NamedValuesFile],
    ) -> Vec<App> {
        if self.folded[i] {
            return Vec::new();
        }
        let Some(members) = self.members.get(&i) else {
            return apps(&inputs[i], named_values);
        };
        let merged = |chosen: Vec<usize>| -> FileApp {
            let mut chosen = chosen;
            chosen.sort_by_key(|&m| inputs[m].app.precedence);
            let mut merged = inputs[chosen[0]].app.clone();
            for &m in &chosen[1..] {
                merged = laid_over(&merged, &inputs[m].app);
            }
            merged
        };
        let bases: Vec<usize> = (members.iter().copied())
            .filter(|&m| inputs[m].app.environment.is_none())
            .collect();
        let base = merged(bases);
        let mut environments: Vec<&String> = Vec::new();
        for &m in members {
            if let Some(environment) = &inputs[m].app.environment
                && !environments.contains(&environment)
            {
                environments.push(environment);
            }
        }
        let dir = &inputs[i].dir;
        let mut found = apps(
            &FileAppInput {
                dir: dir.clone(),
                app: base.clone(),
            },
            named_values,
        );
        for environment in environments {
            let overlays: Vec<usize> = (members.iter().copied())
                .filter(|&m| inputs[m].app.environment.as_ref() == Some(environment))
                .collect();
            let overlay = merged(overlays);
            let layered = FileAppInput {
                dir: dir.clone(),
                app: laid_over(&base, &overlay),
            };
            found.extend(apps(&layered, named_values));
        }
        found
    }
}

/// `overlay`'s options replace the base's of the same name; a list (`audiences:0`, ...) or a
/// value the overlay sets replaces the base's whole list or value of that name.
fn laid_over(base: &FileApp, overlay: &FileApp) -> FileApp {
    fn root(key: &str) -> String {
        let trimmed = match key.rsplit_once(':') {
            Some((head, index))
                if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) =>
            {
                head
            }
            _ => key,
        };
        trimmed.to_ascii_lowercase()
    }
    let replaced: std::collections::HashSet<String> =
        overlay.options.iter().map(|(key, _)| root(key)).collect();
    let mut options: Vec<(String, Setting)> = (base.options.iter())
        .filter(|(key, _)| !replaced.contains(&root(key)))
        .cloned()
        .collect();
    options.extend(overlay.options.iter().cloned());
    // Findings about the layered app as a whole point at the overlay, the file that makes it.
    FileApp {
        environment: overlay.environment.clone(),
        precedence: overlay.precedence.max(base.precedence),
        file: overlay.file,
        at: overlay.at,
        options,
        ..base.clone()
    }
}

/// The apps of one gateway: once with the named values every environment shares, and once per
/// environment that overrides them when the configuration references named values.
pub fn apps(file: &FileAppInput, named_values: &[NamedValuesFile]) -> Vec<App> {
    let gateway = &file.app;
    let references = gateway
        .options
        .iter()
        .any(|(_, s)| !named_value_references(&s.value).is_empty());
    let scopes: Vec<&NamedValues> = named_values
        .iter()
        .filter(|n| file.dir.starts_with(&n.root) || n.root == Path::new(""))
        .map(|n| &n.named_values)
        .collect();
    let base: Vec<&NamedValue> = scopes
        .iter()
        .filter(|n| n.environment.is_none())
        .flat_map(|n| &n.values)
        .collect();
    let mut apps = vec![app(gateway, gateway.environment.clone(), &base)];
    if !references {
        return apps;
    }
    for overrides in scopes.iter().filter(|n| n.environment.is_some()) {
        let layered: Vec<&NamedValue> = base.iter().copied().chain(&overrides.values).collect();
        let environment = format!(
            "{} via {}",
            overrides.environment.as_deref().unwrap_or_default(),
            overrides.label
        );
        apps.push(app(gateway, Some(environment), &layered));
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::source::{FileId, Location, Span};
    use crate::stacks::option_setting;

    fn file_app(
        section: &str,
        environment: Option<&str>,
        options: &[(&str, &str)],
    ) -> FileAppInput {
        let file = FileId(0);
        FileAppInput {
            dir: PathBuf::from("svc"),
            app: FileApp {
                framework: Framework::Oauth2Proxy,
                role: Role::Gateway,
                file,
                section: section.into(),
                at: Location {
                    file,
                    span: Span::default(),
                },
                environment: environment.map(str::to_string),
                precedence: None,
                options: (options.iter())
                    .map(|(k, v)| (k.to_string(), option_setting(file, k, v, Span::default())))
                    .collect(),
            },
        }
    }

    fn values(app: &App) -> Vec<(String, String)> {
        app.bound
            .iter()
            .map(|(k, s)| (k.clone(), s.value.clone()))
            .collect()
    }

    #[test]
    fn an_environment_lays_its_options_over_the_base_of_the_same_section() {
        let inputs = vec![
            file_app(
                "s",
                None,
                &[
                    ("issuer", "base"),
                    ("audiences:0", "a"),
                    ("audiences:1", "b"),
                ],
            ),
            file_app("s", Some("prod"), &[("audiences:0", "p")]),
            file_app("S", Some("dev"), &[("issuer", "dev")]),
            file_app("other", Some("prod"), &[("issuer", "alone")]),
        ];
        let layering = Layering::new(&inputs);
        let base = layering.apps(&inputs, 0, &[]);
        assert_eq!(base.len(), 3);
        assert_eq!(base[0].environment, None);
        assert_eq!(base[1].environment.as_deref(), Some("prod"));
        assert_eq!(
            values(&base[1]),
            [
                ("issuer".into(), "base".into()),
                ("audiences:0".into(), "p".into())
            ]
        );
        assert_eq!(
            values(&base[2]).last(),
            Some(&("issuer".into(), "dev".into()))
        );
        assert!(layering.apps(&inputs, 1, &[]).is_empty());
        assert!(layering.apps(&inputs, 2, &[]).is_empty());
        let alone = layering.apps(&inputs, 3, &[]);
        assert_eq!(alone[0].environment.as_deref(), Some("prod"));
    }

    #[test]
    fn bases_and_overlays_of_one_environment_merge_by_precedence() {
        // Spring: application.properties (precedence 1) over application.yml (0), in either
        // path order; application-prod.properties over application-prod.yml.
        let with = |mut input: FileAppInput, precedence: u8, file: usize| {
            input.app.precedence = Some(precedence);
            input.app.file = FileId(file);
            input.app.at.file = FileId(file);
            input
        };
        let inputs = vec![
            with(file_app("s", None, &[("issuer", "from-properties")]), 1, 1),
            with(
                file_app("s", None, &[("issuer", "from-yml"), ("audiences:0", "a")]),
                0,
                2,
            ),
            with(
                file_app("s", Some("prod"), &[("audiences:0", "p-properties")]),
                1,
                3,
            ),
            with(
                file_app(
                    "s",
                    Some("prod"),
                    &[("audiences:0", "p-yml"), ("jwks", "k")],
                ),
                0,
                4,
            ),
        ];
        let layering = Layering::new(&inputs);
        let found = layering.apps(&inputs, 0, &[]);
        assert_eq!(found.len(), 2, "one base app and one prod app");
        assert!((1..4).all(|i| layering.apps(&inputs, i, &[]).is_empty()));
        let value = |app: &App, key: &str| {
            (app.bound.iter().rev())
                .find(|(k, _)| k == key)
                .map(|(_, s)| s.value.clone())
        };
        assert_eq!(
            value(&found[0], "issuer").as_deref(),
            Some("from-properties")
        );
        assert_eq!(value(&found[0], "audiences:0").as_deref(), Some("a"));
        let prod = &found[1];
        assert_eq!(prod.environment.as_deref(), Some("prod"));
        assert_eq!(value(prod, "issuer").as_deref(), Some("from-properties"));
        assert_eq!(value(prod, "audiences:0").as_deref(), Some("p-properties"));
        assert_eq!(value(prod, "jwks").as_deref(), Some("k"));
        // Findings about the prod app as a whole point at the prod file that wins.
        assert_eq!(prod.file, FileId(3));
    }
}
