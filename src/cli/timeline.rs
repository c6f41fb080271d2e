//! `trustcheck timeline FILE`: the dated events of a constitution, in order.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use crate::project::discover::resolve;
use crate::run::{Decoded, Input, decode};
use crate::source::Origin;
use crate::timeline::{render_human, render_markdown, timeline};

use super::Context;
use super::options::{PolicyArgs, ReportArgs, parse_date};
use super::output::{emit_report, write_out};
use super::rules::valid_policy_set;
use crate::clock::today;

/// Flags of `timeline`.
#[derive(Clone, Debug, Args)]
pub struct TimelineArgs {
    /// The constitution.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The policy set (its `event`s make the timeline).
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The date events are marked past or to come at (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Human)]
    pub format: TimelineFormat,
}

/// The formats of `timeline`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// One line an event.
    #[default]
    Human,
    /// A Markdown table for a committee paper.
    Markdown,
    /// One JSON document.
    Json,
    /// One self-contained HTML file with an SVG time line.
    Html,
}

/// Runs `timeline` and returns its exit code: 0, or 2 when the constitution cannot be read.
pub fn run(args: &TimelineArgs, context: &mut Context<'_>) -> u8 {
    let as_of = args.as_of.unwrap_or_else(today);
    let Some(policies) = valid_policy_set(&args.policy, context) else {
        return 2;
    };
    let mut input = Input::read(&resolve(&context.cwd, &args.file));
    input.name = crate::run::display_path(&args.file);
    let name = input.name.clone();
    let text = match decode(input.clone()) {
        Decoded::Text(_, text) => text,
        Decoded::Unreadable(..) => {
            let report = policies.check_inputs(vec![input], &crate::run::CheckOptions::as_of(as_of));
            return emit_report(&report, &ReportArgs::default(), context).max(2);
        }
    };
    let mut sources = policies.sources().clone();
    let file = sources.add(name.clone(), text, Origin::Disk);
    let Some(document) = crate::loader::load(&sources, file, policies.schema()).document else {
        // It does not fit the schema: the check says where.
        let report = policies.check_inputs(vec![input], &crate::run::CheckOptions::as_of(as_of));
        return emit_report(&report, &ReportArgs::default(), context).max(2);
    };
    let timeline = timeline(policies.program(), &document, &name, as_of);
    let text = match args.format {
        TimelineFormat::Human => render_human(&timeline),
        TimelineFormat::Markdown => render_markdown(&timeline),
        TimelineFormat::Html => crate::html::timeline(&timeline),
        TimelineFormat::Json => {
            let mut text = serde_json::to_string_pretty(&timeline).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    if write_out(context, &text) { 0 } else { 2 }
}
