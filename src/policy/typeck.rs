//! Name resolution and type checking of expressions: AST expressions → typed expressions.
//!
//! Names resolve in order: a local variable, a `let`, `as_of`, a field of the root record,
//! then a value of the enum the context expects (or `Enum.value`). Every error is reported
//! with a span; an expression already in error has type [`Ty::Error`], which silences
//! follow-on errors.

use crate::report::Diagnostic;
use crate::schema::{FieldType, Schema, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, AggregateFn, BinaryOp, ExprKind, Literal, Quantity, UnaryOp};
use crate::value::Scalar;

use super::ir::{ArithOp, DurationUnit, LetId, TExpr, TKind, Ty};

/// Local variables in scope while checking one `let` or rule.
#[derive(Default)]
pub struct Scope {
    locals: Vec<(String, usize, Ty)>,
    next_slot: usize,
    /// The most slots in use at once: the frame size.
    pub max_slots: usize,
}

impl Scope {
    /// Binds a new local variable and returns its slot.
    pub fn bind(&mut self, name: &str, ty: Ty) -> usize {
        let slot = self.next_slot;
        self.locals.push((name.to_owned(), slot, ty));
        self.next_slot += 1;
        self.max_slots = self.max_slots.max(self.next_slot);
        slot
    }

    fn unbind(&mut self) {
        if self.locals.pop().is_some() {
            self.next_slot = self.next_slot.saturating_sub(1);
        }
    }

    fn lookup(&self, name: &str) -> Option<(usize, &Ty)> {
        self.locals.iter().rev().find(|(local, _, _)| local == name).map(|(_, slot, ty)| (*slot, ty))
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
        FieldType::Enum(name) => Ty::Enum(name.clone()),
        FieldType::Record(name) => Ty::Record(name.clone()),
        FieldType::List { element, .. } => Ty::List(Box::new(field_ty(element))),
        FieldType::Ref { record, .. } => Ty::Record(record.clone()),
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
    fn fail(&mut self, span: Span, code: &str, message: String, help: Option<String>) -> TExpr {
        self.errors.push(Diagnostic::error(code, message, Some(span)).with_optional_help(help));
        error_expr(span)
    }

    /// Checks an expression that must be a yes/no condition.
    pub fn condition(&mut self, expr: &ast::Expr, scope: &mut Scope) -> TExpr {
        let checked = self.expr(expr, scope, None);
        self.expect(checked, &Ty::Bool, "a condition")
    }

    fn expect(&mut self, expr: TExpr, want: &Ty, role: &str) -> TExpr {
        if expr.ty == Ty::Error || compatible(self.schema, want, &expr.ty) {
            return expr;
        }
        let message = format!("{role} must be {}, but this is {}", want.describe(), expr.ty.describe());
        self.fail(expr.span, "policy.type", message, None)
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
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, scope, span),
            ExprKind::IsSet { operand, negated } => {
                let operand = self.expr(operand, scope, None);
                if operand.ty != Ty::Error && !matches!(operand.kind, TKind::Field { .. } | TKind::Local(_)) {
                    return self.fail(
                        span,
                        "policy.type",
                        "`is set` applies to a field of the constitution".into(),
                        Some("write it after a field, for example `trust.shadow_from is set`".into()),
                    );
                }
                TExpr { kind: TKind::IsSet { operand: Box::new(operand), negated: *negated }, ty: Ty::Bool, span }
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
                        return self.fail(otherwise.span, "policy.type", message, None);
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
                                checked.push(self.fail(item.span, "policy.type", message, None));
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

    fn is_bare_enum_candidate(&mut self, expr: &ast::Expr, scope: &Scope) -> bool {
        match &expr.kind {
            ExprKind::Path { head, fields } if fields.is_empty() => {
                scope.lookup(&head.name).is_none()
                    && self.lets.lookup_let(&head.name).is_none()
                    && head.name != "as_of"
                    && self.schema.root_record().and_then(|root| root.field(&head.name)).is_none()
            }
            ExprKind::List(items) => {
                items.iter().all(|item| matches!(&item.kind, ExprKind::Path { fields, .. } if fields.is_empty()))
            }
            _ => false,
        }
    }

    fn path(
        &mut self,
        head: &ast::Ident,
        fields: &[ast::Ident],
        scope: &mut Scope,
        hint: Option<&Ty>,
        span: Span,
    ) -> TExpr {
        let name = head.name.as_str();
        let base = if let Some((slot, ty)) = scope.lookup(name) {
            TExpr { kind: TKind::Local(slot), ty: ty.clone(), span: head.span }
        } else if let Some((id, params)) = self.lets.lookup_let(name) {
            if !params.is_empty() {
                return self.fail(
                    head.span,
                    "policy.type",
                    format!("`{name}` takes {} argument(s)", params.len()),
                    Some(format!("call it as `{name}(…)`")),
                );
            }
            let ty = self.lets.let_type(id, head.span).unwrap_or(Ty::Error);
            TExpr { kind: TKind::Let(id), ty, span: head.span }
        } else if name == "as_of" {
            TExpr { kind: TKind::AsOf, ty: Ty::Date, span: head.span }
        } else if let Some(field) = self.schema.root_record().and_then(|root| root.field(name)) {
            let root = TExpr { kind: TKind::Root, ty: Ty::Record(self.schema.root.clone()), span: head.span };
            TExpr {
                kind: TKind::Field { base: Box::new(root), field: name.to_owned() },
                ty: field_ty(&field.ty),
                span: head.span,
            }
        } else if let Some(value) = self.enum_value(name, hint) {
            if let Some(extra) = fields.first() {
                return self.fail(
                    extra.span,
                    "policy.type",
                    format!("`{name}` is an enum value and has no fields"),
                    None,
                );
            }
            return TExpr { kind: TKind::Literal(Scalar::Enum(name.into())), ty: value, span };
        } else if let (Some(decl), [variant]) = (self.schema.enum_decl(name), fields) {
            if decl.has(&variant.name) {
                return TExpr {
                    kind: TKind::Literal(Scalar::Enum(variant.name.as_str().into())),
                    ty: Ty::Enum(name.to_owned()),
                    span,
                };
            }
            let help = did_you_mean(&variant.name, decl.variants.iter().map(|v| v.name.as_str()));
            return self.fail(
                variant.span,
                "policy.unknown_name",
                format!("`{}` is not a value of `{name}`", variant.name),
                help,
            );
        } else {
            return self.unknown_name(head, scope, hint);
        };
        self.fields(base, fields, span)
    }

    fn enum_value(&self, name: &str, hint: Option<&Ty>) -> Option<Ty> {
        let enum_name = match hint? {
            Ty::Enum(enum_name) => enum_name,
            Ty::List(element) => match element.as_ref() {
                Ty::Enum(enum_name) => enum_name,
                _ => return None,
            },
            _ => return None,
        };
        self.schema.enum_decl(enum_name)?.has(name).then(|| Ty::Enum(enum_name.clone()))
    }

    fn unknown_name(&mut self, head: &ast::Ident, scope: &Scope, hint: Option<&Ty>) -> TExpr {
        let mut candidates: Vec<String> = scope.locals.iter().map(|(name, _, _)| name.clone()).collect();
        candidates.extend(self.lets.let_names());
        if let Some(root) = self.schema.root_record() {
            candidates.extend(root.fields.iter().map(|field| field.name.clone()));
        }
        let enum_name = match hint {
            Some(Ty::Enum(name)) => Some(name.clone()),
            Some(Ty::List(element)) => match element.as_ref() {
                Ty::Enum(name) => Some(name.clone()),
                _ => None,
            },
            _ => None,
        };
        if let Some(decl) = enum_name.as_deref().and_then(|name| self.schema.enum_decl(name)) {
            candidates.extend(decl.variants.iter().map(|variant| variant.name.clone()));
        }
        let mut help = did_you_mean(&head.name, candidates.iter().map(String::as_str));
        let message = match &enum_name {
            Some(enum_name) => format!("`{}` is not a value of `{enum_name}` nor a known name", head.name),
            None => format!("unknown name `{}`", head.name),
        };
        if help.is_none() {
            let owners: Vec<&str> =
                self.schema.enums.values().filter(|decl| decl.has(&head.name)).map(|decl| decl.name.as_str()).collect();
            if let Some(owner) = owners.first() {
                help = Some(format!(
                    "`{}` is a value of `{owner}`: compare it with such a value, or write `{owner}.{}`",
                    head.name, head.name
                ));
            }
        }
        self.fail(head.span, "policy.unknown_name", message, help)
    }

    fn fields(&mut self, mut base: TExpr, fields: &[ast::Ident], span: Span) -> TExpr {
        for field in fields {
            if base.ty == Ty::Error {
                return base;
            }
            let record_name = match &base.ty {
                Ty::Record(name) => name.clone(),
                Ty::List(_) => {
                    let message = format!("`{}` is read from a list, not from one record", field.name);
                    let help = Some(format!(
                        "go through the list with `all x in …: x.{0}`, `any …` or `sum(x.{0} for x in …)`",
                        field.name
                    ));
                    return self.fail(field.span, "policy.type", message, help);
                }
                other => {
                    let message = format!("{} has no fields, so `.{}` cannot be read", other.describe(), field.name);
                    return self.fail(field.span, "policy.type", message, None);
                }
            };
            let Some(record) = self.schema.record(&record_name) else {
                return error_expr(span);
            };
            let Some(decl) = record.field(&field.name) else {
                let help = did_you_mean(&field.name, record.fields.iter().map(|f| f.name.as_str()));
                return self.fail(
                    field.span,
                    "policy.unknown_name",
                    format!("`{record_name}` has no field `{}`", field.name),
                    help,
                );
            };
            let ty = field_ty(&decl.ty);
            let field_span = base.span.to(field.span);
            base =
                TExpr { kind: TKind::Field { base: Box::new(base), field: field.name.clone() }, ty, span: field_span };
        }
        base
    }

    fn call(&mut self, func: &ast::Ident, args: &[ast::Expr], scope: &mut Scope, span: Span) -> TExpr {
        if func.name == "years" {
            let [arg] = args else {
                return self.fail(span, "policy.type", "`years` takes one duration".into(), None);
            };
            let arg = self.expr(arg, scope, None);
            if arg.ty != Ty::Error && !matches!(arg.ty, Ty::Duration(_)) {
                let message = format!("`years` converts a duration, but this is {}", arg.ty.describe());
                return self.fail(arg.span, "policy.type", message, None);
            }
            return TExpr { kind: TKind::Years(Box::new(arg)), ty: Ty::Decimal, span };
        }
        let Some((id, params)) = self.lets.lookup_let(&func.name) else {
            let mut names = self.lets.let_names();
            names.push("years".into());
            let help = did_you_mean(&func.name, names.iter().map(String::as_str));
            return self.fail(func.span, "policy.unknown_name", format!("unknown function `{}`", func.name), help);
        };
        if params.len() != args.len() {
            let message = format!("`{}` takes {} argument(s), but {} are given", func.name, params.len(), args.len());
            return self.fail(span, "policy.type", message, None);
        }
        let mut checked = Vec::new();
        for (arg, param) in args.iter().zip(&params) {
            let arg = self.expr(arg, scope, Some(param));
            checked.push(self.expect(arg, param, "this argument"));
        }
        let ty = self.lets.let_type(id, func.span).unwrap_or(Ty::Error);
        TExpr { kind: TKind::Call { id, args: checked }, ty, span }
    }

    fn unary(&mut self, op: UnaryOp, operand: &ast::Expr, scope: &mut Scope, span: Span) -> TExpr {
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
                        self.fail(span, "policy.type", message, None)
                    }
                }
            }
        }
    }

    fn operands(&mut self, lhs: &ast::Expr, rhs: &ast::Expr, scope: &mut Scope) -> (TExpr, TExpr) {
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

    fn binary(&mut self, op: BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr, scope: &mut Scope, span: Span) -> TExpr {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let lhs = self.condition(lhs, scope);
                let rhs = self.condition(rhs, scope);
                TExpr {
                    kind: TKind::Logic { and: op == BinaryOp::And, lhs: Box::new(lhs), rhs: Box::new(rhs) },
                    ty: Ty::Bool,
                    span,
                }
            }
            BinaryOp::In | BinaryOp::NotIn | BinaryOp::Contains => self.membership(op, lhs, rhs, scope, span),
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

    fn compare(&mut self, op: BinaryOp, lhs: TExpr, rhs: TExpr, span: Span) -> TExpr {
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
                    "policy.type",
                    "two durations can only be compared when both are in months and years, or both in days".into(),
                    Some("anchor them on a date, for example `c.start + c.initial_term <= c.start + 3 years`".into()),
                );
            }
            return ok(make(lhs, rhs));
        }
        if !compatible(self.schema, &lhs.ty, &rhs.ty) && !compatible(self.schema, &rhs.ty, &lhs.ty) {
            let help = unit_help(&lhs, &rhs).or_else(|| unit_help(&rhs, &lhs));
            let message = format!("cannot compare {} with {}", lhs.ty.describe(), rhs.ty.describe());
            return self.fail(span, "policy.type", message, help);
        }
        if ordering && !matches!(lhs.ty, Ty::Int | Ty::Decimal | Ty::Percent | Ty::Money | Ty::Date) {
            let message =
                format!("`{}` orders numbers, percentages, money and dates, not {}", op.symbol(), lhs.ty.describe());
            return self.fail(span, "policy.type", message, None);
        }
        if matches!(lhs.ty, Ty::Record(_) | Ty::List(_) | Ty::Table | Ty::EmptyList) {
            let message = format!("{} cannot be compared with `{}`", lhs.ty.describe(), op.symbol());
            return self.fail(span, "policy.type", message, Some("compare one of its fields".into()));
        }
        ok(make(lhs, rhs))
    }

    fn membership(&mut self, op: BinaryOp, lhs: &ast::Expr, rhs: &ast::Expr, scope: &mut Scope, span: Span) -> TExpr {
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
                    return self.fail(span, "policy.type", message, None);
                }
                other => {
                    let message = format!("`{}` needs a list, but this is {}", op.symbol(), other.describe());
                    return self.fail(list.span, "policy.type", message, None);
                }
            }
        }
        TExpr {
            kind: TKind::Member { needle: Box::new(needle), list: Box::new(list), negated: op == BinaryOp::NotIn },
            ty: Ty::Bool,
            span,
        }
    }

    fn arith(&mut self, op: BinaryOp, lhs: TExpr, rhs: TExpr, span: Span) -> TExpr {
        if lhs.ty == Ty::Error || rhs.ty == Ty::Error {
            return error_expr(span);
        }
        let arith_op = match op {
            BinaryOp::Add => ArithOp::Add,
            BinaryOp::Sub => ArithOp::Sub,
            BinaryOp::Mul => ArithOp::Mul,
            _ => ArithOp::Div,
        };
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
            Some(ty) => TExpr { kind: TKind::Arith { op: arith_op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, ty, span },
            None => {
                let message =
                    format!("cannot apply `{}` to {} and {}", op.symbol(), lhs.ty.describe(), rhs.ty.describe());
                let help = unit_help(&lhs, &rhs).or_else(|| unit_help(&rhs, &lhs));
                self.fail(span, "policy.type", message, help)
            }
        }
    }

    #[expect(clippy::too_many_arguments, reason = "mirrors the quantifier's syntax")]
    fn quantifier(
        &mut self,
        quantity: Quantity,
        var: &ast::Ident,
        collection: &ast::Expr,
        filter: Option<&ast::Expr>,
        body: &ast::Expr,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let collection = self.expr(collection, scope, None);
        let element = self.element_type(&collection);
        let slot = scope.bind(&var.name, element);
        let filter = filter.map(|filter| Box::new(self.condition(filter, scope)));
        let body = self.condition(body, scope);
        scope.unbind();
        TExpr {
            kind: TKind::Quantifier { quantity, slot, collection: Box::new(collection), filter, body: Box::new(body) },
            ty: Ty::Bool,
            span,
        }
    }

    fn element_type(&mut self, collection: &TExpr) -> Ty {
        match &collection.ty {
            Ty::List(element) => element.as_ref().clone(),
            Ty::Error | Ty::EmptyList => Ty::Error,
            other => {
                let message = format!("this must be a list, but it is {}", other.describe());
                self.fail(collection.span, "policy.type", message, None);
                Ty::Error
            }
        }
    }

    #[expect(clippy::too_many_arguments, reason = "mirrors the aggregate's syntax")]
    fn aggregate(
        &mut self,
        func: AggregateFn,
        var: Option<&ast::Ident>,
        element: Option<&ast::Expr>,
        collection: &ast::Expr,
        filter: Option<&ast::Expr>,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let collection = self.expr(collection, scope, None);
        let element_ty = self.element_type(&collection);
        if filter.is_some() && var.is_none() {
            return self.fail(
                span,
                "policy.type",
                format!("`where` in `{}` needs a name for each element", func.name()),
                Some(format!("write `{}(x in LIST where …)`", func.name())),
            );
        }
        let slot = scope.bind(var.map_or("", |var| var.name.as_str()), element_ty.clone());
        let filter = filter.map(|filter| Box::new(self.condition(filter, scope)));
        let element = element.map(|element| Box::new(self.expr(element, scope, None)));
        scope.unbind();
        let value_ty = element.as_ref().map_or(element_ty, |element| element.ty.clone());
        let ty = match func {
            AggregateFn::Count => Ty::Int,
            AggregateFn::First => value_ty,
            _ => match value_ty {
                Ty::Int | Ty::Decimal | Ty::Percent | Ty::Money | Ty::Error => value_ty,
                Ty::Date | Ty::Duration(_) if func != AggregateFn::Sum => value_ty,
                other => {
                    let message =
                        format!("`{}` adds up numbers, percentages or money, not {}", func.name(), other.describe());
                    return self.fail(span, "policy.type", message, None);
                }
            },
        };
        TExpr { kind: TKind::Aggregate { func, slot, element, collection: Box::new(collection), filter }, ty, span }
    }
}

fn literal_expr(literal: &Literal, span: Span) -> TExpr {
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

/// "write `50%`" when a bare number stands where a percentage or money is meant.
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
