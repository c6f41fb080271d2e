//! `textDocument/completion`: in a constitution, the keys of the table the cursor is in (less
//! those already written), table names in a header, enum values (inside the string of an
//! enum-typed key, or quoted where its value goes) and rule ids (in a waiver's `rule = "`);
//! in a policy file, the fields of the record that `x.` resolves to, a policy's `let`s after
//! `POLICY.`, and the language's words at the start of a line.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Range, TextEdit,
};

use crate::schema::{FieldType, RecordDecl, Schema};

use super::describe::{
    FieldAt, declaration, enum_of, field_at, field_markdown, navigated_record, record_at, rule_markdown, table_record,
};
use super::keywords::{place_at, words};
use super::policy_context::{chain_before, type_of_path};
use super::toml_context::{TomlContext, context_at};
use super::world::{Document, DocumentKind, World};

/// Answers a completion request (`None`: nothing to offer).
pub fn completion(world: &World, params: CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position;
    let document = world.documents.get(position.text_document.uri.as_str())?;
    let offset = document.offset(position.position);
    let mut items = match document.kind {
        DocumentKind::Constitution => constitution(world, document, offset)?,
        DocumentKind::Policy => policy(world, document, offset)?,
        DocumentKind::Project | DocumentKind::Other => return None,
    };
    // Keep the order of declaration (required fields first where the schema puts them).
    for (index, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{index:04}"));
    }
    Some(CompletionResponse::Array(items))
}

fn constitution(world: &World, document: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let schema = world.schema_set().schema();
    let cursor = document.range(offset, offset);
    match context_at(document.text(), offset) {
        TomlContext::Key { table, token, existing } => {
            let record = record_at(schema, &table)?;
            let range = token.as_ref().map_or(cursor, |token| document.range(token.start, token.end));
            let typed = token.as_ref().map(|token| token.text.as_str());
            let fields = record
                .fields
                .iter()
                .filter(|field| Some(&*field.name) == typed || !existing.iter().any(|name| **name == *field.name));
            Some(fields.map(|field| field_item(schema, record, field, range)).collect())
        }
        TomlContext::Header { path, token } => {
            let record = record_at(schema, &path)?;
            let range = token.as_ref().map_or(cursor, |token| document.range(token.start, token.end));
            let tables = record.fields.iter().filter(|field| table_record(schema, &field.ty).is_some());
            Some(tables.map(|field| field_item(schema, record, field, range)).collect())
        }
        TomlContext::Value { path, string } => {
            let at = field_at(schema, &path)?;
            match string {
                Some(string) => {
                    let range = document.range(string.start, string.end);
                    if at.is_rule_id() {
                        return Some(rule_items(world, range));
                    }
                    Some(enum_items(schema, at, range, false)?)
                }
                None if at.field.ty == FieldType::Bool => Some(
                    ["true", "false"]
                        .iter()
                        .map(|value| item(value, CompletionItemKind::VALUE, None, None, edit(cursor, value)))
                        .collect(),
                ),
                None => enum_items(schema, at, cursor, true),
            }
        }
        TomlContext::Nothing => None,
    }
}

fn policy(world: &World, document: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let schema = world.schema_set().schema();
    let text = document.text();
    let Some((segments, partial_start)) = chain_before(text, offset) else {
        return keyword_items(document, offset);
    };
    let tail = text.get(offset..).unwrap_or("");
    let end = offset + tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    let range = document.range(partial_start, end);
    let mut items = Vec::new();
    if let Some(record) = type_of_path(schema, text, &segments, offset).and_then(|ty| navigated_record(schema, &ty)) {
        items.extend(record.fields.iter().map(|field| field_item(schema, record, field, range)));
    }
    // After `POLICY.`: that policy's `let`s and constants.
    if let [policy] = segments.as_slice() {
        let prefix = format!("{policy}.");
        for def in world.schema_set().program().lets.iter().filter(|def| def.name.starts_with(&prefix)) {
            let name = def.name.get(prefix.len()..).unwrap_or_default();
            let keyword = if def.constant { "const" } else { "let" };
            let detail = Some(format!("{keyword} {}: {}", def.name, def.ty));
            items.push(item(
                name,
                CompletionItemKind::VARIABLE,
                detail,
                def.doc.as_deref().map(str::to_owned),
                edit(range, name),
            ));
        }
    }
    if items.is_empty() { None } else { Some(items) }
}

/// The words that may start the line at `offset` (see [`super::keywords`]).
fn keyword_items(document: &Document, offset: usize) -> Option<Vec<CompletionItem>> {
    let text = document.text();
    let place = place_at(text, offset)?;
    let start = text.get(..offset)?.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    let range = document.range(start, offset);
    let items: Vec<CompletionItem> = words(place)
        .iter()
        .map(|(word, about)| {
            item(word, CompletionItemKind::KEYWORD, Some((*about).to_owned()), None, edit(range, word))
        })
        .collect();
    if items.is_empty() { None } else { Some(items) }
}

fn field_item(schema: &Schema, record: &RecordDecl, field: &crate::schema::FieldDecl, range: Range) -> CompletionItem {
    let documentation = field_markdown(schema, FieldAt { record, field });
    item(
        &field.name,
        CompletionItemKind::FIELD,
        Some(declaration(field)),
        Some(documentation),
        edit(range, &field.name),
    )
}

fn enum_items(schema: &Schema, at: FieldAt<'_>, range: Range, quoted: bool) -> Option<Vec<CompletionItem>> {
    let decl = enum_of(schema, &at.field.ty)?;
    let items = decl.variants.iter().map(|variant| {
        let text = if quoted { format!("\"{}\"", variant.name) } else { variant.name.clone() };
        let documentation = super::describe::variant_markdown(decl, variant);
        let mut item = item(
            &variant.name,
            CompletionItemKind::ENUM_MEMBER,
            Some(decl.name.clone()),
            Some(documentation),
            edit(range, &text),
        );
        if quoted {
            item.filter_text = Some(text);
        }
        item
    });
    Some(items.collect())
}

fn rule_items(world: &World, range: Range) -> Vec<CompletionItem> {
    world
        .rule_set()
        .rules()
        .iter()
        .map(|rule| {
            item(
                &rule.id,
                CompletionItemKind::REFERENCE,
                Some(rule.title.clone()),
                Some(rule_markdown(rule)),
                edit(range, &rule.id),
            )
        })
        .collect()
}

fn edit(range: Range, text: &str) -> CompletionTextEdit {
    CompletionTextEdit::Edit(TextEdit { range, new_text: text.to_owned() })
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    documentation: Option<String>,
    text_edit: CompletionTextEdit,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        documentation: documentation
            .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
        text_edit: Some(text_edit),
        ..CompletionItem::default()
    }
}
