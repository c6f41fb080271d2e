//! `trustcheck rules`: list every rule of the policy set.

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::policy::PolicySet;
use crate::report::{Citation, RuleInfo, Severity};

use super::Context;
use super::options::PolicyArgs;
use super::output::{policy_set, project, write_out};

/// Flags of `rules`.
#[derive(Clone, Debug, Default, Args)]
pub struct RulesArgs {
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// The output formats of `rules`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One rule per line: id, severity, title; its citation below.
    #[default]
    Human,
    /// A JSON array of `{"id", "severity", "title", "citation": {"text", "url"}, "path"}`.
    Json,
}

/// Runs `rules` and returns its exit code.
pub fn run(args: &RulesArgs, context: &mut Context<'_>) -> u8 {
    let Some(policies) = valid_policy_set(&args.policy, context) else {
        return 2;
    };
    let rules = policies.rules();
    let text = match args.format {
        ListFormat::Human => human(&rules),
        ListFormat::Json => json(&policies, &rules),
    };
    if write_out(context, &text) { 0 } else { 2 }
}

/// The policy set, or `None` after reporting on stderr why it cannot be used (an unusable
/// `trustcheck.toml`, or policy files that do not validate).
pub(crate) fn valid_policy_set(args: &PolicyArgs, context: &mut Context<'_>) -> Option<PolicySet> {
    let as_of = super::options::today();
    let report = match project(context) {
        Ok(project) => {
            let policies = policy_set(args, project.as_ref(), context);
            if policies.is_valid() {
                return Some(policies);
            }
            let mut report = policies.validation_report(&crate::run::CheckOptions::as_of(as_of));
            report.files.retain(|file| !file.diagnostics.is_empty());
            report
        }
        Err(error) => error.into_report(as_of),
    };
    let text = crate::report::human::render(&report, &crate::report::human::HumanOptions::plain());
    let _ = context.stderr.write_all(text.as_bytes());
    None
}

fn human(rules: &[RuleInfo]) -> String {
    let id_width = rules.iter().map(|rule| rule.id.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in rules {
        let severity = rule.severity.as_str();
        out.push_str(&format!("{:<id_width$}  {severity:<7}  {}\n", rule.id, rule.title));
        if let Some(citation) = rule.citations.first() {
            out.push_str(&format!(
                "{:<id_width$}  {:<7}  {}\n",
                "",
                "",
                crate::report::common::citation_line(citation)
            ));
        }
    }
    out.push_str(&format!("{} rules\n", rules.len()));
    out
}

#[derive(Serialize)]
struct JsonRule<'r> {
    id: &'r str,
    severity: Severity,
    title: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<&'r Citation>,
    path: &'r str,
}

fn json(policies: &PolicySet, rules: &[RuleInfo]) -> String {
    let rules: Vec<JsonRule<'_>> = rules
        .iter()
        .map(|rule| JsonRule {
            id: &rule.id,
            severity: rule.severity,
            title: &rule.title,
            citation: rule.citations.first(),
            path: policies.sources().name(rule.span.file),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_default();
    text.push('\n');
    text
}
