//! pest pairs → spanned AST, one function per grammar rule.
//!
//! The grammar guarantees the shape of each pair; where code relies on that, it goes through
//! [`Builder::internal`], which turns a broken assumption into an internal-error diagnostic
//! rather than a panic. Declarations are built here, expressions in [`expr`], strings and
//! messages in [`text`].

mod expr;
mod text;

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use super::errors::syntax_error;
use crate::diagnostic::{BuiltinCode, Diagnostic, RuleStatus, Severity};
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(crate) struct PolicyParser;

type Result<T> = std::result::Result<T, Box<Diagnostic>>;

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
            Diagnostic::new(
                BuiltinCode::PolicySyntax,
                format!("internal error: unexpected shape of {what}"),
                Some(span),
            )
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
            Rule::table_decl => Ok(Item::Table(self.table(pair)?)),
            Rule::criterion_decl => Ok(Item::Criterion(self.criterion(pair)?)),
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
        let mut fields = Vec::new();
        let mut invariants = Vec::new();
        for member in inner {
            if member.as_rule() == Rule::invariant_decl {
                let member_span = self.span(&member);
                let mut parts = children(member);
                let doc = self.docs(self.next(&mut parts, member_span, "invariant docs")?);
                let message = self.string(self.next(&mut parts, member_span, "invariant message")?)?;
                let condition = self.expr(self.next(&mut parts, member_span, "invariant condition")?)?;
                invariants.push(InvariantDecl { doc, message, condition, span: member_span });
            } else {
                fields.push(self.field(member)?);
            }
        }
        Ok(RecordDecl { doc, extend, name, fields, invariants, span })
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
                        Box::new(Diagnostic::new(
                            BuiltinCode::PolicySyntax,
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
        // `let` is dropped with the other keywords; `const` is kept, to say which it is.
        let mut name = self.next(&mut inner, span, "let name")?;
        let constant = name.as_rule() == Rule::kw_const;
        if constant {
            name = self.next(&mut inner, span, "const name")?;
        }
        let name = self.ident(name);
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
        Ok(LetDecl { doc, constant, name, params, body, span })
    }

    fn policy(&self, pair: Pair<'_, Rule>) -> Result<PolicyDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "policy docs")?);
        let name = self.ident(self.next(&mut inner, span, "policy name")?);
        let title = self.string(self.next(&mut inner, span, "policy title")?)?;
        let mut policy = PolicyDecl {
            doc,
            name,
            title,
            cites: Vec::new(),
            lets: Vec::new(),
            tables: Vec::new(),
            rules: Vec::new(),
            events: Vec::new(),
            span,
        };
        for item in inner {
            match item.as_rule() {
                Rule::cite_clause => policy.cites.push(self.cite(item)?),
                Rule::let_decl => policy.lets.push(self.let_decl(item)?),
                Rule::table_decl => policy.tables.push(self.table(item)?),
                Rule::rule_decl => policy.rules.push(self.rule(item)?),
                Rule::event_decl => policy.events.push(self.event(item)?),
                _ => return Err(self.internal(span, "a policy")),
            }
        }
        Ok(policy)
    }

    fn criterion(&self, pair: Pair<'_, Rule>) -> Result<CriterionDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "criterion docs")?);
        let name = self.ident(self.next(&mut inner, span, "criterion name")?);
        let title = self.string(self.next(&mut inner, span, "criterion title")?)?;
        let weight_pair = self.next(&mut inner, span, "criterion weight")?;
        let weight = weight_pair.as_str().parse::<u32>().map_err(|_| {
            Box::new(
                Diagnostic::new(BuiltinCode::PolicySyntax, "this weight is too large", Some(self.span(&weight_pair)))
                    .with_help("write a small whole number, such as 3"),
            )
        })?;
        let targets = inner
            .map(|target| {
                let target_span = self.span(&target);
                let text: String = target.as_str().chars().filter(|c| !c.is_whitespace()).collect();
                Ident { name: text, span: target_span }
            })
            .collect();
        Ok(CriterionDecl { doc, name, title, weight, targets, span })
    }

    fn table(&self, pair: Pair<'_, Rule>) -> Result<TableDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "table docs")?);
        let name = self.ident(self.next(&mut inner, span, "table name")?);
        let ty_pair = self.next(&mut inner, span, "table type")?;
        let ty_span = self.span(&ty_pair);
        let ty = self.ident(self.next(&mut children(ty_pair), ty_span, "table type")?);
        let by_financial_year = self.next(&mut inner, span, "table key")?.as_str() == "financial_year";
        let mut rows = Vec::new();
        for row in inner {
            let row_span = self.span(&row);
            let mut parts = children(row);
            let key = self.next(&mut parts, row_span, "table row")?;
            let from = match key.as_rule() {
                Rule::date => match self.literal(key)? {
                    Literal::Date(date) => TableKey::Date(date),
                    _ => return Err(self.internal(row_span, "a table row")),
                },
                _ => TableKey::FinancialYear(key.as_str().parse::<i64>().map_err(|_| {
                    Box::new(
                        Diagnostic::new(BuiltinCode::PolicySyntax, "this year is too large", Some(row_span))
                            .with_help("write a year such as 2025"),
                    )
                })?),
            };
            let value = self.literal(self.next(&mut parts, row_span, "table value")?)?;
            rows.push(TableRow { from, value, span: row_span });
        }
        Ok(TableDecl { doc, name, ty, by_financial_year, rows, span })
    }

    fn cite(&self, pair: Pair<'_, Rule>) -> Result<Cite> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let text = self.string(self.next(&mut inner, span, "citation")?)?;
        let mut cite = Cite { text, url: None, verified: None, condition: None, span };
        for part in inner {
            let part_span = self.span(&part);
            let mut parts = children(part.clone());
            let value = self.next(&mut parts, part_span, "citation")?;
            match part.as_rule() {
                Rule::url_clause => cite.url = Some(self.string(value)?),
                Rule::verified_clause => match self.literal(value)? {
                    Literal::Date(date) => cite.verified = Some(date),
                    _ => return Err(self.internal(part_span, "a verification date")),
                },
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
        let mut next = self.next(&mut parts, header_span, "rule title")?;
        let mut status = None;
        if next.as_rule() == Rule::status {
            let value = match next.as_str() {
                "law" => RuleStatus::Law,
                "guidance" => RuleStatus::Guidance,
                _ => RuleStatus::LocalPolicy,
            };
            status = Some((value, self.span(&next)));
            next = self.next(&mut parts, header_span, "rule title")?;
        }
        let title = self.string(next)?;
        let for_each = match parts.next() {
            Some(for_clause) => Some(self.for_each(for_clause)?),
            None => None,
        };
        let mut rule = RuleDecl {
            doc,
            name,
            severity,
            status,
            waivable: None,
            waivable_from: None,
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
            if rule_kind == Rule::not_waivable {
                rule.waivable = Some((Waivability::NotWaivable, clause_span));
                continue;
            }
            if rule_kind == Rule::waivable_clause {
                let mut parts = children(clause);
                let period = self.next(&mut parts, clause_span, "waiver period")?;
                let period = self.next(&mut children(period), clause_span, "waiver period")?;
                match self.literal(period)? {
                    Literal::Duration(duration) => rule.waivable = Some((Waivability::AtMost(duration), clause_span)),
                    _ => return Err(self.internal(clause_span, "a waiver period")),
                }
                if let Some(anchor) = parts.next() {
                    rule.waivable_from = Some(self.expr(anchor)?);
                }
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

    fn event(&self, pair: Pair<'_, Rule>) -> Result<EventDecl> {
        let span = self.span(&pair);
        let mut inner = children(pair);
        let doc = self.docs(self.next(&mut inner, span, "event docs")?);
        let name = self.ident(self.next(&mut inner, span, "event name")?);
        let mut next = self.next(&mut inner, span, "event title")?;
        let deadline = next.as_rule() == Rule::deadline;
        if deadline {
            next = self.next(&mut inner, span, "event title")?;
        }
        let title = self.string(next)?;
        let mut next = self.next(&mut inner, span, "event date")?;
        let mut for_each = None;
        if next.as_rule() == Rule::for_clause {
            for_each = Some(self.for_each(next)?);
            next = self.next(&mut inner, span, "event date")?;
        }
        let date = self.expr(next)?;
        Ok(EventDecl { doc, name, deadline, title, for_each, date, span })
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
}

/// True for keyword tokens, which the builder skips: their position says all there is.
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_record
            | Rule::kw_table
            | Rule::kw_by
            | Rule::kw_criterion
            | Rule::kw_weight
            | Rule::kw_draws
            | Rule::kw_on
            | Rule::kw_extend
            | Rule::kw_enum
            | Rule::kw_root
            | Rule::kw_includes
            | Rule::kw_let
            | Rule::kw_invariant
            | Rule::kw_verified
            | Rule::kw_event
            | Rule::kw_after
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
