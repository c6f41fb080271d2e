//! `trustcheck impact --old-policy A --new-policy B CORPUS…`: which constitutions change
//! outcome, rule by rule, when the policy set changes (a new threshold, a revised rule).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;
use serde::Serialize;

use crate::policy::PolicySet;
use crate::project::discover::{constitution_inputs, policy_sources};
use crate::report::FileReport;
use crate::run::CheckOptions;
use crate::sanitize;

use super::Context;
use super::options::parse_date;
use super::output::{emit_report, write_out};
use crate::clock::today;

/// Flags of `impact`.
#[derive(Clone, Debug, Args)]
pub struct ImpactArgs {
    /// The policy set before the change (a `.policy` file or folder, or `std`; repeatable).
    #[arg(long = "old-policy", required = true, value_name = "PATH")]
    pub old_policy: Vec<PathBuf>,
    /// The policy set after the change (repeatable).
    #[arg(long = "new-policy", required = true, value_name = "PATH")]
    pub new_policy: Vec<PathBuf>,
    /// The constitutions: files, or folders searched for them.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// The date rules are judged at (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Human)]
    pub format: ImpactFormat,
}

/// The output formats of `impact`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ImpactFormat {
    /// For the terminal.
    #[default]
    Human,
    /// One JSON document.
    Json,
}

/// One outcome that the change of policy set changes.
#[derive(Clone, Debug, Serialize)]
struct Change {
    rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
    old: &'static str,
    new: &'static str,
}

/// The changed outcomes of one constitution.
#[derive(Clone, Debug, Serialize)]
struct FileImpact {
    path: String,
    changes: Vec<Change>,
}

fn outcomes(file: &FileReport) -> BTreeMap<(String, Option<String>), &'static str> {
    file.outcomes
        .iter()
        .map(|result| ((result.rule.to_string(), result.element.clone()), result.outcome.as_str()))
        .collect()
}

/// Runs `impact` and returns its exit code: 0, or 2 when a policy set does not validate.
pub fn run(args: &ImpactArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.as_of.unwrap_or_else(today);
    let options = CheckOptions::as_of(as_of);
    let old = PolicySet::from_sources(policy_sources(".", &context.cwd, &args.old_policy));
    let new = PolicySet::from_sources(policy_sources(".", &context.cwd, &args.new_policy));
    for set in [&old, &new] {
        if !set.is_valid() {
            return emit_report(&set.validation_report(&options), &super::options::ReportArgs::default(), context)
                .max(2);
        }
    }
    let before = old.check_inputs(constitution_inputs(&context.cwd, &args.corpus), &options);
    let after = new.check_inputs(constitution_inputs(&context.cwd, &args.corpus), &options);
    let mut impacts = Vec::new();
    for (was, is) in before.files.iter().zip(&after.files) {
        let (was_outcomes, is_outcomes) = (outcomes(was), outcomes(is));
        let keys: std::collections::BTreeSet<&(String, Option<String>)> =
            was_outcomes.keys().chain(is_outcomes.keys()).collect();
        let changes: Vec<Change> = keys
            .into_iter()
            .filter_map(|key| {
                let (old, new) = (
                    was_outcomes.get(key).copied().unwrap_or("absent"),
                    is_outcomes.get(key).copied().unwrap_or("absent"),
                );
                (old != new).then(|| Change { rule: key.0.clone(), element: key.1.clone(), old, new })
            })
            .collect();
        impacts.push(FileImpact { path: is.path.clone(), changes });
    }
    let text = match args.format {
        ImpactFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&serde_json::json!({"as_of": as_of.to_string(), "files": impacts}))
                    .unwrap_or_default();
            text.push('\n');
            text
        }
        ImpactFormat::Human => {
            let mut out = String::new();
            let changed = impacts.iter().filter(|impact| !impact.changes.is_empty()).count();
            for impact in impacts.iter().filter(|impact| !impact.changes.is_empty()) {
                let _ = writeln!(out, "{}", sanitize::line(&impact.path));
                for change in &impact.changes {
                    let element = change.element.as_deref().map(|name| format!(" [{name}]")).unwrap_or_default();
                    let _ =
                        writeln!(out, "  {}{}: {} → {}", change.rule, sanitize::line(&element), change.old, change.new);
                }
            }
            let _ = writeln!(
                out,
                "{changed} of {} constitutions change outcome; rules judged as of {as_of}",
                impacts.len()
            );
            out
        }
    };
    if write_out(context, &text) { 0 } else { 2 }
}
