//! Quick fixes: when a rule's requirement asks one stated value to be a given value
//! (`x == v`, `x in [v, w]`, a true-or-false `x`, `not x`), the edit that makes it so.
//!
//! The fix is read from the rule's compiled requirement, never from its help text, so it
//! works for a council's own rules as for the standard library's. It replaces the stated value
//! where it is written and touches nothing else, so comments and layout stay as they were. A
//! value that is left out gets no fix: where it belongs is for the officer to decide (the help
//! says). Only rules with one `require` clause are fixed: with several, one value may not be
//! the whole story.

use crate::diagnostic::{Fix, TextEdit};
use crate::document::Provenance;
use crate::eval::Origin;
use crate::policy::ir::{RuleDef, TExpr, TKind};
use crate::syntax::ast::BinaryOp;
use crate::value::Scalar;

/// The fixes for a failed rule, from the values it read (`origins`).
pub fn fixes(rule: &RuleDef, origins: &[&Origin<'_>]) -> Vec<Fix> {
    let [require] = rule.requires.as_slice() else { return Vec::new() };
    let Some((field, values)) = wanted(require) else { return Vec::new() };
    let Some(origin) = origins.iter().find(|origin| origin.field == field && origin.provenance == Provenance::Stated)
    else {
        return Vec::new();
    };
    values
        .into_iter()
        .filter(|value| origin.value().as_ref() != Some(value))
        .map(|value| {
            let text = toml_literal(&value);
            Fix { title: format!("set `{field} = {text}`"), edits: vec![TextEdit { span: origin.span, text }] }
        })
        .collect()
}

/// The field a requirement reads and the values that would meet it.
fn wanted(require: &TExpr) -> Option<(&str, Vec<Scalar>)> {
    match &require.kind {
        TKind::Compare { op: BinaryOp::Eq, lhs, rhs } => match (&lhs.kind, &rhs.kind) {
            (_, TKind::Literal(value)) => Some((field_name(lhs)?, vec![value.clone()])),
            (TKind::Literal(value), _) => Some((field_name(rhs)?, vec![value.clone()])),
            _ => None,
        },
        TKind::Member { needle, list, negated: false } => {
            let TKind::List(items) = &list.kind else { return None };
            let values = items
                .iter()
                .map(|item| match &item.kind {
                    TKind::Literal(value) => Some(value.clone()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some((field_name(needle)?, values))
        }
        TKind::Not(inner) => Some((field_name(inner)?, vec![Scalar::Bool(false)])),
        TKind::Field { .. } if require.ty == crate::policy::ir::Ty::Bool => {
            Some((field_name(require)?, vec![Scalar::Bool(true)]))
        }
        _ => None,
    }
}

/// The name of the field an expression reads directly.
fn field_name(expr: &TExpr) -> Option<&str> {
    match &expr.kind {
        TKind::Field { field, .. } => Some(field),
        _ => None,
    }
}

/// A value as a constitution writes it.
pub fn toml_literal(value: &Scalar) -> String {
    match value {
        Scalar::Bool(value) => value.to_string(),
        Scalar::Int(value) => value.to_string(),
        Scalar::Date(date) => date.to_string(),
        Scalar::Decimal(value) => value.to_string(),
        Scalar::Text(text) => quoted(text),
        Scalar::Enum(name) => quoted(name),
        other => quoted(&other.to_string()),
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ch if ch.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(ch))),
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}
