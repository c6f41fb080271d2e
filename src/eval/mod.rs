//! The evaluator: three-valued evaluation of typed expressions over a loaded constitution,
//! with every value carrying the constitution values that decided it.
//!
//! Unknown (a fact the constitution leaves out) flows by Kleene's rules; `is set` is never
//! unknown. Work is bounded by [`crate::limits::MAX_EVAL_STEPS`].

mod arith;
mod builtin;
mod collections;
mod read;
pub mod value;

use jiff::civil::Date;

use crate::document::Document;
use crate::limits::MAX_EVAL_STEPS;
use crate::policy::ir::{LetDef, Program, TExpr, TKind};
use crate::value::{Duration, Scalar, add_duration};

pub use read::record_name;
pub use value::{Origin, Origins, V, Val, merge};

use crate::source::Span;
pub use arith::{Fault, FaultKind};
use collections::member;

/// Evaluation stopped: it took more work than the limit allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkLimit;

/// Why evaluation of a rule stopped before giving a value.
#[derive(Clone, Debug)]
pub enum Stop<'d> {
    /// The constitution took more work than the limit allows: nothing more is judged.
    WorkLimit,
    /// Arithmetic overflowed or divided by zero in the expression at `span` (in a policy
    /// file): the rule cannot be judged.
    Arithmetic {
        /// The expression whose arithmetic failed.
        span: Span,
        /// What failed, with the values.
        fault: Fault<'d>,
    },
}

impl From<WorkLimit> for Stop<'_> {
    fn from(_: WorkLimit) -> Self {
        Stop::WorkLimit
    }
}

type Result<'d, T> = std::result::Result<T, Stop<'d>>;

/// The arguments of a call: the standard library's functions take one or two, held without
/// allocating.
type Args<'d> = smallvec::SmallVec<[Val<'d>; 2]>;

/// Evaluates expressions of one program over one document.
///
/// It works in one of two modes. With blame (the default) every value carries the
/// constitution values that decided it. Without blame values carry none: the same results,
/// for less work, which is how a rule is first judged; only a rule that fails or cannot be
/// decided is judged again with blame, to say why.
pub struct Evaluator<'p, 'd> {
    program: &'p Program,
    document: &'d Document,
    as_of: Date,
    steps: u64,
    /// Whether values carry their origins.
    blame: bool,
    /// Whether evaluation is repeating work already counted (a rule judged again with
    /// blame), so that it does not count against the limit a second time.
    recounting: bool,
    /// What has been computed without blame.
    plain: Computed<'d>,
    /// What has been computed with blame.
    blamed: Computed<'d>,
    locals: Vec<Option<Val<'d>>>,
    base: usize,
}

/// Values computed once per document, in one mode (a value computed without blame has no
/// origins, so the two modes keep their own).
#[derive(Default)]
struct Computed<'d> {
    /// Lets, by id.
    lets: Vec<Option<Val<'d>>>,
    /// Top-level fields, by position among the root's fields: many rules read the same few.
    roots: Vec<Option<Val<'d>>>,
}

impl<'d> Computed<'d> {
    fn new(lets: usize, roots: usize) -> Self {
        Computed { lets: vec![None; lets], roots: vec![None; roots] }
    }
}

impl<'p, 'd> Evaluator<'p, 'd> {
    /// An evaluator judging at `as_of`, with blame.
    pub fn new(program: &'p Program, document: &'d Document, as_of: Date) -> Self {
        Evaluator {
            program,
            document,
            as_of,
            steps: 0,
            blame: true,
            recounting: false,
            plain: Computed::new(program.lets.len(), document.root.fields.len()),
            blamed: Computed::new(program.lets.len(), document.root.fields.len()),
            locals: Vec::new(),
            base: 0,
        }
    }

    /// Turns blame on or off: values read from now on carry their origins, or none.
    pub fn set_blame(&mut self, blame: bool) {
        self.blame = blame;
    }

    /// Marks what follows as repeating work already counted against the limit (or ends that).
    pub fn set_recounting(&mut self, recounting: bool) {
        self.recounting = recounting;
    }

    /// What has been computed in the current mode.
    fn computed(&mut self) -> &mut Computed<'d> {
        if self.blame { &mut self.blamed } else { &mut self.plain }
    }

    /// Starts a fresh frame of `size` slots for a rule.
    pub fn enter_rule(&mut self, size: usize) {
        self.locals.clear();
        self.base = 0;
        self.locals.resize(size.max(1), None);
    }

    /// Binds a slot of the current frame.
    pub fn bind(&mut self, slot: usize, value: Val<'d>) {
        let index = self.base + slot;
        if self.locals.len() <= index {
            self.locals.resize(index + 1, None);
        }
        if let Some(entry) = self.locals.get_mut(index) {
            *entry = Some(value);
        }
    }

    /// A top-level field of the constitution, read once per document.
    fn root_field(&mut self, slot: usize, name: &str) -> Val<'d> {
        let root = &self.document.root;
        let Some(position) = root.fields.position(slot, name) else {
            return Val::unknown(Origins::new());
        };
        if let Some(Some(value)) = self.computed().roots.get(position) {
            return value.clone();
        }
        let Some((key, field)) = root.fields.entry(position) else {
            return Val::unknown(Origins::new());
        };
        let value = self.field_value(key, field);
        if let Some(entry) = self.computed().roots.get_mut(position) {
            *entry = Some(value.clone());
        }
        value
    }

    /// The value of a local slot.
    fn local(&self, slot: usize) -> Val<'d> {
        self.locals.get(self.base + slot).cloned().flatten().unwrap_or_else(|| Val::unknown(Origins::new()))
    }

    /// The items of a list expression, for going through them one by one (none when it is
    /// not a list or cannot be evaluated).
    pub fn items(&mut self, list: &TExpr) -> Vec<Val<'d>> {
        match self.eval(list) {
            Ok(Val { v: V::List(items), .. }) => value::owned_items(items).collect(),
            _ => Vec::new(),
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, expr: &TExpr) -> Result<'d, Val<'d>> {
        if !self.recounting {
            self.steps += 1;
            if self.steps > MAX_EVAL_STEPS {
                return Err(Stop::WorkLimit);
            }
        }
        Ok(match &expr.kind {
            TKind::Literal(scalar) => Val::plain(V::Scalar(scalar.clone())),
            TKind::Local(slot) => self.local(*slot),
            TKind::Root => Val::plain(V::Record(&self.document.root)),
            TKind::AsOf => Val::plain(V::Scalar(Scalar::Date(self.as_of))),
            // A field of the constitution's root or of a local is read in place, without
            // copying the record value it is read from.
            TKind::Field { base, field, slot } => {
                let slot = *slot as usize;
                match base.kind {
                    TKind::Root => self.root_field(slot, field),
                    TKind::Local(local) => match self.locals.get(self.base + local) {
                        Some(Some(local)) => self.field_of(local, slot, field),
                        _ => Val::unknown(Origins::new()),
                    },
                    _ => {
                        let base = self.eval(base)?;
                        self.field(base, slot, field)
                    }
                }
            }
            TKind::Let(id) => {
                if let Some(Some(cached)) = self.computed().lets.get(id.0) {
                    return Ok(cached.clone());
                }
                let value = match self.program.lets.get(id.0) {
                    Some(def) => self.call(def, Args::new())?,
                    None => Val::unknown(Origins::new()),
                };
                if let Some(slot) = self.computed().lets.get_mut(id.0) {
                    *slot = Some(value.clone());
                }
                value
            }
            TKind::Call { id, args } => {
                let mut values = Args::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(arg)?);
                }
                match self.program.lets.get(id.0) {
                    Some(def) => self.call(def, values)?,
                    None => Val::unknown(Origins::new()),
                }
            }
            TKind::Years(operand) => {
                let value = self.eval(operand)?;
                match value.v {
                    V::Scalar(Scalar::Duration(duration)) => match duration.years() {
                        Some(years) => Val { v: V::Scalar(Scalar::Decimal(years)), origins: value.origins },
                        None => Val::unknown(value.origins),
                    },
                    _ => Val::unknown(value.origins),
                }
            }
            TKind::Not(operand) => {
                let value = self.eval(operand)?;
                match value.truth() {
                    Some(truth) => Val::bool(!truth, value.origins),
                    None => Val::unknown(value.origins),
                }
            }
            TKind::Neg(operand) => {
                let value = self.eval(operand)?;
                arith::negate(value).map_err(|fault| Stop::Arithmetic { span: expr.span, fault })?
            }
            TKind::Logic { and, operands } => {
                let mut operands = operands.iter();
                let mut value = match operands.next() {
                    Some(operand) => self.eval(operand)?,
                    None => Val::bool(*and, Origins::new()),
                };
                for operand in operands {
                    let next = self.eval(operand)?;
                    value = logic(*and, value, next);
                }
                value
            }
            TKind::Compare { op, lhs, rhs } => {
                let lhs = self.eval(lhs)?;
                let rhs = self.eval(rhs)?;
                arith::compare(*op, lhs, rhs)
            }
            TKind::Arith { first, rest } => {
                let mut value = self.eval(first)?;
                for step in rest {
                    let operand = self.eval(&step.operand)?;
                    value = arith::arith(step.op, value, operand)
                        .map_err(|fault| Stop::Arithmetic { span: step.span, fault })?;
                }
                value
            }
            TKind::Shift { date, durations } => {
                let date = self.eval(date)?;
                let (sum, origins) = self.duration_sum(durations)?;
                let origins = merge(date.origins, origins);
                match (date.v, sum) {
                    (V::Scalar(Scalar::Date(date)), Some(sum)) => match add_duration(date, sum) {
                        Some(shifted) => Val { v: V::Scalar(Scalar::Date(shifted)), origins },
                        None => Val::unknown(origins),
                    },
                    _ => Val::unknown(origins),
                }
            }
            TKind::DurationSum { terms } => {
                let (sum, origins) = self.duration_sum(terms)?;
                match sum {
                    Some(sum) => Val { v: V::Scalar(Scalar::Duration(sum)), origins },
                    None => Val::unknown(origins),
                }
            }
            TKind::Member { needle, list, negated } => {
                let needle = self.eval(needle)?;
                let list = self.eval(list)?;
                let found = member(needle, list);
                if *negated {
                    match found.truth() {
                        Some(truth) => Val::bool(!truth, found.origins),
                        None => found,
                    }
                } else {
                    found
                }
            }
            TKind::IsSet { operand, negated } => {
                // Decided by the value alone, never by where it was read: a field read through
                // a `ref` is set exactly when it is set on the record the `ref` names.
                let value = self.eval(operand)?;
                let set = !matches!(value.v, V::Unknown);
                Val::bool(set != *negated, value.origins)
            }
            TKind::TableLookup { table, date } | TKind::TablePeriod { table, date } => {
                let at = self.eval(date)?;
                let row = match (&at.v, self.program.tables.get(*table)) {
                    (V::Scalar(Scalar::Date(date)), Some(def)) => def.row_at(*date).map(|row| (def, row)),
                    _ => None,
                };
                match row {
                    Some((_, (_, value))) if matches!(expr.kind, TKind::TableLookup { .. }) => {
                        Val { v: V::Scalar(value.clone()), origins: at.origins }
                    }
                    Some((def, (from, _))) => {
                        Val { v: V::Scalar(Scalar::Text(def.period(*from).into())), origins: at.origins }
                    }
                    None => Val::unknown(at.origins),
                }
            }
            TKind::IsBlank { operand, negated } => {
                let value = self.eval(operand)?;
                match &value.v {
                    V::Scalar(Scalar::Text(text)) => Val::bool(text.trim().is_empty() != *negated, value.origins),
                    _ => Val::unknown(value.origins),
                }
            }
            TKind::Affix { starts, text, affix } => {
                let text = self.eval(text)?;
                let affix = self.eval(affix)?;
                let found = match (&text.v, &affix.v) {
                    (V::Scalar(Scalar::Text(text)), V::Scalar(Scalar::Text(affix))) => {
                        Some(if *starts { text.starts_with(affix.as_ref()) } else { text.ends_with(affix.as_ref()) })
                    }
                    _ => None,
                };
                let origins = merge(text.origins, affix.origins);
                match found {
                    Some(found) => Val::bool(found, origins),
                    None => Val::unknown(origins),
                }
            }
            TKind::Matches { text, pattern } => {
                let value = self.eval(text)?;
                match &value.v {
                    V::Scalar(Scalar::Text(text)) => Val::bool(pattern.is_match(text), value.origins),
                    _ => Val::unknown(value.origins),
                }
            }
            TKind::Builtin { func, args } => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(arg)?);
                }
                builtin::call(*func, values)
            }
            TKind::Quantifier { quantity, slot, collection, filter, body } => {
                self.quantifier(*quantity, *slot, collection, filter.as_deref(), body)?
            }
            TKind::Aggregate { func, slot, element, collection, filter } => {
                self.aggregate(*func, *slot, element.as_deref(), collection, filter.as_deref(), expr)?
            }
            TKind::If { cond, then, otherwise } => {
                let cond = self.eval(cond)?;
                match cond.truth() {
                    Some(true) => self.eval(then)?,
                    Some(false) => self.eval(otherwise)?,
                    None => Val::unknown(cond.origins),
                }
            }
            TKind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval(item)?);
                }
                Val::plain(V::List(std::rc::Rc::new(values)))
            }
        })
    }

    fn call(&mut self, def: &LetDef, args: Args<'d>) -> Result<'d, Val<'d>> {
        let saved_base = self.base;
        let saved_len = self.locals.len();
        self.base = saved_len;
        self.locals.resize(saved_len + def.frame_size.max(def.params).max(1), None);
        for (slot, arg) in args.into_iter().enumerate() {
            self.bind(slot, arg);
        }
        let result = self.eval(&def.body);
        self.locals.truncate(saved_len);
        self.base = saved_base;
        result
    }

    fn duration_sum(&mut self, terms: &[(bool, TExpr)]) -> Result<'d, (Option<Duration>, Origins<'d>)> {
        let mut sum = Some(Duration::default());
        let mut origins = Origins::new();
        for (subtract, term) in terms {
            let value = self.eval(term)?;
            origins = merge(origins, value.origins);
            sum = match (sum, value.v) {
                (Some(total), V::Scalar(Scalar::Duration(duration))) => {
                    total.checked_add(if *subtract { duration.negated() } else { duration })
                }
                _ => None,
            };
        }
        Ok((sum, origins))
    }
}

/// Kleene's `and` / `or`, keeping the origins of the operands that decided the result.
fn logic<'d>(and: bool, lhs: Val<'d>, rhs: Val<'d>) -> Val<'d> {
    let decisive = !and;
    match (lhs.truth(), rhs.truth()) {
        (Some(a), Some(b)) if a == decisive && b == decisive => Val::bool(decisive, merge(lhs.origins, rhs.origins)),
        (Some(a), _) if a == decisive => Val::bool(decisive, lhs.origins),
        (_, Some(b)) if b == decisive => Val::bool(decisive, rhs.origins),
        (Some(_), Some(_)) => Val::bool(!decisive, merge(lhs.origins, rhs.origins)),
        (None, None) => Val::unknown(merge(lhs.origins, rhs.origins)),
        (None, _) => Val::unknown(lhs.origins),
        (_, None) => Val::unknown(rhs.origins),
    }
}
