//! The abstract syntax tree of policy files. Every node carries its span.

use crate::diagnostic::{RuleStatus, Severity};
use crate::source::Span;
use crate::value::{Duration, Scalar};

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A string literal's value (escapes resolved) and span (quotes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    /// The text.
    pub value: String,
    /// Where it is written.
    pub span: Span,
}

/// One parsed policy file.
#[derive(Clone, Debug, Default)]
pub struct File {
    /// Its top-level items, in order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug)]
pub enum Item {
    /// `record` or `extend record`.
    Record(RecordDecl),
    /// `enum` or `extend enum`.
    Enum(EnumDecl),
    /// `root NAME`.
    Root(Ident),
    /// A top-level `let`.
    Let(LetDecl),
    /// A dated `table`.
    Table(TableDecl),
    /// A weighted `criterion` of an options appraisal.
    Criterion(CriterionDecl),
    /// A `policy` block.
    Policy(PolicyDecl),
}

/// `table NAME: TYPE by date|financial_year { KEY => VALUE … }`: values in force from given
/// dates, or from 1 April of given financial years.
#[derive(Clone, Debug)]
pub struct TableDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// Its name, called like a function with a date.
    pub name: Ident,
    /// The type of its values.
    pub ty: Ident,
    /// True when keyed by financial year (the year it starts), else by date.
    pub by_financial_year: bool,
    /// The rows, as written.
    pub rows: Vec<TableRow>,
    /// The whole declaration.
    pub span: Span,
}

/// `criterion NAME "Title" weight N draws on AREA, POLICY.RULE, …`.
#[derive(Clone, Debug)]
pub struct CriterionDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// Its name.
    pub name: Ident,
    /// Its title.
    pub title: StrLit,
    /// Its weight.
    pub weight: u32,
    /// The areas (policy names) and rule ids it draws on, as written.
    pub targets: Vec<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// One row of a dated table.
#[derive(Clone, Debug)]
pub struct TableRow {
    /// The date from which the value is in force, or the financial year (the year it starts).
    pub from: TableKey,
    /// The value.
    pub value: Literal,
    /// The whole row.
    pub span: Span,
}

/// The key of a table row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKey {
    /// In force from this date.
    Date(jiff::civil::Date),
    /// In force from 1 April of this year.
    FinancialYear(i64),
}

/// `record NAME { fields }` or `extend record NAME { fields }`.
#[derive(Clone, Debug)]
pub struct RecordDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// True for `extend record`.
    pub extend: bool,
    /// The record name.
    pub name: Ident,
    /// Its fields.
    pub fields: Vec<FieldDecl>,
    /// Conditions every record of the type must meet.
    pub invariants: Vec<InvariantDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// `event NAME [deadline] "Title" [for x in LIST [where COND]] at DATE`: a dated event of a
/// constitution's timeline.
#[derive(Clone, Debug)]
pub struct EventDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// Its name within the policy.
    pub name: Ident,
    /// Whether it is a deadline (overdue once passed).
    pub deadline: bool,
    /// Its title.
    pub title: StrLit,
    /// For a per-element event, what it ranges over.
    pub for_each: Option<ForEach>,
    /// Its date.
    pub date: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// `invariant "MESSAGE" require CONDITION`, `self` being the record.
#[derive(Clone, Debug)]
pub struct InvariantDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// What a record that breaks it is told.
    pub message: StrLit,
    /// The condition.
    pub condition: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// `[key] NAME: TYPE[?] [= DEFAULT]`.
#[derive(Clone, Debug)]
pub struct FieldDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// Marked `key`.
    pub key: bool,
    /// The field name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Marked optional with `?`.
    pub optional: bool,
    /// `>= N`: the least value a whole number may take.
    pub minimum: Option<(i64, Span)>,
    /// Its default.
    pub default: Option<DefaultExpr>,
    /// The whole declaration.
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug)]
pub enum TypeExpr {
    /// A built-in type, record or enum name.
    Named(Ident),
    /// `[non empty] list of T`.
    List {
        /// The element type.
        element: Box<TypeExpr>,
        /// `non empty`.
        non_empty: bool,
        /// The whole type.
        span: Span,
    },
    /// `ref LIST`.
    Ref(Ident),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(ident) | TypeExpr::Ref(ident) => ident.span,
            TypeExpr::List { span, .. } => *span,
        }
    }
}

/// A field default as written.
#[derive(Clone, Debug)]
pub enum DefaultExpr {
    /// A literal.
    Literal(Literal, Span),
    /// `[]`.
    EmptyList(Span),
    /// `{}`.
    EmptyRecord(Span),
    /// An enum value.
    Name(Ident),
}

impl DefaultExpr {
    /// Where the default is written.
    pub fn span(&self) -> Span {
        match self {
            DefaultExpr::Literal(_, span) | DefaultExpr::EmptyList(span) | DefaultExpr::EmptyRecord(span) => *span,
            DefaultExpr::Name(ident) => ident.span,
        }
    }
}

/// `enum NAME [includes A, B] { values }` or `extend enum NAME { values }`.
#[derive(Clone, Debug)]
pub struct EnumDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// True for `extend enum`.
    pub extend: bool,
    /// The enum name.
    pub name: Ident,
    /// Enums whose values it includes.
    pub includes: Vec<Ident>,
    /// Its own values.
    pub variants: Vec<Variant>,
    /// The whole declaration.
    pub span: Span,
}

/// One enum value.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Its doc comment.
    pub doc: Option<String>,
    /// The value.
    pub name: Ident,
}

/// `let NAME[(params)] = EXPR`.
#[derive(Clone, Debug)]
pub struct LetDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// Declared with `const`: its value may not depend on the constitution.
    pub constant: bool,
    /// The name defined.
    pub name: Ident,
    /// Parameters, if it takes any.
    pub params: Vec<Param>,
    /// The definition.
    pub body: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// A parameter of a `let`.
#[derive(Clone, Debug)]
pub struct Param {
    /// Its name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
}

/// `policy NAME "Title" { … }`.
#[derive(Clone, Debug)]
pub struct PolicyDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// The policy name (the first part of its rules' ids).
    pub name: Ident,
    /// Its title.
    pub title: StrLit,
    /// Citations that apply to every rule without its own.
    pub cites: Vec<Cite>,
    /// `let`s defined inside it (visible everywhere).
    pub lets: Vec<LetDecl>,
    /// Dated tables defined inside it (visible everywhere).
    pub tables: Vec<TableDecl>,
    /// Its rules.
    pub rules: Vec<RuleDecl>,
    /// Its timeline events.
    pub events: Vec<EventDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// `cite "TEXT" [url "URL"] [if COND]`.
#[derive(Clone, Debug)]
pub struct Cite {
    /// The provision.
    pub text: StrLit,
    /// A link to it.
    pub url: Option<StrLit>,
    /// When the provision's text was last read and found to say what the rule relies on.
    pub verified: Option<jiff::civil::Date>,
    /// When this citation is the one that applies.
    pub condition: Option<Expr>,
    /// The whole clause.
    pub span: Span,
}

/// `for VAR in COLLECTION [where FILTER]` on a per-element rule.
#[derive(Clone, Debug)]
pub struct ForEach {
    /// The element's name inside the rule.
    pub var: Ident,
    /// The list ranged over.
    pub collection: Expr,
    /// Which elements the rule applies to.
    pub filter: Option<Expr>,
}

/// `rule NAME SEVERITY "Title" [for …] { clauses }`.
#[derive(Clone, Debug)]
pub struct RuleDecl {
    /// Its doc comment.
    pub doc: Option<String>,
    /// The rule name (the second part of its id).
    pub name: Ident,
    /// Its severity.
    pub severity: Severity,
    /// Its status as written (`law`, `guidance`, `local_policy`), if written.
    pub status: Option<(RuleStatus, Span)>,
    /// Whether a constitution may waive it, as written.
    pub waivable: Option<(Waivability, Span)>,
    /// The date a `waivable for at most` period runs from (`after DATE`); absent: the
    /// waiver's approval.
    pub waivable_from: Option<Expr>,
    /// Its title.
    pub title: StrLit,
    /// For a per-element rule, what it ranges over.
    pub for_each: Option<ForEach>,
    /// Its citations, in order.
    pub cites: Vec<Cite>,
    /// `when` conditions (all must hold for the rule to apply).
    pub whens: Vec<Expr>,
    /// `unless` exceptions.
    pub unlesses: Vec<Expr>,
    /// `require` conditions.
    pub requires: Vec<Expr>,
    /// The failure message.
    pub message: Option<Template>,
    /// Help on how to comply.
    pub help: Option<Template>,
    /// Where a failure points: the first of these that is written in the constitution.
    pub at: Vec<Expr>,
    /// The header: `rule NAME SEVERITY "Title" [for …]`.
    pub header_span: Span,
    /// The whole rule.
    pub span: Span,
}

/// A message with `{expr}` interpolations.
#[derive(Clone, Debug)]
pub struct Template {
    /// Text and expressions, in order.
    pub parts: Vec<TemplatePart>,
    /// The whole string literal.
    pub span: Span,
}

/// A piece of a [`Template`].
#[derive(Clone, Debug)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// An interpolated expression.
    Expr(Expr),
}

/// A literal value: a scalar written in a policy (never an enum value, which is a name).
pub type Literal = Scalar;

/// An expression with its span.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// Whether a constitution may waive a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Waivability {
    /// Any waiver applies (the default).
    #[default]
    Waivable,
    /// No waiver applies: one is refused.
    NotWaivable,
    /// A waiver applies only if it expires within this long of its approval.
    AtMost(Duration),
}

/// One operator and the operand after it in a [`ExprKind::Chain`].
#[derive(Clone, Debug)]
pub struct Link {
    /// The operator.
    pub op: BinaryOp,
    /// Where the operator is written.
    pub op_span: Span,
    /// The operand after it.
    pub operand: Expr,
}

/// How tightly an infix operator binds; operators of one level chain left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precedence {
    /// `or`
    Or,
    /// `and`
    And,
    /// Comparisons and membership: `==`, `<`, `in`, `contains`, …
    Compare,
    /// `+`, `-`
    Additive,
    /// `*`, `/`
    Multiplicative,
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `contains`
    Contains,
    /// `starts with`
    StartsWith,
    /// `ends with`
    EndsWith,
    /// `matches` (a regular expression)
    Matches,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The precedence level the operator belongs to.
    pub fn precedence(self) -> Precedence {
        match self {
            BinaryOp::Or => Precedence::Or,
            BinaryOp::And => Precedence::And,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In
            | BinaryOp::NotIn
            | BinaryOp::Contains
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith
            | BinaryOp::Matches => Precedence::Compare,
            BinaryOp::Add | BinaryOp::Sub => Precedence::Additive,
            BinaryOp::Mul | BinaryOp::Div => Precedence::Multiplicative,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Contains => "contains",
            BinaryOp::StartsWith => "starts with",
            BinaryOp::EndsWith => "ends with",
            BinaryOp::Matches => "matches",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// `all` or `any`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Quantity {
    /// `all x in xs: …`
    All,
    /// `any x in xs: …`
    Any,
}

/// An aggregate function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AggregateFn {
    /// `count`
    Count,
    /// `sum`
    Sum,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `first`: the first element (in document order) that passes the filter.
    First,
}

impl AggregateFn {
    /// The function's name.
    pub fn name(self) -> &'static str {
        match self {
            AggregateFn::Count => "count",
            AggregateFn::Sum => "sum",
            AggregateFn::Min => "min",
            AggregateFn::Max => "max",
            AggregateFn::First => "first",
        }
    }
}

/// The kinds of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A literal.
    Literal(Literal),
    /// A name followed by field accesses: `c.award_route`, `local_authority`, `MemberKind.charity`.
    Path {
        /// The first name.
        head: Ident,
        /// The fields after it.
        fields: Vec<Ident>,
    },
    /// A call: `years(d)`, `in_house(c)`, followed by optional field accesses.
    Call {
        /// The function.
        func: Ident,
        /// Its arguments.
        args: Vec<Expr>,
        /// Fields read from the result.
        fields: Vec<Ident>,
    },
    /// A prefix operator.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// Operands joined left to right by infix operators of one precedence level:
    /// `a and b and c`, `x + y - z`, `a == b`. Kept flat, so that no pass recurses on the
    /// length of a chain; a comparison or membership test has exactly one link.
    Chain {
        /// The first operand.
        first: Box<Expr>,
        /// Each further operator and operand, in order.
        rest: Vec<Link>,
    },
    /// `x is set` / `x is not set`.
    IsSet {
        /// The value tested.
        operand: Box<Expr>,
        /// `is not set`.
        negated: bool,
    },
    /// `x is blank` / `x is not blank`: text that is empty or only spaces.
    IsBlank {
        /// The text tested.
        operand: Box<Expr>,
        /// `is not blank`.
        negated: bool,
    },
    /// `all x in xs [where f]: body` / `any …`.
    Quantifier {
        /// All or any.
        quantity: Quantity,
        /// The element's name.
        var: Ident,
        /// The list.
        collection: Box<Expr>,
        /// Which elements count.
        filter: Option<Box<Expr>>,
        /// The condition tested on each.
        body: Box<Expr>,
    },
    /// `sum(e for x in xs where f)`, `count(x in xs where f)`, `count(xs)`, `max(xs)`.
    Aggregate {
        /// The function.
        func: AggregateFn,
        /// The element's name, when bound.
        var: Option<Ident>,
        /// The value aggregated per element (`sum`, `min`, `max` with `for`).
        element: Option<Box<Expr>>,
        /// The list.
        collection: Box<Expr>,
        /// Which elements count.
        filter: Option<Box<Expr>>,
    },
    /// `if c then a else b`.
    If {
        /// The condition.
        cond: Box<Expr>,
        /// The value when true.
        then: Box<Expr>,
        /// The value when false.
        otherwise: Box<Expr>,
    },
    /// `[a, b]`.
    List(Vec<Expr>),
    /// Fields read from a computed record: `first(c in contracts where …).name`.
    Access {
        /// The record.
        base: Box<Expr>,
        /// The fields read, in order.
        fields: Vec<Ident>,
    },
}
