//! Name resolution and type checking of expressions: AST expressions → typed expressions.
//!
//! Names resolve in order: a local variable, a `let`, `as_of`, a field of the root record,
//! then a value of the enum the context expects (or `Enum.value`). Every error is reported
//! with a span; an expression already in error has type [`Ty::Error`], which silences
//! follow-on errors. Names and fields are resolved in `names`, operators in `operators`,
//! quantifiers and aggregates in `collections`.

mod collections;
mod names;
mod operators;

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::schema::{FieldType, Schema};
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind, Literal};
use crate::value::Scalar;

use super::ir::{DurationUnit, LetId, TExpr, TKind, Ty};
use super::symbols::Symbol;

/// Local variables in scope while checking one `let` or rule.
#[derive(Default)]
pub struct Scope {
    locals: Vec<(String, usize, Ty, Span)>,
    next_slot: usize,
    /// The most slots in use at once: the frame size.
    pub max_slots: usize,
}

impl Scope {
    /// Binds a new local variable, written at `span`, and returns its slot.
    pub fn bind(&mut self, name: &str, span: Span, ty: Ty) -> usize {
        let slot = self.next_slot;
        self.locals.push((name.to_owned(), slot, ty, span));
        self.next_slot += 1;
        self.max_slots = self.max_slots.max(self.next_slot);
        slot
    }

    pub(super) fn unbind(&mut self) {
        if self.locals.pop().is_some() {
            self.next_slot = self.next_slot.saturating_sub(1);
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<(usize, &Ty, Span)> {
        self.locals.iter().rev().find(|(local, ..)| local == name).map(|(_, slot, ty, span)| (*slot, ty, *span))
    }
}

/// What the expression checker needs to know of `let`s.
pub trait LetTable {
    /// The id, number of parameters and parameter types of a `let`, if one has this name.
    fn lookup_let(&self, name: &str) -> Option<(LetId, Vec<Ty>)>;
    /// The type of a `let`'s value, checking its body first if need be (`None` in a cycle).
    fn let_type(&mut self, id: LetId, used_at: Span) -> Option<Ty>;
    /// All `let` names, for suggestions.
    fn let_names(&self) -> Vec<String>;
    /// The index and value type of a dated table, if one has this name.
    fn lookup_table(&self, name: &str) -> Option<(usize, Ty)>;
    /// Notes that the name at `span` was resolved to `symbol`.
    fn record_use(&mut self, span: Span, symbol: Symbol);
    /// A `let`'s name as written from outside its policy (`POLICY.NAME`).
    fn let_name(&self, id: LetId) -> String;
    /// The policy whose code is being checked, if any.
    fn namespace(&self) -> Option<String>;
}

/// Converts a schema field type into a language type.
pub fn field_ty(ty: &FieldType) -> Ty {
    match ty {
        FieldType::Bool => Ty::Bool,
        FieldType::Int => Ty::Int,
        FieldType::Decimal => Ty::Decimal,
        FieldType::Percent => Ty::Percent,
        FieldType::Money => Ty::Money,
        FieldType::Date => Ty::Date,
        FieldType::Duration => Ty::Duration(DurationUnit::Unknown),
        FieldType::Text => Ty::Text,
        FieldType::Table => Ty::Table,
        FieldType::Enum(name) => Ty::Enum(name.clone().into()),
        FieldType::Record(name) => Ty::Record(name.clone().into()),
        FieldType::List { element, .. } => Ty::List(Box::new(field_ty(element))),
        FieldType::Ref { record, .. } => Ty::Record(record.clone().into()),
    }
}

/// Checks expressions against a schema and a table of `let`s.
pub struct ExprChecker<'a, L: LetTable> {
    /// The schema of constitutions.
    pub schema: &'a Schema,
    /// The `let`s.
    pub lets: &'a mut L,
    /// Errors found.
    pub errors: &'a mut Vec<Diagnostic>,
}

fn error_expr(span: Span) -> TExpr {
    TExpr { kind: TKind::Literal(Scalar::Bool(false)), ty: Ty::Error, span }
}

impl<L: LetTable> ExprChecker<'_, L> {
    pub(super) fn fail(&mut self, span: Span, code: BuiltinCode, message: String, help: Option<String>) -> TExpr {
        self.errors.push(Diagnostic::new(code, message, Some(span)).with_optional_help(help));
        error_expr(span)
    }

    /// Checks an expression that must be a yes/no condition.
    pub fn condition(&mut self, expr: &ast::Expr, scope: &mut Scope) -> TExpr {
        let checked = self.expr(expr, scope, None);
        self.require_type(checked, &Ty::Bool, "a condition")
    }

    pub(crate) fn require_type(&mut self, expr: TExpr, want: &Ty, role: &str) -> TExpr {
        if expr.ty == Ty::Error || compatible(self.schema, want, &expr.ty) {
            return expr;
        }
        let message = format!("{role} must be {}, but this is {}", want.describe(), expr.ty.describe());
        self.fail(expr.span, BuiltinCode::PolicyType, message, None)
    }

    /// Checks an expression; `hint` is the type the context expects, used to resolve bare
    /// enum values.
    pub fn expr(&mut self, expr: &ast::Expr, scope: &mut Scope, hint: Option<&Ty>) -> TExpr {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(literal) => literal_expr(literal, span),
            ExprKind::Path { head, fields } => self.path(head, fields, scope, hint, span),
            ExprKind::Call { func, args, fields } => {
                let call = self.call(func, args, scope, span);
                self.fields(call, fields, span)
            }
            ExprKind::Access { base, fields } => {
                let base = self.expr(base, scope, None);
                self.fields(base, fields, span)
            }
            ExprKind::Unary { op, operand } => self.unary(*op, operand, scope, span),
            ExprKind::Chain { first, rest } => self.chain(first, rest, scope, span),
            ExprKind::IsSet { operand, negated } => {
                let operand = self.expr(operand, scope, None);
                if operand.ty != Ty::Error && !matches!(operand.kind, TKind::Field { .. } | TKind::Local(_)) {
                    return self.fail(
                        span,
                        BuiltinCode::PolicyType,
                        "`is set` applies to a field of the constitution".into(),
                        Some("write it after a field, for example `trust.shadow_from is set`".into()),
                    );
                }
                TExpr { kind: TKind::IsSet { operand: Box::new(operand), negated: *negated }, ty: Ty::Bool, span }
            }
            ExprKind::IsBlank { operand, negated } => {
                let operand = self.expr(operand, scope, None);
                let operand = self.require_type(operand, &Ty::Text, "what `is blank` tests");
                TExpr { kind: TKind::IsBlank { operand: Box::new(operand), negated: *negated }, ty: Ty::Bool, span }
            }
            ExprKind::Quantifier { quantity, var, collection, filter, body } => {
                self.quantifier(*quantity, var, collection, filter.as_deref(), body, scope, span)
            }
            ExprKind::Aggregate { func, var, element, collection, filter } => {
                self.aggregate(*func, var.as_ref(), element.as_deref(), collection, filter.as_deref(), scope, span)
            }
            ExprKind::If { cond, then, otherwise } => {
                let cond = self.condition(cond, scope);
                let then = self.expr(then, scope, hint);
                let otherwise = self.expr(otherwise, scope, Some(&then.ty).filter(|ty| **ty != Ty::Error).or(hint));
                let ty = match join(&then.ty, &otherwise.ty) {
                    Some(ty) => ty,
                    None => {
                        let message = format!(
                            "the two branches of `if` must have the same type, but one is {} and the other {}",
                            then.ty.describe(),
                            otherwise.ty.describe()
                        );
                        return self.fail(otherwise.span, BuiltinCode::PolicyType, message, None);
                    }
                };
                TExpr {
                    kind: TKind::If { cond: Box::new(cond), then: Box::new(then), otherwise: Box::new(otherwise) },
                    ty,
                    span,
                }
            }
            ExprKind::List(items) => {
                let element_hint = match hint {
                    Some(Ty::List(element)) => Some(element.as_ref().clone()),
                    other => other.cloned(),
                };
                let mut checked: Vec<TExpr> = Vec::new();
                let mut element_ty: Option<Ty> = None;
                for item in items {
                    let item_hint = element_ty.clone().or_else(|| element_hint.clone());
                    let item = self.expr(item, scope, item_hint.as_ref());
                    element_ty = match element_ty {
                        None => Some(item.ty.clone()),
                        Some(ty) => match join(&ty, &item.ty) {
                            Some(joined) => Some(joined),
                            None => {
                                let message = format!(
                                    "every item of a list must have the same type, but this is {}",
                                    item.ty.describe()
                                );
                                checked.push(self.fail(item.span, BuiltinCode::PolicyType, message, None));
                                Some(ty)
                            }
                        },
                    };
                    checked.push(item);
                }
                let ty = element_ty.map_or(Ty::EmptyList, |ty| Ty::List(Box::new(ty)));
                TExpr { kind: TKind::List(checked), ty, span }
            }
        }
    }
}

pub(crate) fn literal_expr(literal: &Literal, span: Span) -> TExpr {
    let ty = match literal {
        Scalar::Bool(_) => Ty::Bool,
        Scalar::Int(_) => Ty::Int,
        Scalar::Decimal(_) => Ty::Decimal,
        Scalar::Percent(_) => Ty::Percent,
        Scalar::Money(_) => Ty::Money,
        Scalar::Date(_) => Ty::Date,
        Scalar::Duration(value) if value.is_calendar_months() => Ty::Duration(DurationUnit::Months),
        Scalar::Duration(value) if value.months == 0 => Ty::Duration(DurationUnit::Days),
        Scalar::Duration(_) => Ty::Duration(DurationUnit::Unknown),
        Scalar::Text(_) => Ty::Text,
        Scalar::Enum(_) => Ty::Error,
    };
    TExpr { kind: TKind::Literal(literal.clone()), ty, span }
}

/// True when a value of type `have` can be used where `want` is expected.
pub fn compatible(schema: &Schema, want: &Ty, have: &Ty) -> bool {
    match (want, have) {
        (Ty::Error, _) | (_, Ty::Error) => true,
        (Ty::Int | Ty::Decimal, Ty::Int | Ty::Decimal) => true,
        (Ty::Duration(_), Ty::Duration(_)) => true,
        (Ty::Enum(outer), Ty::Enum(inner)) => schema.enum_includes(outer, inner) || schema.enum_includes(inner, outer),
        (Ty::List(_), Ty::EmptyList) | (Ty::EmptyList, Ty::List(_)) => true,
        (Ty::List(a), Ty::List(b)) => compatible(schema, a, b),
        (a, b) => a == b,
    }
}

/// The common type of two branches or list items.
fn join(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Error, other) | (other, Ty::Error) => Some(other.clone()),
        (Ty::Int, Ty::Decimal) | (Ty::Decimal, Ty::Int) => Some(Ty::Decimal),
        (Ty::Duration(x), Ty::Duration(y)) => Some(Ty::Duration(if x == y { *x } else { DurationUnit::Unknown })),
        (Ty::EmptyList, Ty::List(element)) | (Ty::List(element), Ty::EmptyList) => Some(Ty::List(element.clone())),
        (a, b) if a == b => Some(a.clone()),
        (Ty::Enum(_), Ty::Enum(_)) => Some(a.clone()),
        _ => None,
    }
}
