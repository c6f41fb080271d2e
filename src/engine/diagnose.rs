//! Rule outcomes → diagnostics: the primary label on the value that decided the outcome,
//! secondary labels on the others, in document order.

use super::judge::{RuleFault, RuleOutcome};
use crate::diagnostic::wording::either;
use crate::diagnostic::{BuiltinCode, Diagnostic, Label, Outcome, RuleSource, Severity};
use crate::document::{Document, Provenance};
use crate::eval::FaultKind;
use crate::eval::Origin;
use crate::source::Span;

/// The finding for an outcome; `None` for passes and not-applicable outcomes, which have none.
pub fn diagnostic(outcome: &RuleOutcome<'_, '_>, document: &Document) -> Option<Diagnostic> {
    let rule = outcome.rule;
    // The first value in evaluation order decides where the finding points (the subject of a
    // comparison comes first); the others are labelled in document order.
    let first_evaluated = outcome.origins.iter().find(|origin| !is_nowhere(&origin.span));
    let mut origins: Vec<&Origin<'_>> = outcome.origins.iter().collect();
    origins.sort_by_key(|origin| (origin.span.start, origin.span.end));
    origins.dedup_by_key(|origin| origin.span);
    let element_span = outcome.element.as_ref().map(|(_, span)| *span);
    let fallback = element_span.unwrap_or_else(|| Span::file_start(document.file));
    let element_note = outcome.element.as_ref().and_then(|(name, _)| name.clone());
    let mut diagnostic = match outcome.decided() {
        Outcome::Pass | Outcome::NotApplicable => return None,
        // `decided` is never `Waived`: a waived outcome was decided as a failure or undetermined.
        Outcome::Fail | Outcome::Waived => {
            let message = outcome.message.clone().unwrap_or_else(|| rule.title.to_string());
            let primary_span = outcome
                .at
                .as_ref()
                .map(|at| at.span)
                .or_else(|| first_evaluated.map(|origin| origin.span))
                .or_else(|| origins.first().map(|origin| origin.span))
                .unwrap_or(fallback);
            let mut diagnostic = Diagnostic::for_rule(&*rule.id, rule.severity, message, primary_span);
            // The label at the primary span describes the value there, or else the first
            // decisive value (when `at` points somewhere else).
            let primary_origin: Option<&Origin<'_>> = origins
                .iter()
                .copied()
                .find(|origin| origin.span == primary_span)
                .or(outcome.at.as_ref().filter(|at| at.span == primary_span))
                .or(origins.first().copied());
            diagnostic = diagnostic.with_label_message(
                primary_origin.map_or_else(|| rule.title.to_lowercase(), |origin| origin.describe()),
            );
            for origin in origins.iter().filter(|origin| origin.span != primary_span && !is_nowhere(&origin.span)) {
                diagnostic.labels.push(Label { span: origin.span, message: Some(origin.describe()) });
            }
            diagnostic.help = outcome.help.clone();
            if outcome.outcome == Outcome::Fail {
                diagnostic.fixes = super::fixes::fixes(rule, &origins);
            }
            diagnostic
        }
        Outcome::Undetermined => {
            let missing: Vec<&&Origin<'_>> =
                origins.iter().filter(|origin| origin.provenance == Provenance::Absent).collect();
            let mut facts: Vec<String> = Vec::new();
            for origin in &missing {
                let fact = format!("`{}`", origin.field);
                if !facts.contains(&fact) {
                    facts.push(fact);
                }
            }
            let message = if facts.is_empty() {
                format!("cannot decide {}: the facts it needs cannot be worked out from the constitution", rule.id)
            } else {
                format!("cannot decide {}: the constitution does not state {}", rule.id, either(&facts))
            };
            let primary_span = missing.first().map_or(fallback, |origin| origin.span);
            let severity = if rule.severity == Severity::Note { Severity::Note } else { Severity::Warning };
            let mut diagnostic = Diagnostic::for_rule(&*rule.id, severity, message, primary_span);
            if let Some(first) = missing.first() {
                diagnostic = diagnostic.with_label_message(format!("`{}` belongs here", first.field));
            }
            for origin in missing.iter().skip(1) {
                diagnostic
                    .labels
                    .push(Label { span: origin.span, message: Some(format!("`{}` belongs here", origin.field)) });
            }
            let help = match facts.as_slice() {
                [] => "state the facts the rule reads so that it can be decided".to_owned(),
                _ => format!("state {} so that \"{}\" can be decided", either(&facts), rule.title),
            };
            diagnostic.help = Some(help);
            diagnostic
        }
    };
    diagnostic.citation = outcome.citation.clone();
    diagnostic.outcome = Some(outcome.outcome);
    if let Some(waiver) = &outcome.waiver {
        // A waived failure, or waived missing facts: a note that still says what was decided
        // (or what is missing), pointing at the waiver too.
        diagnostic.severity = Severity::Note;
        diagnostic.message = format!("waived: {}", diagnostic.message);
        diagnostic.labels.push(Label { span: waiver.span, message: Some(format!("waived by {}", waiver.approved_by)) });
        diagnostic.waiver = Some(waiver.clone());
    }
    if let Some(name) = element_note.filter(|name| !diagnostic.message.contains(name)) {
        diagnostic.message = format!("{} ({name})", diagnostic.message);
    }
    diagnostic.rule = Some(RuleSource { span: rule.header_span, title: rule.title.to_string() });
    Some(diagnostic)
}

/// A value with no place of its own (one worked out rather than read) is never pointed at.
fn is_nowhere(span: &Span) -> bool {
    span.start == 0 && span.is_empty()
}

/// The engine error for a rule whose arithmetic failed: placed at the constitution values
/// involved, with the policy expression as the source. It is never an undetermined outcome,
/// so a rule cannot fail open.
pub fn fault_diagnostic(fault: &RuleFault<'_, '_>, document: &Document) -> Diagnostic {
    let rule = fault.rule;
    let mut origins: Vec<_> = fault.fault.origins.iter().filter(|origin| !origin.span.is_empty()).collect();
    origins.sort_by_key(|origin| (origin.span.start, origin.span.end));
    origins.dedup_by_key(|origin| origin.span);
    // The values computed with come first; a list they were drawn from after them.
    origins.sort_by_key(|origin| origin.value().is_none());
    let fallback = fault.element.as_ref().map_or_else(|| Span::file_start(document.file), |(_, span)| *span);
    let primary = origins.first().map_or(fallback, |origin| origin.span);
    let what = match fault.fault.kind {
        FaultKind::Overflow => "overflows: the result is too large to hold exactly",
        FaultKind::DivisionByZero => "divides by zero",
    };
    let mut message = format!("cannot judge {}: its calculation `{}` {what}", rule.id, fault.fault.calculation);
    if let Some((Some(name), _)) = &fault.element {
        message = format!("{message} ({name})");
    }
    let mut diagnostic = Diagnostic::new(BuiltinCode::PolicyArithmetic, message, Some(primary));
    diagnostic = match origins.first() {
        Some(origin) => diagnostic.with_label_message(origin.describe()),
        None => diagnostic.with_label_message("the rule is judged on this constitution"),
    };
    for origin in origins.iter().skip(1) {
        diagnostic.labels.push(Label { span: origin.span, message: Some(origin.describe()) });
    }
    diagnostic.help = Some(match fault.fault.kind {
        FaultKind::Overflow => "check the values for a typing error; if they are right, the rule's \
                                calculation needs rewriting to stay within range"
            .to_owned(),
        FaultKind::DivisionByZero => "check the values for a zero that should not be there; if a zero is \
                                      possible, the rule should test for it before dividing"
            .to_owned(),
    });
    diagnostic.rule = Some(RuleSource { span: fault.span, title: format!("the calculation in {}", rule.id) });
    diagnostic
}
