//! The `json` output format: one JSON document, in the shape the command-line design (`cli.md`) fixes.
//!
//! ```text
//! {"version": 2, "as_of": "YYYY-MM-DD", "files": [{"path", "status", "summary": {…},
//!   "diagnostics": [{"code", "severity", "outcome"?, "message", "help"?,
//!                    "citation"?: {"text", "url"?}, "range"?, "labels": [{"message"?, "range"}],
//!                    "rule"?: {"path", "range"}, "waiver"?: {…}}],
//!   "outcomes": [{"rule", "element"?, "outcome", "severity"?, "diagnostic"?}]}]}
//! ```
//!
//! `outcomes` holds every rule's outcome on the file (one per element of a per-element rule),
//! in rule order; `diagnostic` is the index of its finding in `diagnostics`.
//!
//! ```text
//! ```
//!
//! Ranges are `{"start": POS, "end": POS}`, end-exclusive, each position
//! `{"line", "column", "offset"}` with 1-based lines, 1-based columns counted in Unicode
//! scalar values and byte offsets. Keys with no value are left out.
//!
//! Extension beyond the normative shape: a waived outcome (and any diagnostic about a
//! waiver) carries `"waiver": {"reason", "approved_by", "approved_on"?, "range"}`, the
//! date as `YYYY-MM-DD` and the range of the waiver in the constitution.

use serde::Serialize;

use super::common::{is_listed, locate};
use super::{Citation, Diagnostic, FileStatus, Outcome, Report, RuleResult, Severity, Summary};
use crate::source::{Position, Span};

/// The version of the JSON shape.
pub const VERSION: u32 = 2;

/// Renders the report as pretty-printed JSON (two-space indent) with a trailing newline.
/// Every outcome is listed under `outcomes`; `diagnostics` hold findings and engine problems.
pub fn render(report: &Report) -> String {
    let document = JsonReport {
        version: VERSION,
        as_of: report.as_of.to_string(),
        files: report
            .files
            .iter()
            .map(|file| JsonFile {
                path: &file.path,
                status: file.status,
                summary: file.summary,
                diagnostics: file
                    .diagnostics
                    .iter()
                    .filter(|d| is_listed(d, false))
                    .map(|d| diagnostic(report, d))
                    .collect(),
                outcomes: &file.outcomes,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[derive(Serialize)]
struct JsonReport<'r> {
    version: u32,
    as_of: String,
    files: Vec<JsonFile<'r>>,
}

#[derive(Serialize)]
struct JsonFile<'r> {
    path: &'r str,
    status: FileStatus,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'r>>,
    outcomes: &'r [RuleResult],
}

#[derive(Serialize)]
struct JsonDiagnostic<'r> {
    code: &'r str,
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    message: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<&'r Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<JsonRange>,
    labels: Vec<JsonLabel<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<JsonRule<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<JsonWaiver<'r>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'r>>,
}

#[derive(Serialize)]
struct JsonFix<'r> {
    title: &'r str,
    edits: Vec<JsonEdit<'r>>,
}

#[derive(Serialize)]
struct JsonEdit<'r> {
    range: JsonRange,
    text: &'r str,
}

#[derive(Serialize)]
struct JsonLabel<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'r str>,
    range: JsonRange,
}

#[derive(Serialize)]
struct JsonRule<'r> {
    path: &'r str,
    range: JsonRange,
}

#[derive(Serialize)]
struct JsonWaiver<'r> {
    reason: &'r str,
    approved_by: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<JsonRange>,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
    offset: u32,
}

impl From<Position> for JsonPosition {
    fn from(position: Position) -> Self {
        JsonPosition { line: position.line, column: position.column, offset: position.offset }
    }
}

fn range(report: &Report, span: Span) -> Option<JsonRange> {
    let at = locate(report, span)?;
    Some(JsonRange { start: at.start.into(), end: at.end.into() })
}

fn diagnostic<'r>(report: &'r Report, d: &'r Diagnostic) -> JsonDiagnostic<'r> {
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        outcome: d.outcome,
        message: &d.message,
        help: d.help.as_deref(),
        citation: d.citation.as_ref(),
        range: d.span().and_then(|span| range(report, span)),
        labels: d
            .labels
            .iter()
            .filter_map(|label| {
                Some(JsonLabel { message: label.message.as_deref(), range: range(report, label.span)? })
            })
            .collect(),
        rule: d.rule.as_ref().and_then(|rule| {
            Some(JsonRule { path: report.sources.get(rule.span.file)?.name(), range: range(report, rule.span)? })
        }),
        waiver: d.waiver.as_ref().map(|waiver| JsonWaiver {
            reason: &waiver.reason,
            approved_by: &waiver.approved_by,
            approved_on: waiver.approved_on.map(|date| date.to_string()),
            range: range(report, waiver.span),
        }),
        fixes: d
            .fixes
            .iter()
            .map(|fix| JsonFix {
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .filter_map(|edit| Some(JsonEdit { range: range(report, edit.span)?, text: &edit.text }))
                    .collect(),
            })
            .collect(),
    }
}
