//! The typed program: what the compiler makes of a policy set and the evaluator runs.
//!
//! Names are resolved (locals to frame slots, `let`s to ids, fields to records), enum values
//! are literals, and every expression carries its type and span.

use crate::diagnostic::{Citation, RuleStatus, Severity};
use crate::source::Span;
use crate::syntax::ast::{AggregateFn, BinaryOp, Quantity, Waivability};
use crate::value::Scalar;

use crate::ir_text::IrText;

/// What statically known unit a duration is in, so comparisons can be allowed or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DurationUnit {
    /// Months and years only.
    Months,
    /// Days only.
    Days,
    /// Not known until the constitution is read, or mixed.
    Unknown,
}

/// A type of the language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Ty {
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `decimal`
    Decimal,
    /// `percent`
    Percent,
    /// `money`
    Money,
    /// `date`
    Date,
    /// `duration`, with its statically known unit.
    Duration(DurationUnit),
    /// `text`
    Text,
    /// A free table.
    Table,
    /// An enum, by name.
    Enum(IrText),
    /// A record, by name.
    Record(IrText),
    /// A list.
    List(Box<Ty>),
    /// The type of `[]`: a list of anything.
    EmptyList,
    /// The type of an expression already reported as wrong (suppresses follow-on errors).
    Error,
}

impl Ty {
    /// How the type is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Ty::Bool => "a yes/no value (bool)".into(),
            Ty::Int => "a whole number (int)".into(),
            Ty::Decimal => "a number (decimal)".into(),
            Ty::Percent => "a percentage".into(),
            Ty::Money => "an amount of money".into(),
            Ty::Date => "a date".into(),
            Ty::Duration(_) => "a duration".into(),
            Ty::Text => "text".into(),
            Ty::Table => "a free table".into(),
            Ty::Enum(name) => format!("a `{name}` value"),
            Ty::Record(name) => format!("a `{name}` record"),
            Ty::List(element) => format!("a list of {}", element.plural()),
            Ty::EmptyList => "an empty list".into(),
            Ty::Error => "an invalid value".into(),
        }
    }

    fn plural(&self) -> String {
        match self {
            Ty::Enum(name) => format!("`{name}` values"),
            Ty::Record(name) => format!("`{name}` records"),
            other => other.describe(),
        }
    }

    /// True for types where arithmetic and ordering apply to numbers.
    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Decimal)
    }
}

/// Identifies a `let` in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct LetId(pub usize);

/// A typed expression.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TExpr {
    /// What it computes.
    pub kind: TKind,
    /// Its type.
    pub ty: Ty,
    /// Where it is written.
    pub span: Span,
}

impl TExpr {
    /// The expressions this one is made of, in order.
    pub fn children(&self) -> Vec<&TExpr> {
        match &self.kind {
            TKind::Literal(_) | TKind::Local(_) | TKind::Root | TKind::AsOf | TKind::Let(_) => Vec::new(),
            TKind::Field { base, .. } => vec![base],
            TKind::Call { args, .. } | TKind::Builtin { args, .. } => args.iter().collect(),
            TKind::Years(inner) | TKind::Not(inner) | TKind::Neg(inner) => vec![inner],
            TKind::Logic { operands, .. } => operands.iter().collect(),
            TKind::List(items) => items.iter().collect(),
            TKind::Compare { lhs, rhs, .. } => vec![lhs, rhs],
            TKind::Arith { first, rest } => {
                std::iter::once(first.as_ref()).chain(rest.iter().map(|step| &step.operand)).collect()
            }
            TKind::Shift { date, durations } => {
                std::iter::once(date.as_ref()).chain(durations.iter().map(|(_, d)| d)).collect()
            }
            TKind::DurationSum { terms } => terms.iter().map(|(_, term)| term).collect(),
            TKind::Member { needle, list, .. } => vec![needle, list],
            TKind::TableLookup { date, .. } | TKind::TablePeriod { date, .. } => vec![date],
            TKind::IsBlank { operand, .. } | TKind::IsSet { operand, .. } => vec![operand],
            TKind::Affix { text, affix, .. } => vec![text, affix],
            TKind::Matches { text, .. } => vec![text],
            TKind::Quantifier { collection, filter, body, .. } => std::iter::once(collection.as_ref())
                .chain(filter.as_deref())
                .chain(std::iter::once(body.as_ref()))
                .collect(),
            TKind::Aggregate { element, collection, filter, .. } => element
                .as_deref()
                .into_iter()
                .chain(std::iter::once(collection.as_ref()))
                .chain(filter.as_deref())
                .collect(),
            TKind::If { cond, then, otherwise } => vec![cond, then, otherwise],
        }
    }
}

/// Arithmetic on typed operands, decided by the compiler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// One step of a [`TKind::Arith`] fold: the running value `op` the operand.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ArithStep {
    /// The operator.
    pub op: ArithOp,
    /// The operand on its right.
    pub operand: TExpr,
    /// The expression up to and including this step, where an error in it is reported.
    pub span: Span,
}

/// The built-in functions (besides `years`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Builtin {
    /// `trim(text)`: the text without spaces at either end.
    Trim,
    /// `days_between(a, b)`: whole days from date `a` to date `b` (negative if `b` is earlier).
    DaysBetween,
    /// `months_between(a, b)`: whole calendar months from `a` to `b`.
    MonthsBetween,
    /// `financial_year(d)`: the UK financial year a date falls in, named by the year it starts
    /// (1 April): `financial_year(2025-03-31) == 2024`.
    FinancialYear,
}

impl Builtin {
    /// Every built-in, by the name a policy calls it.
    pub const ALL: [(&'static str, Builtin); 4] = [
        ("trim", Builtin::Trim),
        ("days_between", Builtin::DaysBetween),
        ("months_between", Builtin::MonthsBetween),
        ("financial_year", Builtin::FinancialYear),
    ];
}

/// The kinds of typed expression.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum TKind {
    /// A constant.
    Literal(Scalar),
    /// A local variable: a slot of the current frame.
    Local(usize),
    /// The constitution's root record.
    Root,
    /// `as_of`: the date the check is judged at.
    AsOf,
    /// A field read; a `ref` field reads the record it names.
    Field {
        /// The record read from.
        base: Box<TExpr>,
        /// The field's name.
        field: IrText,
        /// Its position among the record's fields in declaration order
        /// ([`crate::document::Fields::at`]).
        slot: u32,
    },
    /// A `let` without parameters.
    Let(LetId),
    /// A call of a `let` with parameters.
    Call {
        /// The `let`.
        id: LetId,
        /// Its arguments.
        args: Vec<TExpr>,
    },
    /// `years(d)`.
    Years(Box<TExpr>),
    /// `not x`.
    Not(Box<TExpr>),
    /// `-x`.
    Neg(Box<TExpr>),
    /// `a and b and …` / `a or b or …`, judged left to right by Kleene's rules.
    Logic {
        /// True for `and`.
        and: bool,
        /// The conditions joined, at least two.
        operands: Vec<TExpr>,
    },
    /// A comparison.
    Compare {
        /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<TExpr>,
        /// Right operand.
        rhs: Box<TExpr>,
    },
    /// Arithmetic on numbers, percentages and money, folded left to right:
    /// `first op₁ x₁ op₂ x₂ …`. Flat, so that a long sum costs no stack.
    Arith {
        /// The first operand.
        first: Box<TExpr>,
        /// Each further step.
        rest: Vec<ArithStep>,
    },
    /// `date ± d1 ± d2 …`: the durations are summed first, then applied to the date.
    Shift {
        /// The date.
        date: Box<TExpr>,
        /// The durations, each with `true` when subtracted.
        durations: Vec<(bool, TExpr)>,
    },
    /// `d1 + d2`, `d1 - d2` on durations, component by component.
    DurationSum {
        /// The durations, each with `true` when subtracted.
        terms: Vec<(bool, TExpr)>,
    },
    /// `x in list`, `x not in list`, `list contains x`.
    Member {
        /// The value looked for.
        needle: Box<TExpr>,
        /// The list.
        list: Box<TExpr>,
        /// `not in`.
        negated: bool,
    },
    /// The value of a dated table in force at a date.
    TableLookup {
        /// The table, an index into [`Program::tables`].
        table: usize,
        /// The date.
        date: Box<TExpr>,
    },
    /// `period_of(TABLE, date)`: the period whose value is in force at a date, as text
    /// ("from 2022-01-01", or "2025/26" by financial year).
    TablePeriod {
        /// The table.
        table: usize,
        /// The date.
        date: Box<TExpr>,
    },
    /// `x is blank` / `x is not blank`.
    IsBlank {
        /// The text tested.
        operand: Box<TExpr>,
        /// `is not blank`.
        negated: bool,
    },
    /// `a starts with b` / `a ends with b`.
    Affix {
        /// True for `starts with`.
        starts: bool,
        /// The text tested.
        text: Box<TExpr>,
        /// The text looked for.
        affix: Box<TExpr>,
    },
    /// `a matches "PATTERN"`: the pattern, compiled once, found anywhere in the text.
    Matches {
        /// The text tested.
        text: Box<TExpr>,
        /// The pattern.
        #[serde(with = "super::artifact::regex_pattern")]
        pattern: regex::Regex,
    },
    /// A built-in function.
    Builtin {
        /// Which.
        func: Builtin,
        /// Its arguments.
        args: Vec<TExpr>,
    },
    /// `x is set` / `x is not set`.
    IsSet {
        /// The value tested.
        operand: Box<TExpr>,
        /// `is not set`.
        negated: bool,
    },
    /// `all` / `any`.
    Quantifier {
        /// All or any.
        quantity: Quantity,
        /// The slot the element is bound to.
        slot: usize,
        /// The list.
        collection: Box<TExpr>,
        /// Which elements count.
        filter: Option<Box<TExpr>>,
        /// The condition.
        body: Box<TExpr>,
    },
    /// `count`, `sum`, `min`, `max`.
    Aggregate {
        /// The function.
        func: AggregateFn,
        /// The slot the element is bound to.
        slot: usize,
        /// The value per element (the element itself when absent).
        element: Option<Box<TExpr>>,
        /// The list.
        collection: Box<TExpr>,
        /// Which elements count.
        filter: Option<Box<TExpr>>,
    },
    /// `if c then a else b`.
    If {
        /// The condition.
        cond: Box<TExpr>,
        /// Value when true.
        then: Box<TExpr>,
        /// Value when false.
        otherwise: Box<TExpr>,
    },
    /// `[a, b]`.
    List(Vec<TExpr>),
}

/// A weighted criterion of an options appraisal, with the rules it draws on resolved.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CriterionDef {
    /// Its name.
    pub name: IrText,
    /// Its title.
    pub title: IrText,
    /// Its weight.
    pub weight: u32,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// The ids of the rules it draws on, sorted.
    pub rules: Vec<IrText>,
}

/// A compiled dated table: values in force from given dates, in date order.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TableDef {
    /// Its name.
    pub name: IrText,
    /// The type of its values.
    pub ty: Ty,
    /// Keyed by financial year (rows start on 1 April).
    pub by_financial_year: bool,
    /// Each row: the date it is in force from, and the value.
    pub rows: Vec<(jiff::civil::Date, Scalar)>,
}

impl TableDef {
    /// The row in force at `date`: the last that starts on or before it.
    pub fn row_at(&self, date: jiff::civil::Date) -> Option<&(jiff::civil::Date, Scalar)> {
        let after = self.rows.partition_point(|(from, _)| *from <= date);
        after.checked_sub(1).and_then(|index| self.rows.get(index))
    }

    /// The period a row's value is in force for, in words: "from 2020-01-01 to 2021-12-31",
    /// "from 2026-01-01" for the last row, "2025/26" by financial year.
    pub fn period(&self, from: jiff::civil::Date) -> String {
        if self.by_financial_year {
            let year = i64::from(from.year());
            return format!("{year}/{:02}", (year + 1).rem_euclid(100));
        }
        let next = self.rows.iter().map(|(start, _)| *start).find(|start| *start > from);
        match next.and_then(|start| start.yesterday().ok()) {
            Some(end) => format!("from {from} to {end}"),
            None => format!("from {from}"),
        }
    }
}

/// A compiled `let`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LetDef {
    /// Its name: `POLICY.NAME` for a `let` of a policy, `NAME` for one outside every policy.
    pub name: IrText,
    /// Declared with `const`: the same for every constitution.
    pub constant: bool,
    /// Number of parameters (they occupy slots `0..params` of its frame).
    pub params: usize,
    /// Its definition.
    pub body: TExpr,
    /// Slots its frame needs.
    pub frame_size: usize,
    /// Where it is defined (its name).
    pub span: Span,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// The type of its value, in words.
    pub ty: IrText,
}

/// A citation, possibly conditional.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CiteDef {
    /// The citation as shown.
    #[serde(with = "super::artifact::citation")]
    pub citation: Citation,
    /// When it is the one that applies.
    pub condition: Option<TExpr>,
}

/// A piece of a compiled message.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum MessagePart {
    /// Literal text.
    Text(IrText),
    /// A value to display.
    Expr(TExpr),
}

/// A compiled per-element range: `for c in contracts where …`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ForEachDef {
    /// The slot the element is bound to (always 0).
    pub slot: usize,
    /// The list.
    pub collection: TExpr,
    /// Which elements the rule applies to.
    pub filter: Option<TExpr>,
}

/// A compiled rule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RuleDef {
    /// `policy.rule` (shared with every outcome reported).
    pub id: std::sync::Arc<str>,
    /// Its severity.
    pub severity: Severity,
    /// Law, guidance or local policy.
    pub status: RuleStatus,
    /// Whether, and for how long, a constitution may waive it.
    pub waivable: Waivability,
    /// The date a `waivable for at most` period runs from (`None`: the waiver's approval).
    pub waivable_from: Option<TExpr>,
    /// Its title.
    pub title: IrText,
    /// Its doc comment.
    pub doc: Option<IrText>,
    /// Per-element range.
    pub for_each: Option<ForEachDef>,
    /// Its citations (or its policy's), in order.
    pub cites: Vec<CiteDef>,
    /// Applicability.
    pub whens: Vec<TExpr>,
    /// Exceptions.
    pub unlesses: Vec<TExpr>,
    /// Requirements.
    pub requires: Vec<TExpr>,
    /// The failure message.
    pub message: Vec<MessagePart>,
    /// Help on how to comply.
    pub help: Vec<MessagePart>,
    /// Where a failure points: the first of these that is written in the constitution.
    pub at: Vec<TExpr>,
    /// Slots its frame needs.
    pub frame_size: usize,
    /// The rule header's span.
    pub header_span: Span,
    /// The whole rule's span.
    pub span: Span,
}

/// The compiled program: every `let` and rule of the policy set.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Program {
    /// `let`s, indexed by [`LetId`].
    pub lets: Vec<LetDef>,
    /// Dated tables, indexed as [`TKind::TableLookup`] names them.
    pub tables: Vec<TableDef>,
    /// The weighted criteria of an options appraisal, in the order written.
    pub criteria: Vec<CriterionDef>,
    /// Rules, sorted by id.
    pub rules: Vec<RuleDef>,
    /// Conditions on records of the constitution, checked when one is read.
    pub invariants: Vec<InvariantDef>,
    /// The dated events of a constitution's timeline, in the order written.
    pub events: Vec<EventDef>,
}

/// `event NAME [deadline] "Title" [for x in LIST] at DATE` of a policy.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EventDef {
    /// `POLICY.NAME`.
    pub id: IrText,
    /// Its title.
    pub title: IrText,
    /// Its documentation.
    pub doc: Option<IrText>,
    /// Whether it is a deadline: overdue once its date has passed.
    pub deadline: bool,
    /// For a per-element event, what it ranges over.
    pub for_each: Option<ForEachDef>,
    /// Its date.
    pub date: TExpr,
    /// Slots its evaluation needs.
    pub frame_size: usize,
    /// Where it is declared.
    pub span: Span,
}

/// `invariant "MESSAGE" require CONDITION` of a record: every record of the type must meet
/// the condition, with `self` (slot 0) the record.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct InvariantDef {
    /// The record type it applies to.
    pub record: IrText,
    /// What a record that breaks it is told.
    pub message: IrText,
    /// Its documentation, the fuller explanation.
    pub doc: Option<IrText>,
    /// The condition.
    pub condition: TExpr,
    /// Slots its evaluation needs.
    pub frame_size: usize,
    /// Where it is declared.
    pub span: Span,
}
