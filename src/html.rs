//! Self-contained HTML for committee papers: the options appraisal (`compare --format html`)
//! and the timeline (`timeline --format html`). One file each, no external resources: inline
//! CSS that prints to A4 and reads without colour (outcomes are words, not colours), inline SVG
//! for the chart and the time line. Built with `maud`, which escapes every value it is given.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::compare::Comparison;
use crate::report::{Diagnostic, Report};
use crate::timeline::Timeline;

const STYLE: &str = r#"
@page { size: A4; margin: 16mm; }
body { font: 11pt/1.4 "Liberation Sans", Arial, sans-serif; color: #111; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 1px solid #999; }
p.meta { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
th { background: #eee; }
td.outcome { white-space: nowrap; }
.fail { font-weight: bold; }
.fail::before { content: "✗ "; }
.pass::before { content: "✓ "; }
.undetermined::before { content: "? "; }
tr.decisive td:first-child { border-left: 4px solid #111; }
.unlawful { font-weight: bold; text-transform: uppercase; }
li { margin-bottom: 0.4rem; }
.help { color: #333; }
svg text { font: 10pt "Liberation Sans", Arial, sans-serif; }
@media print { a { color: inherit; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"#;

fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// The options appraisal: scores as a bar chart, the matrix by area, and each option's
/// findings with their fix and citation.
pub fn comparison(comparison: &Comparison, report: &Report, policies: &str) -> String {
    let names: Vec<&str> = comparison.options.iter().map(|option| option.name.as_str()).collect();
    let mut ranked: Vec<&crate::compare::OptionScore> = comparison.options.iter().collect();
    ranked.sort_by_key(|option| option.rank);
    let body = html! {
        h1 { "Options appraisal" }
        p.meta {
            "Rules judged as of " (comparison.as_of) " by trustcheck " (env!("CARGO_PKG_VERSION"))
            ", policy set " code { (policies) } ". Options: " (names.join("; ")) "."
        }
        h2 { "Scores" }
        (score_chart(comparison))
        table #scores {
            thead { tr { th { "Rank" } th { "Option" } th { "Score" } th { "How it was reached" } } }
            tbody {
                @for option in &ranked {
                    tr {
                        td { (option.rank) }
                        td {
                            (option.name)
                            @if option.unlawful_as_drafted { br; span.unlawful { "Unlawful as drafted" } }
                        }
                        td { @match option.score { Some(score) => (format!("{score:.1}")), None => "no score" } }
                        td {
                            @for criterion in &option.criteria {
                                (criterion.title) " (weight " (criterion.weight) "): " (criterion.credited) " of " (criterion.applicable) " rules met"
                                br;
                            }
                        }
                    }
                }
            }
        }
        h2 { "The matrix" }
        p { "One row per rule that applies to an option; rows where the options differ are marked with a bar and come first in each area." }
        table #matrix {
            thead {
                tr {
                    th { "Area" } th { "Rule" } th { "Status" }
                    @for name in &names { th { (name) } }
                }
            }
            tbody {
                @for row in &comparison.rows {
                    tr.decisive[row.decisive] {
                        td { (row.area) }
                        td { (row.title) br; code { (row.rule) } }
                        td { (row.status.as_str()) }
                        @for cell in &row.cells {
                            td class={ "outcome " (cell.outcome) } { (crate::compare::symbol(cell)) }
                        }
                    }
                }
            }
        }
        @for option in &comparison.options {
            h2 { "Findings: " (option.name) }
            @if let Some(file) = report.files.iter().find(|file| file.path == option.path) {
                (findings(&file.diagnostics))
            }
        }
    };
    page("Options appraisal", body)
}

fn findings(diagnostics: &[Diagnostic]) -> Markup {
    let listed: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_finding()).collect();
    html! {
        @if listed.is_empty() { p { "No findings." } } @else {
            ul {
                @for d in listed {
                    li {
                        strong { (d.severity.as_str()) } " " code { (d.code.as_str()) } ": " (d.message)
                        @if let Some(help) = &d.help { br; span.help { "What to do: " (help) } }
                        @if let Some(citation) = &d.citation {
                            br;
                            "See: "
                            @match &citation.url {
                                Some(url) => a href=(url) { (citation.text) },
                                None => (citation.text),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A horizontal bar chart of the options' scores (0–100), drawn in SVG.
fn score_chart(comparison: &Comparison) -> Markup {
    let bar = 22;
    let height = comparison.options.len() * (bar + 10) + 10;
    html! {
        svg #chart xmlns="http://www.w3.org/2000/svg" width="720" height=(height) viewBox={ "0 0 720 " (height) } role="img" aria-label="Scores of the options" {
            @for (index, option) in comparison.options.iter().enumerate() {
                @let y = 10 + index * (bar + 10);
                @let score = option.score.unwrap_or(0.0).clamp(0.0, 100.0);
                text x="0" y=(y + 16) { (truncate(&option.name, 34)) }
                rect x="260" y=(y) width="300" height=(bar) fill="none" stroke="#999" {}
                rect x="260" y=(y) width=(format!("{:.1}", score * 3.0)) height=(bar) fill="#555" {}
                text x="568" y=(y + 16) {
                    @match option.score { Some(score) => (format!("{score:.1}")), None => "—" }
                    @if option.unlawful_as_drafted { " (unlawful)" }
                }
            }
        }
    }
}

fn truncate(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(most.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The timeline: an SVG time line of the dated events and the table of them.
pub fn timeline(timeline: &Timeline) -> String {
    let body = html! {
        h1 { "Timeline" }
        p.meta { (timeline.path) ", as of " (timeline.as_of.to_string()) ", by trustcheck " (env!("CARGO_PKG_VERSION")) "." }
        (time_line(timeline))
        table #events {
            thead { tr { th { "Date" } th { "" } th { "Event" } th { "About" } th { "From" } } }
            tbody {
                @for event in &timeline.events {
                    tr {
                        td { (event.when()) }
                        td { @if event.overdue { strong { "OVERDUE" } } @else { (event.mark()) } }
                        td { (event.title) }
                        td { (event.element.as_deref().unwrap_or("")) }
                        td { code { (event.id) } }
                    }
                }
            }
        }
    };
    page("Timeline", body)
}

/// The dated events on a horizontal line from the first to the last, with the date judged.
fn time_line(timeline: &Timeline) -> Markup {
    let dated: Vec<(jiff::civil::Date, &crate::timeline::Event)> =
        timeline.events.iter().filter_map(|event| Some((event.date?, event))).collect();
    let (Some(first), Some(last)) = (dated.first().map(|(date, _)| *date), dated.last().map(|(date, _)| *date)) else {
        return html! {};
    };
    let days = |date: jiff::civil::Date| -> f64 { (date - first).get_days() as f64 };
    let span = days(last).max(1.0);
    let x = |date: jiff::civil::Date| 20.0 + 600.0 * days(date).clamp(0.0, span) / span;
    let height = 40 + dated.len() * 18;
    html! {
        svg #timeline xmlns="http://www.w3.org/2000/svg" width="640" height=(height) viewBox={ "0 0 640 " (height) } role="img" aria-label="The events on a time line" {
            line x1="20" y1="20" x2="620" y2="20" stroke="#111" {}
            @if timeline.as_of >= first && timeline.as_of <= last {
                line x1=(format!("{:.1}", x(timeline.as_of))) y1="8" x2=(format!("{:.1}", x(timeline.as_of))) y2=(height) stroke="#111" stroke-dasharray="4 3" {}
            }
            @for (index, (date, event)) in dated.iter().enumerate() {
                @let cx = x(*date);
                @let y = 40 + index * 18;
                circle cx=(format!("{cx:.1}")) cy="20" r="4" fill=(if event.overdue { "#000" } else { "#fff" }) stroke="#111" {}
                line x1=(format!("{cx:.1}")) y1="24" x2=(format!("{cx:.1}")) y2=(y - 4) stroke="#bbb" {}
                text x=(format!("{:.1}", cx.min(420.0))) y=(y) {
                    (date.to_string()) " " (truncate(&event.title, 40)) @if event.overdue { " (overdue)" }
                }
            }
        }
    }
}
