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

use super::common::is_listed;
use super::{Citation, Diagnostic, FileReport, FileStatus, Outcome, Report, RuleResult, Severity, Summary};
use crate::source::{Position, SourceMap, Span};

/// The version of the JSON shape.
pub const VERSION: u32 = 2;

/// Renders the report as pretty-printed JSON (two-space indent) with a trailing newline.
/// Every outcome is listed under `outcomes`; `diagnostics` hold findings and engine problems.
pub fn render(report: &Report) -> String {
    let mut document = Document::begin(report.as_of);
    for file in &report.files {
        document.push(&render_file(&report.sources, file));
    }
    String::from_utf8(document.end()).unwrap_or_default()
}

/// One file's entry of the `files` array, rendered on its own (for [`Document::push`]),
/// indented as it stands in the document. `sources` hold the files its spans point into.
pub fn render_file(sources: &SourceMap, file: &FileReport) -> Vec<u8> {
    let entry = JsonFile {
        path: &file.path,
        status: file.status,
        summary: file.summary,
        diagnostics: file.diagnostics.iter().filter(|d| is_listed(d, false)).map(|d| diagnostic(sources, d)).collect(),
        outcomes: &file.outcomes,
    };
    let mut out = Vec::with_capacity(16 * 1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Indented::in_files_array());
    // Serialising plain structs into memory cannot fail.
    let _ = entry.serialize(&mut serializer);
    out
}

/// The JSON document written piece by piece: its head, each file's entry as it is ready
/// (in order), and its end; the bytes are those `serde_json` prints for the whole document.
#[derive(Debug)]
pub struct Document {
    out: Vec<u8>,
    files: usize,
}

impl Document {
    /// The head of the document, up to the opening of `files`.
    pub fn begin(as_of: jiff::civil::Date) -> Self {
        let mut out = Vec::with_capacity(64 * 1024);
        out.extend_from_slice(
            format!("{{\n  \"version\": {VERSION},\n  \"as_of\": \"{as_of}\",\n  \"files\": [").as_bytes(),
        );
        Document { out, files: 0 }
    }

    /// Appends one file's entry, as [`render_file`] made it.
    pub fn push(&mut self, entry: &[u8]) {
        self.out.extend_from_slice(if self.files == 0 { b"\n    " } else { b",\n    " });
        self.out.extend_from_slice(entry);
        self.files += 1;
    }

    /// How many bytes are held, not yet drained.
    pub fn buffered(&self) -> usize {
        self.out.len()
    }

    /// Takes what has been written so far, to pass it on (the document keeps its place).
    pub fn drain(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Closes `files` and the document, with a trailing newline; returns what was not drained.
    pub fn end(mut self) -> Vec<u8> {
        self.out.extend_from_slice(if self.files == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" });
        self.out
    }
}

/// `serde_json`'s pretty printer (two spaces), starting at the depth of an entry of `files`,
/// so that an entry rendered on its own is byte for byte what the whole document holds.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn in_files_array() -> Self {
        Indented { depth: 2, has_value: false }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

fn range(sources: &SourceMap, span: Span) -> Option<JsonRange> {
    let (start, end) = sources.range(span)?;
    Some(JsonRange { start: start.into(), end: end.into() })
}

fn diagnostic<'r>(sources: &'r SourceMap, d: &'r Diagnostic) -> JsonDiagnostic<'r> {
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        outcome: d.outcome,
        message: &d.message,
        help: d.help.as_deref(),
        citation: d.citation.as_ref(),
        range: d.span().and_then(|span| range(sources, span)),
        labels: d
            .labels
            .iter()
            .filter_map(|label| {
                Some(JsonLabel { message: label.message.as_deref(), range: range(sources, label.span)? })
            })
            .collect(),
        rule: d.rule.as_ref().and_then(|rule| {
            Some(JsonRule { path: sources.get(rule.span.file)?.name(), range: range(sources, rule.span)? })
        }),
        waiver: d.waiver.as_ref().map(|waiver| JsonWaiver {
            reason: &waiver.reason,
            approved_by: &waiver.approved_by,
            approved_on: waiver.approved_on.map(|date| date.to_string()),
            range: range(sources, waiver.span),
        }),
        fixes: d
            .fixes
            .iter()
            .map(|fix| JsonFix {
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .filter_map(|edit| Some(JsonEdit { range: range(sources, edit.span)?, text: &edit.text }))
                    .collect(),
            })
            .collect(),
    }
}
