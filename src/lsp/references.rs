//! `textDocument/references`, `textDocument/prepareRename` and `textDocument/rename` in policy
//! files: every place the type checker resolved to the same thing. Renaming is offered for
//! the names that live only in policy files (`let`s, tables and variables), and only when no
//! place is in the embedded standard library; fields and enum values are also the words of
//! constitutions, so renaming them here would break every constitution that uses them.

use std::collections::HashMap;

use lsp_types::{
    Location, PrepareRenameResponse, ReferenceParams, RenameParams, TextDocumentPositionParams, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::syntax::lexer::{is_word_char, is_word_start};

use super::symbol_at::{all_editable, symbol_at};
use super::world::{DocumentKind, World, range_in};

/// Answers a references request: the declaration (when asked for) and every use.
pub fn references(world: &World, params: ReferenceParams) -> Option<Vec<Location>> {
    let position = params.text_document_position;
    let document = world.documents.get(position.text_document.uri.as_str())?;
    if document.kind != DocumentKind::Policy {
        return None;
    }
    let resolved = symbol_at(world, document, document.offset(position.position))?;
    let symbols = resolved.set.symbols();
    let definition = symbols.definition(&resolved.symbol);
    let spans = symbols
        .references(&resolved.symbol)
        .into_iter()
        .filter(|span| params.context.include_declaration || Some(*span) != definition);
    Some(spans.filter_map(|span| world.location(resolved.set.sources(), span)).collect())
}

/// Answers a prepare-rename request: the name's range when it can be renamed, else nothing.
pub fn prepare_rename(world: &World, params: TextDocumentPositionParams) -> Option<PrepareRenameResponse> {
    let document = world.documents.get(params.text_document.uri.as_str())?;
    if document.kind != DocumentKind::Policy {
        return None;
    }
    let resolved = symbol_at(world, document, document.offset(params.position))?;
    let spans = resolved.set.symbols().references(&resolved.symbol);
    if !resolved.symbol.is_renamable() || !all_editable(resolved.set, &spans) {
        return None;
    }
    let file = resolved.set.sources().get(resolved.span.file)?;
    Some(PrepareRenameResponse::Range(range_in(file, resolved.span)))
}

/// Why a rename was refused.
pub type Refusal = String;

/// Answers a rename request: an edit of every place, or why it cannot be done.
pub fn rename(world: &World, params: RenameParams) -> Result<Option<WorkspaceEdit>, Refusal> {
    let position = params.text_document_position;
    let Some(document) = world.documents.get(position.text_document.uri.as_str()) else { return Ok(None) };
    if document.kind != DocumentKind::Policy {
        return Ok(None);
    }
    let Some(resolved) = symbol_at(world, document, document.offset(position.position)) else { return Ok(None) };
    let new_name = params.new_name.trim();
    let valid = new_name.chars().next().is_some_and(is_word_start) && new_name.chars().all(is_word_char);
    if !valid {
        return Err(format!("`{new_name}` is not a name: use letters, digits and `_`, starting with a letter"));
    }
    let taken = resolved.set.program().lets.iter().any(|def| def.name == new_name)
        || resolved.set.program().tables.iter().any(|table| table.name == new_name)
        || resolved.set.schema().root_record().is_some_and(|root| root.field(new_name).is_some());
    let is_keyword = crate::syntax::parse(&format!("let {new_name} = 1"), crate::source::FileId(0)).is_err();
    if (taken && new_name != resolved.symbol.name()) || is_keyword {
        return Err(format!("`{new_name}` is already a name of the policy set or the language: choose another"));
    }
    if !resolved.symbol.is_renamable() {
        return Err(format!(
            "`{}` is also a word of constitutions, so it is not renamed here: change the schema and the constitutions together",
            resolved.symbol.name()
        ));
    }
    let spans = resolved.set.symbols().references(&resolved.symbol);
    if !all_editable(resolved.set, &spans) {
        return Err(format!("`{}` is used by the standard library, which cannot be edited", resolved.symbol.name()));
    }
    #[allow(clippy::mutable_key_type, reason = "the protocol's type: a URI is never changed once it is a key")]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for span in spans {
        let Some(location) = world.location(resolved.set.sources(), span) else { continue };
        changes
            .entry(location.uri)
            .or_default()
            .push(TextEdit { range: location.range, new_text: new_name.to_owned() });
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }))
}
