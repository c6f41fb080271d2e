//! The `json` output format.
