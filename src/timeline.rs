//! A constitution's timeline: the dated events its policies declare (`event … at DATE`),
//! worked out on the constitution and put in order — going live, staff transfer, contract
//! terms, market tests, waiver expiries — each with the event that derives it, marked past
//! or to come at the date judged, and deadlines that have passed flagged overdue.

use jiff::civil::Date;
use serde::Serialize;

use crate::document::Document;
use crate::eval::{Evaluator, V, Val};
use crate::policy::ir::{EventDef, Program};
use crate::value::Scalar;

/// One dated event of a constitution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// The event's id, `POLICY.NAME`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The element it is about, for a per-element event (the contract's or waiver's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// Its date; `None` when the constitution does not state what it needs.
    #[serde(serialize_with = "optional_date")]
    pub date: Option<Date>,
    /// Whether it is a deadline.
    pub deadline: bool,
    /// Its date is before the date judged.
    pub past: bool,
    /// A deadline whose date is before the date judged.
    pub overdue: bool,
}

impl Event {
    /// How the event stands at the date judged: `overdue`, `past` or nothing.
    pub fn mark(&self) -> &'static str {
        if self.overdue {
            "overdue"
        } else if self.past {
            "past"
        } else {
            ""
        }
    }

    /// Its date as shown, or `not stated`.
    pub fn when(&self) -> String {
        self.date.map_or_else(|| "not stated".to_owned(), |date| date.to_string())
    }
}

/// A constitution's events in date order (events without a date last, in declaration order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The constitution's path as shown.
    pub path: String,
    /// The date judged.
    #[serde(serialize_with = "date")]
    pub as_of: Date,
    /// The events.
    pub events: Vec<Event>,
}

fn date<S: serde::Serializer>(value: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn optional_date<S: serde::Serializer>(value: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

/// Works out every event of `program` on `document`.
pub fn timeline(program: &Program, document: &Document, path: &str, as_of: Date) -> Timeline {
    let mut evaluator = Evaluator::new(program, document, as_of);
    let mut events = Vec::new();
    for (order, def) in program.events.iter().enumerate() {
        for (element, date) in dates(&mut evaluator, def) {
            let past = date.is_some_and(|date| date < as_of);
            let event = Event {
                id: def.id.to_string(),
                title: def.title.to_string(),
                element,
                date,
                deadline: def.deadline,
                past,
                overdue: past && def.deadline,
            };
            events.push((order, event));
        }
    }
    events.sort_by(|(a_order, a), (b_order, b)| {
        (a.date.is_none(), a.date, *a_order, &a.element).cmp(&(b.date.is_none(), b.date, *b_order, &b.element))
    });
    Timeline { path: path.to_owned(), as_of, events: events.into_iter().map(|(_, event)| event).collect() }
}

/// The dates of one event: one, or one per element it ranges over.
fn dates<'d>(evaluator: &mut Evaluator<'_, 'd>, def: &EventDef) -> Vec<(Option<String>, Option<Date>)> {
    evaluator.enter_rule(def.frame_size);
    let Some(for_each) = &def.for_each else {
        return vec![(None, date_of(evaluator, def))];
    };
    let items = evaluator.items(&for_each.collection);
    let mut out = Vec::new();
    for item in items {
        let element = item.element_name();
        evaluator.bind(for_each.slot, item);
        if let Some(filter) = &for_each.filter {
            if evaluator.eval(filter).ok().and_then(|value| value.truth()) != Some(true) {
                continue;
            }
        }
        out.push((element, date_of(evaluator, def)));
    }
    out
}

fn date_of(evaluator: &mut Evaluator<'_, '_>, def: &EventDef) -> Option<Date> {
    match evaluator.eval(&def.date) {
        Ok(Val { v: V::Scalar(Scalar::Date(date)), .. }) => Some(date),
        _ => None,
    }
}

/// The timeline as a person reads it: one line an event, `past`, `OVERDUE` or nothing before
/// the date, then the title, the element and the event's id.
pub fn render_human(timeline: &Timeline) -> String {
    let mut out = format!("{} as of {}\n\n", crate::sanitize::line(&timeline.path), timeline.as_of);
    for event in &timeline.events {
        let when = event.date.map_or_else(|| "not stated".to_owned(), |date| date.to_string());
        let mark = if event.overdue {
            "OVERDUE"
        } else if event.past {
            "past"
        } else {
            ""
        };
        let element =
            event.element.as_deref().map_or_else(String::new, |name| format!(" — {}", crate::sanitize::line(name)));
        out.push_str(&format!("{when:<10}  {mark:<7}  {}{element}  [{}]\n", event.title, event.id));
    }
    let overdue = timeline.events.iter().filter(|event| event.overdue).count();
    out.push_str(&format!("\n{} events; {overdue} overdue\n", timeline.events.len()));
    out
}

/// The timeline as a Markdown table, for a committee paper.
pub fn render_markdown(timeline: &Timeline) -> String {
    let mut out = format!("## Timeline of {} (as of {})\n\n", crate::sanitize::line(&timeline.path), timeline.as_of);
    out.push_str("| date | | event | about | from |\n|---|---|---|---|---|\n");
    for event in &timeline.events {
        let (when, mark) = (event.when(), event.mark());
        let mark = if event.overdue { "**overdue**" } else { mark };
        let element =
            event.element.as_deref().map_or_else(String::new, |name| crate::sanitize::line(name).into_owned());
        out.push_str(&format!(
            "| {when} | {mark} | {} | {} | `{}` |\n",
            event.title.replace('|', "\\|"),
            element.replace('|', "\\|"),
            event.id
        ));
    }
    out
}
