//! Operators: `not`, `-`, `and`/`or`, comparisons, membership and arithmetic with units.

use crate::diagnostic::BuiltinCode;
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp, Precedence, UnaryOp};
use crate::value::Scalar;

use super::{ExprChecker, LetTable, Scope, compatible, error_expr};
use crate::policy::ir::{ArithOp, ArithStep, DurationUnit, TExpr, TKind, Ty};

impl<L: LetTable> ExprChecker<'_, L> {
    pub(super) fn unary(&mut self, op: UnaryOp, operand: &ast::Expr, scope: &mut Scope, span: Span) -> TExpr {
        match op {
            UnaryOp::Not => {
                let operand = self.condition(operand, scope);
                TExpr { kind: TKind::Not(Box::new(operand)), ty: Ty::Bool, span }
            }
            UnaryOp::Neg => {
                let operand = self.expr(operand, scope, None);
                match operand.ty {
                    Ty::Int | Ty::Decimal | Ty::Percent | Ty::Money | Ty::Error => {
                        let ty = operand.ty.clone();
                        TExpr { kind: TKind::Neg(Box::new(operand)), ty, span }
                    }
                    ref other => {
                        let message =
                            format!("`-` applies to numbers, percentages and money, not {}", other.describe());
                        self.fail(span, BuiltinCode::PolicyType, message, None)
                    }
                }
            }
        }
    }

    pub(super) fn operands(&mut self, lhs: &ast::Expr, rhs: &ast::Expr, scope: &mut Scope) -> (TExpr, TExpr) {
        if self.is_bare_enum_candidate(lhs, scope) && !self.is_bare_enum_candidate(rhs, scope) {
            let rhs = self.expr(rhs, scope, None);
            let hint = Some(&rhs.ty).filter(|ty| **ty != Ty::Error);
            let lhs = self.expr(lhs, scope, hint);
            (lhs, rhs)
        } else {
            let lhs = self.expr(lhs, scope, None);
            if lhs.ty == Ty::Error && self.is_bare_enum_candidate(rhs, scope) {
                // The value's type is unknown, so an enum value beside it cannot be judged.
                return (lhs, error_expr(rhs.span));
            }
            let hint = Some(&lhs.ty).filter(|ty| **ty != Ty::Error);
            let rhs = self.expr(rhs, scope, hint);
            (lhs, rhs)
        }
    }

    /// Checks a flat chain of infix operators of one precedence level.
    pub(super) fn chain(&mut self, first: &ast::Expr, rest: &[ast::Link], scope: &mut Scope, span: Span) -> TExpr {
        let Some(level) = rest.first().map(|link| link.op.precedence()) else {
            return self.expr(first, scope, None);
        };
        match level {
            Precedence::Or | Precedence::And => {
                let mut operands = Vec::with_capacity(rest.len() + 1);
                operands.push(self.condition(first, scope));
                for link in rest {
                    operands.push(self.condition(&link.operand, scope));
                }
                TExpr { kind: TKind::Logic { and: level == Precedence::And, operands }, ty: Ty::Bool, span }
            }
            Precedence::Compare => match rest {
                [link] => self.binary(link.op, first, &link.operand, scope, span),
                _ => self.fail(span, BuiltinCode::PolicySyntax, "comparisons cannot be chained".into(), None),
            },
            Precedence::Additive | Precedence::Multiplicative => {
                let mut value = self.expr(first, scope, None);
                for link in rest {
                    let operand = self.expr(&link.operand, scope, None);
                    value = self.arith(link.op, value, operand, first.span.to(link.operand.span));
                }
                value
            }
        }
    }

    pub(super) fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let operands = vec![self.condition(lhs, scope), self.condition(rhs, scope)];
                TExpr { kind: TKind::Logic { and: op == BinaryOp::And, operands }, ty: Ty::Bool, span }
            }
            BinaryOp::In | BinaryOp::NotIn | BinaryOp::Contains => self.membership(op, lhs, rhs, scope, span),
            BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Matches => self.text_test(op, lhs, rhs, scope, span),
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let (lhs, rhs) = self.operands(lhs, rhs, scope);
                self.compare(op, lhs, rhs, span)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let lhs_checked = self.expr(lhs, scope, None);
                let rhs_checked = self.expr(rhs, scope, None);
                self.arith(op, lhs_checked, rhs_checked, span)
            }
        }
    }

    pub(super) fn compare(&mut self, op: BinaryOp, lhs: TExpr, rhs: TExpr, span: Span) -> TExpr {
        let ok = |kind| TExpr { kind, ty: Ty::Bool, span };
        let make = |lhs: TExpr, rhs: TExpr| TKind::Compare { op, lhs: Box::new(lhs), rhs: Box::new(rhs) };
        if lhs.ty == Ty::Error || rhs.ty == Ty::Error {
            return ok(make(lhs, rhs));
        }
        let ordering = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
        if let (Ty::Duration(a), Ty::Duration(b)) = (&lhs.ty, &rhs.ty) {
            if *a == DurationUnit::Unknown || *b == DurationUnit::Unknown || a != b {
                return self.fail(
                    span,
                    BuiltinCode::PolicyType,
                    "two durations can only be compared when both are in months and years, or both in days".into(),
                    Some("anchor them on a date, for example `c.start + c.initial_term <= c.start + 3 years`".into()),
                );
            }
            return ok(make(lhs, rhs));
        }
        if !compatible(self.schema, &lhs.ty, &rhs.ty) && !compatible(self.schema, &rhs.ty, &lhs.ty) {
            let help = unit_help(&lhs, &rhs).or_else(|| unit_help(&rhs, &lhs));
            let message = format!("cannot compare {} with {}", lhs.ty.describe(), rhs.ty.describe());
            return self.fail(span, BuiltinCode::PolicyType, message, help);
        }
        if ordering && !matches!(lhs.ty, Ty::Int | Ty::Decimal | Ty::Percent | Ty::Money | Ty::Date) {
            let message =
                format!("`{}` orders numbers, percentages, money and dates, not {}", op.symbol(), lhs.ty.describe());
            return self.fail(span, BuiltinCode::PolicyType, message, None);
        }
        if matches!(lhs.ty, Ty::Record(_) | Ty::List(_) | Ty::Table | Ty::EmptyList) {
            let message = format!("{} cannot be compared with `{}`", lhs.ty.describe(), op.symbol());
            return self.fail(span, BuiltinCode::PolicyType, message, Some("compare one of its fields".into()));
        }
        ok(make(lhs, rhs))
    }

    /// `starts with`, `ends with` and `matches`: text on both sides; a `matches` pattern is a
    /// text literal, compiled here with bounded size so that a bad pattern is a policy error.
    pub(super) fn text_test(
        &mut self,
        op: BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let text = self.expr(lhs, scope, None);
        let text = self.require_type(text, &Ty::Text, &format!("the left side of `{}`", op.symbol()));
        let other = self.expr(rhs, scope, None);
        let other = self.require_type(other, &Ty::Text, &format!("the right side of `{}`", op.symbol()));
        if text.ty == Ty::Error || other.ty == Ty::Error {
            return error_expr(span);
        }
        if op != BinaryOp::Matches {
            let kind =
                TKind::Affix { starts: op == BinaryOp::StartsWith, text: Box::new(text), affix: Box::new(other) };
            return TExpr { kind, ty: Ty::Bool, span };
        }
        let TKind::Literal(Scalar::Text(pattern)) = &other.kind else {
            return self.fail(
                other.span,
                BuiltinCode::PolicyType,
                "`matches` needs a pattern written as text here, such as \"^[0-9]{4}/[0-9]+$\"".into(),
                None,
            );
        };
        match regex::RegexBuilder::new(pattern).size_limit(1 << 20).dfa_size_limit(1 << 20).nest_limit(64).build() {
            Ok(pattern) => TExpr { kind: TKind::Matches { text: Box::new(text), pattern }, ty: Ty::Bool, span },
            Err(error) => {
                let message = format!(
                    "this is not a pattern trustcheck can use: {}",
                    error.to_string().lines().last().unwrap_or("invalid")
                );
                self.fail(
                    other.span,
                    BuiltinCode::PolicyType,
                    message,
                    Some("write a regular expression such as \"^CAB-[0-9]+$\"".into()),
                )
            }
        }
    }

    pub(super) fn membership(
        &mut self,
        op: BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let (needle_ast, list_ast) = if op == BinaryOp::Contains { (rhs, lhs) } else { (lhs, rhs) };
        let (needle, list) = if self.is_bare_enum_candidate(needle_ast, scope) {
            let list = self.expr(list_ast, scope, None);
            if list.ty == Ty::Error {
                return error_expr(span);
            }
            let hint = match &list.ty {
                Ty::List(element) => Some(element.as_ref().clone()),
                _ => None,
            };
            (self.expr(needle_ast, scope, hint.as_ref()), list)
        } else {
            let needle = self.expr(needle_ast, scope, None);
            let hint = Ty::List(Box::new(needle.ty.clone()));
            let list = self.expr(list_ast, scope, Some(&hint));
            (needle, list)
        };
        if needle.ty != Ty::Error && list.ty != Ty::Error {
            match &list.ty {
                Ty::List(element)
                    if compatible(self.schema, element, &needle.ty) || compatible(self.schema, &needle.ty, element) => {
                }
                Ty::EmptyList => {}
                Ty::List(element) => {
                    let message =
                        format!("cannot look for {} in a list of {}", needle.ty.describe(), element.describe());
                    return self.fail(span, BuiltinCode::PolicyType, message, None);
                }
                other => {
                    let message = format!("`{}` needs a list, but this is {}", op.symbol(), other.describe());
                    let help = (*other == Ty::Text).then(|| {
                        "to test text, write `starts with`, `ends with`, `matches \"PATTERN\"` or `is blank`".to_owned()
                    });
                    return self.fail(list.span, BuiltinCode::PolicyType, message, help);
                }
            }
        }
        TExpr {
            kind: TKind::Member { needle: Box::new(needle), list: Box::new(list), negated: op == BinaryOp::NotIn },
            ty: Ty::Bool,
            span,
        }
    }

    pub(super) fn arith(&mut self, op: BinaryOp, lhs: TExpr, rhs: TExpr, span: Span) -> TExpr {
        if lhs.ty == Ty::Error || rhs.ty == Ty::Error {
            return error_expr(span);
        }
        let arith_op = match op {
            BinaryOp::Add => ArithOp::Add,
            BinaryOp::Sub => ArithOp::Sub,
            BinaryOp::Mul => ArithOp::Mul,
            _ => ArithOp::Div,
        };
        if arith_op == ArithOp::Div && is_literal_zero(&rhs) {
            return self.fail(
                rhs.span,
                BuiltinCode::PolicyType,
                "division by zero: this divides by a literal 0".into(),
                Some("divide by a value that cannot be zero, or remove the division".into()),
            );
        }
        let additive = matches!(arith_op, ArithOp::Add | ArithOp::Sub);
        let subtract = arith_op == ArithOp::Sub;
        use Ty::*;
        let result = match (&lhs.ty, &rhs.ty) {
            (Date, Duration(_)) if additive => {
                let (date, mut durations) = match lhs.kind {
                    TKind::Shift { date, durations } => (date, durations),
                    kind => (Box::new(TExpr { kind, ty: Date, span: lhs.span }), Vec::new()),
                };
                durations.push((subtract, rhs));
                return TExpr { kind: TKind::Shift { date, durations }, ty: Date, span };
            }
            (Duration(a), Duration(b)) if additive => {
                let unit = if a == b { *a } else { DurationUnit::Unknown };
                let mut terms = match lhs.kind {
                    TKind::DurationSum { terms } => terms,
                    kind => vec![(false, TExpr { kind, ty: lhs.ty.clone(), span: lhs.span })],
                };
                terms.push((subtract, rhs));
                return TExpr { kind: TKind::DurationSum { terms }, ty: Duration(unit), span };
            }
            (Int, Int) if arith_op != ArithOp::Div => Some(Int),
            (Int | Decimal, Int | Decimal) => Some(Decimal),
            (Percent, Percent) if additive => Some(Percent),
            (Money, Money) if additive => Some(Money),
            (Money, Money) if arith_op == ArithOp::Div => Some(Decimal),
            (Percent, Percent) if arith_op == ArithOp::Div => Some(Decimal),
            (Money, Int | Decimal | Percent) if !additive => Some(Money),
            (Int | Decimal | Percent, Money) if arith_op == ArithOp::Mul => Some(Money),
            (Percent, Int | Decimal) if !additive => Some(Percent),
            (Int | Decimal, Percent) if arith_op == ArithOp::Mul => Some(Percent),
            _ => None,
        };
        match result {
            Some(ty) => {
                let step = ArithStep { op: arith_op, operand: rhs, span };
                let kind = match lhs.kind {
                    TKind::Arith { first, mut rest } => {
                        rest.push(step);
                        TKind::Arith { first, rest }
                    }
                    kind => {
                        TKind::Arith { first: Box::new(TExpr { kind, ty: lhs.ty, span: lhs.span }), rest: vec![step] }
                    }
                };
                TExpr { kind, ty, span }
            }
            None => {
                let message =
                    format!("cannot apply `{}` to {} and {}", op.symbol(), lhs.ty.describe(), rhs.ty.describe());
                let help = unit_help(&lhs, &rhs).or_else(|| unit_help(&rhs, &lhs));
                self.fail(span, BuiltinCode::PolicyType, message, help)
            }
        }
    }
}

fn unit_help(unit_side: &TExpr, number_side: &TExpr) -> Option<String> {
    let TKind::Literal(scalar) = &number_side.kind else { return None };
    let number = match scalar {
        Scalar::Int(value) => value.to_string(),
        Scalar::Decimal(value) => value.normalize().to_string(),
        _ => return None,
    };
    match unit_side.ty {
        Ty::Percent => Some(format!("write the percentage as `{number}%`")),
        Ty::Money => Some(format!("write the amount as `£{number}`")),
        Ty::Duration(_) => Some(format!("write the duration with its unit, for example `{number} years`")),
        _ => None,
    }
}

/// Whether an expression is a literal zero: `0`, `0.0`, `0%`, `£0`.
fn is_literal_zero(expr: &TExpr) -> bool {
    match &expr.kind {
        TKind::Literal(Scalar::Int(value)) => *value == 0,
        TKind::Literal(Scalar::Decimal(value) | Scalar::Percent(value) | Scalar::Money(value)) => value.is_zero(),
        _ => false,
    }
}
