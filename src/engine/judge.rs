//! Judging rules: `when`, `unless` and `require` in order, per element for per-element
//! rules, giving one outcome each with the values that decided it.

use jiff::civil::Date;

use crate::diagnostic::{Citation, Outcome};
use crate::document::Document;
use crate::eval::{Evaluator, Fault, Origin, Origins, Stop, V, Val, WorkLimit, merge, record_name};
use crate::policy::ir::{MessagePart, Program, RuleDef, TExpr};
use crate::source::Span;

/// The outcome of one rule, or of one element of a per-element rule.
#[derive(Clone, Debug)]
pub struct RuleOutcome<'p, 'd> {
    /// The rule.
    pub rule: &'p RuleDef,
    /// For a per-element rule: the element's name (if it has one) and span.
    pub element: Option<(Option<String>, Span)>,
    /// What happened.
    pub outcome: Outcome,
    /// The values that decided it (for a fail) or the facts missing (for undetermined).
    pub origins: Origins<'d>,
    /// The value `at` points at, when the rule has one.
    pub at: Option<Origin<'d>>,
    /// The message, with values interpolated (fail, undetermined and waived outcomes).
    pub message: Option<String>,
    /// Help, interpolated.
    pub help: Option<String>,
    /// The citation that applies.
    pub citation: Option<Citation>,
    /// The waiver that applies, if the outcome was waived.
    pub waiver: Option<crate::diagnostic::WaiverInfo>,
    /// The outcome was undetermined before a waiver made it waived: its finding still says
    /// which facts are missing and where they belong.
    pub undetermined_waived: bool,
}

impl RuleOutcome<'_, '_> {
    /// What the rule itself decided, before a waiver: a waived outcome was a failure, or
    /// undetermined for want of a fact. Never [`Outcome::Waived`].
    pub fn decided(&self) -> Outcome {
        match self.outcome {
            Outcome::Waived if self.undetermined_waived => Outcome::Undetermined,
            Outcome::Waived => Outcome::Fail,
            decided => decided,
        }
    }
}

/// A rule (or one element of a per-element rule) that could not be judged because its
/// arithmetic overflowed or divided by zero.
#[derive(Clone, Debug)]
pub struct RuleFault<'p, 'd> {
    /// The rule.
    pub rule: &'p RuleDef,
    /// For a per-element rule: the element's name (if it has one) and span.
    pub element: Option<(Option<String>, Span)>,
    /// The expression, in the policy file, whose arithmetic failed.
    pub span: Span,
    /// What failed, with the values involved.
    pub fault: Fault<'d>,
}

/// Every rule's outcome on one document, and the rules that could not be judged.
#[derive(Debug)]
pub struct Judged<'p, 'd> {
    /// One outcome per rule, or per element of a per-element rule, in rule-id order.
    pub outcomes: Vec<RuleOutcome<'p, 'd>>,
    /// Rules (or elements) whose arithmetic failed; they have no outcome.
    pub faults: Vec<RuleFault<'p, 'd>>,
}

impl<'p, 'd> Judged<'p, 'd> {
    /// Records why a rule stopped: a fault is kept, the work limit ends everything.
    fn stopped(
        &mut self,
        rule: &'p RuleDef,
        element: Option<(Option<String>, Span)>,
        stop: Stop<'d>,
    ) -> Result<(), WorkLimit> {
        match stop {
            Stop::WorkLimit => Err(WorkLimit),
            Stop::Arithmetic { span, fault } => {
                self.faults.push(RuleFault { rule, element, span, fault });
                Ok(())
            }
        }
    }
}

/// Judges every rule of `program` on `document`, in rule-id order.
///
/// Each rule is first judged without blame; a rule that fails, cannot be decided or faults
/// is judged again with blame, to say which values decided it. Work is counted once.
pub fn judge_rules<'p, 'd>(
    program: &'p Program,
    document: &'d Document,
    as_of: Date,
) -> Result<Judged<'p, 'd>, WorkLimit> {
    let mut evaluator = Evaluator::new(program, document, as_of);
    // Room for one outcome a rule; a per-element rule may add more.
    let mut judged = Judged { outcomes: Vec::with_capacity(program.rules.len()), faults: Vec::new() };
    for rule in &program.rules {
        evaluator.enter_rule(rule.frame_size);
        match &rule.for_each {
            None => match judge(&mut evaluator, rule, None, None) {
                Ok(Some(outcome)) => judged.outcomes.push(outcome),
                Ok(None) => {}
                Err(stop) => judged.stopped(rule, None, stop)?,
            },
            Some(for_each) => {
                // The elements carry their places: every outcome names its element.
                evaluator.set_blame(true);
                let collection = match evaluator.eval(&for_each.collection) {
                    Ok(collection) => collection,
                    Err(stop) => {
                        judged.stopped(rule, None, stop)?;
                        continue;
                    }
                };
                let V::List(items) = collection.v else {
                    judged.outcomes.push(undetermined(rule, None, collection.origins));
                    continue;
                };
                let mut any = false;
                for item in crate::eval::value::owned_items(items) {
                    let element = element_of(&item);
                    evaluator.bind(for_each.slot, item);
                    any |= match judge(&mut evaluator, rule, for_each.filter.as_ref(), Some(element.clone())) {
                        Ok(Some(outcome)) => {
                            judged.outcomes.push(outcome);
                            true
                        }
                        Ok(None) => false,
                        Err(stop) => {
                            judged.stopped(rule, Some(element), stop)?;
                            true
                        }
                    };
                }
                if !any {
                    judged.outcomes.push(simple(rule, None, Outcome::NotApplicable, Origins::new()));
                }
            }
        }
    }
    Ok(judged)
}

/// What a rule (or one element of a per-element rule) came to, before it is described.
enum Decision<'d> {
    /// A `when` is false, or an `unless` true.
    NotApplicable,
    /// Every `require` holds.
    Pass,
    /// A `require` fails, because of these values.
    Fail(Origins<'d>),
    /// A `require` cannot be decided: these facts are missing.
    RequirementUnknown(Origins<'d>),
    /// Whether the rule applies cannot be decided: these facts are missing.
    ConditionUnknown(Origins<'d>),
}

impl<'d> Decision<'d> {
    /// The outcome, the values behind it, and whether the rule's `at` says where it points.
    fn into_parts(self) -> (Outcome, Origins<'d>, bool) {
        match self {
            Decision::NotApplicable => (Outcome::NotApplicable, Origins::new(), false),
            Decision::Pass => (Outcome::Pass, Origins::new(), false),
            Decision::ConditionUnknown(origins) => (Outcome::Undetermined, origins, false),
            Decision::RequirementUnknown(origins) => (Outcome::Undetermined, origins, true),
            Decision::Fail(origins) => (Outcome::Fail, origins, true),
        }
    }
}

/// Whether an outcome stands without explaining (the rule does not apply, or passes).
fn settled(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::NotApplicable | Outcome::Pass)
}

/// Judges one rule, or one element of a per-element rule (`None` when its `where` filter
/// leaves the element out): first without blame, then, when it does not pass, with blame.
fn judge<'p, 'd>(
    evaluator: &mut Evaluator<'p, 'd>,
    rule: &'p RuleDef,
    filter: Option<&TExpr>,
    element: Option<(Option<String>, Span)>,
) -> Result<Option<RuleOutcome<'p, 'd>>, Stop<'d>> {
    evaluator.set_blame(false);
    match decide(evaluator, rule, filter) {
        Ok(None) => return Ok(None),
        Ok(Some(decision)) => {
            let (outcome, origins, _) = decision.into_parts();
            if settled(outcome) {
                return Ok(Some(simple(rule, element, outcome, origins)));
            }
        }
        Err(Stop::WorkLimit) => return Err(Stop::WorkLimit),
        Err(Stop::Arithmetic { .. }) => {}
    }
    // The same judgement again, with blame: its work was counted the first time.
    evaluator.set_blame(true);
    evaluator.set_recounting(true);
    let decided = decide(evaluator, rule, filter);
    evaluator.set_recounting(false);
    let Some(decision) = decided? else { return Ok(None) };
    let (outcome, origins, pointed) = decision.into_parts();
    let mut outcome = simple(rule, element, outcome, origins);
    if settled(outcome.outcome) {
        return Ok(Some(outcome));
    }
    if pointed {
        point_at(evaluator, rule, &mut outcome)?;
    }
    describe(evaluator, &mut outcome)?;
    Ok(Some(outcome))
}

fn element_of(item: &Val<'_>) -> (Option<String>, Span) {
    let span = item.origins.first().map(|origin| origin.span).unwrap_or_default();
    (item.element_name(), span)
}

fn simple<'p, 'd>(
    rule: &'p RuleDef,
    element: Option<(Option<String>, Span)>,
    outcome: Outcome,
    origins: Origins<'d>,
) -> RuleOutcome<'p, 'd> {
    RuleOutcome {
        rule,
        element,
        outcome,
        origins,
        at: None,
        message: None,
        help: None,
        citation: None,
        waiver: None,
        undetermined_waived: false,
    }
}

fn undetermined<'p, 'd>(
    rule: &'p RuleDef,
    element: Option<(Option<String>, Span)>,
    origins: Origins<'d>,
) -> RuleOutcome<'p, 'd> {
    simple(rule, element, Outcome::Undetermined, origins)
}

/// Decides a rule: its `where` filter (for an element), then `when`, `unless` and `require`
/// in order. `None` when the filter leaves the element out.
fn decide<'d>(
    evaluator: &mut Evaluator<'_, 'd>,
    rule: &RuleDef,
    filter: Option<&TExpr>,
) -> Result<Option<Decision<'d>>, Stop<'d>> {
    if let Some(filter) = filter {
        let keep = evaluator.eval(filter)?;
        match keep.truth() {
            Some(false) => return Ok(None),
            None => return Ok(Some(Decision::ConditionUnknown(keep.origins))),
            Some(true) => {}
        }
    }
    let mut applies: Option<bool> = Some(true);
    let mut unknown = Origins::new();
    for when in &rule.whens {
        let value = evaluator.eval(when)?;
        match value.truth() {
            Some(false) => return Ok(Some(Decision::NotApplicable)),
            None => {
                applies = None;
                unknown = merge(unknown, value.origins);
            }
            Some(true) => {}
        }
    }
    if applies.is_none() {
        return Ok(Some(Decision::ConditionUnknown(unknown)));
    }
    for unless in &rule.unlesses {
        let value = evaluator.eval(unless)?;
        match value.truth() {
            Some(true) => return Ok(Some(Decision::NotApplicable)),
            None => return Ok(Some(Decision::ConditionUnknown(value.origins))),
            Some(false) => {}
        }
    }
    let mut failed = Origins::new();
    let mut any_failed = false;
    let mut missing = Origins::new();
    let mut any_unknown = false;
    for require in &rule.requires {
        let value = evaluator.eval(require)?;
        match value.truth() {
            Some(true) => {}
            Some(false) => {
                any_failed = true;
                failed = merge(failed, value.origins);
            }
            None => {
                any_unknown = true;
                missing = merge(missing, value.origins);
            }
        }
    }
    Ok(Some(if any_failed {
        Decision::Fail(failed)
    } else if any_unknown {
        Decision::RequirementUnknown(missing)
    } else {
        Decision::Pass
    }))
}

/// Finds the value a failed or undecided requirement's `at` points at.
fn point_at<'d>(
    evaluator: &mut Evaluator<'_, 'd>,
    rule: &RuleDef,
    outcome: &mut RuleOutcome<'_, 'd>,
) -> Result<(), Stop<'d>> {
    for at in &rule.at {
        let value = evaluator.eval(at)?;
        outcome.at = value.origins.into_iter().next();
        // A fact that belongs nowhere written (its whole table is left out) points at the
        // start of the file; a later `at` may name a better place.
        if outcome.at.as_ref().is_some_and(|origin| !(origin.span.start == 0 && origin.span.is_empty())) {
            break;
        }
    }
    Ok(())
}

/// Fills in the message, help and citation of a reported outcome.
fn describe<'d>(evaluator: &mut Evaluator<'_, 'd>, outcome: &mut RuleOutcome<'_, 'd>) -> Result<(), Stop<'d>> {
    let rule = outcome.rule;
    if !rule.message.is_empty() {
        outcome.message = Some(render(evaluator, &rule.message)?);
    }
    if !rule.help.is_empty() {
        outcome.help = Some(render(evaluator, &rule.help)?);
    }
    for cite in &rule.cites {
        let applies = match &cite.condition {
            None => true,
            Some(condition) => evaluator.eval(condition)?.truth() == Some(true),
        };
        if applies {
            outcome.citation = Some(cite.citation.clone());
            break;
        }
    }
    Ok(())
}

fn render<'d>(evaluator: &mut Evaluator<'_, 'd>, parts: &[MessagePart]) -> Result<String, Stop<'d>> {
    let mut text = String::new();
    for part in parts {
        match part {
            MessagePart::Text(literal) => text.push_str(literal),
            MessagePart::Expr(expr) => text.push_str(&display(evaluator, expr)?),
        }
    }
    Ok(text)
}

fn display<'d>(evaluator: &mut Evaluator<'_, 'd>, expr: &TExpr) -> Result<String, Stop<'d>> {
    let value = evaluator.eval(expr)?;
    Ok(show(&value))
}

fn show(value: &Val<'_>) -> String {
    match &value.v {
        V::Scalar(scalar) => scalar.to_string(),
        V::Record(record) => record_name(record).map_or_else(|| format!("the {}", record.type_name), str::to_owned),
        V::List(items) if items.is_empty() => "none".to_owned(),
        V::List(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        V::Table => "(a table)".to_owned(),
        V::Unknown => "(not stated)".to_owned(),
    }
}
