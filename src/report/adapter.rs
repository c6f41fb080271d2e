//! A report [`Diagnostic`] seen as a [`miette::Diagnostic`], for miette's graphical handler.
//!
//! miette gives one diagnostic one source, so everything that points into another file
//! (the rule's own source, labels in other files) becomes a `related()` diagnostic with
//! that file as its source.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::common::{citation_line, diagnostic_path, others_decided, waiver_line};
use super::{Diagnostic, FileReport, Outcome, Severity};
use crate::sanitize;
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// One file's text under its display name, reporting columns in characters (miette counts
/// bytes, which would disagree with every other format on non-ASCII lines). The text quoted
/// is the file's with unsafe characters replaced (see [`sanitize::snippet`]).
#[derive(Debug, Clone)]
pub(crate) struct FileSource {
    file: Arc<SourceFile>,
    /// The file's text, when it had to be made safe to quote.
    safe_text: Option<Arc<str>>,
    /// The file's name, safe to show on one line.
    name: String,
}

impl FileSource {
    fn new(file: Arc<SourceFile>) -> Self {
        let safe_text = match sanitize::snippet(file.text()) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(text) => Some(Arc::from(text)),
        };
        let name = sanitize::line(file.name()).into_owned();
        FileSource { file, safe_text, name }
    }
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = self.safe_text.as_deref().unwrap_or(self.file.text());
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let offset = u32::try_from(span.offset()).unwrap_or(u32::MAX);
        let column = self.file.position(offset).column.saturating_sub(1) as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// A diagnostic ready for miette: every text already composed.
#[derive(Debug)]
pub(crate) struct View {
    code: Option<String>,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<FileSource>,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url.as_ref().map(|url| Box::new(url) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() { None } else { Some(Box::new(self.labels.iter().cloned())) }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|view| view as &dyn miette::Diagnostic)))
        }
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// The most lines a label underlines; a longer span (a whole table) is cut to its first line,
/// so that a finding quotes the value that matters and not pages of TOML.
const MAX_LABEL_LINES: usize = 3;

/// A span clamped into its file, so that miette can always read it, and cut to its first line
/// when it covers more than [`MAX_LABEL_LINES`].
fn clamp(file: &SourceFile, span: Span) -> SourceSpan {
    let text = file.text();
    let len = text.len();
    let start = (span.start as usize).min(len);
    let mut end = (span.end as usize).clamp(start, len);
    if text.get(start..end).is_some_and(|covered| covered.matches('\n').count() >= MAX_LABEL_LINES) {
        end = text.get(start..end).and_then(|covered| covered.find('\n')).map_or(end, |newline| start + newline);
    }
    SourceSpan::new(start.into(), end - start)
}

/// The most secondary labels a finding shows in the human format: the value that broke the
/// rule and the nearest other; the JSON report lists them all.
const MAX_SECONDARY_LABELS: usize = 1;

/// How far, in lines, a secondary label of a finding may be from its primary label and still
/// be shown beside it (miette quotes every line between two labels of one snippet).
const MAX_LABEL_DISTANCE: u32 = 6;

/// The secondary labels shown, in document order: all of an engine diagnostic's; for a
/// finding, the nearest to its primary label, if within [`MAX_LABEL_DISTANCE`] lines.
fn shown_labels<'d>(sources: &SourceMap, d: &'d Diagnostic) -> Vec<&'d super::Label> {
    let mut labels: Vec<&super::Label> = d.labels.iter().collect();
    let Some(primary) = d.primary.as_ref().filter(|_| d.outcome.is_some()) else {
        return labels;
    };
    let line = |span: Span| sources.range(span).map(|(start, _)| start.line);
    let primary_line = line(primary.span);
    let distance = |label: &&super::Label| match (label.span.file == primary.span.file, line(label.span), primary_line)
    {
        (true, Some(at), Some(primary)) => at.abs_diff(primary),
        _ => u32::MAX,
    };
    labels.retain(|label| distance(label) <= MAX_LABEL_DISTANCE);
    labels.sort_by_key(distance);
    labels.truncate(MAX_SECONDARY_LABELS);
    labels
}

/// Labels of one file, in the order given.
struct Group {
    file: FileId,
    labels: Vec<(Span, Option<String>, bool)>,
}

fn group_labels(sources: &SourceMap, d: &Diagnostic) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut add =
        |span: Span, message: Option<String>, primary: bool| match groups.iter_mut().find(|g| g.file == span.file) {
            Some(group) => group.labels.push((span, message, primary)),
            None => groups.push(Group { file: span.file, labels: vec![(span, message, primary)] }),
        };
    if let Some(primary) = &d.primary {
        add(primary.span, primary.message.clone(), true);
    }
    for label in shown_labels(sources, d) {
        add(label.span, label.message.clone(), false);
    }
    if let (Some(Outcome::Waived), Some(waiver)) = (d.outcome, &d.waiver) {
        add(waiver.span, Some("waived here".to_owned()), false);
    }
    groups
}

fn labeled(file: &SourceFile, (span, message, primary): (Span, Option<String>, bool)) -> LabeledSpan {
    let message = message.map(|message| sanitize::text(&message).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(message, clamp(file, span))
    } else {
        LabeledSpan::new_with_span(message, clamp(file, span))
    }
}

fn help(sources: &SourceMap, d: &Diagnostic) -> Option<String> {
    let mut lines = Vec::new();
    lines.extend(d.help.as_deref().map(|help| sanitize::text(help).into_owned()));
    if let Some(waiver) = &d.waiver {
        lines.push(format!("waived: {}", waiver_line(waiver)));
    }
    let hidden = d.labels.len() - shown_labels(sources, d).len();
    lines.extend(others_decided(hidden));
    if let Some(setting) = &d.setting {
        lines.push(setting.description.clone());
    }
    if let Some(citation) = &d.citation {
        lines.push(format!("see: {}", citation_line(citation)));
    }
    (!lines.is_empty()).then(|| sanitize::text(&lines.join("\n")).into_owned())
}

/// A source-less advice naming where something else is (another file's labels, the rule).
fn aside(sources: &SourceMap, message: String, group: Group) -> Option<View> {
    let file = sources.get_shared(group.file)?;
    let labels = group.labels.into_iter().map(|label| labeled(&file, label)).collect();
    Some(View {
        code: None,
        message,
        severity: miette::Severity::Advice,
        help: None,
        url: None,
        source: Some(FileSource::new(file)),
        labels,
        related: Vec::new(),
    })
}

/// The miette view of one report diagnostic of `file`, whose spans point into `sources`.
///
/// A finding shows its rule's source only when `verbose` (`explain` shows it always); an engine
/// error that points into a policy (an arithmetic fault) always does.
pub(crate) fn view(sources: &SourceMap, file: &FileReport, d: &Diagnostic, verbose: bool) -> View {
    let mut groups = group_labels(sources, d).into_iter();
    let main = groups.next();
    let source = main.as_ref().and_then(|group| sources.get_shared(group.file));
    let labels = match (&source, main) {
        (Some(source), Some(group)) => group.labels.into_iter().map(|label| labeled(source, label)).collect(),
        _ => Vec::new(),
    };
    // miette indents every continuation line, so a newline in a message cannot start a line.
    let mut message = sanitize::text(&d.message).into_owned();
    if source.is_none() {
        let path = sanitize::line(diagnostic_path(sources, file, d));
        if !message.contains(path.as_ref()) {
            message = format!("{path}: {message}");
        }
    }
    let mut related: Vec<View> =
        groups.filter_map(|group| aside(sources, "related to this finding".to_owned(), group)).collect();
    if let Some(rule) = d.rule.as_ref().filter(|_| verbose || d.outcome.is_none()) {
        let group = Group { file: rule.span.file, labels: vec![(rule.span, None, true)] };
        related.extend(aside(sources, "rule defined here".to_owned(), group));
    }
    View {
        code: Some(format!("{}[{}]", d.severity.as_str(), d.code)),
        message,
        severity: miette_severity(d.severity),
        help: help(sources, d),
        url: d.citation.as_ref().and_then(|citation| citation.url.clone()),
        source: source.map(FileSource::new),
        labels,
        related,
    }
}
