//! Turning the `toml` parser's errors into `toml.syntax` diagnostics in plain words.
//!
//! The parser's message ("unclosed table, expected `]`") is split into what is wrong
//! (the message) and what was expected (the help); a few messages are reworded for
//! readers who do not know TOML's vocabulary. Nesting past the parser's guard is reported
//! as `limit.depth`.

use crate::diagnostic::{BuiltinCode, Diagnostic, Fix, TextEdit};
use crate::source::{FileId, Span};

use super::context::printable;

/// The parser's words for nesting past its recursion guard (values, then keys).
const TOO_DEEP: [&str; 2] = ["cannot recurse further", "recursion limit"];

/// One diagnostic per distinct parser error. `base` is the length of the byte-order
/// mark skipped before `body` (the parsed text), so that spans index the whole file.
pub(super) fn diagnostics(errors: &[toml::de::Error], file: FileId, base: usize, body: &str) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    if let (false, Some(opener)) = (errors.is_empty(), unclosed_list(body)) {
        // One missing `]` makes the parser read the rest of the file as the list: report the
        // cause at the opener and only the first two consequences.
        let at = opener.saturating_add(base);
        diagnostics.push(
            Diagnostic::new(BuiltinCode::TomlSyntax, "this `[` is never closed", Some(Span::new(file, at, at + 1)))
                .with_label_message("the list opens here")
                .with_help("add `]` where the list ends, before the next key or table"),
        );
        let consequences = diagnostics_of(errors, file, base, body);
        diagnostics.extend(
            consequences.into_iter().filter(|d| d.span().is_some_and(|span| span.start as usize >= at)).take(2),
        );
        return diagnostics;
    }
    diagnostics.extend(diagnostics_of(errors, file, base, body));
    diagnostics
}

/// The byte offset of a list's `[` that is never closed: a list still open when a line
/// starts with a key and `=`, or with a table header, which cannot stand inside a list.
fn unclosed_list(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut opens: Vec<usize> = Vec::new();
    let mut index = 0;
    let mut line_start = true;
    while let Some(&byte) = bytes.get(index) {
        if line_start && !opens.is_empty() {
            let rest = body.get(index..).unwrap_or("").trim_start_matches([' ', '\t']);
            let starts_key = rest.split_once('=').is_some_and(|(key, _)| {
                !key.trim().is_empty() && key.trim().chars().all(|c| c.is_alphanumeric() || "_-.\"' ".contains(c))
            });
            let header = rest.starts_with('[')
                && rest.get(1..2).is_some_and(|c| c.chars().all(|c| c.is_alphabetic() || c == '['));
            if starts_key || header {
                return opens.first().copied();
            }
        }
        line_start = false;
        match byte {
            b'\n' => line_start = true,
            b'#' => {
                while bytes.get(index).is_some_and(|b| *b != b'\n') {
                    index += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let triple = bytes.get(index + 1) == Some(&byte) && bytes.get(index + 2) == Some(&byte);
                index += if triple { 3 } else { 1 };
                while let Some(&inner) = bytes.get(index) {
                    if byte == b'"' && inner == b'\\' {
                        index += 2;
                        continue;
                    }
                    if inner == byte
                        && (!triple || (bytes.get(index + 1) == Some(&byte) && bytes.get(index + 2) == Some(&byte)))
                    {
                        index += if triple { 3 } else { 1 };
                        break;
                    }
                    if inner == b'\n' && !triple {
                        break;
                    }
                    index += 1;
                }
                continue;
            }
            b'[' => {
                // A table header (at the start of a line, outside any list) closes on its line.
                let at_line_start =
                    body.get(..index).unwrap_or("").rsplit('\n').next().is_some_and(|before| before.trim().is_empty());
                if !(at_line_start && opens.is_empty()) {
                    opens.push(index);
                } else {
                    while bytes.get(index).is_some_and(|b| *b != b'\n') {
                        index += 1;
                    }
                    continue;
                }
            }
            b']' => {
                opens.pop();
            }
            _ => {}
        }
        index += 1;
    }
    opens.first().copied()
}

/// One diagnostic per distinct parser error.
fn diagnostics_of(errors: &[toml::de::Error], file: FileId, base: usize, body: &str) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for error in errors {
        // An error without a place (the parser's key-nesting guard) is put at the start.
        let (span, unexpected) = match error.span() {
            Some(range) => (
                Span::new(file, range.start.saturating_add(base), range.end.saturating_add(base)),
                body.get(range).unwrap_or(""),
            ),
            None => (Span::file_start(file), ""),
        };
        let mut diagnostic = diagnostic(error.message(), unexpected, span);
        if error.message().starts_with("duplicate key") {
            if let Some(single) = error.span().and_then(|range| single_table_before_a_list(body, range.start)) {
                diagnostic = single.explain(diagnostic, file, base);
            }
        }
        if !diagnostics.contains(&diagnostic) {
            diagnostics.push(diagnostic);
        }
    }
    diagnostics
}

/// The diagnostic for one parser message; `unexpected` is the text at `span`.
fn diagnostic(raw: &str, unexpected: &str, span: Span) -> Diagnostic {
    if TOO_DEEP.iter().any(|prefix| raw.starts_with(prefix)) {
        return Diagnostic::new(
            BuiltinCode::LimitDepth,
            "tables, lists or dotted keys are nested too deeply",
            Some(span),
        )
        .with_help("a constitution needs only a few levels of tables");
    }
    let (what, expected) = match raw.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (raw, None),
    };
    let shown = printable(unexpected.trim());
    let (message, help) = match what {
        "duplicate key" if !shown.is_empty() => (
            format!("`{shown}` is written more than once in the same table"),
            Some("a key, or a `[table]` header, may be written only once".to_owned()),
        ),
        "string values must be quoted" => {
            let help = if !shown.is_empty() && !shown.contains('"') && shown.len() <= 80 {
                format!("write it in double quotes: \"{shown}\"")
            } else {
                "write text in double quotes, for example \"Example City Council\"".to_owned()
            };
            ("text must be in quotes".to_owned(), Some(help))
        }
        _ => (
            plain(what),
            expected.filter(|expected| *expected != "nothing").map(|expected| format!("expected {expected}")),
        ),
    };
    Diagnostic::new(BuiltinCode::TomlSyntax, message, Some(span)).with_optional_help(help)
}

/// A parser message as a diagnostic message: first letter lowercase (unless the word is
/// an acronym), no trailing period, never empty.
fn plain(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    let Some(first) = chars.next() else {
        return "the file is not valid TOML".to_owned();
    };
    let rest = chars.as_str();
    if rest.chars().next().is_none_or(char::is_lowercase) {
        format!("{}{rest}", first.to_lowercase())
    } else {
        message.to_owned()
    }
}

/// A `[name]` header written before a `[[name]]` one: the first entry of a list written as
/// a single table, which makes the parser see `name` twice.
struct SingleTable<'b> {
    /// The header's name (`members`).
    name: &'b str,
    /// Where `[name]` is written in the body, and its line (1-based).
    start: usize,
    end: usize,
    line: usize,
}

impl SingleTable<'_> {
    /// The duplicate key's diagnostic, saying what happened, with the fix at `[name]`.
    fn explain(&self, diagnostic: Diagnostic, file: FileId, base: usize) -> Diagnostic {
        let name = printable(self.name);
        let span = Span::new(file, self.start.saturating_add(base), self.end.saturating_add(base));
        let mut diagnostic =
            diagnostic.with_label(span, format!("`[{name}]` starts a single table")).with_help(format!(
                "`[{name}]` (line {}) starts a single table, and `[[{name}]]` an entry of a list: write \
                 `[[{name}]]` there too, so that every entry is in the list",
                self.line
            ));
        diagnostic.fixes = vec![Fix {
            title: format!("write `[[{name}]]` at line {}", self.line),
            edits: vec![TextEdit { span, text: format!("[[{}]]", self.name) }],
        }];
        diagnostic
    }
}

/// When the line holding `at` is a `[[name]]` header and an earlier line is a `[name]`
/// header, that earlier header.
fn single_table_before_a_list(body: &str, at: usize) -> Option<SingleTable<'_>> {
    let line_start = body.get(..at)?.rfind('\n').map_or(0, |newline| newline + 1);
    let line = body.get(line_start..)?.lines().next()?;
    let name = header_name(line, true)?;
    let mut offset = 0;
    for (index, earlier) in body.get(..line_start)?.split_inclusive('\n').enumerate() {
        if header_name(earlier, false) == Some(name) {
            let start = offset + earlier.find('[')?;
            let end = offset + earlier.find(']')? + 1;
            return Some(SingleTable { name, start, end, line: index + 1 });
        }
        offset += earlier.len();
    }
    None
}

/// The name of a table header line (`[name]`, or `[[name]]` when `list`), comments and
/// spaces around it aside.
fn header_name(line: &str, list: bool) -> Option<&str> {
    let line = line.split('#').next()?.trim();
    let inner = if list {
        line.strip_prefix("[[")?.strip_suffix("]]")?
    } else {
        line.strip_prefix('[')?.strip_suffix(']').filter(|inner| !inner.starts_with('['))?
    };
    let name = inner.trim();
    (!name.is_empty() && !name.contains(['[', ']', '"', '\''])).then_some(name)
}
