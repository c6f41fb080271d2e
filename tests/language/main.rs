//! Tests of the policy language: parsing, static checking and evaluation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

mod evaluate;
mod namespaces;
mod support;
mod syntax;
mod typecheck;
