//! Collections: quantifiers, aggregates and membership, by Kleene's rules.

use super::value::{Gather, Items, Origins, V, Val, merge, owned_items};
use super::{Evaluator, Result, Stop, arith};
use crate::policy::ir::TExpr;
use crate::syntax::ast::{AggregateFn, BinaryOp, Quantity};
use crate::value::Scalar;

impl<'d> Evaluator<'_, 'd> {
    /// The items of a list, or the origins of a value that is not one (an absent list).
    fn elements(&mut self, collection: &TExpr) -> Result<'d, Elements<'d>> {
        let value = self.eval(collection)?;
        Ok(match value.v {
            V::List(items) => Elements::List(owned_items(items), value.origins),
            _ => Elements::Unknown(value.origins),
        })
    }

    pub(super) fn quantifier(
        &mut self,
        quantity: Quantity,
        slot: usize,
        collection: &TExpr,
        filter: Option<&TExpr>,
        body: &TExpr,
    ) -> Result<'d, Val<'d>> {
        let (items, list_origins) = match self.elements(collection)? {
            Elements::List(items, origins) => (items, origins),
            Elements::Unknown(origins) => return Ok(Val::unknown(origins)),
        };
        let decisive = quantity == Quantity::Any;
        let (mut hits, mut unknowns, mut others) = (Gather::default(), Gather::default(), Gather::default());
        let mut any_unknown = false;
        let mut any_hit = false;
        for item in items {
            self.bind(slot, item);
            if !self.keeps(filter, &mut any_unknown, &mut unknowns)? {
                continue;
            }
            let result = self.eval(body)?;
            match result.truth() {
                Some(truth) if truth == decisive => {
                    any_hit = true;
                    hits.add(result.origins);
                }
                Some(_) => others.add(result.origins),
                None => {
                    any_unknown = true;
                    unknowns.add(result.origins);
                }
            }
        }
        Ok(if any_hit {
            Val::bool(decisive, hits.into_vec())
        } else if any_unknown {
            Val::unknown(unknowns.into_vec())
        } else {
            let origins = if others.is_empty() { list_origins } else { others.into_vec() };
            Val::bool(!decisive, origins)
        })
    }

    pub(super) fn aggregate(
        &mut self,
        func: AggregateFn,
        slot: usize,
        element: Option<&TExpr>,
        collection: &TExpr,
        filter: Option<&TExpr>,
        whole: &TExpr,
    ) -> Result<'d, Val<'d>> {
        let (ty, span) = (&whole.ty, whole.span);
        let items = match self.elements(collection)? {
            Elements::List(items, _) => items,
            Elements::Unknown(origins) => return Ok(Val::unknown(origins)),
        };
        let mut values = Vec::new();
        let mut unknown = false;
        let mut origins = Gather::default();
        for item in items {
            // The item itself is the value aggregated only when there is no element
            // expression (`count`, `first`); otherwise it is moved into its slot, not copied.
            let value = match element {
                Some(element) => {
                    self.bind(slot, item);
                    if !self.keeps(filter, &mut unknown, &mut origins)? {
                        continue;
                    }
                    self.eval(element)?
                }
                None => {
                    self.bind(slot, item.clone());
                    if !self.keeps(filter, &mut unknown, &mut origins)? {
                        continue;
                    }
                    item
                }
            };
            values.push(value);
        }
        if unknown {
            return Ok(Val::unknown(origins.into_vec()));
        }
        Ok(match func {
            AggregateFn::Count => {
                let count = i64::try_from(values.len()).unwrap_or(i64::MAX);
                let mut origins = Gather::default();
                values.into_iter().for_each(|value| origins.add(value.origins));
                Val { v: V::Scalar(Scalar::Int(count)), origins: origins.into_vec() }
            }
            AggregateFn::Sum => arith::sum(values, ty).map_err(|fault| Stop::Arithmetic { span, fault })?,
            AggregateFn::First => values.into_iter().next().unwrap_or_else(|| Val::unknown(Origins::new())),
            AggregateFn::Min | AggregateFn::Max => arith::extreme(values, func == AggregateFn::Max),
        })
    }
}

impl<'d> Evaluator<'_, 'd> {
    /// Whether a `where` filter (if any) keeps the element bound to its slot. A filter that
    /// cannot be decided keeps it out, and sets `unknown` and gathers the facts it lacks.
    fn keeps(&mut self, filter: Option<&TExpr>, unknown: &mut bool, lacking: &mut Gather<'d>) -> Result<'d, bool> {
        let Some(filter) = filter else { return Ok(true) };
        let keep = self.eval(filter)?;
        match keep.truth() {
            Some(keeps) => Ok(keeps),
            None => {
                *unknown = true;
                lacking.add(keep.origins);
                Ok(false)
            }
        }
    }
}

/// What a collection evaluates to.
enum Elements<'d> {
    /// A list: its items, and the list's own origins.
    List(Items<'d>, Origins<'d>),
    /// Not a list (an absent optional list): the origins saying which fact is missing.
    Unknown(Origins<'d>),
}

/// `needle in list`, by Kleene's rules over the comparisons with each item.
pub(super) fn member<'d>(needle: Val<'d>, list: Val<'d>) -> Val<'d> {
    let V::List(items) = list.v else {
        return Val::unknown(merge(needle.origins, list.origins));
    };
    if matches!(needle.v, V::Unknown) {
        return Val::unknown(needle.origins);
    }
    let mut unknown = Gather::default();
    let mut any_unknown = false;
    if let V::Record(wanted) = needle.v {
        // Records (such as those a `ref` names) are the same when they are the same entry.
        return match items.iter().find(|item| matches!(item.v, V::Record(record) if std::ptr::eq(record, wanted))) {
            Some(item) => Val::bool(true, merge(needle.origins, item.origins.clone())),
            None => Val::bool(false, merge(needle.origins, list.origins)),
        };
    }
    for item in owned_items(items) {
        let equal = arith::compare(BinaryOp::Eq, needle.clone(), item);
        match equal.truth() {
            Some(true) => return Val::bool(true, equal.origins),
            Some(false) => {}
            None => {
                any_unknown = true;
                unknown.add(equal.origins);
            }
        }
    }
    if any_unknown { Val::unknown(unknown.into_vec()) } else { Val::bool(false, merge(needle.origins, list.origins)) }
}
