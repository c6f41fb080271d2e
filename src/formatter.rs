//! `trustcheck fmt`'s printer: one canonical layout of a policy file, over the lexer's lossless
//! tokens, so that every comment and doc comment stays where it was written.
//!
//! What is canonical: indentation (two spaces for each open bracket, and one more step for a
//! line that continues an expression), the spaces between tokens (one, or none around `.`,
//! inside `(…)` and `[…]`, before `,` `:` `?` and a call's `(`, after a unary `-`), at most one
//! blank line in a row (none at the start, the end, or before a closing bracket), no trailing
//! spaces, and one line break at the end. What the author chose is kept: where lines break,
//! parentheses, the order of clauses and declarations, and every comment. A line break is only
//! ever removed from a run of blank lines, so the text of a string (even one that spans lines)
//! is never touched.
//!
//! [`format()`] is sound by construction and checked every time: the output must parse, must
//! hold the same tokens in the same order (whitespace apart), and must give the same syntax
//! tree as the input (positions apart); otherwise it is refused.

use std::sync::LazyLock;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::lexer::{Token, TokenKind, lex};

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse: its diagnostics.
    Syntax(Vec<Diagnostic>),
    /// The printer's output would not mean the same as the input (a defect of the printer,
    /// reported rather than written).
    Unsound(String),
}

/// The canonical layout of `text`, checked to mean exactly what `text` means.
pub fn format(text: &str, file: FileId) -> Result<String, FormatError> {
    let before = crate::syntax::parse(text, file).map_err(FormatError::Syntax)?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let formatted = print(body);
    let after = crate::syntax::parse(&formatted, file).map_err(|errors| {
        let first = errors.first().map_or_else(String::new, |error| error.message.clone());
        FormatError::Unsound(format!("the formatted text does not parse: {first}"))
    })?;
    if significant(body) != significant(&formatted) {
        return Err(FormatError::Unsound("the formatted text changes a token or a comment".to_owned()));
    }
    if without_spans(&format!("{before:?}")) != without_spans(&format!("{after:?}")) {
        return Err(FormatError::Unsound("the formatted text changes the syntax tree".to_owned()));
    }
    Ok(formatted)
}

/// The tokens that carry meaning, and the comments, with their text (trailing spaces of a
/// comment dropped).
fn significant(text: &str) -> Vec<(TokenKind, &str)> {
    lex(text)
        .into_iter()
        .filter(|token| !matches!(token.kind, TokenKind::Whitespace | TokenKind::Newline))
        .map(|token| {
            let text = token.text(text);
            let text =
                if matches!(token.kind, TokenKind::Comment | TokenKind::DocComment) { text.trim_end() } else { text };
            (token.kind, text)
        })
        .collect()
}

/// A syntax tree's debug form with every position erased.
fn without_spans(debug: &str) -> String {
    static SPAN: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"Span \{ file: FileId\(\d+\), start: \d+, end: \d+ \}").ok());
    match SPAN.as_ref() {
        Some(span) => span.replace_all(debug, "Span").into_owned(),
        None => debug.to_owned(),
    }
}

/// Words that are keywords: a `(` after one is not a call.
const KEYWORDS: &[&str] = &[
    "after",
    "all",
    "any",
    "and",
    "at",
    "by",
    "cite",
    "const",
    "contains",
    "draws",
    "else",
    "empty",
    "ends",
    "enum",
    "error",
    "event",
    "extend",
    "false",
    "for",
    "help",
    "if",
    "in",
    "includes",
    "invariant",
    "is",
    "key",
    "let",
    "list",
    "matches",
    "message",
    "most",
    "non",
    "not",
    "note",
    "of",
    "on",
    "or",
    "policy",
    "record",
    "ref",
    "require",
    "root",
    "rule",
    "set",
    "starts",
    "then",
    "true",
    "unless",
    "url",
    "warning",
    "weight",
    "when",
    "where",
    "with",
];

/// Words after which a `-` is unary.
const BEFORE_OPERAND: &[&str] = &[
    "and", "or", "not", "if", "then", "else", "require", "when", "unless", "at", "in", "contains", "where", "matches",
    "with",
];

/// Words and operators that continue an expression onto the next line when they end a line,
/// or when they begin one.
const CONTINUING: &[&str] = &[
    "and", "or", "then", "else", "where", "in", "+", "-", "*", "/", "==", "!=", "<", ">", "<=", ">=", "=", "=>", ":",
    "contains", "matches", "if",
];

/// The printer's state: the output, and the open brackets.
struct Printer<'t> {
    text: &'t str,
    out: String,
    /// The open brackets, innermost last.
    open: Vec<u8>,
    /// Whether a `-` written now would be unary: no operand ends just before it.
    operand_expected: bool,
    /// Whether the `-` just printed was unary.
    minus_was_unary: bool,
}

/// Prints `text` in the canonical layout (without checking it).
fn print(text: &str) -> String {
    let tokens = lex(text);
    let lines = split_lines(&tokens);
    let mut printer = Printer {
        text,
        out: String::with_capacity(text.len() + text.len() / 8),
        open: Vec::new(),
        operand_expected: true,
        minus_was_unary: false,
    };
    let mut blank_run = 0usize;
    let mut previous_code: Option<&Token> = None;
    for line in &lines {
        let code: Vec<&Token> = line.iter().filter(|token| token.kind != TokenKind::Whitespace).collect();
        let Some(first) = code.first() else {
            blank_run += 1;
            continue;
        };
        if blank_run > 0 && !printer.out.is_empty() && first.kind != TokenKind::Close {
            printer.out.push('\n');
        }
        blank_run = 0;
        let leading_closers = code.iter().take_while(|token| token.kind == TokenKind::Close).count();
        let mut depth = printer.open.len().saturating_sub(leading_closers);
        let continues = first.kind != TokenKind::Close
            && !matches!(first.kind, TokenKind::Comment | TokenKind::DocComment)
            && (printer.starts_continuation(first)
                || previous_code.is_some_and(|last| printer.ends_continuation(last)));
        if continues && printer.open.last() != Some(&b'(') && printer.open.last() != Some(&b'[') {
            depth += 1;
        }
        for _ in 0..depth {
            printer.out.push_str("  ");
        }
        printer.line(&code);
        printer.out.push('\n');
        if let Some(last) = code.iter().rev().find(|token| !token.kind.is_trivia()) {
            previous_code = Some(last);
        }
    }
    printer.out
}

/// The tokens of each line (a string that spans lines stays in the line it starts on).
fn split_lines(tokens: &[Token]) -> Vec<Vec<Token>> {
    let mut lines = vec![Vec::new()];
    for token in tokens {
        if token.kind == TokenKind::Newline {
            lines.push(Vec::new());
        } else if let Some(line) = lines.last_mut() {
            line.push(token.clone());
        }
    }
    lines
}

impl<'t> Printer<'t> {
    fn text_of(&self, token: &Token) -> &'t str {
        token.text(self.text)
    }

    fn starts_continuation(&self, token: &Token) -> bool {
        matches!(token.kind, TokenKind::Word | TokenKind::Punct) && {
            let text = self.text_of(token);
            CONTINUING.contains(&text) && !matches!(text, "-" | ":" | "=" | "in" | "if")
        }
    }

    fn ends_continuation(&self, token: &Token) -> bool {
        matches!(token.kind, TokenKind::Word | TokenKind::Punct) && CONTINUING.contains(&self.text_of(token))
    }

    /// Prints one line's tokens (whitespace already dropped) with canonical spaces, and keeps
    /// track of the brackets they open and close.
    fn line(&mut self, code: &[&Token]) {
        let mut previous: Option<&Token> = None;
        for token in code {
            let unary = self.operand_expected;
            if let Some(previous) = previous {
                if self.space_between(previous, token) {
                    self.out.push(' ');
                }
            }
            let text = self.text_of(token);
            let text =
                if matches!(token.kind, TokenKind::Comment | TokenKind::DocComment) { text.trim_end() } else { text };
            self.out.push_str(text);
            match token.kind {
                TokenKind::Open => self.open.push(text.as_bytes().first().copied().unwrap_or(b'(')),
                TokenKind::Close => {
                    self.open.pop();
                }
                _ => {}
            }
            if !token.kind.is_trivia() {
                self.operand_expected = match token.kind {
                    TokenKind::Open => true,
                    TokenKind::Punct => text != "?",
                    TokenKind::Word => BEFORE_OPERAND.contains(&text),
                    _ => false,
                };
            }
            self.minus_was_unary = token.kind == TokenKind::Punct && text == "-" && unary;
            previous = Some(token);
        }
    }

    /// Whether one space separates `a` and `b` on a line.
    fn space_between(&self, a: &Token, b: &Token) -> bool {
        let (a_text, b_text) = (self.text_of(a), self.text_of(b));
        if matches!(b.kind, TokenKind::Comment | TokenKind::DocComment) {
            return true;
        }
        match (a_text, b_text) {
            ("(" | "[", _) | (_, ")" | "]" | "," | "." | "?" | ":") | (".", _) => return false,
            ("{", "}") => return false,
            _ => {}
        }
        if b_text == "(" && a.kind == TokenKind::Word && !KEYWORDS.contains(&a_text) {
            return false;
        }
        if a_text == "-" && a.kind == TokenKind::Punct && self.minus_was_unary {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(text: &str) -> String {
        match format(text, FileId(0)) {
            Ok(out) => out,
            Err(error) => panic!("not formatted: {error:?}"),
        }
    }

    #[test]
    fn lays_out_a_messy_file_and_keeps_its_comments() {
        let messy = "\n\n// A messy file\n   /// Doc\nlet   x(c:Contract)=  c.annual_value*2   // trailing  \n\
                     policy  local \"Local\"{\nrule r error law \"T\" for c in contracts where c.annual_value>£1m{\n\
                     \x20     cite \"X\" url \"https://www.legislation.gov.uk/x\"\n  when not(c.reserved)   and\n\
                     \x20 c.annual_value >= -5\n    require x( c )<=£5m and c.award_route in [ vertical_in_house,joint_in_house ]\n\
                     \x20     help \"h\"\n\n\n\n  }\n}\n\n\n";
        let expected = "// A messy file\n/// Doc\nlet x(c: Contract) = c.annual_value * 2 // trailing\n\
                        policy local \"Local\" {\n  rule r error law \"T\" for c in contracts where c.annual_value > £1m {\n\
                        \x20   cite \"X\" url \"https://www.legislation.gov.uk/x\"\n    when not (c.reserved) and\n\
                        \x20     c.annual_value >= -5\n    require x(c) <= £5m and c.award_route in [vertical_in_house, joint_in_house]\n\
                        \x20   help \"h\"\n  }\n}\n";
        assert_eq!(formatted(messy), expected);
        assert_eq!(formatted(expected), expected, "formatting is idempotent");
    }

    #[test]
    fn strings_that_span_lines_are_left_as_written() {
        let text =
            "policy p \"P\" {\n  rule r note \"T\" {\n    require true\n    message \"one\n      two\"\n  }\n}\n";
        assert_eq!(formatted(text), text);
    }

    #[test]
    fn a_file_that_does_not_parse_is_refused() {
        assert!(matches!(format("policy p \"P\" {", FileId(0)), Err(FormatError::Syntax(_))));
    }

    #[test]
    fn binary_and_unary_minus_are_spaced_apart() {
        let text = "let a = 3-1\nlet b = -1\nlet c = 2 * - 1\nlet d = [- 1, 2]\n";
        assert_eq!(formatted(text), "let a = 3 - 1\nlet b = -1\nlet c = 2 * -1\nlet d = [-1, 2]\n");
    }
}
