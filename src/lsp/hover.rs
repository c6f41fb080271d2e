//! `textDocument/hover`: a constitution key's field (declaration, doc, record, values), an
//! enum value's doc, and a rule id's title, doc and citations (in a waiver's `rule`, or on
//! `rule NAME` in a policy file); on a finding in a constitution, why the rule came out as it
//! did (its trace, before the field's own documentation); in a policy file, any name the type
//! checker resolved: a `let`, a table, a variable, a field, an enum or an enum value.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::policy::PolicySet;
use crate::policy::symbols::Symbol;

use super::describe::{FieldAt, enum_of, field_at, field_markdown, rule_markdown, variant_markdown};
use super::finding_hover::finding_markdown;
use super::policy_context::{PolicyTarget, field_of_path, target_at};
use super::symbol_at::symbol_at;
use super::toml_context::{TomlContext, context_at};
use super::world::{Document, DocumentKind, World};

/// Answers a hover request (`None`: nothing to say there).
pub fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params;
    let document = world.documents.get(position.text_document.uri.as_str())?;
    let offset = document.offset(position.position);
    let (markdown, start, end) = match document.kind {
        DocumentKind::Constitution => constitution(world, document, offset)?,
        DocumentKind::Policy => policy(world, document, offset)?,
        DocumentKind::Project | DocumentKind::Other => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
        range: Some(document.range(start, end)),
    })
}

fn constitution(world: &World, document: &Document, offset: usize) -> Option<(String, usize, usize)> {
    let field = constitution_field(world, document, offset);
    match (finding_markdown(world, document, offset), field) {
        (Some((finding, start, end)), Some((field, ..))) => Some((format!("{finding}\n---\n\n{field}"), start, end)),
        (finding, field) => finding.or(field),
    }
}

fn constitution_field(world: &World, document: &Document, offset: usize) -> Option<(String, usize, usize)> {
    let schema = world.schema_set().schema();
    match context_at(document.text(), offset) {
        TomlContext::Key { mut table, token: Some(token), .. }
        | TomlContext::Header { path: mut table, token: Some(token) } => {
            table.push(token.text.clone());
            let at = field_at(schema, &table)?;
            Some((field_markdown(schema, at), token.start, token.end))
        }
        TomlContext::Value { path, string: Some(string) } => {
            let at = field_at(schema, &path)?;
            if at.is_rule_id() {
                let (_, rule) = world.rule(&string.text)?;
                return Some((rule_markdown(&rule), string.start, string.end));
            }
            let decl = enum_of(schema, &at.field.ty)?;
            let variant = decl.variant(&string.text)?;
            Some((variant_markdown(decl, variant), string.start, string.end))
        }
        _ => None,
    }
}

fn policy(world: &World, document: &Document, offset: usize) -> Option<(String, usize, usize)> {
    if let Some(resolved) = symbol_at(world, document, offset) {
        let markdown = symbol_markdown(resolved.set, &resolved.symbol)?;
        return Some((markdown, resolved.span.start as usize, resolved.span.end as usize));
    }
    // Text the checker did not resolve (a rule's name, or a file with errors): read it.
    match target_at(document.text(), offset)? {
        PolicyTarget::Rule { id, start, end } => {
            let (_, rule) = world.rule(&id)?;
            Some((rule_markdown(&rule), start, end))
        }
        PolicyTarget::Path { segments, start, end } => {
            if let [name] = segments.as_slice() {
                if let Some(def) = world.schema_set().program().lets.iter().find(|def| &def.name == name) {
                    return Some((let_markdown(def), start, end));
                }
            }
            let schema = world.schema_set().schema();
            let at = field_of_path(schema, document.text(), &segments, offset)?;
            Some((field_markdown(schema, at), start, end))
        }
    }
}

/// What hover shows for a name the checker resolved.
fn symbol_markdown(set: &PolicySet, symbol: &Symbol) -> Option<String> {
    let schema = set.schema();
    Some(match symbol {
        Symbol::Let(name) => let_markdown(set.program().lets.iter().find(|def| &def.name == name)?),
        Symbol::Table(name) => {
            let table = set.program().tables.iter().find(|table| &table.name == name)?;
            format!(
                "```policy\ntable {name}: {}\n```\n\nA dated table: `{name}(DATE)` is the value in force on that date.",
                table.ty.describe()
            )
        }
        Symbol::Local { name, .. } => {
            format!("```policy\n{name}\n```\n\nA variable, bound where go-to-definition leads.")
        }
        Symbol::Field { record, field } => {
            let record = schema.record(record)?;
            field_markdown(schema, FieldAt { record, field: record.field(field)? })
        }
        Symbol::Variant { enumeration, variant } => {
            let decl = schema.enum_decl(enumeration)?;
            variant_markdown(decl, decl.variant(variant)?)
        }
        Symbol::Enum(name) => {
            let decl = schema.enum_decl(name)?;
            let values: Vec<String> = decl.variants.iter().map(|variant| format!("`{}`", variant.name)).collect();
            let mut text = format!("```policy\nenum {name}\n```\n");
            if let Some(doc) = &decl.doc {
                text.push_str(&format!("\n{}\n", doc.trim()));
            }
            text.push_str(&format!("\nValues: {}\n", values.join(", ")));
            text
        }
    })
}

/// A `let` as hover shows it: its name, parameters count and type, and its documentation.
fn let_markdown(def: &crate::policy::ir::LetDef) -> String {
    let params = if def.params == 0 {
        String::new()
    } else {
        format!("({} parameter{})", def.params, if def.params == 1 { "" } else { "s" })
    };
    let keyword = if def.constant { "const" } else { "let" };
    let mut text = format!("```policy\n{keyword} {}{params}: {}\n```", def.name, def.ty);
    if let Some(doc) = &def.doc {
        text.push_str(&format!("\n\n{}", doc.trim()));
    }
    text
}
