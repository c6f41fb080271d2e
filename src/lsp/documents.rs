//! Document and file notifications: `didOpen`, `didChange` (full or incremental),
//! `didClose`, `didSave` and `workspace/didChangeWatchedFiles`. Each updates the world and
//! marks what must be checked again; the server publishes diagnostics once the burst of
//! messages is over. An open project file (`trustcheck.toml`) is read as typed: each change
//! to it reads its settings again from the buffer (the policy files it names are read when
//! it is saved), and closing it goes back to the file on disk.

use std::collections::BTreeMap;
use std::path::Path;

use lsp_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, TextDocumentContentChangeEvent,
};

use crate::source::{Origin, SourceFile};

use super::world::{Document, DocumentKind, World};

/// A document was opened: it is classified and checked.
pub fn did_open(world: &mut World, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let mut document = Document::new(item.uri, item.language_id, item.version, item.text);
    document.kind = world.classify(&document);
    let key = document.uri.as_str().to_owned();
    let kind = document.kind;
    if kind == DocumentKind::Policy {
        world.pending.policies = true;
    }
    world.pending.cleared.remove(&key);
    world.pending.documents.insert(key.clone());
    world.documents.insert(key, document);
    if kind == DocumentKind::Project {
        retype(world);
    }
}

/// A document changed: the edits are applied in order and it is checked again (with the
/// whole policy set, for a policy file).
pub fn did_change(world: &mut World, params: DidChangeTextDocumentParams) {
    let key = params.text_document.uri.as_str().to_owned();
    let Some(document) = world.documents.get_mut(&key) else { return };
    let kind_before = document.kind;
    let mut text = document.text().to_owned();
    for change in params.content_changes {
        apply_change(&mut text, change);
    }
    document.version = params.text_document.version;
    document.set_text(text);
    let kind = world.documents.get(&key).map_or(DocumentKind::Other, |document| world.classify(document));
    if let Some(document) = world.documents.get_mut(&key) {
        document.kind = kind;
    }
    if kind == DocumentKind::Policy || kind_before == DocumentKind::Policy {
        world.pending.policies = true;
    }
    world.pending.documents.insert(key);
    if kind == DocumentKind::Project {
        retype(world);
    }
}

/// Applies one change event to `text`: a whole new text, or a replacement of a range (given
/// in UTF-16 positions, clamped into the text).
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let file = SourceFile::new("", text.as_str(), Origin::Disk);
    let start = file.offset_of_utf16(range.start.line, range.start.character) as usize;
    let end = file.offset_of_utf16(range.end.line, range.end.character) as usize;
    let (start, end) = (start.min(end), start.max(end));
    if end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
        text.replace_range(start..end, &change.text);
    }
}

/// A document was closed: its diagnostics are cleared (a policy file's own are published
/// again from the file on disk).
pub fn did_close(world: &mut World, params: DidCloseTextDocumentParams) {
    let key = params.text_document.uri.as_str().to_owned();
    let Some(document) = world.documents.remove(&key) else { return };
    world.pending.documents.remove(&key);
    world.pending.cleared.insert(key);
    match document.kind {
        DocumentKind::Policy => world.pending.policies = true,
        // What was typed and not saved is dropped: the file on disk holds again.
        DocumentKind::Project => retype(world),
        DocumentKind::Constitution | DocumentKind::Other => {}
    }
}

/// A document was saved: a policy file or `trustcheck.toml` is read again from disk (an
/// open project file from its buffer, which now matches the disk).
pub fn did_save(world: &mut World, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri.as_str();
    if is_workspace_file(uri) {
        reload(world);
    }
}

/// Files changed on disk: policy files and `trustcheck.toml` are read again.
pub fn did_change_watched_files(world: &mut World, params: DidChangeWatchedFilesParams) {
    if params.changes.iter().any(|change| is_workspace_file(change.uri.as_str())) {
        reload(world);
    }
}

/// True for a URI whose change on disk changes the policy set.
fn is_workspace_file(uri: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    path.ends_with(".policy") || path.ends_with("/trustcheck.toml")
}

/// Reads the workspace again from disk (an open project file as typed), re-classifies the
/// open documents and rebuilds everything.
fn reload(world: &mut World) {
    let documents = &world.documents;
    world.workspace.reload(&|path| typed_text(documents, path));
    recheck_everything(world);
}

/// Reads the project file again as typed (its settings and `constitutions`; the policy files
/// it names are read when it is saved), re-classifies the open documents and rebuilds
/// everything.
fn retype(world: &mut World) {
    let documents = &world.documents;
    world.workspace.read_project(&|path| typed_text(documents, path));
    recheck_everything(world);
}

/// The text of the open document at `path`, if any.
fn typed_text(documents: &BTreeMap<String, Document>, path: &Path) -> Option<String> {
    documents
        .values()
        .find(|document| document.path.as_deref() == Some(path))
        .map(|document| document.text().to_owned())
}

/// Re-classifies the open documents and marks them and the policy set to be checked again.
fn recheck_everything(world: &mut World) {
    let kinds: Vec<(String, DocumentKind)> =
        world.documents.iter().map(|(key, document)| (key.clone(), world.classify(document))).collect();
    for (key, kind) in kinds {
        if let Some(document) = world.documents.get_mut(&key) {
            document.kind = kind;
        }
        world.pending.documents.insert(key);
    }
    world.pending.policies = true;
}
