//! The `github` output format.
