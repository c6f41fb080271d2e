//! The engine: runs every rule of a policy set on a loaded constitution and turns the
//! outcomes (with blame) into diagnostics, applying waivers.

mod diagnose;
pub mod fixes;
mod invariants;
mod judge;
pub mod trace;
mod waivers;

use crate::diagnostic::{Diagnostic, Outcome, Severity};
use crate::document::Document;
use crate::eval::WorkLimit;
use crate::limits::{PARSER_STACK_BYTES, PARSER_STACK_RED_ZONE};
use crate::policy::PolicySet;
use crate::run::CheckOptions;
use crate::settings::RuleSetting;

pub use judge::{Judged, RuleFault, RuleOutcome, judge_rules};

/// Every rule's outcome on one document, with the finding each reports and the engine's
/// own diagnostics (waiver problems, arithmetic faults). Owned by the caller; nothing here
/// depends on how it will be shown.
#[derive(Debug)]
pub struct Judgement<'p, 'd> {
    /// One outcome per rule (per element of a per-element rule), in rule-id order, after
    /// waivers.
    pub outcomes: Vec<RuleOutcome<'p, 'd>>,
    /// The finding of each outcome, at the same index: `None` for passes and not-applicable
    /// outcomes.
    pub findings: Vec<Option<Diagnostic>>,
    /// Diagnostics that belong to no outcome: waivers refused or unknown, arithmetic faults.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings of rules a council setting turns `off`, named with the setting: no output
    /// lists them but SARIF, as suppressed results.
    pub suppressed: Vec<Diagnostic>,
}

/// Judges every rule of the policy set on a document.
pub fn judge<'p, 'd>(
    policies: &'p PolicySet,
    document: &'d Document,
    options: &CheckOptions,
) -> Result<Judgement<'p, 'd>, WorkLimit> {
    let program = policies.program();
    // Evaluation recurses as deep as the policies nest (bounded by the parser's limit).
    let judged = stacker::maybe_grow(PARSER_STACK_RED_ZONE, PARSER_STACK_BYTES, || {
        judge_rules(program, document, options.as_of)
    })?;
    let mut outcomes = judged.outcomes;
    let mut diagnostics = waivers::apply(program, document, &mut outcomes, options.as_of);
    let mut suppressed = Vec::new();
    let findings = outcomes
        .iter()
        .map(|outcome| {
            let finding = diagnose::diagnostic(outcome, document)?;
            match options.settings.get(&*outcome.rule.id).filter(|setting| setting.in_force(options.as_of)) {
                Some(setting) if setting.severity.severity().is_none() => {
                    let mut finding = finding;
                    finding.setting = Some(setting.applied());
                    suppressed.push(finding);
                    None
                }
                Some(setting) => apply_setting(finding, outcome.outcome, setting),
                None => Some(finding),
            }
        })
        .collect();
    diagnostics.extend(judged.faults.iter().map(|fault| diagnose::fault_diagnostic(fault, document)));
    diagnostics.extend(invariants::check(program, document, options.as_of));
    Ok(Judgement { outcomes, findings, diagnostics, suppressed })
}

/// A finding as a council setting changes it: a failure takes the setting's severity, an
/// undetermined outcome stays a warning (a note under a `note` setting), a waived one a note;
/// `off` hides the finding. The setting is named on the finding.
fn apply_setting(mut finding: Diagnostic, outcome: Outcome, setting: &RuleSetting) -> Option<Diagnostic> {
    let severity = setting.severity.severity()?;
    finding.severity = match outcome {
        Outcome::Fail => severity,
        Outcome::Undetermined if severity == Severity::Note => Severity::Note,
        _ => finding.severity,
    };
    finding.setting = Some(setting.applied());
    Some(finding)
}
