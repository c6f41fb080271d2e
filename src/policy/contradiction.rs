//! Conditions that can never hold, found by reading them: a conjunction (`a and b and …`)
//! that asks one value to be two different things, to equal and differ from the same thing,
//! to lie in an empty range, or to be both true and false. The lint of `validate` uses it on
//! `when` and `require` clauses; it never evaluates anything, so it costs nothing at check time.

use std::cmp::Ordering;

use crate::source::Span;
use crate::syntax::ast::BinaryOp;
use crate::value::Scalar;

use super::ir::{TExpr, TKind};

/// Why a condition can never hold: a sentence, and the two parts that contradict each other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contradiction {
    /// What the two parts ask, in a sentence.
    pub why: String,
    /// The first part.
    pub first: Span,
    /// The part that contradicts it.
    pub second: Span,
}

/// One part of a conjunction read as a constraint on a value: `value op literal`.
struct Constraint<'e> {
    place: String,
    op: BinaryOp,
    literal: &'e Scalar,
    span: Span,
}

/// The first contradiction between the parts of `expr` (read as a conjunction), if any.
pub fn contradiction(expr: &TExpr) -> Option<Contradiction> {
    let mut parts = Vec::new();
    conjuncts(expr, &mut parts);
    let constraints: Vec<Constraint<'_>> = parts.iter().filter_map(|part| constraint(part)).collect();
    for (index, first) in constraints.iter().enumerate() {
        for second in constraints.iter().skip(index + 1).filter(|second| second.place == first.place) {
            if let Some(why) = clash(first, second) {
                return Some(Contradiction { why, first: first.span, second: second.span });
            }
        }
    }
    None
}

/// The operands of nested `and`s, in order.
fn conjuncts<'e>(expr: &'e TExpr, out: &mut Vec<&'e TExpr>) {
    match &expr.kind {
        TKind::Logic { and: true, operands } => operands.iter().for_each(|operand| conjuncts(operand, out)),
        _ => out.push(expr),
    }
}

static TRUE: Scalar = Scalar::Bool(true);
static FALSE: Scalar = Scalar::Bool(false);

/// A part read as a constraint: a comparison of a value with a literal, a true-or-false value,
/// or its negation.
fn constraint(part: &TExpr) -> Option<Constraint<'_>> {
    match &part.kind {
        TKind::Compare { op, lhs, rhs } => match (&lhs.kind, &rhs.kind) {
            (_, TKind::Literal(literal)) => Some(Constraint { place: place(lhs)?, op: *op, literal, span: part.span }),
            (TKind::Literal(literal), _) => {
                Some(Constraint { place: place(rhs)?, op: flipped(*op)?, literal, span: part.span })
            }
            _ => None,
        },
        TKind::Not(inner) => {
            Some(Constraint { place: place(inner)?, op: BinaryOp::Eq, literal: &FALSE, span: part.span })
        }
        _ => Some(Constraint { place: place(part)?, op: BinaryOp::Eq, literal: &TRUE, span: part.span }),
    }
}

/// The same comparison with its sides swapped (`3 < x` is `x > 3`).
fn flipped(op: BinaryOp) -> Option<BinaryOp> {
    Some(match op {
        BinaryOp::Eq | BinaryOp::Ne => op,
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        _ => return None,
    })
}

/// A key naming the value an expression reads, when it reads one without computing:
/// a field path from the root, a variable or `let`, `as_of`.
fn place(expr: &TExpr) -> Option<String> {
    match &expr.kind {
        TKind::Root => Some(String::new()),
        TKind::AsOf => Some("as_of".to_owned()),
        TKind::Local(slot) => Some(format!("#{slot}")),
        TKind::Let(id) => Some(format!("let#{}", id.0)),
        TKind::Field { base, field, .. } => Some(format!("{}.{field}", place(base)?)),
        _ => None,
    }
}

/// Why two constraints on the same value cannot both hold, if they cannot.
fn clash(a: &Constraint<'_>, b: &Constraint<'_>) -> Option<String> {
    use BinaryOp::{Eq, Ge, Gt, Le, Lt, Ne};
    let (x, y) = (a.literal, b.literal);
    match (a.op, b.op) {
        (Eq, Eq) if x != y => Some(format!("the same value cannot be both {x} and {y}")),
        (Eq, Ne) | (Ne, Eq) if x == y => Some(format!("the same value cannot both be and not be {x}")),
        (Eq, op) if holds(x, op, y) == Some(false) => Some(format!("a value that is {x} is not {} {y}", words(op))),
        (op, Eq) if holds(y, op, x) == Some(false) => Some(format!("a value that is {y} is not {} {x}", words(op))),
        (Gt | Ge, Lt | Le) => empty_range(a.op, x, b.op, y),
        (Lt | Le, Gt | Ge) => empty_range(b.op, y, a.op, x),
        _ => None,
    }
}

/// Why `value > low` (or `>=`) and `value < high` (or `<=`) cannot both hold, if they cannot.
fn empty_range(low_op: BinaryOp, low: &Scalar, high_op: BinaryOp, high: &Scalar) -> Option<String> {
    let order = order(low, high)?;
    let empty = match order {
        Ordering::Greater => true,
        Ordering::Equal => !(low_op == BinaryOp::Ge && high_op == BinaryOp::Le),
        Ordering::Less => false,
    };
    empty.then(|| format!("no value is both {} {low} and {} {high}", words(low_op), words(high_op)))
}

/// Whether `value op literal` holds, when the two can be ordered.
fn holds(value: &Scalar, op: BinaryOp, literal: &Scalar) -> Option<bool> {
    let order = order(value, literal)?;
    Some(match op {
        BinaryOp::Lt => order == Ordering::Less,
        BinaryOp::Le => order != Ordering::Greater,
        BinaryOp::Gt => order == Ordering::Greater,
        BinaryOp::Ge => order != Ordering::Less,
        BinaryOp::Ne => order != Ordering::Equal,
        BinaryOp::Eq => order == Ordering::Equal,
        _ => return None,
    })
}

/// The order of two literals of one kind (numbers, percentages, money, dates).
fn order(a: &Scalar, b: &Scalar) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Int(a), Scalar::Int(b)) => Some(a.cmp(b)),
        (Scalar::Decimal(a), Scalar::Decimal(b))
        | (Scalar::Percent(a), Scalar::Percent(b))
        | (Scalar::Money(a), Scalar::Money(b)) => Some(a.cmp(b)),
        (Scalar::Date(a), Scalar::Date(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn words(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Lt => "less than",
        BinaryOp::Le => "at most",
        BinaryOp::Gt => "more than",
        BinaryOp::Ge => "at least",
        BinaryOp::Ne => "other than",
        _ => "equal to",
    }
}
