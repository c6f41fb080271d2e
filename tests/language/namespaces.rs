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
