//! The loader's state while it walks one document: the file, its text, the schema, the
//! diagnostics found so far, and helpers that turn parser byte ranges into [`Span`]s.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::schema::Schema;
use crate::source::{FileId, Span};

/// A TOML value with its byte range in the parsed text (which excludes any byte-order mark).
pub(super) type Raw<'i> = Spanned<DeValue<'i>>;

/// The deepest nesting of records the loader walks (a recursive schema is bounded by it).
pub(super) const MAX_RECORD_DEPTH: usize = 64;

/// The state of one load.
pub(super) struct Loader<'a> {
    /// The file being loaded.
    pub(super) file: FileId,
    /// The whole file text, byte-order mark included.
    text: &'a str,
    /// Bytes skipped before parsing (3 with a byte-order mark, else 0).
    base: usize,
    /// The schema the document is checked against.
    pub(super) schema: &'a Schema,
    /// Problems found so far, unsorted.
    diagnostics: Vec<Diagnostic>,
    /// True once a `limit.depth` diagnostic has been given (it is given once).
    depth_reported: bool,
}

impl<'a> Loader<'a> {
    /// A loader for `text` (the whole file), parsed from byte `base` on.
    pub(super) fn new(file: FileId, text: &'a str, base: usize, schema: &'a Schema) -> Self {
        Loader { file, text, base, schema, diagnostics: Vec::new(), depth_reported: false }
    }

    /// Records a problem.
    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The problems found, unsorted.
    pub(super) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The file span of a byte range of the parsed text.
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range.start.saturating_add(self.base), range.end.saturating_add(self.base))
    }

    /// The text of a byte range of the parsed text (empty if out of range).
    pub(super) fn slice(&self, range: Range<usize>) -> &'a str {
        let start = range.start.saturating_add(self.base);
        let end = range.end.saturating_add(self.base);
        self.text.get(start..end).unwrap_or("")
    }

    /// Where a table is, for its record's span and for facts it leaves out: the `[header]`
    /// or `[[header]]` of a table written with one, the `{` of an inline table, and the key
    /// that implies a table written only through dotted keys or a deeper header.
    pub(super) fn table_span(&self, raw: &Raw<'_>) -> Span {
        let range = raw.span();
        if self.slice(range.clone()).starts_with('{') {
            self.span(range.start..range.start.saturating_add(1))
        } else {
            self.span(range)
        }
    }

    /// True when a value is written as `[[header]]` tables (an array of tables).
    pub(super) fn is_array_of_tables(&self, raw: &Raw<'_>) -> bool {
        self.slice(raw.span()).starts_with("[[")
    }

    /// True (and reports `limit.depth` once) when `depth` is past [`MAX_RECORD_DEPTH`].
    pub(super) fn too_deep(&mut self, depth: usize, span: Span) -> bool {
        if depth <= MAX_RECORD_DEPTH {
            return false;
        }
        if !self.depth_reported {
            self.depth_reported = true;
            let diagnostic = Diagnostic::new(
                BuiltinCode::LimitDepth,
                format!("tables are nested more than {MAX_RECORD_DEPTH} deep"),
                Some(span),
            )
            .with_help("a constitution needs only a few levels of tables");
            self.report(diagnostic);
        }
        true
    }
}

/// Where a value sits in the document, for messages.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place<'p> {
    /// The field's name (`voting_rights`).
    pub(super) field: &'p str,
    /// The dotted path of the record holding the field (empty for the root).
    pub(super) parent: &'p str,
    /// True for an element of a list field.
    pub(super) element: bool,
}

impl<'p> Place<'p> {
    /// The same field, for one of its list's elements.
    pub(super) fn element(self) -> Place<'p> {
        Place { element: true, ..self }
    }

    /// The field's dotted path from the root (`board.seats`), as a table header names it
    /// (made when a message or a nested record needs it, not for every value read).
    pub(super) fn path(&self) -> String {
        join_path(self.parent, self.field)
    }

    /// How messages name the value: "`voting_rights`" or "an entry of `services`".
    pub(super) fn subject(&self) -> String {
        if self.element { format!("an entry of `{}`", self.field) } else { format!("`{}`", self.field) }
    }
}

/// Joins a field path: `board` + `seats` → `board.seats`; the root's path is empty.
pub(super) fn join_path(parent: &str, name: &str) -> String {
    if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") }
}

/// Names in backticks joined as an officer lists them: "`a`, `b` and `c`", at most
/// `limit` of them followed by how many more there are.
pub(super) fn list_names<'n>(names: impl IntoIterator<Item = &'n str>, limit: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = names.iter().take(limit).map(|name| format!("`{name}`")).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        return format!("{} and {more} more", shown.join(", "));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A doc comment as a short phrase for help text: first line, first letter lowercased,
/// no trailing period ("The date of award." → "the date of award").
pub(super) fn doc_phrase(doc: &str) -> Option<String> {
    let line = doc.lines().map(str::trim).find(|line| !line.is_empty())?;
    let line = line.trim_end_matches('.');
    let mut chars = line.chars();
    let first = chars.next()?;
    let second_is_lower = chars.clone().next().is_none_or(char::is_lowercase);
    let first: String = if second_is_lower { first.to_lowercase().collect() } else { first.to_string() };
    Some(format!("{first}{}", chars.as_str()))
}

/// Text from the constitution made safe to show inside a one-line message: control
/// characters (a newline in a quoted key, say) are escaped.
pub(super) fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}
