//! `textDocument/definition`: from a rule id (a waiver's `rule`, or `rule NAME` in a policy
//! file) to the rule's source; from a constitution key to the field's declaration; from an
//! enum value in a constitution to the value's declaration; in a policy file, from any name
//! the type checker resolved (a `let`, table, variable, field, enum or enum value) to its
//! declaration. Rules and
//! declarations of the embedded library point into the cache folder it is written to.

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::source::Span;

use super::describe::{enum_of, field_at};
use super::policy_context::{PolicyTarget, field_of_path, target_at};
use super::symbol_at::symbol_at;
use super::toml_context::{TomlContext, context_at};
use super::world::{Document, DocumentKind, World};

/// Answers a definition request (`None`: no definition known).
pub fn definition(world: &World, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params;
    let document = world.documents.get(position.text_document.uri.as_str())?;
    let offset = document.offset(position.position);
    let location = match document.kind {
        DocumentKind::Constitution => constitution(world, document, offset)?,
        DocumentKind::Policy => policy(world, document, offset)?,
        DocumentKind::Project | DocumentKind::Other => return None,
    };
    Some(GotoDefinitionResponse::Scalar(location))
}

/// The location of a span of the schema's policy set.
fn schema_location(world: &World, span: Span) -> Option<lsp_types::Location> {
    world.location(world.schema_set().sources(), span)
}

/// The location of a rule's header.
fn rule_location(world: &World, id: &str) -> Option<lsp_types::Location> {
    let (set, rule) = world.rule(id)?;
    world.location(set.sources(), rule.span)
}

fn constitution(world: &World, document: &Document, offset: usize) -> Option<lsp_types::Location> {
    let schema = world.schema_set().schema();
    match context_at(document.text(), offset) {
        TomlContext::Key { mut table, token: Some(token), .. }
        | TomlContext::Header { path: mut table, token: Some(token) } => {
            table.push(token.text);
            schema_location(world, field_at(schema, &table)?.field.span)
        }
        TomlContext::Value { path, string: Some(string) } => {
            let at = field_at(schema, &path)?;
            if at.is_rule_id() {
                return rule_location(world, &string.text);
            }
            let variant = enum_of(schema, &at.field.ty)?.variant(&string.text)?;
            schema_location(world, variant.span)
        }
        _ => None,
    }
}

fn policy(world: &World, document: &Document, offset: usize) -> Option<lsp_types::Location> {
    if let Some(resolved) = symbol_at(world, document, offset) {
        let definition = resolved.set.symbols().definition(&resolved.symbol)?;
        return world.location(resolved.set.sources(), definition);
    }
    // Text the checker did not resolve (a rule's name, or a file with errors): read it.
    match target_at(document.text(), offset)? {
        PolicyTarget::Rule { id, .. } => rule_location(world, &id),
        PolicyTarget::Path { segments, .. } => {
            if let [name] = segments.as_slice() {
                let set = world.schema_set();
                if let Some(def) = set.program().lets.iter().find(|def| &def.name == name) {
                    return world.location(set.sources(), def.span);
                }
            }
            let schema = world.schema_set().schema();
            schema_location(world, field_of_path(schema, document.text(), &segments, offset)?.field.span)
        }
    }
}
