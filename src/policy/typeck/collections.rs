//! Quantifiers (`all`, `any`) and aggregates (`count`, `sum`, `min`, `max`, `first`).

use crate::diagnostic::BuiltinCode;
use crate::source::Span;
use crate::syntax::ast::{self, AggregateFn, Quantity};

use super::{ExprChecker, LetTable, Scope};
use crate::policy::ir::{TExpr, TKind, Ty};

impl<L: LetTable> ExprChecker<'_, L> {
    #[expect(clippy::too_many_arguments, reason = "mirrors the quantifier's syntax")]
    pub(super) fn quantifier(
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
        let slot = scope.bind(&var.name, var.span, element);
        let filter = filter.map(|filter| Box::new(self.condition(filter, scope)));
        let body = self.condition(body, scope);
        scope.unbind();
        TExpr {
            kind: TKind::Quantifier { quantity, slot, collection: Box::new(collection), filter, body: Box::new(body) },
            ty: Ty::Bool,
            span,
        }
    }

    pub(super) fn element_type(&mut self, collection: &TExpr) -> Ty {
        match &collection.ty {
            Ty::List(element) => element.as_ref().clone(),
            Ty::Error | Ty::EmptyList => Ty::Error,
            other => {
                let message = format!("this must be a list, but it is {}", other.describe());
                self.fail(collection.span, BuiltinCode::PolicyType, message, None);
                Ty::Error
            }
        }
    }

    #[expect(clippy::too_many_arguments, reason = "mirrors the aggregate's syntax")]
    pub(super) fn aggregate(
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
                BuiltinCode::PolicyType,
                format!("`where` in `{}` needs a name for each element", func.name()),
                Some(format!("write `{}(x in LIST where …)`", func.name())),
            );
        }
        let slot =
            scope.bind(var.map_or("", |var| var.name.as_str()), var.map_or(span, |var| var.span), element_ty.clone());
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
                    return self.fail(span, BuiltinCode::PolicyType, message, None);
                }
            },
        };
        TExpr { kind: TKind::Aggregate { func, slot, element, collection: Box::new(collection), filter }, ty, span }
    }
}
