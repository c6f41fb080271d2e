//! The `json` output format: one JSON document, in the shape the command-line design (`cli.md`) fixes.
//!
//! ```text
//! {"version": 2, "as_of": "YYYY-MM-DD", "files": [{"path", "status", "summary": {…},
//!   "diagnostics": [{"code", "severity", "outcome"?, "message", "help"?,
//!                    "citation"?: {"text", "url"?}, "range"?, "labels": [{"message"?, "range"}],
//!                    "rule"?: {"path", "range"}, "waiver"?: {…}, "fixes"?: […]}],
//!   "outcomes": [{"rule", "element"?, "outcome", "severity"?, "status", "setting"?,
//!                 "waiver"?: {…}, "diagnostic"?}]}]}
//! ```
//!
//! `outcomes` holds every rule's outcome on the file (one per element of a per-element rule),
//! in rule order, with its keys in the order `outcomes.md` gives them; `diagnostic` is the
//! index of its finding in `diagnostics`, and a waived outcome names its waiver.
//!
//! Ranges are `{"start": POS, "end": POS}`, end-exclusive, each position
//! `{"line", "column", "offset"}` with 1-based lines, 1-based columns counted in Unicode
//! scalar values and byte offsets. Keys with no value are left out.
//!
//! A waiver is `{"reason", "approved_by", "approved_on"?, "range"}`, the date as
//! `YYYY-MM-DD` and the range of the waiver in the constitution. Extensions beyond the
//! normative shape: a waived finding carries its `waiver` too, and a diagnostic with a
//! mechanical fix carries `fixes`.

use super::common::is_listed;
use super::framed::{Framed, Layout};
use super::{Diagnostic, FileReport, FileStatus, Report, RuleResult, Summary, WaiverInfo};
use crate::source::{Position, SourceMap};

/// The version of the JSON shape.
pub const VERSION: u32 = 2;

/// Renders the report as pretty-printed JSON (two-space indent) with a trailing newline.
/// Every outcome is listed under `outcomes`; `diagnostics` hold findings and engine problems.
pub fn render(report: &Report) -> String {
    let mut document = document(report.as_of);
    for file in &report.files {
        document.push(&render_file(&report.sources, file));
    }
    String::from_utf8(document.end()).unwrap_or_default()
}

/// One file's entry of the `files` array, rendered on its own (for [`Framed::push`]),
/// indented as it stands in the document. `sources` hold the files its spans point into.
pub fn render_file(sources: &SourceMap, file: &FileReport) -> Vec<u8> {
    // Room for the whole entry at once, so that it is rarely copied while it grows.
    let mut out = Vec::with_capacity(
        ENTRY_HEAD_BYTES + OUTCOME_BYTES * file.outcomes.len() + DIAGNOSTIC_BYTES * file.diagnostics.len(),
    );
    let mut entry = Object::open(&mut out, ENTRY);
    entry.string("path", &file.path);
    entry.string("status", file_status(file.status));
    summary(entry.key("summary"), &file.summary, ENTRY + 1);
    let listed: Vec<&Diagnostic> = file.diagnostics.iter().filter(|d| is_listed(d, false)).collect();
    array(entry.key("diagnostics"), ENTRY + 1, &listed, |out, d| diagnostic(out, sources, d, ENTRY + 2));
    array(entry.key("outcomes"), ENTRY + 1, &file.outcomes, |out, result| outcome(out, sources, result, ENTRY + 2));
    entry.close();
    out
}

/// The depth of an entry of `files` (two levels in: the document, then `files`).
const ENTRY: usize = 2;

/// Room for an entry's path, status and summary.
const ENTRY_HEAD_BYTES: usize = 1024;
/// Room for one outcome: enough for most (over 700 generated files they take 145 bytes on
/// average, 245 at most).
const OUTCOME_BYTES: usize = 192;
/// Room for one diagnostic: enough for nine in ten (over 700 generated files they take
/// 1.8 KB on average, 3.3 KB at most).
const DIAGNOSTIC_BYTES: usize = 2560;

fn file_status(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Checked => "checked",
        FileStatus::Error => "error",
    }
}

fn summary(out: &mut Vec<u8>, summary: &Summary, depth: usize) {
    let mut object = Object::open(out, depth);
    object.number("errors", summary.errors);
    object.number("warnings", summary.warnings);
    object.number("notes", summary.notes);
    object.number("passed", summary.passed);
    object.number("failed", summary.failed);
    object.number("not_applicable", summary.not_applicable);
    object.number("undetermined", summary.undetermined);
    object.number("waived", summary.waived);
    object.close();
}

/// One entry of `outcomes`, as [`RuleResult`] serialises, its keys in the order `outcomes.md`
/// lists them. `sources` hold the constitution a waiver's span points into.
fn outcome(out: &mut Vec<u8>, sources: &SourceMap, result: &RuleResult, depth: usize) {
    let mut object = Object::open(out, depth);
    object.string("rule", &result.rule);
    if let Some(element) = &result.element {
        object.string("element", element);
    }
    object.string("outcome", result.outcome.as_str());
    if let Some(severity) = result.severity {
        object.string("severity", severity.as_str());
    }
    object.string("status", result.status.as_str());
    if let Some(setting) = &result.setting {
        object.string("setting", setting);
    }
    if let Some(info) = &result.waiver {
        waiver(object.key("waiver"), sources, info, depth + 1);
    }
    if let Some(index) = result.diagnostic {
        object.number("diagnostic", index);
    }
    object.close();
}

/// `{"reason", "approved_by", "approved_on"?, "range"?}`: the waiver that applied.
fn waiver(out: &mut Vec<u8>, sources: &SourceMap, waiver: &WaiverInfo, depth: usize) {
    let mut object = Object::open(out, depth);
    object.string("reason", &waiver.reason);
    object.string("approved_by", &waiver.approved_by);
    if let Some(date) = waiver.approved_on {
        object.string("approved_on", &date.to_string());
    }
    if let Some(range) = sources.range(waiver.span) {
        write_range(object.key("range"), range, depth + 1);
    }
    object.close();
}

/// One entry of `diagnostics`. A span whose file is not in `sources` is left out, with
/// the label, rule or fix edit that needs it.
fn diagnostic(out: &mut Vec<u8>, sources: &SourceMap, d: &Diagnostic, depth: usize) {
    let mut object = Object::open(out, depth);
    object.string("code", d.code.as_str());
    object.string("severity", d.severity.as_str());
    if let Some(outcome) = d.outcome {
        object.string("outcome", outcome.as_str());
    }
    object.string("message", &d.message);
    if let Some(help) = &d.help {
        object.string("help", help);
    }
    if let Some(citation) = &d.citation {
        let mut inner = Object::open(object.key("citation"), depth + 1);
        inner.string("text", &citation.text);
        if let Some(url) = &citation.url {
            inner.string("url", url);
        }
        if let Some(verified) = citation.verified {
            inner.string("verified", &verified.to_string());
        }
        inner.close();
    }
    if let Some(range) = d.span().and_then(|span| sources.range(span)) {
        write_range(object.key("range"), range, depth + 1);
    }
    let labels: Vec<(Option<&str>, (Position, Position))> =
        d.labels.iter().filter_map(|label| Some((label.message.as_deref(), sources.range(label.span)?))).collect();
    array(object.key("labels"), depth + 1, &labels, |out, (message, range)| {
        let mut label = Object::open(out, depth + 2);
        if let Some(message) = message {
            label.string("message", message);
        }
        write_range(label.key("range"), *range, depth + 3);
        label.close();
    });
    let rule = d.rule.as_ref().and_then(|rule| Some((sources.get(rule.span.file)?.name(), sources.range(rule.span)?)));
    if let Some((path, range)) = rule {
        let mut inner = Object::open(object.key("rule"), depth + 1);
        inner.string("path", path);
        write_range(inner.key("range"), range, depth + 2);
        inner.close();
    }
    if let Some(info) = &d.waiver {
        waiver(object.key("waiver"), sources, info, depth + 1);
    }
    if !d.fixes.is_empty() {
        array(object.key("fixes"), depth + 1, &d.fixes, |out, fix| {
            let mut inner = Object::open(out, depth + 2);
            inner.string("title", &fix.title);
            let edits: Vec<(&str, (Position, Position))> =
                fix.edits.iter().filter_map(|edit| Some((edit.text.as_str(), sources.range(edit.span)?))).collect();
            array(inner.key("edits"), depth + 3, &edits, |out, (text, range)| {
                let mut edit = Object::open(out, depth + 4);
                write_range(edit.key("range"), *range, depth + 5);
                edit.string("text", text);
                edit.close();
            });
            inner.close();
        });
    }
    object.close();
}

/// `{"start": POS, "end": POS}`, each `{"line", "column", "offset"}`.
fn write_range(out: &mut Vec<u8>, (start, end): (Position, Position), depth: usize) {
    let mut range = Object::open(out, depth);
    write_position(range.key("start"), start, depth + 1);
    write_position(range.key("end"), end, depth + 1);
    range.close();
}

fn write_position(out: &mut Vec<u8>, position: Position, depth: usize) {
    let mut object = Object::open(out, depth);
    object.number("line", position.line as usize);
    object.number("column", position.column as usize);
    object.number("offset", position.offset as usize);
    object.close();
}

/// An object being written, pretty-printed as `serde_json` prints it (two spaces a level):
/// its braces stand at `depth`, its keys one level in.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>, depth: usize) -> Self {
        out.push(b'{');
        Object { out, depth, empty: true }
    }

    /// Writes a key (after a comma, unless it is the first) and returns where its value goes.
    /// Keys are the shape's own names (letters and `_`), which need no escaping.
    fn key(&mut self, name: &'static str) -> &mut Vec<u8> {
        line_break(self.out, !self.empty, self.depth + 1);
        self.empty = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self.out
    }

    fn string(&mut self, name: &'static str, value: &str) {
        string(self.key(name), value);
    }

    fn number(&mut self, name: &'static str, value: usize) {
        number(self.key(name), value);
    }

    fn close(self) {
        if self.empty {
            self.out.push(b'}');
        } else {
            close(self.out, self.depth, b'}');
        }
    }
}

/// `items` as a JSON array whose brackets stand at `depth`, `[]` when empty.
fn array<T>(out: &mut Vec<u8>, depth: usize, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (index, value) in items.iter().enumerate() {
        line_break(out, index > 0, depth + 1);
        item(out, value);
    }
    close(out, depth, b']');
}

/// Closes a non-empty object or array whose brackets stand at `depth`.
fn close(out: &mut Vec<u8>, depth: usize, bracket: u8) {
    line_break(out, false, depth);
    out.push(bracket);
}

/// Ends a line (after a comma when `comma`) and indents the next to `depth`, two spaces a
/// level: one copy from a prepared line for the depths a report reaches, more beyond them.
fn line_break(out: &mut Vec<u8>, comma: bool, depth: usize) {
    /// A comma, a newline and enough spaces for sixteen levels.
    const LINE: &[u8; 34] = b",\n                                ";
    let start = usize::from(!comma);
    let width = 2 * depth;
    match LINE.get(start..2 + width) {
        Some(prefix) => out.extend_from_slice(prefix),
        None => {
            out.extend_from_slice(LINE.get(start..).unwrap_or_default());
            out.resize(out.len() + width - (LINE.len() - 2), b' ');
        }
    }
}

/// A whole number in decimal.
fn number(out: &mut Vec<u8>, mut value: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            // `value % 10` is below 10, so the cast keeps it whole.
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || at == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// The bytes a JSON string escapes: control characters, the quote and the backslash.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: an index out of range fails the build")]
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A JSON string, escaped as `serde_json` escapes it: quote, backslash and control
/// characters (`\b \f \n \r \t`, others as `\u00XX`); everything else as it is.
fn string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[],
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..at).unwrap_or_default());
        if escaped.is_empty() {
            let high = HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
            let low = HEX.get(usize::from(byte & 0xf)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
        } else {
            out.extend_from_slice(escaped);
        }
        start = at + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// Whether any byte of `bytes` needs escaping, looked for eight bytes at a time.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    /// Whether a byte of `word` is below `limit` (at most 128): exact for the word as a whole.
    const fn has_below(word: u64, limit: u8) -> bool {
        word.wrapping_sub(ONES.wrapping_mul(limit as u64)) & !word & HIGH_BITS != 0
    }
    /// Whether a byte of `word` is `byte`.
    const fn has_byte(word: u64, byte: u8) -> bool {
        has_below(word ^ ONES.wrapping_mul(byte as u64), 1)
    }
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        if has_below(word, 0x20) || has_byte(word, b'"') || has_byte(word, b'\\') {
            return true;
        }
    }
    words.remainder().iter().any(|&byte| NEEDS_ESCAPE.get(usize::from(byte)).copied().unwrap_or(false))
}

/// The JSON document written piece by piece (see [`Framed`]): its head, each file's entry as
/// it is ready (in order), and its end; the bytes are those `serde_json` prints for the whole
/// document.
pub fn document(as_of: jiff::civil::Date) -> Framed {
    let head = format!("{{\n  \"version\": {VERSION},\n  \"as_of\": \"{as_of}\",\n  \"files\": [");
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(head.as_bytes());
    Framed::new(out, FILES, b"\n}\n".to_vec())
}

/// How the files' entries stand in `files`, two levels in.
const FILES: Layout = Layout { first: b"\n    ", between: b",\n    ", after: b"\n  ]", none: b"]" };

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Strings are escaped exactly as `serde_json` escapes them (the snapshots of whole
        /// reports pin the rest of the layout).
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(text in "[\\x00-\\x1f\"\\\\a-z\\x7fé€ ]{0,40}|\\PC{0,40}") {
            let mut out = Vec::new();
            super::string(&mut out, &text);
            prop_assert_eq!(String::from_utf8(out).unwrap_or_default(), serde_json::to_string(&text).unwrap_or_default());
        }
    }

    #[test]
    fn a_line_break_indents_two_spaces_a_level_at_any_depth() {
        for depth in 0..40 {
            for comma in [false, true] {
                let mut out = b"x".to_vec();
                super::line_break(&mut out, comma, depth);
                let expected = format!("x{}\n{}", if comma { "," } else { "" }, " ".repeat(2 * depth));
                assert_eq!(String::from_utf8(out).unwrap_or_default(), expected, "depth {depth}, comma {comma}");
            }
        }
    }

    #[test]
    fn every_byte_that_needs_escaping_is_found_wherever_it_stands() {
        for byte in 0..=u8::MAX {
            let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
            for length in 1..=17 {
                for at in 0..length {
                    let mut bytes = vec![b'a'; length];
                    if let Some(slot) = bytes.get_mut(at) {
                        *slot = byte;
                    }
                    assert_eq!(super::needs_escape(&bytes), expected, "byte {byte:#04x} at {at} of {length}");
                }
            }
        }
        // Bytes just past the limits, side by side, are not mistaken for ones that need it.
        assert!(!super::needs_escape(b" !#$[]^~\x7f\x80\xff "));
    }

    #[test]
    fn control_characters_quotes_and_backslashes_are_escaped() {
        let mut out = Vec::new();
        super::string(&mut out, "a\"b\\c\nd\u{1}e\u{7f}é\u{8}\u{c}\r\t\u{1b}");
        // DEL (0x7f) and non-ASCII letters are written as they are.
        assert_eq!(String::from_utf8(out).unwrap_or_default(), "\"a\\\"b\\\\c\\nd\\u0001e\u{7f}é\\b\\f\\r\\t\\u001b\"");
    }
}
