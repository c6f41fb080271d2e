//! Strings and messages: escapes, line folding, and `{expr}` interpolation.

use pest::Parser as _;
use pest::iterators::Pair;

use super::{Builder, PolicyParser, Result, Rule, children};
use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::errors::syntax_error;

impl Builder<'_> {
    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Result<StrLit> {
        let span = self.span(&pair);
        let raw = children(pair).next().map_or("", |text| text.as_str());
        Ok(StrLit { value: unescape(raw), span })
    }

    pub(super) fn template(&self, pair: Pair<'_, Rule>) -> Result<Template> {
        let span = self.span(&pair);
        let Some(text) = children(pair).next() else {
            return Ok(Template { parts: Vec::new(), span });
        };
        let base = text.as_span().start() + self.offset;
        let raw = text.as_str();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = raw.char_indices().peekable();
        while let Some((index, ch)) = chars.next() {
            match ch {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        literal.push(escaped_char(escaped));
                    }
                }
                '{' if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().is_some_and(|(_, next)| *next == '}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let start = index + 1;
                    let mut end = None;
                    for (close, ch) in chars.by_ref() {
                        if ch == '}' {
                            end = Some(close);
                            break;
                        }
                    }
                    let Some(end) = end else {
                        return Err(Box::new(
                            Diagnostic::new(
                                BuiltinCode::PolicySyntax,
                                "this `{` in the text is never closed",
                                Some(Span::new(self.file, base + index, base + index + 1)),
                            )
                            .with_help("close the interpolation with `}`, or write `{{` for a literal brace"),
                        ));
                    };
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                    }
                    let inner = raw.get(start..end).unwrap_or("");
                    parts.push(TemplatePart::Expr(self.interpolation(inner, base + start)?));
                }
                '\n' => {
                    // A line break in the source, with the indentation around it, is one space.
                    let trimmed = literal.trim_end().len();
                    literal.truncate(trimmed);
                    literal.push(' ');
                    while chars.peek().is_some_and(|(_, next)| next.is_whitespace()) {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(Box::new(
                        Diagnostic::new(
                            BuiltinCode::PolicySyntax,
                            "unexpected `}` in the text",
                            Some(Span::new(self.file, base + index, base + index + 1)),
                        )
                        .with_help("write `}}` for a literal brace"),
                    ));
                }
                _ => literal.push(ch),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        Ok(Template { parts, span })
    }

    fn interpolation(&self, inner: &str, offset: usize) -> Result<Expr> {
        let pairs = PolicyParser::parse(Rule::interpolation, inner)
            .map_err(|error| Box::new(syntax_error(&error, self.text, self.file, offset)))?;
        let builder = Builder { file: self.file, offset, text: self.text };
        let span = Span::new(self.file, offset, offset + inner.len());
        let mut pairs = pairs;
        let interpolation = builder.next(&mut pairs, span, "interpolation")?;
        let mut inner_pairs = interpolation.into_inner();
        builder.expr(builder.next(&mut inner_pairs, span, "interpolation")?)
    }
}

fn escaped_char(ch: char) -> char {
    match ch {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

/// Resolves escapes and folds each line break (with the indentation around it) into one space,
/// so long texts can be wrapped in the source.
fn unescape(raw: &str) -> String {
    let folded = collapse(raw);
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped_char(escaped));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Folds line breaks in source text, with surrounding indentation, into single spaces.
fn collapse(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_owned();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let line = if index > 0 { line.trim_start() } else { line };
            if index < last { line.trim_end() } else { line }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
