//! `trustcheck diff OLD.toml NEW.toml`: what changed between two drafts of a constitution.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::draft_diff::{diff, json, render};
use crate::project::discover::resolve;
use crate::run::Input;

use super::Context;
use super::options::{PolicyArgs, parse_date};
use super::output::{emit_report, judging_options, policy_set, usable_project, write_out};
use crate::clock::today;

/// Flags of `diff`.
#[derive(Clone, Debug, Args)]
pub struct DiffArgs {
    /// The earlier draft.
    pub old: PathBuf,
    /// The later draft.
    pub new: PathBuf,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date rules are judged at (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
}

/// The output formats of `diff`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For the terminal.
    #[default]
    Human,
    /// For a report.
    Markdown,
    /// One JSON document.
    Json,
}

/// Runs `diff` and returns its exit code: 0, or 2 when a draft cannot be checked.
pub fn run(args: &DiffArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.as_of.unwrap_or_else(today);
    let project = match usable_project(&args.policy, &super::options::ReportArgs::default(), context, as_of) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let policies = policy_set(&args.policy, project.as_ref(), context);
    let read = |path: &PathBuf| {
        let mut input = Input::read(&resolve(&context.cwd, path));
        input.name = crate::run::display_path(path);
        input
    };
    let inputs = vec![read(&args.old), read(&args.new)];
    let texts: Vec<String> = inputs
        .iter()
        .map(|input| {
            input.bytes.as_ref().ok().map(|bytes| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default()
        })
        .collect();
    let options = match judging_options(project.as_ref(), &policies, as_of) {
        Ok(options) => options,
        Err(report) => return emit_report(&report, &super::options::ReportArgs::default(), context).max(2),
    };
    let report = policies.check_inputs(inputs, &options);
    let (Some(old), Some(new), [old_text, new_text]) = (report.files.first(), report.files.get(1), texts.as_slice())
    else {
        return emit_report(&report, &super::options::ReportArgs::default(), context).max(2);
    };
    if [old, new].iter().any(|file| file.status == crate::report::FileStatus::Error) {
        return emit_report(&report, &super::options::ReportArgs::default(), context).max(2);
    }
    let difference = diff((old_text, old), (new_text, new));
    let text = match args.format {
        DiffFormat::Human => render(&difference, false),
        DiffFormat::Markdown => render(&difference, true),
        DiffFormat::Json => json(&difference),
    };
    if write_out(context, &text) { 0 } else { 2 }
}
