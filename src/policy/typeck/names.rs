//! Names: locals, `let`s, `as_of`, fields of the root record and enum values; field access and calls.

use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::schema::did_you_mean;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};
use crate::value::Scalar;

use super::{ExprChecker, LetTable, Scope, error_expr, field_ty};
use crate::policy::ir::{Builtin, LetId, TExpr, TKind, Ty};
use crate::policy::symbols::Symbol;

impl<L: LetTable> ExprChecker<'_, L> {
    pub(super) fn is_bare_enum_candidate(&mut self, expr: &ast::Expr, scope: &Scope) -> bool {
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

    pub(super) fn path(
        &mut self,
        head: &ast::Ident,
        fields: &[ast::Ident],
        scope: &mut Scope,
        hint: Option<&Ty>,
        span: Span,
    ) -> TExpr {
        let name = head.name.as_str();
        let base = if let Some((slot, ty, binding)) = scope.lookup(name) {
            let ty = ty.clone();
            self.lets.record_use(head.span, Symbol::Local { name: name.to_owned(), binding });
            TExpr { kind: TKind::Local(slot), ty, span: head.span }
        } else if let Some((id, params)) = self.lets.lookup_let(name) {
            self.note_let_use(head, id);
            if !params.is_empty() {
                return self.fail(
                    head.span,
                    BuiltinCode::PolicyType,
                    format!("`{name}` takes {} argument(s)", params.len()),
                    Some(format!("call it as `{name}(…)`")),
                );
            }
            let ty = self.lets.let_type(id, head.span).unwrap_or(Ty::Error);
            TExpr { kind: TKind::Let(id), ty, span: head.span }
        } else if let Some((id, rest)) = self.qualified_let(head, fields) {
            let (qualifier, member) = (head, fields.first().unwrap_or(head));
            let span = qualifier.span.to(member.span);
            if let Some((_, params)) = self.lets.lookup_let(&self.lets.let_name(id)) {
                if !params.is_empty() {
                    return self.fail(
                        span,
                        BuiltinCode::PolicyType,
                        format!("`{name}.{}` takes {} argument(s)", member.name, params.len()),
                        Some(format!("call it as `{name}.{}(…)`", member.name)),
                    );
                }
            }
            self.lets.record_use(member.span, Symbol::Let(self.lets.let_name(id)));
            let ty = self.lets.let_type(id, span).unwrap_or(Ty::Error);
            let base = TExpr { kind: TKind::Let(id), ty, span };
            return self.fields(base, rest, span);
        } else if name == "as_of" {
            TExpr { kind: TKind::AsOf, ty: Ty::Date, span: head.span }
        } else if let Some((slot, field)) = self.schema.root_record().and_then(|root| root.field_slot(name)) {
            self.lets.record_use(head.span, Symbol::Field { record: self.schema.root.clone(), field: name.to_owned() });
            let root = TExpr { kind: TKind::Root, ty: Ty::Record(self.schema.root.clone().into()), span: head.span };
            TExpr {
                kind: TKind::Field { base: Box::new(root), field: name.to_owned().into(), slot: slot_number(slot) },
                ty: field_ty(&field.ty),
                span: head.span,
            }
        } else if let Some(value) = self.enum_value(name, hint) {
            if let Ty::Enum(enumeration) = &value {
                let symbol = Symbol::Variant { enumeration: enumeration.to_string(), variant: name.to_owned() };
                self.lets.record_use(head.span, symbol);
            }
            if let Some(extra) = fields.first() {
                return self.fail(
                    extra.span,
                    BuiltinCode::PolicyType,
                    format!("`{name}` is an enum value and has no fields"),
                    None,
                );
            }
            return TExpr { kind: TKind::Literal(Scalar::Enum(name.into())), ty: value, span };
        } else if let (Some(decl), [variant]) = (self.schema.enum_decl(name), fields) {
            if decl.has(&variant.name) {
                self.lets.record_use(head.span, Symbol::Enum(name.to_owned()));
                let symbol = Symbol::Variant { enumeration: name.to_owned(), variant: variant.name.clone() };
                self.lets.record_use(variant.span, symbol);
                return TExpr {
                    kind: TKind::Literal(Scalar::Enum(variant.name.as_str().into())),
                    ty: Ty::Enum(name.to_owned().into()),
                    span,
                };
            }
            let help = did_you_mean(&variant.name, decl.variants.iter().map(|v| v.name.as_str()));
            return self.fail(
                variant.span,
                BuiltinCode::PolicyUnknownName,
                format!("`{}` is not a value of `{name}`", variant.name),
                help,
            );
        } else {
            return self.unknown_name(head, scope, hint);
        };
        self.fields(base, fields, span)
    }

    /// `POLICY.NAME` read as a `let` of that policy, with the fields after it, unless the
    /// constitution has that field path (its names win).
    fn qualified_let<'f>(&self, head: &ast::Ident, fields: &'f [ast::Ident]) -> Option<(LetId, &'f [ast::Ident])> {
        let (member, rest) = fields.split_first()?;
        let root_field = self.schema.root_record().and_then(|root| root.field(&head.name));
        let is_field_path = root_field.is_some_and(|field| match field_ty(&field.ty) {
            Ty::Record(record) => {
                self.schema.record(&record).is_some_and(|record| record.field(&member.name).is_some())
            }
            _ => true,
        });
        if is_field_path {
            return None;
        }
        let (id, _) = self.lets.lookup_let(&format!("{}.{}", head.name, member.name))?;
        Some((id, rest))
    }

    /// Records a use of the `let` `id` written as `written`, and lints a name that reaches
    /// into another policy without saying so.
    pub(super) fn note_let_use(&mut self, written: &ast::Ident, id: LetId) {
        let qualified = self.lets.let_name(id);
        self.lets.record_use(written.span, Symbol::Let(qualified.clone()));
        if written.name.contains('.') {
            return;
        }
        if let Some((policy, _)) = qualified.split_once('.') {
            if self.lets.namespace().as_deref() != Some(policy) {
                self.errors.push(
                    Diagnostic::new(
                        BuiltinCode::PolicyUnqualifiedName,
                        format!("`{}` is defined in policy `{policy}`", written.name),
                        Some(written.span),
                    )
                    .with_help(format!(
                        "write `{qualified}`, so that a name of another policy cannot change its meaning"
                    )),
                );
            }
        }
    }

    pub(super) fn enum_value(&self, name: &str, hint: Option<&Ty>) -> Option<Ty> {
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

    pub(super) fn unknown_name(&mut self, head: &ast::Ident, scope: &Scope, hint: Option<&Ty>) -> TExpr {
        let mut candidates: Vec<String> = scope.locals.iter().map(|(name, ..)| name.clone()).collect();
        candidates.extend(self.lets.let_names());
        if let Some(root) = self.schema.root_record() {
            candidates.extend(root.fields.iter().map(|field| field.name.to_string()));
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
        let suffix = format!(".{}", head.name);
        let homes: Vec<String> = self.lets.let_names().into_iter().filter(|name| name.ends_with(&suffix)).collect();
        if homes.len() > 1 {
            let message = format!("`{}` is defined in more than one policy", head.name);
            let help = format!(
                "write which one you mean: {}",
                homes.iter().map(|home| format!("`{home}`")).collect::<Vec<_>>().join(" or ")
            );
            return self.fail(head.span, BuiltinCode::PolicyUnknownName, message, Some(help));
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
        self.fail(head.span, BuiltinCode::PolicyUnknownName, message, help)
    }

    pub(super) fn fields(&mut self, mut base: TExpr, fields: &[ast::Ident], span: Span) -> TExpr {
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
                    return self.fail(field.span, BuiltinCode::PolicyType, message, help);
                }
                other => {
                    let message = format!("{} has no fields, so `.{}` cannot be read", other.describe(), field.name);
                    return self.fail(field.span, BuiltinCode::PolicyType, message, None);
                }
            };
            let Some(record) = self.schema.record(&record_name) else {
                return error_expr(span);
            };
            let Some((slot, decl)) = record.field_slot(&field.name) else {
                let help = did_you_mean(&field.name, record.fields.iter().map(|f| &*f.name));
                return self.fail(
                    field.span,
                    BuiltinCode::PolicyUnknownName,
                    format!("`{record_name}` has no field `{}`", field.name),
                    help,
                );
            };
            let ty = field_ty(&decl.ty);
            self.lets
                .record_use(field.span, Symbol::Field { record: record_name.to_string(), field: field.name.clone() });
            let field_span = base.span.to(field.span);
            base = TExpr {
                kind: TKind::Field {
                    base: Box::new(base),
                    field: field.name.to_string().into(),
                    slot: slot_number(slot),
                },
                ty,
                span: field_span,
            };
        }
        base
    }

    pub(super) fn call(&mut self, func: &ast::Ident, args: &[ast::Expr], scope: &mut Scope, span: Span) -> TExpr {
        if func.name == "years" {
            let [arg] = args else {
                return self.fail(span, BuiltinCode::PolicyType, "`years` takes one duration".into(), None);
            };
            let arg = self.expr(arg, scope, None);
            if arg.ty != Ty::Error && !matches!(arg.ty, Ty::Duration(_)) {
                let message = format!("`years` converts a duration, but this is {}", arg.ty.describe());
                return self.fail(arg.span, BuiltinCode::PolicyType, message, None);
            }
            return TExpr { kind: TKind::Years(Box::new(arg)), ty: Ty::Decimal, span };
        }
        if let Some((table, ty)) = self.lets.lookup_table(&func.name) {
            self.lets.record_use(func.span, Symbol::Table(func.name.clone()));
            let [date] = args else {
                return self.fail(
                    span,
                    BuiltinCode::PolicyType,
                    format!("`{}` is a table: look it up with one date", func.name),
                    None,
                );
            };
            let date = self.expr(date, scope, Some(&Ty::Date));
            let date = self.require_type(date, &Ty::Date, "the date a table is read at");
            return TExpr { kind: TKind::TableLookup { table, date: Box::new(date) }, ty, span };
        }
        if func.name == "period_of" {
            let table = match args.first().map(|arg| &arg.kind) {
                Some(ExprKind::Path { head, fields }) if fields.is_empty() => {
                    let table = self.lets.lookup_table(&head.name);
                    if table.is_some() {
                        self.lets.record_use(head.span, Symbol::Table(head.name.clone()));
                    }
                    table
                }
                _ => None,
            };
            let (Some((table, _)), [_, date]) = (table, args) else {
                return self.fail(
                    span,
                    BuiltinCode::PolicyType,
                    "`period_of` takes a table's name and a date".into(),
                    None,
                );
            };
            let date = self.expr(date, scope, Some(&Ty::Date));
            let date = self.require_type(date, &Ty::Date, "the date a table is read at");
            return TExpr { kind: TKind::TablePeriod { table, date: Box::new(date) }, ty: Ty::Text, span };
        }
        if let Some((_, builtin)) = Builtin::ALL.iter().find(|(name, _)| *name == func.name) {
            return self.builtin(*builtin, func, args, scope, span);
        }
        let Some((id, params)) = self.lets.lookup_let(&func.name) else {
            let mut names = self.lets.let_names();
            names.push("years".into());
            names.extend(Builtin::ALL.iter().map(|(name, _)| (*name).to_owned()));
            let help = did_you_mean(&func.name, names.iter().map(String::as_str));
            return self.fail(
                func.span,
                BuiltinCode::PolicyUnknownName,
                format!("unknown function `{}`", func.name),
                help,
            );
        };
        self.note_let_use(func, id);
        if params.len() != args.len() {
            let message = format!("`{}` takes {} argument(s), but {} are given", func.name, params.len(), args.len());
            return self.fail(span, BuiltinCode::PolicyType, message, None);
        }
        let mut checked = Vec::new();
        for (arg, param) in args.iter().zip(&params) {
            let arg = self.expr(arg, scope, Some(param));
            checked.push(self.require_type(arg, param, "this argument"));
        }
        let ty = self.lets.let_type(id, func.span).unwrap_or(Ty::Error);
        TExpr { kind: TKind::Call { id, args: checked }, ty, span }
    }

    /// A call of a built-in function: its arguments checked against its parameters.
    fn builtin(
        &mut self,
        builtin: Builtin,
        func: &ast::Ident,
        args: &[ast::Expr],
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let (params, ty): (&[Ty], Ty) = match builtin {
            Builtin::Trim => (&[Ty::Text], Ty::Text),
            Builtin::DaysBetween | Builtin::MonthsBetween => (&[Ty::Date, Ty::Date], Ty::Int),
            Builtin::FinancialYear => (&[Ty::Date], Ty::Int),
        };
        if params.len() != args.len() {
            let wanted = params.iter().map(Ty::describe).collect::<Vec<_>>().join(" and ");
            let message = format!("`{}` takes {wanted}, but {} argument(s) are given", func.name, args.len());
            return self.fail(span, BuiltinCode::PolicyType, message, None);
        }
        let mut checked = Vec::new();
        for (arg, param) in args.iter().zip(params) {
            let arg = self.expr(arg, scope, Some(param));
            checked.push(self.require_type(arg, param, "this argument"));
        }
        TExpr { kind: TKind::Builtin { func: builtin, args: checked }, ty, span }
    }
}

/// A field's slot as the program stores it (a record with more fields than `u32` counts
/// cannot be written; such a slot would only cost a search by name).
fn slot_number(slot: usize) -> u32 {
    u32::try_from(slot).unwrap_or(u32::MAX)
}
