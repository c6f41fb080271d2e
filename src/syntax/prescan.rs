//! A linear scan of policy tokens before pest sees the text: unclosed strings, unbalanced
//! brackets and nesting deeper than the limit, each reported where it starts.
//!
//! pest's parser and the Pratt parser recurse, so nesting depth must be bounded before
//! parsing. Depth counts open brackets, the words that open a nested expression (`all`,
//! `any`, `if`, `then`, `else`) until their bracket closes, and the run of prefix operators
//! (`not`, `-`) before the operand they apply to, skipping strings and comments. Infix
//! operators do not nest: a chain of any length is parsed flat.

use std::ops::Range;

use super::lexer::{TokenKind, tokens};
use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::limits::MAX_POLICY_DEPTH;
use crate::source::{FileId, Span};

/// Words that start a new clause: the prefix-operator count starts again after them.
const CLAUSE_WORDS: &[&str] = &[
    "record", "enum", "root", "extend", "policy", "rule", "let", "cite", "url", "when", "require", "unless", "message",
    "help", "at",
];

/// Words that nest the expression that follows them.
const NESTING_WORDS: &[&str] = &["all", "any", "if", "then", "else"];

/// Nesting beyond brackets: the nesting words of each open bracket (and of the clause outside
/// them), and the prefix operators waiting for their operand.
#[derive(Default)]
struct Depth {
    /// Nesting words counted at each bracket level; the last is the innermost.
    words: Vec<usize>,
    /// Nesting words outside every bracket of the current clause.
    outer_words: usize,
    /// The sum of `words` and `outer_words`.
    words_total: usize,
    /// Prefix operators since the last operand.
    prefix_run: usize,
}

impl Depth {
    fn total(&self) -> usize {
        self.words_total + self.prefix_run
    }

    fn open(&mut self) {
        self.words.push(0);
        self.prefix_run = 0;
    }

    fn close(&mut self) {
        let closed = self.words.pop().unwrap_or(0);
        self.words_total -= closed.min(self.words_total);
        self.prefix_run = 0;
    }

    fn clause(&mut self) {
        let current = self.words.last_mut().unwrap_or(&mut self.outer_words);
        self.words_total -= (*current).min(self.words_total);
        *current = 0;
        self.prefix_run = 0;
    }

    fn nest(&mut self) {
        *self.words.last_mut().unwrap_or(&mut self.outer_words) += 1;
        self.words_total += 1;
        self.prefix_run = 0;
    }

    fn prefix(&mut self) {
        self.prefix_run += 1;
    }

    fn operand(&mut self) {
        self.prefix_run = 0;
    }
}

/// Scans `text` (the whole file) and returns the problems found; empty when pest may run.
pub fn prescan(text: &str, file: FileId) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    let mut opens: Vec<(u8, usize)> = Vec::new();
    let mut depth = Depth::default();
    let mut errors = Vec::new();
    for token in tokens(text) {
        let Range { start, end } = token.range.clone();
        match token.kind {
            kind if kind.is_trivia() => continue,
            TokenKind::UnclosedString => {
                errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicySyntax,
                        "this string is never closed",
                        Some(Span::new(file, start, start + 1)),
                    )
                    .with_label_message("the string starts here")
                    .with_help("add the closing `\"` at the end of the text"),
                );
                return errors;
            }
            TokenKind::Open => {
                opens.push((bytes.get(start).copied().unwrap_or(b'('), start));
                depth.open();
            }
            TokenKind::Close => {
                let byte = bytes.get(start).copied().unwrap_or(b')');
                let expected = match byte {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match opens.pop() {
                    Some((open, _)) if open == expected => depth.close(),
                    Some((open, at)) => {
                        errors.push(mismatch(file, start, byte, open, at));
                        return errors;
                    }
                    None => {
                        errors.push(
                            Diagnostic::new(
                                BuiltinCode::PolicySyntax,
                                format!("unexpected `{}`: nothing is open here", byte as char),
                                Some(Span::new(file, start, end)),
                            )
                            .with_help("remove it, or add the opening bracket it closes"),
                        );
                        return errors;
                    }
                }
            }
            TokenKind::Punct if token.text(text) == "-" => depth.prefix(),
            TokenKind::Word => {
                let word = token.text(text);
                if CLAUSE_WORDS.contains(&word) {
                    depth.clause();
                } else if NESTING_WORDS.contains(&word) {
                    depth.nest();
                } else if word == "not" {
                    depth.prefix();
                } else {
                    depth.operand();
                }
            }
            TokenKind::String | TokenKind::Number | TokenKind::Percent | TokenKind::Money | TokenKind::Date => {
                depth.operand();
            }
            _ => {}
        }
        if opens.len() + depth.total() > MAX_POLICY_DEPTH {
            errors.push(too_deep(file, start, end));
            return errors;
        }
    }
    if let Some((open, at)) = opens.last() {
        let close = match open {
            b'(' => ')',
            b'[' => ']',
            _ => '}',
        };
        errors.push(
            Diagnostic::new(
                BuiltinCode::PolicySyntax,
                format!("this `{}` is never closed", *open as char),
                Some(Span::new(file, *at, at + 1)),
            )
            .with_label_message("opened here")
            .with_help(format!("add `{close}` where it should end")),
        );
    }
    errors
}

fn mismatch(file: FileId, index: usize, found: u8, open: u8, at: usize) -> Diagnostic {
    let close = match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    };
    Diagnostic::new(
        BuiltinCode::PolicySyntax,
        format!("expected `{close}`, found `{}`", found as char),
        Some(Span::new(file, index, index + 1)),
    )
    .with_label(Span::new(file, at, at + 1), format!("this `{}` is not closed", open as char))
    .with_help(format!("close the `{}` with `{close}` first", open as char))
}

fn too_deep(file: FileId, start: usize, end: usize) -> Diagnostic {
    Diagnostic::new(
        BuiltinCode::LimitDepth,
        format!("this expression nests more than {MAX_POLICY_DEPTH} levels deep"),
        Some(Span::new(file, start, end)),
    )
    .with_help("split the expression into named parts with `let`")
}
