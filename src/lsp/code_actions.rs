//! `textDocument/codeAction` in constitutions: each quick fix of a diagnostic (a failed rule,
//! or a value written in the wrong notation) that touches the requested range, as an edit the
//! editor applies (the same fixes `check --fix` applies).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Range, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::run::Input;

use super::diagnostics::convert;
use super::world::{DocumentKind, World, range_in};

/// Answers a code action request.
pub fn code_actions(world: &World, params: CodeActionParams) -> Option<CodeActionResponse> {
    let document = world.documents.get(params.text_document.uri.as_str())?;
    if document.kind != DocumentKind::Constitution {
        return None;
    }
    let policies = world.checking_policies()?;
    let report = policies.check_inputs(vec![Input::from_text(document.name.clone(), document.text())], &world.options);
    let mut actions = Vec::new();
    for diagnostic in report.files.iter().filter(|file| file.path == document.name).flat_map(|file| &file.diagnostics) {
        let Some(span) = diagnostic.span() else { continue };
        let Some(source) = report.sources.get(span.file) else { continue };
        if !overlaps(range_in(source, span), params.range) {
            continue;
        }
        for (index, fix) in diagnostic.fixes.iter().enumerate() {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .filter_map(|edit| {
                    let file = report.sources.get(edit.span.file)?;
                    Some(TextEdit { range: range_in(file, edit.span), new_text: edit.text.clone() })
                })
                .collect();
            #[allow(clippy::mutable_key_type, reason = "the protocol's type: a URI is never changed once it is a key")]
            let changes: HashMap<Uri, Vec<TextEdit>> = HashMap::from([(document.uri.clone(), edits)]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{} ({})", fix.title, diagnostic.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert(world, &report.sources, diagnostic)]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(index == 0),
                ..CodeAction::default()
            }));
        }
    }
    Some(actions)
}

/// True when two ranges share a position (touching counts: a cursor at either end).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
