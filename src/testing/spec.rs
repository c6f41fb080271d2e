//! The `*.tests.toml` format: policy tests, each a constitution (a file beside the tests, or
//! written inline) judged at a date, with the outcomes some rules must have.
//!
//! ```toml
//! [[test]]
//! name = "step-in missing"
//! constitution = "fixtures/no_step_in.toml"   # relative to this file; or inline [test.document]
//! as_of = 2026-04-01
//! expect = { "control.step_in" = "fail", "procurement.reserved_term" = { "Mutual contract" = "fail" } }
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::Deserialize;

use crate::diagnostic::Outcome;

/// A tests file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestsFile {
    /// The tests, in order.
    #[serde(default)]
    pub test: Vec<TestSpec>,
}

/// One test as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    /// What it checks, in a few words; unique in its file.
    pub name: String,
    /// The constitution, relative to the tests file.
    pub constitution: Option<String>,
    /// The constitution written inline.
    pub document: Option<toml::Table>,
    /// The date rules are judged at (default: the command's `--as-of`, else today).
    pub as_of: Option<toml::value::Datetime>,
    /// Outcomes by rule id: one outcome, or one per element name for a per-element rule.
    #[serde(default)]
    pub expect: BTreeMap<String, Expected>,
}

/// The outcome (or outcomes by element) a test expects of one rule.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// The rule's outcome (the first element's, for a per-element rule).
    Outcome(String),
    /// The outcome of each element named.
    Elements(BTreeMap<String, String>),
}

/// An outcome as a test names it: `pass`, `fail`, `not_applicable`, `undetermined`, `waived`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeName(pub Outcome);

impl FromStr for OutcomeName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        text.parse().map(OutcomeName)
    }
}

/// The name tests, JSON and `compare` use for an outcome.
pub fn outcome_name(outcome: Outcome) -> &'static str {
    outcome.as_str()
}
