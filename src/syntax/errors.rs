//! Parse errors as diagnostics: pest's byte offsets mapped onto the whole file, every grammar
//! rule given a human name, and targeted help for the usual slips.

use super::lexer::{TokenKind, tokens};
use std::collections::BTreeSet;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diagnostic::wording::either;
use crate::diagnostic::{BuiltinCode, Diagnostic};
use crate::source::{FileId, Span};

/// The human name of a grammar rule, as shown in "expected …".
pub fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::WHITESPACE | Rule::COMMENT => "a comment",
        Rule::file | Rule::item => "a declaration (`record`, `enum`, `root`, `let` or `policy`)",
        Rule::ident_char | Rule::name | Rule::ident | Rule::keyword => "a name",
        Rule::doc | Rule::docs => "a doc comment",
        Rule::record_decl | Rule::extend_record => "a record declaration",
        Rule::field_decl => "a field (`name: type`)",
        Rule::key_marker => "`key`",
        Rule::optional_marker => "`?`",
        Rule::minimum => "a least value (`>= 1`)",
        Rule::default_value => "a default (`= value`)",
        Rule::empty_list => "`[]`",
        Rule::empty_record => "`{}`",
        Rule::type_expr | Rule::list_type | Rule::ref_type | Rule::type_name => "a type",
        Rule::non_empty => "`non empty`",
        Rule::enum_decl | Rule::extend_enum => "an enum declaration",
        Rule::includes => "`includes`",
        Rule::variants | Rule::variant => "an enum value",
        Rule::root_decl => "`root`",
        Rule::let_decl => "a `let` definition",
        Rule::params => "parameters",
        Rule::param => "a parameter (`name: Type`)",
        Rule::policy_decl => "a policy",
        Rule::policy_item => "`cite`, `let` or `rule`",
        Rule::rule_decl | Rule::rule_header => "a rule",
        Rule::severity => "a severity (`error`, `warning` or `note`)",
        Rule::criterion_decl | Rule::kw_criterion => {
            "a criterion (`criterion NAME \"Title\" weight N draws on AREA, …`)"
        }
        Rule::criterion_target => "an area or a rule id",
        Rule::kw_weight => "`weight`",
        Rule::kw_draws | Rule::kw_on => "`draws on`",
        Rule::table_decl | Rule::kw_table => "a table (`table NAME: TYPE by date { DATE => VALUE }`)",
        Rule::kw_by => "`by`",
        Rule::table_key => "`date` or `financial_year`",
        Rule::table_row => "a row (`DATE => VALUE`, or `YEAR => VALUE` by financial year)",
        Rule::status => "a status (`law`, `guidance` or `local_policy`)",
        Rule::not_waivable => "`not waivable`",
        Rule::waivable_for | Rule::waivable_clause => "`waivable for at most` and a period",
        Rule::kw_after => "`after`",
        Rule::kw_verified | Rule::verified_clause => "`verified` and the date the provision was read",
        Rule::kw_event | Rule::event_decl => "an event (`event NAME \"Title\" at DATE`)",
        Rule::deadline => "`deadline`",
        Rule::kw_invariant | Rule::invariant_decl => "an invariant (`invariant \"MESSAGE\" require CONDITION`)",
        Rule::for_clause => "`for`",
        Rule::where_clause => "`where`",
        Rule::rule_clause => "a rule clause (`cite`, `when`, `require`, `unless`, `message`, `help` or `at`)",
        Rule::cite_clause => "`cite`",
        Rule::url_clause => "`url`",
        Rule::cite_condition => "`if`",
        Rule::when_clause => "`when`",
        Rule::require_clause => "`require`",
        Rule::unless_clause => "`unless`",
        Rule::message_clause => "`message`",
        Rule::help_clause => "`help`",
        Rule::at_clause => "`at`",
        Rule::expr | Rule::operand | Rule::interpolation => "an expression",
        Rule::prefix | Rule::op_not | Rule::op_neg => "an expression",
        Rule::postfix | Rule::op_is_set | Rule::op_is_not_set => "`is set`",
        Rule::op_is_blank | Rule::op_is_not_blank => "`is blank`",
        Rule::op_starts_with | Rule::op_ends_with | Rule::op_matches => "`starts with`, `ends with` or `matches`",
        Rule::infix => "an operator",
        Rule::op_or | Rule::op_and => "`and` or `or`",
        Rule::op_eq | Rule::op_ne | Rule::op_le | Rule::op_ge | Rule::op_lt | Rule::op_gt => "a comparison",
        Rule::op_in | Rule::op_not_in | Rule::op_contains => "`in` or `contains`",
        Rule::op_add | Rule::op_sub | Rule::op_mul | Rule::op_div => "an arithmetic operator",
        Rule::group => "`(`",
        Rule::quantifier | Rule::quantity => "`all` or `any`",
        Rule::conditional => "`if`",
        Rule::aggregate | Rule::aggregate_fn | Rule::comprehension | Rule::count | Rule::binding => {
            "an aggregate (`count`, `sum`, `min`, `max`)"
        }
        Rule::arguments => "arguments in parentheses",
        Rule::path => "a name",
        Rule::field => "`.` and a field name",
        Rule::list => "a list (`[a, b]`)",
        Rule::literal => "a value",
        Rule::ws => "a space",
        Rule::count_fn => "`count`",
        Rule::first_fn | Rule::first | Rule::first_access => "`first`",
        Rule::kw_record => "`record`",
        Rule::kw_extend => "`extend`",
        Rule::kw_enum => "`enum`",
        Rule::kw_root => "`root`",
        Rule::kw_includes => "`includes`",
        Rule::kw_let => "`let`",
        Rule::kw_const => "`const`",
        Rule::kw_policy => "`policy`",
        Rule::kw_rule => "`rule`",
        Rule::kw_for => "`for`",
        Rule::kw_in => "`in`",
        Rule::kw_where => "`where`",
        Rule::kw_cite => "`cite`",
        Rule::kw_url => "`url`",
        Rule::kw_if => "`if`",
        Rule::kw_when => "`when`",
        Rule::kw_require => "`require`",
        Rule::kw_unless => "`unless`",
        Rule::kw_message => "`message`",
        Rule::kw_help => "`help`",
        Rule::kw_at => "`at`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::kw_list => "`list`",
        Rule::kw_of => "`of`",
        Rule::kw_ref => "`ref`",
        Rule::boolean => "`true` or `false`",
        Rule::date => "a date",
        Rule::duration | Rule::unit => "a duration",
        Rule::percent => "a percentage",
        Rule::money => "an amount of money",
        Rule::number | Rule::digits => "a number",
        Rule::string | Rule::string_text | Rule::string_run | Rule::escape => "a string",
    }
}

/// Turns a pest error into a `policy.syntax` diagnostic over the whole file. `offset` is where
/// the parsed text starts in the file (non-zero for `{…}` inside messages).
pub fn syntax_error(error: &Error<super::parser::Rule>, text: &str, file: FileId, offset: usize) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    } + offset;
    let found = token_at(text, position);
    let span = Span::new(file, position, position + found.len());
    let expected: BTreeSet<&str> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.iter().map(|rule| rule_name(*rule)).collect(),
        ErrorVariant::CustomError { .. } => BTreeSet::new(),
    };
    let expected: Vec<&str> = expected.into_iter().collect();
    let wanted = if expected.is_empty() { "something else".to_owned() } else { either(&expected) };
    let found_text = if found.is_empty() { "the end of the file".to_owned() } else { format!("`{found}`") };
    let diagnostic =
        Diagnostic::new(BuiltinCode::PolicySyntax, format!("expected {wanted}, found {found_text}"), Some(span))
            .with_label_message(format!("expected {wanted}"));
    diagnostic.with_optional_help(help_for(found, &expected))
}

/// The token at `position`, as the lexer reads it (a long string or comment is cut to its
/// first character, which is what the message names).
fn token_at(text: &str, position: usize) -> &str {
    let rest = text.get(position..).unwrap_or("");
    let Some(token) = tokens(rest).next() else { return "" };
    match token.kind {
        TokenKind::String
        | TokenKind::UnclosedString
        | TokenKind::Comment
        | TokenKind::DocComment
        | TokenKind::Whitespace
        | TokenKind::Newline => rest.get(..1).unwrap_or(""),
        _ => token.text(rest),
    }
}

fn help_for(found: &str, expected: &[&str]) -> Option<String> {
    let expects = |name: &str| expected.contains(&name);
    match found {
        "=" if !expects("a default (`= value`)") => {
            Some("to compare two values write `==`; `=` only appears in `let` definitions and field defaults".into())
        }
        "&&" | "&" => Some("write `and`".into()),
        "||" | "|" => Some("write `or`".into()),
        "!" => Some("write `not`, or `!=` for \"is not equal to\"".into()),
        "'" => Some("write text between double quotes: \"like this\"".into()),
        "}" if expects("an expression") => Some("a clause is missing its condition or value".into()),
        "{" if expects("an expression") => Some(
            "there are no record literals: compare the record's fields one by one (`trust.name == \"…\" and trust.charity`)"
                .into(),
        ),
        _ if expects("a severity (`error`, `warning` or `note`)") => Some(
            "a rule is written `rule NAME SEVERITY \"Title\" { … }`, with SEVERITY one of error, warning, note".into(),
        ),
        _ if found.chars().all(|c| c.is_ascii_digit()) && !found.is_empty() && expects("an operator") => {
            Some("a number followed by a unit is written `50%`, `£1,000`, `3 years`".into())
        }
        _ => None,
    }
}
