//! `trustcheck explain RULE_ID`: a rule's title, documentation, citations and source.

use clap::Args;

use crate::report::RuleInfo;
use crate::report::common::citation_line;

use super::Context;
use super::options::PolicyArgs;
use super::output::write_out;
use super::rules::valid_policy_set;

/// Flags of `explain`.
#[derive(Clone, Debug, Default, Args)]
pub struct ExplainArgs {
    /// The rule's id (`procurement.reserved_term`).
    #[arg(value_name = "RULE_ID")]
    pub rule: String,
    /// The policy set.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Runs `explain` and returns its exit code (2 for an unknown rule).
pub fn run(args: &ExplainArgs, context: &mut Context<'_>) -> u8 {
    let Some(policies) = valid_policy_set(&args.policy, context) else {
        return 2;
    };
    let rules = policies.rules();
    let Some(rule) = rules.iter().find(|rule| rule.id == args.rule) else {
        let mut text = format!("error: no rule `{}` in the policy set\n", args.rule);
        match crate::schema::did_you_mean(&args.rule, rules.iter().map(|rule| rule.id.as_str())) {
            Some(suggestion) => text.push_str(&format!("  help: {suggestion}\n")),
            None => text.push_str("  help: `trustcheck rules` lists every rule\n"),
        }
        let _ = context.stderr.write_all(text.as_bytes());
        return 2;
    };
    let source = policies.rule_text(&rule.id).or_else(|| {
        let file = policies.sources().get(rule.span.file)?;
        Some((file.name().to_owned(), file.slice(rule.span).to_owned()))
    });
    let location = policies.sources().range(rule.span).map(|(start, _)| start.line);
    if write_out(context, &explain(rule, source, location)) { 0 } else { 2 }
}

fn explain(rule: &RuleInfo, source: Option<(String, String)>, line: Option<u32>) -> String {
    let mut out =
        format!("{}: {}\nseverity: {}\nstatus: {}\n", rule.id, rule.title, rule.severity.as_str(), rule.status.words());
    if let Some(doc) = &rule.doc {
        out.push_str(&format!("\n{}\n", doc.trim_end()));
    }
    if !rule.citations.is_empty() {
        out.push_str("\ncitations:\n");
        for citation in &rule.citations {
            out.push_str(&format!("  - {}\n", citation_line(citation)));
        }
    }
    if let Some((file, text)) = source {
        match line {
            Some(line) => out.push_str(&format!("\ndefined in {file}:{line}:\n\n")),
            None => out.push_str(&format!("\ndefined in {file}:\n\n")),
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}
