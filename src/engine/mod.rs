//! The engine: runs every rule of a policy set on a loaded constitution and turns the
//! outcomes (with blame) into diagnostics, applying waivers.

mod diagnose;
mod judge;
mod waivers;

use std::sync::Arc;

use crate::document::Document;
use crate::eval::WorkLimit;
use crate::limits::{PARSER_STACK_BYTES, PARSER_STACK_RED_ZONE};
use crate::loader;
use crate::policy::PolicySet;
use crate::report::{
    Diagnostic, FileKind, FileReport, FileStatus, Outcome, Report, Severity, Summary, sort_diagnostics,
};
use crate::run::{CheckOptions, Decoded, Input, decode};
use crate::source::{Origin as SourceOrigin, SourceMap, Span};

pub use judge::{Judged, RuleFault, RuleOutcome, judge_rules};

/// Checks every input against a valid policy set.
pub fn check_all(policies: &PolicySet, inputs: Vec<Input>, options: &CheckOptions) -> Report {
    let mut sources = policies.sources().clone();
    let mut files = Vec::with_capacity(inputs.len());
    for input in inputs {
        files.push(check_one(policies, &mut sources, input, options));
    }
    Report { as_of: options.as_of, rules: policies.rules(), files, sources: Arc::new(sources) }
}

/// Checks one input, adding its text to `sources`.
pub fn check_one(policies: &PolicySet, sources: &mut SourceMap, input: Input, options: &CheckOptions) -> FileReport {
    let (name, text) = match decode(input) {
        Decoded::Text(name, text) => (name, text),
        Decoded::Unreadable(name, diagnostic) => {
            return FileReport::unchecked(name, FileKind::Constitution, vec![*diagnostic]);
        }
    };
    let file = sources.add(name.clone(), text, SourceOrigin::Disk);
    let loaded = loader::load(sources, file, policies.schema());
    let Some(document) = loaded.document else {
        return FileReport::unchecked(name, FileKind::Constitution, loaded.diagnostics);
    };
    match check_document(policies, &document, options) {
        Ok((outcomes, mut diagnostics)) => {
            diagnostics.extend(loaded.diagnostics);
            summarise(name, outcomes, diagnostics)
        }
        Err(WorkLimit) => {
            let diagnostic = Diagnostic::error(
                "limit.work",
                "checking this constitution took more work than the limit allows",
                Some(Span::file_start(file)),
            )
            .with_help("this points to a policy whose rules loop over very large lists; simplify the policy");
            FileReport::unchecked(name, FileKind::Constitution, vec![diagnostic])
        }
    }
}

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

fn summarise(path: String, outcomes: Vec<RuleOutcome>, mut diagnostics: Vec<Diagnostic>) -> FileReport {
    let mut summary = Summary::default();
    for outcome in &outcomes {
        match outcome.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail => summary.failed += 1,
            Outcome::NotApplicable => summary.not_applicable += 1,
            Outcome::Undetermined => summary.undetermined += 1,
            Outcome::Waived => summary.waived += 1,
        }
    }
    for diagnostic in diagnostics.iter().filter(|d| d.is_finding()) {
        match diagnostic.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Note => summary.notes += 1,
        }
    }
    sort_diagnostics(&mut diagnostics);
    // A document that loaded is checked: its errors are findings (`waiver.unknown_rule` included).
    FileReport { path, kind: FileKind::Constitution, status: FileStatus::Checked, summary, diagnostics }
}
