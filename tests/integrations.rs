//! Pre-commit, CI and editor integration end to end: output formats (snapshots of the demo and
//! their structure), output files, exit behaviour, entralint.toml, inline suppressions,
//! baselines, standard input. Run with `ENTRALINT_BLESS=1` to rewrite the snapshots.

mod common;

use common::{
    EVERY_FORMAT, GRAPH_API, assert_snapshot, entralint, entralint_in, project, stderr, stdout,
};
use entralint::diagnostic::{Diagnostic, Related, Severity};
use entralint::report::{self, Format, Style};
use entralint::source::{FileId, Location, SourceFile, SourceMap, Span};
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn demo_in_every_ci_format() {
    for (format, snapshot) in [
        ("sarif", "demo.sarif"),
        ("github", "demo.github"),
        ("azure", "demo.azure"),
        ("gitlab", "demo.gitlab.json"),
        ("junit", "demo.junit.xml"),
    ] {
        let output = entralint(&["check", "fixtures/demo", "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert_snapshot(snapshot, &stdout(&output));
    }
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let sarif: Value = serde_json::from_str(&stdout(&entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "sarif",
    ])))
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "entralint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        entralint::rules::ALL.len(),
        "every enabled rule"
    );
    for rule in rules {
        for field in [
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
            "properties",
        ] {
            assert!(
                rule.get(field).is_some(),
                "rule lacks {field}: {}",
                rule["id"]
            );
        }
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
        assert!(rule["help"]["markdown"].is_string());
        assert!(
            ["error", "warning", "note"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(rule["properties"]["tags"].is_array());
    }
    let secret = rules
        .iter()
        .find(|r| r["id"] == "secret-in-config")
        .unwrap();
    assert_eq!(secret["properties"]["security-severity"], "7.5");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 9);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("fixtures/demo/") && !uri.contains("file://"),
            "{uri}"
        );
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(location["region"][field].as_u64().unwrap() >= 1);
        }
        assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
        assert!(result["message"]["text"].is_string());
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
    let saml = results
        .iter()
        .find(|r| r["ruleId"] == "saml-appid-missing")
        .unwrap();
    assert_eq!(
        saml["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/demo/infra/app-registrations/orders-api.sp.json"
    );
}

/// A diagnostic whose text holds everything an output format must escape.
fn hostile() -> (SourceMap, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let text = "{ \"Audience\": \"ü\" }\n";
    let file = sources.add(SourceFile::new(
        PathBuf::from("dir, with: colon/app%settings.json"),
        "dir, with: colon/app%settings.json".into(),
        text.into(),
    ));
    let at = Location {
        file,
        span: Span::new(14, 18),
    };
    let message = "100% \"quoted\" <tag> & 'x'\nsecond line ::error:: ]]> ; ] ünïcödé".to_string();
    let diagnostic = Diagnostic {
        rule: "graph-audience",
        severity: Severity::Error,
        message,
        primary: at,
        key: Some("AzureAd:Audience".into()),
        environment: None,
        related: vec![Related {
            location: Location {
                file: FileId(0),
                span: Span::new(2, 12),
            },
            message: "related, with: \"quotes\"".into(),
        }],
        help: Some("fix % it".into()),
        fix: None,
        stack: None,
    };
    (sources, vec![diagnostic])
}

#[test]
fn github_escapes_data_and_properties() {
    let (sources, diagnostics) = hostile();
    let out = report::render(Format::Github, &sources, &diagnostics, 1, Style::default());
    assert_eq!(out.lines().count(), 1, "one line per annotation: {out}");
    assert!(out.starts_with("::error file=dir%2C with%3A colon/app%25settings.json,line=1,endLine=1,col=15,endColumn=18,title=entralint (graph-audience)::"), "{out}");
    assert!(out.contains("100%25 \"quoted\""));
    // A line break from input is shown escaped, like every control character; the data keeps
    // `::` (only properties escape `:`).
    assert!(out.contains("\\nsecond line ::error:: ]]>"), "{out}");
    assert!(out.contains("%0AFix: fix %25 it"));
}

#[test]
fn every_format_survives_hostile_text() {
    let (sources, diagnostics) = hostile();
    for format in EVERY_FORMAT {
        let out = report::render(format, &sources, &diagnostics, 1, Style::default());
        match format {
            Format::Json | Format::Sarif | Format::Gitlab => {
                let parsed: Value =
                    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{format:?}: {e}"));
                assert!(parsed.to_string().contains("ünïcödé"));
            }
            Format::Junit => {
                assert!(!out.contains("]]>") && !out.contains("<tag>"), "{out}");
                assert!(out.contains("&lt;tag&gt; &amp; &apos;x&apos;"));
            }
            Format::Azure => {
                assert!(out.starts_with("##vso[task.logissue type=error;sourcepath=dir, with: colon/app%AZP25settings.json;linenumber=1;columnnumber=15;code=graph-audience]100%AZP25"), "{out}");
                assert_eq!(out.lines().count(), 1);
            }
            Format::Concise => assert_eq!(out.lines().count(), 1, "{out}"),
            _ => assert!(out.contains("ünïcödé")),
        }
    }
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let output = entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "concise",
        "--format",
        "sarif",
        "--output-file",
        sarif.to_str().unwrap(),
        "--format",
        "junit",
        "-o",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).lines().count(),
        9,
        "concise on standard output"
    );
    let parsed: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(parsed["runs"][0]["results"].as_array().unwrap().len(), 9);
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<testsuites name=\"entralint\" tests=\"9\" failures=\"7\"")
    );
    let two_to_stdout = entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "text",
        "--format",
        "json",
    ]);
    assert_eq!(two_to_stdout.status.code(), Some(2));
    assert!(stderr(&two_to_stdout).contains("only one --format can go to standard output"));
}

#[test]
fn fail_on_exit_zero_quiet_statistics_and_colour() {
    let warnings_only = "fixtures/secret-in-config/bad";
    assert_eq!(entralint(&["check", warnings_only]).status.code(), Some(0));
    assert_eq!(
        entralint(&["check", warnings_only, "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        entralint(&["check", "fixtures/demo", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        entralint(&["check", "fixtures/demo", "--exit-zero"])
            .status
            .code(),
        Some(0)
    );
    let quiet = stdout(&entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "text",
        "--quiet",
    ]));
    assert!(!quiet.contains("Found "), "no summary with --quiet");
    let statistics = stdout(&entralint(&["check", "fixtures/demo", "--statistics"]));
    assert!(
        statistics
            .lines()
            .any(|l| l.trim_start().starts_with("1  graph-audience")),
        "{statistics}"
    );
    // Apps and findings per stack: the demo has five .NET apps with six findings, one API
    // Management policy with two, one oauth2-proxy with one.
    let by_stack: Vec<Vec<&str>> = statistics
        .lines()
        .skip_while(|l| !l.contains("apps  findings  stack"))
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        by_stack,
        [
            ["1", "2", "apim"],
            ["5", "6", "dotnet"],
            ["1", "1", "oauth2-proxy"]
        ],
        "{statistics}"
    );
    let coloured = stdout(&entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "text",
        "--color",
        "always",
    ]));
    assert!(
        coloured.contains("\u{1b}["),
        "ANSI colours with --color always"
    );
    let plain = stdout(&entralint(&[
        "check",
        "fixtures/demo",
        "--format",
        "text",
        "--color",
        "never",
    ]));
    assert!(!plain.contains("\u{1b}["));
}

#[test]
fn configuration_selects_rules_and_changes_severities() {
    let dir = project(&[
        ("api/appsettings.json", GRAPH_API),
        (
            "entralint.toml",
            "[severity]\ngraph-audience = \"warning\"\n",
        ),
    ]);
    let output = entralint_in(&dir.path().join("api"), &["check", "--format", "concise"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "found in the parent folder, a warning no longer fails"
    );
    assert!(
        stdout(&output).contains("warning: `AzureAd:Audience` is the Microsoft Graph audience")
    );
    let ignored = project(&[
        ("api/appsettings.json", GRAPH_API),
        (".entralint.toml", "ignore = [\"graph-audience\"]\n"),
    ]);
    assert_eq!(
        stdout(&entralint_in(
            ignored.path(),
            &["check", "--format", "concise"]
        )),
        ""
    );
    let isolated = entralint_in(
        ignored.path(),
        &["check", "--isolated", "--format", "concise"],
    );
    assert!(
        stdout(&isolated).contains("[graph-audience]"),
        "--isolated ignores the file"
    );
    let per_file = project(&[
        ("api/appsettings.json", GRAPH_API),
        (
            "entralint.toml",
            "fail-on = \"never\"\n[[per-file-ignores]]\nglob = \"api/*.json\"\nrules = [\"graph-audience\"]\n",
        ),
    ]);
    let output = entralint_in(per_file.path(), &["check", "--format", "concise"]);
    assert_eq!(
        (stdout(&output).as_str(), output.status.code()),
        ("", Some(0))
    );
}

#[test]
fn configuration_errors_name_the_line_and_exit_2() {
    for (text, expected) in [
        (
            "select = [\"graph-audience\"]\nseverity = 3\n",
            "entralint.toml:2:12:",
        ),
        (
            "ignore = [\"graph-audiense\"]\n",
            "entralint.toml:1:11: unknown rule id 'graph-audiense'",
        ),
        (
            "exclud = [\"x\"]\n",
            "entralint.toml:1:1: unknown field `exclud`",
        ),
    ] {
        let dir = project(&[("appsettings.json", GRAPH_API), ("entralint.toml", text)]);
        let output = entralint_in(dir.path(), &["check"]);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
}

#[test]
fn show_config_prints_the_effective_configuration() {
    let dir = project(&[(
        "entralint.toml",
        "ignore = [\"secret-in-config\"]\nfail-on = \"warning\"\n",
    )]);
    let shown = stdout(&entralint_in(dir.path(), &["check", "--show-config"]));
    assert!(shown.contains("fail-on = \"warning\""));
    assert!(
        shown.contains("\"graph-audience\"") && !shown.contains("\"secret-in-config\""),
        "{shown}"
    );
}

#[test]
fn configured_app_facts_and_trusted_hosts() {
    let config =
        "[[apps]]\nclient-id = \"5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45\"\nsaml-signing = true\n";
    let api = GRAPH_API.replace(
        "https://graph.microsoft.com",
        "api://5e1f3a9c-7b24-4d8e-a6c0-2f9b1d3e7c45",
    );
    let dir = project(&[("appsettings.json", &api), ("entralint.toml", config)]);
    let report: Value = serde_json::from_str(&stdout(&entralint_in(
        dir.path(),
        &["check", "--format", "json"],
    )))
    .unwrap();
    let saml = &report["diagnostics"][0];
    assert_eq!(saml["rule"], "saml-appid-missing");
    assert_eq!(saml["related"][0]["file"], "entralint.toml");
    assert_eq!(saml["related"][0]["line"], 3);
    assert_eq!(
        report["summary"]["files"], 1,
        "the configuration file is not counted as checked"
    );

    let typo_host = GRAPH_API.replace(
        "https://login.microsoftonline.com/",
        "https://login.microsoftonline.co/",
    );
    let trusted = project(&[
        ("appsettings.json", &typo_host),
        (
            "entralint.toml",
            "trusted-hosts = [\"login.microsoftonline.co\"]\nignore = [\"graph-audience\"]\n",
        ),
    ]);
    assert_eq!(
        stdout(&entralint_in(
            trusted.path(),
            &["check", "--format", "concise"]
        )),
        ""
    );
}

#[test]
fn excludes_replace_or_extend_the_built_in_ones() {
    let dir = project(&[
        ("legacy/appsettings.json", GRAPH_API),
        ("bin/appsettings.json", GRAPH_API),
        ("entralint.toml", "extend-exclude = [\"legacy/**\"]\n"),
    ]);
    assert_eq!(
        stdout(&entralint_in(dir.path(), &["check", "--format", "concise"])),
        "",
        "bin/ is built in, legacy/ configured"
    );
    let named = entralint_in(
        dir.path(),
        &["check", "legacy/appsettings.json", "--format", "concise"],
    );
    assert!(
        stdout(&named).contains("legacy/appsettings.json"),
        "files named explicitly are always checked"
    );
}

#[test]
fn file_level_suppression_in_json() {
    let text = format!("// entralint-ignore-file graph-audience: Graph proxy\n{GRAPH_API}");
    let dir = project(&[("appsettings.json", &text)]);
    let output = entralint_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        (stdout(&output).as_str(), output.status.code()),
        ("", Some(0))
    );
}

#[test]
fn baseline_reports_only_new_findings_and_survives_moved_lines() {
    let dir = project(&[("appsettings.json", GRAPH_API)]);
    let baseline = dir.path().join("entralint-baseline.json");
    let written = entralint_in(
        dir.path(),
        &[
            "check",
            "--write-baseline",
            baseline.to_str().unwrap(),
            "--format",
            "concise",
        ],
    );
    assert_eq!(
        written.status.code(),
        Some(0),
        "writing a baseline accepts what it records"
    );
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["entries"][0]["key"], "AzureAd:Audience");
    let clean = entralint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "concise",
        ],
    );
    assert_eq!(
        (stdout(&clean).as_str(), clean.status.code()),
        ("", Some(0))
    );
    // Lines move and a new finding appears: only the new one is reported.
    let moved = format!(
        "\n\n{}",
        GRAPH_API.replace(
            "\"Audience\"",
            "\"ClientSecret\": \"3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93\",\n    \"Audience\""
        )
    );
    std::fs::write(dir.path().join("appsettings.json"), moved).unwrap();
    let later = entralint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "concise",
        ],
    );
    let new = stdout(&later);
    assert_eq!(new.lines().count(), 1, "{new}");
    assert!(new.contains("[secret-id-as-secret]"));
    assert!(
        stderr(&later).is_empty(),
        "the recorded finding still occurs: {}",
        stderr(&later)
    );
    std::fs::write(
        dir.path().join("appsettings.json"),
        GRAPH_API.replace("https://graph.microsoft.com", "api://orders"),
    )
    .unwrap();
    let fixed = entralint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "concise",
        ],
    );
    assert!(
        stderr(&fixed).contains("1 finding(s) recorded in"),
        "{}",
        stderr(&fixed)
    );
    std::fs::write(&baseline, "{\"version\": 1, \"entries\": [{\"file\": 3}]}").unwrap();
    assert_eq!(
        entralint_in(
            dir.path(),
            &["check", "--baseline", baseline.to_str().unwrap()]
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn standard_input_with_its_context() {
    let dir = project(&[(
        "api/appsettings.json",
        &GRAPH_API.replace("https://graph.microsoft.com", "api://orders"),
    )]);
    let output = common::entralint_with_stdin(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "api/appsettings.Production.json",
            "-",
            "--format",
            "concise",
        ],
        b"{ \"AzureAd\": { \"Audience\": \"https://graph.microsoft.com\" } }",
    );
    let text = stdout(&output);
    assert!(
        text.starts_with("api/appsettings.Production.json:1:28: error:"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("[graph-audience]"), "{text}");
    assert!(
        !text.contains("api/appsettings.json"),
        "context files are read, not reported"
    );
    assert_eq!(
        entralint_in(dir.path(), &["check", "-"]).status.code(),
        Some(2),
        "`-` needs --stdin-filename"
    );
}

#[test]
fn a_named_environment_file_is_judged_with_its_base() {
    let dir = project(&[
        (
            "api/appsettings.json",
            &GRAPH_API.replace("https://graph.microsoft.com", "api://orders"),
        ),
        (
            "api/appsettings.Staging.json",
            "{ \"AzureAd\": { \"TenantId\": \"\" } }",
        ),
    ]);
    let output = stdout(&entralint_in(
        dir.path(),
        &[
            "check",
            "api/appsettings.Staging.json",
            "--format",
            "concise",
        ],
    ));
    assert!(
        output.contains("api/appsettings.Staging.json:1:28: warning: `AzureAd:TenantId` is empty"),
        "{output}"
    );
    assert_eq!(output.lines().count(), 1, "{output}");
}
