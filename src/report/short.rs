//! The `short` output format.
