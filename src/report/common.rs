//! Small helpers shared by the renderers: which diagnostics to list, where they point,
//! and how citations and waivers read in one line.

use super::{Citation, Diagnostic, FileReport, WaiverInfo};
use crate::source::{Position, SourceMap, Span};

/// True when a renderer lists `diagnostic`: findings always, passed and not-applicable
/// outcomes only when `verbose`.
pub(crate) fn is_listed(diagnostic: &Diagnostic, verbose: bool) -> bool {
    verbose || diagnostic.is_finding()
}

/// A span resolved to the display name of its file and its start and end positions.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Located<'r> {
    /// The file's display name.
    pub(crate) path: &'r str,
    /// First character.
    pub(crate) start: Position,
    /// One past the last character.
    pub(crate) end: Position,
}

/// Resolves a span against the sources of a report (`None` when its file is not in the map).
pub(crate) fn locate(sources: &SourceMap, span: Span) -> Option<Located<'_>> {
    let file = sources.get(span.file)?;
    let (start, end) = sources.range(span)?;
    Some(Located { path: file.name(), start, end })
}

/// The path a diagnostic is reported under: the file its primary span points into, else
/// the file of the report entry it belongs to.
pub(crate) fn diagnostic_path<'r>(sources: &'r SourceMap, file: &'r FileReport, diagnostic: &Diagnostic) -> &'r str {
    diagnostic.span().and_then(|span| sources.get(span.file)).map_or(file.path.as_str(), |source| source.name())
}

/// "N other values also decided this", for the values a finding does not show (none when
/// it shows them all).
pub(crate) fn others_decided(hidden: usize) -> Option<String> {
    let values = if hidden == 1 { "value" } else { "values" };
    (hidden > 0).then(|| format!("{hidden} other {values} also decided this (listed in `--format json`)"))
}

/// Collapses line breaks (and the blanks around them) into single spaces.
pub(crate) fn flatten(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_owned();
    }
    text.split(['\n', '\r']).map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `TEXT <URL>`, or just `TEXT` without a link.
pub(crate) fn citation_line(citation: &Citation) -> String {
    match &citation.url {
        Some(url) => format!("{} <{url}>", citation.text),
        None => citation.text.clone(),
    }
}

/// `REASON (approved by WHO on DATE)`.
pub(crate) fn waiver_line(waiver: &WaiverInfo) -> String {
    match waiver.approved_on {
        Some(date) => format!("{} (approved by {} on {date})", waiver.reason, waiver.approved_by),
        None => format!("{} (approved by {})", waiver.reason, waiver.approved_by),
    }
}

/// `N noun` with an `s` for every count but one.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
