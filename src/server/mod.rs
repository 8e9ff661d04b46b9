//! `entralint server`: a language server over standard input and output. It publishes findings
//! for every file entralint reads as the user types, shows on hover what the framework will use
//! (the `inspect` view of the apps a value takes part in), and offers each machine-applicable
//! fix and a suppression comment as code actions.
//!
//! A change re-checks only the changed file's unit (its project folder, see
//! [`workspace::scope_of`]) with the unsaved text over the disk; the whole workspace is checked
//! once at start and again when an `entralint.toml` changes.

mod actions;
mod convert;
mod hover;
mod transport;
mod workspace;

use crate::pipeline::Analysis;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Runs the server until the client says `exit`.
pub fn serve() -> Result<(), String> {
    let (connection, writer) = transport::stdio();
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection
        .initialize(capabilities)
        .map_err(|e| format!("the client did not initialize the server: {e}"))?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize parameters: {e}"))?;
    let root = workspace_root(&params)?;
    let mut server = Server {
        root,
        connection: &connection,
        open: HashMap::new(),
        checked: HashMap::new(),
        published: BTreeMap::new(),
    };
    server.watch_files(&params);
    server.check_workspace();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    break;
                }
                server.request(request);
            }
            Message::Notification(notification) => server.notification(notification),
            Message::Response(_) => {}
        }
    }
    drop(server);
    drop(connection);
    writer
        .join()
        .map_err(|_| "the server's output thread failed".to_string())
}

/// The first workspace folder, else the root URI, else the working directory.
#[allow(deprecated)] // `root_uri` is what older clients send.
fn workspace_root(params: &lsp::InitializeParams) -> Result<PathBuf, String> {
    let uri = (params.workspace_folders.as_ref())
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(params.root_uri.as_ref());
    match uri.and_then(convert::path_of) {
        Some(path) => Ok(path),
        None => std::env::current_dir().map_err(|e| format!("no workspace folder: {e}")),
    }
}

struct Server<'a> {
    root: PathBuf,
    connection: &'a Connection,
    /// The editor's text of each open file.
    open: HashMap<PathBuf, String>,
    /// The latest check of each scope folder (the workspace root included), apps kept for hover.
    checked: HashMap<PathBuf, Analysis>,
    /// What was last published for each file, so that clean files are cleared once.
    published: BTreeMap<PathBuf, Vec<lsp::Diagnostic>>,
}

impl Server<'_> {
    /// Checks the whole workspace from disk, and the units of open files with their text; then
    /// publishes once per file.
    fn check_workspace(&mut self) {
        self.check_root(None);
    }

    /// Checks the whole workspace with the editor's text of `unsaved` (else of the first open
    /// file whose unit is the root), and re-checks the units of the other open files with their
    /// text, so no open file is shown the findings of its text on disk. An open file of the
    /// root's unit other than the overlaid one keeps what was last published for it: a check
    /// reads one file's unsaved text.
    fn check_root(&mut self, unsaved: Option<&Path>) {
        self.checked.clear();
        let root = self.root.clone();
        let mut open: Vec<PathBuf> = self.open.keys().cloned().collect();
        open.sort();
        let (in_root, in_projects): (Vec<PathBuf>, Vec<PathBuf>) =
            (open.into_iter()).partition(|file| workspace::scope_of(&root, file) == root);
        let overlay = unsaved
            .filter(|file| self.open.contains_key(*file))
            .map(Path::to_path_buf)
            .or_else(|| in_root.first().cloned());
        let Some(all) = self.analyse(&root, overlay.as_deref()) else {
            return;
        };
        let mut by_file = findings(&all);
        self.checked.insert(root.clone(), all);
        for file in in_root
            .iter()
            .filter(|file| Some(*file) != overlay.as_ref())
        {
            match self.published.get(file) {
                Some(shown) => by_file.insert(file.clone(), shown.clone()),
                None => by_file.remove(file),
            };
        }
        for file in in_projects {
            let scope = workspace::scope_of(&root, &file);
            if let Some(analysis) = self.analyse(&scope, Some(&file)) {
                by_file.retain(|path, _| !path.starts_with(&scope));
                by_file.extend(findings(&analysis));
                self.checked.insert(scope, analysis);
            }
        }
        self.publish_under(&root, by_file);
    }

    /// Checks `scope` and publishes the findings of every file in it: the changed file and the
    /// other layers of its apps alike.
    fn check_scope(&mut self, scope: &Path, unsaved: Option<&Path>) {
        if scope == self.root {
            return self.check_root(unsaved);
        }
        if let Some(analysis) = self.analyse(scope, unsaved) {
            self.publish_under(scope, findings(&analysis));
            self.checked.insert(scope.to_path_buf(), analysis);
        }
    }

    /// Checks `scope` with the editor's text of `unsaved`; problems go to the user.
    fn analyse(&self, scope: &Path, unsaved: Option<&Path>) -> Option<Analysis> {
        let overlay = unsaved.and_then(|file| Some((file, self.open.get(file)?.as_str())));
        let (analysis, config_error) = workspace::check(&self.root, scope, overlay);
        if let Some(error) = config_error {
            self.show_message(lsp::MessageType::WARNING, error);
        }
        analysis
            .map_err(|error| self.show_message(lsp::MessageType::ERROR, error))
            .ok()
    }

    /// Publishes `by_file` and clears the files under `scope` that no longer have findings;
    /// files whose findings did not change are not sent again.
    fn publish_under(
        &mut self,
        scope: &Path,
        mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>>,
    ) {
        let cleared: Vec<PathBuf> = (self.published.keys())
            .filter(|path| path.starts_with(scope) && !by_file.contains_key(*path))
            .cloned()
            .collect();
        for path in cleared {
            by_file.insert(path, Vec::new());
        }
        for (path, diagnostics) in by_file {
            if self.published.get(&path) == Some(&diagnostics) {
                continue;
            }
            self.publish(&path, diagnostics.clone());
            if diagnostics.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, diagnostics);
            }
        }
    }

    /// The latest check that covers `file`, checking its scope when none does.
    fn analysis_for(&mut self, file: &Path) -> Option<&Analysis> {
        let scope = workspace::scope_of(&self.root, file);
        if !self.checked.contains_key(&scope) && !self.checked.contains_key(&self.root) {
            self.check_scope(&scope, Some(file));
        }
        let root = self.root.clone();
        self.checked.get(&scope).or_else(|| self.checked.get(&root))
    }

    fn changed(&mut self, file: PathBuf) {
        self.changed_files(vec![file]);
    }

    /// Re-checks the units of `files` once each; the whole workspace when one of them is an
    /// `entralint.toml`.
    fn changed_files(&mut self, files: Vec<PathBuf>) {
        let is_config = |file: &PathBuf| {
            file.file_name()
                .is_some_and(|n| crate::config::FILE_NAMES.iter().any(|c| n == *c))
        };
        if files.iter().any(is_config) {
            return self.check_workspace();
        }
        let mut scopes: BTreeMap<PathBuf, Option<PathBuf>> = BTreeMap::new();
        for file in files {
            let scope = workspace::scope_of(&self.root, &file);
            let overlay = scopes.entry(scope).or_default();
            if self.open.contains_key(&file) {
                *overlay = Some(file);
            }
        }
        for (scope, unsaved) in scopes {
            self.check_scope(&scope, unsaved.as_deref());
        }
    }

    /// Asks the client to report changes to configuration files made outside the editor
    /// (another tool, a checkout), when it can.
    fn watch_files(&self, params: &lsp::InitializeParams) {
        let can_watch = (params.capabilities.workspace.as_ref())
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if !can_watch {
            return;
        }
        let watchers = [
            "**/{entralint,.entralint}.toml",
            "**/appsettings*.json",
            "**/*.config",
        ]
        .into_iter()
        .map(|glob| lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "entralint-watched-files".into(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            "entralint-watch".to_string().into(),
            lsp::request::RegisterCapability::METHOD.into(),
            params,
        );
        let _ = self.connection.sender.send(Message::Request(request));
    }

    fn notification(&mut self, notification: Notification) {
        use lsp::notification::*;
        let method = notification.method.as_str();
        match method {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = parse::<lsp::DidOpenTextDocumentParams>(notification.params)
                    && let Some(path) = convert::path_of(&params.text_document.uri)
                {
                    self.open.insert(path.clone(), params.text_document.text);
                    self.changed(path);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = parse::<lsp::DidChangeTextDocumentParams>(notification.params)
                    && let Some(path) = convert::path_of(&params.text_document.uri)
                    && let Some(change) = params.content_changes.into_iter().last()
                    // A change to a file never opened has no text to overlay: ignored.
                    && self.open.contains_key(&path)
                {
                    self.open.insert(path.clone(), change.text);
                    self.changed(path);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = parse::<lsp::DidSaveTextDocumentParams>(notification.params)
                    && let Some(path) = convert::path_of(&params.text_document.uri)
                {
                    self.changed(path);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = parse::<lsp::DidCloseTextDocumentParams>(notification.params)
                    && let Some(path) = convert::path_of(&params.text_document.uri)
                {
                    // The disk is what counts again.
                    self.open.remove(&path);
                    self.changed(path);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = parse::<lsp::DidChangeWatchedFilesParams>(notification.params) {
                    for event in params.changes {
                        if let Some(path) = convert::path_of(&event.uri) {
                            self.changed(path);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        use lsp::request::*;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => parse::<lsp::HoverParams>(request.params).map(|params| {
                let position = params.text_document_position_params;
                let hover = convert::path_of(&position.text_document.uri).and_then(|path| {
                    let analysis = self.analysis_for(&path)?;
                    hover::hover(analysis, &path, position.position)
                });
                serde_json::to_value(hover).unwrap_or_default()
            }),
            CodeActionRequest::METHOD => {
                parse::<lsp::CodeActionParams>(request.params).map(|params| {
                    let found = convert::path_of(&params.text_document.uri).and_then(|path| {
                        let analysis = self.analysis_for(&path)?;
                        Some(actions::code_actions(analysis, &path, params.range))
                    });
                    serde_json::to_value(found.unwrap_or_default()).unwrap_or_default()
                })
            }
            _ => {
                return self.respond(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("entralint does not answer {}", request.method),
                ));
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(error) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                error.to_string(),
            ),
        };
        self.respond(response);
    }

    fn respond(&self, response: Response) {
        let _ = self.connection.sender.send(Message::Response(response));
    }

    fn publish(&self, path: &Path, diagnostics: Vec<lsp::Diagnostic>) {
        let Some(uri) = convert::uri_of(path) else {
            return;
        };
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.notify(lsp::notification::PublishDiagnostics::METHOD, params);
    }

    fn show_message(&self, typ: lsp::MessageType, message: String) {
        let params = lsp::ShowMessageParams { typ, message };
        self.notify(lsp::notification::ShowMessage::METHOD, params);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let notification = Notification::new(method.to_string(), params);
        let _ = self
            .connection
            .sender
            .send(Message::Notification(notification));
    }
}

/// The findings of a check as the editor shows them, by file.
fn findings(analysis: &Analysis) -> BTreeMap<PathBuf, Vec<lsp::Diagnostic>> {
    let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = BTreeMap::new();
    for finding in &analysis.diagnostics {
        let path = analysis.sources.get(finding.primary.file).path.clone();
        (by_file.entry(path).or_default()).push(convert::diagnostic(&analysis.sources, finding));
    }
    by_file
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> serde_json::Result<T> {
    serde_json::from_value(params)
}
