//! Comparison and arithmetic on exact values, unknown-aware. Arithmetic that overflows or
//! divides by zero is a [`Fault`], never an unknown value: a rule must not fail open.

use std::cmp::Ordering;

use rust_decimal::Decimal as Dec;

use super::value::{Gather, Origins, V, Val, merge, shared, without};
use crate::policy::ir::{ArithOp, Ty};
use crate::syntax::ast::BinaryOp;
use crate::value::Scalar;

/// A number as an exact decimal (ints widened).
fn number(scalar: &Scalar) -> Option<Dec> {
    match scalar {
        Scalar::Int(value) => Some(Dec::from(*value)),
        Scalar::Decimal(value) => Some(*value),
        _ => None,
    }
}

/// Orders two scalars of compatible types; `None` when they cannot be ordered.
fn order(a: &Scalar, b: &Scalar) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Percent(x), Scalar::Percent(y)) | (Scalar::Money(x), Scalar::Money(y)) => Some(x.cmp(y)),
        (Scalar::Date(x), Scalar::Date(y)) => Some(x.cmp(y)),
        (Scalar::Duration(x), Scalar::Duration(y)) if x.days == 0 && y.days == 0 => Some(x.months.cmp(&y.months)),
        (Scalar::Duration(x), Scalar::Duration(y)) if x.months == 0 && y.months == 0 => Some(x.days.cmp(&y.days)),
        (Scalar::Int(x), Scalar::Int(y)) => Some(x.cmp(y)),
        _ => Some(number(a)?.cmp(&number(b)?)),
    }
}

fn equal(a: &Scalar, b: &Scalar) -> Option<bool> {
    match (a, b) {
        (Scalar::Enum(x), Scalar::Enum(y)) | (Scalar::Text(x), Scalar::Text(y)) => Some(x == y),
        (Scalar::Bool(x), Scalar::Bool(y)) => Some(x == y),
        (Scalar::Duration(x), Scalar::Duration(y)) => Some(x == y),
        _ => order(a, b).map(|ordering| ordering == Ordering::Equal),
    }
}

/// A comparison; unknown when either side is.
///
/// The origins keep evaluation order, the left side's first: the left side is what the rule
/// is about (`council_seats * 2 <= board_size`), so its values are the ones an officer would
/// change and the finding points there.
///
/// A value read on both sides (the date a duration is anchored on, in `c.start + term <=
/// c.start + 3 years`) does not decide the comparison, so it is not blamed — as long as the
/// left side keeps a value of its own. When everything on the left is also on the right (the
/// council's seats, counted again in the size of the whole board), the left side's values are
/// the subject, not an anchor, and they stay.
pub fn compare<'d>(op: BinaryOp, lhs: Val<'d>, rhs: Val<'d>) -> Val<'d> {
    let anchors = shared(&lhs.origins, &rhs.origins);
    let left_has_its_own = lhs.origins.len() > anchors.len();
    let (Val { v: left, origins: left_origins }, Val { v: right, origins: right_origins }) = (lhs, rhs);
    let mut origins = merge(left_origins, right_origins);
    if !anchors.is_empty() && left_has_its_own {
        origins = without(origins, &anchors);
    }
    let (V::Scalar(a), V::Scalar(b)) = (&left, &right) else {
        return Val::unknown(origins);
    };
    let result = match op {
        BinaryOp::Eq => equal(a, b),
        BinaryOp::Ne => equal(a, b).map(|same| !same),
        BinaryOp::Lt => order(a, b).map(Ordering::is_lt),
        BinaryOp::Le => order(a, b).map(Ordering::is_le),
        BinaryOp::Gt => order(a, b).map(Ordering::is_gt),
        BinaryOp::Ge => order(a, b).map(Ordering::is_ge),
        _ => None,
    };
    match result {
        Some(truth) => Val::bool(truth, origins),
        None => Val::unknown(origins),
    }
}

/// What went wrong in a piece of arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The result is too large (or too small) to hold exactly.
    Overflow,
    /// A division by zero.
    DivisionByZero,
}

/// Arithmetic that could not be done: what, and the values involved.
#[derive(Clone, Debug)]
pub struct Fault<'d> {
    /// What went wrong.
    pub kind: FaultKind,
    /// The calculation, with its values: `9223372036854775807 * 2`.
    pub calculation: String,
    /// The constitution values involved.
    pub origins: Origins<'d>,
}

impl<'d> Fault<'d> {
    fn new(kind: FaultKind, calculation: String, origins: Origins<'d>) -> Self {
        Fault { kind, calculation, origins }
    }
}

/// `-x`.
pub fn negate(value: Val<'_>) -> std::result::Result<Val<'_>, Fault<'_>> {
    let v = match &value.v {
        V::Scalar(Scalar::Int(x)) => x.checked_neg().map(Scalar::Int),
        V::Scalar(Scalar::Decimal(x)) => Some(Scalar::Decimal(-*x)),
        V::Scalar(Scalar::Percent(x)) => Some(Scalar::Percent(-*x)),
        V::Scalar(Scalar::Money(x)) => Some(Scalar::Money(-*x)),
        _ => None,
    };
    match v {
        Some(scalar) => Ok(Val { v: V::Scalar(scalar), origins: value.origins }),
        None => match &value.v {
            V::Scalar(scalar) => Err(Fault::new(FaultKind::Overflow, format!("-{scalar}"), value.origins)),
            _ => Ok(Val::unknown(value.origins)),
        },
    }
}

fn decimal_op(op: ArithOp, a: Dec, b: Dec) -> Option<Dec> {
    match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => a.checked_mul(b),
        ArithOp::Div => a.checked_div(b),
    }
}

fn percent_of(percent: Dec) -> Option<Dec> {
    percent.checked_div(Dec::from(100))
}

/// Arithmetic with units, exactly; unknown on unknown input, a [`Fault`] on overflow or
/// division by zero.
pub fn arith<'d>(op: ArithOp, lhs: Val<'d>, rhs: Val<'d>) -> std::result::Result<Val<'d>, Fault<'d>> {
    let origins: Origins<'d> = merge(lhs.origins, rhs.origins);
    let (V::Scalar(a), V::Scalar(b)) = (&lhs.v, &rhs.v) else {
        return Ok(Val::unknown(origins));
    };
    use Scalar::*;
    let result = match (a, b) {
        (Int(x), Int(y)) => match op {
            ArithOp::Add => x.checked_add(*y).map(Int),
            ArithOp::Sub => x.checked_sub(*y).map(Int),
            ArithOp::Mul => x.checked_mul(*y).map(Int),
            ArithOp::Div => decimal_op(op, Dec::from(*x), Dec::from(*y)).map(Decimal),
        },
        (Int(_) | Decimal(_), Int(_) | Decimal(_)) => {
            number(a).zip(number(b)).and_then(|(x, y)| decimal_op(op, x, y)).map(Decimal)
        }
        (Percent(x), Percent(y)) => match op {
            ArithOp::Add | ArithOp::Sub => decimal_op(op, *x, *y).map(Percent),
            _ => decimal_op(op, *x, *y).map(Decimal),
        },
        (Money(x), Money(y)) => match op {
            ArithOp::Add | ArithOp::Sub => decimal_op(op, *x, *y).map(Money),
            _ => decimal_op(op, *x, *y).map(Decimal),
        },
        (Money(x), Percent(y)) | (Percent(y), Money(x)) => {
            percent_of(*y).and_then(|share| decimal_op(op, *x, share)).map(Money)
        }
        (Money(x), Int(_) | Decimal(_)) => number(b).and_then(|y| decimal_op(op, *x, y)).map(Money),
        (Int(_) | Decimal(_), Money(y)) => number(a).and_then(|x| decimal_op(op, x, *y)).map(Money),
        (Percent(x), Int(_) | Decimal(_)) => number(b).and_then(|y| decimal_op(op, *x, y)).map(Percent),
        (Int(_) | Decimal(_), Percent(y)) => number(a).and_then(|x| decimal_op(op, x, *y)).map(Percent),
        _ => None,
    };
    match result {
        Some(scalar) => Ok(Val { v: V::Scalar(scalar), origins }),
        None => {
            let symbol = match op {
                ArithOp::Add => "+",
                ArithOp::Sub => "-",
                ArithOp::Mul => "*",
                ArithOp::Div => "/",
            };
            let calculation = format!("{a} {symbol} {b}");
            let kind = if op == ArithOp::Div && is_zero(b) { FaultKind::DivisionByZero } else { FaultKind::Overflow };
            Err(Fault::new(kind, calculation, origins))
        }
    }
}

/// Whether a scalar is a zero number, percentage or amount.
fn is_zero(scalar: &Scalar) -> bool {
    match scalar {
        Scalar::Int(value) => *value == 0,
        Scalar::Decimal(value) | Scalar::Percent(value) | Scalar::Money(value) => value.is_zero(),
        _ => false,
    }
}

/// The sum of values; the sum of nothing is zero of the result type.
pub fn sum<'d>(values: Vec<Val<'d>>, ty: &Ty) -> std::result::Result<Val<'d>, Fault<'d>> {
    let zero = match ty {
        Ty::Percent => Scalar::Percent(Dec::ZERO),
        Ty::Money => Scalar::Money(Dec::ZERO),
        Ty::Decimal => Scalar::Decimal(Dec::ZERO),
        _ => Scalar::Int(0),
    };
    // Origins are gathered once rather than merged at every step, so a sum over n values
    // costs time linear in n.
    let mut total = Val::plain(V::Scalar(zero));
    let mut origins = Gather::default();
    for mut value in values {
        origins.add(std::mem::take(&mut value.origins));
        total = arith(ArithOp::Add, total, value)?;
    }
    total.origins = origins.into_vec();
    Ok(total)
}

/// The least or greatest value; unknown for no values.
pub fn extreme(values: Vec<Val<'_>>, greatest: bool) -> Val<'_> {
    let mut best: Option<Val<'_>> = None;
    for value in values {
        let V::Scalar(scalar) = &value.v else {
            return Val::unknown(value.origins);
        };
        best = match best {
            None => Some(value),
            Some(current) => {
                let ordering = match &current.v {
                    V::Scalar(current_scalar) => order(scalar, current_scalar),
                    _ => None,
                };
                // Values that cannot be ordered (3 years against 4000 days) have no extreme.
                let Some(ordering) = ordering else {
                    return Val::unknown(merge(current.origins, value.origins));
                };
                let better = if greatest { ordering.is_gt() } else { ordering.is_lt() };
                Some(if better { value } else { current })
            }
        };
    }
    best.unwrap_or_else(|| Val::unknown(Origins::new()))
}
