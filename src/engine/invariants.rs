//! Record invariants (`invariant "MESSAGE" require CONDITION` in a record declaration): every
//! record of the type in the constitution must meet the condition. A record that does not is an
//! error at the values the condition read; one the condition cannot decide (a fact left out)
//! passes, since the rules that need the fact report it.

use jiff::civil::Date;

use crate::diagnostic::{BuiltinCode, Diagnostic, Label};
use crate::document::{Document, Node, NodeKind, Provenance, Record};
use crate::eval::{Evaluator, V, Val};
use crate::policy::ir::{InvariantDef, Program};

/// The diagnostics of the records that break an invariant, in document order.
pub fn check(program: &Program, document: &Document, as_of: Date) -> Vec<Diagnostic> {
    if program.invariants.is_empty() {
        return Vec::new();
    }
    let mut records = Vec::new();
    collect(&document.root, &mut records);
    let mut out = Vec::new();
    let mut evaluator = Evaluator::new(program, document, as_of);
    for record in records {
        for invariant in program.invariants.iter().filter(|invariant| *invariant.record == *record.type_name) {
            if let Some(diagnostic) = judge(&mut evaluator, invariant, record) {
                out.push(diagnostic);
            }
        }
    }
    out
}

/// Every record of the document, the root first, depth first in document order.
fn collect<'d>(record: &'d Record, out: &mut Vec<&'d Record>) {
    out.push(record);
    let mut pending: Vec<&'d Node> = record.fields.values().filter_map(|field| field.value.as_ref()).collect();
    pending.reverse();
    while let Some(node) = pending.pop() {
        match &node.kind {
            NodeKind::Record(inner) => collect(inner, out),
            NodeKind::List(items) => pending.extend(items.iter().rev()),
            _ => {}
        }
    }
}

fn judge<'d>(evaluator: &mut Evaluator<'_, 'd>, invariant: &InvariantDef, record: &'d Record) -> Option<Diagnostic> {
    evaluator.enter_rule(invariant.frame_size);
    evaluator.bind(0, Val::plain(V::Record(record)));
    let value = evaluator.eval(&invariant.condition).ok()?;
    if value.truth() != Some(false) {
        return None;
    }
    // Blame the values written first (what an officer would change), then where missing
    // ones belong.
    let mut origins = value.origins;
    origins.sort_by_key(|origin| (origin.provenance != Provenance::Stated, origin.span.start, origin.span.end));
    origins.dedup_by_key(|origin| origin.span);
    let primary = origins.first().map_or(record.span, |origin| origin.span);
    let mut diagnostic = Diagnostic::new(BuiltinCode::SchemaInvariant, invariant.message.clone(), Some(primary));
    if let Some(first) = origins.first() {
        diagnostic = diagnostic.with_label_message(first.describe());
    }
    for origin in origins.iter().skip(1) {
        diagnostic.labels.push(Label { span: origin.span, message: Some(origin.describe()) });
    }
    Some(diagnostic.with_optional_help(invariant.doc.as_deref().map(str::to_owned)))
}
