//! The engine: runs every rule of a policy set on a loaded constitution and turns the
//! outcomes (with blame) into diagnostics, applying waivers.

mod diagnose;
mod judge;
mod waivers;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::eval::WorkLimit;
use crate::limits::{PARSER_STACK_BYTES, PARSER_STACK_RED_ZONE};
use crate::policy::PolicySet;
use crate::run::CheckOptions;

pub use judge::{Judged, RuleFault, RuleOutcome, judge_rules};

/// Judges every rule on a document: the outcomes and the diagnostics to report.
pub fn check_document<'p, 'd>(
    policies: &'p PolicySet,
    document: &'d Document,
    options: &CheckOptions,
) -> Result<(Vec<RuleOutcome<'p, 'd>>, Vec<Diagnostic>), WorkLimit> {
    let program = policies.program();
    // Evaluation recurses as deep as the policies nest (bounded by the parser's limit).
    let judged = stacker::maybe_grow(PARSER_STACK_RED_ZONE, PARSER_STACK_BYTES, || {
        judge_rules(program, document, options.as_of)
    })?;
    let mut outcomes = judged.outcomes;
    let mut diagnostics = waivers::apply(program, document, &mut outcomes, options.as_of);
    for outcome in &outcomes {
        if let Some(diagnostic) = diagnose::diagnostic(outcome, document, options.verbose) {
            diagnostics.push(diagnostic);
        }
    }
    diagnostics.extend(judged.faults.iter().map(|fault| diagnose::fault_diagnostic(fault, document)));
    Ok((outcomes, diagnostics))
}
