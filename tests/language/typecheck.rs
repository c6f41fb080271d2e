//! Static checking of policy sets: names, types and units, duplicates, cycles, unused `let`s.

use super::support::{only_error, underlined, with_std};

fn rule(body: &str) -> String {
    format!("policy local \"Local rules\" {{\n  rule r error \"Test rule\" {{\n    {body}\n  }}\n}}\n")
}

#[test]
fn percent_compared_with_int_suggests_percent_literal() {
    let set = with_std(&rule("require all m in members: m.voting_rights > 50"));
    let error = only_error(&set);
    assert_eq!(error.code, "policy.type");
    assert_eq!(error.message, "cannot compare a percentage with a whole number (int)");
    assert_eq!(error.help.as_deref(), Some("write the percentage as `50%`"));
    assert_eq!(underlined(&set, error), "m.voting_rights > 50");
}

#[test]
fn money_compared_with_int_suggests_pounds() {
    let set = with_std(&rule("require all c in contracts: c.annual_value < 1000"));
    assert_eq!(only_error(&set).help.as_deref(), Some("write the amount as `£1000`"));
}

#[test]
fn unknown_field_suggests_the_closest() {
    let set = with_std(&rule("require control.step_in_on_poor_perfomance"));
    let error = only_error(&set);
    assert_eq!(error.code, "policy.unknown_name");
    assert_eq!(error.message, "`Control` has no field `step_in_on_poor_perfomance`");
    assert_eq!(error.help.as_deref(), Some("did you mean `step_in_on_poor_performance`?"));
    assert_eq!(underlined(&set, error), "step_in_on_poor_perfomance");
}

#[test]
fn unknown_enum_value_suggests_the_closest() {
    let set = with_std(&rule("require all m in members: m.kind == local_authorty"));
    let error = only_error(&set);
    assert_eq!(error.code, "policy.unknown_name");
    assert_eq!(error.message, "`local_authorty` is not a value of `MemberKind` nor a known name");
    assert_eq!(error.help.as_deref(), Some("did you mean `local_authority`?"));
    assert_eq!(underlined(&set, error), "local_authorty");
}

#[test]
fn bare_enum_value_resolves_by_the_other_side() {
    let set = with_std(&rule("require all m in members: local_authority == m.kind"));
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    let set =
        with_std(&rule("require asset_lock.dividends == none and all c in contracts: c.pension_protection != none"));
    assert!(set.is_valid(), "`none` means a different enum on each side: {:#?}", set.diagnostics());
}

#[test]
fn qualified_enum_value_is_always_allowed() {
    let set = with_std(&rule("require count(m in members where m.kind == MemberKind.charity) == 0"));
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    let set = with_std(&rule("require count(m in members where m.kind == MemberKind.charty) == 0"));
    assert_eq!(only_error(&set).help.as_deref(), Some("did you mean `charity`?"));
}

#[test]
fn included_enum_values_compare_with_the_including_enum() {
    let set = with_std(&rule("require not (scope.delegated contains adoption)"));
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
}

#[test]
fn bare_durations_of_unknown_unit_need_an_anchor() {
    let set = with_std(&rule("require all c in contracts: c.initial_term <= 3 years"));
    let error = only_error(&set);
    assert_eq!(error.message, "two durations can only be compared when both are in months and years, or both in days");
    assert!(error.help.as_deref().unwrap().contains("anchor them on a date"));
    let anchored = with_std(&rule("require all c in contracts: c.start + c.initial_term <= c.start + 3 years"));
    assert!(anchored.is_valid(), "{:#?}", anchored.diagnostics());
    let literals = with_std(&rule("require 36 months == 3 years"));
    assert!(literals.is_valid(), "{:#?}", literals.diagnostics());
}

#[test]
fn duplicate_rule_ids_are_reported_at_the_second() {
    let text =
        "policy local \"L\" {\n  rule r error \"A\" { require true }\n  rule r error \"B\" { require true }\n}\n";
    let set = with_std(text);
    let error = only_error(&set);
    assert_eq!(error.code, "policy.duplicate_rule");
    assert_eq!(error.message, "the rule id `local.r` is used twice");
    assert_eq!(error.span().unwrap().start as usize, text.rfind("r error").unwrap());
}

#[test]
fn let_cycles_are_errors() {
    let set = with_std(&format!("let a = b\nlet b = a\n{}", rule("require a")));
    let cycle = set.diagnostics().iter().find(|d| d.code == "policy.let_cycle").expect("a cycle error");
    assert!(cycle.message.contains("`a`") && cycle.message.contains("`b`"), "{}", cycle.message);
}

#[test]
fn unused_let_is_a_lint_only() {
    let set = with_std(&format!("let unused_fact = 1\n{}", rule("require true")));
    assert!(set.is_valid());
    let warning = set.lints().iter().find(|d| d.code == "policy.unused_let").expect("a warning");
    assert_eq!(warning.message, "`unused_fact` is defined but never used");
    assert_eq!(underlined(&set, warning), "unused_fact");
}

#[test]
fn parameterised_lets_check_their_arguments() {
    let set = with_std(&rule("require in_house(members)"));
    let error = only_error(&set);
    assert_eq!(error.code, "policy.type");
    assert_eq!(underlined(&set, error), "members");
}

#[test]
fn reading_a_field_of_a_list_explains_quantifiers() {
    let set = with_std(&rule("require members.kind == local_authority"));
    let error = only_error(&set);
    assert_eq!(error.message, "`kind` is read from a list, not from one record");
}

#[test]
fn ref_fields_navigate_to_the_record() {
    let set = with_std(&rule("require all s in board.seats where s.member is set: s.member.kind == local_authority"));
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
}

#[test]
fn redefining_a_record_is_an_error_but_extending_is_allowed() {
    let set = with_std("record Contract { name: text }\n");
    assert_eq!(only_error(&set).code, "policy.duplicate_definition");
    let set = with_std("extend record Contract { council_ref: text? }\nextend enum Service { libraries }\n");
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    assert!(set.schema().enum_decl("Function").unwrap().has("libraries"), "included enums see extensions");
    let set = with_std("extend record Contract { council_ref: text }\n");
    assert_eq!(only_error(&set).code, "policy.type");
}

#[test]
fn all_errors_are_reported_in_order() {
    let set = with_std(&rule("require control.nope and trust.nah and members.x"));
    let codes: Vec<u32> = set.diagnostics().iter().map(|d| d.span().unwrap().start).collect();
    assert_eq!(set.diagnostics().len(), 3, "{:#?}", set.diagnostics());
    assert!(codes.windows(2).all(|pair| pair[0] <= pair[1]));
}

#[test]
fn defaults_must_fit_their_field() {
    let set = with_std("extend record Staff { sites: int >= 2 = 1 }\n");
    assert_eq!(only_error(&set).message, "the default 1 is below the field's least value, 2");
    let set = with_std("record Office { address: text }\nextend record Staff { office: Office = {} }\n");
    assert_eq!(only_error(&set).message, "`office` defaults to `{}`, but a `Office` has required fields: address");
}

#[test]
fn defaults_may_not_make_an_endless_table() {
    let set = with_std("record Part { inner: Part = {} }\nextend record Staff { part: Part? }\n");
    assert_eq!(
        only_error(&set).message,
        "`inner` defaults to `{}`, which would make a `Part` inside itself without end"
    );
    let set = with_std("record A { b: B = {} }\nrecord B { a: A = {} }\nextend record Staff { a: A? }\n");
    assert_eq!(set.diagnostics().iter().filter(|d| d.code == "policy.type").count(), 2, "{:#?}", set.diagnostics());
}

#[test]
fn dated_tables_are_checked() {
    let set = |text: &str| {
        let (name, schema) = trustcheck::embedded::STANDARD_LIBRARY[0];
        trustcheck::PolicySet::from_sources(vec![
            trustcheck::policy::PolicySource::File(trustcheck::Input::from_text(name, schema)),
            trustcheck::policy::PolicySource::File(trustcheck::Input::from_text("t.policy", text)),
        ])
    };
    let messages = |text: &str| -> Vec<String> { set(text).diagnostics().iter().map(|d| d.message.clone()).collect() };
    assert_eq!(
        messages("table t: money by date {\n  2020-01-01 => £1\n  2019-01-01 => £2\n}\n"),
        ["rows of a table must be in order, each later than the one before"]
    );
    assert_eq!(
        messages("table t: money by date {\n  2020-01-01 => 5%\n}\n"),
        ["each value of this table must be an amount of money, but this is a percentage"]
    );
    assert_eq!(
        messages("table t: money by financial_year {\n  2020-01-01 => £1\n}\n"),
        ["this table is by financial year: write the year it starts, such as 2025"]
    );
    assert_eq!(
        messages(
            "table t: money by date {\n  2020-01-01 => £1\n}\npolicy p \"P\" {\n  rule r note \"R\" { require t(1) > £0 }\n}\n"
        ),
        ["the date a table is read at must be a date, but this is a whole number (int)"]
    );
}

#[test]
fn lints_are_warnings_that_deny_warnings_makes_fatal() {
    let (name, schema) = trustcheck::embedded::STANDARD_LIBRARY[0];
    let text = "policy p \"P\" {\n  rule bare error law \"Bare\" {\n    cite \"Some Act\"\n    require true\n    at contracts\n  }\n}\n";
    let set = trustcheck::PolicySet::from_sources(vec![
        trustcheck::policy::PolicySource::File(trustcheck::Input::from_text(name, schema)),
        trustcheck::policy::PolicySource::File(trustcheck::Input::from_text("p.policy", text)),
    ]);
    assert!(set.is_valid(), "lints do not make the set invalid");
    assert!(set.diagnostics().is_empty(), "lints are not problems of the set");
    let mut codes: Vec<&str> = set.lints().iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["policy.at_list", "policy.constant_condition", "policy.law_citation", "policy.no_help"]);
    let report = set.validation_report(&trustcheck::CheckOptions::as_of("2026-04-01".parse().unwrap()));
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(report.exit_code(true), 1);
}

#[test]
fn a_let_hiding_a_name_of_the_constitution_is_a_lint_with_its_own_code() {
    let set = with_std(&format!("let as_of = 1\n{}", rule("require as_of == 1")));
    let lint = set.lints().iter().find(|d| d.code == "policy.shadowed_name").expect("a shadowing lint");
    assert_eq!(lint.message, "`as_of` hides a name of the constitution");
    assert_eq!(underlined(&set, lint), "as_of");
}

/// The messages of the contradiction lints of a rule with `clauses`, in source order.
fn contradictions(clauses: &str) -> Vec<String> {
    let text = format!(
        "policy p \"P\" {{\n  rule r note local_policy \"R\" for m in members {{\n    cite \"Local rules, para. 1\"\n    {clauses}\n    help \"h\"\n  }}\n}}\n"
    );
    let set = with_std(&text);
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    set.lints().iter().filter(|d| d.code == "policy.constant_condition").map(|d| d.message.clone()).collect()
}

#[test]
fn conditions_whose_parts_contradict_each_other_are_linted() {
    assert_eq!(
        contradictions(
            "when m.kind == local_authority and m.voting_rights > 0% and m.kind == charity\n    require true"
        ),
        [
            "this `when` can never hold, so the rule never applies: the same value cannot be both local_authority and charity",
            "this condition is always true, so it decides nothing",
        ]
    );
    assert_eq!(
        contradictions("require m.capital < 10% and m.capital >= 20%"),
        [
            "this `require` can never hold, so the rule fails wherever it applies: no value is both at least 20% and less than 10%"
        ]
    );
    assert_eq!(
        contradictions("require m.capital == 5% and not (m.capital != 5%) and m.capital > 5%"),
        [
            "this `require` can never hold, so the rule fails wherever it applies: a value that is 5% is not more than 5%"
        ]
    );
    // Parts about different values, ranges that meet, and either-or conditions are fine.
    assert!(contradictions("require m.capital >= 5% and m.capital <= 5% and m.voting_rights < 5%").is_empty());
    assert!(contradictions("require m.kind == local_authority or m.kind == charity").is_empty());
}
