//! What a position in a policy file is: a rule's name (`rule NAME` inside `policy P`), a
//! field path (`c.award_route`), or the place after `x.` where a field name goes.
//!
//! A best-effort textual reading that works on half-typed text: a variable is resolved by
//! the nearest binding before the position (`for c in contracts`, `all m in members:`,
//! `count(s in board.seats …)`, a `let` parameter `c: Contract`), else as a field of the root
//! record; `ref` fields navigate to the record they name.

use std::ops::Range;

use crate::schema::{FieldType, Schema};
use crate::syntax::lexer::{TokenKind, interpolations, is_word_char, is_word_start, lex};

use super::describe::{FieldAt, navigated_record};

/// A token of policy text: an identifier, a string, or one other character.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tok<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    ident: bool,
}

/// The tokens of `text`: comments and the literal text of strings are left out, and the
/// `{…}` interpolations of strings are read as code. A string left open ends, for this
/// reading of half-typed text, at the end of its line.
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    tokens_into(text, 0..text.len(), &mut out);
    out
}

/// Adds the tokens of `text[range]` to `out`.
fn tokens_into<'t>(text: &'t str, range: Range<usize>, out: &mut Vec<Tok<'t>>) {
    let Some(part) = text.get(range.clone()) else { return };
    for token in lex(part) {
        let (start, end) = (token.range.start + range.start, token.range.end + range.start);
        match token.kind {
            kind if kind.is_trivia() => {}
            TokenKind::String => {
                for code in interpolations(text, &(start..end)) {
                    tokens_into(text, code, out);
                }
            }
            TokenKind::UnclosedString => {
                let line_end = text.get(start..end).and_then(|rest| rest.find('\n')).map_or(end, |at| start + at);
                for code in interpolations(text, &(start..line_end)) {
                    tokens_into(text, code, out);
                }
                if line_end < end {
                    tokens_into(text, line_end + 1..end, out);
                }
                return;
            }
            kind => {
                out.push(Tok { text: text.get(start..end).unwrap_or(""), start, end, ident: kind == TokenKind::Word })
            }
        }
    }
}

/// What the position is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyTarget {
    /// The name of a rule declaration: its full id and the name's byte range.
    Rule {
        /// `POLICY.RULE`.
        id: String,
        /// Byte range of the name.
        start: usize,
        /// End of the name.
        end: usize,
    },
    /// A field in a path: the path's segments up to the one under the position, which
    /// spans `start..end`.
    Path {
        /// The segments (`["c", "award_route"]`).
        segments: Vec<String>,
        /// Byte range of the last segment.
        start: usize,
        /// End of the last segment.
        end: usize,
    },
}

/// What is under byte `offset` of a policy file.
pub fn target_at(text: &str, offset: usize) -> Option<PolicyTarget> {
    let tokens = tokens(text);
    let index = tokens.iter().position(|tok| tok.ident && tok.start <= offset && offset <= tok.end)?;
    let tok = tokens.get(index)?;
    let previous = index.checked_sub(1).and_then(|i| tokens.get(i));
    if previous.is_some_and(|prev| prev.text == "rule") {
        let policy = tokens.get(..index)?.windows(2).rev().find_map(|pair| match pair {
            [keyword, name] if keyword.text == "policy" && name.ident => Some(name.text),
            _ => None,
        })?;
        return Some(PolicyTarget::Rule { id: format!("{policy}.{}", tok.text), start: tok.start, end: tok.end });
    }
    let mut segments = vec![tok.text.to_owned()];
    let mut at = index;
    while at >= 2 {
        let (Some(dot), Some(name)) = (tokens.get(at - 1), tokens.get(at - 2)) else { break };
        if dot.text != "." || !name.ident || dot.start != name.end {
            break;
        }
        segments.push(name.text.to_owned());
        at -= 2;
    }
    segments.reverse();
    Some(PolicyTarget::Path { segments, start: tok.start, end: tok.end })
}

/// The field a path names (`c.award_route`, or a bare root field such as `contracts`).
pub fn field_of_path<'s>(schema: &'s Schema, text: &str, segments: &[String], offset: usize) -> Option<FieldAt<'s>> {
    let (last, init) = segments.split_last()?;
    let tokens = tokens(text);
    let record = if init.is_empty() {
        if find_binding(&tokens, last, offset).is_some() {
            return None;
        }
        schema.root_record()?
    } else {
        navigated_record(schema, &type_of_chain(schema, &tokens, init, offset, 0)?)?
    };
    Some(FieldAt { record, field: record.field(last)? })
}

/// The path before a field name being typed: `(["c", "contract"], start of the partial
/// name)` for `c.contract.aw|`. `None` unless the text just before the position is
/// `NAME(.NAME)*.` followed by a partial name.
pub fn chain_before(text: &str, offset: usize) -> Option<(Vec<String>, usize)> {
    let before = text.get(..offset)?;
    let partial_start = before.trim_end_matches(is_word_char).len();
    let mut rest = before.get(..partial_start)?.strip_suffix('.')?;
    let mut segments = Vec::new();
    loop {
        let start = rest.trim_end_matches(is_word_char).len();
        let name = rest.get(start..)?;
        if !name.chars().next().is_some_and(is_word_start) {
            return None;
        }
        segments.push(name.to_owned());
        rest = rest.get(..start)?;
        match rest.strip_suffix('.') {
            Some(shorter) => rest = shorter,
            None => break,
        }
    }
    segments.reverse();
    Some((segments, partial_start))
}

/// The type a path before `offset` has.
pub fn type_of_path(schema: &Schema, text: &str, segments: &[String], offset: usize) -> Option<FieldType> {
    type_of_chain(schema, &tokens(text), segments, offset, 0)
}

/// The most bindings followed to resolve one path (`s in c.seats`, `c in contracts`, …).
const MAX_BINDING_DEPTH: usize = 8;

fn type_of_chain(
    schema: &Schema,
    tokens: &[Tok<'_>],
    chain: &[String],
    offset: usize,
    depth: usize,
) -> Option<FieldType> {
    let (first, rest) = chain.split_first()?;
    let mut ty = binding_type(schema, tokens, first, offset, depth)?;
    for segment in rest {
        let record = navigated_record(schema, &ty)?;
        ty = record.field(segment)?.ty.clone();
    }
    Some(ty)
}

/// How a variable is bound.
enum Binding {
    /// `x in PATH`, at the offset of `x`.
    In(Vec<String>, usize),
    /// `x: Type`.
    Typed(String),
}

fn binding_type(schema: &Schema, tokens: &[Tok<'_>], name: &str, offset: usize, depth: usize) -> Option<FieldType> {
    if depth > MAX_BINDING_DEPTH {
        return None;
    }
    match find_binding(tokens, name, offset) {
        Some(Binding::In(path, at)) => match type_of_chain(schema, tokens, &path, at, depth + 1)? {
            FieldType::List { element, .. } => Some(*element),
            other => Some(other),
        },
        Some(Binding::Typed(type_name)) => {
            if schema.record(&type_name).is_some() {
                Some(FieldType::Record(type_name))
            } else {
                schema.enum_decl(&type_name).map(|_| FieldType::Enum(type_name))
            }
        }
        None => Some(schema.root_record()?.field(name)?.ty.clone()),
    }
}

/// The nearest binding of `name` before `offset`, else the nearest after it (an aggregate
/// binds after its expression: `sum(m.voting_rights for m in members)`).
fn find_binding(tokens: &[Tok<'_>], name: &str, offset: usize) -> Option<Binding> {
    let mut after = None;
    let mut before = None;
    for index in 1..tokens.len() {
        let Some(binding) = binding_at(tokens, index, name) else { continue };
        let start = tokens.get(index).map_or(0, |tok| tok.start);
        if start < offset {
            before = Some(binding);
        } else if after.is_none() {
            after = Some(binding);
        }
    }
    before.or(after)
}

/// The binding of `name` by the token at `index`, if it binds it.
fn binding_at(tokens: &[Tok<'_>], index: usize, name: &str) -> Option<Binding> {
    let (prev, tok, next) = (tokens.get(index.checked_sub(1)?)?, tokens.get(index)?, tokens.get(index + 1)?);
    if tok.text != name {
        return None;
    }
    if next.text == "in" && matches!(prev.text, "for" | "all" | "any" | "(") {
        let mut path = Vec::new();
        let mut at = index + 2;
        while let Some(segment) = tokens.get(at).filter(|tok| tok.ident) {
            path.push(segment.text.to_owned());
            if tokens.get(at + 1).is_some_and(|dot| dot.text == ".") {
                at += 2;
            } else {
                break;
            }
        }
        return (!path.is_empty()).then_some(Binding::In(path, tok.start));
    }
    if next.text == ":" && matches!(prev.text, "(" | ",") {
        let type_name = tokens.get(index + 2).filter(|tok| tok.ident)?;
        return Some(Binding::Typed(type_name.text.to_owned()));
    }
    None
}
