//! `trustcheck check [PATH]...`: check constitutions against the policy set.

use std::path::PathBuf;

use clap::Args;

use crate::run::CheckOptions;

use super::Context;
use super::options::{PolicyArgs, ReportArgs};
use super::output::{emit_report, policy_set, project};
use crate::project::discover::{constitution_inputs, glob_inputs};

/// Flags of `check`.
#[derive(Clone, Debug, Default, Args)]
pub struct CheckArgs {
    /// Constitutions (`.toml` files) or folders searched recursively for them. Default:
    /// the `constitutions` globs of `trustcheck.toml`, else the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How to report.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Runs `check` and returns its exit code.
pub fn run(args: &CheckArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.report.as_of();
    let project = match project(context) {
        Ok(project) => project,
        Err(error) => return emit_report(&error.into_report(as_of), &args.report, context),
    };
    let globs = project.as_ref().and_then(|project| Some((project, project.constitutions.as_ref()?)));
    let inputs = if !args.paths.is_empty() {
        constitution_inputs(&context.cwd, &args.paths)
    } else if let Some((project, patterns)) = globs {
        let (inputs, unmatched) = glob_inputs(&project.root_display, &project.root, patterns);
        for pattern in unmatched {
            let _ = writeln!(
                context.stderr,
                "warning: `constitutions` pattern `{}` in trustcheck.toml matches no file",
                crate::sanitize::line(&pattern)
            );
        }
        inputs
    } else {
        constitution_inputs(&context.cwd, &[PathBuf::from(".")])
    };
    if inputs.is_empty() {
        // Checking nothing is never a pass: a folder of links that could not be followed,
        // or a mistyped path, must not look like a clean run.
        let _ = writeln!(
            context.stderr,
            "error: no constitution (`.toml` file) found to check; name a file or a folder that holds one"
        );
        return 2;
    }
    let policies = policy_set(&args.policy, project.as_ref(), context);
    let mut options = CheckOptions::as_of(as_of);
    if let (Some(project), true) = (&project, policies.is_valid()) {
        match project.settings_for(&policies, as_of) {
            Ok((settings, expired)) => {
                for line in expired {
                    let _ = writeln!(context.stderr, "warning: {}", crate::sanitize::line(&line));
                }
                options = options.with_settings(settings);
            }
            Err(report) => return emit_report(&report, &args.report, context),
        }
    }
    let report = policies.check_inputs(inputs, &options);
    emit_report(&report, &args.report, context)
}
