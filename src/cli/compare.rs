//! `trustcheck compare A.toml B.toml …`: the options appraisal of several constitutions.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::compare::{compare, human, json, markdown};
use crate::project::discover::constitution_inputs;
use crate::run::CheckOptions;

use super::Context;
use super::options::{PolicyArgs, parse_date};
use super::output::{emit_report, judging_options, policy_set, usable_project, write_out};
use crate::clock::today;

/// Flags of `compare`.
#[derive(Clone, Debug, Default, Args)]
pub struct CompareArgs {
    /// The options: two or more constitutions.
    #[arg(value_name = "CONSTITUTION", num_args = 2.., required = true)]
    pub paths: Vec<PathBuf>,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date rules are judged at (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Human)]
    pub format: CompareFormat,
    /// The criteria to score by, by name, comma-separated (default: every criterion).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub criteria: Vec<String>,
}

/// The output formats of `compare`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// For the terminal.
    #[default]
    Human,
    /// For a cabinet paper.
    Markdown,
    /// One JSON document.
    Json,
    /// One self-contained HTML file for a committee paper (prints to A4).
    Html,
}

/// Runs `compare` and returns its exit code: 0, or 2 when an option or the policy set cannot
/// be used. (The appraisal informs a decision; it does not fail a build.)
pub fn run(args: &CompareArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.as_of.unwrap_or_else(today);
    let project = match usable_project(&args.policy, &super::options::ReportArgs::default(), context, as_of) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let policies = policy_set(&args.policy, project.as_ref(), context);
    if !policies.is_valid() {
        let report = policies.validation_report(&CheckOptions::as_of(as_of));
        return emit_report(&report, &super::options::ReportArgs::default(), context).max(2);
    }
    let all = &policies.program().criteria;
    let unknown: Vec<&String> = args.criteria.iter().filter(|name| !all.iter().any(|c| &c.name == *name)).collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = all.iter().map(|criterion| criterion.name.as_str()).collect();
        let _ = writeln!(
            context.stderr,
            "error: no criterion named {}; the policy set's criteria are {}",
            unknown.iter().map(|name| format!("`{}`", crate::sanitize::line(name))).collect::<Vec<_>>().join(", "),
            known.join(", ")
        );
        return 2;
    }
    let criteria: Vec<_> = all
        .iter()
        .filter(|criterion| args.criteria.is_empty() || args.criteria.iter().any(|wanted| criterion.name == *wanted))
        .cloned()
        .collect();
    let inputs = constitution_inputs(&context.cwd, &args.paths);
    let names: Vec<String> = inputs
        .iter()
        .map(|input| {
            let text = input.bytes.as_ref().ok().and_then(|bytes| std::str::from_utf8(bytes).ok());
            let table = text.and_then(|text| text.parse::<toml::Table>().ok());
            let name = table.as_ref().and_then(|table| table.get("trust")?.get("name")?.as_str().map(str::to_owned));
            name.unwrap_or_else(|| input.name.clone())
        })
        .collect();
    let options = match judging_options(project.as_ref(), &policies, as_of) {
        Ok(options) => options,
        Err(report) => return emit_report(&report, &super::options::ReportArgs::default(), context).max(2),
    };
    let report = policies.check_inputs(inputs, &options);
    let unchecked = report.files.iter().any(|file| file.status == crate::report::FileStatus::Error);
    let comparison = compare(&report, &criteria, &names);
    let text = match args.format {
        CompareFormat::Human => human(&comparison),
        CompareFormat::Markdown => markdown(&comparison),
        CompareFormat::Json => json(&comparison),
        CompareFormat::Html => crate::html::comparison(&comparison, &report, &policies.fingerprint()),
    };
    for file in report.files.iter().filter(|file| file.status == crate::report::FileStatus::Error) {
        let first =
            file.diagnostics.iter().find(|diagnostic| diagnostic.severity == crate::diagnostic::Severity::Error);
        let path = crate::sanitize::line(&file.path);
        let word = crate::sanitize::shell_word(&file.path);
        let _ = match first {
            Some(error) => writeln!(
                context.stderr,
                "error: `{path}` could not be checked: {}\n  help: `trustcheck check {word}` shows every error and where it is",
                crate::sanitize::line(&error.message)
            ),
            None => {
                writeln!(context.stderr, "error: `{path}` could not be checked; `trustcheck check {word}` says why")
            }
        };
    }
    match (write_out(context, &text), unchecked) {
        (true, false) => 0,
        _ => 2,
    }
}
