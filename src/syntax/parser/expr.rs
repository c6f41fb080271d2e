//! Expressions: the Pratt parser over operands and operators, and literals.

use std::str::FromStr;
use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;

use super::{Builder, Result, Rule, children};
use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::value::{duration_of, parse_money, parse_percent};

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left)
            | Op::infix(Rule::op_contains, Assoc::Left)
            | Op::infix(Rule::op_starts_with, Assoc::Left)
            | Op::infix(Rule::op_ends_with, Assoc::Left)
            | Op::infix(Rule::op_matches, Assoc::Left))
        .op(Op::postfix(Rule::op_is_set)
            | Op::postfix(Rule::op_is_not_set)
            | Op::postfix(Rule::op_is_blank)
            | Op::postfix(Rule::op_is_not_blank))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

impl Builder<'_> {
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        PRATT
            .map_primary(|primary| self.operand(primary))
            .map_prefix(|op, operand| {
                let operand = operand?;
                let span = self.span(&op).to(operand.span);
                let op = if op.as_rule() == Rule::op_not { UnaryOp::Not } else { UnaryOp::Neg };
                Ok(Expr { kind: ExprKind::Unary { op, operand: Box::new(operand) }, span })
            })
            .map_postfix(|operand, op| {
                let operand = operand?;
                let op_span = self.span(&op);
                if matches!(operand.kind, ExprKind::IsSet { .. } | ExprKind::IsBlank { .. }) {
                    return Err(Box::new(
                        Diagnostic::new(
                            BuiltinCode::PolicySyntax,
                            "`is set` and `is blank` cannot follow another `is`",
                            Some(op_span),
                        )
                        .with_help("test a value once: `x is set`, `x is not set`, `x is blank` or `x is not blank`"),
                    ));
                }
                let span = operand.span.to(op_span);
                let operand = Box::new(operand);
                let kind = match op.as_rule() {
                    Rule::op_is_blank => ExprKind::IsBlank { operand, negated: false },
                    Rule::op_is_not_blank => ExprKind::IsBlank { operand, negated: true },
                    rule => ExprKind::IsSet { operand, negated: rule == Rule::op_is_not_set },
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op_span = self.span(&op);
                chain(lhs, binary_op(op.as_rule()), op_span, rhs)
            })
            .parse(pair.into_inner())
    }

    fn operand(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::group => {
                let mut inner = children(pair);
                let mut expr = self.expr(self.next(&mut inner, span, "parentheses")?)?;
                expr.span = span;
                return Ok(expr);
            }
            Rule::path => {
                let mut inner = children(pair);
                let mut head = self.ident(self.next(&mut inner, span, "name")?);
                let mut args = None;
                let mut fields = Vec::new();
                for part in inner {
                    if part.as_rule() == Rule::arguments {
                        // A field before the arguments names a `let` of another policy:
                        // `procurement.in_house(c)` calls `in_house` of `procurement`.
                        if let Some(name) = fields.pop() {
                            let name: Ident = name;
                            head =
                                Ident { name: format!("{}.{}", head.name, name.name), span: head.span.to(name.span) };
                        }
                        args = Some(children(part).map(|arg| self.expr(arg)).collect::<Result<Vec<_>>>()?);
                    } else {
                        fields.push(self.field_name(part)?);
                    }
                }
                match args {
                    Some(args) => ExprKind::Call { func: head, args, fields },
                    None => ExprKind::Path { head, fields },
                }
            }
            Rule::list => ExprKind::List(children(pair).map(|item| self.expr(item)).collect::<Result<_>>()?),
            Rule::quantifier => {
                let mut inner = children(pair);
                let quantity = match self.next(&mut inner, span, "quantifier")?.as_str().trim() {
                    "all" => Quantity::All,
                    _ => Quantity::Any,
                };
                let var = self.ident(self.next(&mut inner, span, "quantifier")?);
                let collection = Box::new(self.expr(self.next(&mut inner, span, "quantifier")?)?);
                let mut next = self.next(&mut inner, span, "quantifier")?;
                let mut filter = None;
                if next.as_rule() == Rule::where_clause {
                    filter = Some(Box::new(self.where_clause(next)?));
                    next = self.next(&mut inner, span, "quantifier")?;
                }
                let body = Box::new(self.expr(next)?);
                ExprKind::Quantifier { quantity, var, collection, filter, body }
            }
            Rule::conditional => {
                let mut inner = children(pair);
                let cond = Box::new(self.expr(self.next(&mut inner, span, "if")?)?);
                let then = Box::new(self.expr(self.next(&mut inner, span, "then")?)?);
                let otherwise = Box::new(self.expr(self.next(&mut inner, span, "else")?)?);
                ExprKind::If { cond, then, otherwise }
            }
            Rule::aggregate => self.aggregate(pair, span)?,
            Rule::count => self.count(pair, span)?,
            Rule::first_access => {
                let mut parts = children(pair);
                let first = self.next(&mut parts, span, "first")?;
                let first_span = self.span(&first);
                let ExprKind::Aggregate { var, collection, filter, .. } = self.count(first, first_span)? else {
                    return Err(self.internal(span, "first"));
                };
                let kind = ExprKind::Aggregate { func: AggregateFn::First, var, element: None, collection, filter };
                let fields = self.fields(parts)?;
                if fields.is_empty() {
                    kind
                } else {
                    ExprKind::Access { base: Box::new(Expr { kind, span: first_span }), fields }
                }
            }
            _ => ExprKind::Literal(self.literal(pair)?),
        };
        Ok(Expr { kind, span })
    }

    pub(super) fn fields<'i>(&self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<Vec<Ident>> {
        pairs.map(|field| self.field_name(field)).collect()
    }

    pub(super) fn field_name(&self, pair: Pair<'_, Rule>) -> Result<Ident> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        Ok(self.ident(self.next(&mut inner, span, "field")?))
    }

    fn aggregate(&self, pair: Pair<'_, Rule>, span: Span) -> Result<ExprKind> {
        let mut inner = children(pair);
        let func = match self.next(&mut inner, span, "aggregate")?.as_str().trim() {
            "sum" => AggregateFn::Sum,
            "min" => AggregateFn::Min,
            _ => AggregateFn::Max,
        };
        let first = self.expr(self.next(&mut inner, span, "aggregate")?)?;
        let Some(comprehension) = inner.next() else {
            return Ok(ExprKind::Aggregate {
                func,
                var: None,
                element: None,
                collection: Box::new(first),
                filter: None,
            });
        };
        let comprehension_span = self.span(&comprehension);
        let mut parts = children(comprehension);
        let var = self.ident(self.next(&mut parts, comprehension_span, "for")?);
        let collection = Box::new(self.expr(self.next(&mut parts, comprehension_span, "for")?)?);
        let filter = match parts.next() {
            Some(clause) => Some(Box::new(self.where_clause(clause)?)),
            None => None,
        };
        Ok(ExprKind::Aggregate { func, var: Some(var), element: Some(Box::new(first)), collection, filter })
    }

    pub(super) fn count(&self, pair: Pair<'_, Rule>, span: Span) -> Result<ExprKind> {
        let mut inner = children(pair);
        let mut next = self.next(&mut inner, span, "count")?;
        let mut var = None;
        if next.as_rule() == Rule::binding {
            let binding_span = self.span(&next);
            let mut parts = children(next);
            var = Some(self.ident(self.next(&mut parts, binding_span, "count")?));
            next = self.next(&mut inner, span, "count")?;
        }
        let collection = Box::new(self.expr(next)?);
        let filter = match inner.next() {
            Some(clause) => Some(Box::new(self.where_clause(clause)?)),
            None => None,
        };
        Ok(ExprKind::Aggregate { func: AggregateFn::Count, var, element: None, collection, filter })
    }

    pub(super) fn literal(&self, pair: Pair<'_, Rule>) -> Result<Literal> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let invalid = |what: &str, help: &str| {
            Box::new(
                Diagnostic::new(BuiltinCode::PolicySyntax, format!("`{text}` is not {what}"), Some(span))
                    .with_help(help.to_owned()),
            )
        };
        match pair.as_rule() {
            Rule::boolean => Ok(Literal::Bool(text == "true")),
            Rule::date => jiff::civil::Date::from_str(text)
                .map(Literal::Date)
                .map_err(|_| invalid("a calendar date", "write a real date as YYYY-MM-DD, for example 2025-02-24")),
            Rule::duration => {
                let mut words = text.split_whitespace();
                let count = words.next().and_then(|count| count.parse::<i64>().ok());
                let unit = words.next().unwrap_or("");
                count
                    .and_then(|count| duration_of(count, unit))
                    .map(Literal::Duration)
                    .ok_or_else(|| invalid("a duration", "write a whole number and a unit, for example 3 years"))
            }
            Rule::percent => {
                parse_percent(text).map(Literal::Percent).map_err(|error| invalid("a percentage", error.help()))
            }
            Rule::money => {
                parse_money(text).map(Literal::Money).map_err(|error| invalid("an amount of money", error.help()))
            }
            Rule::number => {
                if text.contains('.') {
                    Decimal::from_str(text)
                        .map(Literal::Decimal)
                        .map_err(|_| invalid("a number trustcheck can hold exactly", "use fewer digits"))
                } else {
                    text.parse::<i64>()
                        .map(Literal::Int)
                        .map_err(|_| invalid("a whole number trustcheck can hold", "use a smaller number"))
                }
            }
            Rule::string => Ok(Literal::Text(self.string(pair)?.value.into())),
            _ => Err(self.internal(span, "a literal")),
        }
    }
}

/// The infix operator a grammar rule stands for.
fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_in => BinaryOp::In,
        Rule::op_not_in => BinaryOp::NotIn,
        Rule::op_contains => BinaryOp::Contains,
        Rule::op_starts_with => BinaryOp::StartsWith,
        Rule::op_ends_with => BinaryOp::EndsWith,
        Rule::op_matches => BinaryOp::Matches,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        _ => BinaryOp::Div,
    }
}

/// Joins `lhs op rhs`, extending `lhs` in place when it is an unbracketed chain of the same
/// precedence level, so that a chain of any length is one flat node. Comparisons do not chain:
/// `a == b == c` is refused, as Rust refuses it, because it rarely means what it seems to.
fn chain(lhs: Expr, op: BinaryOp, op_span: Span, rhs: Expr) -> Result<Expr> {
    let span = lhs.span.to(rhs.span);
    let level = op.precedence();
    let mut lhs = lhs;
    if let ExprKind::Chain { first, rest } = &mut lhs.kind {
        let unbracketed = rest.last().is_some_and(|last| first.span.to(last.operand.span) == lhs.span);
        let same_level = rest.first().is_some_and(|link| link.op.precedence() == level);
        if unbracketed && same_level {
            if level == Precedence::Compare {
                return Err(Box::new(
                    Diagnostic::new(
                        BuiltinCode::PolicySyntax,
                        format!("`{}` cannot follow another comparison", op.symbol()),
                        Some(op_span),
                    )
                    .with_help("join the two comparisons with `and`, or add parentheses to say which comes first"),
                ));
            }
            rest.push(Link { op, op_span, operand: rhs });
            lhs.span = span;
            return Ok(lhs);
        }
    }
    Ok(Expr { kind: ExprKind::Chain { first: Box::new(lhs), rest: vec![Link { op, op_span, operand: rhs }] }, span })
}
