//! The report of a run: one model, built once, rendered by one renderer per format.
//!
//! A [`Report`] holds, for every file of the run (constitutions, or policy files when the
//! policy set itself is wrong), its status, a summary of rule outcomes and its diagnostics,
//! each pointing into a file of the run's [`SourceMap`]. Renderers read it and nothing else.

use std::sync::Arc;

mod adapter;
pub(crate) mod common;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use jiff::civil::Date;
use serde::Serialize;

use crate::source::{SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the law or a binding local policy; exit code 1.
    Error,
    /// Should be looked at; fatal only under `--deny-warnings`.
    Warning,
    /// For information.
    Note,
}

impl Severity {
    /// The lowercase name (`error`, `warning`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The outcome of one rule (or one element of a per-element rule) on one constitution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule applies and its requirement holds.
    Pass,
    /// The rule applies and its requirement does not hold.
    Fail,
    /// The rule's `when` is false or an `unless` holds.
    NotApplicable,
    /// The constitution does not state a fact the rule needs.
    Undetermined,
    /// The rule failed but the constitution records a waiver for it.
    Waived,
}

/// A citation of the provision a rule enforces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The provision, as an officer cites it.
    pub text: String,
    /// A link to it, normally on legislation.gov.uk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A span with an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// What it points at.
    pub span: Span,
    /// What to say there.
    pub message: Option<String>,
}

/// Where a rule is defined, for "rule defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSource {
    /// The rule's header (its id, severity and title) in its policy file.
    pub span: Span,
    /// The rule's title.
    pub title: String,
}

/// A waiver that turned a failure into a waived outcome, or that the engine reports on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverInfo {
    /// Why the departure is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved.
    pub approved_on: Option<Date>,
    /// Where the waiver is in the constitution.
    pub span: Span,
}

/// One diagnostic: a rule outcome worth reporting, or a problem found by the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (`procurement.reserved_term`) or engine code (`schema.type`).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// The rule outcome it reports, for rule diagnostics.
    pub outcome: Option<Outcome>,
    /// What is wrong, in a legal officer's words.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The provision it enforces.
    pub citation: Option<Citation>,
    /// The value that caused it (its span is the diagnostic's range).
    pub primary: Option<Label>,
    /// Other values that decided it.
    pub labels: Vec<Label>,
    /// The rule's source, for rule diagnostics.
    pub rule: Option<RuleSource>,
    /// The waiver that applies, for waived outcomes and waiver warnings.
    pub waiver: Option<WaiverInfo>,
}

impl Diagnostic {
    /// A diagnostic with just a code, severity, message and primary span.
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            outcome: None,
            message: message.into(),
            help: None,
            citation: None,
            primary: span.map(|span| Label { span, message: None }),
            labels: Vec::new(),
            rule: None,
            waiver: None,
        }
    }

    /// An error with an engine code.
    pub fn error(code: impl Into<String>, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic::new(code, Severity::Error, message, span)
    }

    /// A warning with an engine code.
    pub fn warning(code: impl Into<String>, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic::new(code, Severity::Warning, message, span)
    }

    /// Adds help.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds help if there is some.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Sets the primary label's message.
    pub fn with_label_message(mut self, message: impl Into<String>) -> Self {
        if let Some(primary) = &mut self.primary {
            primary.message = Some(message.into());
        }
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: Some(message.into()) });
        self
    }

    /// The primary span, if any.
    pub fn span(&self) -> Option<Span> {
        self.primary.as_ref().map(|label| label.span)
    }

    /// Sort key: file, then offset, then code (diagnostics without a span first).
    pub fn sort_key(&self) -> (u32, u32, &str) {
        match self.span() {
            Some(span) => (span.file.0, span.start, self.code.as_str()),
            None => (0, 0, self.code.as_str()),
        }
    }

    /// Whether a rule could not be judged because of it (its arithmetic failed): the file was
    /// not fully checked, so the run exits 2.
    pub fn left_a_rule_unjudged(&self) -> bool {
        self.code == "policy.arithmetic"
    }

    /// True when this diagnostic is listed by default (not a pass or not-applicable outcome).
    pub fn is_finding(&self) -> bool {
        !matches!(self.outcome, Some(Outcome::Pass | Outcome::NotApplicable))
    }
}

/// Whether a file could be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// The file was checked; its diagnostics are findings.
    Checked,
    /// The file could not be checked; its diagnostics say why.
    Error,
}

/// Counts for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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

/// Sorts diagnostics as every output lists them: by file, then offset, then code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// What one file of the run holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A constitution (`.toml`).
    Constitution,
    /// A policy file (`.policy`).
    Policy,
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
    /// Its diagnostics, sorted by offset then code. Includes passed and not-applicable
    /// outcomes only when the report is verbose.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a renderer needs to know of one rule of the policy set (SARIF lists them all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id (`procurement.reserved_term`).
    pub id: String,
    /// Its severity when it fails.
    pub severity: Severity,
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
        FileReport { path, kind, status, summary, diagnostics }
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
    /// Renders the report as plain, colourless, byte-stable human text (what snapshots record).
    pub fn render_plain(&self) -> String {
        human::render(self, &human::HumanOptions::plain())
    }

    /// The process exit code: 2 if any file could not be checked, else 1 if any error
    /// finding (or, with `deny_warnings`, any warning), else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        let unchecked = |file: &FileReport| {
            file.status == FileStatus::Error || file.diagnostics.iter().any(Diagnostic::left_a_rule_unjudged)
        };
        if self.files.iter().any(unchecked) {
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
        if self.files.iter().flat_map(|file| &file.diagnostics).any(fatal) { 1 } else { 0 }
    }
}
