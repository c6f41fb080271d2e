//! Waivers recorded in a constitution: while in force they turn a failure of their rule, or an
//! outcome it cannot decide for want of a fact, into a waived outcome (step 4 of the one chain
//! in `outcomes.md`); the engine warns when one has expired or names no element, and reports
//! one that names no rule.

use jiff::civil::Date;

use super::judge::RuleOutcome;
use crate::diagnostic::{BuiltinCode, Diagnostic, Outcome, WaiverInfo};
use crate::document::{Document, NodeKind, Record};
use crate::eval::{Evaluator, V, Val};
use crate::policy::ir::{Program, RuleDef};
use crate::schema::did_you_mean;
use crate::source::Span;
use crate::syntax::ast::Waivability;
use crate::value::{Scalar, add_duration};

struct Waiver<'d> {
    rule: (&'d str, Span),
    approved_on: Option<Date>,
    element: Option<(&'d str, Span)>,
    expires: Option<(Date, Span)>,
    info: WaiverInfo,
}

fn text<'d>(record: &'d Record, field: &str) -> Option<(&'d str, Span)> {
    let node = record.field(field)?.value.as_ref()?;
    match &node.kind {
        NodeKind::Scalar(Scalar::Text(value)) => Some((value, node.span)),
        _ => None,
    }
}

fn date(record: &Record, field: &str) -> Option<(Date, Span)> {
    let node = record.field(field)?.value.as_ref()?;
    match &node.kind {
        NodeKind::Scalar(Scalar::Date(value)) => Some((*value, node.span)),
        _ => None,
    }
}

fn waivers(document: &Document) -> Vec<Waiver<'_>> {
    let Some(NodeKind::List(items)) =
        document.root.field("waivers").and_then(|f| f.value.as_ref()).map(|node| &node.kind)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let NodeKind::Record(record) = &item.kind else { return None };
            let rule = text(record, "rule")?;
            Some(Waiver {
                rule,
                approved_on: date(record, "approved_on").map(|(value, _)| value),
                element: text(record, "element"),
                expires: date(record, "expires"),
                info: WaiverInfo {
                    reason: text(record, "reason").map_or_else(String::new, |(value, _)| value.to_owned()),
                    approved_by: text(record, "approved_by").map_or_else(String::new, |(value, _)| value.to_owned()),
                    approved_on: date(record, "approved_on").map(|(value, _)| value),
                    span: item.span,
                },
            })
        })
        .collect()
}

/// Applies the document's waivers to `outcomes` and returns the engine's waiver diagnostics.
pub fn apply(
    program: &Program,
    document: &Document,
    outcomes: &mut [RuleOutcome<'_, '_>],
    as_of: Date,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for waiver in waivers(document) {
        let (rule_id, rule_span) = waiver.rule;
        let Some(rule) = program.rules.iter().find(|rule| *rule.id == *rule_id) else {
            let help = did_you_mean(rule_id, program.rules.iter().map(|rule| &*rule.id))
                .unwrap_or_else(|| "name a rule listed by `trustcheck rules`".to_owned());
            diagnostics.push(
                Diagnostic::new(
                    BuiltinCode::WaiverUnknownRule,
                    format!("this waiver names `{rule_id}`, which is not a rule of the policy set"),
                    Some(rule_span),
                )
                .with_help(help),
            );
            continue;
        };
        if let Some(refusal) = refusal(program, document, as_of, rule, &waiver) {
            diagnostics.push(refusal);
            continue;
        }
        let in_force = match waiver.expires {
            Some((expires, span)) if as_of > expires => {
                diagnostics.push(
                    Diagnostic::new(
                        BuiltinCode::WaiverExpired,
                        format!("the waiver of `{rule_id}` expired on {expires}, so the rule applies again"),
                        Some(span),
                    )
                    .with_help("renew the waiver with a new `expires` date, or comply with the rule"),
                );
                false
            }
            _ => true,
        };
        if let Some((element, span)) = waiver.element {
            let names_something = rule.for_each.is_some()
                && outcomes.iter().any(|outcome| {
                    outcome.rule.id == rule.id
                        && outcome.element.as_ref().and_then(|(name, _)| name.as_deref()) == Some(element)
                });
            if !names_something {
                let message = if rule.for_each.is_some() {
                    format!(
                        "`{element}` is not one of the elements `{rule_id}` applies to, so this waiver waives nothing"
                    )
                } else {
                    format!("`{rule_id}` is not a per-element rule, so a waiver naming an element waives nothing")
                };
                diagnostics.push(
                    Diagnostic::new(BuiltinCode::WaiverUnusedElement, message, Some(span))
                        .with_help("name the element exactly as its `name` is written, or remove `element`"),
                );
                continue;
            }
        }
        if !in_force {
            continue;
        }
        for outcome in outcomes.iter_mut() {
            if outcome.rule.id != rule.id || !matches!(outcome.outcome, Outcome::Fail | Outcome::Undetermined) {
                continue;
            }
            let matches = match waiver.element {
                None => true,
                Some((element, _)) => outcome.element.as_ref().and_then(|(name, _)| name.as_deref()) == Some(element),
            };
            if !matches {
                continue;
            }
            outcome.undetermined_waived = outcome.outcome == Outcome::Undetermined;
            outcome.outcome = Outcome::Waived;
            outcome.waiver = Some(waiver.info.clone());
        }
    }
    diagnostics
}

/// The diagnostic refusing a waiver of a rule waivable only for `period` after the date
/// `anchor` gives on this constitution (`waivable for at most 6 months after
/// trust.operational_from`): the waiver must expire by then, and the date must be known.
fn anchored_refusal(
    program: &Program,
    document: &Document,
    as_of: Date,
    rule: &RuleDef,
    anchor: &crate::policy::ir::TExpr,
    period: crate::value::Duration,
    waiver: &Waiver<'_>,
) -> Option<Diagnostic> {
    let (rule_id, rule_span) = waiver.rule;
    let mut evaluator = Evaluator::new(program, document, as_of);
    evaluator.enter_rule(rule.frame_size);
    let start = match evaluator.eval(anchor) {
        Ok(Val { v: V::Scalar(Scalar::Date(date)), .. }) => Some(date),
        _ => None,
    };
    let Some(start) = start else {
        return Some(
            Diagnostic::new(
                BuiltinCode::WaiverTooLong,
                format!(
                    "`{rule_id}` may be waived only for {period} from a date this constitution does not state, so the waiver does not apply"
                ),
                Some(rule_span),
            )
            .with_help("state the date the period runs from (the rule's `explain` says which), then set `expires` within it"),
        );
    };
    let latest = add_duration(start, period)?;
    match waiver.expires {
        Some((expires, _)) if expires <= latest => None,
        expires => {
            let span = expires.map_or(rule_span, |(_, span)| span);
            let runs = match expires {
                Some((expires, _)) => format!("this one runs until {expires}"),
                None => "this one has no `expires` date".to_owned(),
            };
            Some(
                Diagnostic::new(
                    BuiltinCode::WaiverTooLong,
                    format!("`{rule_id}` may be waived only until {latest}, {period} after {start}, but {runs}, so the waiver does not apply"),
                    Some(span),
                )
                .with_help(format!("set `expires` no later than {latest}")),
            )
        }
    }
}

/// The diagnostic refusing a waiver the rule does not allow: of a rule that is not
/// waivable, or longer than the rule allows (or open-ended). `None` when it is allowed.
fn refusal(
    program: &Program,
    document: &Document,
    as_of: Date,
    rule: &RuleDef,
    waiver: &Waiver<'_>,
) -> Option<Diagnostic> {
    let (rule_id, rule_span) = waiver.rule;
    if let (Waivability::AtMost(period), Some(anchor)) = (rule.waivable, &rule.waivable_from) {
        return anchored_refusal(program, document, as_of, rule, anchor, period, waiver);
    }
    match rule.waivable {
        Waivability::Waivable => None,
        Waivability::NotWaivable => Some(
            Diagnostic::new(
                BuiltinCode::WaiverNotWaivable,
                format!("`{rule_id}` cannot be waived, so this waiver does not apply and the rule's outcome stands"),
                Some(rule_span),
            )
            .with_help("comply with the rule, or remove the waiver"),
        ),
        Waivability::AtMost(period) => {
            let latest = waiver.approved_on.and_then(|approved| add_duration(approved, period));
            match (waiver.expires, latest) {
                (Some((expires, _)), Some(latest)) if expires <= latest => None,
                (expires, latest) => {
                    let span = expires.map_or(rule_span, |(_, span)| span);
                    let runs = match expires {
                        Some((expires, _)) => format!("this one runs until {expires}"),
                        None => "this one has no `expires` date".to_owned(),
                    };
                    let help = match latest {
                        Some(latest) => format!("set `expires` no later than {latest}, {period} after its approval"),
                        None => format!("set `expires` within {period} of `approved_on`"),
                    };
                    Some(
                        Diagnostic::new(
                            BuiltinCode::WaiverTooLong,
                            format!(
                                "`{rule_id}` may be waived for at most {period}, but {runs}, so the waiver does not apply"
                            ),
                            Some(span),
                        )
                        .with_help(help),
                    )
                }
            }
        }
    }
}
