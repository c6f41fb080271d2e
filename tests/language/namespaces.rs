//! Policies as namespaces for `let`s and constants: each policy's own names first, `POLICY.NAME`
//! from elsewhere, no collisions between frameworks, and `const` for values that cannot depend
//! on the constitution.

use trustcheck::report::Outcome;

use super::support::{MINIMAL, check, only_error, underlined, with_std};

/// Two frameworks, each with its own `limit`, and a third policy reading both by name.
const FRAMEWORKS: &str = r#"
policy north "North" {
  const limit = 1
  rule small note "North's limit" { require count(members) <= limit }
}
policy south "South" {
  const limit = 0
  rule small note "South's limit" { require count(members) <= limit }
}
policy both "Both" {
  rule sum note "Both limits" { require north.limit + south.limit == 1 }
}
"#;

#[test]
fn two_policies_may_define_the_same_name_and_each_reads_its_own() {
    let set = with_std(FRAMEWORKS);
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    let report = check(&set, MINIMAL);
    let file = &report.files[0];
    assert_eq!(file.outcome("north.small"), Some(Outcome::Pass), "one member, North's limit of 1");
    assert_eq!(file.outcome("south.small"), Some(Outcome::Fail), "one member, South's limit of 0");
    assert_eq!(file.outcome("both.sum"), Some(Outcome::Pass));
}

#[test]
fn a_name_several_policies_define_must_say_which() {
    let text = format!("{FRAMEWORKS}\npolicy third \"Third\" {{\n  rule r note \"R\" {{ require limit > 0 }}\n}}\n");
    let set = with_std(&text);
    let error = only_error(&set);
    assert_eq!(error.code, "policy.unknown_name");
    assert_eq!(error.message, "`limit` is defined in more than one policy");
    assert_eq!(error.help.as_deref(), Some("write which one you mean: `north.limit` or `south.limit`"));
    assert_eq!(underlined(&set, error), "limit");
}

#[test]
fn another_policys_name_without_its_policy_is_a_lint_saying_how_to_write_it() {
    let set = with_std("policy p \"P\" {\n  rule r note \"R\" { require council_votes > 50% }\n}\n");
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    let lint = set.lints().iter().find(|d| d.code == "policy.unqualified_name").expect("a lint");
    assert_eq!(lint.message, "`council_votes` is defined in policy `control`");
    assert!(lint.help.as_deref().is_some_and(|help| help.starts_with("write `control.council_votes`")));
    // Written in full, it is clean; a call of another policy's `let` is written the same way.
    let set = with_std(
        "policy p \"P\" {\n  rule r note \"R\" for c in contracts { require control.council_votes > 50% and not procurement.in_house(c) }\n}\n",
    );
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    assert!(set.lints().iter().all(|d| d.code != "policy.unqualified_name"), "{:#?}", set.lints());
}

#[test]
fn a_constant_cannot_read_the_constitution() {
    let set = with_std("policy p \"P\" {\n  const now = count(members)\n  rule r note \"R\" { require now > 0 }\n}\n");
    let error = only_error(&set);
    assert_eq!(error.code, "policy.type");
    assert_eq!(error.message, "the constant `now` reads the constitution");
    assert_eq!(underlined(&set, error), "members");
    let set = with_std(
        "policy p \"P\" {\n  let n = count(members)\n  const twice = n * 2\n  rule r note \"R\" { require twice > 0 }\n}\n",
    );
    assert_eq!(only_error(&set).message, "the constant `twice` reads the constitution");
    let set = with_std(
        "const reserve = £500k\nconst double = reserve * 2\npolicy p \"P\" {\n  rule r note \"R\" { require double > £0 }\n}\n",
    );
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
}

#[test]
fn a_name_is_defined_once_per_policy() {
    let set = with_std("policy p \"P\" {\n  let a = 1\n  const a = 2\n  rule r note \"R\" { require a > 0 }\n}\n");
    let error = only_error(&set);
    assert_eq!(error.code, "policy.duplicate_definition");
    assert_eq!(error.message, "`a` is defined more than once");
}

/// A constitution with one waiver of `local.board` approved on `approved_on` expiring on `expires`.
fn waived(approved_on: &str, expires: &str) -> String {
    format!(
        "{MINIMAL}\n[[waivers]]\nrule = \"local.board\"\nreason = \"Appointing the independent directors\"\napproved_by = \"Cabinet\"\napproved_on = {approved_on}\nexpires = {expires}\n"
    )
}

#[test]
fn a_waiver_period_can_run_from_a_date_of_the_constitution() {
    // MINIMAL goes live on 2020-04-01: the rule may be waived until 2020-10-01 only.
    let set = with_std(
        "policy local \"Local\" {\n  rule board error local_policy \"Two independents\" {\n    waivable for at most 6 months after trust.operational_from\n    require false\n  }\n  rule shadow error local_policy \"Shadow\" {\n    waivable for at most 6 months after trust.shadow_from\n    require false\n  }\n}\n",
    );
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    // Judged on 2020-09-15, while the waiver is in force.
    let options = trustcheck::CheckOptions::as_of("2020-09-15".parse().unwrap());
    let input = trustcheck::Input::from_text("case.toml", waived("2020-09-01", "2020-10-01"));
    let report = set.check_inputs(vec![input], &options);
    assert_eq!(report.files[0].outcome("local.board"), Some(Outcome::Waived), "{:#?}", report.files[0].diagnostics);

    let report = check(&set, &waived("2020-03-01", "2020-12-31"));
    let file = &report.files[0];
    assert_eq!(file.outcome("local.board"), Some(Outcome::Fail));
    let refusal = file.diagnostics.iter().find(|d| d.code == "waiver.too_long").expect("refused");
    assert_eq!(
        refusal.message,
        "`local.board` may be waived only until 2020-10-01, 6 months after 2020-04-01, but this one runs until 2020-12-31, so the waiver does not apply"
    );

    // A period from a date the constitution leaves out cannot be met.
    let text = waived("2020-03-01", "2020-05-01").replace("rule = \"local.board\"", "rule = \"local.shadow\"");
    let report = check(&set, &text);
    let refusal = report.files[0].diagnostics.iter().find(|d| d.code == "waiver.too_long").expect("refused");
    assert!(refusal.message.contains("from a date this constitution does not state"), "{}", refusal.message);

    // The date must be a date.
    let set = with_std(
        "policy local \"Local\" {\n  rule board error local_policy \"B\" {\n    waivable for at most 6 months after trust.name\n    require false\n  }\n}\n",
    );
    assert_eq!(only_error(&set).code, "policy.type");
}

#[test]
fn record_invariants_are_checked_at_the_values_they_read() {
    let set = with_std(
        "extend record Seat {\n  /// A member-appointed seat must say which member appoints it.\n  invariant \"a seat appointed by a member must name the member\" require self.appointed_by != member or self.member is set\n}\n\
         extend record Board {\n  invariant \"a board needs at least three directors\" require sum(s.count for s in self.seats) >= 3\n}\n",
    );
    assert!(set.is_valid(), "{:#?}", set.diagnostics());
    let text = format!(
        "{MINIMAL}\n[[board.seats]]\ncount = 1\nrole = \"executive\"\nappointed_by = \"member\"\n\n[[board.seats]]\ncount = 1\nrole = \"independent_non_executive\"\nappointed_by = \"board\"\n"
    );
    let report = check(&set, &text);
    let file = &report.files[0];
    let broken: Vec<(&str, &str)> = file
        .diagnostics
        .iter()
        .filter(|d| d.code == "schema.invariant")
        .map(|d| (d.message.as_str(), report.sources.slice(d.span().expect("a place"))))
        .collect();
    assert_eq!(
        broken,
        [
            ("a board needs at least three directors", "1"),
            ("a seat appointed by a member must name the member", "\"member\""),
        ]
    );
    let seat = file
        .diagnostics
        .iter()
        .find(|d| d.code == "schema.invariant" && d.message.starts_with("a seat"))
        .expect("the seat");
    assert_eq!(seat.help.as_deref(), Some("A member-appointed seat must say which member appoints it."));
    assert_eq!(report.exit_code(false), 1, "a broken invariant is an error");
    // A condition on something other than a yes or no is a type error.
    let set = with_std("extend record Board {\n  invariant \"x\" require self.seats\n}\n");
    assert_eq!(only_error(&set).code, "policy.type");
}
