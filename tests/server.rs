//! The language server driven as an editor drives it: initialize, didOpen with unsaved text,
//! didChange, hover, codeAction, shutdown and exit, over the binary's standard input and output.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

const TENANT: &str = "3c8f7a2e-5b1d-4e6f-9a0b-7d2c1e4f8a93";
const CLIENT: &str = "7c3e9d21-4b8a-4f06-b2d5-e1a9c3f70d68";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_entralint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(value) = header.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                stdout.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result, skipping notifications on the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self.wait_for(|m| m["id"] == id);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(30))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let published = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

fn base(tenant_line: &str, audience: &str) -> String {
    format!(
        "{{\n  // API 😀 settings\n  \"AzureAd\": {{\n    \"Instance\": \"https://login.microsoftonline.com/\",\n{tenant_line}    \"ClientId\": \"{CLIENT}\",\n    \"Audience\": \"{audience}\"\n  }}\n}}\n"
    )
}

fn with_rule<'a>(diagnostics: &'a [Value], rule: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {diagnostics:?}"))
}

#[test]
fn an_editor_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let api = root.join("Api");
    std::fs::create_dir(&api).unwrap();
    let base_path = api.join("appsettings.json");
    let production_path = api.join("appsettings.Production.json");
    let tenant_line = format!("    \"TenantId\": \"{TENANT}\",\n");
    std::fs::write(&base_path, base(&tenant_line, &format!("api://{CLIENT}"))).unwrap();
    // Production puts the tenant in Instance too: with the base's TenantId, the authority
    // names it twice.
    std::fs::write(
        &production_path,
        format!("{{\n  \"AzureAd\": {{\n    \"Instance\": \"https://login.microsoftonline.com/{TENANT}/\"\n  }}\n}}\n"),
    )
    .unwrap();
    let (base_uri, production_uri) = (uri(&base_path), uri(&production_path));

    let mut client = Client::start(&root);
    let initialized = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(&root),
                "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } },
                "workspaceFolders": [{ "uri": uri(&root), "name": "w" }] }),
    );
    assert_eq!(initialized["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));
    // The server asks to hear of configuration files changed outside the editor.
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/{entralint,.entralint}.toml"
    );
    client.send(json!({ "jsonrpc": "2.0", "id": register["id"], "result": null }));
    // The whole workspace is checked at start, from disk.
    let production = client.diagnostics_for(&production_uri);
    let doubled = with_rule(&production, "tenant-in-instance");
    assert_eq!(
        doubled["range"]["start"],
        json!({ "line": 2, "character": 16 })
    );
    let related = &doubled["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], base_uri.as_str());
    assert_eq!(related["range"]["start"]["line"], 4);

    // Unsaved text: a padded tenant and a Graph audience, after a line holding an emoji.
    let padded = format!("    \"TenantId\": \" {TENANT}\",\n");
    let unsaved = base(&padded, "https://graph.microsoft.com");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": base_uri, "languageId": "json", "version": 1, "text": unsaved } }),
    );
    let opened = client.diagnostics_for(&base_uri);
    let graph = with_rule(&opened, "graph-audience");
    assert_eq!(graph["severity"], 1);
    assert_eq!(graph["source"], "entralint");
    assert_eq!(
        graph["codeDescription"]["href"],
        "https://github.com/entralint/entralint/blob/main/rules/graph-audience.md"
    );
    assert_eq!(
        graph["range"],
        json!({ "start": { "line": 6, "character": 16 }, "end": { "line": 6, "character": 45 } })
    );
    let whitespace = with_rule(&opened, "whitespace-in-value");
    assert_eq!(
        whitespace["range"]["start"],
        json!({ "line": 4, "character": 16 })
    );

    // Hover on the audience value: what each environment's framework will use.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": base_uri }, "position": { "line": 6, "character": 20 } }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    // As `inspect` lists them: the project's one environment, Production.
    assert!(
        shown.starts_with("```text\nApi/appsettings.json :: AzureAd [Production]\n"),
        "{shown}"
    );
    assert!(
        shown.contains("audiences     https://graph.microsoft.com"),
        "{shown}"
    );
    // The unsaved padded tenant is what the framework would put in the URL.
    assert!(shown.contains(&format!(
        "metadata      https://login.microsoftonline.com/{TENANT}/%20{TENANT}/v2.0/.well-known/openid-configuration\n"
    )), "{shown}");
    assert_eq!(
        hover["range"]["start"],
        json!({ "line": 6, "character": 16 })
    );
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": base_uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(nothing, Value::Null);

    // Code actions on the padded tenant: the fix and a suppression comment.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": base_uri },
                "range": { "start": { "line": 4, "character": 20 }, "end": { "line": 4, "character": 20 } },
                "context": { "diagnostics": [] } }),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Remove the surrounding whitespace")
        .expect("the whitespace fix");
    assert_eq!(fix["isPreferred"], true);
    let edits = &fix["edit"]["changes"][base_uri.as_str()];
    assert_eq!(
        edits[0]["range"],
        json!({ "start": { "line": 4, "character": 17 }, "end": { "line": 4, "character": 18 } })
    );
    // Only the padding goes.
    assert_eq!(edits[0]["newText"], "");
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress whitespace-in-value with a reason")
        .expect("the suppression");
    let inserted = &suppress["edit"]["changes"][base_uri.as_str()][0];
    assert_eq!(
        inserted["range"]["start"],
        json!({ "line": 4, "character": 0 })
    );
    assert_eq!(
        inserted["newText"],
        "    // entralint-ignore whitespace-in-value: explain why this finding does not apply\n"
    );

    // Dropping the base TenantId changes what the Production layer builds: its finding goes.
    let changed = base("", "https://graph.microsoft.com");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": base_uri, "version": 2 }, "contentChanges": [{ "text": changed }] }),
    );
    // Published file by file in path order: appsettings.Production.json first.
    let production = client.diagnostics_for(&production_uri);
    assert!(
        production.iter().all(|d| d["code"] != "tenant-in-instance"),
        "{production:?}"
    );
    let changed_base = client.diagnostics_for(&base_uri);
    with_rule(&changed_base, "missing-required");

    // A new entralint.toml applies at once: the Graph audience is ignored in this workspace.
    let config = root.join("entralint.toml");
    std::fs::write(&config, "ignore = [\"graph-audience\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 1 }] }),
    );
    // Checked again with the editor's text, not the disk's (which has no TenantId finding).
    let reconfigured = client.diagnostics_for(&base_uri);
    with_rule(&reconfigured, "missing-required");
    assert!(
        reconfigured.iter().all(|d| d["code"] != "graph-audience"),
        "{reconfigured:?}"
    );

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success());
    // The disk was never written.
    assert!(
        std::fs::read_to_string(&base_path)
            .unwrap()
            .contains(&format!("api://{CLIENT}"))
    );
}

#[test]
fn web_config_hover_and_xml_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("App_Start")).unwrap();
    let config = root.join("Web.config");
    std::fs::write(
        &config,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <appSettings>\r\n    <add key=\"ida:Tenant\" value=\"contoso.onmicrosoft.com\" />\r\n    <add key=\"ida:Audience\" value=\"https://graph.microsoft.com\" />\r\n  </appSettings>\r\n</configuration>\r\n",
    )
    .unwrap();
    std::fs::write(
        root.join("App_Start/Startup.Auth.cs"),
        "using System.Configuration;\nusing Owin;\n\npublic partial class Startup\n{\n    public void ConfigureAuth(IAppBuilder app)\n    {\n        app.UseWindowsAzureActiveDirectoryBearerAuthentication(\n            new WindowsAzureActiveDirectoryBearerAuthenticationOptions\n            {\n                Tenant = ConfigurationManager.AppSettings[\"ida:Tenant\"],\n                TokenValidationParameters = new TokenValidationParameters\n                {\n                    ValidAudience = ConfigurationManager.AppSettings[\"ida:Audience\"]\n                },\n            });\n    }\n}\n",
    )
    .unwrap();
    let config_uri = uri(&config);
    let mut client = Client::start(&root);
    client.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(&root), "capabilities": {} }),
    );
    client.notify("initialized", json!({}));
    let found = client.diagnostics_for(&config_uri);
    let graph = with_rule(&found, "graph-audience");
    assert_eq!(
        graph["range"]["start"],
        json!({ "line": 4, "character": 34 })
    );

    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": config_uri }, "position": { "line": 3, "character": 40 } }),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("framework     owin-azure-ad-bearer (web-api)"),
        "{shown}"
    );
    // Katana's Azure AD bearer middleware reads public-cloud WS-Federation metadata.
    assert!(shown.contains(
        "metadata      https://login.windows.net/contoso.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml"
    ), "{shown}");

    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": config_uri },
                "range": { "start": { "line": 4, "character": 40 }, "end": { "line": 4, "character": 40 } },
                "context": { "diagnostics": [] } }),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress graph-audience with a reason")
        .expect("the suppression");
    // An XML comment, in the file's CRLF line endings.
    assert_eq!(
        suppress["edit"]["changes"][config_uri.as_str()][0]["newText"],
        "    <!-- entralint-ignore graph-audience: explain why this finding does not apply -->\r\n"
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

impl Client {
    /// Sends a request and returns every message up to its response, the response last.
    fn request_collecting(&mut self, method: &str, params: Value) -> Vec<Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let mut seen = Vec::new();
        loop {
            let message = self.wait_for(|_| true);
            let done = message["id"] == id;
            seen.push(message);
            if done {
                return seen;
            }
        }
    }

    fn start_in(root: &Path) -> Client {
        let mut client = Client::start(root);
        client.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri(root), "capabilities": {} }),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        assert!(self.child.wait().unwrap().success());
    }
}

/// A project whose disk text is clean, and text with a Graph audience.
fn clean_project(root: &Path) -> (std::path::PathBuf, String) {
    let api = root.join("Api");
    std::fs::create_dir(&api).unwrap();
    let path = api.join("appsettings.json");
    let tenant_line = format!("    \"TenantId\": \"{TENANT}\",\n");
    std::fs::write(&path, base(&tenant_line, &format!("api://{CLIENT}"))).unwrap();
    (path, base(&tenant_line, "https://graph.microsoft.com"))
}

fn published_for<'a>(messages: &'a [Value], uri: &str) -> Vec<&'a Value> {
    messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .collect()
}

#[test]
fn malformed_messages_are_answered_and_changes_to_unopened_files_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (path, graph_text) = clean_project(&root);
    let file_uri = uri(&path);
    let mut client = Client::start_in(&root);

    write!(client.stdin, "Content-Length: 9\r\n\r\n{{not json").unwrap();
    client.stdin.flush().unwrap();
    let refused = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(refused["error"]["code"], -32700, "{refused}");
    assert_eq!(refused["id"], Value::Null);

    // A didChange for a file the editor never opened: nothing to overlay, so nothing checked.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": file_uri, "version": 2 },
                "contentChanges": [{ "text": graph_text }] }),
    );
    // The server still answers, and published nothing for the unopened file's text.
    let seen = client.request_collecting(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 6, "character": 20 } }),
    );
    let answer = seen.last().unwrap();
    assert!(answer.get("error").is_none(), "{answer}");
    assert!(
        answer["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|shown| shown.contains(&format!("api://{CLIENT}"))),
        "the disk's audience is shown: {answer}"
    );
    assert!(published_for(&seen, &file_uri).is_empty(), "{seen:?}");
    client.stop();
}

#[test]
fn a_root_check_keeps_open_files_on_their_editor_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (path, graph_text) = clean_project(&root);
    let file_uri = uri(&path);
    let compose = root.join("docker-compose.yml");
    std::fs::write(&compose, "services:\n  api:\n    image: api\n").unwrap();
    let mut client = Client::start_in(&root);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "json", "version": 1, "text": graph_text } }),
    );
    let opened = client.diagnostics_for(&file_uri);
    with_rule(&opened, "graph-audience");

    // A file of the root's unit changes on disk: the root is checked again.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&compose), "type": 2 }] }),
    );
    let seen = client.request_collecting(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 6, "character": 20 } }),
    );
    for published in published_for(&seen, &file_uri) {
        let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
        assert!(
            diagnostics.iter().any(|d| d["code"] == "graph-audience"),
            "the open file was shown its disk text's findings: {published}"
        );
    }
    client.stop();
}

#[test]
fn yaml_suppression_uses_hash_comments() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("appsettings.json"),
        base(
            &format!("    \"TenantId\": \"{TENANT}\",\n"),
            &format!("api://{CLIENT}"),
        ),
    )
    .unwrap();
    let compose = root.join("docker-compose.yml");
    std::fs::write(
        &compose,
        "services:\n  api:\n    environment:\n      AzureAd__Audience: https://graph.microsoft.com\n",
    )
    .unwrap();
    let compose_uri = uri(&compose);
    let mut client = Client::start_in(&root);
    with_rule(&client.diagnostics_for(&compose_uri), "graph-audience");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": compose_uri },
                "range": { "start": { "line": 3, "character": 30 }, "end": { "line": 3, "character": 30 } },
                "context": { "diagnostics": [] } }),
    );
    let suppress = (actions.as_array().unwrap().iter())
        .find(|a| a["title"] == "Suppress graph-audience with a reason")
        .expect("the suppression");
    assert_eq!(
        suppress["edit"]["changes"][compose_uri.as_str()][0]["newText"],
        "      # entralint-ignore graph-audience: explain why this finding does not apply\n"
    );
    client.stop();
}
