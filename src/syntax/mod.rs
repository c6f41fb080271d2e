//! The syntax of the policy language: text → spanned AST. pest stays inside this module.
