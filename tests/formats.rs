//! Snapshot and hand-checked tests of every renderer, on reports built by hand.

#![allow(clippy::expect_used, clippy::string_slice, reason = "test helpers may panic")]

use std::sync::Arc;

use trustcheck::diagnostic::BuiltinCode;
use trustcheck::report::{
    Citation, Diagnostic, FileKind, FileReport, FileStatus, Outcome, Report, RuleInfo, RuleResult, RuleSource,
    RuleStatus, Severity, Summary, WaiverInfo, github, human, json, sarif, short,
};
use trustcheck::source::{FileId, Origin, SourceMap, Span};

const CONSTITUTION: &str = r#"[trust]
name = "Ynys Môn Leisure Trust"
council = "Isle of Anglesey County Council"

[[contracts]]
name = "Canolfan Hamdden, Caergybi"
award_route = "reserved"
term = "P5Y"

[[members]]
name = "Cyngor Sir Ynys Môn"
kind = "local_authority"
voting_rights = "45%"

[[waivers]]
rule = "control.council_majority"
reason = "transitional board, 50%: until the 2027 AGM"
approved_by = "Section 151 officer"
approved_on = 2026-03-01
"#;

const POLICY: &str = r#"/// Reserved contracts may last at most three years.
policy procurement "Procurement exposure" {
  rule reserved_term error "Reserved contract term too long" {
    cite "Public Contracts Regulations 2015, reg. 77(5)" url "https://www.legislation.gov.uk/uksi/2015/102/regulation/77"
    require all c in contracts where c.award_route == reserved: c.term <= 3 years
  }
}
"#;

/// The span of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(file: FileId, text: &str, needle: &str, nth: usize) -> Span {
    let start = text.match_indices(needle).nth(nth).map(|(index, _)| index).expect("needle in text");
    Span::new(file, start, start + needle.len())
}

fn citation() -> Citation {
    Citation {
        text: "Public Contracts Regulations 2015, reg. 77(5)".into(),
        url: Some("https://www.legislation.gov.uk/uksi/2015/102/regulation/77".into()),
        verified: None,
    }
}

fn report() -> Report {
    let mut sources = SourceMap::new();
    let toml = sources.add("constitutions/ynys_mon.toml", CONSTITUTION, Origin::Disk);
    let policy = sources.add("std/procurement.policy", POLICY, Origin::Embedded);
    let at = |needle: &str| find(toml, CONSTITUTION, needle, 0);

    let header = find(policy, POLICY, "rule reserved_term error \"Reserved contract term too long\"", 0);
    let mut term = Diagnostic::for_rule(
        "procurement.reserved_term",
        Severity::Error,
        "a reserved contract may last at most 3 years, this one runs 5 years",
        at("\"P5Y\""),
    )
    .with_label_message("runs 5 years")
    .with_label(at("\"reserved\""), "reserved under regulation 77")
    .with_help("shorten the term to at most 3 years, or award the contract in open competition");
    term.outcome = Some(Outcome::Fail);
    term.citation = Some(citation());
    term.rule = Some(RuleSource { span: header, title: "Reserved contract term too long".into() });

    let mut undetermined = Diagnostic::for_rule(
        "control.board_appointments",
        Severity::Warning,
        "cannot decide control.board_appointments: the constitution does not state `board`",
        at("[trust]"),
    )
    .with_label_message("`board` belongs in this table")
    .with_help("add a `[board]` table saying who appoints the directors");
    undetermined.outcome = Some(Outcome::Undetermined);

    let mut waived = Diagnostic::for_rule(
        "control.council_majority",
        Severity::Note,
        "the council holds 45% of the votes, short of the majority it needs\nfor control",
        at("\"45%\""),
    );
    waived.outcome = Some(Outcome::Waived);
    waived.waiver = Some(WaiverInfo {
        reason: "transitional board, 50%: until the 2027 AGM".into(),
        approved_by: "Section 151 officer".into(),
        approved_on: Some("2026-03-01".parse().expect("date")),
        span: at("[[waivers]]"),
    });

    // Every outcome, in rule-id order, each pointing at its finding (in the sorted diagnostics).
    let result = |rule: &str, outcome, severity, diagnostic| RuleResult {
        rule: rule.into(),
        element: None,
        outcome,
        status: if rule == "procurement.reserved_term" { RuleStatus::Law } else { RuleStatus::LocalPolicy },
        setting: None,
        waiver: if outcome == Outcome::Waived { waived.waiver.clone() } else { None },
        severity,
        diagnostic,
    };
    let outcomes = vec![
        result("children.dcs_role", Outcome::NotApplicable, None, None),
        result("control.board_appointments", Outcome::Undetermined, Some(Severity::Warning), Some(0)),
        result("control.council_majority", Outcome::Waived, Some(Severity::Note), Some(2)),
        result("procurement.reserved_term", Outcome::Fail, Some(Severity::Error), Some(1)),
        result("structure.has_name", Outcome::Pass, None, None),
    ];
    let diagnostics = vec![undetermined, term, waived];
    let checked = FileReport {
        path: "constitutions/ynys_mon.toml".into(),
        kind: FileKind::Constitution,
        status: FileStatus::Checked,
        summary: Summary {
            errors: 1,
            warnings: 1,
            notes: 1,
            passed: 1,
            failed: 1,
            not_applicable: 1,
            undetermined: 1,
            waived: 1,
        },
        diagnostics,
        outcomes,
        suppressed: Vec::new(),
    };
    let missing = FileReport {
        path: "constitutions/missing.toml".into(),
        kind: FileKind::Constitution,
        status: FileStatus::Error,
        summary: Summary { errors: 1, ..Summary::default() },
        diagnostics: vec![
            Diagnostic::new(BuiltinCode::IoRead, "cannot read `constitutions/missing.toml`: no such file", None)
                .with_help("check the path and that the file is readable"),
        ],
        outcomes: Vec::new(),
        suppressed: Vec::new(),
    };
    let rules = vec![
        RuleInfo {
            id: "procurement.reserved_term".into(),
            severity: Severity::Error,
            status: RuleStatus::Law,
            title: "Reserved contract term too long".into(),
            doc: Some("Reserved contracts may last at most three years.".into()),
            citations: vec![citation()],
            span: header,
        },
        RuleInfo {
            id: "structure.has_name".into(),
            severity: Severity::Note,
            status: RuleStatus::LocalPolicy,
            title: "The trust is named".into(),
            doc: None,
            citations: Vec::new(),
            span: header,
        },
    ];
    Report {
        as_of: "2026-04-01".parse().expect("date"),
        rules,
        files: vec![checked, missing],
        sources: Arc::new(sources),
    }
}

#[test]
fn human_plain() {
    insta::assert_snapshot!(human::render(&report(), &human::HumanOptions::plain()));
}

#[test]
fn human_verbose() {
    let options = human::HumanOptions { verbose: true, ..human::HumanOptions::plain() };
    insta::assert_snapshot!(human::render(&report(), &options));
}

#[test]
fn human_plain_is_render_plain() {
    let report = report();
    assert_eq!(report.render_plain(), human::render(&report, &human::HumanOptions::plain()));
}

#[test]
fn human_colour_uses_ansi() {
    let options = human::HumanOptions { color: true, ..human::HumanOptions::plain() };
    assert!(human::render(&report(), &options).contains('\u{1b}'));
    assert!(!human::render(&report(), &human::HumanOptions::plain()).contains('\u{1b}'));
}

#[test]
fn human_summary_lines() {
    let report = report();
    let mut policy = report.files[1].clone();
    policy.kind = FileKind::Policy;
    assert_eq!(
        human::summary_line(&policy),
        "constitutions/missing.toml: does not validate: 1 error, 0 warnings, 0 notes"
    );
    policy.status = FileStatus::Checked;
    policy.summary.errors = 0;
    policy.summary.warnings = 2;
    assert_eq!(human::summary_line(&policy), "constitutions/missing.toml: 0 errors, 2 warnings, 0 notes");
}

#[test]
fn short_format() {
    let text = short::render(&report());
    insta::assert_snapshot!(text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "constitutions/ynys_mon.toml:1:1: warning[control.board_appointments]: cannot decide control.board_appointments: the constitution does not state `board`",
            "constitutions/ynys_mon.toml:8:8: error[procurement.reserved_term]: a reserved contract may last at most 3 years, this one runs 5 years",
            "constitutions/ynys_mon.toml:13:17: note[control.council_majority]: the council holds 45% of the votes, short of the majority it needs for control (waiver: transitional board, 50%: until the 2027 AGM (approved by Section 151 officer on 2026-03-01))",
            "constitutions/missing.toml: error[io.read]: cannot read `constitutions/missing.toml`: no such file",
        ]
    );
}

#[test]
fn short_never_lists_passes() {
    // A report holding the diagnostics of a passed and a not-applicable outcome (as `--verbose`
    // keeps for the human format): the one-line format still lists only the findings.
    let mut report = report();
    let toml = report.files[0].diagnostics[0].span().expect("a span").file;
    for (code, outcome) in [("structure.has_name", Outcome::Pass), ("children.dcs_role", Outcome::NotApplicable)] {
        let mut quiet = Diagnostic::for_rule(code, Severity::Note, "nothing to report", Span::new(toml, 0, 1));
        quiet.outcome = Some(outcome);
        report.files[0].diagnostics.push(quiet);
    }
    let text = short::render(&report);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(!text.contains("structure.has_name") && !text.contains("children.dcs_role"), "{text}");
}

#[test]
fn github_format() {
    let text = github::render(&report());
    insta::assert_snapshot!(text);
    assert!(text.contains(
        "::notice file=constitutions/ynys_mon.toml,line=13,col=17,endLine=13,endColumn=22,title=control.council_majority::the council holds 45%25 of the votes, short of the majority it needs%0Afor control%0Awaived: transitional board, 50%25: until the 2027 AGM (approved by Section 151 officer on 2026-03-01)\n"
    ));
    assert!(text.contains("::error file=constitutions/missing.toml,title=io.read::cannot read"));
}

#[test]
fn github_escaping() {
    assert_eq!(github::escape_data("50%: a,b\r\nc"), "50%25: a,b%0D%0Ac");
    assert_eq!(github::escape_property("C:/a,b%\n"), "C%3A/a%2Cb%25%0A");
}

#[test]
fn json_format() {
    insta::assert_snapshot!(json::render(&report()));
}

#[test]
fn json_lists_every_outcome_and_only_findings_as_diagnostics() {
    let value: serde_json::Value = serde_json::from_str(&json::render(&report())).expect("json");
    let file = &value["files"][0];
    let outcomes: Vec<&str> =
        file["outcomes"].as_array().expect("array").iter().filter_map(|o| o["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["not_applicable", "undetermined", "waived", "fail", "pass"]);
    assert_eq!(file["diagnostics"].as_array().expect("array").len(), 3);
    // Each outcome's `diagnostic` is the index of its finding.
    for outcome in file["outcomes"].as_array().expect("array") {
        if let Some(index) = outcome["diagnostic"].as_u64() {
            assert_eq!(file["diagnostics"][index as usize]["code"], outcome["rule"]);
        }
    }
    assert!(file["outcomes"][4].get("diagnostic").is_none() && file["outcomes"][4].get("severity").is_none());
}

#[test]
fn json_positions_by_hand() {
    let value: serde_json::Value = serde_json::from_str(&json::render(&report())).expect("json");
    assert_eq!(value["version"], 2);
    assert_eq!(value["as_of"], "2026-04-01");
    let file = &value["files"][0];
    assert_eq!(file["path"], "constitutions/ynys_mon.toml");
    assert_eq!(file["status"], "checked");
    // `"45%"` on line 13 (`voting_rights = "45%"`): column 17, and the byte offset counts
    // the two bytes of each `ô` earlier in the file (two of them), so it is 2 more than
    // the character offset.
    let waived = &file["diagnostics"][2];
    assert_eq!(waived["code"], "control.council_majority");
    let start = CONSTITUTION.find("\"45%\"").expect("value");
    assert_eq!(CONSTITUTION[..start].chars().count() + 2, start);
    assert_eq!(
        waived["range"],
        serde_json::json!({"start": {"line": 13, "column": 17, "offset": start}, "end": {"line": 13, "column": 22, "offset": start + 5}})
    );
    assert_eq!(waived["waiver"]["approved_by"], "Section 151 officer");
    assert_eq!(waived["waiver"]["approved_on"], "2026-03-01");
    // The failed rule: its secondary label, citation and rule source.
    let term = &file["diagnostics"][1];
    assert_eq!(term["outcome"], "fail");
    assert_eq!(
        term["range"]["start"],
        serde_json::json!({"line": 8, "column": 8, "offset": CONSTITUTION.find("\"P5Y\"").expect("value")})
    );
    assert_eq!(term["labels"][0]["message"], "reserved under regulation 77");
    assert_eq!(term["labels"][0]["range"]["start"]["line"], 7);
    assert_eq!(term["citation"]["url"], "https://www.legislation.gov.uk/uksi/2015/102/regulation/77");
    assert_eq!(term["rule"]["path"], "std/procurement.policy");
    assert_eq!(
        term["rule"]["range"]["start"],
        serde_json::json!({"line": 3, "column": 3, "offset": POLICY.find("rule reserved_term").expect("rule")})
    );
    // The unreadable file: no range, no rule, no outcome; keys with no value left out.
    let missing = &value["files"][1];
    assert_eq!(missing["status"], "error");
    assert_eq!(missing["summary"]["passed"], 0);
    let io = &missing["diagnostics"][0];
    assert_eq!(io["code"], "io.read");
    for key in ["range", "rule", "outcome", "citation", "waiver"] {
        assert!(io.get(key).is_none(), "{key} should be left out");
    }
    assert_eq!(io["labels"], serde_json::json!([]));
}

#[test]
fn sarif_format() {
    insta::assert_snapshot!(sarif::render(&report()));
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for log in [sarif::render(&report()), sarif::render_with_srcroot(&report(), Some("file:///home/ci/work/"))] {
        let instance: serde_json::Value = serde_json::from_str(&log).expect("sarif parses");
        let errors: Vec<String> = validator.iter_errors(&instance).map(|error| error.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn sarif_schema_rejects_a_broken_log() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut log: serde_json::Value = serde_json::from_str(&sarif::render(&report())).expect("sarif parses");
    log["runs"][0]["columnKind"] = "bytes".into();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert_eq!(validator.iter_errors(&log).count(), 2);
}

#[test]
fn sarif_regions_count_characters() {
    let value: serde_json::Value = serde_json::from_str(&sarif::render(&report())).expect("sarif");
    let run = &value["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["properties"]["as_of"], "2026-04-01");
    let waived = &run["results"][2];
    // outcomes.md: a waived outcome is suppressed `external`ly, justified by the reason alone.
    let suppression = &waived["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    assert_eq!(suppression["justification"], "transitional board, 50%: until the 2027 AGM");
    assert_eq!(suppression["properties"]["approved_by"], "Section 151 officer");
    assert_eq!(suppression["properties"]["approved_on"], "2026-03-01");
    let start = CONSTITUTION.find("\"45%\"").expect("value");
    let region = &waived["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["charOffset"], CONSTITUTION[..start].chars().count());
    assert_eq!(region["charLength"], 5);
    assert_eq!(region["startColumn"], 17);
    assert_eq!(run["results"][1]["ruleIndex"], 0);
    assert_eq!(run["results"][1]["relatedLocations"][0]["message"]["text"], "reserved under regulation 77");
}

#[test]
fn sarif_paths_are_uris() {
    assert_eq!(sarif::folder_uri(std::path::Path::new("/home/ci/Ynys Môn")), "file:///home/ci/Ynys%20M%C3%B4n/");
}
