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
    let project = super::output::project(context).ok().flatten();
    let options = match super::output::judging_options(project.as_ref(), policies, as_of) {
        Ok(options) => options,
        Err(report) => {
            return super::output::emit_report(&report, &super::options::ReportArgs::default(), context).max(2);
        }
    };
    let mut input = crate::run::Input::read(&crate::project::discover::resolve(&context.cwd, path));
    input.name = crate::run::display_path(path);
    let report = policies.check_inputs(vec![input.clone()], &options);
    let mut sources = policies.sources().clone();
    let loaded = match crate::run::decode(input) {
        crate::run::Decoded::Text(name, text) => {
            let file = sources.add(name, text, crate::source::Origin::Disk);
            crate::loader::load(&sources, file, policies.schema()).document
        }
        crate::run::Decoded::Unreadable(..) => None,
    };
    let (Some(document), Some(rule)) = (loaded, policies.program().rules.iter().find(|rule| *rule.id == *id)) else {
        // It cannot be read or does not fit the schema: the check's own report says where.
        return super::output::emit_report(&report, &super::options::ReportArgs::default(), context).max(2);
    };
    let traces = crate::engine::trace::trace(policies.program(), rule, &document, &sources, as_of);
    let results: Vec<&crate::report::RuleResult> = report
        .files
        .first()
        .map(|file| file.outcomes.iter().filter(|result| *result.rule == *id).collect())
        .unwrap_or_default();
    let text = if args.json || args.format == Some(TraceFormat::Json) {
        let outcomes: Vec<serde_json::Value> = results.iter().map(|result| outcome_json(result, &report)).collect();
        let value = serde_json::json!({"rule": id, "as_of": as_of.to_string(), "outcomes": outcomes, "trace": traces});
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    } else {
        let mut out = format!("{id} on {} as of {as_of}\n", crate::sanitize::line(&crate::run::display_path(path)));
        for element in &traces {
            let result = results.iter().find(|result| result.element == element.element);
            let outcome = result.map_or("not judged", |result| result.outcome.as_str());
            match &element.element {
                Some(name) => out.push_str(&format!("\n[{}]: {outcome}\n", crate::sanitize::line(name))),
                None => out.push_str(&format!("\noutcome: {outcome}\n")),
            }
            if let Some(setting) = result.and_then(|result| result.setting.as_deref()) {
                out.push_str(&format!("  {}\n", crate::sanitize::line(setting)));
            }
            if let Some(waiver) = result.and_then(|result| result.waiver.as_ref()) {
                let line = report.sources.range(waiver.span).map_or(0, |(start, _)| start.line);
                out.push_str(&format!(
                    "  waived (line {line}): {}\n",
                    crate::sanitize::line(&crate::report::common::waiver_line(waiver))
                ));
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

/// One outcome of a traced rule as JSON: the element, the outcome, and the council setting
/// and waiver that applied to it, when one did.
fn outcome_json(result: &crate::report::RuleResult, report: &crate::report::Report) -> serde_json::Value {
    let mut value = serde_json::Map::new();
    value.insert("element".to_owned(), serde_json::json!(result.element));
    value.insert("outcome".to_owned(), result.outcome.as_str().into());
    if let Some(setting) = &result.setting {
        value.insert("setting".to_owned(), setting.as_str().into());
    }
    if let Some(waiver) = &result.waiver {
        let waiver = serde_json::json!({
            "reason": waiver.reason,
            "approved_by": waiver.approved_by,
            "approved_on": waiver.approved_on.map(|date| date.to_string()),
            "line": report.sources.range(waiver.span).map(|(start, _)| start.line),
        });
        value.insert("waiver".to_owned(), waiver);
    }
    serde_json::Value::Object(value)
}
