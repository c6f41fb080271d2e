//! Tests of the policy language: parsing, static checking and evaluation.

mod evaluate;
mod support;
mod syntax;
mod typecheck;
