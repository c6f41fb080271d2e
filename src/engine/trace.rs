//! Why a rule came out as it did on one document (`explain RULE --trace FILE`): the rule is
//! judged again with every clause's value and the constitution values each read. Only this
//! path records them, so checking pays nothing for it.

use jiff::civil::Date;
use serde::Serialize;

use crate::document::Document;
use crate::eval::{Evaluator, Stop};
use crate::policy::ir::{RuleDef, TExpr};
use crate::source::SourceMap;

/// A constitution value a clause read.
#[derive(Clone, Debug, Serialize)]
pub struct ValueRead {
    /// The field.
    pub field: String,
    /// Its value as shown, or "not stated".
    pub value: String,
    /// The line it is on (where it belongs, when not stated).
    pub line: u32,
}

/// One clause of the rule and what it came to.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseTrace {
    /// `for … where`, `when`, `unless` or `require`.
    pub clause: &'static str,
    /// The clause as written.
    pub source: String,
    /// `true`, `false`, `unknown`, or the arithmetic fault.
    pub value: String,
    /// The constitution values that decided it.
    pub read: Vec<ValueRead>,
}

/// The clauses of the rule, once per element for a per-element rule.
#[derive(Clone, Debug, Serialize)]
pub struct ElementTrace {
    /// The element's name, for a per-element rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// Its clauses in the order they are judged.
    pub clauses: Vec<ClauseTrace>,
}

/// Judges `rule` on `document` again, recording every clause.
pub fn trace(
    program: &crate::policy::ir::Program,
    rule: &RuleDef,
    document: &Document,
    sources: &SourceMap,
    as_of: Date,
) -> Vec<ElementTrace> {
    let mut evaluator = Evaluator::new(program, document, as_of);
    evaluator.enter_rule(rule.frame_size);
    let clauses = |evaluator: &mut Evaluator<'_, '_>| -> Vec<ClauseTrace> {
        let mut out = Vec::new();
        let groups: [(&'static str, &[TExpr]); 3] =
            [("when", &rule.whens), ("unless", &rule.unlesses), ("require", &rule.requires)];
        for (clause, exprs) in groups {
            for expr in exprs {
                out.push(clause_trace(evaluator, clause, expr, sources));
            }
        }
        out
    };
    let Some(for_each) = &rule.for_each else {
        return vec![ElementTrace { element: None, clauses: clauses(&mut evaluator) }];
    };
    let items = evaluator.items(&for_each.collection);
    let mut traces = Vec::new();
    for item in items {
        let element = item.element_name();
        evaluator.bind(for_each.slot, item);
        let mut element_clauses = Vec::new();
        if let Some(filter) = &for_each.filter {
            let filtered = clause_trace(&mut evaluator, "for … where", filter, sources);
            let keep = filtered.value != "false";
            element_clauses.push(filtered);
            if !keep {
                traces.push(ElementTrace { element, clauses: element_clauses });
                continue;
            }
        }
        element_clauses.extend(clauses(&mut evaluator));
        traces.push(ElementTrace { element, clauses: element_clauses });
    }
    traces
}

fn clause_trace(
    evaluator: &mut Evaluator<'_, '_>,
    clause: &'static str,
    expr: &TExpr,
    sources: &SourceMap,
) -> ClauseTrace {
    let source = sources.slice(expr.span).split_whitespace().collect::<Vec<_>>().join(" ");
    let (value, read) = match evaluator.eval(expr) {
        Ok(value) => {
            let shown = match value.truth() {
                Some(truth) => truth.to_string(),
                None => "unknown".to_owned(),
            };
            let read = value
                .origins
                .iter()
                .map(|origin| ValueRead {
                    field: origin.field.to_owned(),
                    value: origin.shown_value(),
                    line: sources.range(origin.span).map_or(0, |(start, _)| start.line),
                })
                .collect();
            (shown, read)
        }
        Err(Stop::Arithmetic { fault, .. }) => (format!("cannot be worked out: `{}`", fault.calculation), Vec::new()),
        Err(Stop::WorkLimit) => ("over the work limit".to_owned(), Vec::new()),
    };
    ClauseTrace { clause, source, value, read }
}
