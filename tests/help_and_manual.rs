//! Each command's help states its own exit codes and documents every argument; `entralint man`
//! renders every page the main page refers to.

mod common;

use common::{entralint, stdout};

fn help(command: &str) -> String {
    let output = entralint(&[command, "--help"]);
    assert_eq!(output.status.code(), Some(0), "{command}");
    stdout(&output)
}

fn exit_codes(help: &str) -> &str {
    let start = help.find("Exit codes:\n").expect("an exit code section");
    let rest = &help[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn each_command_states_its_own_exit_codes() {
    let token = help("token");
    let codes = exit_codes(&token);
    assert!(
        codes.contains(
            "  1  every app rejects the token, or no app that validates access tokens was found"
        ),
        "{codes}"
    );
    assert!(!codes.contains("check only"), "{codes}");
    let check = help("check");
    assert!(
        exit_codes(&check).contains("  1  findings at or above the failure threshold"),
        "{check}"
    );
    for command in ["inspect", "rules", "explain", "completions", "man"] {
        let text = help(command);
        let codes = exit_codes(&text);
        assert!(!codes.contains("  1  "), "{command} never exits 1: {codes}");
        assert!(
            codes.contains("  0  ") && codes.contains("  2  "),
            "{codes}"
        );
    }
}

#[test]
fn every_argument_has_its_own_help_text() {
    for command in [
        "check",
        "inspect",
        "token",
        "rules",
        "explain",
        "completions",
        "man",
    ] {
        let text = help(command);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            // Arguments are indented by 2 to 6 spaces, their help by 10.
            let indent = line.len() - trimmed.len();
            let is_argument = (2..10).contains(&indent)
                && (trimmed.starts_with('-')
                    || trimmed.starts_with('<')
                    || trimmed.starts_with('['));
            if !is_argument {
                continue;
            }
            // Short text follows on the same line, longer text on the next, indented line; a
            // default or the possible values alone are not help.
            let is_help = |text: &str| {
                !text.is_empty() && !text.starts_with('[') && !text.starts_with("Possible values")
            };
            let same_line = trimmed.split_once("  ").map(|(_, t)| t.trim());
            let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or_default();
            assert!(
                same_line.map_or(is_help(next), is_help),
                "{command}: `{}` has no help",
                line.trim()
            );
        }
    }
}

#[test]
fn the_manual_holds_every_commands_page() {
    let output = entralint(&["man"]);
    assert_eq!(output.status.code(), Some(0));
    let page = stdout(&output);
    for title in [
        ".TH entralint 1",
        ".TH entralint-check 1",
        ".TH entralint-token 1",
    ] {
        assert!(page.contains(title), "{title}");
    }
    for option in ["\\-\\-select", "\\-\\-fail\\-on", "\\-\\-token\\-file"] {
        assert!(page.contains(option), "{option}");
    }
    let token = stdout(&entralint(&["man", "token"]));
    assert!(token.contains(".TH entralint-token 1") && !token.contains(".TH entralint 1"));
    assert!(token.contains("\\-\\-token\\-file"));
    let unknown = entralint(&["man", "tokn"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn an_unknown_extend_select_id_is_refused_with_a_suggestion() {
    let output = entralint(&[
        "check",
        "--extend-select",
        "graph-audiense",
        "fixtures/demo",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(
        err.contains("unknown rule id 'graph-audiense'")
            && err.contains("did you mean 'graph-audience'"),
        "{err}"
    );
}
