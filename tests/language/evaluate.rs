//! Evaluation: the five outcomes, three-valued logic, blame, per-element rules, waivers and
//! calendar arithmetic, on small policies over the standard schema.

use trustcheck::embedded::STANDARD_LIBRARY;
use trustcheck::policy::PolicySource;
use trustcheck::report::{Diagnostic, Outcome, Report, Severity};
use trustcheck::{Input, PolicySet};

use super::support::{MINIMAL, check};

/// The standard schema plus the given rules (and none of the standard rules).
fn rules(text: &str) -> PolicySet {
    let (name, schema) = STANDARD_LIBRARY[0];
    let set = PolicySet::from_sources(vec![
        PolicySource::File(Input::from_text(name, schema)),
        PolicySource::File(Input::from_text("local.policy", text)),
    ]);
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    set
}

fn one_rule(body: &str) -> PolicySet {
    rules(&format!("policy t \"Tests\" {{\n  rule r error \"Test rule\" {{\n    {body}\n  }}\n}}\n"))
}

fn findings(report: &Report) -> &[Diagnostic] {
    assert_eq!(report.files.len(), 1);
    &report.files[0].diagnostics
}

fn outcome_of(set: &PolicySet, toml: &str) -> (Report, Option<Outcome>) {
    let report = check(set, toml);
    let summary = report.files[0].summary;
    let outcome = if summary.passed == 1 {
        Some(Outcome::Pass)
    } else if summary.failed == 1 {
        Some(Outcome::Fail)
    } else if summary.not_applicable == 1 {
        Some(Outcome::NotApplicable)
    } else if summary.undetermined == 1 {
        Some(Outcome::Undetermined)
    } else if summary.waived == 1 {
        Some(Outcome::Waived)
    } else {
        None
    };
    (report, outcome)
}

fn slice<'r>(report: &'r Report, diagnostic: &Diagnostic) -> &'r str {
    report.sources.slice(diagnostic.span().unwrap())
}

#[test]
fn the_five_outcomes() {
    let set = one_rule(
        "when trust.charity\n unless control.secretary_of_state_direction\n require control.information_rights",
    );
    let charity = MINIMAL.replace("operational_from", "charity = true\noperational_from");
    assert_eq!(outcome_of(&set, MINIMAL).1, Some(Outcome::NotApplicable));
    assert_eq!(outcome_of(&set, &charity).1, Some(Outcome::Fail));
    let informed = format!("{charity}\n[control]\ninformation_rights = true\n");
    assert_eq!(outcome_of(&set, &informed).1, Some(Outcome::Pass));
    let directed = format!("{charity}\n[control]\nsecretary_of_state_direction = true\n");
    assert_eq!(outcome_of(&set, &directed).1, Some(Outcome::NotApplicable));
    let waived = format!(
        "{charity}\n[[waivers]]\nrule = \"t.r\"\nreason = \"agreed\"\napproved_by = \"Cabinet\"\napproved_on = 2026-01-01\n"
    );
    let (report, outcome) = outcome_of(&set, &waived);
    assert_eq!(outcome, Some(Outcome::Waived));
    let diagnostic = &findings(&report)[0];
    assert_eq!(diagnostic.severity, Severity::Note);
    assert_eq!(diagnostic.waiver.as_ref().unwrap().approved_by, "Cabinet");
    assert_eq!(report.exit_code(false), 0);
    let unknown = one_rule("require activities.for_controlling_authorities > 80%");
    let (report, outcome) = outcome_of(&unknown, MINIMAL);
    assert_eq!(outcome, Some(Outcome::Undetermined));
    let diagnostic = &findings(&report)[0];
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert_eq!(diagnostic.message, "cannot decide t.r: the constitution does not state `for_controlling_authorities`");
    assert_eq!(diagnostic.span().unwrap().start, 0, "an absent table points at line 1, column 1");
}

#[test]
fn kleene_logic() {
    let unknown = "activities.for_controlling_authorities > 80%";
    let falsy = one_rule(&format!("require not (trust.charity and {unknown})"));
    assert_eq!(outcome_of(&falsy, MINIMAL).1, Some(Outcome::Pass), "false and unknown is false");
    let truthy = one_rule(&format!("require not trust.charity or {unknown}"));
    assert_eq!(outcome_of(&truthy, MINIMAL).1, Some(Outcome::Pass), "true or unknown is true");
    let still = one_rule(&format!("require trust.charity or {unknown}"));
    assert_eq!(outcome_of(&still, MINIMAL).1, Some(Outcome::Undetermined));
    let is_set = one_rule("require not (activities.for_controlling_authorities is set)");
    assert_eq!(outcome_of(&is_set, MINIMAL).1, Some(Outcome::Pass), "`is set` is never unknown");
    let empty_min = one_rule("require min(m.voting_rights for m in members where m.kind == charity) > 0%");
    assert_eq!(outcome_of(&empty_min, MINIMAL).1, Some(Outcome::Undetermined), "min of nothing is unknown");
}

const TWO_COUNCILS: &str = r#"
[trust]
name = "Joint Trust"
legal_form = "company_limited_by_guarantee"
operational_from = 2020-04-01

[[members]]
name = "North Council"
kind = "local_authority"
voting_rights = "30%"

[[members]]
name = "Staff Trust"
kind = "employee_trust"
voting_rights = "60%"

[[members]]
name = "South Council"
kind = "local_authority"
voting_rights = "10%"

[board]
chair_appointed_by = "board"
"#;

#[test]
fn a_failed_sum_blames_every_addend_first_in_document_order() {
    let set = one_rule(
        "require sum(m.voting_rights for m in members where m.kind == local_authority) > 50%\n message \"councils hold {sum(m.voting_rights for m in members where m.kind == local_authority)}\"",
    );
    let report = check(&set, TWO_COUNCILS);
    let diagnostic = &findings(&report)[0];
    assert_eq!(diagnostic.message, "councils hold 40%");
    assert_eq!(slice(&report, diagnostic), "\"30%\"");
    assert_eq!(diagnostic.primary.as_ref().unwrap().message.as_deref(), Some("`voting_rights` is 30%"));
    let secondary: Vec<&str> = diagnostic.labels.iter().map(|label| report.sources.slice(label.span)).collect();
    assert_eq!(secondary, ["\"10%\""]);
    assert_eq!(report.exit_code(false), 1);
}

#[test]
fn a_failed_all_labels_each_failing_element() {
    let set = one_rule("require all m in members: m.kind == local_authority");
    let report = check(&set, TWO_COUNCILS);
    let diagnostic = &findings(&report)[0];
    assert_eq!(slice(&report, diagnostic), "\"employee_trust\"");
    assert!(diagnostic.labels.is_empty(), "only the failing member is blamed: {diagnostic:#?}");
}

#[test]
fn at_moves_the_primary_label() {
    let set = one_rule("require control.step_in_on_poor_performance\n at control.step_in_on_poor_performance");
    let toml = format!("{MINIMAL}\n[control]\ninformation_rights = true\n");
    let report = check(&set, &toml);
    let diagnostic = &findings(&report)[0];
    assert_eq!(slice(&report, diagnostic), "[control]", "a defaulted field points at its table");
    assert_eq!(
        diagnostic.primary.as_ref().unwrap().message.as_deref(),
        Some("`step_in_on_poor_performance` is not stated, so it is false")
    );
}

const TWO_CONTRACTS: &str = r#"
[[contracts]]
name = "First"
authority = "Test Council"
services = ["leisure"]
award_route = "reserved_mutual"
awarded_on = 2020-01-01
start = 2024-02-29
initial_term = "5 years"

[[contracts]]
name = "Second"
authority = "Test Council"
services = ["leisure"]
award_route = "reserved_mutual"
awarded_on = 2020-01-01
start = 2025-01-31
initial_term = "4 years"
extension = "1 month"
"#;

#[test]
fn per_element_rules_give_one_diagnostic_per_element() {
    let set = rules(
        "policy t \"T\" {\n rule term error \"Term\" for c in contracts where c.award_route == reserved_mutual {\n  require c.start + c.initial_term + c.extension <= c.start + 3 years\n  message \"{c.name} ends on {c.start + c.initial_term + c.extension}\"\n }\n}\n",
    );
    let report = check(&set, &format!("{MINIMAL}{TWO_CONTRACTS}"));
    let messages: Vec<&str> = findings(&report).iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["First ends on 2029-02-28", "Second ends on 2029-02-28"], "calendar clamps to month end");
    assert_eq!(report.files[0].summary.failed, 2);
    let none = check(&set, MINIMAL);
    assert_eq!(none.files[0].summary.not_applicable, 1, "no matching element: one not-applicable outcome");
}

#[test]
fn durations_are_summed_before_they_are_applied() {
    let set = one_rule("require true\n message \"{2025-01-31 + 1 month + 1 month} {2024-02-29 + 5 years + 6 months}\"");
    let set_fail =
        one_rule("require false\n message \"{2025-01-31 + 1 month + 1 month} {2024-02-29 + 5 years + 6 months}\"");
    assert_eq!(outcome_of(&set, MINIMAL).1, Some(Outcome::Pass));
    let report = check(&set_fail, MINIMAL);
    assert_eq!(findings(&report)[0].message, "2025-03-31 2029-08-29");
}

#[test]
fn values_display_as_an_officer_writes_them() {
    let set = one_rule(
        "require false\n message \"{£663,540} {£1200000} {£900k} {80.5%} {3 years} {18 months} {years(18 months)} {MemberKind.charity}\"",
    );
    let report = check(&set, MINIMAL);
    assert_eq!(findings(&report)[0].message, "£663,540 £1.2m £900,000 80.5% 3 years 1 year 6 months 1.5 charity");
}

#[test]
fn waivers_expire_and_name_real_rules_and_elements() {
    let set = rules(
        "policy t \"T\" {\n rule term error \"Term\" for c in contracts {\n  require c.start + c.initial_term <= c.start + 3 years\n }\n}\n",
    );
    let waiver = |rule: &str, element: &str, expires: &str| {
        format!(
            "\n[[waivers]]\nrule = \"{rule}\"\n{element}reason = \"r\"\napproved_by = \"Cabinet\"\napproved_on = 2025-01-01\n{expires}"
        )
    };
    let base = format!("{MINIMAL}{TWO_CONTRACTS}");
    let first_only = check(&set, &format!("{base}{}", waiver("t.term", "element = \"First\"\n", "")));
    let summary = first_only.files[0].summary;
    assert_eq!((summary.waived, summary.failed), (1, 1));
    let expired = check(&set, &format!("{base}{}", waiver("t.term", "", "expires = 2026-01-01\n")));
    let codes: Vec<&str> = findings(&expired).iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["t.term", "t.term", "waiver.expired"]);
    let unknown = check(&set, &format!("{base}{}", waiver("t.trem", "", "")));
    let diagnostic = findings(&unknown).iter().find(|d| d.code == "waiver.unknown_rule").unwrap();
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `t.term`?"));
    assert_eq!(unknown.exit_code(false), 1);
    let unused = check(&set, &format!("{base}{}", waiver("t.term", "element = \"Third\"\n", "")));
    let diagnostic = findings(&unused).iter().find(|d| d.code == "waiver.unused_element").unwrap();
    assert_eq!(slice(&unused, diagnostic), "\"Third\"");
    assert_eq!(unused.files[0].summary.failed, 2, "an unused element waives nothing");
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let set = rules("policy t \"T\" {\n rule w warning \"W\" { require false }\n}\n");
    let report = check(&set, MINIMAL);
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(report.exit_code(true), 1);
}

#[test]
fn first_picks_the_first_matching_element_in_document_order() {
    let set = one_rule(
        "require false\n message \"{first(c in contracts where c.start > 2025-01-01).name} / {first(m in members where m.kind == charity).name}\"",
    );
    let report = check(&set, &format!("{MINIMAL}{TWO_CONTRACTS}"));
    assert_eq!(findings(&report)[0].message, "Second / (not stated)");
}

#[test]
fn a_least_value_bounds_whole_numbers_when_loading() {
    let set =
        rules("extend record Staff { teams: int? >= 1 }\npolicy t \"T\" { rule r error \"R\" { require true } }\n");
    let report = check(&set, &format!("{MINIMAL}\n[staff]\nteams = 0\n"));
    let diagnostic = &findings(&report)[0];
    assert_eq!(diagnostic.code, "schema.range");
    assert_eq!(diagnostic.message, "`teams` must be at least 1, not 0");
    assert_eq!(report.exit_code(false), 2);
}

#[test]
fn a_stated_free_table_is_set() {
    let set = one_rule("require notes is set");
    assert_eq!(outcome_of(&set, &format!("{MINIMAL}\n[notes]\nremark = \"x\"\n")).1, Some(Outcome::Pass));
    assert_eq!(outcome_of(&set, MINIMAL).1, Some(Outcome::Fail));
}

#[test]
fn quantifying_over_an_absent_list_names_the_missing_fact() {
    let set = rules(
        "extend record Trust { lots: list of Service? }\npolicy t \"T\" { rule r error \"R\" { require all s in trust.lots: s != other } }\n",
    );
    let report = check(&set, MINIMAL);
    assert_eq!(findings(&report)[0].message, "cannot decide t.r: the constitution does not state `lots`");
}

#[test]
fn records_named_by_references_can_be_looked_for_in_lists() {
    let set =
        one_rule("require all s in board.seats where s.member is set: s.member in control.reserved_matters_held_by");
    let seat = "\n[[board.seats]]\ncount = 1\nrole = \"council_non_executive\"\nappointed_by = \"member\"\nmember = \"Test Council\"\n";
    let held = "\n[control]\nreserved_matters_held_by = [\"Test Council\"]\n";
    assert_eq!(outcome_of(&set, &format!("{MINIMAL}{seat}{held}")).1, Some(Outcome::Pass));
    assert_eq!(outcome_of(&set, &format!("{MINIMAL}{seat}")).1, Some(Outcome::Fail));
}

#[test]
fn durations_in_different_units_have_no_maximum() {
    let set = one_rule("require false\n message \"{max(c.initial_term for c in contracts)}\"");
    let contracts = TWO_CONTRACTS.replace("initial_term = \"4 years\"", "initial_term = \"4000 days\"");
    let report = check(&set, &format!("{MINIMAL}{contracts}"));
    assert_eq!(findings(&report)[0].message, "(not stated)", "3 years and 4000 days cannot be ordered");
}

#[test]
fn escaped_line_breaks_survive_and_source_line_breaks_fold() {
    let set = one_rule("require false\n message \"first\\nsecond,\n      continued\"");
    let report = check(&set, MINIMAL);
    assert_eq!(findings(&report)[0].message, "first\nsecond, continued");
}

#[test]
fn a_value_on_both_sides_of_a_comparison_is_not_blamed() {
    let set = rules(
        "policy t \"T\" {\n rule term error \"Term\" for c in contracts {\n  require c.start + c.initial_term <= c.start + 3 years\n }\n}\n",
    );
    let report = check(&set, &format!("{MINIMAL}{TWO_CONTRACTS}"));
    let diagnostic = &findings(&report)[0];
    assert_eq!(slice(&report, diagnostic), "\"5 years\"");
    let labels: Vec<&str> = diagnostic.labels.iter().map(|label| report.sources.slice(label.span)).collect();
    assert!(labels.is_empty(), "the anchoring `start` is not blamed: {labels:?}");
}

/// A board of two independent, one council and two executive directors: the council's seat
/// is the third `count` in the file.
const COUNCIL_MINORITY_BOARD: &str = "\n[[board.seats]]\ncount = 2\nrole = \"independent_non_executive\"\nappointed_by = \"board\"\n\n[[board.seats]]\ncount = 1\nrole = \"council_non_executive\"\nappointed_by = \"member\"\nmember = \"North Council\"\n\n[[board.seats]]\ncount = 2\nrole = \"executive\"\nappointed_by = \"board\"\n";

#[test]
fn a_comparison_blames_its_subject_even_when_the_other_side_counts_it_again() {
    // "The council appoints at least half the board": the council's own seats are the value
    // an officer would change, although the board's size counts them too.
    let set = one_rule(
        "require 2 * sum(s.count for s in board.seats where s.role == council_non_executive) >= sum(s.count for s in board.seats)",
    );
    let toml = format!("{TWO_COUNCILS}{COUNCIL_MINORITY_BOARD}");
    let report = check(&set, &toml);
    let diagnostic = &findings(&report)[0];
    assert_eq!(slice(&report, diagnostic), "1");
    assert_eq!(diagnostic.primary.as_ref().unwrap().message.as_deref(), Some("`count` is 1"));
    let council_count = toml.find("count = 1\nrole = \"council_non_executive\"").unwrap() + "count = ".len();
    assert_eq!(diagnostic.span().unwrap().start as usize, council_count, "the council's own `count`");
    let others: Vec<&str> = diagnostic.labels.iter().map(|label| report.sources.slice(label.span)).collect();
    assert_eq!(others, ["2", "2"], "the other seats are shown beside it, in document order");
}

#[test]
fn values_read_through_a_reference_are_blamed_on_the_reference() {
    let set = one_rule("require all s in board.seats where s.member is set: s.member.kind == local_authority");
    let toml = TWO_COUNCILS.replace(
        "[board]\nchair_appointed_by = \"board\"\n",
        "[board]\nchair_appointed_by = \"board\"\n\n[[board.seats]]\ncount = 1\nrole = \"staff_director\"\nappointed_by = \"member\"\nmember = \"Staff Trust\"\n",
    );
    let report = check(&set, &toml);
    let diagnostic = &findings(&report)[0];
    assert_eq!(slice(&report, diagnostic), "\"Staff Trust\"", "the seat's `member` line, not the member's `kind`");
    assert_eq!(diagnostic.primary.as_ref().unwrap().message.as_deref(), Some("`member` is \"Staff Trust\""));
}

#[test]
fn text_predicates_and_date_functions() {
    let named = |name: &str| MINIMAL.replacen("name = \"Test Trust\"", &format!("name = \"{name}\""), 1);
    let cases = [
        ("require trust.name is not blank", "   ", Some(Outcome::Fail)),
        ("require trust.name is blank", "   ", Some(Outcome::Pass)),
        ("require trim(trust.name) == \"X\"", "  X ", Some(Outcome::Pass)),
        ("require trust.name starts with \"CAB-\"", "CAB-", Some(Outcome::Pass)),
        ("require trust.name ends with \"Trust\"", "A ", Some(Outcome::Fail)),
        ("require trust.name matches \"^CAB-[0-9]{4}\"", "CAB-2026/1 ", Some(Outcome::Pass)),
        ("require trust.name matches \"^CAB-[0-9]{4}$\"", "CAB-26", Some(Outcome::Fail)),
        ("require financial_year(2025-03-31) == 2024 and financial_year(2025-04-01) == 2025", "", Some(Outcome::Pass)),
        (
            "require months_between(2025-01-31, 2025-02-28) == 0 and months_between(2025-01-31, 2025-03-01) == 1",
            "",
            Some(Outcome::Pass),
        ),
        ("require days_between(2024-02-28, 2024-03-01) == 2", "", Some(Outcome::Pass)),
    ];
    for (body, name, expected) in cases {
        let set = one_rule(body);
        let text = if name.is_empty() { MINIMAL.to_owned() } else { named(name) };
        assert_eq!(outcome_of(&set, &text).1, expected, "{body} on {name:?}");
    }
    // An unstated text is unknown to `is blank`, as to any comparison.
    let set = one_rule("require trust.community_interest_statement is not blank");
    assert_eq!(outcome_of(&set, MINIMAL).1, Some(Outcome::Undetermined));
}

#[test]
fn dated_tables_by_date_and_by_financial_year() {
    let tables = "table limit: money by financial_year {\n  2024 => £250k\n  2025 => £300k\n}\ntable threshold: money by date {\n  2015-02-26 => £625,050\n  2016-01-01 => £589,148\n}\n";
    let policy = |require: &str| {
        rules(&format!(
            "{tables}policy t \"Tests\" {{\n  rule r error \"Test rule\" {{\n    require {require}\n  }}\n}}\n"
        ))
    };
    let cases = [
        (
            "limit(2025-03-31) == £250k and limit(2025-04-01) == £300k and limit(2040-01-01) == £300k",
            Some(Outcome::Pass),
        ),
        (
            "period_of(limit, 2025-04-01) == \"2025/26\" and period_of(threshold, 2016-01-01) == \"from 2016-01-01\"",
            Some(Outcome::Pass),
        ),
        ("threshold(2015-02-26) == £625,050 and threshold(2015-12-31) == £625,050", Some(Outcome::Pass)),
        // Before the first row no value is in force: unknown, so the rule cannot be decided.
        ("threshold(2015-02-25) > £0", Some(Outcome::Undetermined)),
    ];
    for (require, expected) in cases {
        assert_eq!(outcome_of(&policy(require), MINIMAL).1, expected, "{require}");
    }
}
