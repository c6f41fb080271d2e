//! `textDocument/formatting` for policy files: the layout `trustcheck fmt` writes, as one edit
//! of the whole buffer (none when it is already formatted or does not parse: its syntax
//! errors are already shown as diagnostics).

use lsp_types::{DocumentFormattingParams, Position, Range, TextEdit};

use crate::formatter::format;
use crate::source::FileId;

use super::world::{DocumentKind, World};

/// Answers a formatting request.
pub fn formatting(world: &World, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let document = world.documents.get(params.text_document.uri.as_str())?;
    if document.kind != DocumentKind::Policy {
        return None;
    }
    let text = document.text();
    let formatted = format(text, FileId(0)).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let end = document.range(text.len(), text.len()).end;
    Some(vec![TextEdit { range: Range { start: Position::new(0, 0), end }, new_text: formatted }])
}
