//! Integration polish, tried as an integrator would: the pre-commit hook's file pattern, SARIF
//! URIs and schema validity, fingerprints, JUnit, configuration found per checked path, output
//! options, rule selection, completions and help, the configuration schema, colour and the
//! GitHub action.

mod common;

use common::{GRAPH_API, action_steps, entralint, entralint_in, project, root, stderr, stdout};
use entralint::discover::{FileKind, classify};
use saphyr::LoadableYamlNode;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

const GOOD_API: &str = r#"{
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93",
    "ClientId": "5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45",
    "Audience": "api://5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45"
  }
}
"#;

// ---------------------------------------------------------------------------------------------
// pre-commit

/// The `files` pattern of each hook in .pre-commit-hooks.yaml.
fn hook_patterns() -> Vec<regex::Regex> {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = saphyr::Yaml::load_from_str(&text).unwrap();
    let hooks = hooks[0].as_sequence().expect("a list of hooks");
    assert!(!hooks.is_empty());
    hooks
        .iter()
        .map(|hook| {
            let files = hook
                .as_mapping_get("files")
                .and_then(|f| f.as_str())
                .expect("files:");
            // pre-commit applies it with Python's re.search; this pattern means the same in both.
            regex::Regex::new(files).unwrap()
        })
        .collect()
}

/// One name of every kind discovery reads; the match has no wildcard, so a new kind does not
/// compile until it has a name here.
fn kind_index(kind: &FileKind) -> usize {
    match kind {
        FileKind::AppSettings { .. } => 0,
        FileKind::Json => 1,
        FileKind::XmlConfig => 2,
        FileKind::CSharp => 3,
        FileKind::LaunchSettings => 4,
        FileKind::DotEnv => 5,
        FileKind::Yaml => 6,
        FileKind::Policy => 7,
        FileKind::ProxyConfig => 8,
        FileKind::ProjectFile => 9,
        FileKind::Script => 10,
        FileKind::Properties => 11,
    }
}
const KINDS: usize = 12;

#[test]
fn pre_commit_pattern_covers_every_file_kind_discovery_reads() {
    let names = [
        "appsettings.json",
        "src/Api/appsettings.Production.json",
        "src/Api/AppSettings.Staging.JSON",
        "infra/app-registration.json",
        "Web.config",
        "site/Web.Release.config",
        "App.config",
        "src/Api/Startup.cs",
        "Program.CS",
        "Properties/launchSettings.json",
        ".env",
        "deploy/.env.production",
        "deploy/api.env",
        "docker-compose.yml",
        "k8s/deployment.yaml",
        "apiops/configuration.prod.YAML",
        "apim/apis/orders/policy.xml",
        "apim/policy.XML",
        "deploy/oauth2-proxy.cfg",
        "src/Api/Api.csproj",
        "Directory.Packages.props",
        "packages.config",
        "api/authConfig.ts",
        "server/config.js",
        "application.properties",
        "src/main/resources/application-prod.properties",
    ];
    let patterns = hook_patterns();
    let mut kinds_seen = [false; KINDS];
    for name in names {
        let kind = classify(Path::new(name)).unwrap_or_else(|| panic!("{name} is read"));
        kinds_seen[kind_index(&kind)] = true;
        for pattern in &patterns {
            assert!(pattern.is_match(name), "the hook skips {name} ({kind:?})");
        }
    }
    assert!(kinds_seen.iter().all(|seen| *seen), "{kinds_seen:?}");
    for name in ["README.md", "src/Button.tsx", "Dockerfile", "notes.txt"] {
        assert!(classify(Path::new(name)).is_none());
        for pattern in &patterns {
            assert!(!pattern.is_match(name), "the hook passes {name}");
        }
    }
}

const BAD_POLICY: &str = r#"<policies>
  <inbound>
    <validate-jwt header-name="Authorization">
      <openid-config url="https://contoso.b2clogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45</audience>
      </audiences>
    </validate-jwt>
  </inbound>
</policies>
"#;

const BAD_PROXY: &str = r#"provider = "entra-id"
client_id = "9b2e4c61-0d7a-4f3b-8e15-6a4d2c9f0b71"
oidc_issuer_url = "https://login.microsoftonline.us/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0"
"#;

#[test]
fn every_file_the_hook_passes_is_checked_when_named() {
    // What pre-commit does: name each staged file that the pattern matches.
    let dir = project(&[
        ("apim/policy.xml", BAD_POLICY),
        ("deploy/oauth2-proxy.cfg", BAD_PROXY),
        ("api/appsettings.json", GOOD_API),
        ("api/.env", "AzureAd__ClientId=<your-client-id>\n"),
        ("web/appsettings.json", GRAPH_API),
        ("package.json", "{\"name\": \"site\"}\n"),
    ]);
    let patterns = hook_patterns();
    for (file, rule) in [
        ("apim/policy.xml", "b2c-missing-policy"),
        ("deploy/oauth2-proxy.cfg", "oauth2-proxy-entra-id-issuer"),
        ("api/.env", "placeholder-value"),
        ("web/appsettings.json", "graph-audience"),
    ] {
        assert!(patterns.iter().all(|p| p.is_match(file)), "{file}");
        let output = entralint_in(dir.path(), &["check", "--format", "concise", file]);
        assert_eq!(output.status.code(), Some(1), "{file}: {}", stdout(&output));
        assert!(
            stdout(&output).starts_with(&format!("{file}:")) && stdout(&output).contains(rule),
            "{file}: {}",
            stdout(&output)
        );
    }
    // A staged JSON file that is no configuration passes quietly.
    let other = entralint_in(
        dir.path(),
        &["check", "--format", "concise", "package.json"],
    );
    assert_eq!(other.status.code(), Some(0), "{}", stdout(&other));
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    // The OASIS SARIF 2.1.0 schema (errata 01), from oasis-tcs/sarif-spec
    // sarif-2.1/schema/sarif-schema-2.1.0.json.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // Read as draft 7: draft 4, which the file declares, has no `uri-reference` format, and
    // the schema uses nothing whose meaning changed between the two (no exclusiveMinimum).
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, sarif: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    assert!(
        !sarif["runs"][0]["results"].as_array().unwrap().is_empty(),
        "{what}"
    );
}

#[test]
fn sarif_of_the_demo_is_valid_and_every_rule_is_named_and_scored() {
    let output = entralint(&["check", "fixtures/demo", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1), "the demo has findings");
    let sarif = json(&output);
    assert_valid_sarif(&sarif_validator(), &sarif, "fixtures/demo");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), entralint::rules::ALL.len());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        assert_ne!(name, id);
        assert!(
            name.chars().next().unwrap().is_ascii_uppercase() && !name.contains('-'),
            "{name}"
        );
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap_or_else(|| panic!("{id} has no security-severity"))
            .parse()
            .unwrap();
        assert!((0.1..=10.0).contains(&score), "{id}: {score}");
    }
    let graph = rules.iter().find(|r| r["id"] == "graph-audience").unwrap();
    assert_eq!(graph["name"], "GraphAudience");
}

#[test]
fn the_sarif_validator_refuses_what_the_multitool_refuses() {
    let validator = sarif_validator();
    let mut sarif = json(&entralint(&["check", "fixtures/demo", "--format", "sarif"]));
    assert_valid_sarif(&validator, &sarif, "fixtures/demo");
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("my app/appsettings.json");
    assert!(!validator.is_valid(&sarif), "a URI reference with a space");
}

#[test]
fn sarif_of_the_shared_corpus_is_valid() {
    // CI has the shared corpus beside the clone; ENTRALINT_CORPUS names it elsewhere.
    let corpus = std::env::var_os("ENTRALINT_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if !corpus.is_dir() {
        println!(
            "skipped: {} is absent (set ENTRALINT_CORPUS)",
            corpus.display()
        );
        return;
    }
    let output = entralint(&["check", corpus.to_str().unwrap(), "--format", "sarif"]);
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        stderr(&output)
    );
    let sarif = json(&output);
    assert_valid_sarif(&sarif_validator(), &sarif, "../shared/corpus");
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("file:///") && !uri.contains("/../"),
            "{uri}"
        );
    }
}

#[test]
fn sarif_uris_are_percent_encoded_and_outside_files_are_file_uris() {
    let dir = project(&[
        ("repo/my app/appsettings.json", GRAPH_API),
        ("elsewhere/50% off#1/appsettings.json", GRAPH_API),
    ]);
    let repo = dir.path().join("repo");
    let output = entralint_in(&repo, &["check", ".", "../elsewhere", "--format", "sarif"]);
    let sarif = json(&output);
    assert_valid_sarif(&sarif_validator(), &sarif, "spaces and outside paths");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"my%20app/appsettings.json"), "{uris:?}");
    let outside = uris
        .iter()
        .find(|u| u.starts_with("file://"))
        .expect("a file URI");
    assert!(outside.starts_with("file:///"), "{outside}");
    assert!(
        outside.ends_with("/elsewhere/50%25%20off%231/appsettings.json"),
        "{outside}"
    );
    assert!(!outside.contains(".."), "{outside}");
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

/// Two findings of one rule at one place (two validate-jwt on one line, no key to tell them
/// apart), in a file whose lines then move.
const TWO_ON_ONE_LINE: &str = concat!(
    "<policies><inbound>",
    "<validate-jwt header-name=\"Authorization\"><openid-config url=\"https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/.well-known/openid-configuration\" /></validate-jwt>",
    "<validate-jwt header-name=\"Authorization\"><openid-config url=\"https://login.microsoftonline.com/3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93/v2.0/.well-known/openid-configuration\" /></validate-jwt>",
    "</inbound></policies>\n"
);

fn fingerprints(dir: &Path) -> (Vec<String>, Vec<String>) {
    let sarif = json(&entralint_in(dir, &["check", "--format", "sarif"]));
    let from_sarif: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let gitlab = json(&entralint_in(dir, &["check", "--format", "gitlab"]));
    let from_gitlab: Vec<String> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    (from_sarif, from_gitlab)
}

fn all_distinct(items: &[String]) -> bool {
    let set: std::collections::BTreeSet<&String> = items.iter().collect();
    set.len() == items.len()
}

#[test]
fn fingerprints_are_unique_per_finding_and_survive_moved_lines() {
    let dir = project(&[
        ("policy.xml", TWO_ON_ONE_LINE),
        ("appsettings.json", GRAPH_API),
    ]);
    let (sarif, gitlab) = fingerprints(dir.path());
    assert_eq!(sarif.len(), 3, "{sarif:?}");
    assert!(
        all_distinct(&sarif),
        "SARIF fingerprints collide: {sarif:?}"
    );
    assert!(
        all_distinct(&gitlab),
        "GitLab fingerprints collide: {gitlab:?}"
    );
    // The same files with lines added above the findings: the same fingerprints.
    std::fs::write(
        dir.path().join("policy.xml"),
        format!("<!-- moved -->\n\n{TWO_ON_ONE_LINE}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("appsettings.json"),
        GRAPH_API.replacen(
            "{\n",
            "{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },\n\n",
            1,
        ),
    )
    .unwrap();
    let (sarif_moved, gitlab_moved) = fingerprints(dir.path());
    assert_eq!(sarif, sarif_moved);
    assert_eq!(gitlab, gitlab_moved);
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[test]
fn junit_filters_characters_xml_forbids_and_fails_only_at_the_threshold() {
    let dir = project(&[(
        "appsettings.json",
        "{\n  \"AzureAd\": {\n    \"Instance\": \"https://login.microsoftonline.com/\",\n    \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\",\n    \"ClientId\": \"app\\ufffe\\u0001\\u000bid\",\n    \"ClientSecret\": \"Zq8~kP2.vN5_rT7-wX1yB4cD6eF9gH3jK0mL\"\n  }\n}\n",
    )]);
    let output = entralint_in(dir.path(), &["check", "--format", "junit"]);
    assert_eq!(output.status.code(), Some(1));
    let xml = stdout(&output);
    assert!(
        !xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')),
        "{xml:?}"
    );
    assert!(xml.contains("invalid-client-id"), "{xml}");
    // A strict reader reads it to the end.
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut failures, mut passed_findings) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().0 == "failure" => failures += 1,
            quick_xml::events::Event::Start(e) if e.name().0 == "system-out" => {
                passed_findings += 1
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // The client id is an error; the secret a warning, below the default threshold.
    assert_eq!((failures, passed_findings), (1, 1), "{xml}");
    assert!(xml.contains("failures=\"1\""), "{xml}");
    let strict = stdout(&entralint_in(
        dir.path(),
        &["check", "--format", "junit", "--fail-on", "warning"],
    ));
    assert!(
        strict.contains("<testsuites name=\"entralint\" tests=\"2\" failures=\"2\""),
        "{strict}"
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration per checked path

#[test]
fn configuration_is_found_per_checked_path_nearest_first() {
    let dir = project(&[
        (
            "other/repo/entralint.toml",
            "ignore = [\"graph-audience\"]\n",
        ),
        ("other/repo/api/appsettings.json", GRAPH_API),
        ("mine/appsettings.json", GRAPH_API),
    ]);
    let output = entralint_in(
        dir.path(),
        &["check", "--format", "concise", "other/repo", "mine"],
    );
    let found = stdout(&output);
    assert!(
        !found.contains("other/repo"),
        "other/repo/entralint.toml ignores graph-audience: {found}"
    );
    assert!(
        found.contains("mine/appsettings.json") && found.contains("graph-audience"),
        "{found}"
    );
    let single = entralint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "other/repo/api/appsettings.json",
        ],
    );
    assert_eq!(
        stdout(&single),
        "",
        "a named file takes its folder's nearest configuration"
    );
    assert_eq!(single.status.code(), Some(0));

    let shown = stdout(&entralint_in(
        dir.path(),
        &["check", "--show-config", "other/repo", "mine"],
    ));
    assert!(
        shown.contains("# other/repo uses other/repo/entralint.toml"),
        "{shown}"
    );
    assert!(shown.contains("# mine uses none (defaults)"), "{shown}");
    // From inside a subfolder, the configuration above it applies, named as it was reached.
    let inside = stdout(&entralint_in(
        &dir.path().join("other/repo/api"),
        &["check", "--show-config"],
    ));
    assert!(inside.contains("# . uses ../entralint.toml"), "{inside}");
}

#[test]
fn per_file_ignores_of_a_nested_configuration_are_relative_to_it() {
    let dir = project(&[
        (
            "other/repo/entralint.toml",
            "[[per-file-ignores]]\nglob = \"api/appsettings.json\"\nrules = [\"graph-\"]\n",
        ),
        ("other/repo/api/appsettings.json", GRAPH_API),
        ("other/repo/web/appsettings.json", GRAPH_API),
    ]);
    let found = stdout(&entralint_in(
        dir.path(),
        &["check", "--format", "concise", "other/repo"],
    ));
    assert!(!found.contains("other/repo/api/"), "{found}");
    assert!(found.contains("other/repo/web/appsettings.json"), "{found}");
}

#[test]
fn inspect_lists_the_apps_of_paths_under_different_configurations() {
    let dir = project(&[
        (
            "other/repo/entralint.toml",
            "trusted-hosts = [\"identity.contoso.com\"]\n",
        ),
        ("other/repo/api/appsettings.json", GOOD_API),
        ("mine/appsettings.json", GRAPH_API),
    ]);
    let output = entralint_in(
        dir.path(),
        &["inspect", "--format", "json", "other/repo", "mine"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["version"], 1);
    let files: Vec<&str> = report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["other/repo/api/appsettings.json", "mine/appsettings.json"]
    );
}

#[test]
fn globs_of_a_configuration_above_the_working_directory_are_relative_to_it() {
    let dir = project(&[
        (
            "entralint.toml",
            "extend-exclude = [\"api/legacy/**\"]\n[[per-file-ignores]]\nglob = \"api/appsettings.json\"\nrules = [\"graph-audience\"]\n",
        ),
        ("api/appsettings.json", GRAPH_API),
        ("api/legacy/appsettings.json", GRAPH_API),
        ("api/web/appsettings.json", GRAPH_API),
    ]);
    let found = stdout(&entralint_in(
        &dir.path().join("api"),
        &["check", "--format", "concise"],
    ));
    assert_eq!(
        found
            .lines()
            .map(|l| l.split(':').next().unwrap())
            .collect::<Vec<_>>(),
        ["web/appsettings.json"],
        "{found}"
    );
}

// ---------------------------------------------------------------------------------------------
// Output options

#[test]
fn an_output_file_needs_its_own_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let output = entralint(&["check", "fixtures/demo", "-o", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("needs its own --format"),
        "{}",
        stderr(&output)
    );
    assert!(!file.exists());
    let two = entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "sarif",
        "-o",
        file.to_str().unwrap(),
        "-o",
        dir.path().join("b").to_str().unwrap(),
    ]);
    assert_eq!(two.status.code(), Some(2), "a second file for one format");
}

#[test]
fn statistics_as_json_or_refused() {
    let output = entralint(&["check", "fixtures/demo", "--statistics", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let rows = json(&output);
    let graph = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "graph-audience")
        .unwrap();
    assert_eq!(graph["count"], 1);
    assert_eq!(graph["severity"], "error");
    let refused = entralint(&[
        "check",
        "fixtures/demo",
        "--statistics",
        "--format",
        "sarif",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("--statistics"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn writing_a_baseline_exits_0() {
    let dir = project(&[("appsettings.json", GRAPH_API)]);
    let output = entralint_in(
        dir.path(),
        &[
            "check",
            "--write-baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("graph-audience"),
        "the findings are still shown"
    );
    assert!(dir.path().join("baseline.json").is_file());
}

#[test]
fn concise_columns_in_characters_or_utf16() {
    let dir = project(&[(
        "appsettings.json",
        "{\"😀\": 1, \"AzureAd\": {\"Instance\": \"https://login.microsoftonline.com/\", \"TenantId\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\", \"ClientId\": \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\", \"Audience\": \"https://graph.microsoft.com\"}}\n",
    )]);
    let column = |extra: &[&str]| -> usize {
        let mut args = vec!["check", "--format", "concise"];
        args.extend(extra);
        let out = stdout(&entralint_in(dir.path(), &args));
        out.split(':').nth(2).unwrap().parse().unwrap()
    };
    let characters = column(&[]);
    assert_eq!(column(&["--column-unit", "character"]), characters);
    assert_eq!(
        column(&["--column-unit", "utf16"]),
        characters + 1,
        "the emoji is two UTF-16 units"
    );
}

// ---------------------------------------------------------------------------------------------
// Rule selection

fn rules_found(args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "fixtures/demo", "--format", "json"];
    all.extend(args);
    let output = entralint(&all);
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        stderr(&output)
    );
    let mut rules: Vec<String> = json(&output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn select_ignore_and_extend_select_by_id_prefix_and_tag() {
    assert_eq!(
        rules_found(&["--select", "graph-audience"]),
        ["graph-audience"]
    );
    assert_eq!(
        rules_found(&["--select", "b2c-"]),
        ["b2c-legacy-host", "b2c-missing-policy"]
    );
    assert_eq!(
        rules_found(&["--select", "security"]),
        [
            "apim-no-audience",
            "graph-audience",
            "graph-token-forwarded",
            "secret-in-config"
        ]
    );
    assert_eq!(
        rules_found(&[
            "--select",
            "graph",
            "--ignore",
            "graph-scope-for-api,graph-token-forwarded"
        ]),
        ["graph-audience"]
    );
    assert_eq!(
        rules_found(&["--select", "b2c", "--extend-select", "secrets"]),
        ["b2c-legacy-host", "b2c-missing-policy", "secret-in-config"]
    );
    let all = rules_found(&[]);
    let without = rules_found(&["--ignore", "b2c"]);
    assert_eq!(without.len(), all.len() - 2);
}

#[test]
fn unknown_rule_ids_get_a_suggestion_everywhere() {
    let cli = entralint(&["check", "fixtures/demo", "--select", "graph-audiense"]);
    assert_eq!(cli.status.code(), Some(2));
    assert!(
        stderr(&cli).contains("did you mean 'graph-audience'?"),
        "{}",
        stderr(&cli)
    );
    let explain = entralint(&["explain", "secret-in-confg"]);
    assert_eq!(explain.status.code(), Some(2));
    assert!(
        stderr(&explain).contains("did you mean secret-in-config?"),
        "{}",
        stderr(&explain)
    );
    let dir = project(&[
        ("appsettings.json", GRAPH_API),
        (
            "entralint.toml",
            "[severity]\ngraph-audiense = \"warning\"\n",
        ),
    ]);
    let config = entralint_in(dir.path(), &["check"]);
    assert_eq!(config.status.code(), Some(2));
    assert!(stderr(&config).contains("entralint.toml:2:18: unknown rule id 'graph-audiense' in [severity] (did you mean 'graph-audience'?)"), "{}", stderr(&config));
    let suppressed = project(&[(
        "appsettings.json",
        &GRAPH_API.replace(
            "\"Audience\"",
            "// entralint-ignore graph-audiense: a Graph proxy\n    \"Audience\"",
        ),
    )]);
    let output = stdout(&entralint_in(
        suppressed.path(),
        &["check", "--format", "concise"],
    ));
    assert!(output.contains("'graph-audiense' is not a rule id (did you mean 'graph-audience'?) [invalid-suppression]"), "{output}");
}

// ---------------------------------------------------------------------------------------------
// Completions, manual page, help

#[test]
fn completions_and_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = entralint(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(
            script.contains("entralint")
                && script.contains("fail-on")
                && script.contains("extend-select"),
            "{shell}"
        );
    }
    let man = entralint(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH entralint 1"), "roff title");
}

/// The long help of a command: every argument has its own text, the exit codes and two examples
/// close it.
fn check_help(command: &[&str]) -> String {
    let mut args = command.to_vec();
    args.push("--help");
    let output = entralint(&args);
    assert_eq!(output.status.code(), Some(0), "{command:?}");
    let help = stdout(&output);
    let lines: Vec<&str> = help.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_argument =
            line.starts_with("  -") || line.starts_with("  <") || line.starts_with("  [");
        if is_argument {
            // Help on the same line (after two spaces) or on the next, indented.
            let same_line = line.trim().contains("  ");
            let next_line = lines
                .get(i + 1)
                .is_some_and(|next| next.starts_with("          ") && !next.trim().is_empty());
            assert!(
                same_line || next_line,
                "{command:?}: `{}` has no help",
                line.trim()
            );
        }
    }
    let examples = help
        .split("Examples:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{command:?} has no examples"));
    assert_eq!(
        examples
            .lines()
            .filter(|l| l.starts_with("  entralint") || l.contains("| entralint"))
            .count(),
        2,
        "{command:?}: {examples}"
    );
    assert!(help.contains("Exit codes:\n  0  "), "{command:?}");
    help
}

#[test]
fn every_command_documents_its_arguments_exit_codes_and_examples() {
    check_help(&[]);
    let check = check_help(&["check"]);
    assert!(
        check.contains("[PATHS]...") && check.contains("--threads"),
        "{check}"
    );
    let inspect = check_help(&["inspect"]);
    assert!(inspect.contains("--threads"));
    let rules = check_help(&["rules"]);
    assert!(
        !rules.contains("--threads"),
        "--threads is no option of rules"
    );
    let explain = check_help(&["explain"]);
    assert!(explain.contains("<RULE>") && !explain.contains("--threads"));
    check_help(&["completions"]);
    check_help(&["man"]);
    assert_eq!(
        entralint(&["rules", "--threads", "2"]).status.code(),
        Some(2)
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration schema

#[test]
fn the_committed_configuration_schema_is_generated_from_the_configuration_types() {
    let path = root().join("entralint.schema.json");
    let generated = entralint::config::json_schema();
    if std::env::var_os("ENTRALINT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path)
        .expect("entralint.schema.json (ENTRALINT_BLESS=1 writes it)");
    assert_eq!(
        committed, generated,
        "entralint.schema.json is stale: run with ENTRALINT_BLESS=1"
    );

    let schema: Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let toml_as_json = |text: &str| -> Value {
        serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
    };
    let good = toml_as_json(
        "select = [\"security\", \"b2c-\"]\nfail-on = \"warning\"\n[severity]\ngraph-audience = \"off\"\n[[per-file-ignores]]\nglob = \"**/x.json\"\nrules = [\"graph\"]\n[[apps]]\nclient-id = \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"\ntoken-version = 2\n",
    );
    assert!(
        validator.is_valid(&good),
        "{:?}",
        validator
            .iter_errors(&good)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    for bad in [
        "selct = []\n",
        "fail-on = \"sometimes\"\n",
        "[severity]\ngraph-audiense = \"warning\"\n",
        "[severity]\ngraph-audience = \"loud\"\n",
        "[[apps]]\ntoken-version = 3\n",
    ] {
        assert!(!validator.is_valid(&toml_as_json(bad)), "{bad}");
        // The binary refuses what the schema refuses.
        let dir = project(&[("appsettings.json", GOOD_API), ("entralint.toml", bad)]);
        assert_eq!(
            entralint_in(dir.path(), &["check"]).status.code(),
            Some(2),
            "{bad}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Colour

fn text_with_env(vars: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_entralint"));
    command
        .args(["check", "fixtures/demo", "--format", "text"])
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (key, value) in vars {
        command.env(key, value);
    }
    stdout(&command.output().unwrap())
}

#[test]
fn colour_follows_no_color_force_color_and_clicolor_force() {
    let ansi = |text: String| text.contains("\u{1b}[");
    assert!(!ansi(text_with_env(&[])), "no colour into a pipe");
    assert!(ansi(text_with_env(&[("FORCE_COLOR", "1")])));
    assert!(ansi(text_with_env(&[("CLICOLOR_FORCE", "1")])));
    assert!(!ansi(text_with_env(&[("FORCE_COLOR", "0")])));
    assert!(
        !ansi(text_with_env(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")])),
        "NO_COLOR wins"
    );
}

// ---------------------------------------------------------------------------------------------
// The GitHub action

#[test]
fn the_action_splices_no_input_into_a_script_and_caches_its_build() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let steps = action_steps();
    let mut scripts = 0;
    let mut cache_key = None;
    for step in steps {
        if let Some(script) = step.as_mapping_get("run").and_then(|r| r.as_str()) {
            scripts += 1;
            assert!(
                !script.contains("${{"),
                "an expression spliced into a script:\n{script}"
            );
            assert_eq!(
                step.as_mapping_get("shell").and_then(|s| s.as_str()),
                Some("bash")
            );
        }
        if step
            .as_mapping_get("uses")
            .and_then(|u| u.as_str())
            .is_some_and(|u| u.starts_with("actions/cache@"))
        {
            let with = step.as_mapping_get("with").unwrap();
            cache_key = with
                .as_mapping_get("key")
                .and_then(|k| k.as_str())
                .map(str::to_string);
            let path = with
                .as_mapping_get("path")
                .and_then(|p| p.as_str())
                .unwrap();
            assert!(
                path.starts_with("${{ runner.temp }}"),
                "built outside the workspace: {path}"
            );
        }
    }
    assert!(scripts >= 2);
    let key = cache_key.expect("the build is cached");
    assert!(
        key.contains("runner.os")
            && key.contains("runner.arch")
            && key.contains("steps.version.outputs.digest"),
        "{key}"
    );
    assert!(
        text.contains("--target-dir \"$RUNNER_TEMP/"),
        "build output goes to the runner's temp folder"
    );
    assert!(
        text.contains("sarif_file=\"$RUNNER_TEMP/entralint.sarif\""),
        "SARIF in the runner's temp folder"
    );
}
