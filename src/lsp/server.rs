//! The server proper: the protocol's lifecycle (`initialize`, `initialized`, `shutdown`,
//! `exit`), answers and errors, the outgoing queue, and the guard that turns a panic while
//! handling one message into an error answer instead of a crash.
//!
//! It does no I/O: [`super::serve`] feeds it messages and writes what it queues, and the
//! benchmark drives it in-process the same way.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use jiff::civil::Date;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeResult, OneOf,
    PositionEncodingKind, RenameOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, WorkDoneProgressOptions,
};
use serde_json::{Value, json};

use crate::run::CheckOptions;

use super::std_cache::{std_cache_dir, write_std_cache};
use super::transport::Incoming;
use super::workspace::Workspace;
use super::world::World;
use super::{diagnostics, dispatch, uri};

/// How the server is set up before the client says anything.
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// The workspace root when the client names none (the process's working folder).
    pub cwd: PathBuf,
    /// Where to write the embedded library (default: the user's cache folder).
    pub std_cache: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lifecycle {
    Uninitialized,
    Running,
    ShutDown,
}

/// The server's state and its queue of outgoing messages.
#[derive(Debug)]
pub struct Server {
    options: ServerOptions,
    world: Option<World>,
    lifecycle: Lifecycle,
    /// Messages to send, each already written as JSON: a notification's parameters are
    /// serialised once, straight to text, never through a `Value` tree.
    outbox: Vec<String>,
    logs: Vec<String>,
    exit: Option<u8>,
    watch_files: bool,
}

impl Server {
    /// A server waiting for `initialize`.
    pub fn new(options: ServerOptions) -> Server {
        Server {
            options,
            world: None,
            lifecycle: Lifecycle::Uninitialized,
            outbox: Vec::new(),
            logs: Vec::new(),
            exit: None,
            watch_files: false,
        }
    }

    /// The world, once initialized.
    pub fn world(&self) -> Option<&World> {
        self.world.as_ref()
    }

    /// Handles one message, queueing its answer and anything else to send.
    pub fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => {}
        }
    }

    /// Answers what was not a message: an error for a body that was not JSON or not a
    /// message (JSON-RPC's parse error and invalid request), a log line for a framing problem.
    pub fn malformed(&mut self, id: Option<Value>, code: Option<i32>, reason: String) {
        self.log(format!("ignored input: {reason}"));
        if let Some(code) = code {
            let error = json!({"code": code, "message": reason});
            self.outbox.push(json!({"jsonrpc": "2.0", "id": id.unwrap_or(Value::Null), "error": error}).to_string());
        }
    }

    /// Handles whatever the reader produced: a message, a repaired message or malformed input.
    pub fn receive(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Message(message) => self.handle(message),
            Incoming::Repaired { message, warning } => {
                self.warn(warning);
                self.handle(message);
            }
            Incoming::Malformed { id, code, reason } => self.malformed(id, code, reason),
        }
    }

    /// Tells the user something went wrong that the server worked around.
    pub fn warn(&mut self, warning: String) {
        self.log(warning.clone());
        self.notify("window/showMessage", &json!({"type": 2, "message": warning}));
    }

    /// True when documents or the policy set wait to be checked.
    pub fn has_pending_diagnostics(&self) -> bool {
        self.world.as_ref().is_some_and(|world| !world.pending.is_empty())
    }

    /// Checks what waits and queues the diagnostics.
    pub fn flush_diagnostics(&mut self) {
        let Some(world) = &mut self.world else { return };
        match catch_unwind(AssertUnwindSafe(|| diagnostics::flush(world))) {
            Ok(published) => {
                for params in published {
                    self.notify("textDocument/publishDiagnostics", &params);
                }
            }
            Err(_) => {
                world.pending = Default::default();
                self.log("internal error while checking; the diagnostics were not updated".to_owned());
            }
        }
    }

    /// The messages queued since the last call.
    pub fn take_outgoing(&mut self) -> Vec<String> {
        std::mem::take(&mut self.outbox)
    }

    /// The log lines queued since the last call.
    pub fn take_logs(&mut self) -> Vec<String> {
        std::mem::take(&mut self.logs)
    }

    /// The exit code once `exit` has come: 0 after `shutdown`, else 1.
    pub fn exit_code(&self) -> Option<u8> {
        self.exit
    }

    fn log(&mut self, line: String) {
        self.logs.push(line);
    }

    fn notify(&mut self, method: &str, params: &impl serde::Serialize) {
        match serde_json::to_string(params) {
            Ok(params) => {
                let method = Value::from(method);
                self.outbox.push(format!(r#"{{"jsonrpc":"2.0","method":{method},"params":{params}}}"#));
            }
            Err(error) => self.log(format!("cannot send {method}: {error}")),
        }
    }

    fn reply(&mut self, id: RequestId, result: Result<Value, dispatch::Failure>) {
        let id = serde_json::to_value(&id).unwrap_or(Value::Null);
        let message = match result {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err((code, message)) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
        };
        self.outbox.push(message.to_string());
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        match (self.lifecycle, method.as_str()) {
            (Lifecycle::Uninitialized, "initialize") => {
                let result = self.initialize(&params);
                self.reply(id, Ok(result));
            }
            (_, "initialize") => {
                self.reply(id, Err((ErrorCode::InvalidRequest as i32, "the server is already initialized".into())))
            }
            (Lifecycle::Uninitialized, _) => {
                let failure = (ErrorCode::ServerNotInitialized as i32, "the server is not initialized".to_owned());
                self.reply(id, Err(failure));
            }
            (Lifecycle::ShutDown, _) => {
                let failure = (ErrorCode::InvalidRequest as i32, "the server is shutting down".to_owned());
                self.reply(id, Err(failure));
            }
            (Lifecycle::Running, "shutdown") => {
                self.lifecycle = Lifecycle::ShutDown;
                self.reply(id, Ok(Value::Null));
            }
            (Lifecycle::Running, method) => {
                if dispatch::needs_policies(method) && self.world.as_ref().is_some_and(|world| world.pending.policies) {
                    self.flush_diagnostics();
                }
                let Some(world) = &mut self.world else { return };
                let result = catch_unwind(AssertUnwindSafe(|| dispatch::request(world, method, params)))
                    .unwrap_or_else(|_| {
                        Err((ErrorCode::InternalError as i32, format!("internal error while answering `{method}`")))
                    });
                self.reply(id, result);
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match (self.lifecycle, method.as_str()) {
            (_, "exit") => self.exit = Some(if self.lifecycle == Lifecycle::ShutDown { 0 } else { 1 }),
            (Lifecycle::Running, "initialized") => self.register_watchers(),
            (Lifecycle::Running, method) => {
                let Some(world) = &mut self.world else { return };
                let outcome = catch_unwind(AssertUnwindSafe(|| dispatch::notification(world, method, params)));
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(reason)) => self.log(format!("ignored `{method}`: {reason}")),
                    Err(_) => self.log(format!("internal error while handling `{method}`")),
                }
            }
            _ => {}
        }
    }

    /// Sets up the world from `initialize`'s parameters and says what the server can do.
    fn initialize(&mut self, params: &Value) -> Value {
        let root = workspace_root(params).unwrap_or_else(|| self.options.cwd.clone());
        let options = params.get("initializationOptions");
        let as_of = match options.and_then(|options| options.get("asOf")).and_then(Value::as_str) {
            Some(text) => text.parse::<Date>().unwrap_or_else(|error| {
                self.log(format!("ignored `asOf` `{text}`: {error}"));
                crate::clock::today()
            }),
            None => crate::clock::today(),
        };
        let std_dir = match self.options.std_cache.clone().or_else(std_cache_dir) {
            Some(cache) => match write_std_cache(&cache) {
                Ok(dir) => Some(dir),
                Err(error) => {
                    self.log(format!(
                        "cannot write the standard library to `{}` ({error}): go to definition into it is unavailable",
                        cache.display()
                    ));
                    None
                }
            },
            None => {
                self.log("no cache folder ($XDG_CACHE_HOME or $HOME): go to definition into the standard library is unavailable".into());
                None
            }
        };
        let workspace = Workspace::load(uri::normalize(&root), std_dir);
        self.world = Some(World::new(workspace, CheckOptions::as_of(as_of)));
        self.lifecycle = Lifecycle::Running;
        self.watch_files = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let result = InitializeResult { capabilities: capabilities(), server_info: Some(server_info()) };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    /// Asks the client to report changes to policy files and `trustcheck.toml`.
    fn register_watchers(&mut self) {
        if !self.watch_files {
            return;
        }
        let watchers = json!({"watchers": [{"globPattern": "**/*.policy"}, {"globPattern": "**/trustcheck.toml"}]});
        let registration =
            json!({"id": "trustcheck-watch", "method": "workspace/didChangeWatchedFiles", "registerOptions": watchers});
        self.outbox.push(
            json!({
                "jsonrpc": "2.0",
                "id": "trustcheck-register-watchers",
                "method": "client/registerCapability",
                "params": {"registrations": [registration]},
            })
            .to_string(),
        );
    }
}

/// The root folder `initialize` names: the first workspace folder, else `rootUri`, else
/// `rootPath`.
fn workspace_root(params: &Value) -> Option<PathBuf> {
    let folder = params.pointer("/workspaceFolders/0/uri").and_then(Value::as_str);
    let root_uri = params.get("rootUri").and_then(Value::as_str);
    if let Some(path) = folder.or(root_uri).and_then(|text| text.parse().ok()).and_then(|uri| uri::to_path(&uri)) {
        return Some(path);
    }
    params.get("rootPath").and_then(Value::as_str).map(PathBuf::from).filter(|path| path.is_absolute())
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

fn server_info() -> ServerInfo {
    ServerInfo { name: "trustcheck".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) }
}
