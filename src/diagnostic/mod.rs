//! The diagnostic model every stage shares: severities, rule outcomes, citations, labels
//! and the [`Diagnostic`] itself. It sits on the ground floor: the parser, the loader, the
//! type checker and the engine produce diagnostics, and the renderers of [`crate::report`]
//! show them, without any of them importing another's room.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::source::Span;

mod code;
pub mod wording;

pub use code::{BuiltinCode, Code, RESERVED_PREFIXES, UnknownCode};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

impl Outcome {
    /// The name tests, JSON and `compare` use: `pass`, `fail`, `not_applicable`,
    /// `undetermined`, `waived`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not_applicable",
            Outcome::Undetermined => "undetermined",
            Outcome::Waived => "waived",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Outcome {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        [Outcome::Pass, Outcome::Fail, Outcome::NotApplicable, Outcome::Undetermined, Outcome::Waived]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
            .ok_or_else(|| {
                format!("`{text}` is not an outcome: write pass, fail, not_applicable, undetermined or waived")
            })
    }
}

/// What kind of rule it is: how much the law stands behind it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// A requirement of statute or regulation: any severity.
    Law,
    /// Statutory or official guidance, or recognised practice: at most a warning.
    Guidance,
    /// The council's own policy (the default for a rule that states no status).
    #[default]
    LocalPolicy,
}

impl RuleStatus {
    /// The name as written in a policy file and in JSON (`law`, `guidance`, `local_policy`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Law => "law",
            RuleStatus::Guidance => "guidance",
            RuleStatus::LocalPolicy => "local_policy",
        }
    }

    /// The name in words (`law`, `guidance`, `local policy`).
    pub fn words(self) -> &'static str {
        match self {
            RuleStatus::Law => "law",
            RuleStatus::Guidance => "guidance",
            RuleStatus::LocalPolicy => "local policy",
        }
    }
}

/// A citation of the provision a rule enforces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The provision, as an officer cites it.
    pub text: String,
    /// A link to it, normally on legislation.gov.uk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the provision's text was last read and found to say what the rule relies on.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_text")]
    pub verified: Option<Date>,
}

fn date_text<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
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

/// A council setting (`[rules."ID"]` in `trustcheck.toml`) that applied to a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedSetting {
    /// Why the council set it, as the setting gives it.
    pub reason: String,
    /// One line saying what it does and why: "council setting: error — REASON (approved by
    /// WHO on DATE)".
    pub description: String,
}

/// A waiver that turned a failure (or an outcome undetermined for want of a fact) into a waived
/// outcome, or that the engine reports on.
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

/// A change to a file's text: replace what `span` covers with `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    /// What is replaced.
    #[serde(skip)]
    pub span: Span,
    /// What replaces it.
    pub text: String,
}

/// A quick fix: edits of the constitution that make a failed rule pass, with a title saying
/// what it does (`set `dividends = "none"``).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in a line.
    pub title: String,
    /// The edits, which never overlap.
    pub edits: Vec<TextEdit>,
}

/// One diagnostic: a rule outcome worth reporting, or a problem found by the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (`procurement.reserved_term`) or built-in code (`schema.type`).
    pub code: Code,
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
    /// The waiver that turned its outcome into `waived` (only a waived finding has one).
    pub waiver: Option<WaiverInfo>,
    /// The council setting that changed its severity or turned it off.
    pub setting: Option<AppliedSetting>,
    /// Quick fixes, best first: for failed rules whose requirement names the value, and for
    /// values written in the wrong notation when there is no doubt what was meant.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// Applies `moved` to every span (into another source map).
    pub fn move_spans(&mut self, moved: &dyn Fn(Span) -> Span) {
        if let Some(primary) = &mut self.primary {
            primary.span = moved(primary.span);
        }
        for label in &mut self.labels {
            label.span = moved(label.span);
        }
        if let Some(rule) = &mut self.rule {
            rule.span = moved(rule.span);
        }
        if let Some(waiver) = &mut self.waiver {
            waiver.span = moved(waiver.span);
        }
        for edit in self.fixes.iter_mut().flat_map(|fix| &mut fix.edits) {
            edit.span = moved(edit.span);
        }
    }

    /// A diagnostic of one of trustcheck's own checks, at the code's severity.
    pub fn new(code: BuiltinCode, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic::with_code(Code::Builtin(code), code.severity(), message, span)
    }

    /// A finding of the rule `id`, at the severity the outcome chain decided.
    pub fn for_rule(id: impl Into<String>, severity: Severity, message: impl Into<String>, span: Span) -> Self {
        Diagnostic::with_code(Code::Rule(id.into()), severity, message, Some(span))
    }

    fn with_code(code: Code, severity: Severity, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            code,
            severity,
            outcome: None,
            message: message.into(),
            help: None,
            citation: None,
            primary: span.map(|span| Label { span, message: None }),
            labels: Vec::new(),
            rule: None,
            waiver: None,
            setting: None,
            fixes: Vec::new(),
        }
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
        self.code == BuiltinCode::PolicyArithmetic
    }

    /// True when this diagnostic is listed by default (not a pass or not-applicable outcome).
    pub fn is_finding(&self) -> bool {
        !matches!(self.outcome, Some(Outcome::Pass | Outcome::NotApplicable))
    }
}

/// Sorts diagnostics as every output lists them: by file, then offset, then code.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
