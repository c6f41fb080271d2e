//! The options appraisal (`trustcheck compare`): several constitutions — the options for one
//! service — side by side, rule by rule, with a weighted score per option from the policy
//! set's criteria. It reads the [`Report`] of a check and re-decides nothing: every cell is an
//! outcome as `check` reported it.
//!
//! A score is Σ weight × credit ÷ Σ weight over the applicable outcomes of the rules the
//! chosen criteria draw on, with credit 1 for `pass` and `waived`, 0 for `fail` and
//! `undetermined`; `not_applicable` outcomes count for nothing. An option with a failed `law`
//! rule at error severity is "unlawful as drafted" and is never ranked above a lawful one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostic::{Outcome, RuleStatus, Severity};
use crate::policy::ir::CriterionDef;
use crate::report::{FileReport, FileStatus, Report};
use crate::sanitize;
use crate::testing::spec::outcome_name;

/// One cell: a rule's outcome (the worst of its elements) on one option.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// The outcome.
    pub outcome: &'static str,
    /// The severity of its finding, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// One row: a rule that applies to at least one option.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The rule id.
    pub rule: String,
    /// Its area (the policy name).
    pub area: String,
    /// Its title.
    pub title: String,
    /// Law, guidance or local policy.
    pub status: RuleStatus,
    /// The options' outcomes differ on it.
    pub decisive: bool,
    /// One cell per option, in the options' order.
    pub cells: Vec<Cell>,
}

/// How one criterion scored on one option.
#[derive(Clone, Debug, Serialize)]
pub struct CriterionScore {
    /// The criterion.
    pub criterion: String,
    /// Its title.
    pub title: String,
    /// Its weight.
    pub weight: u32,
    /// Applicable outcomes credited (pass or waived).
    pub credited: usize,
    /// Applicable outcomes in all.
    pub applicable: usize,
}

/// One option: a constitution, its score and how the score was reached.
#[derive(Clone, Debug, Serialize)]
pub struct OptionScore {
    /// The trust's name (else the file's path).
    pub name: String,
    /// The file.
    pub path: String,
    /// The score, 0 to 100 (`None` when nothing applicable was scored, or the file could
    /// not be checked).
    pub score: Option<f64>,
    /// A `law` rule failed at error severity.
    pub unlawful_as_drafted: bool,
    /// Its rank, 1 for the best (lawful options always before unlawful ones).
    pub rank: usize,
    /// The criteria, each with its credited and applicable outcomes.
    pub criteria: Vec<CriterionScore>,
}

/// The whole appraisal.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// The date rules were judged at.
    pub as_of: String,
    /// The options, in the order given.
    pub options: Vec<OptionScore>,
    /// The rules that apply to any option, grouped by area, decisive differences first.
    pub rows: Vec<Row>,
}

/// The appraisal of the constitutions of `report`, scored by `criteria`.
pub fn compare(report: &Report, criteria: &[CriterionDef], names: &[String]) -> Comparison {
    let files: Vec<&FileReport> = report.files.iter().collect();
    let rule_info: BTreeMap<&str, _> = report.rules.iter().map(|rule| (rule.id.as_str(), rule)).collect();
    let mut rows = Vec::new();
    for rule in &report.rules {
        let cells: Vec<Cell> = files.iter().map(|file| cell(file, &rule.id)).collect();
        if cells.iter().all(|cell| cell.outcome == "not_applicable" || cell.outcome == "none") {
            continue;
        }
        let decisive = cells.windows(2).any(|pair| matches!(pair, [a, b] if a.outcome != b.outcome));
        rows.push(Row {
            rule: rule.id.clone(),
            area: rule.id.split_once('.').map_or(rule.id.as_str(), |(area, _)| area).to_owned(),
            title: rule.title.clone(),
            status: rule.status,
            decisive,
            cells,
        });
    }
    rows.sort_by(|a, b| {
        (a.area.as_str(), !a.decisive, a.rule.as_str()).cmp(&(b.area.as_str(), !b.decisive, b.rule.as_str()))
    });
    let mut options: Vec<OptionScore> =
        files.iter().zip(names).map(|(file, name)| score(file, name, criteria, &rule_info)).collect();
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |option: &OptionScore| (option.unlawful_as_drafted, -(option.score.unwrap_or(-1.0) * 1000.0) as i64);
        options.get(a).map(key).cmp(&options.get(b).map(key))
    });
    for (rank, index) in order.into_iter().enumerate() {
        if let Some(option) = options.get_mut(index) {
            option.rank = rank + 1;
        }
    }
    Comparison { as_of: report.as_of.to_string(), options, rows }
}

/// A rule's outcome on a file: the worst of its elements (fail, undetermined, waived, pass,
/// not applicable), or `none` for a file that could not be checked.
fn cell(file: &FileReport, rule: &str) -> Cell {
    let rank = |outcome: Outcome| match outcome {
        Outcome::Fail => 0,
        Outcome::Undetermined => 1,
        Outcome::Waived => 2,
        Outcome::Pass => 3,
        Outcome::NotApplicable => 4,
    };
    let worst = file.outcomes.iter().filter(|result| *result.rule == *rule).min_by_key(|result| rank(result.outcome));
    match worst {
        Some(result) => Cell { outcome: outcome_name(result.outcome), severity: result.severity },
        None => Cell { outcome: "none", severity: None },
    }
}

fn score(
    file: &FileReport,
    name: &str,
    criteria: &[CriterionDef],
    rules: &BTreeMap<&str, &crate::report::RuleInfo>,
) -> OptionScore {
    let unlawful = file.outcomes.iter().any(|result| {
        result.outcome == Outcome::Fail
            && result.severity == Some(Severity::Error)
            && rules.get(&*result.rule).is_some_and(|rule| rule.status == RuleStatus::Law)
    });
    let mut scores = Vec::new();
    let (mut weighted, mut total) = (0u64, 0u64);
    for criterion in criteria {
        let applicable: Vec<Outcome> = file
            .outcomes
            .iter()
            .filter(|result| criterion.rules.binary_search_by(|rule| rule.as_str().cmp(&*result.rule)).is_ok())
            .map(|result| result.outcome)
            .filter(|outcome| *outcome != Outcome::NotApplicable)
            .collect();
        let credited = applicable.iter().filter(|outcome| matches!(outcome, Outcome::Pass | Outcome::Waived)).count();
        weighted += u64::from(criterion.weight) * credited as u64;
        total += u64::from(criterion.weight) * applicable.len() as u64;
        scores.push(CriterionScore {
            criterion: criterion.name.to_string(),
            title: criterion.title.to_string(),
            weight: criterion.weight,
            credited,
            applicable: applicable.len(),
        });
    }
    let checked = file.status == FileStatus::Checked;
    let score = (checked && total > 0).then(|| (weighted as f64) * 100.0 / (total as f64));
    OptionScore {
        name: name.to_owned(),
        path: file.path.clone(),
        score,
        unlawful_as_drafted: unlawful,
        rank: 0,
        criteria: scores,
    }
}

/// A cell as every format but JSON shows it: the outcome's own name (`outcomes.md`), a failure
/// with its severity (`fail (warning)`); `not checked` when the option could not be checked.
pub(crate) fn symbol(cell: &Cell) -> String {
    match (cell.outcome, cell.severity) {
        ("fail", Some(severity)) => format!("fail ({})", severity.as_str()),
        ("none", _) => "not checked".to_owned(),
        (outcome, _) => outcome.to_owned(),
    }
}

fn score_text(option: &OptionScore) -> String {
    let score = option.score.map_or_else(|| "–".to_owned(), |score| format!("{score:.0}"));
    if option.unlawful_as_drafted { format!("{score} (unlawful as drafted)") } else { score }
}

/// Markdown, for a cabinet paper: the scores, how they were reached, then the matrix.
pub fn markdown(comparison: &Comparison) -> String {
    let mut out = format!("# Options appraisal\n\nRules judged as of {}.\n\n## Scores\n\n", comparison.as_of);
    out.push_str("| rank | option | score |\n|---|---|---|\n");
    let mut ranked: Vec<&OptionScore> = comparison.options.iter().collect();
    ranked.sort_by_key(|option| option.rank);
    for option in &ranked {
        let _ = writeln!(out, "| {} | {} | {} |", option.rank, md(&option.name), score_text(option));
    }
    out.push_str("\n## How the scores were reached\n\nPasses (and waived outcomes) credited of the outcomes that apply, by criterion and weight.\n\n");
    let _ = write!(out, "| criterion | weight |");
    for option in &comparison.options {
        let _ = write!(out, " {} |", md(&option.name));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(comparison.options.len()));
    out.push('\n');
    let criteria = comparison.options.first().map(|option| option.criteria.clone()).unwrap_or_default();
    for (index, criterion) in criteria.iter().enumerate() {
        let _ = write!(out, "| {} | {} |", md(&criterion.title), criterion.weight);
        for option in &comparison.options {
            let cell =
                option.criteria.get(index).map_or_else(String::new, |c| format!("{} of {}", c.credited, c.applicable));
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    out.push_str("\n## Rule by rule\n\nDecisive differences first in each area.\n\n| rule | status |");
    for option in &comparison.options {
        let _ = write!(out, " {} |", md(&option.name));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(comparison.options.len()));
    out.push('\n');
    for row in &comparison.rows {
        let marker = if row.decisive { " **(differs)**" } else { "" };
        let _ = write!(out, "| `{}`{marker}<br>{} | {} |", row.rule, md(&row.title), row.status.words());
        for cell in &row.cells {
            let _ = write!(out, " {} |", symbol(cell));
        }
        out.push('\n');
    }
    out
}

/// Plain text for the terminal: the same content as the Markdown.
pub fn human(comparison: &Comparison) -> String {
    let mut out = String::new();
    let name_width = comparison.options.iter().map(|option| option.name.chars().count()).max().unwrap_or(0).max(6);
    let mut ranked: Vec<&OptionScore> = comparison.options.iter().collect();
    ranked.sort_by_key(|option| option.rank);
    out.push_str("options, best first:\n");
    for option in ranked {
        let _ =
            writeln!(out, "  {}. {:<name_width$}  {}", option.rank, sanitize::line(&option.name), score_text(option));
        for criterion in &option.criteria {
            let _ = writeln!(
                out,
                "       {:<36} weight {}  {} of {} credited",
                criterion.title, criterion.weight, criterion.credited, criterion.applicable
            );
        }
    }
    out.push_str("\nrule by rule (* where the options differ; decisive differences first in each area):\n");
    let letters: Vec<char> = ('A'..='Z').collect();
    let rule_width = comparison.rows.iter().map(|row| row.rule.len()).max().unwrap_or(0);
    let column = |index: usize| letters.get(index).map_or_else(|| format!("{}", index + 1), char::to_string);
    let _ = write!(out, "  {:<rule_width$}", "");
    for index in 0..comparison.options.len() {
        let _ = write!(out, "  {:<16}", column(index));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    for row in &comparison.rows {
        let marker = if row.decisive { "*" } else { " " };
        let _ = write!(out, "{marker} {:<rule_width$}", row.rule);
        for cell in &row.cells {
            let _ = write!(out, "  {:<16}", symbol(cell));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out.push('\n');
    for (index, option) in comparison.options.iter().enumerate() {
        let _ = writeln!(out, "{}: {} ({})", column(index), sanitize::line(&option.name), sanitize::line(&option.path));
    }
    let _ = writeln!(out, "rules judged as of {}", comparison.as_of);
    out
}

/// One JSON document: `{"as_of", "options": [{"name", "path", "score", "unlawful_as_drafted",
/// "rank", "criteria"}], "rows": [{"rule", "area", "title", "status", "decisive", "cells"}]}`.
pub fn json(comparison: &Comparison) -> String {
    let mut text = serde_json::to_string_pretty(comparison).unwrap_or_default();
    text.push('\n');
    text
}

/// Text made safe in a Markdown table cell.
fn md(text: &str) -> String {
    sanitize::line(text).replace('|', "\\|")
}
