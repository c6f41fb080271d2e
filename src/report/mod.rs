//! The report of a run: one model, built once, rendered by one renderer per format.
//!
//! A [`Report`] holds, for every file of the run (constitutions, or policy files when the
//! policy set itself is wrong), its status, a summary of rule outcomes and its diagnostics,
//! each pointing into a file of the run's [`SourceMap`]. Renderers read it and nothing else.

use std::sync::Arc;

mod adapter;
pub(crate) mod common;
pub mod framed;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use jiff::civil::Date;

pub use crate::diagnostic::{
    Citation, Diagnostic, Label, Outcome, RuleSource, RuleStatus, Severity, WaiverInfo, sort_diagnostics,
};
use crate::source::{SourceMap, Span};

/// Whether a file could be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// The file was checked; its diagnostics are findings.
    Checked,
    /// The file could not be checked; its diagnostics say why.
    Error,
}

/// Counts for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// Diagnostics at note severity.
    pub notes: usize,
    /// Rule outcomes: passed.
    pub passed: usize,
    /// Rule outcomes: failed.
    pub failed: usize,
    /// Rule outcomes: not applicable.
    pub not_applicable: usize,
    /// Rule outcomes: undetermined.
    pub undetermined: usize,
    /// Rule outcomes: waived.
    pub waived: usize,
}

/// What one file of the run holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A constitution (`.toml`).
    Constitution,
    /// A policy file (`.policy`).
    Policy,
    /// A project file (`trustcheck.toml`): its settings and where its policies are.
    Project,
}

/// The result for one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given (with `/` separators), or `std/NAME.policy`.
    pub path: String,
    /// Constitution or policy file.
    pub kind: FileKind,
    /// Checked or error.
    pub status: FileStatus,
    /// Counts of diagnostics and outcomes.
    pub summary: Summary,
    /// Its diagnostics (findings and engine problems), sorted by offset then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule's outcome on it, one per element of a per-element rule, in rule-id order
    /// (empty for a file that could not be checked, and for policy files).
    pub outcomes: Vec<RuleResult>,
    /// Findings of rules a council setting turns `off`: listed by no output but SARIF, which
    /// records them as suppressed with the setting's reason.
    pub suppressed: Vec<Diagnostic>,
}

/// One rule's outcome on one constitution (or on one element of a per-element rule), after
/// waivers: what `compare`, `test` and the JSON `outcomes` read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleResult {
    /// The rule id.
    pub rule: std::sync::Arc<str>,
    /// For a per-element rule, the element's name (when it has one).
    pub element: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// Law, guidance or local policy.
    pub status: RuleStatus,
    /// The severity of its finding (`fail`, `undetermined`, `waived`); none for `pass` and
    /// `not_applicable`.
    pub severity: Option<Severity>,
    /// The council setting that applied to it, described in one line.
    pub setting: Option<String>,
    /// The waiver that turned it into `waived`.
    pub waiver: Option<crate::diagnostic::WaiverInfo>,
    /// The index of its finding in the file's `diagnostics`.
    pub diagnostic: Option<usize>,
}

/// What a renderer needs to know of one rule of the policy set (SARIF lists them all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id (`procurement.reserved_term`).
    pub id: String,
    /// Its severity when it fails.
    pub severity: Severity,
    /// Law, guidance or local policy.
    pub status: RuleStatus,
    /// Its title.
    pub title: String,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Every citation it may give, in order (conditional ones included).
    pub citations: Vec<Citation>,
    /// Where it is defined.
    pub span: Span,
}

impl FileReport {
    /// This file's part of the exit code (the run's is the highest of its files'): 2 if it
    /// could not be checked (or a rule on it could not be judged), else 1 if it has an error
    /// finding (or, with `deny_warnings`, a warning) that is not waived, else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        if self.status == FileStatus::Error || self.diagnostics.iter().any(Diagnostic::left_a_rule_unjudged) {
            return 2;
        }
        let fatal = |diagnostic: &Diagnostic| {
            diagnostic.is_finding()
                && diagnostic.outcome != Some(Outcome::Waived)
                && match diagnostic.severity {
                    Severity::Error => true,
                    Severity::Warning => deny_warnings,
                    Severity::Note => false,
                }
        };
        u8::from(self.diagnostics.iter().any(fatal))
    }

    /// A file's report from its diagnostics alone (no rule outcomes): an error if any
    /// diagnostic is one, as for a policy file that does not validate.
    pub fn from_diagnostics(path: String, kind: FileKind, mut diagnostics: Vec<Diagnostic>) -> FileReport {
        sort_diagnostics(&mut diagnostics);
        let mut summary = Summary::default();
        for diagnostic in &diagnostics {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        let status = if summary.errors > 0 { FileStatus::Error } else { FileStatus::Checked };
        FileReport { path, kind, status, summary, diagnostics, outcomes: Vec::new(), suppressed: Vec::new() }
    }

    /// The outcome of a rule on this file: for a per-element rule, of its first element.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use trustcheck::{CheckOptions, PolicySet, report::Outcome};
    /// let policies = PolicySet::standard();
    /// let options = CheckOptions::as_of("2026-04-01".parse()?);
    /// let report = policies.check_file("examples/slough_children_first.toml", &options)?;
    /// assert_eq!(report.files[0].outcome("control.step_in"), Some(Outcome::Pass));
    /// # Ok(())
    /// # }
    /// ```
    pub fn outcome(&self, rule: &str) -> Option<Outcome> {
        self.outcomes.iter().find(|result| *result.rule == *rule).map(|result| result.outcome)
    }

    /// The outcome of a per-element rule on the element named `element`.
    pub fn outcome_of(&self, rule: &str, element: &str) -> Option<Outcome> {
        self.outcomes
            .iter()
            .find(|result| *result.rule == *rule && result.element.as_deref() == Some(element))
            .map(|result| result.outcome)
    }

    /// A file that could not be checked (unreadable, malformed, over a limit): its
    /// diagnostics say why.
    pub fn unchecked(path: String, kind: FileKind, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport { status: FileStatus::Error, ..FileReport::from_diagnostics(path, kind, diagnostics) }
    }
}

/// The whole result of a run.
#[derive(Clone, Debug)]
pub struct Report {
    /// The date rules were judged at.
    pub as_of: Date,
    /// Every rule of the policy set, sorted by id (empty when the set did not validate).
    pub rules: Vec<RuleInfo>,
    /// One entry per file, in the order of the arguments.
    pub files: Vec<FileReport>,
    /// The text of every file the diagnostics point into.
    pub sources: Arc<SourceMap>,
}

impl Report {
    /// Joins the reports of parts of one run (constitutions checked under different project
    /// files), keeping their files in order. Every span is moved into the joined source map;
    /// the rules are those of every part, by id.
    pub fn merge(as_of: Date, parts: Vec<Report>) -> Report {
        if parts.len() == 1 {
            if let Some(only) = parts.into_iter().next() {
                return only;
            }
            return Report { as_of, rules: Vec::new(), files: Vec::new(), sources: Arc::default() };
        }
        let mut sources = SourceMap::new();
        let mut files = Vec::new();
        let mut rule_lists: Vec<Vec<RuleInfo>> = Vec::new();
        for part in parts {
            let base = u32::try_from(sources.len()).unwrap_or(u32::MAX);
            for (id, _) in part.sources.iter() {
                if let Some(file) = part.sources.get_shared(id) {
                    sources.add_shared(file);
                }
            }
            let moved = |span: Span| Span { file: crate::source::FileId(span.file.0.saturating_add(base)), ..span };
            for mut file in part.files {
                for diagnostic in &mut file.diagnostics {
                    diagnostic.move_spans(&moved);
                }
                files.push(file);
            }
            rule_lists.push(part.rules.into_iter().map(|rule| RuleInfo { span: moved(rule.span), ..rule }).collect());
        }
        Report { as_of, rules: merge_rules(rule_lists), files, sources: Arc::new(sources) }
    }

    /// Renders the report as plain, colourless, byte-stable human text (what snapshots record).
    pub fn render_plain(&self) -> String {
        human::render(self, &human::HumanOptions::plain())
    }

    /// The process exit code: 2 if any file could not be checked, else 1 if any error
    /// finding (or, with `deny_warnings`, any warning), else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        self.files.iter().map(|file| file.exit_code(deny_warnings)).max().unwrap_or(0)
    }
}

/// The rules of reports merged into one ([`Report::merge`]): one report's as they are; over
/// several, each rule once (the first met), sorted by id.
pub fn merge_rules(lists: Vec<Vec<RuleInfo>>) -> Vec<RuleInfo> {
    if lists.len() == 1 {
        return lists.into_iter().flatten().collect();
    }
    let mut rules: Vec<RuleInfo> = Vec::new();
    for rule in lists.into_iter().flatten() {
        if !rules.iter().any(|known| known.id == rule.id) {
            rules.push(rule);
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules
}
