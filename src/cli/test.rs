//! `trustcheck test`: run the policy tests of `*.tests.toml` files.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::project::discover::{FoundFiles, files_for};
use crate::testing::{TestRun, is_tests_file_name, render};

use super::Context;
use super::options::{PolicyArgs, parse_date};
use super::output::{emit_report, policy_set, usable_project, usable_project_at, write_out};
use crate::clock::today;

/// Tests files as (path as shown, path to open).
type TestsFiles = Vec<(String, PathBuf)>;

/// Flags of `test`.
#[derive(Clone, Debug, Default, Args)]
pub struct TestArgs {
    /// Tests files, or folders searched for `*.tests.toml` (default: the project's folder,
    /// where `trustcheck.toml` is, else the working folder).
    pub paths: Vec<PathBuf>,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date tests without their own `as_of` are judged at (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Report, rule by rule, whether the tests saw it pass and fail.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when coverage is under this percentage.
    #[arg(long, value_name = "PERCENT")]
    pub coverage_min: Option<f64>,
}

/// The output formats of `test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// For a person; closes with `N passed, N failed`.
    #[default]
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI dashboards.
    Junit,
}

/// Runs `test` and returns its exit code.
pub fn run(args: &TestArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.as_of.unwrap_or_else(today);
    let report = super::options::ReportArgs::default();
    let project = match usable_project(&args.policy, &report, context, as_of) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let (display, root) = match &project {
        Some(project) => (project.root_display.clone(), project.root.clone()),
        None => (".".to_owned(), context.cwd.clone()),
    };
    let FoundFiles { files, problems } = files_for(&context.cwd, &args.paths, (&display, &root), &is_tests_file_name);
    if !problems.is_empty() {
        for (folder, reason) in problems {
            let _ = writeln!(context.stderr, "error: cannot search `{}`: {reason}", crate::sanitize::line(&folder));
        }
        return 2;
    }
    if files.is_empty() {
        let _ = writeln!(context.stderr, "error: no tests file (`*.tests.toml`) found");
        return 2;
    }
    // Each tests file runs against the policy set of the nearest `trustcheck.toml` above it
    // (else the working folder's, else the standard library), unless `--policy` is given.
    let mut results: Option<TestRun> = None;
    let mut groups: Vec<(Option<PathBuf>, TestsFiles)> = Vec::new();
    for (display, path) in files {
        let root =
            if args.policy.policy.is_empty() { path.parent().and_then(crate::project::nearest_root) } else { None };
        match groups.iter_mut().find(|(known, _)| *known == root) {
            Some((_, group)) => group.push((display, path)),
            None => groups.push((root, vec![(display, path)])),
        }
    }
    for (root, group) in groups {
        let group_project =
            match usable_project_at(root.as_deref(), project.as_ref(), &args.policy, &report, context, as_of) {
                Ok(project) => project,
                Err(code) => return code,
            };
        let policies = policy_set(&args.policy, group_project.as_ref().or(project.as_ref()), context);
        if !policies.is_valid() {
            let invalid = policies.validation_report(&crate::run::CheckOptions::as_of(as_of));
            return emit_report(&invalid, &report, context).max(2);
        }
        let run = TestRun::run(&policies, &group, as_of);
        results = Some(match results {
            None => run,
            Some(mut all) => {
                all.files.extend(run.files);
                for (rule, seen) in run.coverage.rules {
                    all.coverage.rules.entry(rule).or_default().extend(seen);
                }
                all
            }
        });
    }
    let Some(results) = results else { return 2 };
    let text = match args.format {
        TestFormat::Human => render::human(&results, args.coverage || args.coverage_min.is_some()),
        TestFormat::Json => render::json(&results),
        TestFormat::Junit => render::junit(&results),
    };
    let code = results.exit_code(args.coverage_min);
    if write_out(context, &text) { code } else { 2 }
}
