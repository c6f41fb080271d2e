//! `trustcheck validate`: parse and type-check the policy set alone.

use clap::Args;

use crate::run::CheckOptions;

use super::Context;
use super::options::{PolicyArgs, ReportArgs};
use super::output::{emit_report, policy_set, usable_project};

/// Flags of `validate`.
#[derive(Clone, Debug, Default, Args)]
pub struct ValidateArgs {
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How to report.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Runs `validate` and returns its exit code.
pub fn run(args: &ValidateArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.report.as_of();
    let project = match usable_project(&args.policy, &args.report, context, as_of) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let policies = policy_set(&args.policy, project.as_ref(), context);
    if let (Some(project), true) = (&project, policies.is_valid()) {
        // Errors in the settings make the set unusable; a setting that has expired is
        // `check`'s to report, beside the constitutions it no longer applies to.
        if let Err(report) = project.settings_for(&policies, as_of) {
            return emit_report(&report, &args.report, context);
        }
    }
    let options = CheckOptions::as_of(as_of);
    emit_report(&policies.validation_report(&options), &args.report, context)
}
