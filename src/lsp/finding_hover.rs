//! Hover on a finding in a constitution: why the rule came out as it did there — each clause
//! with its value and the constitution values it read — as `explain RULE --trace FILE` prints
//! it. The rule is judged again with tracing on only for the hover; checking pays nothing.

use crate::engine::trace::trace;
use crate::report::Outcome;
use crate::run::Input;
use crate::sanitize;
use crate::source::Origin;

use super::world::{Document, World};

/// The trace of the finding whose value is at `offset`, with the finding's byte range.
pub fn finding_markdown(world: &World, document: &Document, offset: usize) -> Option<(String, usize, usize)> {
    let policies = world.checking_policies()?;
    let report = policies.check_inputs(vec![Input::from_text(document.name.clone(), document.text())], &world.options);
    let file = report.files.iter().find(|file| file.path == document.name)?;
    let (index, diagnostic) = file.diagnostics.iter().enumerate().find(|(_, diagnostic)| {
        matches!(diagnostic.outcome, Some(Outcome::Fail | Outcome::Undetermined | Outcome::Waived))
            && diagnostic.span().is_some_and(|span| span.start as usize <= offset && offset <= span.end as usize)
    })?;
    let span = diagnostic.span()?;
    let id = diagnostic.code.rule_id()?;
    let result = file.outcomes.iter().find(|result| result.diagnostic == Some(index))?;
    let rule = policies.program().rules.iter().find(|rule| *rule.id == *id)?;

    let mut sources = policies.sources().clone();
    let loaded_file = sources.add(document.name.clone(), document.text().to_owned(), Origin::Disk);
    let document_model = crate::loader::load(&sources, loaded_file, policies.schema()).document?;
    let traces = trace(policies.program(), rule, &document_model, &sources, world.options.as_of);
    let element = traces.iter().find(|element| element.element == result.element)?;

    let mut text = format!("**{id}**: {}\n\n", result.outcome.as_str().replace('_', " "));
    for clause in &element.clauses {
        text.push_str(&format!("- `{} {}` = **{}**\n", clause.clause, sanitize::line(&clause.source), clause.value));
        for read in &clause.read {
            text.push_str(&format!("  - `{}` is {} (line {})\n", read.field, sanitize::line(&read.value), read.line));
        }
    }
    text.push_str(&format!(
        "\nJudged as of {}; `trustcheck explain {id} --trace FILE` prints the same.\n",
        world.options.as_of
    ));
    Some((text, span.start as usize, span.end as usize))
}
