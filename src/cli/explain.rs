//! `trustcheck explain RULE_ID`: a rule's title, documentation, citations and source (or
//! what a built-in code such as `schema.type` means).

use clap::Args;

use crate::diagnostic::BuiltinCode;
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
    /// Show why the rule came out as it did on this constitution: each clause's value and the
    /// values it read.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<std::path::PathBuf>,
    /// The date rules are judged at, with `--trace` (default: today).
    #[arg(long, value_parser = super::options::parse_date, value_name = "DATE")]
    pub as_of: Option<jiff::civil::Date>,
    /// With `--trace`, the trace as JSON (the same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// With `--trace`, the output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TraceFormat>,
}

/// The formats of `explain --trace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFormat {
    /// For a person: each clause, its value and the values it read.
    Human,
    /// One JSON document.
    Json,
}

/// Runs `explain` and returns its exit code (2 for an unknown rule).
pub fn run(args: &ExplainArgs, context: &mut Context<'_>) -> u8 {
    if let Ok(code) = args.rule.parse::<BuiltinCode>() {
        let text =
            format!("{code}: one of trustcheck's own checks ({})\n\n{}\n", code.severity().as_str(), code.meaning());
        return if write_out(context, &text) { 0 } else { 2 };
    }
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
    if let Some(path) = &args.trace {
        return trace(&policies, &rule.id, path, args, context);
    }
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
            let verified = match citation.verified {
                Some(date) => format!(" (text verified {date})"),
                None => " (text not verified)".to_owned(),
            };
            out.push_str(&format!("  - {}{verified}\n", citation_line(citation)));
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

/// `explain RULE --trace FILE`: the rule judged again on the constitution, clause by clause.
fn trace(
    policies: &crate::policy::PolicySet,
    id: &str,
    path: &std::path::Path,
    args: &ExplainArgs,
    context: &mut Context<'_>,
) -> u8 {
    let as_of = args.as_of.unwrap_or_else(crate::clock::today);
    let input = crate::run::Input::read(&crate::project::discover::resolve(&context.cwd, path));
    let mut sources = policies.sources().clone();
    let (name, text) = match crate::run::decode(input) {
        crate::run::Decoded::Text(name, text) => (name, text),
        crate::run::Decoded::Unreadable(name, diagnostic) => {
            let _ = writeln!(
                context.stderr,
                "error: cannot read `{}`: {}",
                crate::sanitize::line(&name),
                diagnostic.message
            );
            return 2;
        }
    };
    let file = sources.add(crate::run::display_path(path), text.clone(), crate::source::Origin::Disk);
    let loaded = crate::loader::load(&sources, file, policies.schema());
    let (Some(document), Some(rule)) = (loaded.document, policies.program().rules.iter().find(|rule| *rule.id == *id))
    else {
        let _ = writeln!(
            context.stderr,
            "error: `{}` cannot be loaded; `trustcheck check` says why",
            crate::sanitize::line(&name)
        );
        return 2;
    };
    let traces = crate::engine::trace::trace(policies.program(), rule, &document, &sources, as_of);
    let report = policies.check_inputs(
        vec![crate::run::Input::read(&crate::project::discover::resolve(&context.cwd, path))],
        &crate::run::CheckOptions::as_of(as_of),
    );
    let outcomes: Vec<(Option<String>, &'static str)> = report
        .files
        .first()
        .map(|file| {
            file.outcomes
                .iter()
                .filter(|result| *result.rule == *id)
                .map(|result| (result.element.clone(), result.outcome.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let text = if args.json || args.format == Some(TraceFormat::Json) {
        let value = serde_json::json!({"rule": id, "as_of": as_of.to_string(), "outcomes": outcomes.iter().map(|(element, outcome)| serde_json::json!({"element": element, "outcome": outcome})).collect::<Vec<_>>(), "trace": traces});
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    } else {
        let mut out = format!("{id} on {} as of {as_of}\n", crate::sanitize::line(&crate::run::display_path(path)));
        for element in &traces {
            let outcome =
                outcomes.iter().find(|(name, _)| *name == element.element).map_or("not judged", |(_, outcome)| outcome);
            match &element.element {
                Some(name) => out.push_str(&format!("\n[{}]: {outcome}\n", crate::sanitize::line(name))),
                None => out.push_str(&format!("\noutcome: {outcome}\n")),
            }
            for clause in &element.clauses {
                out.push_str(&format!("  {} {}\n    = {}\n", clause.clause, clause.source, clause.value));
                for read in &clause.read {
                    out.push_str(&format!(
                        "      `{}` is {} (line {})\n",
                        read.field,
                        crate::sanitize::line(&read.value),
                        read.line
                    ));
                }
            }
        }
        out
    };
    if write_out(context, &text) { 0 } else { 2 }
}
