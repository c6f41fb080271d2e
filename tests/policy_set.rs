//! The embedded standard library compiles without diagnostics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails loudly on a broken fixture"
)]

use trustcheck::PolicySet;

#[test]
fn standard_library_is_valid() {
    let set = PolicySet::standard();
    for diagnostic in set.diagnostics() {
        let span = diagnostic.span().unwrap();
        let file = set.sources().get(span.file).unwrap();
        let pos = file.position(span.start);
        eprintln!(
            "{}:{}:{}: {} [{}] {:?}",
            file.name(),
            pos.line,
            pos.column,
            diagnostic.message,
            diagnostic.code,
            diagnostic.help
        );
    }
    assert!(set.diagnostics().is_empty());
    assert_eq!(set.schema().root, "Constitution");
    assert!(set.schema().record("Member").unwrap().key.as_deref() == Some("name"));
}

/// The rule ids of the standard catalogue with their severities (normative).
const CATALOGUE: &[(&str, &str)] = &[
    ("asset_lock.cic_statutory_lock", "error"),
    ("asset_lock.community_benefit", "error"),
    ("asset_lock.community_interest_statement", "error"),
    ("asset_lock.dividend_cap", "error"),
    ("asset_lock.guarantee_no_dividends", "error"),
    ("asset_lock.no_political_objects", "error"),
    ("asset_lock.residual_assets", "error"),
    ("asset_lock.residual_body_named", "warning"),
    ("asset_lock.specified_bodies_locked", "error"),
    ("asset_lock.unlocked_assets", "warning"),
    ("children.adoption_society", "error"),
    ("children.dcs_retained", "error"),
    ("children.directed_chair", "note"),
    ("children.iro_not_delegated", "error"),
    ("children.not_for_profit", "error"),
    ("children.registered_social_workers", "error"),
    ("control.companies_order_documents", "note"),
    ("control.councillor_directors", "note"),
    ("control.decisive_influence", "error"),
    ("control.director_conflicts", "note"),
    ("control.exit_provisions", "note"),
    ("control.information_rights", "note"),
    ("control.joint_representation", "error"),
    ("control.joint_reserved_matters", "warning"),
    ("control.no_contrary_interests", "error"),
    ("control.operational_independence", "note"),
    ("control.staff_engagement", "warning"),
    ("control.step_in", "warning"),
    ("control.voting_majority", "error"),
    ("market_testing.before_expiry", "note"),
    ("market_testing.lead_time", "warning"),
    ("market_testing.overdue", "note"),
    ("market_testing.scheduled", "note"),
    ("procurement.direct_award_threshold", "error"),
    ("procurement.horizontal_cooperation", "error"),
    ("procurement.in_house_activities", "error"),
    ("procurement.in_house_private_capital", "error"),
    ("procurement.in_house_private_members", "warning"),
    ("procurement.modification_limit", "error"),
    ("procurement.mutual_employee_control", "error"),
    ("procurement.mutual_profits", "error"),
    ("procurement.pcr2006_part_b", "note"),
    ("procurement.reserved_exposure", "warning"),
    ("procurement.reserved_procedure", "error"),
    ("procurement.reserved_repeat", "error"),
    ("procurement.reserved_services", "error"),
    ("procurement.reserved_services_review", "warning"),
    ("procurement.reserved_term", "error"),
    ("staff.employee_liability_information", "warning"),
    ("staff.pension_protection", "error"),
    ("staff.transfer_at_operation", "warning"),
    ("staff.tupe", "error"),
    ("staff.tupe_consultation", "warning"),
    ("staff.two_tier_workforce", "warning"),
    ("structure.directed_award", "warning"),
    ("structure.influenced_company", "note"),
    ("structure.seat_member_named", "warning"),
    ("structure.shadow_before_operation", "warning"),
    ("structure.voting_rights_total", "warning"),
    ("subsidy.assessed", "warning"),
];

#[test]
fn standard_library_implements_exactly_the_catalogue() {
    let set = PolicySet::standard();
    let rules: Vec<(String, &str)> = set.rules().into_iter().map(|rule| (rule.id, rule.severity.as_str())).collect();
    let expected: Vec<(String, &str)> = CATALOGUE.iter().map(|(id, severity)| ((*id).to_owned(), *severity)).collect();
    assert_eq!(rules, expected);
}

#[test]
fn docs_rules_md_is_generated_from_the_library() {
    let expected = trustcheck::cli::rules::markdown(&PolicySet::standard().rules());
    let actual = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn built_in_code_prefixes_are_reserved_policy_names() {
    use trustcheck::policy::PolicySource;
    for name in ["toml", "schema", "policy", "limit", "waiver", "setting", "config", "io", "lsp"] {
        let text = format!("policy {name} \"Clash\" {{\n  rule type error \"Type\" {{ require true }}\n}}\n");
        let set = PolicySet::from_sources(vec![
            PolicySource::Standard,
            PolicySource::File(trustcheck::Input::from_text("clash.policy", text)),
        ]);
        assert!(!set.is_valid(), "`{name}` is reserved");
        let codes: Vec<&str> = set.diagnostics().iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["policy.reserved_name"], "{name}");
        assert!(set.rules().iter().all(|rule| !rule.id.starts_with(&format!("{name}."))));
    }
}

#[test]
fn one_rule_outcome_in_one_call() {
    use trustcheck::CheckOptions;
    use trustcheck::report::Outcome;
    let set = PolicySet::standard();
    let options = CheckOptions::as_of("2026-04-01".parse().unwrap());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/birmingham_mutual_option.toml");
    let report = set.check_file(path, &options).unwrap();
    let file = &report.files[0];
    assert_eq!(file.outcome_of("procurement.reserved_term", "Mutual contract"), Some(Outcome::Fail));
    assert_eq!(file.outcome("structure.voting_rights_total"), Some(Outcome::Pass));
    assert_eq!(file.outcome("no.such_rule"), None);
    assert_eq!(
        file.outcomes.len(),
        file.summary.passed
            + file.summary.failed
            + file.summary.not_applicable
            + file.summary.undetermined
            + file.summary.waived
    );
}

#[test]
fn in_the_standard_library_only_law_rules_are_errors() {
    use trustcheck::report::{RuleStatus, Severity};
    let set = PolicySet::standard();
    for rule in set.rules() {
        if rule.severity == Severity::Error {
            assert_eq!(rule.status, RuleStatus::Law, "{} is an error but not law", rule.id);
        }
    }
    let text = trustcheck::embedded::STANDARD_LIBRARY.iter().map(|(_, text)| *text).collect::<String>();
    let headers = text.lines().filter(|line| line.trim_start().starts_with("rule ")).count();
    let stated = text
        .lines()
        .filter(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words.first() == Some(&"rule") && matches!(words.get(3), Some(&("law" | "guidance" | "local_policy")))
        })
        .count();
    assert_eq!(headers, stated, "every standard rule states its status");
}

#[test]
fn docs_constitution_md_is_generated_from_the_schema() {
    let expected = trustcheck::schema_doc::markdown(PolicySet::standard().schema());
    let actual = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/constitution.md")).unwrap();
    assert!(
        actual == expected,
        "docs/constitution.md is out of date: run `cargo run -- schema --markdown > docs/constitution.md`"
    );
    for needle in ["### `Contract`", "| `award_route` |", "### `MemberKind`", "| `local_authority` |"] {
        assert!(expected.contains(needle), "{needle}");
    }
}

#[test]
fn the_fingerprint_names_the_policy_files_exactly() {
    let standard = trustcheck::PolicySet::standard();
    assert_eq!(standard.fingerprint(), trustcheck::PolicySet::standard().fingerprint(), "stable");
    assert_eq!(standard.fingerprint().len(), 16);
    let with_local = trustcheck::PolicySet::from_sources(vec![
        trustcheck::policy::PolicySource::Standard,
        trustcheck::policy::PolicySource::File(trustcheck::Input::from_text("local.policy", "let x = 1\n")),
    ]);
    assert_ne!(standard.fingerprint(), with_local.fingerprint(), "another file changes it");
}

/// A rule's status agrees with what it cites: a rule whose citation says it rests on local
/// policy is `local_policy`, never presented as guidance or law; and the market-testing rules,
/// which rest on local policy informed by the general duty of best value (no statute requires a
/// market test), cite it as local policy and are notes.
#[test]
fn a_rule_cited_as_local_policy_has_that_status() {
    use trustcheck::report::{RuleStatus, Severity};
    let set = PolicySet::standard();
    for rule in set.rules() {
        let local = rule.citations.iter().any(|citation| citation.text.to_lowercase().starts_with("local policy"));
        if local {
            assert_eq!(rule.status, RuleStatus::LocalPolicy, "{} cites local policy but is not local policy", rule.id);
        }
    }
    for id in ["market_testing.scheduled", "market_testing.before_expiry", "market_testing.overdue"] {
        let rule = set.rules().into_iter().find(|rule| rule.id == id).expect("the rule");
        assert_eq!((rule.status, rule.severity), (RuleStatus::LocalPolicy, Severity::Note), "{id}");
        let cited: Vec<&str> = rule.citations.iter().map(|citation| citation.text.as_str()).collect();
        assert!(
            cited.iter().all(|text| text.starts_with("local policy (informed by the Local Government Act 1999, s.3")),
            "{id}: {cited:?}"
        );
    }
}

/// The reserved-award look-back counts the earlier contract from its award under the 2015
/// Regulations and from when it was entered into under the 2023 Act, and a reserved contract's
/// finding says from which date a reserved award is possible again (3 years after this one).
#[test]
fn the_reserved_look_back_speaks_of_each_regime_and_names_the_date() {
    let case = include_str!("cases/procurement__reserved_repeat.toml");
    let under_the_act = case.replace("awarded_on = 2025-01-15", "awarded_on = 2025-03-03");
    let set = PolicySet::standard();
    let options = trustcheck::CheckOptions::as_of("2026-11-23".parse().unwrap());
    let messages = |text: &str| -> Vec<(String, String)> {
        let report = set.check_inputs(vec![trustcheck::Input::from_text("case.toml", text)], &options);
        let file = &report.files[0];
        file.diagnostics
            .iter()
            .map(|diagnostic| (diagnostic.code.to_string(), diagnostic.message.clone()))
            .filter(|(code, _)| code.starts_with("procurement.reserved_"))
            .collect()
    };
    let regulations = messages(case);
    let act = messages(&under_the_act);
    let repeat = |found: &[(String, String)]| {
        found
            .iter()
            .find(|(code, message)| code == "procurement.reserved_repeat" && message.contains("Too soon"))
            .cloned()
    };
    assert!(repeat(&regulations).unwrap().1.contains("was awarded on 2022-06-01"), "{regulations:?}");
    assert!(repeat(&act).unwrap().1.contains("was entered into on 2022-06-01"), "{act:?}");
    let exposure = regulations
        .iter()
        .find(|(code, message)| code == "procurement.reserved_exposure" && message.contains("Too soon"))
        .unwrap();
    assert!(exposure.1.contains("made on or after 2028-01-15 (3 years after this one was awarded)"), "{exposure:?}");
}
