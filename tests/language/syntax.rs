//! Parse errors: their message, help and the exact text they underline.

use super::support::{alone, only_error, underlined};

#[test]
fn equals_for_comparison_suggests_double_equals() {
    let set = alone("let x = 1\nlet y = x = 2\n");
    let error = only_error(&set);
    assert_eq!(error.code, "policy.syntax");
    assert_eq!(underlined(&set, error), "=");
    assert!(error.help.as_deref().unwrap().contains("`==`"), "{error:?}");
}

#[test]
fn unclosed_string_points_at_its_opening_quote() {
    let set = alone("policy p \"Title {\n  rule r error \"T\" { require true }\n}\n");
    let errors: Vec<_> = set.diagnostics().iter().collect();
    let last = errors.last().unwrap();
    assert_eq!(last.code, "policy.syntax");
    assert_eq!(last.message, "this string is never closed");
    assert_eq!(underlined(&set, last), "\"");
}

#[test]
fn missing_closing_brace_points_at_the_opening_one() {
    let set = alone("policy p \"P\" {\n  rule r error \"T\" {\n    require true\n  }\n");
    let error = only_error(&set);
    assert_eq!(error.message, "this `{` is never closed");
    assert_eq!(error.help.as_deref(), Some("add `}` where it should end"));
    let start = error.span().unwrap().start;
    assert_eq!(start, 13, "the policy's brace, not the rule's");
}

#[test]
fn expected_list_uses_human_names_never_rule_names() {
    let set = alone("policy p \"P\" {\n  rule r fatal \"T\" { require true }\n}\n");
    let error = only_error(&set);
    assert_eq!(error.message, "expected a severity (`error`, `warning` or `note`), found `fatal`");
    assert_eq!(underlined(&set, error), "fatal");
    assert!(!error.message.contains('_'), "no raw rule names: {}", error.message);
}

#[test]
fn missing_operand_is_reported_at_the_next_token() {
    let set = alone("let x = 1 +\nlet y = 2\n");
    let error = only_error(&set);
    assert!(error.message.starts_with("expected "), "{}", error.message);
    assert!(error.message.ends_with("found `let`"), "{}", error.message);
    assert_eq!(underlined(&set, error), "let");
}

#[test]
fn keywords_need_a_word_boundary() {
    // `recordX` is not the keyword `record` followed by a name.
    let set = alone("recordX Foo {}\n");
    assert_eq!(only_error(&set).code, "policy.syntax");
}

#[test]
fn invalid_calendar_date_is_a_syntax_error() {
    let set = alone("let d = 2025-02-30\nlet e = d\n");
    let error = only_error(&set);
    assert_eq!(error.message, "`2025-02-30` is not a calendar date");
    assert_eq!(underlined(&set, error), "2025-02-30");
}

#[test]
fn interpolation_errors_point_inside_the_message() {
    let set =
        alone("policy p \"P\" {\n  rule r error \"T\" {\n    require true\n    message \"votes: {1 +}\"\n  }\n}\n");
    let error = only_error(&set);
    assert_eq!(error.code, "policy.syntax");
    assert_eq!(underlined(&set, error), "}", "points at the end of the interpolation: {error:?}");
}

#[test]
fn unbalanced_closer_is_reported() {
    let set = alone("let x = (1 + 2))\n");
    let error = only_error(&set);
    assert_eq!(error.message, "unexpected `)`: nothing is open here");
}

#[test]
fn deep_nesting_is_a_limit_not_a_crash() {
    let text = format!("let x = {}1{}\n", "(".repeat(200_000), ")".repeat(200_000));
    let set = alone(&text);
    assert_eq!(only_error(&set).code, "limit.depth");
    let nots = format!("let x = {}true\n", "not ".repeat(100_000));
    assert_eq!(only_error(&alone(&nots)).code, "limit.depth");
    let quantifiers = format!("let x = {}true\n", "all a in [1]: ".repeat(10_000));
    assert_eq!(only_error(&alone(&quantifiers)).code, "limit.depth");
}

#[test]
fn moderate_nesting_is_fine() {
    let text = format!(
        "let x = {}1{} > 0\nrecord R {{ a: int }}\nroot R\npolicy p \"P\" {{ rule r error \"T\" {{ require x }} }}\n",
        "(".repeat(40),
        ")".repeat(40)
    );
    let set = alone(&text);
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
}

#[test]
fn junk_is_refused_with_a_placed_diagnostic() {
    for text in ["\0\0\0", "}}}}", "\"", "policy", "rule r error", "let = =", "£££", "record { : }"] {
        let set = alone(text);
        assert!(!set.is_valid(), "{text:?} is not a policy");
        for diagnostic in set.diagnostics() {
            assert!(diagnostic.span().is_some(), "{text:?}: {diagnostic:?}");
        }
    }
    for blank in ["", "\u{feff}", "// only a comment\n"] {
        assert!(alone(blank).is_valid(), "{blank:?} is an empty policy file");
    }
}

#[test]
fn a_brace_where_a_value_belongs_says_there_are_no_record_literals() {
    let set =
        super::support::with_std("policy p \"P\" {\n  rule r note \"R\" { require trust == { name = \"x\" } }\n}\n");
    let error = super::support::only_error(&set);
    assert_eq!(error.code, "policy.syntax");
    assert!(error.help.as_deref().is_some_and(|help| help.starts_with("there are no record literals")), "{error:#?}");
}

#[test]
fn a_one_line_doc_comment_after_an_expression_is_not_a_division() {
    // `/// …` after `let x = 4` once read as `4 / …` followed by a comment, swallowing the
    // next declaration's first word when it was not a keyword.
    let set = super::support::with_std(
        "let x = 4\n/// A table.\ntable t: money by date {\n  2020-01-01 => £1\n}\npolicy p \"P\" {\n  rule r note \"R\" { require x > 0 and t(as_of) > £0 }\n}\n",
    );
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
}
