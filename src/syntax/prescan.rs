//! A linear scan of policy text before pest sees it: unclosed strings, unbalanced brackets
//! and nesting deeper than the limit, each reported where it starts.
//!
//! pest's parser and the Pratt parser recurse, so nesting depth must be bounded before
//! parsing. Depth counts open brackets plus the prefix operators and quantifiers (`not`,
//! unary `-`, `all`, `any`, `if`) of the current clause, skipping strings and comments.

use crate::limits::MAX_POLICY_DEPTH;
use crate::report::Diagnostic;
use crate::source::{FileId, Span};

/// Words that start a new clause: the prefix-operator count starts again after them.
const CLAUSE_WORDS: &[&str] = &[
    "record", "enum", "root", "extend", "policy", "rule", "let", "cite", "url", "when", "require", "unless", "message",
    "help", "at",
];

/// Words that nest the expression that follows them.
const NESTING_WORDS: &[&str] = &["not", "all", "any", "if", "then", "else"];

/// Scans `text` (the whole file) and returns the problems found; empty when pest may run.
pub fn prescan(text: &str, file: FileId) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    let mut opens: Vec<(u8, usize)> = Vec::new();
    let mut nesting_words = 0usize;
    let mut index = 0usize;
    let mut errors = Vec::new();
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                while bytes.get(index).is_some_and(|b| *b != b'\n') {
                    index += 1;
                }
                continue;
            }
            b'"' => match string_end(bytes, index) {
                Some(end) => {
                    index = end;
                    continue;
                }
                None => {
                    errors.push(
                        Diagnostic::error(
                            "policy.syntax",
                            "this string is never closed",
                            Some(Span::new(file, index, index + 1)),
                        )
                        .with_label_message("the string starts here")
                        .with_help("add the closing `\"` at the end of the text"),
                    );
                    return errors;
                }
            },
            b'(' | b'[' | b'{' => {
                opens.push((byte, index));
                if byte == b'{' {
                    nesting_words = 0;
                }
            }
            b')' | b']' | b'}' => {
                let expected = match byte {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match opens.pop() {
                    Some((open, _)) if open == expected => {}
                    Some((open, at)) => {
                        errors.push(mismatch(file, index, byte, open, at));
                        return errors;
                    }
                    None => {
                        errors.push(
                            Diagnostic::error(
                                "policy.syntax",
                                format!("unexpected `{}`: nothing is open here", byte as char),
                                Some(Span::new(file, index, index + 1)),
                            )
                            .with_help("remove it, or add the opening bracket it closes"),
                        );
                        return errors;
                    }
                }
                if byte == b'}' {
                    nesting_words = 0;
                }
            }
            b'-' if !index.checked_sub(1).and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit) => {
                nesting_words += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = index;
                while bytes.get(index).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                    index += 1;
                }
                let word = text.get(start..index).unwrap_or("");
                if CLAUSE_WORDS.contains(&word) {
                    nesting_words = 0;
                } else if NESTING_WORDS.contains(&word) {
                    nesting_words += 1;
                }
                if opens.len() + nesting_words > MAX_POLICY_DEPTH {
                    errors.push(too_deep(file, start, index));
                    return errors;
                }
                continue;
            }
            _ => {}
        }
        if opens.len() + nesting_words > MAX_POLICY_DEPTH {
            errors.push(too_deep(file, index, index + 1));
            return errors;
        }
        index += 1;
    }
    if let Some((open, at)) = opens.last() {
        let close = match open {
            b'(' => ')',
            b'[' => ']',
            _ => '}',
        };
        errors.push(
            Diagnostic::error(
                "policy.syntax",
                format!("this `{}` is never closed", *open as char),
                Some(Span::new(file, *at, at + 1)),
            )
            .with_label_message("opened here")
            .with_help(format!("add `{close}` where it should end")),
        );
    }
    errors
}

/// The index just past the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut index = start + 1;
    loop {
        match bytes.get(index)? {
            b'\\' => index += 2,
            b'"' => return Some(index + 1),
            _ => index += 1,
        }
    }
}

fn mismatch(file: FileId, index: usize, found: u8, open: u8, at: usize) -> Diagnostic {
    let close = match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    };
    Diagnostic::error(
        "policy.syntax",
        format!("expected `{close}`, found `{}`", found as char),
        Some(Span::new(file, index, index + 1)),
    )
    .with_label(Span::new(file, at, at + 1), format!("this `{}` is not closed", open as char))
    .with_help(format!("close the `{}` with `{close}` first", open as char))
}

fn too_deep(file: FileId, start: usize, end: usize) -> Diagnostic {
    Diagnostic::error(
        "limit.depth",
        format!("this expression nests more than {MAX_POLICY_DEPTH} levels deep"),
        Some(Span::new(file, start, end)),
    )
    .with_help("split the expression into named parts with `let`")
}
