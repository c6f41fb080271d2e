//! The syntax of the policy language: text → spanned AST. pest stays inside this module.
//!
//! [`parse`] first runs `prescan` (unclosed strings and brackets, nesting depth) so that
//! pest's recursive descent never sees input deep enough to exhaust the stack, then builds
//! the AST with `parser`. Callers must leave it [`crate::limits::PARSER_STACK_RED_ZONE`] of
//! stack (the policy set grows the stack onto the heap when a thread has less).

pub mod ast;
mod errors;
pub mod lexer;
mod parser;
mod prescan;

pub use errors::rule_name;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Parses one policy file's text into its AST, or returns its syntax errors.
pub fn parse(text: &str, file: FileId) -> Result<ast::File, Vec<Diagnostic>> {
    let problems = prescan::prescan(text, file);
    if !problems.is_empty() {
        return Err(problems);
    }
    parser::parse_file(text, file)
}
