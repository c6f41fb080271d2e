//! The dispatch table: every request and notification handled once the server is
//! initialized, by method name, in one place. (The lifecycle messages, `initialize`,
//! `initialized`, `shutdown` and `exit`, are the server's own: see `server.rs`.)

use lsp_server::ErrorCode;
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification,
};
use lsp_types::request::{
    CodeActionRequest, Completion, Formatting, GotoDefinition, HoverRequest, PrepareRenameRequest, References, Rename,
    Request,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::world::World;
use super::{code_actions, completion, definition, documents, formatting, hover, references};

/// A request's failure: a JSON-RPC error code and message.
pub type Failure = (i32, String);

/// True for the requests whose answer depends on the policy set being up to date.
pub fn needs_policies(method: &str) -> bool {
    matches!(
        method,
        HoverRequest::METHOD
            | GotoDefinition::METHOD
            | Completion::METHOD
            | References::METHOD
            | PrepareRenameRequest::METHOD
            | Rename::METHOD
            | CodeActionRequest::METHOD
    )
}

/// Answers a request.
pub fn request(world: &mut World, method: &str, params: Value) -> Result<Value, Failure> {
    match method {
        HoverRequest::METHOD => answer(params, |params| hover::hover(world, params)),
        GotoDefinition::METHOD => answer(params, |params| definition::definition(world, params)),
        Completion::METHOD => answer(params, |params| completion::completion(world, params)),
        References::METHOD => answer(params, |params| references::references(world, params)),
        Formatting::METHOD => answer(params, |params| formatting::formatting(world, params)),
        CodeActionRequest::METHOD => answer(params, |params| code_actions::code_actions(world, params)),
        PrepareRenameRequest::METHOD => answer(params, |params| references::prepare_rename(world, params)),
        Rename::METHOD => {
            let params = serde_json::from_value(params)
                .map_err(|error| (ErrorCode::InvalidParams as i32, format!("invalid parameters: {error}")))?;
            let edit =
                references::rename(world, params).map_err(|refusal| (ErrorCode::RequestFailed as i32, refusal))?;
            serde_json::to_value(edit).map_err(|error| (ErrorCode::InternalError as i32, error.to_string()))
        }
        _ => Err((ErrorCode::MethodNotFound as i32, format!("unknown method `{method}`"))),
    }
}

/// Applies a notification; unknown ones are ignored. The error says why its parameters
/// could not be read.
pub fn notification(world: &mut World, method: &str, params: Value) -> Result<(), String> {
    match method {
        DidOpenTextDocument::METHOD => apply(params, |params| documents::did_open(world, params)),
        DidChangeTextDocument::METHOD => apply(params, |params| documents::did_change(world, params)),
        DidCloseTextDocument::METHOD => apply(params, |params| documents::did_close(world, params)),
        DidSaveTextDocument::METHOD => apply(params, |params| documents::did_save(world, params)),
        DidChangeWatchedFiles::METHOD => apply(params, |params| documents::did_change_watched_files(world, params)),
        _ => Ok(()),
    }
}

fn answer<P: DeserializeOwned, R: Serialize>(params: Value, handler: impl FnOnce(P) -> R) -> Result<Value, Failure> {
    let params = serde_json::from_value(params)
        .map_err(|error| (ErrorCode::InvalidParams as i32, format!("invalid parameters: {error}")))?;
    serde_json::to_value(handler(params)).map_err(|error| (ErrorCode::InternalError as i32, error.to_string()))
}

fn apply<P: DeserializeOwned>(params: Value, handler: impl FnOnce(P)) -> Result<(), String> {
    let params = serde_json::from_value(params).map_err(|error| format!("invalid parameters: {error}"))?;
    handler(params);
    Ok(())
}
