//! pest pairs → spanned AST, one function per grammar rule.
//!
//! The grammar guarantees the shape of each pair; where code relies on that, it goes through
//! [`Builder::internal`], which turns a broken assumption into an internal-error diagnostic
//! rather than a panic.

use std::str::FromStr;
use std::sync::LazyLock;

use pest::Parser as _;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;

use super::ast::*;
use super::errors::syntax_error;
use crate::report::{Diagnostic, Severity};
use crate::source::{FileId, Span};
use crate::value::{duration_of, parse_money, parse_percent};

/// The pest parser generated from `grammar/policy.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(crate) struct PolicyParser;

type Result<T> = std::result::Result<T, Box<Diagnostic>>;

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
            | Op::infix(Rule::op_contains, Assoc::Left))
        .op(Op::postfix(Rule::op_is_set) | Op::postfix(Rule::op_is_not_set))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

/// Parses a whole policy file. `text` is the file's full text.
pub fn parse_file(text: &str, file: FileId) -> std::result::Result<File, Vec<Diagnostic>> {
    let pairs = PolicyParser::parse(Rule::file, text).map_err(|error| vec![syntax_error(&error, text, file, 0)])?;
    let builder = Builder { file, offset: 0, text };
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for pair in pairs.flatten().take(1) {
        for item in children(pair) {
            if item.as_rule() == Rule::EOI {
                continue;
            }
            match builder.item(item) {
                Ok(item) => items.push(item),
                Err(error) => errors.push(*error),
            }
        }
    }
    if errors.is_empty() { Ok(File { items }) } else { Err(errors) }
}

struct Builder<'t> {
    file: FileId,
    /// Offset of the parsed text within the file (non-zero for interpolations).
    offset: usize,
    /// The whole file's text.
    text: &'t str,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.file, span.start() + self.offset, span.end() + self.offset)
    }

    fn internal(&self, span: Span, what: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error("policy.syntax", format!("internal error: unexpected shape of {what}"), Some(span))
                .with_help("this is a bug in trustcheck; please report it with the policy file"),
        )
    }

    fn next<'i>(
        &self,
        pairs: &mut impl Iterator<Item = Pair<'i, Rule>>,
        parent: Span,
        what: &str,
    ) -> Result<Pair<'i, Rule>> {
        pairs.next().ok_or_else(|| self.internal(parent, what))
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::record_decl => Ok(Item::Record(self.record(pair, false)?)),
            Rule::extend_record => Ok(Item::Record(self.record(pair, true)?)),
            Rule::enum_decl => Ok(Item::Enum(self.enum_decl(pair, false)?)),
            Rule::extend_enum => Ok(Item::Enum(self.enum_decl(pair, true)?)),
            Rule::root_decl => {
                let mut inner = children(pair);
                Ok(Item::Root(self.ident(self.next(&mut inner, span, "root")?)))
            }
            Rule::let_decl => Ok(Item::Let(self.let_decl(pair)?)),
            Rule::policy_decl => Ok(Item::Policy(self.policy(pair)?)),
            _ => Err(self.internal(span, "a top-level item")),
        }
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_owned(), span: self.span(&pair) }
    }

    fn docs(&self, pair: Pair<'_, Rule>) -> Option<String> {
        let lines: Vec<&str> = pair
            .into_inner()
            .map(|doc| {
                let text = doc.as_str().trim_start_matches("///");
                text.strip_prefix(' ').unwrap_or(text).trim_end()
            })
            .collect();
        if lines.is_empty() { None } else { Some(lines.join("\n")) }
    }

    fn record(&self, pair: Pair<'_, Rule>, extend: bool) -> Result<RecordDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "record docs")?);
        let name = self.ident(self.next(&mut inner, span, "record name")?);
        let fields = inner.map(|field| self.field(field)).collect::<Result<Vec<_>>>()?;
        Ok(RecordDecl { doc, extend, name, fields, span })
    }

    fn field(&self, pair: Pair<'_, Rule>) -> Result<FieldDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "field docs")?);
        let mut key = false;
        let mut next = self.next(&mut inner, span, "field name")?;
        if next.as_rule() == Rule::key_marker {
            key = true;
            next = self.next(&mut inner, span, "field name")?;
        }
        let name = self.ident(next);
        let ty = self.type_expr(self.next(&mut inner, span, "field type")?)?;
        let mut optional = false;
        let mut minimum = None;
        let mut default = None;
        for rest in inner {
            match rest.as_rule() {
                Rule::optional_marker => optional = true,
                Rule::minimum => {
                    let minimum_span = self.span(&rest);
                    let digits = rest.as_str().trim_start_matches(">=").trim();
                    let value = digits.parse::<i64>().map_err(|_| {
                        Box::new(Diagnostic::error(
                            "policy.syntax",
                            format!("`{digits}` is too large for a whole number"),
                            Some(minimum_span),
                        ))
                    })?;
                    minimum = Some((value, minimum_span));
                }
                Rule::default_value => default = Some(self.default_value(rest)?),
                _ => return Err(self.internal(span, "a field")),
            }
        }
        Ok(FieldDecl { doc, key, name, ty, optional, minimum, default, span })
    }

    fn type_expr(&self, pair: Pair<'_, Rule>) -> Result<TypeExpr> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::type_name => {
                let mut inner = children(pair);
                Ok(TypeExpr::Named(self.ident(self.next(&mut inner, span, "type name")?)))
            }
            Rule::ref_type => {
                let mut inner = children(pair);
                Ok(TypeExpr::Ref(self.ident(self.next(&mut inner, span, "ref type")?)))
            }
            Rule::list_type => {
                let mut inner = children(pair);
                let mut next = self.next(&mut inner, span, "list type")?;
                let non_empty = next.as_rule() == Rule::non_empty;
                if non_empty {
                    next = self.next(&mut inner, span, "list type")?;
                }
                Ok(TypeExpr::List { element: Box::new(self.type_expr(next)?), non_empty, span })
            }
            _ => Err(self.internal(span, "a type")),
        }
    }

    fn default_value(&self, pair: Pair<'_, Rule>) -> Result<DefaultExpr> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let value = self.next(&mut inner, span, "default value")?;
        let value_span = self.span(&value);
        match value.as_rule() {
            Rule::empty_list => Ok(DefaultExpr::EmptyList(value_span)),
            Rule::empty_record => Ok(DefaultExpr::EmptyRecord(value_span)),
            Rule::name => Ok(DefaultExpr::Name(self.ident(value))),
            _ => Ok(DefaultExpr::Literal(self.literal(value)?, value_span)),
        }
    }

    fn enum_decl(&self, pair: Pair<'_, Rule>, extend: bool) -> Result<EnumDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "enum docs")?);
        let name = self.ident(self.next(&mut inner, span, "enum name")?);
        let mut includes = Vec::new();
        let mut variants = Vec::new();
        for rest in inner {
            match rest.as_rule() {
                Rule::includes => includes = children(rest).map(|name| self.ident(name)).collect(),
                Rule::variants => {
                    for variant in children(rest) {
                        let variant_span = self.span(&variant);
                        let mut parts = children(variant);
                        let doc = self.docs(self.next(&mut parts, variant_span, "enum value docs")?);
                        let name = self.ident(self.next(&mut parts, variant_span, "enum value")?);
                        variants.push(Variant { doc, name });
                    }
                }
                _ => return Err(self.internal(span, "an enum")),
            }
        }
        Ok(EnumDecl { doc, extend, name, includes, variants, span })
    }

    fn let_decl(&self, pair: Pair<'_, Rule>) -> Result<LetDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "let docs")?);
        let name = self.ident(self.next(&mut inner, span, "let name")?);
        let mut next = self.next(&mut inner, span, "let body")?;
        let mut params = Vec::new();
        if next.as_rule() == Rule::params {
            for param in children(next) {
                let param_span = self.span(&param);
                let mut parts = children(param);
                let name = self.ident(self.next(&mut parts, param_span, "parameter name")?);
                let ty = self.type_expr(self.next(&mut parts, param_span, "parameter type")?)?;
                params.push(Param { name, ty });
            }
            next = self.next(&mut inner, span, "let body")?;
        }
        let body = self.expr(next)?;
        Ok(LetDecl { doc, name, params, body, span })
    }

    fn policy(&self, pair: Pair<'_, Rule>) -> Result<PolicyDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "policy docs")?);
        let name = self.ident(self.next(&mut inner, span, "policy name")?);
        let title = self.string(self.next(&mut inner, span, "policy title")?)?;
        let mut policy = PolicyDecl { doc, name, title, cites: Vec::new(), lets: Vec::new(), rules: Vec::new(), span };
        for item in inner {
            match item.as_rule() {
                Rule::cite_clause => policy.cites.push(self.cite(item)?),
                Rule::let_decl => policy.lets.push(self.let_decl(item)?),
                Rule::rule_decl => policy.rules.push(self.rule(item)?),
                _ => return Err(self.internal(span, "a policy")),
            }
        }
        Ok(policy)
    }

    fn cite(&self, pair: Pair<'_, Rule>) -> Result<Cite> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let text = self.string(self.next(&mut inner, span, "citation")?)?;
        let mut cite = Cite { text, url: None, condition: None, span };
        for part in inner {
            let part_span = self.span(&part);
            let mut parts = children(part.clone());
            let value = self.next(&mut parts, part_span, "citation")?;
            match part.as_rule() {
                Rule::url_clause => cite.url = Some(self.string(value)?),
                Rule::cite_condition => cite.condition = Some(self.expr(value)?),
                _ => return Err(self.internal(span, "a citation")),
            }
        }
        Ok(cite)
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Result<RuleDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "rule docs")?);
        let header = self.next(&mut inner, span, "rule header")?;
        let header_span = self.span(&header);
        let mut parts = children(header);
        let name = self.ident(self.next(&mut parts, header_span, "rule name")?);
        let severity = match self.next(&mut parts, header_span, "severity")?.as_str().trim() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Note,
        };
        let title = self.string(self.next(&mut parts, header_span, "rule title")?)?;
        let for_each = match parts.next() {
            Some(for_clause) => Some(self.for_each(for_clause)?),
            None => None,
        };
        let mut rule = RuleDecl {
            doc,
            name,
            severity,
            title,
            for_each,
            cites: Vec::new(),
            whens: Vec::new(),
            unlesses: Vec::new(),
            requires: Vec::new(),
            message: None,
            help: None,
            at: Vec::new(),
            header_span,
            span,
        };
        for clause in inner {
            let clause_span = self.span(&clause);
            let rule_kind = clause.as_rule();
            if rule_kind == Rule::cite_clause {
                rule.cites.push(self.cite(clause)?);
                continue;
            }
            let mut parts = children(clause);
            let value = self.next(&mut parts, clause_span, "rule clause")?;
            match rule_kind {
                Rule::when_clause => rule.whens.push(self.expr(value)?),
                Rule::require_clause => rule.requires.push(self.expr(value)?),
                Rule::unless_clause => rule.unlesses.push(self.expr(value)?),
                Rule::at_clause => rule.at.push(self.expr(value)?),
                Rule::message_clause => rule.message = Some(self.template(value)?),
                Rule::help_clause => rule.help = Some(self.template(value)?),
                _ => return Err(self.internal(clause_span, "a rule clause")),
            }
        }
        Ok(rule)
    }

    fn for_each(&self, pair: Pair<'_, Rule>) -> Result<ForEach> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let var = self.ident(self.next(&mut inner, span, "for clause")?);
        let collection = self.expr(self.next(&mut inner, span, "for clause")?)?;
        let filter = match inner.next() {
            Some(clause) => Some(self.where_clause(clause)?),
            None => None,
        };
        Ok(ForEach { var, collection, filter })
    }

    fn where_clause(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        self.expr(self.next(&mut inner, span, "where clause")?)
    }

    // ------------------------------------------------------------ strings

    fn string(&self, pair: Pair<'_, Rule>) -> Result<StrLit> {
        let span = self.span(&pair);
        let raw = children(pair).next().map_or("", |text| text.as_str());
        Ok(StrLit { value: unescape(raw), span })
    }

    fn template(&self, pair: Pair<'_, Rule>) -> Result<Template> {
        let span = self.span(&pair);
        let Some(text) = children(pair).next() else {
            return Ok(Template { parts: Vec::new(), span });
        };
        let base = text.as_span().start() + self.offset;
        let raw = text.as_str();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = raw.char_indices().peekable();
        while let Some((index, ch)) = chars.next() {
            match ch {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        literal.push(escaped_char(escaped));
                    }
                }
                '{' if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().is_some_and(|(_, next)| *next == '}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let start = index + 1;
                    let mut end = None;
                    for (close, ch) in chars.by_ref() {
                        if ch == '}' {
                            end = Some(close);
                            break;
                        }
                    }
                    let Some(end) = end else {
                        return Err(Box::new(
                            Diagnostic::error(
                                "policy.syntax",
                                "this `{` in the text is never closed",
                                Some(Span::new(self.file, base + index, base + index + 1)),
                            )
                            .with_help("close the interpolation with `}`, or write `{{` for a literal brace"),
                        ));
                    };
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                    }
                    let inner = raw.get(start..end).unwrap_or("");
                    parts.push(TemplatePart::Expr(self.interpolation(inner, base + start)?));
                }
                '\n' => {
                    // A line break in the source, with the indentation around it, is one space.
                    let trimmed = literal.trim_end().len();
                    literal.truncate(trimmed);
                    literal.push(' ');
                    while chars.peek().is_some_and(|(_, next)| next.is_whitespace()) {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(Box::new(
                        Diagnostic::error(
                            "policy.syntax",
                            "unexpected `}` in the text",
                            Some(Span::new(self.file, base + index, base + index + 1)),
                        )
                        .with_help("write `}}` for a literal brace"),
                    ));
                }
                _ => literal.push(ch),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        Ok(Template { parts, span })
    }

    fn interpolation(&self, inner: &str, offset: usize) -> Result<Expr> {
        let pairs = PolicyParser::parse(Rule::interpolation, inner)
            .map_err(|error| Box::new(syntax_error(&error, self.text, self.file, offset)))?;
        let builder = Builder { file: self.file, offset, text: self.text };
        let span = Span::new(self.file, offset, offset + inner.len());
        let mut pairs = pairs;
        let interpolation = builder.next(&mut pairs, span, "interpolation")?;
        let mut inner_pairs = interpolation.into_inner();
        builder.expr(builder.next(&mut inner_pairs, span, "interpolation")?)
    }

    // ------------------------------------------------------------ expressions

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
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
                let span = operand.span.to(self.span(&op));
                let negated = op.as_rule() == Rule::op_is_not_set;
                Ok(Expr { kind: ExprKind::IsSet { operand: Box::new(operand), negated }, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
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
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                let span = lhs.span.to(rhs.span);
                Ok(Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span })
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
                let head = self.ident(self.next(&mut inner, span, "name")?);
                let mut args = None;
                let mut fields = Vec::new();
                for part in inner {
                    if part.as_rule() == Rule::arguments {
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

    fn fields<'i>(&self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<Vec<Ident>> {
        pairs.map(|field| self.field_name(field)).collect()
    }

    fn field_name(&self, pair: Pair<'_, Rule>) -> Result<Ident> {
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

    fn count(&self, pair: Pair<'_, Rule>, span: Span) -> Result<ExprKind> {
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

    fn literal(&self, pair: Pair<'_, Rule>) -> Result<Literal> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let invalid = |what: &str, help: &str| {
            Box::new(
                Diagnostic::error("policy.syntax", format!("`{text}` is not {what}"), Some(span))
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

/// True for keyword tokens, which the builder skips: their position says all there is.
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_record
            | Rule::kw_extend
            | Rule::kw_enum
            | Rule::kw_root
            | Rule::kw_includes
            | Rule::kw_let
            | Rule::kw_policy
            | Rule::kw_rule
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_where
            | Rule::kw_cite
            | Rule::kw_url
            | Rule::kw_if
            | Rule::kw_when
            | Rule::kw_require
            | Rule::kw_unless
            | Rule::kw_message
            | Rule::kw_help
            | Rule::kw_at
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_list
            | Rule::kw_of
            | Rule::kw_ref
            | Rule::count_fn
            | Rule::first_fn
    )
}

/// A pair's children without keyword tokens.
fn children<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner().filter(|child| !is_keyword(child.as_rule()))
}

fn escaped_char(ch: char) -> char {
    match ch {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

/// Resolves escapes and folds each line break (with the indentation around it) into one space,
/// so long texts can be wrapped in the source.
fn unescape(raw: &str) -> String {
    let folded = collapse(raw);
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped_char(escaped));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Folds line breaks in source text, with surrounding indentation, into single spaces.
fn collapse(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_owned();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let line = if index > 0 { line.trim_start() } else { line };
            if index < last { line.trim_end() } else { line }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
