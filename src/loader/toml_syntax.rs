//! Turning the `toml` parser's errors into `toml.syntax` diagnostics in plain words.
//!
//! The parser's message ("unclosed table, expected `]`") is split into what is wrong
//! (the message) and what was expected (the help); a few messages are reworded for
//! readers who do not know TOML's vocabulary. Nesting past the parser's guard is reported
//! as `limit.depth`.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

use super::context::printable;

/// The parser's words for nesting past its recursion guard (values, then keys).
const TOO_DEEP: [&str; 2] = ["cannot recurse further", "recursion limit"];

/// One diagnostic per distinct parser error. `base` is the length of the byte-order
/// mark skipped before `body` (the parsed text), so that spans index the whole file.
pub(super) fn diagnostics(errors: &[toml::de::Error], file: FileId, base: usize, body: &str) -> Vec<Diagnostic> {
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
        let diagnostic = diagnostic(error.message(), unexpected, span);
        if !diagnostics.contains(&diagnostic) {
            diagnostics.push(diagnostic);
        }
    }
    diagnostics
}

/// The diagnostic for one parser message; `unexpected` is the text at `span`.
fn diagnostic(raw: &str, unexpected: &str, span: Span) -> Diagnostic {
    if TOO_DEEP.iter().any(|prefix| raw.starts_with(prefix)) {
        return Diagnostic::error("limit.depth", "tables, lists or dotted keys are nested too deeply", Some(span))
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
    Diagnostic::error("toml.syntax", message, Some(span)).with_optional_help(help)
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
